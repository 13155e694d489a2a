"""Background work end to end: the web app commits and publishes to the real Redis, a real
Celery worker process runs the job and delivers to a real SMTP server.

One worker process serves the whole module. Its settings shorten the job lease (2 s) and
the retry backoff (at most 1 s) so that redelivery and retries happen within the test.
"""

from __future__ import annotations

import os
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from healix.config import current_settings
from healix.extensions import db
from healix.models.job import Job, JobStatus
from healix.tasks import queue
from healix.utils.time import utcnow
from tests.celery_worker import REDIS_URL, WorkerProcess, forget_queue, require_redis
from tests.factories.appointments import book, next_monday_at
from tests.smtp_server import Hold, SMTPServer, free_port, running_smtp_server, text_of, wait_until

FAST_JOBS = {
    "job_lease_seconds": 2,
    "job_retry_backoff_seconds": 1,
    "job_retry_backoff_max_seconds": 1,
    "job_max_retries": 3,
}


@pytest.fixture(scope="module")
def smtp() -> Iterator[SMTPServer]:
    with running_smtp_server() as server:
        yield server


@pytest.fixture(scope="module")
def job_settings(app: Flask, smtp: SMTPServer) -> dict[str, Any]:
    """What the web app and the worker share: broker, a queue of this module's own, mail."""
    require_redis()
    worker_id = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return {
        "celery_broker_url": REDIS_URL,
        "celery_queue": f"healix-test-{worker_id}-{uuid.uuid4().hex[:8]}",
        **smtp.settings(),
        **FAST_JOBS,
    }


@pytest.fixture(scope="module")
def worker(
    app: Flask, job_settings: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WorkerProcess]:
    directory: Path = tmp_path_factory.mktemp("worker")
    process = WorkerProcess(
        settings={
            "healix_env": "testing",
            "database_url": app.config["SQLALCHEMY_DATABASE_URI"],
            "instance_path": directory / "instance",
            "ratelimit_enabled": False,
            **job_settings,
        },
        directory=directory,
    )
    process.start()
    yield process
    process.stop()
    forget_queue(job_settings["celery_queue"])


@pytest.fixture
def web(make_app: Callable[..., Flask], job_settings: dict[str, Any], smtp: SMTPServer) -> Flask:
    """The web app, publishing to the worker's queue."""
    smtp.reset()
    return make_app(**job_settings)


@pytest.fixture(autouse=True)
def _settle(app: Flask, worker: WorkerProcess) -> Iterator[None]:
    """Let the worker finish every job before the tables are emptied for the next test."""
    yield
    wait_until(
        lambda: (
            not [
                job
                for job in _jobs(app, JobStatus.PENDING, JobStatus.RUNNING)
                if job.available_at <= utcnow()
            ]
        ),
        what="the worker to finish the due jobs",
    )


def _jobs(app: Flask, *statuses: str, kind: str | None = None) -> list[Job]:
    with app.app_context():
        statement = select(Job).order_by(Job.created_at)
        if statuses:
            statement = statement.where(Job.status.in_(statuses))
        if kind:
            statement = statement.where(Job.kind == kind)
        jobs = list(db.session.scalars(statement))
        db.session.expunge_all()
        db.session.remove()
    return jobs


def _the_job(app: Flask, kind: str) -> Job:
    [job] = _jobs(app, kind=kind)
    return job


def _book(web: Flask, patient: Any, provider: Any, **fields: Any) -> Any:
    response = book(
        web.test_client(),
        patient,
        provider=provider,
        start=next_monday_at(10, weeks_ahead=1),
        **fields,
    )
    assert response.status_code == 201, response.get_json()
    return response


def test_a_booking_mails_the_provider_once_without_clinical_content(
    app, web, smtp, patient, provider
):
    _book(
        web,
        patient,
        provider,
        reason="Chest pain when climbing stairs",
        notes="Taking warfarin",
        location="Room 4",
    )
    [message] = wait_until(lambda: smtp.messages, what="the booking mail")
    job = _the_job(app, "mail.appointment_booked")
    assert message["To"] == provider.user.email
    assert message["Message-ID"] == f"<{job.id}@healix-demo.com>"
    content = text_of(message)
    assert "New appointment" in content
    for clinical in ("Chest pain", "warfarin", "Room 4"):
        assert clinical not in content
    assert "http://127.0.0.1:5000/settings/notifications" in content
    assert wait_until(lambda: _the_job(app, "mail.appointment_booked").status == JobStatus.DONE)
    # the reminders wait for their time; nothing else was sent
    reminders = _jobs(app, JobStatus.PENDING, kind="mail.appointment_reminder")
    assert [job.payload["lead"] for job in reminders] == ["24h", "1h"]
    assert len(smtp.messages) == 1


