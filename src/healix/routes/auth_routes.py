"""Accounts and sign-in: registration, tokens, password change and password reset.

Registration, login and both password-reset endpoints are rate-limited per IP
(middleware/rate_limit.py).
"""

from flask import Response, make_response
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from healix.config import current_settings
from healix.controllers import (
    auth_controller,
    lockout,
    password_reset_controller,
    profile_controller,
    signup_controller,
)
from healix.controllers.auth_controller import IssuedTokens, MfaPending, SignIn
from healix.extensions import db
from healix.middleware import browser_session
from healix.middleware.auth_middleware import (
    auth_required,
    current_actor,
    current_jti,
    current_session_id,
)
from healix.models.user import User
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
    RegistrationAccepted,
    UnlockRequest,
    VerifyEmailRequest,
)
from healix.schemas.common import Problem
from healix.schemas.mfa import MfaChallenge, MfaChallengeRead, MfaLogin, MfaSetupRead
from healix.schemas.profile import ProfileRead
from healix.schemas.user import UserRead

TAG = Tag(
    name="Auth",
    description="Registration (patients only, confirmed by email), sign-in with email and password, token "
    "refresh and logout, password change and reset. Access tokens last 15 minutes; send "
    "them as `Authorization: Bearer <token>`.",
)
bp = APIBlueprint("auth", __name__, url_prefix="/api/auth", abp_tags=[TAG])


#: either a bearer refresh token, or (web app) the refresh cookie with the client header
REFRESH_SECURITY: list[dict[str, list[str]]] = [{"bearerAuth": []}, {"refreshCookie": []}]


def _signed_in(sign_in: SignIn) -> Response:
    """Tokens and the user's profile, so a client needs no second call to start. The web app
    gets its refresh token as the HttpOnly cookie, every other client in the body."""
    tokens: IssuedTokens = sign_in.tokens
    browser = browser_session.wants_browser_session()
    body = AuthResponse(
        access_token=tokens.access_token,
        refresh_token=None if browser else tokens.refresh_token,
        expires_in=tokens.expires_in,
        user=_profile(sign_in.user),
        recovery_codes=sign_in.recovery_codes,
    )
    response = make_response(dump(body))
    if browser:
        browser_session.set_refresh_cookie(response, tokens.refresh_token, current_settings())
    return response


def _profile(user: User) -> ProfileRead:
    view = profile_controller.get_own(db.session(), actor=user)
    return ProfileRead.of(view.user, view.profile)


def _check_browser_sign_in() -> None:
    if browser_session.wants_browser_session():
        browser_session.check_browser_request()


@bp.post("/register", responses={202: RegistrationAccepted, 422: Problem, 429: Problem})
def register(body: RegisterRequest) -> JsonResponse:
    """Create a patient account; its email gets a link to confirm the address.

    The answer is the same when the address already has an account (its owner is told by
    mail). Sign in with `/login` afterwards; with `EMAIL_VERIFICATION_REQUIRED` only once the
    link was followed."""
    signup_controller.register(db.session(), data=body, settings=current_settings())
    return dump(RegistrationAccepted(message=signup_controller.REGISTRATION_ACCEPTED), 202)


@bp.post("/verify-email", responses={204: None, 400: Problem, 410: Problem, 422: Problem})
def verify_email(body: VerifyEmailRequest) -> NoContent:
    """Confirm an account's email address with the token of its link."""
    signup_controller.verify_email(db.session(), token=body.token, settings=current_settings())
    return no_content()


@bp.post(
    "/login",
    responses={200: AuthResponse, 202: MfaChallengeRead, 401: Problem, 403: Problem, 429: Problem},
)
def login(body: LoginRequest) -> Response | JsonResponse:
    """Sign in with email and password.

    An account with two-factor sign-in (or one that must set it up) gets 202 with an
    `mfa_token` instead of tokens: send it with a code to `POST /api/auth/login/mfa`.
    With `X-Healix-Client: web` (the web app) the refresh token is set as the HttpOnly cookie
    `healix_refresh` instead and `refresh_token` is null (see docs/web.md)."""
    _check_browser_sign_in()
    outcome = auth_controller.login(db.session(), data=body, settings=current_settings())
    if isinstance(outcome, MfaPending):
        challenge = MfaChallengeRead(
            mfa_token=outcome.token,
            expires_in=outcome.expires_in,
            enrolment_required=outcome.enrolment_required,
        )
        return dump(challenge, 202)
    return _signed_in(outcome)


