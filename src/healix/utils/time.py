"""Time helpers: aware UTC datetimes and IANA time zones."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


def utcnow() -> datetime:
    return datetime.now(UTC)


def is_valid_timezone(name: str) -> bool:
    if name not in available_timezones():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def zone(name: str | None) -> ZoneInfo:
    """The ZoneInfo for an IANA name, falling back to UTC for unknown or empty names."""
    if name and is_valid_timezone(name):
        return ZoneInfo(name)
    return ZoneInfo("UTC")
