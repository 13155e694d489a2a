"""Scheduled upkeep: each task is a job kind (run by beat on a worker) and a CLI command
(`flask --app healix upkeep <command>`, for operators who use cron instead).

Every task is idempotent: running it twice, or late, does no harm.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Delete, delete, or_, select, update
from sqlalchemy.orm import Session

from healix.audit import chain as audit_chain
from healix.audit import logger as audit_logger
from healix.audit.events import AuditAction, ResourceType
from healix.config import Settings
from healix.controllers import backup_controller, job_controller, mail_controller
from healix.controllers.job_controller import Effect, Handler, PermanentJobError, Skip
from healix.controllers.notification_controller import notify
from healix.db import changed_rows
from healix.models.idempotency_key import IdempotencyKey
from healix.models.job import Job, JobStatus
from healix.models.password_reset_token import PasswordResetToken
from healix.models.prescription import Prescription, PrescriptionStatus, prescription_today
from healix.models.profile import EmailCategory
from healix.models.user_session import UserSession
from healix.utils.time import utcnow

UPKEEP_PREFIX = "upkeep."


@dataclass(frozen=True)
class Periodic:
    kind: str
    command: str
    every: timedelta


PERIODIC: list[Periodic] = []


def periodic(command: str, *, every: timedelta) -> Callable[[Handler], Handler]:
    """Register an upkeep task: job kind `upkeep.<name>`, CLI command `command`."""

    def register(function: Handler) -> Handler:
        kind = UPKEEP_PREFIX + function.__name__
        job_controller.handler(kind)(function)
        PERIODIC.append(Periodic(kind, command, every))
        return function

    return register


def _purge(session: Session, job: Job, statement: Delete, what: str) -> str:
    """Run a purge; one SYSTEM_PURGE audit row when it removed anything."""
    rows = changed_rows(session, statement)
    if rows:
        audit_logger.record(
            session,
            AuditAction.SYSTEM_PURGE,
            resource_type=ResourceType.JOB,
            details={"task": job.kind, "rows": rows},
        )
    return f"purged {rows} {what}"


@periodic("purge-idempotency-keys", every=timedelta(hours=1))
def purge_idempotency_keys(session: Session, job: Job, settings: Settings) -> Effect:
    """Delete stored Idempotency-Key responses older than IDEMPOTENCY_KEY_HOURS."""
    cutoff = utcnow() - timedelta(hours=settings.idempotency_key_hours)
    statement = delete(IdempotencyKey).where(IdempotencyKey.created_at < cutoff)
    return _purge(session, job, statement, "idempotency keys")


@periodic("purge-sessions", every=timedelta(hours=1))
def purge_sessions(session: Session, job: Job, settings: Settings) -> Effect:
    """Delete sign-in sessions that were revoked or have expired."""
    ended = or_(UserSession.revoked_at.is_not(None), UserSession.expires_at < utcnow())
    return _purge(session, job, delete(UserSession).where(ended), "sessions")


@periodic("purge-password-tokens", every=timedelta(hours=1))
def purge_password_tokens(session: Session, job: Job, settings: Settings) -> Effect:
    """Delete password-set and reset tokens that were used or have expired."""
    token = PasswordResetToken
    spent = or_(token.used_at.is_not(None), token.expires_at < utcnow())
    return _purge(session, job, delete(token).where(spent), "password tokens")


@periodic("purge-jobs", every=timedelta(days=1))
def purge_jobs(session: Session, job: Job, settings: Settings) -> Effect:
    """Delete finished jobs (done, skipped, cancelled) older than JOB_RETENTION_DAYS; failed
    jobs stay until an admin retries them."""
    cutoff = utcnow() - timedelta(days=settings.job_retention_days)
    finished = Job.status.in_([JobStatus.DONE, JobStatus.SKIPPED, JobStatus.CANCELLED])
    return _purge(session, job, delete(Job).where(finished, Job.finished_at < cutoff), "jobs")


PRESCRIPTION_ENDED_MAIL = mail_controller.define(
    "prescription_ended",
    category=EmailCategory.PRESCRIPTIONS,
    reason="You receive this email because one of your prescriptions reached its end date.",
    context=mail_controller.link_to(Prescription, "prescription", "/prescriptions"),
)


@periodic("end-prescriptions", every=timedelta(hours=1))
def end_prescriptions(session: Session, job: Job, settings: Settings) -> Effect:
    """Mark active prescriptions whose end date has passed as expired and tell the patient.

    Reads already treat them as expired (the effective status); this makes it explicit and
    sends the notice once, because the status changes in the same transaction.
    """
    today = prescription_today()
    ended = list(
        session.execute(
            select(Prescription.id, Prescription.patient_id)
            .where(
                Prescription.status == PrescriptionStatus.ACTIVE,
                Prescription.status_is(PrescriptionStatus.EXPIRED, today),
            )
            .with_for_update()
        )
    )
    if not ended:
        return "no prescription ended"
    session.execute(
        update(Prescription)
        .where(Prescription.id.in_([row.id for row in ended]))
        .values(status=PrescriptionStatus.EXPIRED, updated_at=utcnow()),
        execution_options={"synchronize_session": False},
    )
    for prescription_id, patient_id in ended:
        audit_logger.record(
            session,
            AuditAction.PRESCRIPTION_EXPIRED,
            resource_type=ResourceType.PRESCRIPTION,
            resource_id=prescription_id,
            patient_id=patient_id,
        )
        notify(
            session,
            user_id=patient_id,
            kind="prescription_ended",
            title="One of your prescriptions has ended",
            data={"prescription_id": str(prescription_id)},
        )
        mail_controller.send(
            session, PRESCRIPTION_ENDED_MAIL, user_id=patient_id, subject_id=prescription_id
        )
    return f"{len(ended)} prescriptions ended"


@periodic("audit-checkpoint", every=timedelta(days=1))
def audit_checkpoint(session: Session, job: Job, settings: Settings) -> Effect:
    """Verify the audit chain and the checkpoints in AUDIT_CHECKPOINT_FILE, then append the
    current head to it. A mismatch fails the job at once (admins see it in the failed jobs)."""
    path: Path | None = settings.audit_checkpoint_file
    if path is None:
        return Skip("AUDIT_CHECKPOINT_FILE is not set")
    chain = audit_chain.verify_chain(session)
    if not chain.ok:
        raise PermanentJobError(f"audit chain broken at row seq={chain.first_bad_row}")
    if path.exists():
        try:
            checkpoints = audit_chain.read_checkpoints(path)
        except ValueError as exc:
            raise PermanentJobError(f"checkpoint file unreadable: {exc}") from exc
        matched = audit_chain.verify_checkpoints(session, checkpoints)
        if not matched.ok:
            raise PermanentJobError(
                f"audit chain does not match checkpoint seq={matched.first_bad_row}: "
                f"{matched.problem}"
            )
    checkpoint = audit_chain.write_checkpoint(session, path)
    return f"verified {chain.rows_checked} rows; checkpoint seq={checkpoint.seq}"


@periodic("backup", every=timedelta(days=1))
def backup(session: Session, job: Job, settings: Settings) -> Effect:
    """Write an encrypted backup into BACKUP_DIR and keep the newest BACKUP_RETENTION ones."""
    if settings.backup_dir is None:
        return Skip("BACKUP_DIR is not set")
    if settings.backup_encryption_key is None:
        raise PermanentJobError("BACKUP_DIR is set but BACKUP_ENCRYPTION_KEY is not")
    try:
        path, manifest = backup_controller.create(
            session.get_bind().engine,
            settings.backup_dir,
            key=settings.backup_encryption_key.get_secret_value(),
        )
    except backup_controller.BackupError as exc:
        raise PermanentJobError(exc.detail) from exc
    removed = backup_controller.prune(settings.backup_dir, keep=settings.backup_retention)
    return f"wrote {path.name} ({manifest.total_rows} rows); removed {len(removed)} old backups"
