"""Background jobs: the transactional outbox and running each job once.

- `enqueue()` adds a job row in the caller's transaction; when that transaction commits, the
  queue (healix/tasks/queue.py) hands the job to a worker, and a rolled-back transaction takes
  the job with it. The relay hands over whatever was not (broker down at commit time, or a
  delayed job that became due) — see `due_for_relay()`.
- `execute()` is what a worker runs for a job id. It claims the row (status `running` with a
  lease, one winner even when a message is delivered twice), runs the kind's handler, and
  records the outcome in the transaction that commits the handler's work. Work outside the
  database (sending a mail) runs after the preparing transaction commits and is recorded the
  moment the other side has accepted it; see docs/background.md for the guarantees.
- Handlers are registered per kind with `@handler("kind")`; they load what they need by id.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from celery.utils.time import get_exponential_backoff_interval
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from healix.audit import logger as audit_logger
from healix.audit.events import AuditAction, ResourceType
from healix.config import Settings
from healix.db import changed_rows, independent_session, is_postgres
from healix.exceptions import Conflict, HealixError, NotFound
from healix.models.job import Job, JobStatus
from healix.models.user import User
from healix.utils.pagination import Paged, keyset_page
from healix.utils.time import utcnow

#: session.info key: ids of jobs to hand to the queue once the session commits
HANDOFF_KEY = "healix_job_handoff"
_EMAIL_ADDRESS = re.compile(r"[^\s<>()\"',;:]+@[^\s<>()\"',;:]+")
_ERROR_LENGTH = 500


class PermanentJobError(HealixError):
    """A failure that retrying cannot fix (a broken audit chain): the job fails at once."""

    status, title, type_slug = 500, "Job failed", "job-failed"


class LeaseLost(RuntimeError):
    """The job's claim expired and another worker took it over; this run's work is undone."""


@dataclass(frozen=True)
class Skip:
    """Nothing to do any more (the appointment was cancelled, email is switched off)."""

    reason: str


@dataclass(frozen=True)
class External:
    """Work outside the database, such as sending a mail.

    `perform(record)` runs after the handler's transaction has committed and must call
    `record()` as soon as the outside system has accepted the work: that marks the job done.
    """

    perform: Callable[[Callable[[], None]], None]
    result: str


#: a handler's answer: a short result (done, committed with the handler's work), Skip or External
Effect = str | Skip | External
Handler = Callable[[Session, Job, Settings], Effect]


@dataclass(frozen=True)
class Registered:
    kind: str
    run: Handler
    description: str


_HANDLERS: dict[str, Registered] = {}


def handler(kind: str, *, description: str | None = None) -> Callable[[Handler], Handler]:
    """Register the function that runs jobs of `kind` (described by its docstring's first
    line unless `description` is given)."""

    def register(function: Handler) -> Handler:
        if kind in _HANDLERS:
            raise ValueError(f"job kind {kind!r} is registered twice")
        summary = description or (function.__doc__ or kind).strip().splitlines()[0]
        _HANDLERS[kind] = Registered(kind, function, summary)
        return function

    return register


def registered_kinds() -> dict[str, Registered]:
    return dict(_HANDLERS)


def enqueue(
    session: Session,
    *,
    kind: str,
    payload: dict[str, Any] | None = None,
    user_id: uuid.UUID | None = None,
    subject_id: uuid.UUID | None = None,
    available_at: datetime | None = None,
    dedupe_key: str | None = None,
    hand_off: bool = True,
) -> Job | None:
    """Add a job in the caller's transaction; it is handed to a worker after commit.

    `payload` holds ids and flags only. With `dedupe_key`, a second job with the same key is
    not created (returns None). A job with a future `available_at` waits for the relay;
    `hand_off=False` leaves the job to the caller (a CLI command running it in-process).
    """
    if kind not in _HANDLERS:
        raise ValueError(f"no handler for job kind {kind!r}")
    now = utcnow()
    job = Job(
        kind=kind,
        payload=payload or {},
        user_id=user_id,
        subject_id=subject_id,
        available_at=available_at or now,
        dedupe_key=dedupe_key,
    )
    if dedupe_key is None:
        session.add(job)
        session.flush()
    else:
        exists = session.scalar(select(Job.id).where(Job.dedupe_key == dedupe_key))
        if exists is not None:
            return None
        try:
            with session.begin_nested():
                session.add(job)
        except IntegrityError:  # a concurrent transaction planned the same job first
            return None
    if hand_off and job.available_at <= now:
        session.info.setdefault(HANDOFF_KEY, []).append(job.id)
    return job


def cancel_pending(
    session: Session,
    *,
    subject_id: uuid.UUID | None = None,
    user_id: uuid.UUID | None = None,
    kinds: Iterable[str] | None = None,
    result: str,
) -> int:
    """Cancel the not-yet-started jobs about a record or for a user; their dedupe keys are
    released so the same work can be planned again."""
    if subject_id is None and user_id is None:
        raise ValueError("cancel_pending needs a subject_id or a user_id")
    conditions = [Job.status == JobStatus.PENDING]
    if subject_id is not None:
        conditions.append(Job.subject_id == subject_id)
    if user_id is not None:
        conditions.append(Job.user_id == user_id)
    if kinds is not None:
        conditions.append(Job.kind.in_(list(kinds)))
    return changed_rows(
        session,
        update(Job)
        .where(*conditions)
        .values(
            status=JobStatus.CANCELLED, dedupe_key=None, finished_at=utcnow(), result=result[:200]
        )
        .execution_options(synchronize_session=False),
    )


# --- running a job -------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What `execute()` did: `status` is the job's status afterwards; `busy_seconds` is set
    when another worker holds a live claim (try again after that long)."""

    status: str | None
    busy_seconds: float | None = None


