"""The FHIR R4 export: a patient's record as a collection Bundle, streamed as JSON.

`from`/`to` (the one period rule, [from, to)) narrow every resource that has a time: the
Observations measured in the period, the Appointments starting in it, the MedicationRequests
and Goals whose validity overlaps it (by date), and the open alerts (Flags) that were raised
before its end and seen again after its start. The Patient, the Practitioners and the
Devices come always. Without a period the bundle holds the whole record.

Access and the audit row go through `export_controller.authorize_export` inside the request;
the entries are then read while the body streams, each part in a short read-only transaction
of its own that has ended before its entries are written to the client: the Observations
(possibly hundreds of thousands) in keyset batches (`stream_batches`), the rest (one patient's
appointments, prescriptions, goals, open alerts) at once. A slow client holds no connection.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from healix.controllers import fhir_mapping as fhir
from healix.controllers.access import active_relationship_clause
from healix.controllers.export_controller import (
    STREAM_BATCH,
    ExportStream,
    authorize_export,
    period_details,
)
from healix.db import read_session
from healix.models.alert import Alert, AlertStatus
from healix.models.appointment import Appointment
from healix.models.biomarker import BiomarkerReading, ReadingStatus
from healix.models.device import Device
from healix.models.goal import Goal
from healix.models.prescription import Prescription
from healix.models.profile import Profile
from healix.models.provider_patient_relationship import (
    ProviderPatientRelationship,
    RelationshipKind,
)
from healix.models.user import User
from healix.utils.pagination import stream_batches
from healix.utils.periods import Period
from healix.utils.time import utcnow

FHIR_MIMETYPE = "application/fhir+json"


def fhir_bundle(
    session: Session, *, actor: User, patient_id: uuid.UUID | None, period: Period
) -> ExportStream:
    """The patient's record as a FHIR R4 collection Bundle, streamed as JSON, limited to
    `period` (see the module's docstring)."""
    bundle_id = uuid.uuid4()
    patient = authorize_export(
        session,
        actor=actor,
        patient_id=patient_id,
        export_id=bundle_id,
        details=period_details("fhir", period),
    )
    now = utcnow()
    chunks = fhir.bundle_json_chunks(
        bundle_id=str(bundle_id), timestamp=now, entries=_fhir_entries(patient.id, period, now)
    )
    return ExportStream(None, FHIR_MIMETYPE, chunks)


def _fhir_entries(patient_id: uuid.UUID, period: Period, now: datetime) -> Iterator[dict[str, Any]]:
    with read_session() as session:
        patient = session.get_one(User, patient_id)
        head = [fhir.entry(fhir.patient_resource(patient, session.get(Profile, patient_id)))]
        head += [
            fhir.entry(fhir.practitioner_resource(provider))
            for provider in _fhir_practitioners(session, patient_id=patient_id)
        ]
        head += [
            fhir.entry(fhir.device_resource(device))
            for device in session.scalars(
                select(Device).where(Device.owner_id == patient_id).order_by(Device.created_at)
            )
        ]
    yield from head
    yield from _fhir_observations(patient_id=patient_id, period=period)
    with read_session() as session:
        tail = [
            fhir.entry(fhir.appointment_resource(appointment))
            for appointment in session.scalars(
                select(Appointment)
                .where(Appointment.patient_id == patient_id, *period.where(Appointment.start_time))
                .order_by(Appointment.start_time)
            )
        ]
        tail += [
            fhir.entry(fhir.medication_request_resource(prescription, today=now.date()))
            for prescription in session.scalars(
                select(Prescription)
                .where(
                    Prescription.patient_id == patient_id,
                    *period.overlapping_days(Prescription.start_date, Prescription.end_date),
                )
                .order_by(Prescription.start_date)
            )
        ]
        tail += [
            fhir.entry(fhir.goal_resource(goal))
            for goal in session.scalars(
                select(Goal)
                .where(
                    Goal.patient_id == patient_id,
                    *period.overlapping_days(Goal.start_date, Goal.end_date),
                )
                .order_by(Goal.start_date)
            )
        ]
        tail += [
            fhir.entry(fhir.flag_resource(alert))
            for alert in session.scalars(
                select(Alert)
                .where(
                    Alert.patient_id == patient_id,
                    Alert.status == AlertStatus.OPEN,
                    *period.overlapping(Alert.first_seen_at, Alert.last_seen_at),
                )
                .order_by(Alert.first_seen_at)
            )
        ]
    yield from tail


def _fhir_practitioners(session: Session, *, patient_id: uuid.UUID) -> list[User]:
    """Providers in active care, plus any provider an appointment or prescription names."""
    rel = ProviderPatientRelationship
    in_care = select(rel.provider_id).where(
        rel.patient_id == patient_id,
        rel.kind == RelationshipKind.CARE,
        active_relationship_clause(),
    )
    named = (
        select(Appointment.provider_id)
        .where(Appointment.patient_id == patient_id)
        .union(select(Prescription.provider_id).where(Prescription.patient_id == patient_id))
    )
    return list(
        session.scalars(
            select(User)
            .where(or_(User.id.in_(in_care), User.id.in_(named)))
            .order_by(User.last_name, User.id)
        )
    )


def _fhir_observations(*, patient_id: uuid.UUID, period: Period) -> Iterator[dict[str, Any]]:
    reading = BiomarkerReading
    query = select(
        reading.id,
        reading.biomarker_type,
        reading.value,
        reading.measured_at,
        reading.device_id,
    ).where(
        reading.patient_id == patient_id,
        reading.status == ReadingStatus.OK,
        *period.where(reading.measured_at),
    )
    for rows in stream_batches(
        query,
        sessions=read_session,
        sort_columns=[reading.measured_at, reading.id],
        sort_key=lambda row: (row.measured_at, row.id),
        batch=STREAM_BATCH,
    ):
        for row in rows:
            yield fhir.entry(fhir.observation_resource(row, patient_id))
