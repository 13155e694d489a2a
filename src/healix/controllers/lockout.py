"""The account lockout: failed sign-ins and failed password re-checks of one account,
counted from the audit log (shared by every worker), refuse further attempts for a while."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from healix.audit.events import AuditAction, ResourceType
from healix.audit.logger import PendingAuditEvent
from healix.config import Settings
from healix.exceptions import Forbidden, TooManyRequests
from healix.models.audit_log import AuditLog, AuditOutcome, AuditSeverity
from healix.models.user import User
from healix.utils import passwords
from healix.utils.hashing import keyed_hash
from healix.utils.time import utcnow


def normalize_email(email: str) -> str:
    return email.strip().lower()


def login_key(email: str, settings: Settings) -> str:
    """The audit/lockout key for a login name: a keyed hash, so the log holds no email."""
    return keyed_hash(normalize_email(email), settings.jwt_secret())[:40]


#: what counts towards an account's lockout: wrong sign-ins (password or code) and wrong
#: password re-checks of a signed-in user (change password, delete account, turn off MFA)
FAILED_PASSWORD_ACTIONS = (AuditAction.AUTH_LOGIN_FAILED, AuditAction.AUTH_PASSWORD_RECHECK_FAILED)


def _recent_failures(session: Session, key: str, settings: Settings) -> list[datetime]:
    """Failed attempts for `key` inside the lockout window and after the last success."""
    window_start = utcnow() - timedelta(minutes=settings.login_lockout_minutes)
    last_success = session.scalar(
        select(func.max(AuditLog.created_at)).where(
            AuditLog.action == AuditAction.AUTH_LOGIN_SUCCEEDED,
            AuditLog.resource_type == ResourceType.LOGIN,
            AuditLog.resource_id == key,
            AuditLog.created_at > window_start,
        )
    )
    since = max(window_start, last_success) if last_success else window_start
    return list(
        session.scalars(
            select(AuditLog.created_at)
            .where(
                AuditLog.action.in_(FAILED_PASSWORD_ACTIONS),
                AuditLog.resource_type == ResourceType.LOGIN,
                AuditLog.resource_id == key,
                AuditLog.created_at > since,
            )
            .order_by(AuditLog.created_at.desc())
            .limit(settings.login_max_failures)
        )
    )


def check_lockout(session: Session, key: str, settings: Settings) -> None:
    """429 while the login `key` has had too many failures inside the lockout window."""
    failures = _recent_failures(session, key, settings)
    if len(failures) < settings.login_max_failures:
        return
    unlock_at = failures[-1] + timedelta(minutes=settings.login_lockout_minutes)
    retry_after = int((unlock_at - utcnow()).total_seconds()) + 1
    raise TooManyRequests(
        "Too many failed sign-in attempts; try again later.", retry_after=retry_after
    ).persist_despite_failure(
        PendingAuditEvent(
            action=AuditAction.AUTH_LOGIN_LOCKED,
            resource_type=ResourceType.LOGIN,
            resource_id=key,
            severity=AuditSeverity.HIGH,
        )
    )


def recheck_password(
    session: Session,
    *,
    user: User,
    password: str,
    settings: Settings,
    purpose: str,
    refusal: str = "The password is incorrect.",
) -> None:
    """Re-check a signed-in user's password before a sensitive change. Throttled like
    sign-in: a wrong password counts towards the account's lockout, and a locked account
    is refused (429) before the password is even compared."""
    key = login_key(user.email, settings)
    check_lockout(session, key, settings)
    if passwords.verify_password(password, user.password_hash):
        return
    raise Forbidden(refusal).persist_despite_failure(
        PendingAuditEvent(
            action=AuditAction.AUTH_PASSWORD_RECHECK_FAILED,
            resource_type=ResourceType.LOGIN,
            resource_id=key,
            outcome=AuditOutcome.FAILURE,
            details={"user_id": str(user.id), "purpose": purpose},
        )
    )
