"""Exports of a patient's data: the PDF health report (optionally encrypted), the readings
CSV and the printable prescription (the FHIR bundle lives in `fhir_export`).

Who may export: the patient, a provider with an active relationship, or an admin (decided by
controllers/access.py); everyone else gets an audited 404. Each export writes one audit row:
PATIENT_EXPORT_REPORT for the patient's own export, PROVIDER_EXPORT_DATA otherwise, with the
format and period but never a value.

The CSV (like the FHIR bundle) is streamed. The request's unit of work commits (access check and
audit row) before the body is sent; the body is then read in keyset batches of STREAM_BATCH
rows (`stream_batches`), each in a short read-only transaction of its own that has ended
before the batch is written to the client. A client that reads slowly (or not at all) holds
a server thread, never a database connection, a transaction or SQLite's write lock, and a
year of minute-level readings never sits in memory.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from healix.audit import logger as audit_logger
from healix.audit.events import AuditAction, ResourceType
from healix.config.settings import Settings
from healix.controllers import pdf_documents as pdf
from healix.controllers.access import (
    access_route,
    ensure_patient_access,
    patient_or_self,
    readable_prescription,
)
from healix.db import read_session
from healix.models.audit_log import AuditSeverity
from healix.models.biomarker import BiomarkerReading
from healix.models.profile import Profile
from healix.models.provider_patient_relationship import RelationshipKind
from healix.models.user import User
from healix.utils.pagination import AnySelect, stream_batches
from healix.utils.periods import Period
from healix.utils.time import utcnow

STREAM_BATCH = 1000
CSV_COLUMNS = (
    "measured_at",
    "type",
    "value",
    "unit",
    "status",
    "fault_reason",
    "source",
    "device_id",
    "external_id",
)
#: a spreadsheet reads a cell starting with one of these as a formula (CSV injection)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportFile:
    filename: str
    mimetype: str
    content: bytes


@dataclass(frozen=True)
class ExportStream:
    filename: str | None
    mimetype: str
    chunks: Iterator[str]


# -- access and audit ---------------------------------------------------------------------


def authorize_export(
    session: Session,
    *,
    actor: User,
    patient_id: uuid.UUID | None,
    export_id: uuid.UUID,
    details: dict[str, Any],
) -> User:
    """The patient whose data `actor` may export (audited), or an audited 404."""
    # the export audit row below replaces ensure_patient_access's generic read row
    patient = ensure_patient_access(
        session,
        actor=actor,
        patient_id=patient_or_self(actor, patient_id),
        resource_type=ResourceType.EXPORT,
        audit=False,
    )
    own = actor.id == patient.id
    via = None if own else access_route(session, actor, patient.id)
    audit_logger.record(
        session,
        AuditAction.PATIENT_EXPORT_REPORT if own else AuditAction.PROVIDER_EXPORT_DATA,
        actor=actor,
        resource_type=ResourceType.EXPORT,
        resource_id=export_id,
        patient_id=patient.id,
        severity=AuditSeverity.HIGH if via == RelationshipKind.EMERGENCY else AuditSeverity.INFO,
        details={**details, **({"via": str(via)} if via else {})},
    )
    return patient


def period_details(export_format: str, period: Period | None = None) -> dict[str, Any]:
    """Audit details of an export: its format and period (never a value)."""
    details: dict[str, Any] = {"format": export_format}
    if period is not None and (period.start or period.end):
        details["from"] = period.start.isoformat() if period.start else None
        details["to"] = period.end.isoformat() if period.end else None
    return details


# -- what every document prints ----------------------------------------------------------


def letterhead(settings: Settings) -> pdf.Letterhead | None:
    """The clinic's letterhead, or None when no clinic is configured (`CLINIC_*`)."""
    if not settings.clinic_configured:
        return None
    return pdf.Letterhead(
        name=settings.clinic_name,
        address=settings.clinic_address or None,
        phone=settings.clinic_phone or None,
        logo=settings.clinic_logo_path,
    )


