from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from healix.models.base import Base, enum_check, enum_column, uuid_pk
from healix.utils.time import utcnow


class ImportStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


#: statuses an import never leaves
FINISHED_IMPORT_STATUSES = frozenset(
    {ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.CANCELLED}
)


class ImportFormat(StrEnum):
    APPLE_HEALTH = "apple_health"
    FITBIT = "fitbit"
    FIT = "fit"
    CSV = "csv"


class DataImport(Base):
    """A patient's upload of an export file and the progress of the job importing it.

    The counts are cumulative over the committed chunks: `readings_read` readings came out of
    the file, of which `accepted` (ok) and `faulty` were stored and `duplicates` were already
    there. `checkpoint` is how many of the file's readings are committed, so a retried job
    resumes after them; `pending_alerts` holds the newest threshold breach per type seen so
    far (type -> [canonical value, ISO time]), raised once when the import finishes.
    """

    __tablename__ = "data_imports"
    __table_args__ = (
        enum_check("status", ImportStatus),
        enum_check("format", ImportFormat),
        CheckConstraint("size_bytes >= 0", name="size_bytes_non_negative"),
        Index("ix_data_imports_patient_created", "patient_id", "created_at", "id"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    format: Mapped[str] = enum_column(ImportFormat)
    status: Mapped[str] = enum_column(ImportStatus, default=ImportStatus.QUEUED)
    filename: Mapped[str] = mapped_column(String(255))
    size_bytes: Mapped[int] = mapped_column(default=0)
    records_read: Mapped[int] = mapped_column(default=0)
    readings_read: Mapped[int] = mapped_column(default=0)
    accepted: Mapped[int] = mapped_column(default=0)
    faulty: Mapped[int] = mapped_column(default=0)
    duplicates: Mapped[int] = mapped_column(default=0)
    #: records that could not be read (a missing value, an unknown unit): see `errors`
    invalid: Mapped[int] = mapped_column(default=0)
    alerts_created: Mapped[int] = mapped_column(default=0)
    #: record type as named in the file -> how many records of it were skipped
    skipped_by_type: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    #: the first errors: `{"position": "record 17", "message": "..."}`, never values
    errors: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    #: why the import failed (the file, not the data: "not a zip file", "truncated XML")
    error: Mapped[str | None] = mapped_column(String(500))
    checkpoint: Mapped[int] = mapped_column(default=0)
    pending_alerts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    cancel_requested: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


class ImportFileChunk(Base):
    """The uploaded file, in pieces of IMPORT_CHUNK_BYTES, so that any worker can read it
    (workers share nothing but the database). Deleted when the import ends."""

    __tablename__ = "import_file_chunks"

    import_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("data_imports.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
