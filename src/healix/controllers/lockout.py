"""The sign-in throttle: failed sign-ins and failed password re-checks of one account,
counted from the audit log (shared by every worker) per account *and* source address, so
that nobody can lock an owner out by knowing their email.

The rules (docs/security.md, "Accounts"):
- `LOGIN_MAX_FAILURES` failures from one address inside `LOGIN_LOCKOUT_MINUTES` lock that
  address out of that account for the window; other addresses are not affected.
- A known address (a sign-in to the account from it within `LOGIN_KNOWN_SOURCE_DAYS`), and
  a password re-check from a signed-in session, is never locked, only slowed down: after the limit it waits `LOGIN_SLOWDOWN_SECONDS`,
  doubling with each further failure, at most `LOGIN_SLOWDOWN_MAX_SECONDS`.
- `LOGIN_ACCOUNT_MAX_FAILURES` failures from all addresses together lock the account for
  every unknown address, and its owner is mailed (once per window) an unlock link; following
  it (`POST /api/auth/unlock`) writes AUTH_LOGIN_UNLOCKED, and earlier failures stop counting.
A success from an address clears that address's count.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from healix.audit import logger as audit_logger
from healix.audit.events import AuditAction, ResourceType
from healix.audit.logger import PendingAuditEvent
from healix.config import Settings
from healix.controllers import mail_controller
from healix.exceptions import BadRequest, Forbidden, TokenGone, TooManyRequests
from healix.models.audit_log import AuditLog, AuditOutcome, AuditSeverity
from healix.models.profile import EmailCategory
from healix.models.user import User, UserStatus
from healix.utils import passwords
from healix.utils.hashing import keyed_hash
from healix.utils.request_context import get_request_context
from healix.utils.time import utcnow

UNLOCK_PAGE = "/unlock"
UNLOCK_TOKEN_PREFIX = "hxu_"
_UNLOCK_SALT = "healix-unlock-account"
LOCKED = "Too many failed sign-in attempts; try again later."


def normalize_email(email: str) -> str:
    return email.strip().lower()


def login_key(email: str, settings: Settings) -> str:
    """The audit/lockout key for a login name: a keyed hash, so the log holds no email."""
    return keyed_hash(normalize_email(email), settings.jwt_secret())[:40]


#: what counts towards an account's lockout: wrong sign-ins (password or code) and wrong
#: password re-checks of a signed-in user (change password, delete account, turn off MFA)
FAILED_PASSWORD_ACTIONS = (AuditAction.AUTH_LOGIN_FAILED, AuditAction.AUTH_PASSWORD_RECHECK_FAILED)


def _latest(session: Session, key: str, action: AuditAction, *where: ColumnElement[bool]) -> Any:
    return session.scalar(
        select(func.max(AuditLog.created_at)).where(
            AuditLog.action == action,
            AuditLog.resource_type == ResourceType.LOGIN,
            AuditLog.resource_id == key,
            *where,
        )
    )


def _failures(
    session: Session, key: str, since: datetime, limit: int, *where: ColumnElement[bool]
) -> list[datetime]:
    """The newest `limit` failures for `key` after `since`, newest first."""
    return list(
        session.scalars(
            select(AuditLog.created_at)
            .where(
                AuditLog.action.in_(FAILED_PASSWORD_ACTIONS),
                AuditLog.resource_type == ResourceType.LOGIN,
                AuditLog.resource_id == key,
                AuditLog.created_at > since,
                *where,
            )
            .order_by(AuditLog.created_at.desc())
            .limit(limit)
        )
    )


def _later(*moments: datetime | None) -> datetime:
    return max(moment for moment in moments if moment is not None)


def _refusal(action: AuditAction, key: str, retry_at: datetime, **details: Any) -> TooManyRequests:
    retry_after = int((retry_at - utcnow()).total_seconds()) + 1
    return TooManyRequests(LOCKED, retry_after=retry_after).persist_despite_failure(
        PendingAuditEvent(
            action=action,
            resource_type=ResourceType.LOGIN,
            resource_id=key,
            severity=AuditSeverity.HIGH,
            details=details,
        )
    )


def check_lockout(
    session: Session, key: str, settings: Settings, *, user: User | None, signed_in: bool = False
) -> None:
    """429 (with Retry-After) while this source may not try the login `key` (module doc).
    `signed_in`: a password re-check from a live session, which counts as a known source."""
    now = utcnow()
    ip = get_request_context().ip_address
    from_here = AuditLog.ip_address == ip if ip else AuditLog.ip_address.is_(None)
    window_start = now - timedelta(minutes=settings.login_lockout_minutes)
    unlocked = _latest(
        session, key, AuditAction.AUTH_LOGIN_UNLOCKED, AuditLog.created_at > window_start
    )
    last_success_here = _latest(
        session,
        key,
        AuditAction.AUTH_LOGIN_SUCCEEDED,
        from_here,
        AuditLog.created_at > now - timedelta(days=settings.login_known_source_days),
    )
    since_here = _later(window_start, unlocked, last_success_here)
    here = _failures(session, key, since_here, settings.login_max_failures + 16, from_here)
    if signed_in or last_success_here is not None:  # a known source: slowed, never locked
        extra = len(here) - settings.login_max_failures
        if extra < 0:
            return
        delay = min(settings.login_slowdown_seconds * 2**extra, settings.login_slowdown_max_seconds)
        retry_at = here[0] + timedelta(seconds=delay)
        if retry_at > now:
            raise _refusal(AuditAction.AUTH_LOGIN_SLOWED, key, retry_at)
        return
    if len(here) >= settings.login_max_failures:
        oldest_counted = here[settings.login_max_failures - 1]
        retry_at = oldest_counted + timedelta(minutes=settings.login_lockout_minutes)
        raise _refusal(AuditAction.AUTH_LOGIN_LOCKED, key, retry_at, scope="source")
    everywhere = _failures(
        session, key, _later(window_start, unlocked), settings.login_account_max_failures
    )
    if len(everywhere) >= settings.login_account_max_failures:
        retry_at = everywhere[-1] + timedelta(minutes=settings.login_lockout_minutes)
        error = _refusal(AuditAction.AUTH_LOGIN_LOCKED, key, retry_at, scope="account")
        since = _later(window_start, unlocked)
        raise error.persist_despite_failure(_UnlockMail(key, user.id if user else None, since))


@dataclass(frozen=True)
class _UnlockMail:
    """Mail the owner of a locked account an unlock link, once per lock window (written in
    the refusal's own transaction, since the refused request rolls back)."""

    key: str
    user_id: uuid.UUID | None
    since: datetime

    def persist(self, session: Session, actor: Any) -> None:
        mailed = AuditAction.AUTH_LOGIN_UNLOCK_MAILED
        if self.user_id is None or _latest(
            session, self.key, mailed, AuditLog.created_at > self.since
        ):
            return  # no account to mail, or its owner was mailed in this window already
        mail_controller.send(session, UNLOCK_MAIL, user_id=self.user_id)
        audit_logger.record(
            session,
            AuditAction.AUTH_LOGIN_UNLOCK_MAILED,
            resource_type=ResourceType.LOGIN,
            resource_id=self.key,
            details={"user_id": str(self.user_id)},
        )


def _serializer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.jwt_secret(), salt=_UNLOCK_SALT)


