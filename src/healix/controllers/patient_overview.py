"""The provider's "My patients": one row per patient in their care with the latest vitals,
open alerts by severity, the last visit and the next appointment.

A page costs the same statements for 1 patient as for 200: the page of patients (the one
listing of `care_controller.list_patients`, so the access rule is that of
`access.patient_filter`), one statement for everything shown of them (`_details`: their
latest readings from biomarker_latest, open alerts grouped, the last and the next visit as
index probes), and one audit row for the whole read. The page's ids are bound as one uuid[]
on PostgreSQL (`= ANY(:page_ids)`), not as 200 parameters, and the statement is built once,
so its text is stable and psycopg prepares it.

Visits are the provider's own (a provider sees only the appointments they are a party to).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Row,
    Select,
    Subquery,
    Uuid,
    any_,
    bindparam,
    case,
    func,
    literal,
    select,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session, aliased

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
    found = {
        row[0]: row
        for row in session.execute(
            _details(postgres=is_postgres(session)),
            {"page_ids": ids, "provider_id": actor.id, "now": utcnow()},
        )
    }
    rows = [_overview_row(patient, found[patient.id]) for patient in patients.items]
    audit_logger.record(
        session,
        AuditAction.PROVIDER_VIEW_HEALTH_DATA,
        actor=actor,
        resource_type=ResourceType.PATIENT,
        details={"patient_ids": sorted(str(i) for i in ids), "view": "overview"},
    )
    return Paged(rows, patients.next_cursor)


#: "this column is one of the page's patient ids" (parameter `page_ids`)
InPage = Callable[[Any], ColumnElement[bool]]


def _in_page(*, postgres: bool) -> InPage:
    """PostgreSQL binds the ids as one uuid[] parameter (`= ANY(:page_ids)`); SQLite, which
    has no arrays, as an IN list."""
    if postgres:
        array = bindparam("page_ids", type_=postgresql.ARRAY(Uuid()))
        return lambda column: column == any_(array)
    ids = bindparam("page_ids", type_=Uuid(), expanding=True)
    return lambda column: column.in_(ids)


#: where the columns of `_details` start: the patient id, (value, unit, measured_at) per
#: overview type, the open alerts per severity, then (id, start, end) of the two visits
_VITALS_AT = 1
_ALERTS_AT = _VITALS_AT + 3 * len(OVERVIEW_TYPES)
_LAST_VISIT_AT = _ALERTS_AT + len(SEVERITIES)
_NEXT_VISIT_AT = _LAST_VISIT_AT + 3


@cache
def _details(*, postgres: bool) -> Select[Any]:
    """One row per patient of the page (parameters `page_ids`, `provider_id`, `now`): their
    latest readings, open alerts by severity, and the provider's last completed and next
    scheduled appointment with them. Built once per dialect."""
    in_page = _in_page(postgres=postgres)
    statement = select(User.id).select_from(User)
    latest = _latest_readings(in_page)
    statement = statement.add_columns(*list(latest.c)[1:])
    statement = statement.outerjoin(latest, latest.c.patient_id == User.id)
    alerts = _open_alerts(in_page)
    statement = statement.add_columns(*(alerts.c[severity] for severity in SEVERITIES))
    statement = statement.outerjoin(alerts, alerts.c.patient_id == User.id)
    for upcoming in (False, True):
        visit = aliased(Appointment, name="next_visit" if upcoming else "last_visit")
        statement = statement.add_columns(visit.id, visit.start_time, visit.end_time)
        statement = statement.outerjoin(visit, visit.id == _visit_id(upcoming=upcoming))
    return statement.where(in_page(User.id))


def _latest_readings(in_page: InPage) -> Subquery:
    """The latest readings of the page's patients (biomarker_latest, kept by controllers/
    latest_controller.py), one row per patient: (value, unit, measured_at) per overview
    type, pivoted by aggregates over the patient's few rows (one join instead of four)."""
    _l = BiomarkerLatest
    columns = []
    for code in OVERVIEW_TYPES:
        of_type = _l.biomarker_type == _constant(code)
        columns += [
            func.max(case((of_type, column))).label(f"{code}_{name}")
            for name, column in (
                ("value", _l.value),
                ("unit", _l.unit),
                ("measured_at", _l.measured_at),
            )
        ]
    return (
        select(_l.patient_id, *columns)
        .where(in_page(_l.patient_id), _l.biomarker_type.in_(OVERVIEW_TYPES))
        .group_by(_l.patient_id)
        .subquery("latest")
    )


def _constant(value: str) -> Any:
    """A constant of the code written into the SQL, not bound: a prepared statement's
    generic plan then still knows which rows it selects (and probes the primary key)."""
    return literal(value, literal_execute=True)


def _open_alerts(in_page: InPage) -> Subquery:
    """Open alerts per patient of the page, one column per severity."""
    return (
        select(
            Alert.patient_id,
            *(
                func.sum(case((Alert.severity == severity, 1), else_=0)).label(severity)
                for severity in SEVERITIES
            ),
        )
        .where(in_page(Alert.patient_id), Alert.status == AlertStatus.OPEN)
        .group_by(Alert.patient_id)
        .subquery("open_alerts")
    )


def _visit_id(*, upcoming: bool) -> Any:
    """The id of the provider's latest completed (or next scheduled) appointment with the
    patient: a short walk of the patient's appointments index, so any plan of the statement
    is index probes (a prepared statement's generic plan too)."""
    appointment = aliased(Appointment)
    condition: ColumnElement[bool]
    if upcoming:
        condition = (appointment.status == AppointmentStatus.SCHEDULED) & (
            appointment.start_time >= bindparam("now", type_=appointment.start_time.type)
        )
        order = (appointment.start_time.asc(), appointment.id.asc())
    else:
        condition = appointment.status == AppointmentStatus.COMPLETED
        order = (appointment.start_time.desc(), appointment.id.desc())
    return (
        select(appointment.id)
        .where(
            appointment.patient_id == User.id,
            appointment.provider_id == bindparam("provider_id", type_=Uuid()),
            condition,
        )
        .order_by(*order)
        .limit(1)
        .correlate(User)
        .scalar_subquery()
    )


def _overview_row(patient: Row[Any], found: Row[Any]) -> OverviewRow:
    open_alerts = {
        severity: found[_ALERTS_AT + index] or 0 for index, severity in enumerate(SEVERITIES)
    }
    return OverviewRow(
        id=patient.id,
        first_name=patient.first_name,
        last_name=patient.last_name,
        date_of_birth=patient.date_of_birth,
        heart_rate=_latest(found, OVERVIEW_TYPES.index(HEART_RATE)),
        blood_pressure=BloodPressure(
            _latest(found, OVERVIEW_TYPES.index(SYSTOLIC)),
            _latest(found, OVERVIEW_TYPES.index(DIASTOLIC)),
        ),
        blood_glucose=_latest(found, OVERVIEW_TYPES.index(GLUCOSE)),
        open_alerts=open_alerts,
        last_visit=_visit(found, _LAST_VISIT_AT),
        next_appointment=_visit(found, _NEXT_VISIT_AT),
        status=_status(open_alerts),
    )


def _latest(found: Row[Any], type_index: int) -> Latest | None:
    at = _VITALS_AT + 3 * type_index
    value = found[at]
    return None if value is None else Latest(value, found[at + 1], found[at + 2])


def _visit(found: Row[Any], at: int) -> Visit | None:
    appointment_id = found[at]
    return None if appointment_id is None else Visit(appointment_id, found[at + 1], found[at + 2])
