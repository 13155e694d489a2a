"""Appointment emails: booked, rescheduled and cancelled (to the parties who did not make the
change); requested (to the provider), confirmed and declined (to the patient); and reminders 24 hours and 1 hour before each scheduled appointment (to the patient).

Reminders are planned as delayed jobs when an appointment is booked and re-planned when it is
rescheduled; a cancelled appointment cancels them. Each reminder is planned once per
appointment, lead time and start time (a dedupe key), and checks again when it is due that
the appointment is still scheduled at that time — so it fires once, never for an appointment
that was moved or cancelled in the meantime, and never after the start.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from healix.controllers import job_controller, mail_controller
from healix.controllers.mail_controller import MailContext, MailKind, SkipMail
from healix.models.appointment import Appointment, AppointmentStatus
from healix.models.profile import EmailCategory
from healix.models.user import User
from healix.utils.time import utcnow

APPOINTMENTS_PATH = "/appointments"
#: where a provider answers appointment requests
SCHEDULE_PATH = "/provider/schedule"
#: lead name -> (how long before the start, how the mail says it)
REMINDER_LEADS: dict[str, tuple[timedelta, str]] = {
    "24h": (timedelta(hours=24), "tomorrow"),
    "1h": (timedelta(hours=1), "in one hour"),
}


def _planned_start(mail: MailContext, appointment: Appointment) -> None:
    """Skip a mail about a time the appointment no longer has (moved again, or cancelled)."""
    if appointment.status != AppointmentStatus.SCHEDULED:
        raise SkipMail(f"the appointment is {appointment.status}")
    planned = mail.job.payload.get("start_time")
    if planned is not None and datetime.fromisoformat(planned) != appointment.start_time:
        raise SkipMail("the appointment was moved again")


def _details(mail: MailContext, appointment: Appointment) -> dict[str, object]:
    """The other party's name and the time: never the reason, notes or location."""
    other_id = (
        appointment.provider_id
        if mail.recipient.id == appointment.patient_id
        else appointment.patient_id
    )
    other = mail.session.get(User, other_id)
    return {
        "other_name": other.full_name if other else mail.settings.clinic_name,
        "when": mail.when(appointment.start_time),
        "link": mail.link(APPOINTMENTS_PATH),
    }


def _booked(mail: MailContext) -> dict[str, object]:
    appointment = mail.subject(Appointment, "appointment")
    _planned_start(mail, appointment)
    return _details(mail, appointment)


def _cancelled(mail: MailContext) -> dict[str, object]:
    return _details(mail, mail.subject(Appointment, "appointment"))


def _requested(mail: MailContext) -> dict[str, object]:
    appointment = mail.subject(Appointment, "appointment")
    if appointment.status != AppointmentStatus.REQUESTED:
        raise SkipMail(f"the request was answered: {appointment.status}")
    return _details(mail, appointment) | {"link": mail.link(SCHEDULE_PATH)}


def _reminder(mail: MailContext) -> dict[str, object]:
    appointment = mail.subject(Appointment, "appointment")
    _planned_start(mail, appointment)
    if appointment.start_time <= utcnow():
        raise SkipMail("the appointment has started")
    return _details(mail, appointment) | {"lead": REMINDER_LEADS[mail.job.payload["lead"]][1]}


_CHANGE = "You receive this email because an appointment of yours was {}."
BOOKED = mail_controller.define(
    "appointment_booked",
    category=EmailCategory.APPOINTMENTS,
    reason=_CHANGE.format("booked"),
    context=_booked,
)
RESCHEDULED = mail_controller.define(
    "appointment_rescheduled",
    category=EmailCategory.APPOINTMENTS,
    reason=_CHANGE.format("moved"),
    context=_booked,
)
CANCELLED = mail_controller.define(
    "appointment_cancelled",
    category=EmailCategory.APPOINTMENTS,
    reason=_CHANGE.format("cancelled"),
    context=_cancelled,
)
REQUESTED = mail_controller.define(
    "appointment_requested",
    category=EmailCategory.APPOINTMENTS,
    reason="You receive this email because a patient asked for an appointment with you.",
    context=_requested,
)
CONFIRMED = mail_controller.define(
    "appointment_confirmed",
    category=EmailCategory.APPOINTMENTS,
    reason="You receive this email because you asked for an appointment.",
    context=_booked,
)
DECLINED = mail_controller.define(
    "appointment_declined",
    category=EmailCategory.APPOINTMENTS,
    reason="You receive this email because you asked for an appointment.",
    context=_cancelled,
)
REMINDER = mail_controller.define(
    "appointment_reminder",
    category=EmailCategory.REMINDERS,
    reason="You receive this email because you have an appointment coming up.",
    context=_reminder,
)


def tell_parties(
    session: Session, appointment: Appointment, *, actor: User, kind: MailKind
) -> None:
    """Mail the parties who did not make the change (both, when an admin made it)."""
    for user_id in (appointment.patient_id, appointment.provider_id):
        if user_id != actor.id:
            mail_controller.send(
                session,
                kind,
                user_id=user_id,
                subject_id=appointment.id,
                payload={"start_time": appointment.start_time.isoformat()},
            )


def plan_reminders(session: Session, appointment: Appointment) -> None:
    """Plan the reminders still ahead for the appointment's current start time."""
    now = utcnow()
    start = appointment.start_time.isoformat()
    for lead, (before, _words) in REMINDER_LEADS.items():
        due = appointment.start_time - before
        if due <= now:
            continue
        mail_controller.send(
            session,
            REMINDER,
            user_id=appointment.patient_id,
            subject_id=appointment.id,
            payload={"lead": lead, "start_time": start},
            available_at=due,
            dedupe_key=f"reminder:{appointment.id}:{lead}:{start}",
        )


def cancel_reminders(session: Session, appointment_id: uuid.UUID) -> int:
    return job_controller.cancel_pending(
        session,
        subject_id=appointment_id,
        kinds=[REMINDER.job_kind],
        result="the appointment was moved or cancelled",
    )


def replan_reminders(session: Session, appointment: Appointment) -> None:
    cancel_reminders(session, appointment.id)
    plan_reminders(session, appointment)
