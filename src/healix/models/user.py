from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from healix.models.base import Base, TimestampMixin, enum_check, enum_column, uuid_pk


class Role(StrEnum):
    PATIENT = "patient"
    PROVIDER = "provider"
    ADMIN = "admin"


class UserStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"
    #: personal data erased; the row stays so de-identified records keep their references
    ERASED = "erased"


class User(TimestampMixin, Base):
    __tablename__ = "users"
    __table_args__ = (
        enum_check("role", Role),
        enum_check("status", UserStatus),
        CheckConstraint("email = lower(email)", name="email_lowercase"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(100))
    role: Mapped[str] = enum_column(Role, default=Role.PATIENT, index=True)
    status: Mapped[str] = enum_column(UserStatus, default=UserStatus.ACTIVE)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    specialization: Mapped[str | None] = mapped_column(String(120))
    licence_number: Mapped[str | None] = mapped_column(String(64))
    email_verified_at: Mapped[datetime | None]
    erased_at: Mapped[datetime | None]

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_active(self) -> bool:
        return self.status == UserStatus.ACTIVE
