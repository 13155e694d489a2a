"""Accounts and sign-in: registration, login with lockout and a second factor, refresh
rotation with reuse detection, logout and password change."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask_jwt_extended import create_access_token, create_refresh_token, get_jti
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from healix.audit import logger as audit_logger
from healix.audit.events import AuditAction, ResourceType
from healix.audit.logger import ActorRef, PendingAuditEvent
from healix.config import Settings
from healix.controllers import mfa_controller
from healix.controllers.lockout import check_lockout, recheck_password
from healix.controllers.lockout import login_key as login_key
from healix.controllers.lockout import normalize_email as normalize_email
from healix.db import changed_rows
from healix.exceptions import (
    Conflict,
    Forbidden,
    Unauthorized,
    ValidationFailed,
)
from healix.models.audit_log import AuditOutcome, AuditSeverity
from healix.models.password_reset_token import PasswordResetToken
from healix.models.user import Role, User, UserStatus
from healix.models.user_session import UserSession
from healix.schemas.auth import ChangePasswordRequest, LoginRequest
from healix.utils import passwords
from healix.utils.hashing import sha256_hex
from healix.utils.request_context import get_request_context
from healix.utils.time import utcnow


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    refresh_token: str
    expires_in: int


@dataclass(frozen=True)
class SignIn:
    """A user signed in: the account and the tokens of its new session."""

    user: User
    tokens: IssuedTokens
    #: only when this sign-in finished setting up the second factor
    recovery_codes: list[str] | None = None


@dataclass(frozen=True)
class MfaPending:
    """The password was right; the sign-in waits for the second factor (`login_with_code`)."""

    token: str
    expires_in: int
    enrolment_required: bool


@dataclass(frozen=True)
class _ReusedRefreshToken:
    """What a replayed refresh token leaves behind although the request fails (401): the
    session revoked, and the audit row saying why."""

    user: ActorRef
    session_id: uuid.UUID

    def persist(self, session: Session, actor: Any) -> None:
        revoke_sessions(
            session, user_id=self.user.id, only_session=self.session_id, reason="refresh_reuse"
        )
        audit_logger.record(
            session,
            AuditAction.AUTH_REFRESH_REUSE,
            actor=self.user,
            resource_type=ResourceType.SESSION,
            resource_id=self.session_id,
            outcome=AuditOutcome.DENIED,
            severity=AuditSeverity.HIGH,
        )


def check_password_policy(password: str, *, email: str, field: str = "password") -> None:
    problems = passwords.policy_violations(password, email=email)
    if problems:
        raise ValidationFailed(
            [{"loc": field, "msg": f"Password {problem}."} for problem in problems],
            detail="The password does not meet the password policy.",
        )


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalize_email(email)))


def create_account(session: Session, *, email: str, role: Role, **fields: Any) -> User:
    """Add an active account; an email already taken (in any letter case) is a 409."""
    email = normalize_email(email)
    if find_user_by_email(session, email) is not None:
        raise Conflict("An account with this email already exists.")
    user = User(email=email, role=role, status=UserStatus.ACTIVE, **fields)
    session.add(user)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent sign-up took the email first
        raise Conflict("An account with this email already exists.") from exc
    return user


def start_session(session: Session, *, user: User, settings: Settings) -> IssuedTokens:
    context = get_request_context()
    user_session = UserSession(
        id=uuid.uuid4(),
        user_id=user.id,
        refresh_token_hash="",
        expires_at=utcnow() + timedelta(days=settings.refresh_token_days),
        ip_address=context.ip_address,
        user_agent=(context.user_agent or "")[:255] or None,
    )
    session.add(user_session)
    tokens = _issue_tokens(user, user_session.id, settings)
    user_session.refresh_token_hash = _jti_hash(tokens.refresh_token)
    session.flush()
    return tokens


def _jti_hash(token: str) -> str:
    """What a session keeps of its current refresh token: the SHA-256 of the token's jti."""
    jti = get_jti(token)
    if jti is None:  # pragma: no cover - flask-jwt-extended always sets one
        raise ValueError("a refresh token without a jti")
    return sha256_hex(jti)


def _issue_tokens(user: User, session_id: uuid.UUID, settings: Settings) -> IssuedTokens:
    claims = {"sid": str(session_id)}
    return IssuedTokens(
        access_token=create_access_token(identity=user, additional_claims=claims),
        refresh_token=create_refresh_token(identity=user, additional_claims=claims),
        expires_in=settings.access_token_minutes * 60,
    )


