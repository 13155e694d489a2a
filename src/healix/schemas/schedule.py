"""Providers' weekly working hours and the free slots derived from them."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from datetime import datetime, time
from typing import Annotated, Literal

from pydantic import AfterValidator, ConfigDict, Field, field_serializer, model_validator

from healix.schemas.common import IanaZone, RequestSchema, Schema

DayKey = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
#: Monday first, matching `date.weekday()`
DAY_KEYS: tuple[DayKey, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class WorkingInterval(RequestSchema):
    """One working period of a day, as wall-clock times in the provider's timezone."""

    start: time = Field(description="HH:MM", examples=["09:00"])
    end: time = Field(description="HH:MM, after start", examples=["17:00"])

    @model_validator(mode="after")
    def _start_before_end(self) -> WorkingInterval:
        if self.start >= self.end:
            raise ValueError("start must be before end")
        return self


def _ordered_without_overlaps(intervals: list[WorkingInterval]) -> list[WorkingInterval]:
    ordered = sorted(intervals, key=lambda interval: interval.start)
    for earlier, later in itertools.pairwise(ordered):
        if later.start < earlier.end:
            raise ValueError("working intervals overlap")
    return ordered


#: one day's working intervals, in start order, none overlapping
DayIntervals = Annotated[list[WorkingInterval], AfterValidator(_ordered_without_overlaps)]


class WeekDays(RequestSchema):
    """The working intervals of each weekday; a day left out (or empty) is a day off."""

    mon: DayIntervals = Field(default_factory=list)
    tue: DayIntervals = Field(default_factory=list)
    wed: DayIntervals = Field(default_factory=list)
    thu: DayIntervals = Field(default_factory=list)
    fri: DayIntervals = Field(default_factory=list)
    sat: DayIntervals = Field(default_factory=list)
    sun: DayIntervals = Field(default_factory=list)

    def of(self, day: DayKey) -> list[WorkingInterval]:
        intervals: list[WorkingInterval] = getattr(self, day)
        return intervals


class ScheduleUpdate(RequestSchema):
    """A weekly schedule; a day that is missing (or an empty list) is a day off."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "timezone": "Europe/London",
                "days": {
                    "mon": [{"start": "09:00", "end": "12:30"}, {"start": "13:30", "end": "17:00"}],
                    "wed": [{"start": "09:00", "end": "17:00"}],
                },
            }
        }
    )

    timezone: IanaZone | None = None
    days: WeekDays
    requires_approval: bool | None = Field(
        default=None,
        description="Confirm patients' bookings yourself: they stay 'requested' (holding the "
        "slot) until you confirm or decline them. Left out: unchanged (default false).",
    )


class IntervalRead(Schema):
    start: str = Field(examples=["09:00"])
    end: str = Field(examples=["17:00"])


class ScheduleRead(Schema):
    provider_id: uuid.UUID
    timezone: str
    days: dict[str, list[IntervalRead]]
    #: True while the provider has not set a schedule (Monday-Friday 09:00-17:00)
    is_default: bool
    requires_approval: bool = Field(
        description="Patients' bookings wait for the provider's confirmation"
    )


class ProviderPath(RequestSchema):
    provider_id: uuid.UUID


class AvailabilityQuery(RequestSchema):
    date: dt.date = Field(description="A day in the provider's timezone, YYYY-MM-DD")
    duration_minutes: int = Field(default=30, ge=5, le=480)


class SlotRead(Schema):
    start_time: datetime
    end_time: datetime

    @field_serializer("start_time", "end_time")
    def _with_offset(self, value: datetime) -> str:
        """Always a numeric offset (`+00:00`, never `Z`): the provider's local time."""
        return value.isoformat()


class AvailabilityRead(Schema):
    """The free slots of one day, as times with the provider's UTC offset."""

    provider_id: uuid.UUID
    date: dt.date
    timezone: str
    duration_minutes: int
    requires_approval: bool = Field(
        description="A booking is a request until the provider confirms it"
    )
    slots: list[SlotRead]
