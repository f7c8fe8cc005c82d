"""The Medienpass application: create_app builds it from its configuration."""

import logging
import os

from flask import Flask

from config import ROOT, load_config


def create_app(config=None):
    """Build the app; config (a dict) overrides instance/config.py and the environment."""
    instance_path = (config or {}).get("INSTANCE_PATH") or os.environ.get(
        "MEDIENPASS_INSTANCE", str(ROOT / "instance")
    )
    app = Flask(
        __name__,
        instance_path=instance_path,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    os.makedirs(app.instance_path, exist_ok=True)
    load_config(app, config)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    # WeasyPrint reports every rendering step at INFO; its warnings still show.
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

    _init_extensions(app)
    _register_blueprints(app)
    _register_cli(app)

    from app import i18n
    from app.errors import register_error_pages
    from app.security import add_security_headers

    i18n.register(app)
    register_error_pages(app)
    app.after_request(add_security_headers)
    if app.config["PROXY_FIX"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_FIX"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    return app


def _init_extensions(app):
    from app import i18n
    from app.accounts.auth import init_login_limits, load_user
    from app.extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    init_login_limits(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)
    from flask_babel import lazy_gettext

    login_manager.login_message = lazy_gettext("Please log in to see this page.")


def _register_blueprints(app):
    from app.accounts import (
        admin_views,
        settings_views,  # noqa: F401  (routes join the admin blueprint)
    )
    from app.accounts import views as accounts_views
    from app.main import views as main_views

    app.register_blueprint(main_views.bp)
    app.register_blueprint(accounts_views.bp)
    app.register_blueprint(admin_views.bp)
    app.register_blueprint(admin_views.hr)
    from app.frameworks import (  # noqa: F401  (routes join the blueprint)
        editor_views,
        people_views,
        profile_views,
    )
    from app.frameworks import views as framework_views

    app.register_blueprint(framework_views.bp)
    from app.courses import (  # noqa: F401  (routes join bp)
        builder_views,
        compliance_views,  # noqa: F401  (routes join the blueprint)
        coverage_views,
        mapping_views,
        notification_views,
    )
    from app.courses import views as course_views

    app.register_blueprint(course_views.bp)
    from app.assessments import (
        question_views,  # noqa: F401  (routes join the blueprint)
        quiz_builder_views,  # noqa: F401  (routes join the blueprint)
        quiz_views,  # noqa: F401  (routes join the blueprint)
        survey_views,  # noqa: F401  (routes join bp)
    )
    from app.assessments import views as assessment_views

    app.register_blueprint(assessment_views.bp)
    from app.mediapass import views as pass_views

    app.register_blueprint(pass_views.bp)
    from app.mediapass import report_views

    app.register_blueprint(report_views.bp)
    from app.privacy import views as privacy_views

    app.register_blueprint(privacy_views.bp)
    from app.projects import views as project_views

    app.register_blueprint(project_views.bp)
    from app.council import views as council_views

    app.register_blueprint(council_views.bp)
    _connect_signals()

    from app.navigation import inject_navigation

    app.context_processor(inject_navigation)


def _connect_signals():
    from app.accounts.signals import membership_changed
    from app.courses.assignments import on_membership_changed

    # Weak references would drop a receiver defined in a function; these are module-level.
    membership_changed.connect(on_membership_changed)


def _register_cli(app):
    from app.accounts.cli import accounts_cli
    from app.assessments.cli import questions_cli
    from app.courses.cli import courses_cli
    from app.frameworks.cli import frameworks_cli
    from app.mediapass.cli import passes_cli
    from app.privacy.cli import privacy_cli
    from app.projects.cli import projects_cli
    from app.seed import seed_cli

    app.cli.add_command(accounts_cli)
    app.cli.add_command(questions_cli)
    app.cli.add_command(courses_cli)
    app.cli.add_command(frameworks_cli)
    app.cli.add_command(passes_cli)
    app.cli.add_command(privacy_cli)
    app.cli.add_command(projects_cli)
    app.cli.add_command(seed_cli)
