"""One-time password tokens: invitations (an admin-created account sets its first password)
and password resets. Only a token's SHA-256 is stored; the token itself travels only in
the mail body (and once, to the admin, in the invite response)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from healix.audit import logger as audit_logger
from healix.audit.events import AuditAction, ResourceType
from healix.config import Settings
from healix.controllers import auth_controller
from healix.db import changed_rows
from healix.exceptions import BadRequest, HealixError
from healix.models.password_reset_token import PasswordResetToken, PasswordTokenPurpose
from healix.models.user import User, UserStatus
from healix.utils import mailer
from healix.utils.hashing import new_token, sha256_hex
from healix.utils.time import utcnow

RESET_ACCEPTED = "If an active account uses this email, a reset token has been mailed to it."


class TokenGone(HealixError):
    """The token was valid once but is used up or expired."""

    status, title, type_slug = 410, "Gone", "token-gone"


@dataclass(frozen=True)
class IssuedPasswordToken:
    token: str
    expires_at: datetime


def issue_token(
    session: Session, *, user: User, purpose: PasswordTokenPurpose, settings: Settings
) -> IssuedPasswordToken:
    """Create a token for `user`; their earlier unused tokens stop working."""
    now = utcnow()
    session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=now)
    )
    token = new_token("hxp_")
    expires_at = now + timedelta(hours=settings.password_token_hours)
    session.add(
        PasswordResetToken(
            user_id=user.id,
            token_hash=sha256_hex(token),
            purpose=purpose,
            expires_at=expires_at,
        )
    )
    session.flush()
    return IssuedPasswordToken(token, expires_at)


def send_token_mail(
    session: Session,
    *,
    user: User,
    issued: IssuedPasswordToken,
    purpose: PasswordTokenPurpose,
    settings: Settings,
) -> None:
    if purpose == PasswordTokenPurpose.INVITE:
        subject = "Your Healix account is ready: set your password"
        intro = "An administrator created a Healix account for you."
    else:
        subject = "Reset your Healix password"
        intro = "Someone (hopefully you) asked to reset your Healix password."
    body = (
        f"Hello {user.first_name},\n\n{intro}\n"
        "Set your password with POST /api/auth/password-reset/confirm and this one-time token:\n\n"
        f"    {issued.token}\n\n"
        f"The token expires at {issued.expires_at.isoformat()} and works once.\n"
        "If you did not expect this message, ignore it.\n"
    )
    mailer.queue_mail(session, to=user.email, subject=subject, body=body, settings=settings)


def request_reset(session: Session, *, email: str, settings: Settings) -> None:
    """Mail a reset token to an active account; an unknown email gets the same answer."""
    user = auth_controller.find_user_by_email(session, email)
    if user is None or user.status != UserStatus.ACTIVE:
        audit_logger.record(
            session,
            AuditAction.AUTH_PASSWORD_RESET_REQUESTED,
            resource_type=ResourceType.LOGIN,
            resource_id=auth_controller.login_key(email, settings),
            details={"account": "unknown_or_inactive"},
        )
        return
    issued = issue_token(session, user=user, purpose=PasswordTokenPurpose.RESET, settings=settings)
    send_token_mail(
        session, user=user, issued=issued, purpose=PasswordTokenPurpose.RESET, settings=settings
    )
    audit_logger.record(
        session,
        AuditAction.AUTH_PASSWORD_RESET_REQUESTED,
        actor=user,
        resource_type=ResourceType.USER,
        resource_id=user.id,
    )


def confirm_reset(session: Session, *, token: str, new_password: str, settings: Settings) -> User:
    """Set a new password with a one-time token and end every session of the account."""
    row = session.scalar(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == sha256_hex(token))
    )
    user = session.get(User, row.user_id) if row else None
    if row is None or user is None or user.status != UserStatus.ACTIVE:
        raise BadRequest("The token is not valid.")
    now = utcnow()
    if row.used_at is not None or row.expires_at <= now:
        raise TokenGone("The token was already used or has expired; ask for a new one.")
    auth_controller.check_password_policy(new_password, email=user.email, field="new_password")
    claimed = changed_rows(
        session,
        update(PasswordResetToken)
        .where(
            PasswordResetToken.id == row.id,
            PasswordResetToken.used_at.is_(None),
            PasswordResetToken.expires_at > now,
        )
        .values(used_at=now),
    )
    if claimed != 1:
        raise TokenGone("The token was already used or has expired; ask for a new one.")
    auth_controller.set_password(session, user=user, password=new_password, settings=settings)
    if user.email_verified_at is None:
        user.email_verified_at = now
    auth_controller.revoke_sessions(session, user_id=user.id, reason="password_reset")
    audit_logger.record(
        session,
        AuditAction.AUTH_PASSWORD_RESET,
        actor=user,
        resource_type=ResourceType.USER,
        resource_id=user.id,
        details={"purpose": row.purpose},
    )
    return user
