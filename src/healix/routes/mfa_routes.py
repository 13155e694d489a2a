"""Your own two-factor sign-in (TOTP): status, setup, confirmation with a first code, and
turning it off. Signing in with a code is `POST /api/auth/login/mfa` (auth_routes)."""

from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from healix.config import current_settings
from healix.controllers import mfa_controller
from healix.extensions import db
from healix.middleware.auth_middleware import auth_required, current_actor
from healix.routes import BEARER, WITH_CONFLICT, JsonResponse, NoContent, dump, no_content
from healix.schemas.mfa import (
    MfaCode,
    MfaDisable,
    MfaRecoveryCodes,
    MfaSetupRead,
    MfaStatusRead,
)

TAG = Tag(
    name="Two-factor sign-in",
    description="A time-based code (TOTP, RFC 6238) from an authenticator app as the second "
    "sign-in factor, with ten single-use recovery codes. Required for providers and admins "
    "when `MFA_REQUIRED` is on (the default in production).",
)
bp = APIBlueprint("mfa", __name__, url_prefix="/api/auth/mfa", abp_tags=[TAG])


@bp.get("", responses={200: MfaStatusRead, **WITH_CONFLICT}, security=BEARER)
@auth_required()
def get_mfa() -> JsonResponse:
    """Whether your account signs in with a second factor."""
    state = mfa_controller.status(db.session(), user=current_actor(), settings=current_settings())
    return dump(MfaStatusRead.model_validate(state))


@bp.post("/setup", responses={200: MfaSetupRead, **WITH_CONFLICT}, security=BEARER)
@auth_required()
def setup_mfa() -> JsonResponse:
    """Start setting up two-factor sign-in: a new secret and its `otpauth://` URI."""
    enrolment = mfa_controller.start_enrolment(
        db.session(), user=current_actor(), settings=current_settings()
    )
    return dump(MfaSetupRead(secret=enrolment.secret, otpauth_uri=enrolment.otpauth_uri))


@bp.post("/confirm", responses={200: MfaRecoveryCodes, **WITH_CONFLICT}, security=BEARER)
@auth_required()
def confirm_mfa(body: MfaCode) -> JsonResponse:
    """Turn two-factor sign-in on with a first code; returns the recovery codes (once)."""
    codes = mfa_controller.confirm_enrolment(db.session(), user=current_actor(), code=body.code)
    return dump(MfaRecoveryCodes(recovery_codes=codes))


@bp.post("/disable", responses={204: None, **WITH_CONFLICT}, security=BEARER)
@auth_required()
def disable_mfa(body: MfaDisable) -> NoContent:
    """Turn two-factor sign-in off with your password and a code (409 if your role needs it)."""
    mfa_controller.disable(
        db.session(),
        user=current_actor(),
        password=body.password,
        code=body.code,
        settings=current_settings(),
    )
    return no_content()