def patient_header(patient: User, profile: Profile | None) -> pdf.PatientHeader:
    """The patient as documents identify them: name, date of birth and Healix id."""
    return pdf.PatientHeader(
        name=patient.full_name,
        identifier=str(patient.id),
        date_of_birth=profile.date_of_birth if profile else None,
    )


# -- the readings CSV ---------------------------------------------------------------------


def readings_csv(
    session: Session,
    *,
    actor: User,
    patient_id: uuid.UUID | None,
    biomarker_type: str | None,
    period: Period,
) -> ExportStream:
    """The patient's readings in the period (faulty ones included, with their reason) as
    streamed CSV."""
    details = period_details("csv", period) | {"biomarker_type": biomarker_type}
    patient = authorize_export(
        session, actor=actor, patient_id=patient_id, export_id=uuid.uuid4(), details=details
    )
    reading = BiomarkerReading
    conditions = [reading.patient_id == patient.id, *period.where(reading.measured_at)]
    if biomarker_type:
        conditions.append(reading.biomarker_type == biomarker_type)
    query = select(
        reading.measured_at,
        reading.biomarker_type,
        reading.value,
        reading.unit,
        reading.status,
        reading.fault_reason,
        reading.source,
        reading.device_id,
        reading.external_id,
        reading.id,
    ).where(*conditions)
    filename = f"healix-readings-{utcnow():%Y%m%d}.csv"
    return ExportStream(filename, "text/csv", _csv_chunks(query))


def safe_cell(value: str | None) -> str:
    """A text cell a spreadsheet will not run as a formula."""
    if not value:
        return ""
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


def _csv_chunks(query: AnySelect) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    yield _drain(buffer)
    reading = BiomarkerReading
    for rows in stream_batches(
        query,
        sessions=read_session,
        sort_columns=[reading.measured_at, reading.id],
        sort_key=lambda row: (row.measured_at, row.id),
        batch=STREAM_BATCH,
    ):
        for row in rows:
            writer.writerow(
                (
                    row.measured_at.astimezone(UTC).isoformat(),
                    safe_cell(row.biomarker_type),
                    repr(row.value),
                    safe_cell(row.unit),
                    safe_cell(row.status),
                    safe_cell(row.fault_reason),
                    safe_cell(row.source),
                    str(row.device_id) if row.device_id else "",
                    safe_cell(row.external_id),
                )
            )
        yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    data = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return data


# -- the printable prescription -----------------------------------------------------------


def prescription_pdf(
    session: Session, *, actor: User, prescription_id: uuid.UUID, settings: Settings
) -> ExportFile:
    """A printable prescription for those who may read it (controllers/access.py), with the
    clinic's letterhead and the prescriber's signature block."""
    prescription = readable_prescription(session, actor=actor, prescription_id=prescription_id)
    patient = session.get_one(User, prescription.patient_id)
    prescriber = session.get_one(User, prescription.provider_id)
    profile = session.get(Profile, patient.id)
    own = actor.id == patient.id
    audit_logger.record(
        session,
        AuditAction.PATIENT_EXPORT_REPORT if own else AuditAction.PROVIDER_EXPORT_DATA,
        actor=actor,
        resource_type=ResourceType.PRESCRIPTION,
        resource_id=prescription.id,
        patient_id=patient.id,
        details={"format": "pdf"},
    )
    sheet = pdf.PrescriptionSheet(
        prescription_id=str(prescription.id),
        generated_at=utcnow(),
        patient=patient_header(patient, profile),
        prescriber=pdf.Prescriber(
            name=prescriber.full_name,
            specialization=prescriber.specialization,
            licence_number=prescriber.licence_number,
        ),
        medication_name=prescription.medication_name,
        dosage=prescription.dosage,
        instructions=prescription.instructions,
        quantity=prescription.quantity,
        refills_allowed=prescription.refills_allowed,
        refills_left=prescription.refills_left,
        start_date=prescription.start_date,
        end_date=prescription.end_date,
        status=prescription.effective_status,
        issued_at=prescription.created_at,
        letterhead=letterhead(settings),
    )
    filename = f"healix-prescription-{prescription.id}.pdf"
    return ExportFile(filename, "application/pdf", pdf.render_prescription(sheet))
