"""Imports of export files (Apple Health, CSV ...): the upload, and the job that reads it.

- `create_import()` stores the upload in the database in IMPORT_FILE_CHUNK_BYTES pieces
  (`import_file_chunks`), so that a worker on any machine can read it, and enqueues the
  `import.readings` job in the request's transaction.
- The job copies the file to a local temporary file, reads it with the format's reader
  (import_formats/) and stores the readings through the ingestion controller's one insert
  path (`store_samples`: units, plausibility, dedup), committing every
  IMPORT_COMMIT_READINGS readings together with the counts and a checkpoint. Each commit
  renews the job's lease and sees a cancellation.
- Failure: a file that cannot be read fails the import at once (status `failed`, `error`
  says why); the chunks committed before stay, consistent and deduplicated, so uploading a
  repaired file completes the import without doubles. Any other error (the database went
  away, the worker died) retries the job, which resumes after the checkpoint.
- The end (done, failed or cancelled): at most one alert per type, for the newest breach
  seen; one audit row with the counts; the stored file is deleted.
"""

from __future__ import annotations

import math
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import IO

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from healix.audit import logger as audit_logger
from healix.audit.events import AuditAction, ResourceType
from healix.biomarker_catalog import CATALOG
from healix.config import Settings
from healix.controllers import alert_controller, job_controller
from healix.controllers.biomarker_controller import patient_timezone
from healix.controllers.import_formats import ImportFileError, Limits, ReadContext, Tally
from healix.controllers.import_formats.detect import POSITION_WORDS, READERS, detect
from healix.controllers.ingestion_controller import IngestSource, Sample, store_samples
from healix.db import changed_rows
from healix.exceptions import Conflict, NotFound, PayloadTooLarge, ValidationFailed
from healix.models.biomarker import ReadingSource
from healix.models.data_import import (
    FINISHED_IMPORT_STATUSES,
    DataImport,
    ImportFileChunk,
    ImportFormat,
    ImportStatus,
)
from healix.models.job import Job, JobStatus
from healix.models.user import User
from healix.utils.pagination import Paged, keyset_page
from healix.utils.time import is_in_future, utcnow

IMPORT_JOB = "import.readings"
#: size of the pieces an upload is stored in
IMPORT_FILE_CHUNK_BYTES = 1024 * 1024
#: pieces inserted (and read back) per statement
_CHUNKS_PER_STATEMENT = 8
FILENAME_LENGTH = 255


def limits(settings: Settings) -> Limits:
    return Limits(settings.import_max_unpacked_bytes, settings.import_max_zip_ratio)


def create_import(
    session: Session,
    *,
    actor: User,
    upload: IO[bytes],
    filename: str,
    file_format: ImportFormat | None,
    settings: Settings,
) -> DataImport:
    """Store an uploaded export and plan its import (the job runs after commit)."""
    if file_format is None:
        try:
            file_format = detect(upload, limits(settings))
        except ImportFileError as exc:
            raise ValidationFailed.single("file", str(exc)) from exc
    if file_format not in READERS:
        raise ValidationFailed.single("format", f"{file_format} files cannot be imported yet")
    data_import = DataImport(
        patient_id=actor.id,
        format=file_format,
        filename=(filename or "upload")[:FILENAME_LENGTH],
        skipped_by_type={},
        errors=[],
        pending_alerts={},
    )
    session.add(data_import)
    session.flush()
    data_import.size_bytes = _store_file(session, data_import.id, upload, settings)
    if data_import.size_bytes == 0:
        raise ValidationFailed.single("file", "The file is empty.")
    job_controller.enqueue(session, kind=IMPORT_JOB, user_id=actor.id, subject_id=data_import.id)
    return data_import


def _store_file(
    session: Session, import_id: uuid.UUID, upload: IO[bytes], settings: Settings
) -> int:
    upload.seek(0)
    size, seq = 0, 0
    while True:
        pieces = []
        for _ in range(_CHUNKS_PER_STATEMENT):
            data = upload.read(IMPORT_FILE_CHUNK_BYTES)
            if not data:
                break
            size += len(data)
            if size > settings.import_max_upload_bytes:
                raise PayloadTooLarge(
                    f"The file is larger than {settings.import_max_upload_bytes} bytes."
                )
            pieces.append({"import_id": import_id, "seq": seq, "data": data})
            seq += 1
        if not pieces:
            return size
        session.execute(insert(ImportFileChunk), pieces)


def _own_import(session: Session, *, actor: User, import_id: uuid.UUID) -> DataImport:
    data_import = session.get(DataImport, import_id)
    if data_import is None or data_import.patient_id != actor.id:
        raise NotFound("No such import.")
    return data_import


