"""Password reset and first-password (invite) tokens. Both endpoints are rate-limited per IP
(middleware/rate_limit.py)."""

from flask_openapi3 import APIBlueprint, Tag

from healix.config import current_settings
from healix.controllers import password_reset_controller
from healix.extensions import db
from healix.routes import dump, no_content
from healix.schemas.account import (
    PasswordResetAccepted,
    PasswordResetConfirm,
    PasswordResetRequest,
)
from healix.schemas.common import Problem

bp = APIBlueprint("password_reset", __name__, url_prefix="/api/auth", abp_tags=[Tag(name="Auth")])


@bp.post("/password-reset/request", responses={202: PasswordResetAccepted, 422: Problem})
def request_password_reset(body: PasswordResetRequest):
    """Mail a one-time reset token; the answer is the same whether or not the email exists."""
    password_reset_controller.request_reset(
        db.session, email=body.email, settings=current_settings()
    )
    return dump(PasswordResetAccepted(message=password_reset_controller.RESET_ACCEPTED), 202)


@bp.post(
    "/password-reset/confirm",
    responses={204: None, 400: Problem, 410: Problem, 422: Problem},
)
def confirm_password_reset(body: PasswordResetConfirm):
    """Set a new password with a reset or invite token; every session of the account ends."""
    password_reset_controller.confirm_reset(
        db.session, token=body.token, new_password=body.new_password, settings=current_settings()
    )
    return no_content()
