from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from healix.models.base import Base, enum_check, enum_column, uuid_pk
from healix.utils.time import utcnow


class JobStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"
    FAILED = "failed"


#: statuses a job never leaves (except `failed`, which an admin may retry)
FINISHED_STATUSES = frozenset(
    {JobStatus.DONE, JobStatus.SKIPPED, JobStatus.CANCELLED, JobStatus.FAILED}
)


class Job(Base):
    """A unit of background work: the transactional outbox and the record of its outcome.

    A request adds the row in its own transaction, so the work exists exactly when the change
    that caused it was committed. `payload` holds ids only, never health data or secrets.
    A worker claims the row (`running`, with a lease) before it acts and finishes it in the
    transaction that records the effect; `available_at` delays a job (reminders).
    """

    __tablename__ = "jobs"
    __table_args__ = (
        enum_check("status", JobStatus),
        CheckConstraint("attempts >= 0", name="attempts_non_negative"),
        Index("ix_jobs_status_available_at", "status", "available_at"),
        Index("ix_jobs_status_finished_at", "status", "finished_at"),
        Index("ix_jobs_subject_id", "subject_id"),
        Index("ix_jobs_user_id", "user_id"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    kind: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = enum_column(JobStatus, default=JobStatus.PENDING)
    #: the user the job acts for (a mail's recipient); erasure cancels their pending jobs
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: the record the job is about (an appointment...), so its jobs can be found and cancelled
    subject_id: Mapped[uuid.UUID | None]
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: one job per key (a reminder per appointment, lead time and start); cleared on cancel
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    available_at: Mapped[datetime] = mapped_column(default=utcnow)
    dispatched_at: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    lease_until: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    #: a short outcome ("sent", "skipped: email off for reminders", "purged 3 rows")
    result: Mapped[str | None] = mapped_column(String(200))
    #: the last error: exception class and a redacted message, never health data
    last_error: Mapped[str | None] = mapped_column(String(500))
