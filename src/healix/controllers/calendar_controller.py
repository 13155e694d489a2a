"""Appointments as iCalendar (RFC 5545): one appointment's `.ics`, and each user's secret
subscription feed that Google, Apple and Outlook calendars poll to stay in sync.

What a calendar event carries, in one place (`appointment_event`): who the appointment is
with, when, where (LOCATION when set), its status, the clinic as ORGANIZER (its name and
the mail sender's address: no one's personal address), a link back to Healix, and a
reminder (VALARM) before upcoming appointments. It never carries the reason, the patient's
notes or the provider's notes: calendars are kept by third parties and shown on lock screens.

The feed URL holds a 256-bit token in its path (calendar apps cannot send headers); only its
SHA-256 is stored. Creating a feed revokes the previous one; a revoked or unknown token is
404. Each read of a feed is audited (CALENDAR_FEED_READ), as a read through the API is.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parseaddr

from icalendar import Alarm, Calendar, Event, vCalAddress, vText
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from healix.audit import logger as audit_logger
from healix.audit.events import AuditAction, ResourceType
from healix.config.settings import Settings
from healix.controllers.appointment_controller import get
from healix.controllers.export_controller import ExportFile
from healix.exceptions import NotFound
from healix.models.appointment import Appointment, AppointmentStatus
from healix.models.calendar_feed import CalendarFeed
from healix.models.user import Role, User
from healix.utils.hashing import new_token, sha256_hex
from healix.utils.time import utcnow

CALENDAR_MIMETYPE = "text/calendar"
TOKEN_PREFIX = "hxcal_"
FEED_PATH = "/api/calendar/feeds/{token}.ics"
#: the feed lists appointments that started at most this long ago, and every later one
RECENT = timedelta(days=30)
MAX_FEED_EVENTS = 500
REMINDER_BEFORE = timedelta(hours=1)
#: how often calendar apps are asked to poll the feed
REFRESH_INTERVAL = timedelta(hours=1)
#: Healix appointment status -> iCalendar STATUS (see `ics_status`)
ICS_STATUS = {
    AppointmentStatus.REQUESTED: "TENTATIVE",
    AppointmentStatus.SCHEDULED: "CONFIRMED",
    AppointmentStatus.COMPLETED: "CONFIRMED",
    AppointmentStatus.NO_SHOW: "CONFIRMED",
    AppointmentStatus.CANCELLED: "CANCELLED",
}


@dataclass(frozen=True)
class IssuedFeed:
    """A new feed with its URL (shown once: only the token's hash is kept)."""

    feed: CalendarFeed
    url: str
    webcal_url: str


# -- events ---------------------------------------------------------------------------------


def ics_status(appointment: Appointment) -> str:
    """The one place a Healix appointment status becomes an iCalendar STATUS: a request
    awaiting the provider's approval is TENTATIVE."""
    return ICS_STATUS[AppointmentStatus(appointment.status)]


def _organizer(settings: Settings) -> vCalAddress:
    _, address = parseaddr(settings.mail_from)
    organizer = vCalAddress(f"mailto:{address or 'no-reply@healix.invalid'}")
    organizer.params["CN"] = vText(settings.clinic_name)
    return organizer


def _with_whom(other: User | None, settings: Settings) -> str:
    if other is None:
        return settings.clinic_name
    if other.role == Role.PROVIDER and other.specialization:
        return f"{other.full_name} ({other.specialization})"
    return other.full_name


def appointment_event(appointment: Appointment, *, other: User | None, settings: Settings) -> Event:
    """One appointment as a VEVENT seen by one party (`other` is the other party)."""
    cancelled = appointment.status == AppointmentStatus.CANCELLED
    with_whom = _with_whom(other, settings)
    event = Event()
    event.add("uid", f"{appointment.id}@healix")
    event.add("dtstamp", utcnow())
    event.add("dtstart", appointment.start_time)
    event.add("dtend", appointment.end_time)
    event.add("summary", f"{settings.clinic_name} appointment with {with_whom}")
    event.add(
        "description",
        f"Appointment with {with_whom}, {appointment.status.replace('_', ' ')}.\n"
        f"See or change it in Healix: {settings.app_base_url}/appointments",
    )
    event.add("organizer", _organizer(settings))
    # a calendar client replaces its copy when SEQUENCE grows: each reschedule and a cancellation
    event.add("sequence", appointment.reschedule_count + (1 if cancelled else 0))
    event.add("status", ics_status(appointment))
    if appointment.location:
        event.add("location", appointment.location)
    if appointment.status == AppointmentStatus.SCHEDULED:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", -REMINDER_BEFORE)
        alarm.add("description", f"Appointment with {with_whom} in one hour")
        event.add_component(alarm)
    return event


def _calendar(events: Sequence[Event], *, name: str | None = None) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Healix//Appointments//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name is not None:
        calendar.add("x-wr-calname", name)
        calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", REFRESH_INTERVAL)
    for event in events:
        calendar.add_component(event)
    content: bytes = calendar.to_ical()
    return content


def _other_party(session: Session, appointment: Appointment, viewer: User) -> User | None:
    other_id = (
        appointment.patient_id if viewer.id == appointment.provider_id else appointment.provider_id
    )
    return session.get(User, other_id)


def appointment_ics(
    session: Session, *, actor: User, appointment_id: uuid.UUID, settings: Settings
) -> ExportFile:
    """One appointment as an iCalendar document, for those who may see it."""
    appointment = get(session, actor=actor, appointment_id=appointment_id)
    event = appointment_event(
        appointment, other=_other_party(session, appointment, actor), settings=settings
    )
    return ExportFile(f"appointment-{appointment.id}.ics", CALENDAR_MIMETYPE, _calendar([event]))


# -- the subscription feed --------------------------------------------------------------------


def feed_urls(token: str, settings: Settings) -> tuple[str, str]:
    """The feed's https URL and the same as webcal:// (which calendar apps subscribe to)."""
    url = settings.app_base_url + FEED_PATH.format(token=token)
    return url, "webcal://" + url.split("://", 1)[1]


def _live_feed(session: Session, user_id: uuid.UUID) -> CalendarFeed | None:
    return session.scalars(
        select(CalendarFeed).where(
            CalendarFeed.user_id == user_id, CalendarFeed.revoked_at.is_(None)
        )
    ).first()


def _revoke_all(session: Session, user_id: uuid.UUID) -> int:
    result = session.execute(
        update(CalendarFeed)
        .where(CalendarFeed.user_id == user_id, CalendarFeed.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _audit(session: Session, action: AuditAction, actor: User, feed: CalendarFeed) -> None:
    audit_logger.record(
        session,
        action,
        actor=actor,
        resource_type=ResourceType.CALENDAR_FEED,
        resource_id=feed.id,
        patient_id=actor.id if actor.role == Role.PATIENT else None,
    )


def create_feed(session: Session, *, actor: User, settings: Settings) -> IssuedFeed:
    """A new secret feed URL for the actor; any earlier feed stops working."""
    _revoke_all(session, actor.id)
    token = new_token(TOKEN_PREFIX)
    feed = CalendarFeed(user_id=actor.id, token_hash=sha256_hex(token))
    session.add(feed)
    session.flush()
    _audit(session, AuditAction.CALENDAR_FEED_CREATED, actor, feed)
    url, webcal = feed_urls(token, settings)
    return IssuedFeed(feed, url, webcal)


def get_feed(session: Session, *, actor: User) -> CalendarFeed:
    """The actor's live feed (its URL is not kept, so it cannot be shown again)."""
    feed = _live_feed(session, actor.id)
    if feed is None:
        raise NotFound("You have no calendar feed.")
    return feed


def revoke_feed(session: Session, *, actor: User) -> None:
    """Stop the actor's feed: its URL answers 404 from now on."""
    feed = get_feed(session, actor=actor)
    feed.revoked_at = utcnow()
    session.flush()
    _audit(session, AuditAction.CALENDAR_FEED_REVOKED, actor, feed)


def read_feed(session: Session, *, token: str, settings: Settings) -> ExportFile:
    """The feed's calendar: the owner's appointments from 30 days ago on (audited)."""
    feed = session.scalars(
        select(CalendarFeed).where(
            CalendarFeed.token_hash == sha256_hex(token), CalendarFeed.revoked_at.is_(None)
        )
    ).first()
    owner = session.get(User, feed.user_id) if feed is not None else None
    if feed is None or owner is None or not owner.is_active:
        raise NotFound("No such calendar feed.")
    appointments = session.scalars(
        select(Appointment)
        .where(
            or_(Appointment.patient_id == owner.id, Appointment.provider_id == owner.id),
            Appointment.start_time >= utcnow() - RECENT,
        )
        .order_by(Appointment.start_time, Appointment.id)
        .limit(MAX_FEED_EVENTS)
    ).all()
    others = {
        user.id: user
        for user in session.scalars(
            select(User).where(
                User.id.in_(
                    {a.patient_id for a in appointments} | {a.provider_id for a in appointments}
                )
            )
        )
    }
    events = [
        appointment_event(
            appointment,
            other=others.get(
                appointment.patient_id
                if owner.id == appointment.provider_id
                else appointment.provider_id
            ),
            settings=settings,
        )
        for appointment in appointments
    ]
    audit_logger.record(
        session,
        AuditAction.CALENDAR_FEED_READ,
        actor=owner,
        resource_type=ResourceType.CALENDAR_FEED,
        resource_id=feed.id,
        patient_id=owner.id if owner.role == Role.PATIENT else None,
        details={"events": len(events)},
    )
    name = f"{settings.clinic_name} appointments"
    return ExportFile("healix-appointments.ics", CALENDAR_MIMETYPE, _calendar(events, name=name))
