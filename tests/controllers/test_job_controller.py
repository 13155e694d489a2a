"""The outbox and the job runner, without a broker: jobs run in-process after commit (the
embedded default), failures wait for the relay, and time is moved with time-machine."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from healix.config import current_settings
from healix.controllers import appointment_mail, job_controller
from healix.db import session_scope
from healix.models.base import uuid7
from healix.models.job import Job, JobStatus
from healix.tasks import queue
from healix.utils.time import utcnow
from tests.factories.appointments import book, next_monday_at
from tests.mails import capture_mails, logged_mails
from tests.smtp_server import free_port

BOOKED = appointment_mail.BOOKED.job_kind


@pytest.fixture(autouse=True)
def _mails(caplog):
    capture_mails(caplog)


def _jobs(dbs, kind: str | None = None) -> list[Job]:
    with dbs() as session:
        statement = select(Job).order_by(Job.created_at)
        if kind:
            statement = statement.where(Job.kind == kind)
        jobs = list(session.scalars(statement))
        session.expunge_all()
    return jobs


def _book(client, patient, provider):
    response = book(client, patient, provider=provider, start=next_monday_at(10, weeks_ahead=1))
    assert response.status_code == 201, response.get_json()
    return response


def test_a_committed_request_runs_its_job_once(app, client, caplog, dbs, patient, provider):
    _book(client, patient, provider)
    [job] = _jobs(dbs, BOOKED)
    assert (job.status, job.attempts, job.result) == (JobStatus.DONE, 1, "sent")
    assert job.payload == {"start_time": next_monday_at(10, weeks_ahead=1).isoformat()}
    with app.app_context():
        again = job_controller.execute(job.id, settings=current_settings(), worker="test")
    assert again == job_controller.Outcome(JobStatus.DONE)
    assert len(logged_mails(caplog)) == 1


def test_a_rolled_back_request_leaves_no_job_and_sends_nothing(
    client, caplog, dbs, monkeypatch, patient, provider
):
    def fail(*args, **kwargs):
        raise RuntimeError("something broke after the mail was queued")

    monkeypatch.setattr(appointment_mail, "plan_reminders", fail)
    response = book(client, patient, provider=provider, start=next_monday_at(10, weeks_ahead=1))
    assert response.status_code == 500
    assert _jobs(dbs) == []
    assert logged_mails(caplog) == []


def test_a_rolled_back_unit_of_work_forgets_its_jobs(app, dbs, caplog, patient):
    def enqueue_then_fail() -> None:
        with session_scope() as session:
            job_controller.enqueue(session, kind="upkeep.purge_sessions")
            raise RuntimeError("rolled back")

    with app.app_context(), pytest.raises(RuntimeError):
        enqueue_then_fail()
    assert _jobs(dbs) == []


def test_a_live_claim_is_left_alone_and_an_expired_one_is_taken_over(app, dbs):
    with dbs() as session:
        job = Job(
            kind="upkeep.purge_sessions",
            status=JobStatus.RUNNING,
            attempts=1,
            claimed_by="elsewhere:1:x",
            lease_until=utcnow() + timedelta(seconds=30),
        )
        session.add(job)
        session.flush()
        job_id = job.id
    with app.app_context():
        busy = job_controller.execute(job_id, settings=current_settings(), worker="test")
    assert busy.status == JobStatus.RUNNING
    assert 0 < busy.busy_seconds <= 30
    with time_machine.travel(utcnow() + timedelta(seconds=31), tick=False), app.app_context():
        taken = job_controller.execute(job_id, settings=current_settings(), worker="test")
    assert taken == job_controller.Outcome(JobStatus.DONE)
    [done] = _jobs(dbs)
    assert done.attempts == 2
    assert done.claimed_by.startswith("test:")


def test_a_failing_job_waits_with_backoff_then_fails_for_good(
    make_app, dbs, caplog, patient, provider
):
    unreachable = make_app(
        mail_backend="smtp",
        smtp_host="127.0.0.1",
        smtp_port=free_port(),
        smtp_use_tls=False,
        job_max_retries=1,
        job_retry_backoff_seconds=10,
    )
    started = utcnow()
    _book(unreachable.test_client(), patient, provider)
    [job] = _jobs(dbs, BOOKED)
    assert (job.status, job.attempts, job.dispatched_at) == (JobStatus.PENDING, 1, None)
    assert job.last_error.startswith("ConnectionRefusedError")
    assert started + timedelta(seconds=10) <= job.available_at <= utcnow() + timedelta(seconds=10)
    with unreachable.app_context():
        assert queue.relay(current_settings()) == 0  # not due yet
        with time_machine.travel(job.available_at + timedelta(seconds=1), tick=False):
            assert queue.relay(current_settings()) == 1
    [job] = _jobs(dbs, BOOKED)
    assert (job.status, job.attempts) == (JobStatus.FAILED, 2)
    assert job.finished_at is not None
    assert logged_mails(caplog) == []


def test_a_job_is_planned_once_per_dedupe_key_and_cancelling_frees_the_key(app, dbs):
    at, subject = utcnow() + timedelta(days=2), uuid7()
    plan = {"kind": "upkeep.purge_sessions", "available_at": at, "dedupe_key": "k"}
    with dbs() as session:
        assert job_controller.enqueue(session, subject_id=subject, **plan) is not None
        assert job_controller.enqueue(session, subject_id=subject, **plan) is None
    with dbs() as session:
        assert job_controller.cancel_pending(session, subject_id=subject, result="moved") == 1
    with dbs() as session:
        assert job_controller.enqueue(session, subject_id=subject, **plan) is not None
    assert [job.status for job in _jobs(dbs)] == [JobStatus.CANCELLED, JobStatus.PENDING]


def test_the_database_refuses_two_jobs_with_one_dedupe_key(dbs):
    twins = [Job(kind="upkeep.purge_sessions", dedupe_key="same") for _ in range(2)]
    with pytest.raises(IntegrityError), dbs() as session:
        session.add_all(twins)


def test_an_unknown_kind_is_refused(dbs):
    with dbs() as session, pytest.raises(ValueError, match="no handler"):
        job_controller.enqueue(session, kind="nothing.here")


def test_the_relay_runs_delayed_jobs_when_they_are_due(app, dbs):
    due = utcnow() + timedelta(hours=3)
    with dbs() as session:
        job_controller.enqueue(session, kind="upkeep.purge_sessions", available_at=due)
    with app.app_context():
        assert queue.relay(current_settings()) == 0
        with time_machine.travel(due + timedelta(seconds=1), tick=False):
            assert queue.relay(current_settings()) == 1
            assert queue.relay(current_settings()) == 0
    [job] = _jobs(dbs)
    assert job.status == JobStatus.DONE


@pytest.mark.parametrize(
    ("error", "described"),
    [
        (
            ConnectionRefusedError(111, "Connection refused"),
            "ConnectionRefusedError: [Errno 111] Connection refused",
        ),
        (
            RuntimeError("5.1.1 <jane.doe@example.com>: Recipient address rejected"),
            "RuntimeError: 5.1.1 <<address>>: Recipient address rejected",
        ),
        (
            IntegrityError("INSERT ... VALUES ('Atorvastatin')", {}, ValueError("x")),
            "IntegrityError: ValueError",
        ),
        (KeyError("lead"), "KeyError: 'lead'"),
    ],
)
def test_stored_errors_name_the_problem_without_addresses_or_data(error, described):
    assert job_controller.describe_error(error) == described


def test_stored_errors_are_bounded():
    assert len(job_controller.describe_error(RuntimeError("x" * 2000))) == 500


def test_counts_cover_every_status(dbs):
    with dbs() as session:
        session.add_all(
            [
                Job(kind="upkeep.purge_sessions", status=JobStatus.FAILED),
                Job(kind="upkeep.purge_sessions", status=JobStatus.FAILED),
                Job(kind="upkeep.purge_sessions", status=JobStatus.DONE),
            ]
        )
    with dbs() as session:
        counts = job_controller.counts(session)
    assert counts == {
        "pending": 0,
        "running": 0,
        "done": 1,
        "skipped": 0,
        "cancelled": 0,
        "failed": 2,
    }
