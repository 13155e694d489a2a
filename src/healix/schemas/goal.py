"""Health goals, their progress per period, and manual progress entries."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import ConfigDict, Field, model_validator

from healix.models.goal import GoalDirection, GoalPeriod, GoalStatus, GoalType
from healix.schemas.common import OMITTABLE, NotFutureDatetime, PageQuery, RequestSchema, Schema

MAX_PROGRESS_PERIODS = 60


def _check_dates(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and end < start:
        raise ValueError("end_date must not be before start_date")


class GoalCreate(RequestSchema):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {"goal_type": "steps", "target_value": 8000, "period": "daily"}
        }
    )

    goal_type: GoalType
    title: str | None = Field(default=None, max_length=200)
    target_value: float = Field(gt=0)
    unit: str | None = Field(
        default=None,
        max_length=20,
        description="Default: the biomarker's unit (steps, kcal, h, /min) or mL for water; "
        "required for custom goals",
    )
    period: GoalPeriod = GoalPeriod.DAILY
    direction: GoalDirection = GoalDirection.AT_LEAST
    start_date: date | None = Field(default=None, description="Default: today (your time zone)")
    end_date: date | None = None

    @model_validator(mode="after")
    def _dates(self) -> GoalCreate:
        _check_dates(self.start_date, self.end_date)
        return self


class GoalUpdate(RequestSchema):
    title: str | None = Field(default=None, max_length=200)
    target_value: Annotated[float, Field(gt=0)] | None = OMITTABLE
    unit: Annotated[str, Field(min_length=1, max_length=20)] | None = OMITTABLE
    period: GoalPeriod | None = OMITTABLE
    direction: GoalDirection | None = OMITTABLE
    status: GoalStatus | None = OMITTABLE
    start_date: date | None = OMITTABLE
    end_date: date | None = None

    @model_validator(mode="after")
    def _dates(self) -> GoalUpdate:
        _check_dates(self.start_date, self.end_date)
        for name in ("target_value", "unit", "period", "direction", "status", "start_date"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null")
        return self


class GoalPath(RequestSchema):
    goal_id: uuid.UUID


class GoalListQuery(PageQuery):
    patient_id: uuid.UUID | None = Field(default=None, description="Default: yourself")
    status: GoalStatus | None = None


class ProgressQuery(RequestSchema):
    periods: int = Field(default=7, ge=1, le=MAX_PROGRESS_PERIODS)


class GoalProgress(Schema):
    period_start: datetime = Field(description="Start of the period in the patient's time zone")
    period_end: datetime
    current_value: float | None = Field(description="In the goal's unit; null without data")
    percent: float | None
    achieved: bool


class GoalFields(Schema):
    id: uuid.UUID
    patient_id: uuid.UUID
    goal_type: GoalType
    title: str | None
    target_value: float
    unit: str
    period: GoalPeriod
    direction: GoalDirection
    status: GoalStatus
    start_date: date
    end_date: date | None
    created_at: datetime
    updated_at: datetime


class GoalRead(GoalFields):
    progress: GoalProgress = Field(description="Progress in the current period")
    achieved_in_last_7: int = Field(
        description="How many of the last 7 periods (days for a daily goal; the current one "
        "included) achieved the target"
    )
    streak: int = Field(
        description="Consecutive achieved periods up to now (the current period counts once "
        "achieved; counted back at most 60 periods, never before the goal's start date)"
    )


class GoalProgressHistory(Schema):
    goal_id: uuid.UUID
    items: list[GoalProgress] = Field(description="Newest period first")


class ProgressEntryCreate(RequestSchema):
    value: float = Field(gt=0)
    recorded_at: NotFutureDatetime | None = Field(default=None, description="Default: now")
    note: str | None = Field(default=None, max_length=500)


class ProgressEntryRead(Schema):
    id: uuid.UUID
    goal_id: uuid.UUID
    value: float
    recorded_at: datetime
    note: str | None
    created_at: datetime
