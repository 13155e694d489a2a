"""Exports of a patient's data: the PDF health report (optionally encrypted), the readings
CSV and the printable prescription (the FHIR bundle lives in `fhir_export`).

Who may export: the patient, a provider with an active relationship, or an admin (decided by
`ensure_patient_access`); everyone else gets an audited 404. Each export writes one audit row:
PATIENT_EXPORT_REPORT for the patient's own export, PROVIDER_EXPORT_DATA otherwise, with the
format and period but never a value.

The CSV (like the FHIR bundle) is streamed. The request's unit of work commits (access check and
audit row) before the body is sent, so the streaming generators read through a session of
their own (`independent_session`) with `yield_per`: a server-side cursor on PostgreSQL, so
a year of minute-level readings never sits in memory.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from healix.db import independent_session
from healix.exceptions import ValidationFailed
from healix.middleware.authorization import (
    access_denied,
    active_relationship,
    can_access_patient,
    ensure_patient_access,
)
from healix.models.audit_log import AuditSeverity
from healix.models.biomarker import BiomarkerReading
from healix.models.prescription import Prescription
from healix.models.profile import Profile
from healix.models.provider_patient_relationship import RelationshipKind
from healix.models.user import Role, User
from healix.utils import audit_logger
from healix.utils import pdf_generator as pdf
from healix.utils.audit_logger import AuditAction
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
    if patient_id is None:
        if actor.role != Role.PATIENT:
            raise ValidationFailed.single("patient_id", "Field required unless you are a patient.")
        patient_id = actor.id
    # the export audit row below replaces ensure_patient_access's generic read row
    patient = ensure_patient_access(
        session, actor=actor, patient_id=patient_id, resource_type="export", audit=False
    )
    own = actor.id == patient.id
    via = None if own else _access_route(session, actor=actor, patient_id=patient.id)
    audit_logger.record(
        session,
        AuditAction.PATIENT_EXPORT_REPORT if own else AuditAction.PROVIDER_EXPORT_DATA,
        actor=actor,
        resource_type="export",
        resource_id=export_id,
        patient_id=patient.id,
        severity=AuditSeverity.HIGH if via == RelationshipKind.EMERGENCY else AuditSeverity.INFO,
        details={**details, **({"via": str(via)} if via else {})},
    )
    return patient


def _access_route(session: Session, *, actor: User, patient_id: uuid.UUID) -> str:
    if actor.role == Role.ADMIN:
        return "admin"
    relationship = active_relationship(session, provider_id=actor.id, patient_id=patient_id)
    return relationship.kind if relationship else "none"


def period_details(
    export_format: str, start: datetime | None = None, end: datetime | None = None
) -> dict[str, Any]:
    """Audit details of an export: its format and period (never a value)."""
    details: dict[str, Any] = {"format": export_format}
    if start or end:
        details["from"] = start.isoformat() if start else None
        details["to"] = end.isoformat() if end else None
    return details


# -- the readings CSV ---------------------------------------------------------------------


def readings_csv(
    session: Session,
    *,
    actor: User,
    patient_id: uuid.UUID | None,
    biomarker_type: str | None,
    start: datetime | None,
    end: datetime | None,
) -> ExportStream:
    """The patient's readings (faulty ones included, with their reason) as streamed CSV."""
    details = period_details("csv", start, end) | {"biomarker_type": biomarker_type}
    patient = authorize_export(
        session, actor=actor, patient_id=patient_id, export_id=uuid.uuid4(), details=details
    )
    reading = BiomarkerReading
    conditions = [reading.patient_id == patient.id]
    if biomarker_type:
        conditions.append(reading.biomarker_type == biomarker_type)
    if start:
        conditions.append(reading.measured_at >= start)
    if end:
        conditions.append(reading.measured_at <= end)
    query = (
        select(
            reading.measured_at,
            reading.biomarker_type,
            reading.value,
            reading.unit,
            reading.status,
            reading.fault_reason,
            reading.source,
            reading.device_id,
            reading.external_id,
        )
        .where(*conditions)
        .order_by(reading.measured_at, reading.id)
    )
    filename = f"healix-readings-{utcnow():%Y%m%d}.csv"
    return ExportStream(filename, "text/csv", _csv_chunks(query))


def safe_cell(value: str | None) -> str:
    """A text cell a spreadsheet will not run as a formula."""
    if not value:
        return ""
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


def _csv_chunks(query: Any) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    yield _drain(buffer)
    with independent_session() as session:
        result = session.execute(query.execution_options(yield_per=STREAM_BATCH))
        for rows in result.partitions():
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


def prescription_pdf(session: Session, *, actor: User, prescription_id: uuid.UUID) -> ExportFile:
    """A printable prescription for its patient, its prescriber, a provider in care or an admin."""
    prescription = session.get(Prescription, prescription_id)
    if prescription is None or not (
        actor.id == prescription.provider_id
        or can_access_patient(session, actor, prescription.patient_id)
    ):
        raise access_denied(
            "prescription", prescription_id, prescription.patient_id if prescription else None
        )
    patient = session.get_one(User, prescription.patient_id)
    prescriber = session.get_one(User, prescription.provider_id)
    profile = session.get(Profile, patient.id)
    own = actor.id == patient.id
    audit_logger.record(
        session,
        AuditAction.PATIENT_EXPORT_REPORT if own else AuditAction.PROVIDER_EXPORT_DATA,
        actor=actor,
        resource_type="prescription",
        resource_id=prescription.id,
        patient_id=patient.id,
        details={"format": "pdf"},
    )
    sheet = pdf.PrescriptionSheet(
        prescription_id=str(prescription.id),
        generated_at=utcnow(),
        patient_name=patient.full_name,
        patient_date_of_birth=profile.date_of_birth if profile else None,
        prescriber_name=prescriber.full_name,
        prescriber_licence=prescriber.licence_number,
        prescriber_specialization=prescriber.specialization,
        medication_name=prescription.medication_name,
        dosage=prescription.dosage,
        instructions=prescription.instructions,
        quantity=prescription.quantity,
        refills_allowed=prescription.refills_allowed,
        refills_left=prescription.refills_left,
        start_date=prescription.start_date,
        end_date=prescription.end_date,
        status=prescription.status,
        issued_at=prescription.created_at,
    )
    filename = f"healix-prescription-{prescription.id}.pdf"
    return ExportFile(filename, "application/pdf", pdf.render_prescription(sheet))
