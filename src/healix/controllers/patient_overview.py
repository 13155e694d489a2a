"""The provider's "My patients": one row per patient in their care with the latest vitals,
open alerts by severity, the last visit and the next appointment.

A page costs the same number of statements for 1 patient as for 200: the page of patients
(the one listing of `care_controller.list_patients`, so the access rule is that of
`access.patient_filter`), the ids of the latest readings (one correlated index walk per
patient and type), those readings, the open alerts grouped by patient and severity, the
last and the next appointment, and one audit row for the whole read.

Visits are the provider's own (a provider sees only the appointments they are a party to).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, aliased

from healix.audit import logger as audit_logger
from healix.audit.events import AuditAction, ResourceType
from healix.controllers.care_controller import list_patients
from healix.models.alert import Alert, AlertSeverity, AlertStatus
from healix.models.appointment import Appointment, AppointmentStatus
from healix.models.biomarker import BiomarkerReading, ReadingStatus
from healix.models.user import User
from healix.schemas.care import OverviewStatus, PatientOverviewQuery
from healix.utils.pagination import Paged
from healix.utils.time import utcnow

HEART_RATE = "heart_rate"
SYSTOLIC = "blood_pressure_systolic"
DIASTOLIC = "blood_pressure_diastolic"
GLUCOSE = "blood_glucose"
OVERVIEW_TYPES = (HEART_RATE, SYSTOLIC, DIASTOLIC, GLUCOSE)
SEVERITIES = tuple(severity.value for severity in AlertSeverity)


@dataclass(frozen=True, slots=True)
class Latest:
    value: float
    unit: str
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class BloodPressure:
    systolic: Latest | None
    diastolic: Latest | None


@dataclass(frozen=True, slots=True)
class Visit:
    appointment_id: uuid.UUID
    start_time: datetime
    end_time: datetime


@dataclass(frozen=True, slots=True)
class OverviewRow:
    id: uuid.UUID
    first_name: str
    last_name: str
    date_of_birth: date | None
    heart_rate: Latest | None
    blood_pressure: BloodPressure
    blood_glucose: Latest | None
    open_alerts: dict[str, int]
    last_visit: Visit | None
    next_appointment: Visit | None
    status: OverviewStatus


def _status(open_alerts: dict[str, int]) -> OverviewStatus:
    """Needs attention while any alert is open."""
    return OverviewStatus.NEEDS_ATTENTION if any(open_alerts.values()) else OverviewStatus.STABLE


def overview(session: Session, *, actor: User, query: PatientOverviewQuery) -> Paged[OverviewRow]:
    """A page of the provider's patients with their latest vitals, alerts and visits
    (audited as one read of those patients' health data)."""
    patients = list_patients(session, actor=actor, query=query)
    ids = [row.id for row in patients.items]
    latest = _latest_readings(session, ids)
    alerts = _open_alerts(session, ids)
    last_visits = _visits(session, actor, ids, upcoming=False)
    next_visits = _visits(session, actor, ids, upcoming=True)
    rows = []
    for row in patients.items:
        counts = alerts.get(row.id, {})
        open_alerts = {severity: counts.get(severity, 0) for severity in SEVERITIES}
        rows.append(
            OverviewRow(
                id=row.id,
                first_name=row.first_name,
                last_name=row.last_name,
                date_of_birth=row.date_of_birth,
                heart_rate=latest.get((row.id, HEART_RATE)),
                blood_pressure=BloodPressure(
                    latest.get((row.id, SYSTOLIC)), latest.get((row.id, DIASTOLIC))
                ),
                blood_glucose=latest.get((row.id, GLUCOSE)),
                open_alerts=open_alerts,
                last_visit=last_visits.get(row.id),
                next_appointment=next_visits.get(row.id),
                status=_status(open_alerts),
            )
        )
    if ids:
        audit_logger.record(
            session,
            AuditAction.PROVIDER_VIEW_HEALTH_DATA,
            actor=actor,
            resource_type=ResourceType.PATIENT,
            details={"patient_ids": sorted(str(i) for i in ids), "view": "overview"},
        )
    return Paged(rows, patients.next_cursor)


def _latest_readings(
    session: Session, patient_ids: list[uuid.UUID]
) -> dict[tuple[uuid.UUID, str], Latest]:
    """The newest non-faulty reading per patient and overview type, in two statements: the
    ids (a correlated `ORDER BY measured_at DESC LIMIT 1` per type, each a short backward
    walk of the history index), then those rows by primary key."""
    if not patient_ids:
        return {}
    reading = aliased(BiomarkerReading)

    def newest(code: str) -> Any:
        return (
            select(reading.id)
            .where(
                reading.patient_id == User.id,
                reading.biomarker_type == code,
                reading.status != ReadingStatus.FAULTY,
            )
            .order_by(reading.measured_at.desc(), reading.id.desc())
            .limit(1)
            .correlate(User)
            .scalar_subquery()
        )

    id_rows = session.execute(
        select(*(newest(code) for code in OVERVIEW_TYPES)).where(User.id.in_(patient_ids))
    ).all()
    reading_ids = [value for row in id_rows for value in row if value is not None]
    if not reading_ids:
        return {}
    _r = BiomarkerReading
    found = session.execute(
        select(_r.patient_id, _r.biomarker_type, _r.value, _r.unit, _r.measured_at).where(
            _r.id.in_(reading_ids)
        )
    ).all()
    return {
        (row.patient_id, row.biomarker_type): Latest(row.value, row.unit, row.measured_at)
        for row in found
    }


def _open_alerts(session: Session, patient_ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, int]]:
    counts: defaultdict[uuid.UUID, dict[str, int]] = defaultdict(dict)
    if not patient_ids:
        return counts
    rows = session.execute(
        select(Alert.patient_id, Alert.severity, func.count())
        .where(Alert.patient_id.in_(patient_ids), Alert.status == AlertStatus.OPEN)
        .group_by(Alert.patient_id, Alert.severity)
    ).all()
    for patient_id, severity, count in rows:
        counts[patient_id][severity] = count
    return counts


def _visits(
    session: Session, actor: User, patient_ids: list[uuid.UUID], *, upcoming: bool
) -> dict[uuid.UUID, Visit]:
    """The actor's latest completed (or next scheduled) appointment with each patient."""
    if not patient_ids:
        return {}
    now = utcnow()
    condition: ColumnElement[bool] = (
        (Appointment.status == AppointmentStatus.SCHEDULED) & (Appointment.start_time >= now)
        if upcoming
        else (Appointment.status == AppointmentStatus.COMPLETED)
    )
    order = (
        (Appointment.start_time.asc(), Appointment.id.asc())
        if upcoming
        else (Appointment.start_time.desc(), Appointment.id.desc())
    )
    ranked = (
        select(
            Appointment.patient_id,
            Appointment.id,
            Appointment.start_time,
            Appointment.end_time,
            func.row_number()
            .over(partition_by=Appointment.patient_id, order_by=order)
            .label("position"),
        )
        .where(
            Appointment.provider_id == actor.id,
            Appointment.patient_id.in_(patient_ids),
            condition,
        )
        .subquery()
    )
    rows = session.execute(select(ranked).where(ranked.c.position == 1)).all()
    return {row.patient_id: Visit(row.id, row.start_time, row.end_time) for row in rows}