def list_imports(
    session: Session, *, actor: User, limit: int | None, cursor: str | None
) -> Paged[DataImport]:
    """Your imports, newest first."""
    return keyset_page(
        session,
        select(DataImport).where(DataImport.patient_id == actor.id),
        sort_columns=[DataImport.created_at, DataImport.id],
        sort_key=lambda row: (row.created_at, row.id),
        limit=limit,
        cursor=cursor,
    )


def get_import(session: Session, *, actor: User, import_id: uuid.UUID) -> DataImport:
    """One of your imports, with its progress."""
    return _own_import(session, actor=actor, import_id=import_id)


def cancel_import(session: Session, *, actor: User, import_id: uuid.UUID) -> DataImport:
    """Cancel your import: a queued one at once, a running one at its next commit (what it
    committed until then stays)."""
    data_import = _own_import(session, actor=actor, import_id=import_id)
    if data_import.status in FINISHED_IMPORT_STATUSES:
        raise Conflict(f"The import is {data_import.status}; it can no longer be cancelled.")
    data_import.cancel_requested = True
    if data_import.status == ImportStatus.QUEUED:
        job_controller.cancel_pending(
            session, subject_id=data_import.id, kinds=[IMPORT_JOB], result="import cancelled"
        )
        _finish(session, data_import, status=ImportStatus.CANCELLED, actor=actor)
    session.flush()
    return data_import


# --- the job ---------------------------------------------------------------------------


class _Cancelled(Exception):
    """The patient cancelled the import while it ran."""


@job_controller.handler(IMPORT_JOB)
def run_import(session: Session, job: Job, settings: Settings) -> str | job_controller.Skip:
    """Import an uploaded export file of readings."""
    data_import = session.get(DataImport, job.subject_id) if job.subject_id else None
    if data_import is None:
        return job_controller.Skip("the import no longer exists")
    if data_import.status in FINISHED_IMPORT_STATUSES:
        return job_controller.Skip(f"the import is already {data_import.status}")
    patient = session.get_one(User, data_import.patient_id)
    data_import.status = ImportStatus.RUNNING
    data_import.started_at = data_import.started_at or utcnow()
    session.commit()
    run = _ImportRun(session, job, data_import, patient, settings)
    try:
        return run.execute()
    except job_controller.LeaseLost:
        raise
    except Exception:
        session.rollback()
        if job.attempts > settings.job_max_retries:  # no retry left: the import failed
            data_import = session.get_one(DataImport, data_import.id)
            data_import.error = "The import stopped unexpectedly; upload the file again."
            _finish(session, data_import, status=ImportStatus.FAILED, actor=patient)
            session.commit()
        raise