def execute(job_id: uuid.UUID, *, settings: Settings, worker: str) -> Outcome:
    """Claim the job, run its handler and record the outcome.

    A failure releases the claim with the error and re-raises (the caller retries), except
    on the last attempt or for a PermanentJobError, where the job is marked failed.
    """
    claim = f"{worker}:{uuid.uuid4().hex[:8]}"[:120]
    with independent_session() as session:
        job = _claim(session, job_id, claim=claim, settings=settings)
        if job is None:
            return _unclaimed(session, job_id)
        attempts = job.attempts
    recorded = False

    def record(result: str) -> None:
        nonlocal recorded
        with independent_session() as session:
            _finish(session, job_id, claim=claim, status=JobStatus.DONE, result=result)
        recorded = True

    try:
        with independent_session() as session:
            job = session.get_one(Job, job_id)
            effect = _HANDLERS[job.kind].run(session, job, settings)
            if isinstance(effect, Skip):
                _finish(
                    session, job_id, claim=claim, status=JobStatus.SKIPPED, result=effect.reason
                )
            elif not isinstance(effect, External):
                _finish(session, job_id, claim=claim, status=JobStatus.DONE, result=effect)
        if isinstance(effect, External):
            result = effect.result
            effect.perform(lambda: record(result))
            if not recorded:
                raise RuntimeError("the job's external work finished without being recorded")
    except Exception as exc:
        if recorded:  # accepted and recorded; a failure after that (a lost QUIT) changes nothing
            return Outcome(JobStatus.DONE)
        final = attempts > settings.job_max_retries or isinstance(exc, PermanentJobError)
        _release(job_id, claim=claim, error=exc, final=final, attempts=attempts, settings=settings)
        if final:
            return Outcome(JobStatus.FAILED)
        raise
    if isinstance(effect, Skip):
        return Outcome(JobStatus.SKIPPED)
    return Outcome(JobStatus.DONE)


def _claim(session: Session, job_id: uuid.UUID, *, claim: str, settings: Settings) -> Job | None:
    now = utcnow()
    claimed = changed_rows(
        session,
        update(Job)
        .where(
            Job.id == job_id,
            or_(
                Job.status == JobStatus.PENDING,
                and_(Job.status == JobStatus.RUNNING, Job.lease_until < now),
            ),
        )
        .values(
            status=JobStatus.RUNNING,
            attempts=Job.attempts + 1,
            claimed_by=claim,
            lease_until=now + timedelta(seconds=settings.job_lease_seconds),
        )
        .execution_options(synchronize_session=False),
    )
    if claimed != 1:
        return None
    return session.get(Job, job_id, populate_existing=True)


def _unclaimed(session: Session, job_id: uuid.UUID) -> Outcome:
    job = session.get(Job, job_id)
    if job is None:  # its transaction rolled back after all, or it was purged
        return Outcome(None)
    if job.status == JobStatus.RUNNING and job.lease_until is not None:
        return Outcome(job.status, busy_seconds=(job.lease_until - utcnow()).total_seconds())
    return Outcome(job.status)


def _finish(session: Session, job_id: uuid.UUID, *, claim: str, status: str, result: str) -> None:
    finished = changed_rows(
        session,
        update(Job)
        .where(Job.id == job_id, Job.claimed_by == claim, Job.status == JobStatus.RUNNING)
        .values(status=status, result=result[:200], finished_at=utcnow(), lease_until=None)
        .execution_options(synchronize_session=False),
    )
    if finished != 1:
        raise LeaseLost(f"job {job_id} was claimed by another worker")


def _release(
    job_id: uuid.UUID,
    *,
    claim: str,
    error: BaseException,
    final: bool,
    attempts: int,
    settings: Settings,
) -> None:
    now = utcnow()
    values: dict[str, Any] = {"last_error": describe_error(error), "lease_until": None}
    if final:
        values |= {"status": JobStatus.FAILED, "finished_at": now}
    else:
        values |= {
            "status": JobStatus.PENDING,
            "available_at": now + timedelta(seconds=retry_delay(attempts, settings)),
            # with a broker, the task's own retry is the next dispatch; without one the relay's
            "dispatched_at": None if settings.eager_jobs else now,
        }
    with independent_session() as session:
        session.execute(
            update(Job)
            .where(Job.id == job_id, Job.claimed_by == claim, Job.status == JobStatus.RUNNING)
            .values(**values),
            execution_options={"synchronize_session": False},
        )


