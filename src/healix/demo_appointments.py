"""Demo appointments: for each demo care pair, past completed visits and upcoming ones.

Past visits are written directly (the API refuses past start times). Upcoming ones fall on
weekdays inside the default working hours, in the provider's own timezone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from healix.controllers.schedule_controller import get_schedule, within_working_hours
from healix.models.appointment import Appointment, AppointmentStatus
from healix.models.user import User
from healix.utils.time import utcnow


@dataclass(frozen=True)
class DemoVisit:
    provider: str
    patient: str
    #: days from today, moved forward to the next weekday
    days: int
    local_start: time
    minutes: int
    reason: str
    provider_notes: str | None = None
    #: a patient's request still waiting for the provider's answer
    requested: bool = False


DEMO_VISITS = [
    DemoVisit(
        "dr.grey@healix-demo.com",
        "alice@healix-demo.com",
        -40,
        time(10),
        30,
        "Palpitations after exercise",
        "ECG normal; 24h Holter ordered.",
    ),
    DemoVisit(
        "dr.grey@healix-demo.com",
        "alice@healix-demo.com",
        -12,
        time(10),
        30,
        "Holter results review",
        "Occasional ectopics, benign. Review in 3 months.",
    ),
    DemoVisit(
        "dr.grey@healix-demo.com",
        "bob@healix-demo.com",
        -20,
        time(14),
        45,
        "Blood pressure check",
        "BP 142/91; lifestyle advice, home monitoring.",
    ),
    DemoVisit(
        "dr.house@healix-demo.com",
        "carol@healix-demo.com",
        -15,
        time(11),
        60,
        "Recurring fatigue",
        "Bloods requested: FBC, ferritin, TSH.",
    ),
    DemoVisit("dr.grey@healix-demo.com", "alice@healix-demo.com", 3, time(10), 30, "Follow-up"),
    DemoVisit(
        "dr.grey@healix-demo.com", "bob@healix-demo.com", 4, time(11, 30), 30, "Home BP readings"
    ),
    DemoVisit(
        "dr.house@healix-demo.com", "carol@healix-demo.com", 5, time(14), 45, "Blood results"
    ),
    DemoVisit(
        "dr.grey@healix-demo.com",
        "bob@healix-demo.com",
        6,
        time(15),
        30,
        "Dizziness in the mornings",
        requested=True,
    ),
]


def _weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _status(visit: DemoVisit) -> AppointmentStatus:
    if visit.days < 0:
        return AppointmentStatus.COMPLETED
    return AppointmentStatus.REQUESTED if visit.requested else AppointmentStatus.SCHEDULED


def extend_demo(session: Session, users_by_email: dict[str, User]) -> None:
    """Add the demo appointments (DEMO_EXTENSIONS hook)."""
    now = utcnow()
    for visit in DEMO_VISITS:
        provider = users_by_email[visit.provider]
        patient = users_by_email[visit.patient]
        schedule = get_schedule(session, provider_id=provider.id)
        local_today = now.astimezone(schedule.tz).date()
        day = _weekday(local_today + timedelta(days=visit.days))
        start = datetime.combine(day, visit.local_start, tzinfo=schedule.tz).astimezone(UTC)
        end = start + timedelta(minutes=visit.minutes)
        past = visit.days < 0
        if not past and not within_working_hours(schedule, start, end):
            raise ValueError(f"demo visit outside working hours: {visit}")
        session.add(
            Appointment(
                patient_id=patient.id,
                provider_id=provider.id,
                created_by_id=patient.id,
                start_time=start,
                end_time=end,
                status=_status(visit),
                status_changed_at=end if past else None,
                reason=visit.reason,
                provider_notes=visit.provider_notes,
                location="Healix Clinic" if past else "Video call",
            )
        )
    session.flush()
