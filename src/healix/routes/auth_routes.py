"""Accounts and sign-in."""

from flask import Response, make_response
from flask_openapi3 import APIBlueprint, Tag

from healix.config import current_settings
from healix.controllers import auth_controller, profile_controller
from healix.extensions import db
from healix.middleware import browser_session
from healix.middleware.auth_middleware import (
    auth_required,
    current_actor,
    current_claims,
    current_session_id,
)
from healix.routes import BEARER, ERRORS, dump, no_content
from healix.schemas.auth import (
    AuthResponse,
    ChangePasswordRequest,
    LoginRequest,
    RegisterRequest,
    TokenPair,
)
from healix.schemas.common import Problem
from healix.schemas.user import UserRead

bp = APIBlueprint("auth", __name__, url_prefix="/api/auth", abp_tags=[Tag(name="Auth")])


#: either a bearer refresh token, or (web app) the refresh cookie with the client header
REFRESH_SECURITY = [{"bearerAuth": []}, {"refreshCookie": []}]


def _tokens_response(body: TokenPair, refresh_token: str, status: int = 200) -> Response:
    """The web app gets its refresh token as the HttpOnly cookie; others in the body."""
    browser = browser_session.wants_browser_session()
    if not browser:
        body.refresh_token = refresh_token
    response = make_response(dump(body, status))
    if browser:
        browser_session.set_refresh_cookie(response, refresh_token, current_settings())
    return response


def _auth_response(user, tokens, status: int = 200) -> Response:
    """Tokens and the user's profile, so a client needs no second call to start."""
    body = AuthResponse(
        access_token=tokens.access_token,
        expires_in=tokens.expires_in,
        user=profile_controller.get_own(db.session, actor=user),
    )
    return _tokens_response(body, tokens.refresh_token, status)


def _check_browser_sign_in() -> None:
    if browser_session.wants_browser_session():
        browser_session.check_browser_request()


@bp.post("/register", responses={201: AuthResponse, 409: Problem, 422: Problem})
def register(body: RegisterRequest):
    """Create a patient account and sign in.

    With `X-Healix-Client: web` (the web app) the refresh token is set as the HttpOnly cookie
    `healix_refresh` and `refresh_token` is null."""
    _check_browser_sign_in()
    user, tokens = auth_controller.register(db.session, data=body, settings=current_settings())
    return _auth_response(user, tokens, 201)


@bp.post("/login", responses={200: AuthResponse, 401: Problem, 403: Problem, 429: Problem})
def login(body: LoginRequest):
    """Sign in with email and password.

    With `X-Healix-Client: web` (the web app) the refresh token is set as the HttpOnly cookie
    `healix_refresh` and `refresh_token` is null."""
    _check_browser_sign_in()
    user, tokens = auth_controller.login(db.session, data=body, settings=current_settings())
    return _auth_response(user, tokens)


@bp.post(
    "/refresh", responses={200: TokenPair, 401: Problem, 403: Problem}, security=REFRESH_SECURITY
)
@auth_required(refresh=True, browser_cookie=True)
def refresh():
    """Exchange a refresh token for new tokens (and the user's profile).

    Bearer clients send the refresh token as the Bearer token. The web app sends no
    Authorization header: its `healix_refresh` cookie is accepted with `X-Healix-Client: web`
    and an Origin of this site (403 otherwise); the new refresh token replaces the cookie."""
    tokens = auth_controller.refresh(
        db.session,
        user=current_actor(),
        session_id=current_session_id(),
        jti=current_claims()["jti"],
        settings=current_settings(),
    )
    return _auth_response(current_actor(), tokens)


@bp.post(
    "/logout",
    responses={204: None, 401: Problem, 403: Problem},
    security=REFRESH_SECURITY,
)
@auth_required(browser_cookie=True)
def logout():
    """End this session: its refresh token and access tokens stop working at once.

    The web app may authenticate with its refresh cookie instead of a bearer token (same
    checks as for refresh); the cookie is cleared."""
    auth_controller.logout(db.session, actor=current_actor(), session_id=current_session_id())
    response = make_response(no_content())
    if browser_session.wants_browser_session():
        browser_session.clear_refresh_cookie(response, current_settings())
    return response


@bp.get("/me", responses={200: UserRead, **ERRORS}, security=BEARER)
@auth_required()
def me():
    """The signed-in user."""
    return dump(UserRead.model_validate(current_actor()))


@bp.post("/change-password", responses={204: None, **ERRORS}, security=BEARER)
@auth_required()
def change_password(body: ChangePasswordRequest):
    """Change your password; your other sessions are signed out."""
    auth_controller.change_password(
        db.session,
        actor=current_actor(),
        session_id=current_session_id(),
        data=body,
        settings=current_settings(),
    )
    return no_content()
