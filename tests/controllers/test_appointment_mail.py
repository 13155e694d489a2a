"""Appointment reminders 24 hours and 1 hour before: each fires once, at its time, never for
a time the appointment no longer has. Time is moved with time-machine; the relay is run by
hand as beat would run it (without a broker the due jobs run in-process)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from healix.config import current_settings
from healix.controllers import appointment_mail
from healix.models.appointment import Appointment
from healix.models.job import Job, JobStatus
from healix.tasks import queue
from tests.factories.appointments import at, book, next_monday_at, next_weekday
from tests.factories.users import sign_in
from tests.mails import capture_mails, logged_mails

REMINDER = appointment_mail.REMINDER.job_kind
MINUTE = timedelta(minutes=1)


@pytest.fixture(autouse=True)
def _mails(caplog):
    capture_mails(caplog)


def _relay_at(app, moment: datetime) -> int:
    with time_machine.travel(moment, tick=False), app.app_context():
        return queue.relay(current_settings())


def _reminders(caplog, patient) -> list[str]:
    return [
        mail.subject
        for mail in logged_mails(caplog, to=patient.user.email)
        if mail.subject.startswith("Reminder")
    ]


def _reminder_jobs(dbs) -> list[tuple[str, str]]:
    with dbs() as session:
        jobs = session.scalars(select(Job).where(Job.kind == REMINDER).order_by(Job.created_at))
        return [(job.payload["lead"], job.status) for job in jobs]


def test_reminders_fire_once_at_their_times_across_a_reschedule_and_a_cancellation(
    app, client, caplog, dbs, patient, provider
):
    start = next_monday_at(10, weeks_ahead=1)
    response = book(client, patient, provider=provider, start=start)
    assert response.status_code == 201
    appointment_id = response.get_json()["id"]
    assert _reminder_jobs(dbs) == [("24h", "pending"), ("1h", "pending")]

    assert _relay_at(app, start - timedelta(hours=24) - MINUTE) == 0
    assert _relay_at(app, start - timedelta(hours=24) + MINUTE) == 1
    assert _reminders(caplog, patient) == [f"Reminder: appointment tomorrow, {_when(start)}"]
    assert _relay_at(app, start - timedelta(hours=24) + 2 * MINUTE) == 0

    # moved to the next day at the same hour: the old 1 h reminder must not fire
    new_start = start + timedelta(days=1)
    with time_machine.travel(start - timedelta(hours=23), tick=False):
        moved = client.patch(
            f"/api/appointments/{appointment_id}",
            json={"start_time": new_start.isoformat(), "duration_minutes": 30},
            headers=sign_in(app, patient.user).headers,
        )
    assert moved.status_code == 200, moved.get_json()
    assert _reminder_jobs(dbs) == [
        ("24h", "done"),
        ("1h", "cancelled"),
        ("24h", "pending"),
        ("1h", "pending"),
    ]
    assert _relay_at(app, start - timedelta(hours=1) + MINUTE) == 0  # the old 1 h one is gone
    assert _relay_at(app, start + MINUTE) == 1  # 24 h before the new start
    assert _reminders(caplog, patient)[-1] == f"Reminder: appointment tomorrow, {_when(new_start)}"

    with time_machine.travel(start + timedelta(hours=1), tick=False):
        cancelled = client.patch(
            f"/api/appointments/{appointment_id}",
            json={"status": "cancelled", "cancellation_reason": "Feeling better"},
            headers=sign_in(app, patient.user).headers,
        )
    assert cancelled.status_code == 200, cancelled.get_json()
    assert _relay_at(app, new_start - timedelta(hours=1) + MINUTE) == 0
    assert len(_reminders(caplog, patient)) == 2
    assert _reminder_jobs(dbs)[-1] == ("1h", "cancelled")
    # the provider heard of the move and the cancellation; no reminder went to them
    provider_subjects = [mail.subject for mail in logged_mails(caplog, to=provider.user.email)]
    assert provider_subjects == [
        f"New appointment on {_when(start)}",
        f"Appointment moved to {_when(new_start)}",
        f"Appointment on {_when(new_start)} cancelled",
    ]


def test_the_one_hour_reminder_says_so_and_comes_alone_when_booked_late(
    app, client, caplog, dbs, patient, provider
):
    day = next_weekday(0, weeks_ahead=1)
    start = at(day, 10)
    with time_machine.travel(at(day, 7), tick=False):
        response = book(client, sign_in(app, patient.user), provider=provider, start=start)
    assert response.status_code == 201, response.get_json()
    assert _reminder_jobs(dbs) == [("1h", "pending")]
    assert _relay_at(app, start - timedelta(minutes=59)) == 1
    assert _reminders(caplog, patient) == [f"Reminder: appointment in one hour, {_when(start)}"]


def test_a_reminder_checks_the_time_again_when_it_is_due(
    app, client, caplog, dbs, patient, provider
):
    """Even if a change bypassed the re-planning, a reminder for an old time is skipped."""
    start = next_monday_at(10, weeks_ahead=1)
    appointment_id = book(client, patient, provider=provider, start=start).get_json()["id"]
    with dbs() as session:
        appointment = session.get(Appointment, uuid.UUID(appointment_id))
        appointment.start_time += timedelta(hours=2)
        appointment.end_time += timedelta(hours=2)
    assert _relay_at(app, start - timedelta(hours=24) + MINUTE) == 1
    assert _reminders(caplog, patient) == []
    with dbs() as session:
        job = session.scalars(
            select(Job).where(Job.kind == REMINDER).order_by(Job.available_at)
        ).first()
        assert (job.status, job.result) == (JobStatus.SKIPPED, "the appointment was moved again")


def test_no_reminder_after_the_start(app, client, caplog, dbs, patient, provider):
    start = next_monday_at(10, weeks_ahead=1)
    book(client, patient, provider=provider, start=start)
    # the relay was down for a day: the 24 h reminder is due, but the appointment has begun
    assert _relay_at(app, start + MINUTE) == 2
    assert _reminders(caplog, patient) == []
    assert [status for _lead, status in _reminder_jobs(dbs)] == ["skipped", "skipped"]


def _when(moment: datetime) -> str:
    return f"{moment:%A} {moment.day} {moment:%B %Y, %H:%M} (UTC)"
