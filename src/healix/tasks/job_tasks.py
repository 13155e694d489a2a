"""The tasks. Each is thin: it receives a job id or a job kind, never data, and calls one
controller (or queue) function. Retries: `autoretry_for` with exponential backoff (settings
JOB_RETRY_BACKOFF_SECONDS / JOB_RETRY_BACKOFF_MAX_SECONDS, via task_annotations)."""

from __future__ import annotations

import logging
import math
import uuid
from typing import Any

from healix.config import current_settings
from healix.controllers import job_controller
from healix.db import session_scope
from healix.tasks import queue

logger = logging.getLogger("healix.jobs")


def run_job(task: Any, job_id: str) -> str | None:
    """Run one job (healix.jobs.run). A redelivered message finds the job finished and does
    nothing; one that finds another worker's live claim looks again when the claim expires."""
    try:
        parsed = uuid.UUID(job_id)
    except ValueError:
        logger.error("healix.jobs.run got a malformed job id")
        return None
    outcome = job_controller.execute(
        parsed, settings=current_settings(), worker=queue.worker_name()
    )
    if outcome.busy_seconds is not None:
        task.apply_async(args=[job_id], countdown=max(1, math.ceil(outcome.busy_seconds)))
    return outcome.status


def relay() -> int:
    """Hand due and stranded jobs to the workers (healix.jobs.relay, every RELAY_INTERVAL_SECONDS)."""
    return queue.relay(current_settings())


def schedule(kind: str) -> None:
    """Create a job of a periodic kind (healix.jobs.schedule, from beat); it runs after commit."""
    with session_scope() as session:
        job_controller.enqueue(session, kind=kind)
