"""Appointment requests: the provider confirms or declines a patient's booking that waits for
approval (status 'requested', see `schedule_controller.Schedule.requires_approval`).

Confirming makes the request a scheduled appointment (its slot was held all along, so no
check of the time is needed) and plans its reminders; declining cancels it with the
provider's reason. Either way the patient is told in the app and by email. Both change the
status with a conditional UPDATE whose row count is checked, so two answers to one request
(two tabs, a double click) never both win.
"""

from __future__ import annotations

import uuid

from sqlalchemy import update
from sqlalchemy.orm import Session

from healix.audit import logger as audit_logger
from healix.audit.events import AuditAction, ResourceType
from healix.controllers import appointment_mail
from healix.controllers.appointment_controller import get, notify_others
from healix.db import changed_rows
from healix.exceptions import Conflict, Forbidden
from healix.models.appointment import Appointment, AppointmentStatus
from healix.models.user import Role, User
from healix.utils.time import utcnow


def confirm(session: Session, *, actor: User, appointment_id: uuid.UUID) -> Appointment:
    """Confirm a requested appointment: it becomes scheduled and the patient is told."""
    appointment = _answerable(session, actor, appointment_id)
    if appointment.start_time <= utcnow():
        raise Conflict("The requested time has passed; decline the request instead.")
    _answer(session, actor, appointment, AppointmentStatus.SCHEDULED)
    notify_others(
        session,
        appointment,
        actor,
        "appointment_confirmed",
        "Your appointment request was confirmed",
        appointment_mail.CONFIRMED,
    )
    appointment_mail.plan_reminders(session, appointment)
    return appointment


def decline(
    session: Session, *, actor: User, appointment_id: uuid.UUID, reason: str
) -> Appointment:
    """Decline a requested appointment with a reason: it is cancelled, the slot freed."""
    appointment = _answerable(session, actor, appointment_id)
    _answer(session, actor, appointment, AppointmentStatus.CANCELLED, reason=reason)
    notify_others(
        session,
        appointment,
        actor,
        "appointment_declined",
        "Your appointment request was declined",
        appointment_mail.DECLINED,
    )
    return appointment


def _answerable(session: Session, actor: User, appointment_id: uuid.UUID) -> Appointment:
    """A request of the actor's (any for an admin); the patient cannot answer their own."""
    appointment = get(session, actor=actor, appointment_id=appointment_id)
    if actor.role == Role.PATIENT:
        raise Forbidden("Only the provider answers an appointment request.")
    if appointment.status != AppointmentStatus.REQUESTED:
        raise Conflict(f"The appointment is {appointment.status}; there is no request to answer.")
    return appointment


def _answer(
    session: Session,
    actor: User,
    appointment: Appointment,
    status: AppointmentStatus,
    *,
    reason: str | None = None,
) -> None:
    values: dict[str, object] = {"status": str(status), "status_changed_at": utcnow()}
    if status == AppointmentStatus.CANCELLED:
        values |= {"cancellation_reason": reason, "cancelled_by_id": actor.id}
    claimed = changed_rows(
        session,
        update(Appointment)
        .where(
            Appointment.id == appointment.id,
            Appointment.status == AppointmentStatus.REQUESTED,
        )
        .values(**values)
        .execution_options(synchronize_session=False),
    )
    if claimed != 1:
        raise Conflict("The appointment request has already been answered.")
    session.refresh(appointment)
    audit_logger.record(
        session,
        AuditAction.APPOINTMENT_STATUS_CHANGED,
        actor=actor,
        resource_type=ResourceType.APPOINTMENT,
        resource_id=appointment.id,
        patient_id=appointment.patient_id,
        details={"previous_status": str(AppointmentStatus.REQUESTED), "status": str(status)},
    )
