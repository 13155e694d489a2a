"""The PDF health report: latest values, trend charts, alerts, goals, appointments and
prescriptions of one patient over a period, optionally encrypted with AES-256.

Charts are downsampled in SQL (`downsample_readings`), so the report of a year of
minute-level readings still reads at most 1,000 points per biomarker type.
"""

from __future__ import annotations

import math
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Integer, and_, cast, func, or_, select
from sqlalchemy.orm import Session

from healix.biomarker_catalog import CATALOG
from healix.controllers import goal_controller
from healix.controllers import pdf_documents as pdf
from healix.controllers.export_controller import (
    ExportFile,
    authorize_export,
    period_details,
)
from healix.controllers.threshold_controller import classify, effective_thresholds
from healix.db import is_postgres
from healix.models.alert import Alert
from healix.models.appointment import Appointment, AppointmentStatus
from healix.models.biomarker import BiomarkerReading, ReadingStatus
from healix.models.goal import Goal
from healix.models.prescription import Prescription, PrescriptionStatus
from healix.models.profile import Profile
from healix.models.user import User
from healix.utils.periods import Period, Span
from healix.utils.time import utcnow, zone

DEFAULT_REPORT_DAYS = 30
MAX_CHART_POINTS = 1000
MAX_REPORT_ALERTS = 100
MAX_REPORT_ROWS = 50


def health_report_pdf(
    session: Session,
    *,
    actor: User,
    patient_id: uuid.UUID | None,
    period: Period,
    password: str | None = None,
) -> ExportFile:
    """The patient's health report as a PDF; AES-256 encrypted when a password is given.
    The period defaults to the 30 days before `to` (default: now)."""
    span = period.bounded(default_length=timedelta(days=DEFAULT_REPORT_DAYS))
    report_id = uuid.uuid4()
    details = period_details("pdf-encrypted" if password else "pdf", span)
    patient = authorize_export(
        session, actor=actor, patient_id=patient_id, export_id=report_id, details=details
    )
    content = pdf.render_health_report(
        gather_health_report(session, patient=patient, period=span, report_id=report_id)
    )
    if password:
        content = pdf.encrypt_pdf(content, password)
    filename = f"healix-report-{span.start:%Y%m%d}-{span.end:%Y%m%d}.pdf"
    return ExportFile(filename, "application/pdf", content)


def gather_health_report(
    session: Session, *, patient: User, period: Span, report_id: uuid.UUID
) -> pdf.HealthReport:
    """Everything the report shows, read with a handful of bounded queries."""
    profile = session.get(Profile, patient.id)
    tz_name = profile.timezone if profile else "UTC"
    tz = zone(tz_name)
    thresholds = effective_thresholds(session, patient_id=patient.id)
    alerts, alerts_total = _report_alerts(session, patient_id=patient.id, period=period)
    series = downsample_readings(session, patient_id=patient.id, period=period)
    return pdf.HealthReport(
        report_id=str(report_id),
        generated_at=utcnow(),
        patient_name=patient.full_name,
        timezone_name=tz_name,
        period_start=period.start.astimezone(tz),
        period_end=period.end.astimezone(tz),
        latest=[
            pdf.LatestValue(
                label=CATALOG[row.biomarker_type].display_name,
                value=row.value,
                unit=row.unit,
                measured_at=row.measured_at.astimezone(tz),
                level=classify(row.value, thresholds[row.biomarker_type])[0],
            )
            for row in latest_readings(session, patient_id=patient.id, period=period)
        ],
        charts=[
            pdf.ChartSeries(
                label=CATALOG[code].display_name,
                unit=CATALOG[code].unit,
                points=[(moment.astimezone(tz), value) for moment, value in points],
                thresholds=thresholds[code],
            )
            for code, points in series.items()
        ],
        alerts=[
            pdf.AlertLine(
                first_seen_at=alert.first_seen_at.astimezone(tz),
                label=CATALOG[alert.biomarker_type].display_name,
                severity=alert.severity,
                status=alert.status,
                message=alert.message,
            )
            for alert in alerts
        ],
        alerts_omitted=alerts_total - len(alerts),
        goals=_report_goals(session, patient_id=patient.id, period=period),
        appointments=_report_appointments(session, patient_id=patient.id, tz_name=tz_name),
        prescriptions=_report_prescriptions(session, patient_id=patient.id),
    )


def _readings_in(patient_id: uuid.UUID, period: Period) -> ColumnElement[bool]:
    reading = BiomarkerReading
    return and_(
        reading.patient_id == patient_id,
        reading.status == ReadingStatus.OK,
        *period.where(reading.measured_at),
    )


def latest_readings(
    session: Session, *, patient_id: uuid.UUID, period: Period
) -> list[BiomarkerReading]:
    """The newest non-faulty reading of each type in the period (one indexed query per type)."""
    latest = []
    for code in CATALOG:
        row = session.scalars(
            select(BiomarkerReading)
            .where(
                _readings_in(patient_id, period),
                BiomarkerReading.biomarker_type == code,
            )
            .order_by(BiomarkerReading.measured_at.desc(), BiomarkerReading.id.desc())
            .limit(1)
        ).first()
        if row is not None:
            latest.append(row)
    return latest


