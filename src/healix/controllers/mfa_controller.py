"""Two-factor sign-in with TOTP (RFC 6238, `pyotp`): enrolment, codes, recovery codes, the
sign-in challenge, disabling and an administrator's reset.

Rules kept here:
- a TOTP code is accepted once: the time-step of the last accepted code is stored and a
  code of that step or an earlier one is refused. The check is one conditional UPDATE, so
  two workers given the same code accept it once between them;
- recovery codes are ten random single-use codes, shown once; only their SHA-256 is stored
  (they carry 50 random bits, so a fast hash is enough, as for password-reset tokens);
- the sign-in challenge is a short-lived signed token naming the user and a fingerprint of
  their password hash, so it dies with a password change. It is not an access token and
  opens nothing but the second step.
"""

from __future__ import annotations

import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

import pyotp
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from healix.audit import logger as audit_logger
from healix.audit.events import AuditAction, ResourceType
from healix.config import Settings
from healix.controllers import mail_controller
from healix.controllers.lockout import recheck_password
from healix.db import changed_rows
from healix.exceptions import Conflict, Forbidden, NotFound, Unauthorized
from healix.models.audit_log import AuditSeverity
from healix.models.mfa import MfaRecoveryCode, UserMfa
from healix.models.profile import EmailCategory
from healix.models.user import Role, User, UserStatus
from healix.utils.hashing import sha256_hex
from healix.utils.time import utcnow

RECOVERY_CODE_COUNT = 10
#: codes one time-step early or late are accepted (clock drift of the phone)
VALID_WINDOW = 1
ROLES_REQUIRING_MFA = frozenset({Role.PROVIDER, Role.ADMIN})
_CHALLENGE_SALT = "healix-mfa-challenge"
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
SECURITY_PAGE = "/settings/security"

MFA_RESET_MAIL = mail_controller.define(
    "mfa_reset",
    category=EmailCategory.SECURITY,
    reason="You receive this email because the two-factor sign-in of your account changed.",
    context=lambda mail: {"link": mail.link(SECURITY_PAGE)},
)


@dataclass(frozen=True)
class MfaStatus:
    enabled: bool
    confirmed_at: datetime | None
    recovery_codes_left: int
    required: bool


@dataclass(frozen=True)
class MfaEnrolment:
    secret: str
    otpauth_uri: str


def is_required(user: User, settings: Settings) -> bool:
    """Whether `user` must sign in with a second factor (providers and admins, by setting)."""
    return settings.effective_mfa_required and user.role in ROLES_REQUIRING_MFA


def _factor(session: Session, user_id: uuid.UUID) -> UserMfa | None:
    return session.get(UserMfa, user_id)


def is_enabled(session: Session, user: User) -> bool:
    factor = _factor(session, user.id)
    return factor is not None and factor.confirmed_at is not None


def status(session: Session, *, user: User, settings: Settings) -> MfaStatus:
    factor = _factor(session, user.id)
    enabled = factor is not None and factor.confirmed_at is not None
    left = session.scalar(
        select(func.count())
        .select_from(MfaRecoveryCode)
        .where(MfaRecoveryCode.user_id == user.id, MfaRecoveryCode.used_at.is_(None))
    )
    return MfaStatus(
        enabled=enabled,
        confirmed_at=factor.confirmed_at if factor else None,
        recovery_codes_left=int(left or 0) if enabled else 0,
        required=is_required(user, settings),
    )


def start_enrolment(session: Session, *, user: User, settings: Settings) -> MfaEnrolment:
    """A new secret for the authenticator app (replacing an unconfirmed one); it becomes the
    user's second factor when a first code confirms it."""
    factor = _factor(session, user.id)
    if factor is not None and factor.confirmed_at is not None:
        raise Conflict("Two-factor sign-in is already on; turn it off first to replace it.")
    secret = pyotp.random_base32()
    if factor is None:
        session.add(UserMfa(user_id=user.id, secret=secret))
    else:
        factor.secret = secret
        factor.created_at = utcnow()
        factor.last_used_step = None
    session.flush()
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=settings.clinic_name)
    return MfaEnrolment(secret=secret, otpauth_uri=uri)


def confirm_enrolment(session: Session, *, user: User, code: str) -> list[str]:
    """Turn the pending secret on with its first code; returns the ten recovery codes."""
    factor = _factor(session, user.id)
    if factor is None or factor.confirmed_at is not None:
        raise Conflict("There is no two-factor setup waiting for its first code.")
    if not _accept_totp(session, factor, code):
        raise Forbidden("The code is not valid; check the time on your phone and try again.")
    factor.confirmed_at = utcnow()
    codes = _new_recovery_codes(session, user.id)
    audit_logger.record(
        session,
        AuditAction.AUTH_MFA_ENABLED,
        actor=user,
        resource_type=ResourceType.USER,
        resource_id=user.id,
    )
    return codes


def verify(session: Session, *, user: User, code: str) -> str | None:
    """Check a sign-in code: a TOTP code of the enabled factor or an unused recovery code.
    Returns which one was used ("totp" or "recovery_code"), or None."""
    factor = _factor(session, user.id)
    if factor is None or factor.confirmed_at is None:
        return None
    if _accept_totp(session, factor, code):
        return "totp"
    if _use_recovery_code(session, user.id, code):
        return "recovery_code"
    return None


