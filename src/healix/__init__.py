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
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from healix.config import Settings, get_settings

__version__ = "0.1.0"

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


def _engine_options(settings: Settings) -> dict[str, object]:
    """Connection pool sized to the request threads: each holds at most its request's
    connection plus, briefly, one of its own (an export page, a refusal's audit row)."""
    url = settings.effective_database_url
    options: dict[str, object] = {"pool_recycle": 1800}
    if url.startswith("sqlite") and (":memory:" in url or url.rstrip("/") == "sqlite:"):
        return options
    options |= {
        "pool_size": settings.effective_db_pool_size,
        "max_overflow": settings.effective_db_pool_size,
        "pool_timeout": settings.db_pool_timeout_seconds,
    }
    if url.startswith("postgresql"):
        # an unreachable server answers 503 within seconds instead of hanging the thread
        options["connect_args"] = {"connect_timeout": 5}
    return options


def _flask_config(settings: Settings) -> dict[str, object]:
    return {
        "SQLALCHEMY_DATABASE_URI": settings.effective_database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": _engine_options(settings),
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
    from healix.middleware.observability import register_observability
    from healix.middleware.rate_limit import install_rate_limits
    from healix.middleware.request_lifecycle import register_request_lifecycle
    from healix.routes.openapi import DESCRIPTION, HealixAPI
    from healix.routes.registry import register_blueprints
    from healix.routes.web_app_routes import register_web_app
    from healix.tasks import init_celery
    from healix.utils.fast_json import OrjsonProvider
    from healix.utils.logging import configure_logging
    from healix.utils.pagination import set_cursor_key

    settings = settings or get_settings()
    db_setup.private_instance_files(settings.instance_path, settings.effective_database_url)
    configure_logging(settings.log_level, settings.log_format)

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
            # the Prometheus scraper's token (METRICS_TOKEN), not a user's
            "metricsToken": SecurityScheme(type="http", scheme="bearer"),
        },
        doc_prefix="/api",
        doc_url="/openapi.json",
        validation_error_callback=validation_problem,
        instance_path=str(settings.instance_path.resolve()),
    )
    app.json = OrjsonProvider(app)
    app.config.update(_flask_config(settings))
    app.extensions["healix_settings"] = settings
    set_cursor_key(settings.jwt_secret())

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    jwt.init_app(app)
    cors.init_app(app, resources={r"/api/*": {"origins": settings.cors_origins}})
    with app.app_context():
        db_setup.configure_engine(db.engine)

    init_celery(app, settings)
    # before the unit of work: its after-request function then runs after the commit
    register_observability(app, settings)
    register_request_lifecycle(app)
    register_error_handlers(app)
    register_blueprints(app)
    install_rate_limits(app, settings)
    app.add_url_rule("/api/docs", "api_docs", _docs_redirect)
    register_web_app(app)
    cli.register(app)
    _trust_proxies(app, settings.trusted_proxies)
    return app


def _trust_proxies(app: HealixAPI, hops: int) -> None:
    """Believe X-Forwarded-For/-Proto from `hops` proxies in front of the app (none by default),
    so audit rows, rate limits and the lockout see the client, and nobody can spoof it."""
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
