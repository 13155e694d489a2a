from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from healix.models.base import Base, uuid_pk
from healix.utils.time import utcnow


class UserMfa(Base):
    """A user's TOTP second factor. `confirmed_at` is null while enrolment waits for its
    first code. `last_used_step` is the TOTP time-step of the last accepted code: a code of
    that step or an earlier one is refused, in every worker (the check is one UPDATE)."""

    __tablename__ = "user_mfa"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    #: the base32 TOTP secret (the authenticator app holds the same)
    secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    last_used_step: Mapped[int | None] = mapped_column(BigInteger)


class MfaRecoveryCode(Base):
    """A single-use recovery code; only its SHA-256 is stored."""

    __tablename__ = "mfa_recovery_codes"

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]