def disable(session: Session, *, user: User, password: str, code: str, settings: Settings) -> None:
    """Turn the second factor off: the password and a current code (or recovery code)."""
    if not is_enabled(session, user):
        raise Conflict("Two-factor sign-in is not on.")
    if is_required(user, settings):
        raise Conflict("Your role must sign in with two factors; it cannot be turned off.")
    recheck_password(
        session,
        user=user,
        password=password,
        settings=settings,
        purpose="disable_mfa",
        refusal="The password or the code is incorrect.",
    )
    if not verify(session, user=user, code=code):
        raise Forbidden("The password or the code is incorrect.")
    _remove_factor(session, user.id)
    audit_logger.record(
        session,
        AuditAction.AUTH_MFA_DISABLED,
        actor=user,
        resource_type=ResourceType.USER,
        resource_id=user.id,
    )


def reset_mfa(session: Session, *, actor: User | None, user_id: uuid.UUID) -> User:
    """An administrator (or, with `actor=None`, the operator's CLI) removes another user's
    second factor, e.g. after a lost phone; audited high and the user is told by mail. A
    user who must use two factors enrols again at their next sign-in."""
    user = session.get(User, user_id)
    if user is None or user.status == UserStatus.ERASED:
        raise NotFound("No such user.")
    if actor is not None and actor.id == user.id:
        raise Conflict("Reset your own second factor from your security settings.")
    removed = _remove_factor(session, user.id)
    audit_logger.record(
        session,
        AuditAction.ADMIN_RESET_MFA,
        actor=actor,
        resource_type=ResourceType.USER,
        resource_id=user.id,
        severity=AuditSeverity.HIGH,
        details={"had_factor": removed},
    )
    mail_controller.send(session, MFA_RESET_MAIL, user_id=user.id)
    return user


def _remove_factor(session: Session, user_id: uuid.UUID) -> bool:
    session.execute(delete(MfaRecoveryCode).where(MfaRecoveryCode.user_id == user_id))
    factor = _factor(session, user_id)
    if factor is not None:
        session.delete(factor)
    session.flush()
    return factor is not None


# -- codes --------------------------------------------------------------------------------


def _digits(code: str) -> str:
    return "".join(code.split())


def _accept_totp(session: Session, factor: UserMfa, code: str) -> bool:
    """Whether `code` is the factor's code of a time-step around now not used before; the
    step is claimed in the same statement that checks it (replays fail in every worker)."""
    code = _digits(code)
    if len(code) != 6 or not code.isdigit():
        return False
    totp = pyotp.TOTP(factor.secret)
    current = totp.timecode(utcnow())
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            claimed = changed_rows(
                session,
                update(UserMfa)
                .where(
                    UserMfa.user_id == factor.user_id,
                    or_(UserMfa.last_used_step.is_(None), UserMfa.last_used_step < step),
                )
                .values(last_used_step=step),
            )
            session.expire(factor)
            return claimed == 1
    return False


def _normalize_recovery_code(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _new_recovery_codes(session: Session, user_id: uuid.UUID) -> list[str]:
    session.execute(delete(MfaRecoveryCode).where(MfaRecoveryCode.user_id == user_id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        session.add(MfaRecoveryCode(user_id=user_id, code_hash=sha256_hex(raw)))
    session.flush()
    return codes


def _use_recovery_code(session: Session, user_id: uuid.UUID, code: str) -> bool:
    normalized = _normalize_recovery_code(code)
    if len(normalized) != 10:
        return False
    used = changed_rows(
        session,
        update(MfaRecoveryCode)
        .where(
            MfaRecoveryCode.user_id == user_id,
            MfaRecoveryCode.code_hash == sha256_hex(normalized),
            MfaRecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow()),
    )
    return used == 1


# -- the sign-in challenge ----------------------------------------------------------------


def _serializer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.jwt_secret(), salt=_CHALLENGE_SALT)


def _password_fingerprint(user: User) -> str:
    return sha256_hex(user.password_hash or "")[:16]


def issue_challenge(user: User, settings: Settings) -> str:
    """The token of a sign-in whose password was right and whose second factor is due."""
    token = _serializer(settings).dumps({"uid": str(user.id), "pw": _password_fingerprint(user)})
    return str(token)


def read_challenge(session: Session, token: str, settings: Settings) -> User:
    """The user of a live challenge; an expired, forged or outdated one is a 401."""
    invalid = Unauthorized("The sign-in has expired; sign in with your password again.")
    try:
        claims = _serializer(settings).loads(token, max_age=settings.mfa_challenge_minutes * 60)
        user_id = uuid.UUID(str(claims["uid"]))
    except (BadSignature, KeyError, TypeError, ValueError) as exc:
        raise invalid from exc
    user = session.get(User, user_id)
    if user is None or not hmac.compare_digest(_password_fingerprint(user), str(claims["pw"])):
        raise invalid
    return user
