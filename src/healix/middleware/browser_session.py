"""Browser sessions: the refresh token in an HttpOnly cookie instead of the response body.

A request opts in with the header `X-Healix-Client: web` on sign-in (login, register). The
answer then carries the access token only, and the refresh token travels in the cookie
`healix_refresh`: HttpOnly (page scripts cannot read it), SameSite=Strict, Path=/api/auth,
and Secure everywhere except plain-http localhost outside production.

The cookie authenticates only `/api/auth/refresh` and `/api/auth/logout`, and only when the
request also carries that header (a cross-site form or image cannot add it, and a cross-site
script cannot without a CORS preflight Healix refuses) and an `Origin` of this site. Requests
with an `Authorization` header are bearer requests and behave exactly as before.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Response, request

from healix.audit.events import AuditAction, ResourceType
from healix.audit.logger import PendingAuditEvent
from healix.config import Settings, current_settings
from healix.config.settings import Environment
from healix.exceptions import Forbidden

CLIENT_HEADER = "X-Healix-Client"
CLIENT_VALUE = "web"
REFRESH_COOKIE = "healix_refresh"
COOKIE_PATH = "/api/auth"
_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def wants_browser_session() -> bool:
    """The web app's requests carry the client header."""
    return request.headers.get(CLIENT_HEADER) == CLIENT_VALUE


def uses_refresh_cookie() -> bool:
    """A request authenticated by the refresh cookie (no bearer token sent)."""
    return "Authorization" not in request.headers and REFRESH_COOKIE in request.cookies


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _allowed_origins(settings: Settings) -> set[str]:
    origins = {_origin_of(request.host_url)}
    if settings.app_base_url:
        origins.add(_origin_of(settings.app_base_url))
    return origins


def check_browser_request() -> None:
    """Refuse (403) a cookie request without the client header or from another site."""
    origin = request.headers.get("Origin", "")
    reason = None
    if not wants_browser_session():
        reason = "client_header"
    elif not origin or origin.lower() not in _allowed_origins(current_settings()):
        reason = "origin"
    if reason is None:
        return
    raise Forbidden(
        f"Session cookies are accepted only from the Healix web app "
        f"(same-site Origin and the {CLIENT_HEADER} header)."
    ).persist_despite_failure(
        PendingAuditEvent(
            action=AuditAction.ACCESS_DENIED,
            resource_type=ResourceType.SESSION,
            details={"reason": reason, "path": request.path},
        )
    )


def cookie_is_secure(settings: Settings) -> bool:
    """Secure, except over plain http to this machine outside production (development)."""
    if settings.healix_env == Environment.PRODUCTION or request.scheme == "https":
        return True
    host = (urlsplit(request.host_url).hostname or "").lower()
    return host not in _LOOPBACK_HOSTS


def set_refresh_cookie(response: Response, refresh_token: str, settings: Settings) -> None:
    response.set_cookie(
        REFRESH_COOKIE,
        refresh_token,
        max_age=settings.refresh_token_days * 24 * 3600,
        path=COOKIE_PATH,
        secure=cookie_is_secure(settings),
        httponly=True,
        samesite="Strict",
    )


def clear_refresh_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        REFRESH_COOKIE,
        path=COOKIE_PATH,
        secure=cookie_is_secure(settings),
        httponly=True,
        samesite="Strict",
    )
