"""Settings of the app: defaults, then instance/config.py, then the environment."""

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent

# Environment variables the app reads; each overrides instance/config.py.
ENV_SETTINGS = (
    "DATABASE_URL",
    "DATABASE_CONNECT_TIMEOUT",
    "SECRET_KEY",
    "REDIS_URL",
    "BASE_URL",
    "MEDIENPASS_ENV",
    "COMPANY_NAME",
    "BRAND_COLOUR",
    "BRAND_LOGO",
    "SIGNING_KEY_FILE",
    "STORAGE_DIR",
    "JOBS_BACKEND",
    "JOBS_QUEUE",
    "LOGIN_FAILURE_LIMIT",
    "LOGIN_ADDRESS_FAILURE_LIMIT",
    "PROXY_FIX",
    "USERS_PER_PAGE",
    "SURVEY_MIN_GROUP",
    "REPORT_MIN_GROUP",
    "ATTACHMENT_MAX_BYTES",
    "MAIL_SERVER",
    "MAIL_PORT",
    "MAIL_USE_TLS",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_FROM",
)


class DefaultConfig:
    MEDIENPASS_ENV = "development"
    COMPANY_NAME = "Muster GmbH"
    # Branding of the Medienpass: a colour, and a logo file below static/ (PNG or SVG).
    BRAND_COLOUR = "#1d4f91"
    BRAND_LOGO = None
    # The Ed25519 key that signs passes; None: instance/medienpass-signing-key.pem.
    SIGNING_KEY_FILE = None
    # Background jobs: None picks RQ when REDIS_URL is set, else a thread of the app process;
    # "inline" runs a job at once in the request that starts it (debugging, tests).
    JOBS_BACKEND = None
    JOBS_QUEUE = "medienpass"  # the RQ queue that `make worker` listens to
    BASE_URL = "http://127.0.0.1:5000"
    REDIS_URL = None
    DATABASE_URL = None  # None: a SQLite file in the instance folder
    # Files the app writes (job results such as bulk ZIPs, lesson attachments): a folder
    # every app server and worker shares. None: the instance folder; a relative path is
    # taken relative to the instance folder.
    STORAGE_DIR = None
    # A connection that died (a restarted database) is noticed before use and replaced.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # Seconds to wait for a connection to PostgreSQL: an unreachable server fails a request
    # (503) instead of holding it until the operating system gives up.
    DATABASE_CONNECT_TIMEOUT = 5
    BABEL_DEFAULT_LOCALE = "de"
    BABEL_DEFAULT_TIMEZONE = "Europe/Berlin"
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")
    LANGUAGES = ("de", "en")
    CLI_LOCALE = "en"  # messages of `flask ...` commands and jobs outside a request
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024  # one lesson attachment
    # Failed logins allowed per account and per address, as a `limits` expression.
    LOGIN_FAILURE_LIMIT = "10 per 15 minutes"
    # Failed logins per client address: higher, since an office may share one address.
    LOGIN_ADDRESS_FAILURE_LIMIT = "50 per 15 minutes"
    # Number of trusted reverse proxies in front of the app (X-Forwarded-For/-Proto).
    PROXY_FIX = 0
    RATELIMIT_HEADERS_ENABLED = False
    RATELIMIT_KEY_PREFIX = "medienpass"
    USERS_PER_PAGE = 25
    AUDIT_PER_PAGE = 50
    NOTIFICATIONS_PER_PAGE = 20
    # Survey results are shown only when at least this many people answered.
    SURVEY_MIN_GROUP = 5
    # HR's aggregates (gap report) over fewer people than this are withheld.
    REPORT_MIN_GROUP = 5
    # Outgoing e-mail (reminders). Without MAIL_SERVER, e-mails are written to the log.
    MAIL_SERVER = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False  # STARTTLS after connecting
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_FROM = "medienpass@localhost"


def load_config(app, overrides=None):
    """Fill app.config: defaults < instance/config.py < environment < overrides."""
    app.config.from_object(DefaultConfig)
    app.config.from_pyfile("config.py", silent=True)
    for name in ENV_SETTINGS:
        if os.environ.get(name):
            app.config[name] = os.environ[name]
    app.config.update(overrides or {})

    cfg = app.config
    cfg["USERS_PER_PAGE"] = int(cfg["USERS_PER_PAGE"])
    cfg["SURVEY_MIN_GROUP"] = int(cfg["SURVEY_MIN_GROUP"])
    cfg["REPORT_MIN_GROUP"] = int(cfg["REPORT_MIN_GROUP"])
    cfg["ATTACHMENT_MAX_BYTES"] = int(cfg["ATTACHMENT_MAX_BYTES"])
    cfg["PROXY_FIX"] = int(cfg["PROXY_FIX"])
    cfg["MAIL_PORT"] = int(cfg["MAIL_PORT"])
    cfg["MAIL_USE_TLS"] = _flag(cfg["MAIL_USE_TLS"])
    if not cfg.get("DATABASE_URL"):
        cfg["DATABASE_URL"] = "sqlite:///" + os.path.join(app.instance_path, "medienpass.db")
    cfg["SQLALCHEMY_DATABASE_URI"] = database_uri(cfg["DATABASE_URL"])
    if cfg["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # A writer waits up to 30 s for its turn (a job thread writes beside the requests).
        cfg["SQLALCHEMY_ENGINE_OPTIONS"] = {
            **cfg["SQLALCHEMY_ENGINE_OPTIONS"],
            "connect_args": {"timeout": 30},
        }
    elif cfg["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        cfg["SQLALCHEMY_ENGINE_OPTIONS"] = {
            **cfg["SQLALCHEMY_ENGINE_OPTIONS"],
            "connect_args": {"connect_timeout": int(cfg["DATABASE_CONNECT_TIMEOUT"])},
        }
    storage = cfg["STORAGE_DIR"]
    cfg["STORAGE_DIR"] = os.path.join(app.instance_path, storage) if storage else app.instance_path
    if not cfg.get("SECRET_KEY"):
        cfg["SECRET_KEY"] = _development_secret_key(app)
    secure = cfg["BASE_URL"].startswith("https://")
    cfg["SESSION_COOKIE_SECURE"] = secure
    cfg["REMEMBER_COOKIE_SECURE"] = secure
    cfg["RATELIMIT_STORAGE_URI"] = cfg["REDIS_URL"] or "memory://"


def _flag(value):
    """A setting that is on or off: environment strings like "1", "true", "yes" mean on."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def database_uri(url):
    """Let plain postgresql:// URLs use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _development_secret_key(app):
    if app.config["MEDIENPASS_ENV"] == "production":
        raise RuntimeError(
            "SECRET_KEY is not set. In production the app refuses to start without it: "
            "set the SECRET_KEY environment variable or put it into instance/config.py."
        )
    # Generated once, so that sessions survive restarts of a development server. Created
    # exclusively and private from the start: two processes starting at once agree on one key.
    path = Path(app.instance_path) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(handle, "w") as key_file:
            key_file.write(secrets.token_hex(32))
    return path.read_text().strip()
