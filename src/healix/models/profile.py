from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column

from healix.models.base import Base
from healix.utils.time import utcnow


class EmailCategory(StrEnum):
    """What an email is about; each category but security can be switched off."""

    SECURITY = "security"
    APPOINTMENTS = "appointments"
    REMINDERS = "reminders"
    ALERTS = "alerts"
    PRESCRIPTIONS = "prescriptions"


#: notification settings and their defaults. In-app notifications are always kept; `email`
#: switches every optional email off, `email_<category>` one category.
NOTIFICATION_DEFAULTS: dict[str, bool] = {
    "email": True,
    "in_app": True,
    **{f"email_{category}": True for category in EmailCategory if category != "security"},
}


def wants_email(profile: Profile | None, category: EmailCategory) -> bool:
    """Whether the owner of `profile` (None: defaults) wants email of `category`."""
    if category == EmailCategory.SECURITY:
        return True
    stored = (profile.preferences or {}).get("notifications") or {} if profile else {}
    settings = {**NOTIFICATION_DEFAULTS, **stored}
    return bool(settings["email"]) and bool(settings[f"email_{category}"])


class Profile(Base):
    """Demographics and preferences, one row per user (created on first write).

    `working_hours` is a provider's weekly schedule in their own timezone:
    {"mon": [["09:00", "17:00"]], ...}; NULL means the default Monday-Friday 09:00-17:00.
    """

    __tablename__ = "profiles"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    date_of_birth: Mapped[date | None]
    gender: Mapped[str | None] = mapped_column(String(40))
    phone: Mapped[str | None] = mapped_column(String(40))
    health_conditions: Mapped[list[str]] = mapped_column(default=list)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    preferences: Mapped[dict[str, Any]] = mapped_column(default=dict)
    working_hours: Mapped[dict[str, Any] | None]
    #: a provider who confirms patients' bookings: they start as 'requested' (migration 060)
    appointments_need_approval: Mapped[bool] = mapped_column(default=False, server_default=false())
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
