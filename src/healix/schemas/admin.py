from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from pydantic import EmailStr, Field

from healix.models.user import Role, User, UserStatus
from healix.schemas.common import PageQuery, RequestSchema, Schema


class UserListQuery(PageQuery):
    role: Role | None = None
    status: UserStatus | None = Field(
        default=None, description="Erased accounts are listed only with status=erased"
    )
    q: str | None = Field(
        default=None, max_length=100, description="Case-insensitive part of a name or email"
    )


class UserPath(RequestSchema):
    user_id: uuid.UUID


class AdminUserRead(Schema):
    """A user as administrators see it: account state, never the password hash."""

    id: uuid.UUID
    email: str
    role: str
    status: str
    first_name: str
    last_name: str
    specialization: str | None
    licence_number: str | None
    has_password: bool = Field(description="False until an invited account sets its password")
    email_verified_at: datetime | None
    erased_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, user: User) -> AdminUserRead:
        return cls.model_validate(
            {
                **{
                    name: getattr(user, name) for name in cls.model_fields if name != "has_password"
                },
                "has_password": user.password_hash is not None,
            }
        )


class ProviderCreate(RequestSchema):
    email: EmailStr = Field(max_length=320)
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    specialization: str = Field(min_length=1, max_length=120)
    licence_number: str = Field(min_length=1, max_length=64)


class ProviderInvite(Schema):
    """The new provider and the one-time token that sets its first password."""

    user: AdminUserRead
    password_set_token: str
    expires_at: datetime


class ChangeableStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"


class UserUpdate(RequestSchema):
    status: ChangeableStatus | None = None
    role: Role | None = None
    specialization: str | None = Field(default=None, min_length=1, max_length=120)
    licence_number: str | None = Field(default=None, min_length=1, max_length=64)


class WeekWindow(Schema):
    start: datetime
    end: datetime


class AdminStats(Schema):
    """Counts for the admin dashboard."""

    users: dict[str, dict[str, int]] = Field(description="role -> status -> count")
    appointments_this_week: dict[str, int] = Field(description="status -> count, Mon-Sun UTC")
    week: WeekWindow
    open_alerts: dict[str, int] = Field(description="severity -> count")
    readings_last_24h: int
    jobs: dict[str, int] = Field(
        description="background jobs per status (failed: retries used up, see /api/admin/jobs)"
    )
    generated_at: datetime
