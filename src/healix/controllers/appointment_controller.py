"""Appointments: booking, visibility, reschedules and status changes (their calendar files
are `calendar_controller`'s).

Double booking is refused twice over: an overlap query gives a clean 409 on both databases
(SQLite serialises transactions, so there the check and the insert are atomic), and on
PostgreSQL the exclusion constraints of migrations 003 and 060 catch the race between
concurrent transactions; their violation (SQLSTATE 23P01) becomes the same 409. Both cover
the statuses that hold a slot (`HOLDS_SLOT`): requested and scheduled.

A patient's booking with a provider who requires approval starts as 'requested'; the
provider answers it in `appointment_requests`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import Select, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from healix.audit import logger as audit_logger
from healix.audit.events import AuditAction, ResourceType
from healix.controllers import appointment_mail, schedule_controller
from healix.controllers.access import (
    access_denied,
    active_patient,
    active_provider,
    ensure_patient_access,
)
from healix.controllers.mail_controller import MailKind
from healix.controllers.notification_controller import notify
from healix.controllers.profile_controller import users_by_id
from healix.exceptions import Conflict, Forbidden, ValidationFailed
from healix.models.appointment import HOLDS_SLOT, Appointment, AppointmentStatus
from healix.models.user import Role, User
from healix.schemas.appointment import AppointmentCreate, AppointmentQuery, AppointmentUpdate
from healix.utils.pagination import Paged, keyset_page
from healix.utils.time import utcnow

EXCLUSION_VIOLATION = "23P01"
OVERLAP_CONSTRAINTS = ("ex_appointments_provider_overlap", "ex_appointments_patient_overlap")
RESOURCE = ResourceType.APPOINTMENT


class SlotTaken(Conflict):
    """The time overlaps another scheduled appointment of the provider or the patient."""


def create(
    session: Session, *, actor: User, data: AppointmentCreate, horizon: timedelta
) -> Appointment:
    """Book an appointment after checking the parties, the time (at most `horizon` ahead,
    BOOKING_HORIZON_DAYS) and the slot."""
    patient_id, provider_id = _parties(session, actor, data)
    start = data.start_time.astimezone(UTC)
    if data.end_time is not None:
        end = data.end_time.astimezone(UTC)
    else:
        end = start + timedelta(minutes=data.duration_minutes or 0)
    schedule = _check_time(
        session,
        provider_id=provider_id,
        patient_id=patient_id,
        start=start,
        end=end,
        horizon=horizon,
    )
    requested = actor.role == Role.PATIENT and schedule.requires_approval
    appointment = Appointment(
        patient_id=patient_id,
        provider_id=provider_id,
        created_by_id=actor.id,
        start_time=start,
        end_time=end,
        status=AppointmentStatus.REQUESTED if requested else AppointmentStatus.SCHEDULED,
        reason=data.reason,
        notes=data.notes,
        location=data.location,
    )
    with _claiming_slot(session):
        session.add(appointment)
    audit_logger.record(
        session,
        AuditAction.APPOINTMENT_CREATED,
        actor=actor,
        resource_type=RESOURCE,
        resource_id=appointment.id,
        patient_id=patient_id,
        details={"provider_id": str(provider_id), "status": appointment.status},
    )
    if requested:
        notify_others(
            session,
            appointment,
            actor,
            "appointment_requested",
            "New appointment request",
            appointment_mail.REQUESTED,
        )
        return appointment
    notify_others(
        session,
        appointment,
        actor,
        "appointment_booked",
        "New appointment booked",
        appointment_mail.BOOKED,
    )
    appointment_mail.plan_reminders(session, appointment)
    return appointment


def _parties(session: Session, actor: User, data: AppointmentCreate) -> tuple[uuid.UUID, uuid.UUID]:
    """(patient_id, provider_id) of a booking, checked against the actor's role."""
    if actor.role == Role.PATIENT:
        if data.patient_id not in (None, actor.id):
            raise ValidationFailed.single("patient_id", "patients book for themselves")
        if data.provider_id is None:
            raise ValidationFailed.single("provider_id", "is required")
        active_provider(session, data.provider_id)
        return actor.id, data.provider_id
    if actor.role == Role.PROVIDER:
        if data.provider_id not in (None, actor.id):
            raise ValidationFailed.single("provider_id", "providers book for themselves")
        if data.patient_id is None:
            raise ValidationFailed.single("patient_id", "is required")
        ensure_patient_access(session, actor=actor, patient_id=data.patient_id, audit=False)
        active_patient(session, data.patient_id)
        return data.patient_id, actor.id
    if data.patient_id is None or data.provider_id is None:
        raise ValidationFailed.single("patient_id", "admins give both patient_id and provider_id")
    active_provider(session, data.provider_id)
    active_patient(session, data.patient_id)
    return data.patient_id, data.provider_id