def _invalid_credentials(key: str, user: User | None) -> Unauthorized:
    error = Unauthorized("The email or password is incorrect.")
    return error.persist_despite_failure(
        PendingAuditEvent(
            action=AuditAction.AUTH_LOGIN_FAILED,
            resource_type=ResourceType.LOGIN,
            resource_id=key,
            outcome=AuditOutcome.FAILURE,
            details={"user_id": str(user.id)} if user else {"account": "unknown"},
        )
    )


def login(session: Session, *, data: LoginRequest, settings: Settings) -> SignIn | MfaPending:
    """Verify credentials and open a session, or ask for the second factor when the account
    has one (or must have one). Unknown email and wrong password look alike."""
    key = login_key(data.email, settings)
    user = find_user_by_email(session, data.email)
    check_lockout(session, key, settings, user=user)
    if user is None or user.status == UserStatus.ERASED:
        passwords.verify_password(
            data.password, passwords.dummy_hash(settings.effective_bcrypt_rounds)
        )
        raise _invalid_credentials(key, None)
    if not passwords.verify_password(data.password, user.password_hash):
        raise _invalid_credentials(key, user)
    if user.status != UserStatus.ACTIVE:
        raise Forbidden("This account is inactive.").persist_despite_failure(
            PendingAuditEvent(
                action=AuditAction.AUTH_LOGIN_INACTIVE,
                resource_type=ResourceType.LOGIN,
                resource_id=key,
                details={"user_id": str(user.id)},
            )
        )
    if settings.effective_email_verification_required and user.email_verified_at is None:
        raise Forbidden(
            "Confirm your email address first: follow the link in the email we sent you."
        ).persist_despite_failure(
            PendingAuditEvent(
                action=AuditAction.AUTH_LOGIN_UNVERIFIED,
                resource_type=ResourceType.LOGIN,
                resource_id=key,
                details={"user_id": str(user.id)},
            )
        )
    enabled = mfa_controller.is_enabled(session, user)
    if enabled or mfa_controller.is_required(user, settings):
        # not a success yet: the failure count towards the lockout goes on through step two
        audit_logger.record(
            session,
            AuditAction.AUTH_LOGIN_MFA_REQUIRED,
            actor=user,
            resource_type=ResourceType.LOGIN,
            resource_id=key,
        )
        return MfaPending(
            token=mfa_controller.issue_challenge(user, settings),
            expires_in=settings.mfa_challenge_minutes * 60,
            enrolment_required=not enabled,
        )
    return _open_session(session, user=user, key=key, settings=settings)


def _open_session(
    session: Session,
    *,
    user: User,
    key: str,
    settings: Settings,
    factor: str | None = None,
    recovery_codes: list[str] | None = None,
) -> SignIn:
    tokens = start_session(session, user=user, settings=settings)
    audit_logger.record(
        session,
        AuditAction.AUTH_LOGIN_SUCCEEDED,
        actor=user,
        resource_type=ResourceType.LOGIN,
        resource_id=key,
        details={"mfa": factor} if factor else None,
    )
    return SignIn(user, tokens, recovery_codes)


def _challenged_user(session: Session, token: str, settings: Settings) -> tuple[User, str]:
    user = mfa_controller.read_challenge(session, token, settings)
    key = login_key(user.email, settings)
    check_lockout(session, key, settings, user=user)
    if user.status != UserStatus.ACTIVE:
        raise Forbidden("This account is inactive.")
    return user, key


def login_with_code(session: Session, *, token: str, code: str, settings: Settings) -> SignIn:
    """Step two of a sign-in: the challenge of step one and a TOTP or recovery code. A wrong
    code counts towards the same lockout as a wrong password. An account that must enrol
    confirms its new secret with this first code and gets its recovery codes."""
    user, key = _challenged_user(session, token, settings)
    if mfa_controller.is_enabled(session, user):
        factor = mfa_controller.verify(session, user=user, code=code)
        if factor is None:
            raise _invalid_code(key, user)
        return _open_session(session, user=user, key=key, settings=settings, factor=factor)
    if not mfa_controller.is_required(user, settings):
        raise Conflict("This account signs in with its password alone.")
    try:
        codes = mfa_controller.confirm_enrolment(session, user=user, code=code)
    except Forbidden as exc:
        raise _invalid_code(key, user) from exc
    return _open_session(
        session, user=user, key=key, settings=settings, factor="totp", recovery_codes=codes
    )


