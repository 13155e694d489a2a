"""What /api/metrics reports from the database: jobs by status (queue depth, failures),
readings stored and received, and the outcome of the last audit chain verification.

Counted at scrape time from the tables every worker shares, so the figures are the same
whichever worker answers the scrape (no per-process state to merge).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from healix.controllers.upkeep_controller import UPKEEP_PREFIX, audit_checkpoint
from healix.models.biomarker import BiomarkerReading
from healix.models.job import Job, JobStatus
from healix.utils.time import utcnow

AUDIT_VERIFICATION_KIND = UPKEEP_PREFIX + audit_checkpoint.__name__
#: "readings received recently": the window the gauge covers
RECENT = timedelta(hours=24)


@dataclass(frozen=True)
class AuditVerification:
    ok: bool
    finished_at: datetime


@dataclass(frozen=True)
class Snapshot:
    jobs_by_status: dict[str, int]
    readings_stored: int
    readings_received_recently: int
    last_audit_verification: AuditVerification | None


def snapshot(session: Session) -> Snapshot:
    jobs: dict[str, int] = {
        status: count
        for status, count in session.execute(select(Job.status, func.count()).group_by(Job.status))
    }
    stored = session.scalar(select(func.count()).select_from(BiomarkerReading)) or 0
    recent = session.scalar(
        select(func.count())
        .select_from(BiomarkerReading)
        .where(BiomarkerReading.received_at >= utcnow() - RECENT)
    )
    last = session.execute(
        select(Job.status, Job.finished_at)
        .where(
            Job.kind == AUDIT_VERIFICATION_KIND,
            Job.status.in_([JobStatus.DONE, JobStatus.FAILED]),
            Job.finished_at.is_not(None),
        )
        .order_by(Job.finished_at.desc())
        .limit(1)
    ).first()
    return Snapshot(
        jobs_by_status={status.value: int(jobs.get(status, 0)) for status in JobStatus},
        readings_stored=int(stored),
        readings_received_recently=int(recent or 0),
        last_audit_verification=(
            AuditVerification(ok=last.status == JobStatus.DONE, finished_at=last.finished_at)
            if last is not None and last.finished_at is not None
            else None
        ),
    )
