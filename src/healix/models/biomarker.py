from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Double, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from healix.biomarker_catalog import BIOMARKER_CODES
from healix.models.base import Base, enum_check, enum_column, uuid_pk
from healix.utils.time import utcnow

BIOMARKER_TYPE_CHECK = "biomarker_type IN ({})".format(
    ", ".join(f"'{code}'" for code in BIOMARKER_CODES)
)


class ReadingStatus(StrEnum):
    OK = "ok"
    FAULTY = "faulty"


class ReadingSource(StrEnum):
    DEVICE = "device"
    MANUAL = "manual"
    #: from an uploaded export file (Apple Health, Fitbit, FIT, CSV); dedup by external_id
    IMPORT = "import"


class BiomarkerReading(Base):
    """One measurement. `value` is always in the catalog's canonical unit for its type."""

    __tablename__ = "biomarker_readings"
    __table_args__ = (
        CheckConstraint(BIOMARKER_TYPE_CHECK, name="biomarker_type"),
        enum_check("status", ReadingStatus),
        enum_check("source", ReadingSource),
        Index(
            "ix_biomarker_readings_history",
            "patient_id",
            "biomarker_type",
            "measured_at",
            "id",
        ),
        Index(
            "uq_biomarker_readings_device_sample",
            "device_id",
            "biomarker_type",
            "measured_at",
            unique=True,
            sqlite_where=text("device_id IS NOT NULL"),
            postgresql_where=text("device_id IS NOT NULL"),
        ),
        Index(
            "uq_biomarker_readings_manual_sample",
            "patient_id",
            "biomarker_type",
            "measured_at",
            unique=True,
            sqlite_where=text("source = 'manual'"),
            postgresql_where=text("source = 'manual'"),
        ),
        Index(
            "uq_biomarker_readings_external_id",
            "patient_id",
            "external_id",
            unique=True,
            sqlite_where=text("external_id IS NOT NULL"),
            postgresql_where=text("external_id IS NOT NULL"),
        ),
        Index("ix_biomarker_readings_received_at", "received_at"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    device_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("devices.id", ondelete="SET NULL")
    )
    biomarker_type: Mapped[str] = mapped_column(String(40))
    value: Mapped[float] = mapped_column(Double)
    unit: Mapped[str] = mapped_column(String(20))
    measured_at: Mapped[datetime]
    status: Mapped[str] = enum_column(ReadingStatus, default=ReadingStatus.OK)
    fault_reason: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str] = enum_column(ReadingSource, default=ReadingSource.MANUAL)
    external_id: Mapped[str | None] = mapped_column(String(128))
    notes: Mapped[str | None] = mapped_column(Text)
    #: where an imported reading came from: the app or device named in the export file
    provenance: Mapped[str | None] = mapped_column(String(200))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