def test_with_the_broker_down_the_request_succeeds_and_the_relay_delivers_later(
    app, make_app, web, smtp, job_settings, patient, provider
):
    offline = make_app(**job_settings | {"celery_broker_url": f"redis://127.0.0.1:{free_port()}/1"})
    started = time.monotonic()
    _book(offline, patient, provider)
    assert time.monotonic() - started < 5
    job = _the_job(app, "mail.appointment_booked")
    assert job.status == JobStatus.PENDING
    assert job.dispatched_at is None
    time.sleep(0.3)
    assert smtp.messages == []
    with web.app_context():
        assert queue.relay(current_settings()) == 1
    [message] = wait_until(lambda: smtp.messages, what="the relayed mail")
    assert message["To"] == provider.user.email
    with web.app_context():  # relayed once: it is dispatched now, so the next run hands nothing
        assert queue.relay(current_settings()) == 0


def test_a_job_that_fails_twice_is_retried_and_delivered_once(app, web, smtp, patient, provider):
    smtp.handler.refuse_next = 2
    _book(web, patient, provider)
    [message] = wait_until(lambda: smtp.messages, what="the mail after two refusals")
    assert message["To"] == provider.user.email
    job = wait_until(
        lambda: next((j for j in _jobs(app, JobStatus.DONE, kind="mail.appointment_booked")), None),
        what="the job to be done",
    )
    assert job.attempts == 3
    assert job.last_error.startswith("SMTPDataError")
    assert "451" in job.last_error
    assert len(smtp.messages) == 1


def test_a_worker_killed_before_the_server_accepted_is_redelivered_and_sends_once(
    app, web, smtp, worker, patient, provider
):
    hold = smtp.handler.hold_at_ehlo = Hold()
    _book(web, patient, provider)
    assert hold.reached.wait(15), "the worker never connected"
    job = _the_job(app, "mail.appointment_booked")
    assert job.status == JobStatus.RUNNING
    worker.kill(_pid_of(job))
    hold.release()
    [message] = wait_until(lambda: smtp.messages, what="the redelivered mail")
    assert message["To"] == provider.user.email
    done = wait_until(
        lambda: (
            _the_job(app, "mail.appointment_booked").status == JobStatus.DONE
            and _the_job(app, "mail.appointment_booked")
        )
    )
    assert done.attempts == 2
    assert len(smtp.messages) == 1


def test_a_worker_killed_after_the_server_accepted_does_not_send_again(
    app, web, smtp, worker, patient, provider
):
    hold = smtp.handler.hold_at_quit = Hold()
    _book(web, patient, provider)
    assert hold.reached.wait(15), "the worker never said QUIT"
    finished_before = worker.succeeded()
    # the delivery is recorded before QUIT: the job is already done when the worker dies
    job = _the_job(app, "mail.appointment_booked")
    assert job.status == JobStatus.DONE
    worker.kill(_pid_of(job))
    hold.release()
    # the message comes back (acks_late, reject on worker lost) and finds the job done
    wait_until(lambda: worker.succeeded() > finished_before, what="the redelivered task")
    assert len(smtp.messages) == 1
    assert _the_job(app, "mail.appointment_booked").attempts == 1


def test_the_reset_request_takes_as_long_for_known_and_unknown_addresses(app, web, smtp, patient):
    """The SMTP server needs 0.4 s per connection: a request that talked to it would show."""
    smtp.handler.ehlo_delay = 0.4
    client = web.test_client()
    timings: dict[str, list[float]] = {"known": [], "unknown": []}
    for _round in range(6):
        for label, email in (("known", patient.user.email), ("unknown", "nobody@example.com")):
            started = time.perf_counter()
            response = client.post("/api/auth/password-reset/request", json={"email": email})
            timings[label].append(time.perf_counter() - started)
            assert response.status_code == 202
    known, unknown = (statistics.median(timings[label]) for label in ("known", "unknown"))
    assert known < 0.4, timings
    assert abs(known - unknown) < 0.15, timings
    wait_until(lambda: len(smtp.messages) == 6, timeout=30, what="six reset mails")
    assert {message["To"] for message in smtp.messages} == {patient.user.email}


def _pid_of(job: Job) -> int:
    """The pool process holding the job's claim ("host:pid:nonce")."""
    assert job.claimed_by is not None
    return int(job.claimed_by.split(":")[1])
