"""Self-registration without account enumeration, and email verification.

Registering answers the same (202 "check your email") whether or not the address has an
account, and costs the same time (the password is hashed either way): a new address gets
its account and a verification link; the owner of an existing account gets a "someone
tried to register with your address" mail instead (an unverified owner gets a new link).

With `EMAIL_VERIFICATION_REQUIRED` (default: production) a new account signs in only after
its link was followed; without it the account signs in at once and the link still goes out.
The link's token is stateless: signed with the server secret, naming the account and its
email, valid for `PASSWORD_TOKEN_HOURS`; following it twice does no harm.
"""

from __future__ import annotations

import uuid

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from healix.audit import logger as audit_logger
from healix.audit.events import AuditAction, ResourceType
from healix.config import Settings
from healix.controllers import auth_controller, mail_controller
from healix.exceptions import BadRequest, Conflict, TokenGone
from healix.models.audit_log import AuditOutcome
from healix.models.profile import EmailCategory
from healix.models.user import Role, User, UserStatus
from healix.schemas.auth import RegisterRequest
from healix.utils import passwords
from healix.utils.time import utcnow

REGISTRATION_ACCEPTED = (
    "Thank you. We have sent an email to this address: follow its link to confirm it."
)
VERIFY_PAGE = "/verify-email"
TOKEN_PREFIX = "hxv_"
_SALT = "healix-verify-email"


def _serializer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.jwt_secret(), salt=_SALT)


def verification_token(user: User, settings: Settings) -> str:
    return TOKEN_PREFIX + str(_serializer(settings).dumps({"uid": str(user.id), "em": user.email}))


VERIFY_MAIL = mail_controller.define(
    "verify_email",
    category=EmailCategory.SECURITY,
    reason="You receive this email because an account was created with this address.",
    context=lambda mail: {
        "link": mail.link(
            f"{VERIFY_PAGE}#token={verification_token(mail.recipient, mail.settings)}"
        )
    },
)
REGISTRATION_ATTEMPT_MAIL = mail_controller.define(
    "registration_attempt",
    category=EmailCategory.SECURITY,
    reason="You receive this email because someone tried to register with your address.",
    context=lambda mail: {"link": mail.link("/forgot-password")},
)


def register(session: Session, *, data: RegisterRequest, settings: Settings) -> None:
    """Create a patient account and mail its verification link, or tell the owner of the
    address; the caller cannot tell which happened."""
    email = auth_controller.normalize_email(data.email)
    auth_controller.check_password_policy(data.password, email=email)
    password_hash = passwords.hash_password(data.password, rounds=settings.effective_bcrypt_rounds)
    existing = auth_controller.find_user_by_email(session, email)
    if existing is None:
        try:
            with session.begin_nested():
                user = auth_controller.create_account(
                    session,
                    email=email,
                    role=Role.PATIENT,
                    first_name=data.first_name,
                    last_name=data.last_name,
                    password_hash=password_hash,
                )
        except Conflict:  # a concurrent sign-up took the address first
            existing = auth_controller.find_user_by_email(session, email)
        else:
            mail_controller.send(session, VERIFY_MAIL, user_id=user.id)
            audit_logger.record(
                session,
                AuditAction.AUTH_REGISTER,
                actor=user,
                resource_type=ResourceType.USER,
                resource_id=user.id,
            )
            return
    if existing is not None and existing.status == UserStatus.ACTIVE:
        unverified = existing.email_verified_at is None
        mail = VERIFY_MAIL if unverified else REGISTRATION_ATTEMPT_MAIL
        mail_controller.send(session, mail, user_id=existing.id)
    audit_logger.record(
        session,
        AuditAction.AUTH_REGISTER,
        resource_type=ResourceType.LOGIN,
        resource_id=auth_controller.login_key(email, settings),
        outcome=AuditOutcome.DENIED,
        details={"account": "existing"},
    )


def verify_email(session: Session, *, token: str, settings: Settings) -> User:
    """Mark the account's email verified (idempotent); a forged token is 400, an old one 410."""
    invalid = BadRequest("The link is not valid.")
    if not token.startswith(TOKEN_PREFIX):
        raise invalid
    try:
        claims = _serializer(settings).loads(
            token.removeprefix(TOKEN_PREFIX), max_age=settings.password_token_hours * 3600
        )
        user_id = uuid.UUID(str(claims["uid"]))
        email = str(claims["em"])
    except SignatureExpired as exc:
        raise TokenGone("The link has expired; register again to get a new one.") from exc
    except (BadSignature, KeyError, TypeError, ValueError) as exc:
        raise invalid from exc
    user = session.get(User, user_id)
    if user is None or user.status != UserStatus.ACTIVE or user.email != email:
        raise invalid
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        audit_logger.record(
            session,
            AuditAction.AUTH_EMAIL_VERIFIED,
            actor=user,
            resource_type=ResourceType.USER,
            resource_id=user.id,
        )
    return user
