"""Browser fixtures: the app served on a live port, one Chromium per session, a fresh browser
context per test, console watching (no Content-Security-Policy violation may occur) and
screenshots under test-output/e2e/<sqlite|postgresql>/."""

import os
import re
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext
from flask_migrate import upgrade
from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import make_server

from app.extensions import db, limiter
from app.seed import seed_accounts
from tests.conftest import make_app
from tests.databases import kind, temporary_database

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-output" / "e2e"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TIMEOUT_MS = 10_000
DESKTOP = {"width": 1280, "height": 800}

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def live_app():
    """A separate app on its own migrated database holding the demo company."""
    with (
        temporary_database("e2e") as url,
        tempfile.TemporaryDirectory(prefix="medienpass-e2e-") as instance,
    ):
        app = make_app(url, instance)
        with app.app_context():
            upgrade()
            seed_accounts()
            db.session.commit()
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(live_app):
    """The base URL of the app, served by Werkzeug in a daemon thread on a free port."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture(autouse=True)
def _fresh_rate_limits(live_app):
    """Failed logins of one test must not lock out the next (the limiter lives in memory)."""
    with live_app.app_context():
        limiter.reset()
        live_app.extensions["medienpass_login_limits"].storage.reset()


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make chromium` or set CHROMIUM=/path/to/it"
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            headless=True, executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@dataclass(frozen=True)
class ConsoleMessage:
    url: str  # the page
    type: str
    text: str
    source: str = ""  # the script or resource the message is about, when known

    def __str__(self):
        source = f" ({self.source})" if self.source and self.source != self.url else ""
        return f"[{self.type}] {self.url}{source}: {self.text}"


class Console:
    """Everything the pages of a test wrote to the browser console, and uncaught errors."""

    def __init__(self):
        self.messages = []

    def watch(self, context):
        context.on("console", self._on_console)
        context.on("weberror", self._on_error)

    def _on_console(self, message):
        source = (message.location or {}).get("url", "")
        url = message.page.url if message.page else source
        self.messages.append(ConsoleMessage(url, message.type, message.text, source))

    def _on_error(self, web_error):
        url = web_error.page.url if web_error.page else ""
        self.messages.append(ConsoleMessage(url, "pageerror", str(web_error.error)))

    def errors(self):
        return [m for m in self.messages if m.type in ("error", "pageerror")]

    def csp_violations(self):
        return [m for m in self.messages if "content security policy" in m.text.lower()]


@pytest.fixture()
def console():
    return Console()


@pytest.fixture()
def new_page(browser, live_server, console):
    """new_page(locale="en-US", viewport=...): a page in a browser context of its own.

    Every context is watched; at the end of the test no page may have reported a
    Content-Security-Policy violation."""
    contexts = []

    def open_page(locale="de-DE", **options):
        options.setdefault("viewport", DESKTOP)
        context = browser.new_context(base_url=live_server, locale=locale, **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        console.watch(context)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
    violations = console.csp_violations()
    assert not violations, "CSP violations:\n" + "\n".join(map(str, violations))


@pytest.fixture()
def page(new_page):
    """A page in a fresh German (de-DE) desktop browser context."""
    return new_page()


@pytest.fixture()
def screenshot(request):
    """screenshot(page, "step") saves test-output/e2e/<kind>/<test-name>-<step>.png."""
    folder = SCREENSHOTS / kind()
    test_name = re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")

    def save(page, step, full_page=True):
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{test_name}-{step}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return save


@pytest.fixture()
def translate(live_app):
    """translate("Department") -> the app's German text for a msgid outside the glossary."""

    def translate_(msgid, locale="de"):
        with live_app.test_request_context(), force_locale(locale):
            return gettext(msgid)

    return translate_