def _check_time(
    session: Session,
    *,
    provider_id: uuid.UUID,
    patient_id: uuid.UUID,
    start: datetime,
    end: datetime,
    horizon: timedelta,
    ignore_id: uuid.UUID | None = None,
) -> schedule_controller.Schedule:
    """Refuse a past start, one beyond the booking horizon, a time outside working hours,
    or an overlap; answer the provider's schedule."""
    if end <= start:
        raise ValidationFailed.single("end_time", "must be after start_time")
    now = utcnow()
    if start < now:
        raise ValidationFailed.single("start_time", "must not be in the past")
    if start > now + horizon:
        raise ValidationFailed.single(
            "start_time", f"must be within {horizon.days} days from now (the booking horizon)"
        )
    schedule = schedule_controller.get_schedule(session, provider_id=provider_id)
    if not schedule_controller.within_working_hours(schedule, start, end):
        raise ValidationFailed.single("start_time", "is outside the provider's working hours")
    clash = session.execute(
        _overlapping(start, end, ignore_id).where(
            or_(Appointment.provider_id == provider_id, Appointment.patient_id == patient_id)
        )
    ).first()
    if clash is not None:
        who = "provider" if clash.provider_id == provider_id else "patient"
        raise SlotTaken(f"The {who} already has an appointment at that time.")
    return schedule


def _overlapping(
    start: datetime, end: datetime, ignore_id: uuid.UUID | None
) -> Select[uuid.UUID, uuid.UUID]:
    """Appointments holding a slot that overlap the half-open range [start, end)."""
    statement = select(Appointment.id, Appointment.provider_id).where(
        Appointment.status.in_(HOLDS_SLOT),
        Appointment.start_time < end,
        Appointment.end_time > start,
    )
    if ignore_id is not None:
        statement = statement.where(Appointment.id != ignore_id)
    return statement


@contextmanager
def _claiming_slot(session: Session) -> Iterator[None]:
    """Write the slot in a savepoint, turning a PostgreSQL overlap-constraint violation into
    SlotTaken. The savepoint keeps the request's transaction (and the loaded actor) usable."""
    try:
        with session.begin_nested():
            yield
    except IntegrityError as exc:
        if _is_overlap_violation(exc):
            raise SlotTaken("That time was just taken by another appointment.") from exc
        raise


def _is_overlap_violation(exc: IntegrityError) -> bool:
    if getattr(exc.orig, "sqlstate", None) == EXCLUSION_VIOLATION:
        return True
    return any(name in str(exc.orig) for name in OVERLAP_CONSTRAINTS)


def notify_others(
    session: Session,
    appointment: Appointment,
    actor: User,
    kind: str,
    title: str,
    mail: MailKind,
) -> None:
    """Tell the parties who did not make the change, in the app and by email."""
    for user_id in (appointment.patient_id, appointment.provider_id):
        if user_id != actor.id:
            notify(
                session,
                user_id=user_id,
                kind=kind,
                title=title,
                data={"appointment_id": str(appointment.id)},
            )
    appointment_mail.tell_parties(session, appointment, actor=actor, kind=mail)


def _visible(actor: User) -> Select[Appointment]:
    """Appointments the actor is a party to (all of them for an admin), in SQL."""
    statement = select(Appointment)
    if actor.role == Role.PATIENT:
        return statement.where(Appointment.patient_id == actor.id)
    if actor.role == Role.PROVIDER:
        return statement.where(Appointment.provider_id == actor.id)
    return statement


def list_appointments(
    session: Session, *, actor: User, query: AppointmentQuery
) -> Paged[Appointment]:
    """The actor's appointments by start time (soonest first, or latest first with
    order=desc), optionally filtered by status and period."""
    statement = _visible(actor).where(*query.period.where(Appointment.start_time))
    if query.status is not None:
        statement = statement.where(Appointment.status == query.status)
    if query.patient_id is not None:
        statement = statement.where(Appointment.patient_id == query.patient_id)
    return keyset_page(
        session,
        statement,
        sort_columns=[Appointment.start_time, Appointment.id],
        sort_key=lambda row: (row.start_time, row.id),
        limit=query.limit,
        cursor=query.cursor,
        descending=query.order == "desc",
    )


def parties(session: Session, appointments: Sequence[Appointment]) -> dict[uuid.UUID, User]:
    """The patients and providers of these appointments, by id, in one query."""
    return users_by_id(
        session, {a.patient_id for a in appointments} | {a.provider_id for a in appointments}
    )


def get(session: Session, *, actor: User, appointment_id: uuid.UUID) -> Appointment:
    """An appointment the actor is a party to (any for an admin); others answer 404."""
    appointment = session.get(Appointment, appointment_id)
    if appointment is None:
        raise access_denied(RESOURCE, appointment_id)
    if actor.role != Role.ADMIN and actor.id not in (
        appointment.patient_id,
        appointment.provider_id,
    ):
        raise access_denied(RESOURCE, appointment_id, appointment.patient_id)
    return appointment


