"""Periods of time: the one period rule (`Period`, half-open [from, to)), and calendar
periods in a user's time zone: hours, days, weeks (from Monday) and months.

Boundaries are computed with zoneinfo, so daylight-saving changes give 23- or 25-hour days
and the repeated autumn hour stays two separate hour buckets. Every boundary is returned as
an aware UTC datetime; callers show bucket starts in the user's zone.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, or_

from healix.exceptions import ValidationFailed
from healix.utils.time import utcnow

PERIOD_ORDER = "`from` must be before `to`"


@dataclass(frozen=True)
class Period:
    """A span of time [start, end): `start` belongs to it, `end` does not; either side may be
    open (None). Every filter by time (history, summary, exports, appointments, the audit log)
    uses this, so a reading at exactly `to` is in none of them and in the next period."""

    start: datetime | None = None
    end: datetime | None = None

    def __post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.start >= self.end:
            raise ValueError(PERIOD_ORDER)

    def where(self, column: Any) -> list[ColumnElement[bool]]:
        """SQL conditions: `column` lies in the period."""
        conditions: list[ColumnElement[bool]] = []
        if self.start is not None:
            conditions.append(column >= self.start)
        if self.end is not None:
            conditions.append(column < self.end)
        return conditions

    def overlapping(self, first_column: Any, last_column: Any) -> list[ColumnElement[bool]]:
        """SQL conditions: a record spanning [first, last] shares an instant with the period."""
        conditions: list[ColumnElement[bool]] = []
        if self.end is not None:
            conditions.append(first_column < self.end)
        if self.start is not None:
            conditions.append(last_column >= self.start)
        return conditions

    def overlapping_days(self, first_day: Any, last_day: Any) -> list[ColumnElement[bool]]:
        """SQL conditions: a record valid on the UTC dates `first_day` to `last_day`
        (inclusive; `last_day` NULL means open-ended) shares an instant with the period."""
        conditions: list[ColumnElement[bool]] = []
        if self.end is not None:
            last_instant = self.end.astimezone(UTC) - timedelta(microseconds=1)
            conditions.append(first_day <= last_instant.date())
        if self.start is not None:
            conditions.append(
                or_(last_day.is_(None), last_day >= self.start.astimezone(UTC).date())
            )
        return conditions

    def contains(self, instant: datetime) -> bool:
        return (self.start is None or self.start <= instant) and (
            self.end is None or instant < self.end
        )

    def bounded(self, *, default_length: timedelta, now: datetime | None = None) -> Span:
        """Both ends set: `end` defaults to now, `start` to `default_length` before `end`
        (a 422 when a given `from` is not before the resulting end)."""
        end = (self.end or now or utcnow()).astimezone(UTC)
        start = (self.start or end - default_length).astimezone(UTC)
        if start >= end:
            raise ValidationFailed.single("from", PERIOD_ORDER)
        return Span(start, end)


@dataclass(frozen=True)
class Span(Period):
    """A period with both ends set."""

    start: datetime
    end: datetime


#: every IANA offset in use is a multiple of 15 minutes, so local hours start on one of these
_QUARTER_HOUR = timedelta(minutes=15)
#: the hour offsets of a 24-hour day, built once (summaries add them to every day)
_DAY_HOURS = tuple(timedelta(hours=hour) for hour in range(24))


class PeriodUnit(StrEnum):
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    """The first instant of a local calendar day, in UTC."""
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def _period_first_day(day: date, unit: PeriodUnit) -> date:
    if unit is PeriodUnit.WEEK:
        return day - timedelta(days=day.weekday())
    if unit is PeriodUnit.MONTH:
        return day.replace(day=1)
    return day


def _next_first_day(day: date, unit: PeriodUnit) -> date:
    if unit is PeriodUnit.WEEK:
        return day + timedelta(days=7)
    if unit is PeriodUnit.MONTH:
        return (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return day + timedelta(days=1)


def _previous_first_day(day: date, unit: PeriodUnit) -> date:
    if unit is PeriodUnit.WEEK:
        return day - timedelta(days=7)
    if unit is PeriodUnit.MONTH:
        return (day - timedelta(days=1)).replace(day=1)
    return day - timedelta(days=1)


def _is_local_hour_start(instant: datetime, tz: ZoneInfo) -> bool:
    local = instant.astimezone(tz)
    return local.minute == 0 and local.second == 0


def _day_hours(midnight: datetime, next_midnight: datetime, tz: ZoneInfo) -> list[datetime]:
    """Local hour starts in [midnight, next_midnight). A 24-hour day has one offset, so its
    hours are plain UTC steps; a day with a clock change is walked in quarter hours."""
    if next_midnight - midnight == timedelta(hours=24):
        return [midnight + step for step in _DAY_HOURS]
    hours, instant = [], midnight
    while instant < next_midnight:
        if _is_local_hour_start(instant, tz):
            hours.append(instant)
        instant += _QUARTER_HOUR
    return hours


def _hour_boundaries(start: datetime, end: datetime, tz: ZoneInfo) -> list[datetime]:
    day = start.astimezone(tz).date() - timedelta(days=1)
    midnight = local_midnight(day, tz)
    result: list[datetime] = []
    while True:
        next_midnight = local_midnight(day + timedelta(days=1), tz)
        result.extend(_day_hours(midnight, next_midnight, tz))
        if next_midnight >= end:
            result.append(next_midnight)
            break
        day, midnight = day + timedelta(days=1), next_midnight
    first = bisect_right(result, start) - 1
    last = bisect_left(result, end)
    return result[first : last + 1]


def boundaries(start: datetime, end: datetime, unit: PeriodUnit, tz: ZoneInfo) -> list[datetime]:
    """Period starts b0 <= start < b1 < ... < bn, with bn >= end (all UTC).

    Buckets are [b(i), b(i+1)); b0 is the start of the period containing `start`.
    """
    if unit is PeriodUnit.HOUR:
        return _hour_boundaries(start, end, tz)
    day = _period_first_day(start.astimezone(tz).date(), unit)
    result = [local_midnight(day, tz)]
    while result[-1] < end:
        day = _next_first_day(day, unit)
        result.append(local_midnight(day, tz))
    return result


def recent_periods(now: datetime, unit: PeriodUnit, tz: ZoneInfo, count: int) -> list[datetime]:
    """Boundaries of the `count` periods ending with the one containing `now`, oldest first
    (count + 1 instants: the last one is the end of the current period)."""
    day = _period_first_day(now.astimezone(tz).date(), unit)
    days = [_next_first_day(day, unit), day]
    for _ in range(count - 1):
        days.append(_previous_first_day(days[-1], unit))
    return [local_midnight(item, tz) for item in reversed(days)]


def slot_seconds(epochs: list[int]) -> int:
    """The longest UTC slot (1 day, 1 h, 15 min, 1 min or 1 s) that every boundary (epoch
    seconds) is aligned to: readings grouped by such slots in SQL fold exactly into the
    buckets."""
    for size in (86400, 3600, 900, 60):
        if all(epoch % size == 0 for epoch in epochs):
            return size
    return 1
