"""Handing jobs to workers: after commit, and by the relay.

With a broker (`CELERY_BROKER_URL`), a committed job is published as `healix.jobs.run(id)`
and marked dispatched; if the broker cannot be reached the job simply stays undispatched and
the relay publishes it later. Without a broker (the embedded default), the same job runs here,
in the process that committed it, right after the commit — so a newcomer sees mails in the
log exactly as a worker would send them; a failed attempt waits for `flask jobs relay`.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from datetime import datetime
from typing import Any

from flask import current_app, has_app_context
from kombu.exceptions import OperationalError
from sqlalchemy import event
from sqlalchemy.orm import Session

from healix.config import Settings, current_settings
from healix.controllers import job_controller
from healix.db import independent_session
from healix.utils.time import utcnow

logger = logging.getLogger("healix.jobs")
_installed = False


def worker_name() -> str:
    """Who holds a claim: host and process (a pool process, not its parent), so an operator
    can find the worker running a job."""
    return f"{socket.gethostname()}:{os.getpid()}"


def install() -> None:
    """Hand over the jobs of every committed session; forget those of a rolled-back one."""
    global _installed
    if _installed:
        return
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_soft_rollback", _after_rollback)
    _installed = True


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint was released: the jobs wait for the real commit
    job_ids: list[uuid.UUID] = session.info.pop(job_controller.HANDOFF_KEY, [])
    if not job_ids:
        return
    if not has_app_context():  # no app to hand over with: the relay will
        logger.warning("%d jobs committed outside an app context wait for the relay", len(job_ids))
        return
    hand_off(job_ids, current_settings())


def _after_rollback(session: Session, previous_transaction: Any) -> None:
    if not previous_transaction.nested:
        session.info.pop(job_controller.HANDOFF_KEY, None)


def hand_off(job_ids: list[uuid.UUID], settings: Settings) -> None:
    if settings.eager_jobs:
        for job_id in job_ids:
            run_here(job_id, settings)
        return
    published = publish(job_ids, settings)
    if published:
        with independent_session() as session:
            job_controller.mark_dispatched(session, published, now=utcnow())


def run_here(job_id: uuid.UUID, settings: Settings) -> None:
    """Run a job in this process (no broker); a failure is recorded on the job, not raised."""
    try:
        job_controller.execute(job_id, settings=settings, worker=worker_name())
    except Exception:
        logger.warning("job %s failed; it is retried by the relay", job_id, exc_info=True)


def publish(job_ids: list[uuid.UUID], settings: Settings) -> list[uuid.UUID]:
    """Publish `healix.jobs.run` for each job; returns those the broker accepted."""
    from healix.tasks.celery_app import RUN_JOB

    celery = current_app.extensions["celery"]
    published: list[uuid.UUID] = []
    for job_id in job_ids:
        try:
            celery.send_task(RUN_JOB, args=[str(job_id)], queue=settings.celery_queue, retry=False)
        except (OperationalError, OSError):
            logger.warning(
                "broker unreachable: %d jobs wait for the relay", len(job_ids) - len(published)
            )
            break
        published.append(job_id)
    return published


def relay(settings: Settings, *, now: datetime | None = None) -> int:
    """Hand over every due job that is not with a worker; returns how many were handed over."""
    now = now or utcnow()
    with independent_session() as session:
        due = job_controller.due_for_relay(session, now=now, settings=settings)
        job_controller.mark_dispatched(session, due, now=now)
    if not due:
        return 0
    if settings.eager_jobs:
        for job_id in due:
            run_here(job_id, settings)
        return len(due)
    published = publish(due, settings)
    missed = due[len(published) :]
    if missed:
        with independent_session() as session:
            job_controller.mark_undispatched(session, missed)
    return len(published)