def update(
    session: Session,
    *,
    actor: User,
    appointment_id: uuid.UUID,
    data: AppointmentUpdate,
    horizon: timedelta,
) -> Appointment:
    """Reschedule, change the status, or edit the notes of an appointment.

    Completed, no-show and cancelled appointments are final: their status and times no
    longer change (409), while notes can still be added. A request can be rescheduled (it
    stays a request) or cancelled (withdrawn), not completed.
    """
    appointment = get(session, actor=actor, appointment_id=appointment_id)
    if actor.role == Role.PATIENT and "provider_notes" in data.model_fields_set:
        raise Forbidden("Only the provider writes provider notes.")
    final = appointment.status not in HOLDS_SLOT
    if final and (data.reschedules or data.status is not None):
        raise Conflict(f"The appointment is {appointment.status}; it can no longer change.")
    if data.reschedules:
        _reschedule(session, actor, appointment, data, horizon)
    if data.status is not None:
        _change_status(session, actor, appointment, data)
    _edit_fields(session, actor, appointment, data)
    return appointment


def _reschedule(
    session: Session,
    actor: User,
    appointment: Appointment,
    data: AppointmentUpdate,
    horizon: timedelta,
) -> None:
    previous_start, previous_end = appointment.start_time, appointment.end_time
    start = data.start_time.astimezone(UTC) if data.start_time else previous_start
    if data.end_time is not None:
        end = data.end_time.astimezone(UTC)
    elif data.duration_minutes is not None:
        end = start + timedelta(minutes=data.duration_minutes)
    else:
        end = start + (previous_end - previous_start)
    _check_time(
        session,
        provider_id=appointment.provider_id,
        patient_id=appointment.patient_id,
        start=start,
        end=end,
        horizon=horizon,
        ignore_id=appointment.id,
    )
    with _claiming_slot(session):
        appointment.start_time, appointment.end_time = start, end
        appointment.reschedule_count += 1
    audit_logger.record(
        session,
        AuditAction.APPOINTMENT_RESCHEDULED,
        actor=actor,
        resource_type=RESOURCE,
        resource_id=appointment.id,
        patient_id=appointment.patient_id,
        details={
            "previous_start": previous_start.isoformat(),
            "previous_end": previous_end.isoformat(),
            "reschedule_count": appointment.reschedule_count,
        },
    )
    notify_others(
        session,
        appointment,
        actor,
        "appointment_rescheduled",
        "Appointment rescheduled",
        appointment_mail.RESCHEDULED,
    )
    appointment_mail.replan_reminders(session, appointment)


def _change_status(
    session: Session, actor: User, appointment: Appointment, data: AppointmentUpdate
) -> None:
    new_status = AppointmentStatus(str(data.status))
    if new_status in (AppointmentStatus.COMPLETED, AppointmentStatus.NO_SHOW):
        if actor.role == Role.PATIENT:
            raise Forbidden("Only the provider marks an appointment completed or missed.")
        if appointment.status == AppointmentStatus.REQUESTED:
            raise Conflict("The appointment request has not been confirmed.")
        if utcnow() < appointment.start_time:
            raise Conflict("The appointment has not started yet.")
    previous = appointment.status
    appointment.status = new_status
    appointment.status_changed_at = utcnow()
    if new_status == AppointmentStatus.CANCELLED:
        appointment.cancellation_reason = data.cancellation_reason
        appointment.cancelled_by_id = actor.id
    session.flush()
    audit_logger.record(
        session,
        AuditAction.APPOINTMENT_STATUS_CHANGED,
        actor=actor,
        resource_type=RESOURCE,
        resource_id=appointment.id,
        patient_id=appointment.patient_id,
        details={"previous_status": previous, "status": str(new_status)},
    )
    appointment_mail.cancel_reminders(session, appointment.id)
    if new_status == AppointmentStatus.CANCELLED:
        notify_others(
            session,
            appointment,
            actor,
            "appointment_cancelled",
            "Appointment cancelled",
            appointment_mail.CANCELLED,
        )


def _edit_fields(
    session: Session, actor: User, appointment: Appointment, data: AppointmentUpdate
) -> None:
    changed = sorted({"reason", "notes", "provider_notes", "location"} & data.model_fields_set)
    if not changed:
        return
    if "reason" in changed and data.reason is None:
        raise ValidationFailed.single("reason", "cannot be removed")
    for field in changed:
        setattr(appointment, field, getattr(data, field))
    session.flush()
    audit_logger.record(
        session,
        AuditAction.APPOINTMENT_UPDATED,
        actor=actor,
        resource_type=RESOURCE,
        resource_id=appointment.id,
        patient_id=appointment.patient_id,
        details={"fields": changed},
    )
