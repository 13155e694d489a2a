"""Providers' working hours and free slots.

A schedule is stored in `Profile.working_hours` as wall-clock intervals per weekday in the
provider's own timezone, e.g. {"mon": [["09:00", "17:00"]]}. Every comparison with an
appointment happens on absolute (UTC) instants: each day's intervals are turned into instants
with zoneinfo, so a 09:00-17:00 day stays 09:00-17:00 local across DST changes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from healix.audit import logger as audit_logger
from healix.audit.events import AuditAction, ResourceType
from healix.controllers.access import active_provider
from healix.controllers.profile_controller import get_or_create_profile
from healix.models.appointment import HOLDS_SLOT, Appointment
from healix.models.profile import Profile
from healix.models.user import User
from healix.schemas.schedule import DAY_KEYS, ScheduleUpdate
from healix.utils.time import utcnow, zone

DEFAULT_HOURS: dict[str, list[list[str]]] = {
    day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")
}


@dataclass(frozen=True)
class Schedule:
    provider_id: uuid.UUID
    timezone: str
    days: dict[str, list[list[str]]]
    is_default: bool
    #: patients' bookings wait for the provider's confirmation (status 'requested')
    requires_approval: bool = False

    @property
    def tz(self) -> ZoneInfo:
        return zone(self.timezone)


@dataclass(frozen=True)
class Availability:
    """The free slots of one local day, as (start, end) in the provider's timezone."""

    schedule: Schedule
    day: date
    duration_minutes: int
    slots: list[tuple[datetime, datetime]]


def get_schedule(session: Session, *, provider_id: uuid.UUID) -> Schedule:
    """The provider's weekly schedule, or the default one while none is set."""
    profile = session.get(Profile, provider_id)
    timezone = zone(profile.timezone if profile else None).key
    hours = profile.working_hours if profile else None
    approval = bool(profile and profile.appointments_need_approval)
    if hours is None:
        return Schedule(provider_id, timezone, DEFAULT_HOURS, True, requires_approval=approval)
    return Schedule(provider_id, timezone, hours, False, requires_approval=approval)


def set_schedule(session: Session, *, actor: User, data: ScheduleUpdate) -> Schedule:
    """Replace the provider's weekly schedule (and timezone and the approval setting, if
    given)."""
    profile = get_or_create_profile(session, actor)
    profile.working_hours = {
        day: [[_hhmm(interval.start), _hhmm(interval.end)] for interval in data.days.of(day)]
        for day in DAY_KEYS
        if data.days.of(day)
    }
    changed = ["working_hours"]
    if data.timezone is not None:
        profile.timezone = data.timezone
        changed.append("timezone")
    if data.requires_approval is not None:
        profile.appointments_need_approval = data.requires_approval
        changed.append("appointments_need_approval")
    session.flush()
    audit_logger.record(
        session,
        AuditAction.USER_UPDATE_PROFILE,
        actor=actor,
        resource_type=ResourceType.PROVIDER_SCHEDULE,
        resource_id=actor.id,
        details={"fields": changed},
    )
    return get_schedule(session, provider_id=actor.id)


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def working_intervals(schedule: Schedule, day: date) -> list[tuple[datetime, datetime]]:
    """The working intervals of a local calendar day, as UTC instants."""
    tz = schedule.tz
    intervals: list[tuple[datetime, datetime]] = []
    for start, end in schedule.days.get(DAY_KEYS[day.weekday()], []):
        local_start = datetime.combine(day, time.fromisoformat(start), tzinfo=tz)
        local_end = datetime.combine(day, time.fromisoformat(end), tzinfo=tz)
        intervals.append((local_start.astimezone(UTC), local_end.astimezone(UTC)))
    return intervals


def within_working_hours(schedule: Schedule, start: datetime, end: datetime) -> bool:
    """Does [start, end) lie inside one working interval of the provider?"""
    local_day = start.astimezone(schedule.tz).date()
    return any(
        work_start <= start and end <= work_end
        for work_start, work_end in working_intervals(schedule, local_day)
    )


def availability(
    session: Session, *, provider_id: uuid.UUID, day: date, duration_minutes: int
) -> Availability:
    """Free slots of `duration_minutes` on a local day, as times in the provider's timezone.

    Slots start at the beginning of each working interval and follow one another; a slot
    that would overlap a scheduled appointment moves to that appointment's end. Slots that
    start in the past are left out.
    """
    active_provider(session, provider_id)
    schedule = get_schedule(session, provider_id=provider_id)
    intervals = working_intervals(schedule, day)
    if not intervals:
        return Availability(schedule, day, duration_minutes, [])
    booked = _booked(session, provider_id, intervals[0][0], intervals[-1][1])
    length, now = timedelta(minutes=duration_minutes), utcnow()
    slots: list[tuple[datetime, datetime]] = []
    for work_start, work_end in intervals:
        cursor = work_start
        while cursor + length <= work_end:
            clash = next((b for b in booked if b[0] < cursor + length and b[1] > cursor), None)
            if clash is not None:
                cursor = clash[1]
                continue
            if cursor >= now:
                slots.append(
                    (cursor.astimezone(schedule.tz), (cursor + length).astimezone(schedule.tz))
                )
            cursor += length
    return Availability(schedule, day, duration_minutes, slots)


def _booked(
    session: Session, provider_id: uuid.UUID, start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    rows = session.execute(
        select(Appointment.start_time, Appointment.end_time)
        .where(
            Appointment.provider_id == provider_id,
            Appointment.status.in_(HOLDS_SLOT),
            Appointment.start_time < end,
            Appointment.end_time > start,
        )
        .order_by(Appointment.start_time)
    )
    return [(row.start_time, row.end_time) for row in rows]