class _ImportRun:
    def __init__(
        self, session: Session, job: Job, data_import: DataImport, patient: User, settings: Settings
    ) -> None:
        self.session = session
        self.job_id = job.id
        self.claim = job.claimed_by
        self.data_import = data_import
        self.patient = patient
        self.settings = settings
        self.source = IngestSource(patient, None, ReadingSource.IMPORT, f"import:{data_import.id}")
        self.tally = Tally()
        self.batch: list[Sample] = []
        self.index = 0
        self.position_word = POSITION_WORDS.get(ImportFormat(data_import.format), "record")

    def execute(self) -> str:
        data_import = self.data_import
        context = ReadContext(
            self.tally, patient_timezone(self.session, self.patient.id), limits(self.settings)
        )
        reader = READERS[ImportFormat(data_import.format)]
        checkpoint = data_import.checkpoint
        try:
            with _local_copy(self.session, data_import.id) as copy:
                for position, sample in reader(copy, context):
                    self.index += 1
                    problem = _problem(sample)
                    if problem is not None:
                        self.tally.error(f"{self.position_word} {position}", problem)
                    elif self.index > checkpoint:
                        self.batch.append(sample)
                    if len(self.batch) >= self.settings.import_commit_readings:
                        self._commit()
            self._commit()
        except _Cancelled:
            self.session.rollback()
            data_import = self.session.get_one(DataImport, data_import.id)
            _finish(self.session, data_import, status=ImportStatus.CANCELLED, actor=self.patient)
            return f"cancelled after {data_import.readings_read} readings"
        except ImportFileError as exc:
            self.session.rollback()
            data_import = self.session.get_one(DataImport, data_import.id)
            self._record_tally(data_import)
            data_import.error = str(exc)[:500]
            _finish(self.session, data_import, status=ImportStatus.FAILED, actor=self.patient)
            return "failed: the file could not be read"
        _finish(self.session, data_import, status=ImportStatus.DONE, actor=self.patient)
        return f"imported {data_import.accepted + data_import.faulty} readings"

    def _commit(self) -> None:
        """Store the batch with the counts and the checkpoint, in one transaction."""
        session, data_import = self.session, self.data_import
        self._renew_lease()
        if session.scalar(
            select(DataImport.cancel_requested).where(DataImport.id == data_import.id)
        ):
            raise _Cancelled
        stored = store_samples(session, source=self.source, samples=self.batch)
        newest = alert_controller.newest_breaches(
            session, patient_id=self.patient.id, readings=stored.ok_readings
        )
        pending = dict(data_import.pending_alerts)
        for code, (value, measured_at) in newest.items():
            if code not in pending or datetime.fromisoformat(pending[code][1]) < measured_at:
                pending[code] = [value, measured_at.isoformat()]
        data_import.pending_alerts = pending
        data_import.accepted += stored.accepted
        data_import.faulty += stored.faulty
        data_import.duplicates += stored.duplicates
        data_import.checkpoint = self.index
        self._record_tally(data_import)
        session.commit()
        self.batch = []

    def _record_tally(self, data_import: DataImport) -> None:
        data_import.readings_read = max(self.index, data_import.readings_read)
        data_import.records_read = max(self.tally.records_read, data_import.records_read)
        data_import.invalid = self.tally.invalid
        data_import.errors = list(self.tally.errors)
        data_import.skipped_by_type = dict(self.tally.skipped_by_type)

    def _renew_lease(self) -> None:
        lease_until = utcnow() + timedelta(seconds=self.settings.job_lease_seconds)
        renewed = changed_rows(
            self.session,
            update(Job)
            .where(
                Job.id == self.job_id,
                Job.claimed_by == self.claim,
                Job.status == JobStatus.RUNNING,
            )
            .values(lease_until=lease_until)
            .execution_options(synchronize_session=False),
        )
        if renewed != 1:
            raise job_controller.LeaseLost(f"job {self.job_id} was claimed by another worker")


def _problem(sample: Sample) -> str | None:
    """Why a sample cannot be stored (the checks a device batch gets from its schema)."""
    entry = CATALOG[sample.type]
    if entry.resolve_unit(sample.unit) is None:
        return f"unit is not accepted for {sample.type}"
    if not math.isfinite(sample.value):
        return "value is not a finite number"
    if sample.measured_at.tzinfo is None:
        return "time has no UTC offset"
    if is_in_future(sample.measured_at):
        return "time is in the future"
    return None


@contextmanager
def _local_copy(session: Session, import_id: uuid.UUID) -> Iterator[IO[bytes]]:
    """The stored upload as a local temporary file (readers need to seek: zip archives)."""
    with tempfile.TemporaryFile() as copy:
        seq = 0
        while True:
            pieces = session.execute(
                select(ImportFileChunk.seq, ImportFileChunk.data)
                .where(ImportFileChunk.import_id == import_id, ImportFileChunk.seq >= seq)
                .order_by(ImportFileChunk.seq)
                .limit(_CHUNKS_PER_STATEMENT)
            ).all()
            if not pieces:
                break
            for piece in pieces:
                copy.write(piece.data)
            seq = pieces[-1].seq + 1
        session.commit()  # no transaction is held while the file is read
        copy.seek(0)
        yield copy


def _finish(
    session: Session, data_import: DataImport, *, status: ImportStatus, actor: User
) -> None:
    """End the import: its alerts (one per type), the audit row, the file deleted."""
    if data_import.pending_alerts:
        data_import.alerts_created = alert_controller.raise_alerts(
            session,
            patient=actor,
            readings=[
                (code, float(value), datetime.fromisoformat(at))
                for code, (value, at) in sorted(data_import.pending_alerts.items())
            ],
        )
        data_import.pending_alerts = {}
    data_import.status = status
    data_import.finished_at = utcnow()
    session.execute(delete(ImportFileChunk).where(ImportFileChunk.import_id == data_import.id))
    audit_logger.record(
        session,
        AuditAction.BIOMARKER_READINGS_IMPORTED,
        actor=actor,
        resource_type=ResourceType.DATA_IMPORT,
        resource_id=data_import.id,
        patient_id=data_import.patient_id,
        details={
            "format": data_import.format,
            "status": str(status),
            "records_read": data_import.records_read,
            "accepted": data_import.accepted,
            "faulty": data_import.faulty,
            "duplicates": data_import.duplicates,
            "invalid": data_import.invalid,
            "skipped": sum(data_import.skipped_by_type.values()),
            "alerts_created": data_import.alerts_created,
        },
    )
