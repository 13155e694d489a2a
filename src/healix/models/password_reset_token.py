from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from healix.models.base import Base, enum_check, enum_column, uuid_pk
from healix.utils.time import utcnow


class PasswordTokenPurpose(StrEnum):
    RESET = "reset"
    #: an account created by an admin sets its first password with this token
    INVITE = "invite"


class PasswordResetToken(Base):
    """A single-use password-set token; only its SHA-256 is stored."""

    __tablename__ = "password_reset_tokens"
    __table_args__ = (enum_check("purpose", PasswordTokenPurpose),)

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = enum_column(PasswordTokenPurpose, default=PasswordTokenPurpose.RESET)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
