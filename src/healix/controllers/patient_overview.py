"""The provider's "My patients": one row per patient in their care with the latest vitals,
open alerts by severity, the last visit and the next appointment.

A page costs the same five statements for 1 patient as for 200: the page of patients (the
one listing of `care_controller.list_patients`, so the access rule is that of
`access.patient_filter`), their latest readings (biomarker_latest, read by primary key), the
open alerts grouped by patient and severity, the last and the next appointment in one
window query, and one audit row for the whole read. The page's ids are bound as one array
on PostgreSQL (`= ANY(:ids)`), not as 200 parameters.

Visits are the provider's own (a provider sees only the appointments they are a party to).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Uuid, any_, bindparam, case, func, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from healix.audit import logger as audit_logger
from healix.audit.events import AuditAction, ResourceType
from healix.controllers.care_controller import list_patients
from healix.db import is_postgres
from healix.models.alert import Alert, AlertSeverity, AlertStatus
from healix.models.appointment import Appointment, AppointmentStatus
from healix.models.biomarker_latest import BiomarkerLatest
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
    if not ids:
        return Paged([], patients.next_cursor)
    in_page = _in_page(session, ids)
    latest = _latest_readings(session, in_page)
    alerts = _open_alerts(session, in_page)
    last_visits, next_visits = _visits(session, actor, in_page)
    no_alerts = dict.fromkeys(SEVERITIES, 0)
    rows = []
    for row in patients.items:
        open_alerts = alerts.get(row.id, no_alerts)
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
    audit_logger.record(
        session,
        AuditAction.PROVIDER_VIEW_HEALTH_DATA,
        actor=actor,
        resource_type=ResourceType.PATIENT,
        details={"patient_ids": sorted(str(i) for i in ids), "view": "overview"},
    )
    return Paged(rows, patients.next_cursor)


#: "this column is one of the page's patient ids", for a column of patient ids
InPage = Callable[[Any], ColumnElement[bool]]


def _in_page(session: Session, ids: list[uuid.UUID]) -> InPage:
    """PostgreSQL binds the ids as one uuid[] parameter (`= ANY(:ids)`); SQLite, which has no
    arrays, as an IN list."""
    if is_postgres(session):
        array = bindparam("page_ids", ids, type_=postgresql.ARRAY(Uuid()))
        return lambda column: column == any_(array)
    return lambda column: column.in_(ids)


def _latest_readings(session: Session, in_page: InPage) -> dict[tuple[uuid.UUID, str], Latest]:
    """The newest non-faulty reading per patient and overview type (controllers/
    latest_controller.py keeps them)."""
    _l = BiomarkerLatest
    found = session.execute(
        select(_l.patient_id, _l.biomarker_type, _l.value, _l.unit, _l.measured_at).where(
            in_page(_l.patient_id), _l.biomarker_type.in_(OVERVIEW_TYPES)
        )
    ).all()
    return {
        (patient_id, code): Latest(value, unit, measured_at)
        for patient_id, code, value, unit, measured_at in found
    }


def _open_alerts(session: Session, in_page: InPage) -> dict[uuid.UUID, dict[str, int]]:
    """Open alerts per patient and severity, every severity present (0 when none)."""
    counts: dict[uuid.UUID, dict[str, int]] = {}
    rows = session.execute(
        select(Alert.patient_id, Alert.severity, func.count())
        .where(in_page(Alert.patient_id), Alert.status == AlertStatus.OPEN)
        .group_by(Alert.patient_id, Alert.severity)
    ).all()
    for patient_id, severity, count in rows:
        per_patient = counts.get(patient_id)
        if per_patient is None:
            per_patient = counts[patient_id] = dict.fromkeys(SEVERITIES, 0)
        per_patient[severity] = count
    return counts


def _visits(
    session: Session, actor: User, in_page: InPage
) -> tuple[dict[uuid.UUID, Visit], dict[uuid.UUID, Visit]]:
    """The actor's latest completed and next scheduled appointment with each patient, in one
    statement: ranked per patient and status, completed ones newest first (the CASE keys
    are NULL for scheduled ones), scheduled ones soonest first."""
    completed = Appointment.status == AppointmentStatus.COMPLETED
    upcoming = (Appointment.status == AppointmentStatus.SCHEDULED) & (
        Appointment.start_time >= utcnow()
    )
    position = (
        func.row_number()
        .over(
            partition_by=(Appointment.patient_id, Appointment.status),
            order_by=(
                case((completed, Appointment.start_time)).desc(),
                case((completed, Appointment.id)).desc(),
                Appointment.start_time.asc(),
                Appointment.id.asc(),
            ),
        )
        .label("position")
    )
    ranked = (
        select(
            Appointment.patient_id,
            Appointment.status,
            Appointment.id,
            Appointment.start_time,
            Appointment.end_time,
            position,
        )
        .where(
            Appointment.provider_id == actor.id,
            in_page(Appointment.patient_id),
            completed | upcoming,
        )
        .subquery()
    )
    rows = session.execute(
        select(
            ranked.c.patient_id,
            ranked.c.status,
            ranked.c.id,
            ranked.c.start_time,
            ranked.c.end_time,
        ).where(ranked.c.position == 1)
    ).all()
    last: dict[uuid.UUID, Visit] = {}
    upcoming_visits: dict[uuid.UUID, Visit] = {}
    for patient_id, status, appointment_id, start_time, end_time in rows:
        visits = last if status == AppointmentStatus.COMPLETED else upcoming_visits
        visits[patient_id] = Visit(appointment_id, start_time, end_time)
    return last, upcoming_visits