@bp.post(
    "/login/mfa",
    responses={
        200: AuthResponse,
        401: Problem,
        403: Problem,
        409: Problem,
        422: Problem,
        429: Problem,
    },
)
def login_mfa(body: MfaLogin) -> Response:
    """Finish a sign-in with the `mfa_token` of `/login` and a TOTP or recovery code.

    A wrong code counts towards the sign-in lockout. When the account was setting up
    two-factor sign-in, the code confirms it and the answer carries its `recovery_codes`."""
    _check_browser_sign_in()
    sign_in = auth_controller.login_with_code(
        db.session(), token=body.mfa_token, code=body.code, settings=current_settings()
    )
    return _signed_in(sign_in)


@bp.post(
    "/login/mfa/setup",
    responses={
        200: MfaSetupRead,
        401: Problem,
        403: Problem,
        409: Problem,
        422: Problem,
        429: Problem,
    },
)
def login_mfa_setup(body: MfaChallenge) -> JsonResponse:
    """Set up two-factor sign-in during a sign-in that requires it (`enrolment_required`)."""
    enrolment = auth_controller.start_enrolment_at_login(
        db.session(), token=body.mfa_token, settings=current_settings()
    )
    return dump(MfaSetupRead(secret=enrolment.secret, otpauth_uri=enrolment.otpauth_uri))


@bp.post(
    "/refresh", responses={200: AuthResponse, 401: Problem, 403: Problem}, security=REFRESH_SECURITY
)
@auth_required(refresh=True, browser_cookie=True)
def refresh() -> Response:
    """Exchange a refresh token for new tokens (and the user's profile).

    Bearer clients send the refresh token as the Bearer token. The web app sends no
    Authorization header: its `healix_refresh` cookie is accepted with `X-Healix-Client: web`
    and an Origin of this site (403 otherwise); the new refresh token replaces the cookie."""
    user = current_actor()
    tokens = auth_controller.refresh(
        db.session(),
        user=user,
        session_id=current_session_id(),
        jti=current_jti(),
        settings=current_settings(),
    )
    return _signed_in(SignIn(user=user, tokens=tokens))


@bp.post("/logout", responses={204: None, 401: Problem, 403: Problem}, security=REFRESH_SECURITY)
@auth_required(browser_cookie=True)
def logout() -> Response:
    """End this session: its refresh token and access tokens stop working at once.

    The web app may authenticate with its refresh cookie instead of a bearer token (same
    checks as for refresh); the cookie is cleared."""
    auth_controller.logout(db.session(), actor=current_actor(), session_id=current_session_id())
    response = make_response(no_content())
    if browser_session.wants_browser_session():
        browser_session.clear_refresh_cookie(response, current_settings())
    return response


@bp.get("/me", responses={200: UserRead, **ERRORS}, security=BEARER)
@auth_required()
def me() -> JsonResponse:
    """The signed-in user."""
    return dump(UserRead.model_validate(current_actor()))


@bp.post("/change-password", responses={204: None, **ERRORS, 429: Problem}, security=BEARER)
@auth_required()
def change_password(body: ChangePasswordRequest) -> NoContent:
    """Change your password; your other sessions are signed out.

    Wrong current passwords count towards the sign-in lockout (429 while it lasts)."""
    auth_controller.change_password(
        db.session(),
        actor=current_actor(),
        session_id=current_session_id(),
        data=body,
        settings=current_settings(),
    )
    return no_content()


@bp.post("/unlock", responses={204: None, 400: Problem, 410: Problem, 422: Problem})
def unlock_account(body: UnlockRequest) -> NoContent:
    """Unlock an account with the token of its unlock email: earlier failed sign-ins stop counting.

    The link is mailed to the owner once when wrong passwords from many addresses locked the
    account; it works once."""
    lockout.unlock(db.session(), token=body.token, settings=current_settings())
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
