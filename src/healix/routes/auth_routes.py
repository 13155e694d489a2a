"""Accounts and sign-in: registration, tokens, password change and password reset.

Registration, login and both password-reset endpoints are rate-limited per IP
(middleware/rate_limit.py).
"""

from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from healix.config import current_settings
from healix.controllers import auth_controller, password_reset_controller
from healix.controllers.auth_controller import IssuedTokens, SignIn
from healix.extensions import db
from healix.middleware.auth_middleware import (
    auth_required,
    current_actor,
    current_jti,
    current_session_id,
)
from healix.routes import BEARER, ERRORS, JsonResponse, NoContent, dump, no_content
from healix.schemas.account import (
    PasswordResetAccepted,
    PasswordResetConfirm,
    PasswordResetRequest,
)
from healix.schemas.auth import (
    AuthResponse,
    ChangePasswordRequest,
    LoginRequest,
    RegisterRequest,
    TokenPair,
)
from healix.schemas.common import Problem
from healix.schemas.user import UserRead

TAG = Tag(
    name="Auth",
    description="Registration (patients only), sign-in with email and password, token "
    "refresh and logout, password change and reset. Access tokens last 15 minutes; send "
    "them as `Authorization: Bearer <token>`.",
)
bp = APIBlueprint("auth", __name__, url_prefix="/api/auth", abp_tags=[TAG])


def _tokens(tokens: IssuedTokens) -> TokenPair:
    return TokenPair(
        access_token=tokens.access_token,
        refresh_token=tokens.refresh_token,
        expires_in=tokens.expires_in,
    )


def _signed_in(sign_in: SignIn, status: int = 200) -> JsonResponse:
    return dump(
        AuthResponse(
            **_tokens(sign_in.tokens).model_dump(), user=UserRead.model_validate(sign_in.user)
        ),
        status,
    )


@bp.post("/register", responses={201: AuthResponse, 409: Problem, 422: Problem, 429: Problem})
def register(body: RegisterRequest) -> JsonResponse:
    """Create a patient account and sign in."""
    sign_in = auth_controller.register(db.session(), data=body, settings=current_settings())
    return _signed_in(sign_in, 201)


@bp.post("/login", responses={200: AuthResponse, 401: Problem, 403: Problem, 429: Problem})
def login(body: LoginRequest) -> JsonResponse:
    """Sign in with email and password."""
    sign_in = auth_controller.login(db.session(), data=body, settings=current_settings())
    return _signed_in(sign_in)


@bp.post("/refresh", responses={200: TokenPair, 401: Problem}, security=BEARER)
@auth_required(refresh=True)
def refresh() -> JsonResponse:
    """Exchange a refresh token (as Bearer) for a new access and refresh token."""
    tokens = auth_controller.refresh(
        db.session(),
        user=current_actor(),
        session_id=current_session_id(),
        jti=current_jti(),
        settings=current_settings(),
    )
    return dump(_tokens(tokens))


@bp.post("/logout", responses={204: None, 401: Problem}, security=BEARER)
@auth_required()
def logout() -> NoContent:
    """End this session: its refresh token and access tokens stop working at once."""
    auth_controller.logout(db.session(), actor=current_actor(), session_id=current_session_id())
    return no_content()


@bp.get("/me", responses={200: UserRead, **ERRORS}, security=BEARER)
@auth_required()
def me() -> JsonResponse:
    """The signed-in user."""
    return dump(UserRead.model_validate(current_actor()))


@bp.post("/change-password", responses={204: None, **ERRORS}, security=BEARER)
@auth_required()
def change_password(body: ChangePasswordRequest) -> NoContent:
    """Change your password; your other sessions are signed out."""
    auth_controller.change_password(
        db.session(),
        actor=current_actor(),
        session_id=current_session_id(),
        data=body,
        settings=current_settings(),
    )
    return no_content()


@bp.post(
    "/password-reset/request", responses={202: PasswordResetAccepted, 422: Problem, 429: Problem}
)
def request_password_reset(body: PasswordResetRequest) -> JsonResponse:
    """Mail a one-time reset token; the answer is the same whether or not the email exists."""
    password_reset_controller.request_reset(
        db.session(), email=body.email, settings=current_settings()
    )
    return dump(PasswordResetAccepted(message=password_reset_controller.RESET_ACCEPTED), 202)


@bp.post(
    "/password-reset/confirm",
    responses={204: None, 400: Problem, 410: Problem, 422: Problem, 429: Problem},
)
def confirm_password_reset(body: PasswordResetConfirm) -> NoContent:
    """Set a new password with a reset or invite token; every session of the account ends."""
    password_reset_controller.confirm_reset(
        db.session(), token=body.token, new_password=body.new_password, settings=current_settings()
    )
    return no_content()