def _epoch_seconds(session: Session, column: Any) -> Any:
    if is_postgres(session):
        return func.extract("epoch", column)
    return (func.julianday(column) - 2440587.5) * 86400.0


def downsample_readings(
    session: Session,
    *,
    patient_id: uuid.UUID,
    period: Span,
    max_points: int = MAX_CHART_POINTS,
) -> dict[str, list[tuple[datetime, float]]]:
    """Per type, the period's non-faulty readings averaged into at most `max_points` buckets.

    The database does the work: each reading falls into one of `max_points` equal time
    buckets, and GROUP BY returns the mean time and mean value per bucket, so a year of
    minute-level data (500k rows) comes back as 1,000 points per type.
    """
    width = math.floor((period.end - period.start).total_seconds() / max_points) + 1
    epoch = _epoch_seconds(session, BiomarkerReading.measured_at)
    offset = (epoch - period.start.timestamp()) / width
    bucket = func.floor(offset) if is_postgres(session) else cast(offset, Integer)
    rows = (
        select(
            BiomarkerReading.biomarker_type.label("code"),
            bucket.label("bucket"),
            epoch.label("seconds"),
            BiomarkerReading.value.label("value"),
        )
        .where(_readings_in(patient_id, period))
        .subquery()
    )
    query = (
        select(rows.c.code, func.avg(rows.c.seconds), func.avg(rows.c.value))
        .group_by(rows.c.code, rows.c.bucket)
        .order_by(rows.c.code, rows.c.bucket)
    )
    series: dict[str, list[tuple[datetime, float]]] = {}
    for code, seconds, value in session.execute(query):
        series.setdefault(code, []).append(
            (datetime.fromtimestamp(float(seconds), UTC), float(value))
        )
    return {code: series[code] for code in CATALOG if code in series}


def _report_alerts(
    session: Session, *, patient_id: uuid.UUID, period: Span
) -> tuple[list[Alert], int]:
    overlaps = and_(
        Alert.patient_id == patient_id,
        *period.overlapping(Alert.first_seen_at, Alert.last_seen_at),
    )
    total = session.scalar(select(func.count()).select_from(Alert).where(overlaps)) or 0
    alerts = session.scalars(
        select(Alert).where(overlaps).order_by(Alert.first_seen_at.desc()).limit(MAX_REPORT_ALERTS)
    ).all()
    return list(alerts), total


def _report_goals(session: Session, *, patient_id: uuid.UUID, period: Span) -> list[pdf.GoalLine]:
    goals = session.scalars(
        select(Goal)
        .where(
            Goal.patient_id == patient_id,
            Goal.start_date <= period.end.date(),
            or_(Goal.end_date.is_(None), Goal.end_date >= period.start.date()),
        )
        .order_by(Goal.created_at)
        .limit(MAX_REPORT_ROWS)
    ).all()
    return [
        pdf.GoalLine(
            title=view.goal.title or view.goal.goal_type.replace("_", " ").capitalize(),
            target_value=view.goal.target_value,
            unit=view.goal.unit,
            period=view.goal.period,
            direction=view.goal.direction,
            status=view.goal.status,
            current_value=view.progress.current_value,
            percent=view.progress.percent,
            achieved=view.progress.achieved,
        )
        for view in goal_controller.with_progress(session, list(goals))
    ]


def _report_appointments(
    session: Session, *, patient_id: uuid.UUID, tz_name: str
) -> list[pdf.AppointmentLine]:
    tz = zone(tz_name)
    rows = session.execute(
        select(Appointment, User)
        .join(User, User.id == Appointment.provider_id)
        .where(
            Appointment.patient_id == patient_id,
            Appointment.status == AppointmentStatus.SCHEDULED,
            Appointment.start_time > utcnow(),
        )
        .order_by(Appointment.start_time)
        .limit(MAX_REPORT_ROWS)
    )
    return [
        pdf.AppointmentLine(
            start=appointment.start_time.astimezone(tz),
            end=appointment.end_time.astimezone(tz),
            provider_name=provider.full_name,
            reason=appointment.reason,
            location=appointment.location,
        )
        for appointment, provider in rows
    ]


def _report_prescriptions(session: Session, *, patient_id: uuid.UUID) -> list[pdf.PrescriptionLine]:
    rows = session.execute(
        select(Prescription, User)
        .join(User, User.id == Prescription.provider_id)
        .where(
            Prescription.patient_id == patient_id,
            Prescription.status_is(PrescriptionStatus.ACTIVE),
        )
        .order_by(Prescription.start_date.desc())
        .limit(MAX_REPORT_ROWS)
    )
    return [
        pdf.PrescriptionLine(
            medication_name=prescription.medication_name,
            dosage=prescription.dosage,
            instructions=prescription.instructions,
            prescriber_name=provider.full_name,
            refills_left=prescription.refills_left,
            end_date=prescription.end_date,
        )
        for prescription, provider in rows
    ]