def retry_delay(attempts: int, settings: Settings) -> int:
    """Seconds before attempt `attempts + 1`: exponential, capped (as Celery's retry_backoff)."""
    return int(
        get_exponential_backoff_interval(
            factor=settings.job_retry_backoff_seconds,
            retries=max(attempts - 1, 0),
            maximum=settings.job_retry_backoff_max_seconds,
            full_jitter=False,
        )
    )


def describe_error(error: BaseException) -> str:
    """The error as stored and shown to admins: class and message, addresses redacted.

    Database errors keep only their class (their text can quote the statement's parameters).
    """
    if isinstance(error, SQLAlchemyError):
        original = getattr(error, "orig", None)
        text = type(original).__name__ if original is not None else ""
    elif isinstance(error, HealixError):
        text = error.detail or ""
    else:
        text = str(error)
    text = _EMAIL_ADDRESS.sub("<address>", " ".join(text.split()))
    described = f"{type(error).__name__}: {text}" if text else type(error).__name__
    return described[:_ERROR_LENGTH]


# --- the relay ----------------------------------------------------------------------------


def due_for_relay(
    session: Session, *, now: datetime, settings: Settings, limit: int = 500
) -> list[uuid.UUID]:
    """Jobs a worker should be given now: due, and either never handed over, or handed over
    so long ago (`JOB_REDISPATCH_SECONDS`) that the message must have been lost — including
    jobs whose worker died (their lease ran out). Handing a job over twice is harmless."""
    stale = now - timedelta(seconds=settings.job_redispatch_seconds)
    statement = (
        select(Job.id)
        .where(
            Job.available_at <= now,
            or_(Job.dispatched_at.is_(None), Job.dispatched_at < stale),
            or_(
                Job.status == JobStatus.PENDING,
                and_(Job.status == JobStatus.RUNNING, Job.lease_until < now),
            ),
        )
        .order_by(Job.available_at, Job.id)
        .limit(limit)
    )
    if is_postgres(session):
        statement = statement.with_for_update(skip_locked=True)
    return list(session.scalars(statement))


def mark_dispatched(session: Session, job_ids: Iterable[uuid.UUID], *, now: datetime) -> None:
    ids = list(job_ids)
    if ids:
        session.execute(
            update(Job).where(Job.id.in_(ids)).values(dispatched_at=now),
            execution_options={"synchronize_session": False},
        )


def mark_undispatched(session: Session, job_ids: Iterable[uuid.UUID]) -> None:
    """The broker refused these: the next relay run tries again."""
    ids = list(job_ids)
    if ids:
        session.execute(
            update(Job).where(Job.id.in_(ids)).values(dispatched_at=None),
            execution_options={"synchronize_session": False},
        )


# --- administration -----------------------------------------------------------------------


def list_jobs(
    session: Session,
    *,
    status: str | None,
    kind: str | None,
    limit: int | None,
    cursor: str | None,
) -> Paged[Job]:
    """Jobs, newest first, optionally of one status and kind."""
    statement = select(Job)
    if status is not None:
        statement = statement.where(Job.status == status)
    if kind is not None:
        statement = statement.where(Job.kind == kind)
    return keyset_page(
        session,
        statement,
        sort_columns=[Job.created_at, Job.id],
        sort_key=lambda job: (job.created_at, job.id),
        limit=limit,
        cursor=cursor,
    )


def retry(session: Session, *, actor: User | None, job_id: uuid.UUID) -> Job:
    """Run a failed job again (handed to a worker after commit); other statuses: 409.
    `actor` is the admin, or None for an operator's CLI command."""
    job = session.get(Job, job_id)
    if job is None:
        raise NotFound("No such job.")
    if job.status != JobStatus.FAILED:
        raise Conflict(f"The job is {job.status}; only failed jobs can be retried.")
    job.status = JobStatus.PENDING
    job.available_at = utcnow()
    job.dispatched_at = None
    job.finished_at = None
    session.flush()
    session.info.setdefault(HANDOFF_KEY, []).append(job.id)
    audit_logger.record(
        session,
        AuditAction.ADMIN_RETRY_JOB,
        actor=actor,
        resource_type=ResourceType.JOB,
        resource_id=job.id,
        details={"kind": job.kind, "attempts": job.attempts},
    )
    return job


def counts(session: Session) -> dict[str, int]:
    """Jobs per status (every status present, zero when none)."""
    found = {
        status: count
        for status, count in session.execute(select(Job.status, func.count()).group_by(Job.status))
    }
    return {status.value: int(found.get(status.value, 0)) for status in JobStatus}
