"""Rate limits on the endpoints that take passwords or codes or send mail (per client IP).

Counters live in `RATELIMIT_STORAGE_URL`: in memory for a single process, Redis when the
app runs as several gunicorn workers or hosts (limits must be shared, never per process;
production refuses per-process storage, see config/settings.py).
Per-account login lockout is separate and kept in the database (auth_controller).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from healix.config import Settings

if TYPE_CHECKING:
    from flask.typing import RouteCallable

RATE_LIMITED_ENDPOINTS = (
    "auth.register",
    "auth.login",
    "auth.login_mfa",
    "auth.login_mfa_setup",
    "auth.request_password_reset",
    "auth.confirm_password_reset",
    "auth.verify_email",
    "auth.unlock_account",
    # password re-checks of a signed-in user (they also count towards the account lockout)
    "auth.change_password",
    "users.delete_me",
    "mfa.disable_mfa",
)


def install_rate_limits(app: Flask, settings: Settings) -> Limiter:
    limiter = Limiter(
        get_remote_address,
        app=app,
        storage_uri=settings.ratelimit_storage_url,
        headers_enabled=True,
        enabled=settings.ratelimit_enabled,
        key_prefix="healix",
    )
    for endpoint in RATE_LIMITED_ENDPOINTS:
        view = app.view_functions.get(endpoint)
        if view is not None:
            app.view_functions[endpoint] = cast(
                "RouteCallable", limiter.limit(settings.ratelimit_auth)(view)
            )
    # the limit wrappers hold the limiter weakly; the app keeps it alive
    app.extensions["healix_limiter"] = limiter
    return limiter
