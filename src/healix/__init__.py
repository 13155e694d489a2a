"""Healix: the backend of a personal-health platform.

`create_app()` builds the Flask application: settings, extensions, middleware, blueprints
and the OpenAPI document (served at /api/openapi.json, docs at /api/docs).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from flask import redirect
from flask_openapi3.models.info import Info
from flask_openapi3.models.security_scheme import SecurityScheme
from werkzeug.wrappers import Response

from healix.config import Settings, get_settings

__version__ = "0.1.0"

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


def _flask_config(settings: Settings) -> dict[str, object]:
    return {
        "SQLALCHEMY_DATABASE_URI": settings.effective_database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_recycle": 1800},
        "JWT_SECRET_KEY": settings.jwt_secret(),
        "JWT_ALGORITHM": "HS256",
        "JWT_DECODE_ALGORITHMS": ["HS256"],
        "JWT_TOKEN_LOCATION": ["headers"],
        # the web app's refresh cookie (middleware/browser_session.py checks Origin and a header)
        "JWT_REFRESH_COOKIE_NAME": "healix_refresh",
        "JWT_COOKIE_CSRF_PROTECT": False,
        "JWT_ACCESS_TOKEN_EXPIRES": timedelta(minutes=settings.access_token_minutes),
        "JWT_REFRESH_TOKEN_EXPIRES": timedelta(days=settings.refresh_token_days),
        "MAX_CONTENT_LENGTH": settings.max_content_length,
        "TESTING": settings.is_testing,
    }


if TYPE_CHECKING:
    from healix.routes.openapi import HealixAPI


def _docs_redirect() -> Response:
    return redirect("/api/swagger")


def create_app(settings: Settings | None = None) -> HealixAPI:
    """Build the Healix application (Flask's app factory)."""
    from healix import cli
    from healix import db as db_setup
    from healix.extensions import cors, db, jwt, migrate
    from healix.middleware import auth_middleware  # noqa: F401  (registers JWT callbacks)
    from healix.middleware.error_handler import register_error_handlers, validation_problem
    from healix.middleware.rate_limit import install_rate_limits
    from healix.middleware.request_lifecycle import register_request_lifecycle
    from healix.routes.openapi import DESCRIPTION, HealixAPI
    from healix.routes.registry import register_blueprints
    from healix.routes.web_app_routes import register_web_app
    from healix.tasks import init_celery
    from healix.utils.fast_json import OrjsonProvider
    from healix.utils.logging import configure_logging

    settings = settings or get_settings()
    settings.instance_path.mkdir(parents=True, exist_ok=True)
    configure_logging(settings.log_level)

    app = HealixAPI(
        __name__,
        info=Info(title="Healix API", version=__version__, description=DESCRIPTION),
        security_schemes={
            "bearerAuth": SecurityScheme(type="http", scheme="bearer", bearerFormat="JWT"),
            "deviceKey": SecurityScheme.model_validate(
                {"type": "apiKey", "name": "X-Device-Key", "in": "header"}
            ),
            # the web app's refresh token; only with `X-Healix-Client: web` and a same-site Origin
            "refreshCookie": SecurityScheme.model_validate(
                {"type": "apiKey", "name": "healix_refresh", "in": "cookie"}
            ),
        },
        doc_prefix="/api",
        doc_url="/openapi.json",
        validation_error_callback=validation_problem,
        instance_path=str(settings.instance_path.resolve()),
    )
    app.json = OrjsonProvider(app)
    app.config.update(_flask_config(settings))
    app.extensions["healix_settings"] = settings

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    jwt.init_app(app)
    cors.init_app(app, resources={r"/api/*": {"origins": settings.cors_origins}})
    with app.app_context():
        db_setup.configure_engine(db.engine)

    init_celery(app, settings)
    register_request_lifecycle(app)
    register_error_handlers(app)
    register_blueprints(app)
    install_rate_limits(app, settings)
    app.add_url_rule("/api/docs", "api_docs", _docs_redirect)
    register_web_app(app)
    cli.register(app)
    return app