def unlock_token(user: User, settings: Settings) -> str:
    """A signed, expiring token naming the account and its login key; it works once, because
    unlocking writes AUTH_LOGIN_UNLOCKED and a token older than that row is refused."""
    claims = {"uid": str(user.id), "k": login_key(user.email, settings)}
    return UNLOCK_TOKEN_PREFIX + str(_serializer(settings).dumps(claims))


UNLOCK_MAIL = mail_controller.define(
    "account_unlock",
    category=EmailCategory.SECURITY,
    reason="You receive this email because many wrong passwords were tried on your account.",
    context=lambda mail: {
        "link": mail.link(f"{UNLOCK_PAGE}#token={unlock_token(mail.recipient, mail.settings)}")
    },
)


def unlock(session: Session, *, token: str, settings: Settings) -> None:
    """Follow an unlock link: earlier failures of the account stop counting. A forged token
    is 400; one that was used (or replaced by a later unlock) or expired is 410."""
    invalid = BadRequest("The link is not valid.")
    if not token.startswith(UNLOCK_TOKEN_PREFIX):
        raise invalid
    serializer = _serializer(settings)
    try:
        claims, issued = serializer.loads(
            token.removeprefix(UNLOCK_TOKEN_PREFIX),
            max_age=settings.password_token_hours * 3600,
            return_timestamp=True,
        )
    except SignatureExpired as exc:
        raise TokenGone("The link has expired.") from exc
    except BadSignature as exc:
        raise invalid from exc
    user = session.get(User, uuid.UUID(claims["uid"]))
    if (
        user is None
        or user.status != UserStatus.ACTIVE
        or login_key(user.email, settings) != claims["k"]
    ):
        raise invalid
    key = claims["k"]
    last_unlock = _latest(session, key, AuditAction.AUTH_LOGIN_UNLOCKED)
    if last_unlock is not None and last_unlock.astimezone(UTC) >= issued.astimezone(UTC):
        raise TokenGone("The link was already used.")
    audit_logger.record(
        session,
        AuditAction.AUTH_LOGIN_UNLOCKED,
        actor=user,
        resource_type=ResourceType.LOGIN,
        resource_id=key,
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
    check_lockout(session, key, settings, user=user, signed_in=True)
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