def start_enrolment_at_login(
    session: Session, *, token: str, settings: Settings
) -> mfa_controller.MfaEnrolment:
    """A secret for an account that must use two factors and has none yet (step one said
    `enrolment_required`)."""
    user, _ = _challenged_user(session, token, settings)
    if mfa_controller.is_enabled(session, user) or not mfa_controller.is_required(user, settings):
        raise Conflict("This account needs no two-factor setup now.")
    return mfa_controller.start_enrolment(session, user=user, settings=settings)


def _invalid_code(key: str, user: User) -> Unauthorized:
    error = Unauthorized("The code is not valid.")
    return error.persist_despite_failure(
        PendingAuditEvent(
            action=AuditAction.AUTH_LOGIN_FAILED,
            resource_type=ResourceType.LOGIN,
            resource_id=key,
            outcome=AuditOutcome.FAILURE,
            details={"user_id": str(user.id), "factor": "mfa"},
        )
    )


def refresh(
    session: Session, *, user: User, session_id: uuid.UUID, jti: str, settings: Settings
) -> IssuedTokens:
    """Rotate the refresh token. A token that was already rotated revokes the whole session."""
    presented = sha256_hex(jti)
    tokens = _issue_tokens(user, session_id, settings)
    rotated = changed_rows(
        session,
        update(UserSession)
        .where(
            UserSession.id == session_id,
            UserSession.refresh_token_hash == presented,
            UserSession.revoked_at.is_(None),
        )
        .values(refresh_token_hash=_jti_hash(tokens.refresh_token), last_used_at=utcnow()),
    )
    if rotated != 1:
        raise Unauthorized(
            "This refresh token was already used; the session is revoked."
        ).persist_despite_failure(_ReusedRefreshToken(ActorRef.of(user), session_id))
    audit_logger.record(
        session,
        AuditAction.AUTH_TOKEN_REFRESHED,
        actor=user,
        resource_type=ResourceType.SESSION,
        resource_id=session_id,
    )
    return tokens


def revoke_sessions(
    session: Session,
    *,
    user_id: uuid.UUID,
    reason: str,
    only_session: uuid.UUID | None = None,
    except_session: uuid.UUID | None = None,
) -> int:
    """End sessions of a user at once (their access and refresh tokens stop working)."""
    statement = update(UserSession).where(
        UserSession.user_id == user_id, UserSession.revoked_at.is_(None)
    )
    if only_session is not None:
        statement = statement.where(UserSession.id == only_session)
    if except_session is not None:
        statement = statement.where(UserSession.id != except_session)
    return changed_rows(session, statement.values(revoked_at=utcnow(), revoked_reason=reason))


def logout(session: Session, *, actor: User, session_id: uuid.UUID) -> None:
    revoke_sessions(session, user_id=actor.id, only_session=session_id, reason="logout")
    audit_logger.record(
        session,
        AuditAction.AUTH_LOGOUT,
        actor=actor,
        resource_type=ResourceType.SESSION,
        resource_id=session_id,
    )


def change_password(
    session: Session,
    *,
    actor: User,
    session_id: uuid.UUID,
    data: ChangePasswordRequest,
    settings: Settings,
) -> None:
    """Set a new password and end every other session of the user."""
    recheck_password(
        session,
        user=actor,
        password=data.current_password,
        settings=settings,
        purpose="change_password",
        refusal="The current password is incorrect.",
    )
    check_password_policy(data.new_password, email=actor.email, field="new_password")
    set_password(session, user=actor, password=data.new_password, settings=settings)
    revoke_sessions(session, user_id=actor.id, except_session=session_id, reason="password_changed")
    audit_logger.record(
        session,
        AuditAction.AUTH_PASSWORD_CHANGED,
        actor=actor,
        resource_type=ResourceType.USER,
        resource_id=actor.id,
    )


def set_password(session: Session, *, user: User, password: str, settings: Settings) -> None:
    """Set a new password; every outstanding reset or invite token of the user dies with the
    old one (a token requested before a password change must not undo it)."""
    user.password_hash = passwords.hash_password(password, rounds=settings.effective_bcrypt_rounds)
    session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=utcnow())
    )
    session.flush()
