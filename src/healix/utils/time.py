"""Time helpers: aware UTC datetimes and IANA time zones."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

#: how far ahead of the server clock a client's timestamp may be (device clocks drift)
CLOCK_SKEW = timedelta(minutes=5)


def utcnow() -> datetime:
    return datetime.now(UTC)


@cache
def _zone_names() -> frozenset[str]:
    """The system's IANA names, read once: `available_timezones()` walks the whole tz
    database on every call (about 50 ms), which once cost every summary request and 75 % of
    the app's start-up time."""
    return frozenset(available_timezones())


def is_valid_timezone(name: str) -> bool:
    if name not in _zone_names():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


@cache
def known_zones() -> list[str]:
    """Every IANA time zone name this system knows, sorted."""
    return sorted(name for name in _zone_names() if is_valid_timezone(name))


def zone(name: str | None) -> ZoneInfo:
    """The ZoneInfo for an IANA name, falling back to UTC for unknown or empty names."""
    if name and is_valid_timezone(name):
        return ZoneInfo(name)
    return ZoneInfo("UTC")


def is_in_future(instant: datetime, *, now: datetime | None = None) -> bool:
    """Is `instant` (aware) later than now, allowing for CLOCK_SKEW? Without `now`, epoch
    seconds are compared: the schemas check every reading of a batch, and `datetime.now`
    per reading cost more than the rest of the check."""
    if now is not None:
        return instant > now + CLOCK_SKEW
    return instant.timestamp() > time.time() + CLOCK_SKEW.total_seconds()
