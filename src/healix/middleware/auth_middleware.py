"""Token verification (Flask-JWT-Extended) and the current actor.

Tokens are HS256-signed JWTs with `sub` (user id), `sid` (the sign-in session), `jti`,
`iat`, `exp` and `type` (access|refresh). On each request the session row and the user are
read from the database: a logout, a revoked session, a role change or a deactivation takes
effect at once in every worker process.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection
from datetime import datetime
from functools import cache, wraps
from typing import Any, TypeVar

from flask import Response, g
from flask_jwt_extended import get_current_user, get_jwt, verify_jwt_in_request
from flask_openapi3.request import validate_request
from sqlalchemy import Select, bindparam, select

from healix.audit.logger import ActorRef
from healix.exceptions import Forbidden
from healix.extensions import db, jwt
from healix.middleware import browser_session
from healix.middleware.error_handler import problem_response
from healix.models.user import User
from healix.models.user_session import UserSession
from healix.utils.time import utcnow

F = TypeVar("F", bound=Callable[..., Any])


def _unauthorized(detail: str) -> Response:
    return problem_response(
        401,
        "Unauthorized",
        detail=detail,
        type_slug="unauthorized",
        headers={"WWW-Authenticate": "Bearer"},
    )


def _parse_uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


@cache
def _session_user_query() -> Select[User, datetime | None, datetime]:
    """Built once (the ids are bound per request): a session's user and its end times."""
    return (
        select(User, UserSession.revoked_at, UserSession.expires_at)
        .join(UserSession, UserSession.user_id == User.id)
        .where(
            UserSession.id == bindparam("session_id", type_=UserSession.id.type),
            User.id == bindparam("user_id", type_=User.id.type),
        )
    )


def load_session(claims: dict[str, Any]) -> User | None:
    """The user of the live sign-in session a token belongs to, or None if the session was
    revoked or has expired. One query authenticates a request."""
    session_id = _parse_uuid(claims.get("sid"))
    user_id = _parse_uuid(claims.get("sub"))
    if session_id is None or user_id is None:
        return None
    row = db.session.execute(
        _session_user_query(), {"session_id": session_id, "user_id": user_id}
    ).first()
    if row is None:
        return None
    user, revoked_at, expires_at = row
    if revoked_at is not None or expires_at <= utcnow():
        return None
    return user


@jwt.token_in_blocklist_loader
def _token_revoked(_header: dict[str, Any], claims: dict[str, Any]) -> bool:
    user = load_session(claims)
    # kept for the user lookup that Flask-JWT-Extended makes next
    g.token_user = user
    return user is None


@jwt.user_lookup_loader
def _load_user(_header: dict[str, Any], _claims: dict[str, Any]) -> User | None:
    user: User | None = g.pop("token_user", None)
    if user is None or not user.is_active:
        return None
    return user


@jwt.user_identity_loader
def _identity(user: User) -> str:
    return str(user.id)


@jwt.expired_token_loader
def _expired(_header: dict[str, Any], _claims: dict[str, Any]) -> Response:
    return _unauthorized("The token has expired.")


@jwt.invalid_token_loader
def _invalid(reason: str) -> Response:
    return _unauthorized("The token is invalid.")


@jwt.unauthorized_loader
def _missing(reason: str) -> Response:
    return _unauthorized("A bearer token is required.")


@jwt.revoked_token_loader
def _revoked(_header: dict[str, Any], _claims: dict[str, Any]) -> Response:
    return _unauthorized("The session has ended; sign in again.")


@jwt.token_verification_loader
def _has_expiry(_header: dict[str, Any], claims: dict[str, Any]) -> bool:
    """A token without `exp` never expires: refused, however well signed."""
    return isinstance(claims.get("exp"), int | float) and not isinstance(claims["exp"], bool)


@jwt.token_verification_failed_loader
def _unverified(_header: dict[str, Any], _claims: dict[str, Any]) -> Response:
    return _unauthorized("The token is invalid.")


@jwt.user_lookup_error_loader
def _user_gone(_header: dict[str, Any], _claims: dict[str, Any]) -> Response:
    return _unauthorized("The account is not active.")


def validated_after(view: F) -> Callable[..., Any]:
    """`view` with its annotated path/query/body validated when it is called, not before.

    flask-openapi3 validates a view's parameters before any decorator runs; a view marked
    here is left alone by it, so authentication (and a role check) answers 401/403 before
    a malformed body could answer 422. Views that already validate themselves stay as they are.
    """
    if getattr(view, "__delay_validate_request__", False):
        return view
    validated: Callable[..., Any] = validate_request()(view)  # type: ignore[no-untyped-call]
    return validated


def auth_required(
    *, refresh: bool = False, roles: Collection[str] | None = None, browser_cookie: bool = False
) -> Callable[[F], F]:
    """Require a valid access token (or, with refresh=True, a refresh token), and with
    `roles` one of those roles (403 otherwise); the request is validated only then. With
    browser_cookie=True a request without a bearer token may present the web app's refresh
    cookie instead, after the browser-session checks (client header, same-site Origin)."""

    def decorator(view: F) -> F:
        validated = validated_after(view)

        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if browser_cookie and browser_session.uses_refresh_cookie():
                browser_session.check_browser_request()
                verify_jwt_in_request(refresh=True, locations=["cookies"])
            else:
                verify_jwt_in_request(refresh=refresh)
            actor: User = get_current_user()
            g.actor = actor
            # a plain copy for the error handler: the ORM object may be unusable after a rollback
            g.actor_ref = ActorRef.of(actor)
            if roles is not None and actor.role not in roles:
                raise Forbidden("Your role does not allow this action.")
            return validated(*args, **kwargs)

        # the roles a view admits, for the role x endpoint test (None: any signed-in user)
        wrapper.healix_roles = None if roles is None else frozenset(roles)  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorator


def current_actor() -> User:
    """The signed-in user of this request."""
    actor: User = g.actor
    return actor


def current_jti() -> str:
    """The `jti` claim of this request's token."""
    return str(get_jwt()["jti"])


def current_session_id() -> uuid.UUID:
    session_id = _parse_uuid(get_jwt().get("sid"))
    if session_id is None:  # pragma: no cover - the blocklist loader refused such tokens
        raise RuntimeError("token without a session id passed authentication")
    return session_id
