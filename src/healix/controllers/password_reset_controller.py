"""One-time password tokens: invitations (an admin-created account sets its first password)
and password resets. Only a token's SHA-256 is stored; the token itself travels only in the
mail (a link to the web app with the token in the URL fragment) and once, to the admin, in
the invite response."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from healix.audit import logger as audit_logger
from healix.audit.events import AuditAction, ResourceType
from healix.config import Settings
from healix.controllers import auth_controller, mail_controller
from healix.db import changed_rows
from healix.exceptions import BadRequest, TokenGone
from healix.models.password_reset_token import PasswordResetToken, PasswordTokenPurpose
from healix.models.profile import EmailCategory
from healix.models.user import User, UserStatus
from healix.utils.hashing import derived_token, sha256_hex
from healix.utils.time import utcnow

RESET_ACCEPTED = "If an active account uses this email, a reset link has been mailed to it."
TOKEN_PREFIX = "hxp_"
#: pages of the web app that read the token from the URL fragment (never sent to a server)
RESET_PAGE = "/reset-password"
SET_PAGE = "/set-password"


@dataclass(frozen=True)
class IssuedPasswordToken:
    token: str
    expires_at: datetime


def job_token(job_id: uuid.UUID, purpose: PasswordTokenPurpose, settings: Settings) -> str:
    """The token a password mail job sends: derived from the job id with the server secret,
    so every attempt of the job mails the same token and the token itself is never stored."""
    return derived_token(TOKEN_PREFIX, settings.jwt_secret(), f"password-token:{purpose}:{job_id}")


def issue_token(
    session: Session,
    *,
    user: User,
    purpose: PasswordTokenPurpose,
    token: str,
    settings: Settings,
) -> IssuedPasswordToken:
    """Store `token`'s hash for `user`; their earlier unused tokens stop working."""
    now = utcnow()
    session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=now)
    )
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


def invite(session: Session, *, user: User, settings: Settings) -> IssuedPasswordToken:
    """Mail a new account its password-set link; the token is also returned (for the admin)."""
    job = mail_controller.send(session, INVITATION_MAIL, user_id=user.id)
    assert job is not None  # no dedupe key: always created
    token = job_token(job.id, PasswordTokenPurpose.INVITE, settings)
    return issue_token(
        session, user=user, purpose=PasswordTokenPurpose.INVITE, token=token, settings=settings
    )


def request_reset(session: Session, *, email: str, settings: Settings) -> None:
    """Mail a reset link to an active account; an unknown email gets the same answer in the
    same time: the request only records the job, the token is made and mailed by the job."""
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
    mail_controller.send(session, RESET_MAIL, user_id=user.id)
    audit_logger.record(
        session,
        AuditAction.AUTH_PASSWORD_RESET_REQUESTED,
        actor=user,
        resource_type=ResourceType.USER,
        resource_id=user.id,
    )


def _token_mail_context(
    mail: mail_controller.MailContext, purpose: PasswordTokenPurpose, page: str
) -> dict[str, object]:
    """The link for a password mail. A reset job makes its token on its first attempt; an
    invitation's was made with the account. A used, expired or replaced token is not mailed."""
    token = job_token(mail.job.id, purpose, mail.settings)
    row = mail.session.scalar(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == sha256_hex(token))
    )
    if row is None and purpose == PasswordTokenPurpose.RESET:
        issued = issue_token(
            mail.session, user=mail.recipient, purpose=purpose, token=token, settings=mail.settings
        )
        expires_at = issued.expires_at
    elif row is None or row.used_at is not None or row.expires_at <= utcnow():
        raise mail_controller.SkipMail("the token was used, replaced or has expired")
    else:
        expires_at = row.expires_at
    return {"link": mail.link(f"{page}#token={token}"), "expires_at": mail.when(expires_at)}


RESET_MAIL = mail_controller.define(
    "password_reset",
    category=EmailCategory.SECURITY,
    reason="You receive this email because a password reset was requested for your account.",
    context=lambda mail: _token_mail_context(mail, PasswordTokenPurpose.RESET, RESET_PAGE),
)
INVITATION_MAIL = mail_controller.define(
    "provider_invitation",
    category=EmailCategory.SECURITY,
    reason="You receive this email because an administrator created an account for you.",
    context=lambda mail: _token_mail_context(mail, PasswordTokenPurpose.INVITE, SET_PAGE),
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
