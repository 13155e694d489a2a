from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum

from sqlalchemy import CheckConstraint, Double, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from healix.models.base import Base, TimestampMixin, enum_check, enum_column, uuid_pk


class GoalType(StrEnum):
    STEPS = "steps"
    CALORIES = "calories"
    SLEEP = "sleep"
    HEART_RATE = "heart_rate"
    WATER_INTAKE = "water_intake"
    CUSTOM = "custom"


class GoalPeriod(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


class GoalDirection(StrEnum):
    AT_LEAST = "at_least"
    AT_MOST = "at_most"


class GoalStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    COMPLETED = "completed"
    ABANDONED = "abandoned"


class Goal(TimestampMixin, Base):
    __tablename__ = "goals"
    __table_args__ = (
        enum_check("goal_type", GoalType),
        enum_check("period", GoalPeriod),
        enum_check("direction", GoalDirection),
        enum_check("status", GoalStatus),
        CheckConstraint("target_value > 0", name="target_positive"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    patient_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    goal_type: Mapped[str] = enum_column(GoalType)
    title: Mapped[str | None] = mapped_column(String(200))
    target_value: Mapped[float] = mapped_column(Double)
    unit: Mapped[str] = mapped_column(String(20))
    period: Mapped[str] = enum_column(GoalPeriod, default=GoalPeriod.DAILY)
    direction: Mapped[str] = enum_column(GoalDirection, default=GoalDirection.AT_LEAST)
    status: Mapped[str] = enum_column(GoalStatus, default=GoalStatus.ACTIVE)
    start_date: Mapped[date]
    end_date: Mapped[date | None]
