"""The period rule ([from, to)) and local calendar periods: hour, day, week and month boundaries across time-zone changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from healix.exceptions import ValidationFailed
from healix.utils.periods import (
    PERIOD_ORDER,
    Period,
    PeriodUnit,
    Span,
    boundaries,
    recent_periods,
    slot_seconds,
)

ZONES = [
    "UTC",
    "America/New_York",
    "Europe/London",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "America/St_Johns",
    "Australia/Lord_Howe",
    "America/Santiago",
    "Pacific/Apia",
]


def _local_hour_starts(start: datetime, end: datetime, tz: ZoneInfo) -> list[datetime]:
    """Reference: walk every quarter hour and keep the local hour starts."""
    instant = start.replace(minute=start.minute // 15 * 15, second=0, microsecond=0)
    while instant.astimezone(tz).minute != 0:
        instant -= timedelta(minutes=15)
    result = [instant]
    while instant < end:
        instant += timedelta(minutes=15)
        while instant.astimezone(tz).minute != 0:
            instant += timedelta(minutes=15)
        result.append(instant)
    return result


@pytest.mark.parametrize("name", ZONES)
def test_hour_boundaries_match_a_quarter_hour_walk_over_a_year(name):
    tz = ZoneInfo(name)
    start, end = datetime(2026, 1, 1, 0, 7, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    assert boundaries(start, end, PeriodUnit.HOUR, tz) == _local_hour_starts(start, end, tz)


def test_new_york_dst_days_have_23_and_25_hours():
    tz = ZoneInfo("America/New_York")
    edges = boundaries(
        datetime(2026, 3, 8, 5, tzinfo=UTC), datetime(2026, 3, 9, 4, tzinfo=UTC), PeriodUnit.DAY, tz
    )
    assert edges[1] - edges[0] == timedelta(hours=23)
    autumn = boundaries(
        datetime(2026, 11, 1, 4, tzinfo=UTC),
        datetime(2026, 11, 2, 5, tzinfo=UTC),
        PeriodUnit.DAY,
        tz,
    )
    assert autumn[1] - autumn[0] == timedelta(hours=25)


def test_weeks_start_on_monday_and_months_on_the_first():
    tz = ZoneInfo("Europe/Berlin")
    weeks = boundaries(
        datetime(2026, 3, 4, tzinfo=UTC), datetime(2026, 3, 20, tzinfo=UTC), PeriodUnit.WEEK, tz
    )
    assert all(edge.astimezone(tz).weekday() == 0 for edge in weeks)
    assert weeks[0].astimezone(tz).isoformat() == "2026-03-02T00:00:00+01:00"
    months = recent_periods(datetime(2026, 3, 15, tzinfo=UTC), PeriodUnit.MONTH, tz, 3)
    assert [edge.astimezone(tz).date().isoformat() for edge in months] == [
        "2026-01-01",
        "2026-02-01",
        "2026-03-01",
        "2026-04-01",
    ]


@pytest.mark.parametrize(
    ("name", "unit", "expected"),
    [
        ("UTC", PeriodUnit.DAY, 86400),
        ("America/New_York", PeriodUnit.DAY, 3600),
        ("Asia/Kolkata", PeriodUnit.HOUR, 900),
        ("Asia/Kolkata", PeriodUnit.DAY, 900),
    ],
)
def test_slot_size_divides_every_boundary(name, unit, expected):
    tz = ZoneInfo(name)
    edges = boundaries(
        datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 20, tzinfo=UTC), unit, tz
    )
    assert slot_seconds([int(edge.timestamp()) for edge in edges]) == expected


def test_a_bounded_period_defaults_to_the_length_before_its_end():
    end = datetime(2026, 3, 31, 12, tzinfo=UTC)

    span = Period(None, end).bounded(default_length=timedelta(days=30))

    assert span == Span(end - timedelta(days=30), end)
    with pytest.raises(ValidationFailed):
        Period(end, None).bounded(default_length=timedelta(days=30), now=end)


def test_a_period_is_half_open_and_ordered():
    start = datetime(2026, 3, 1, tzinfo=UTC)
    end = start + timedelta(days=1)
    period = Period(start, end)
    assert period.contains(start)
    assert not period.contains(end)
    assert Period(None, end).contains(start - timedelta(days=999))
    with pytest.raises(ValueError, match=PERIOD_ORDER):
        Period(end, start)
    with pytest.raises(ValueError, match=PERIOD_ORDER):
        Period(start, start)
