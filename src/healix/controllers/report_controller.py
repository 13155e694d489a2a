"""The PDF health report: latest values, trend charts, alerts, goals, appointments and
prescriptions of one patient over a period, optionally encrypted with AES-256.

Trends come from `biomarker_controller.bucket_totals` (the summaries' one home for
count/sum/min/max per bucket, in SQL): averaged types per hour (per day or week for longer
periods) with the lowest and highest reading of each bucket, summed types (the catalog's
aggregation decides) as totals per local day. A year of minute-level readings is still at
most ~1,000 buckets per type. Values are shown in the catalog's display units, imperial
when the patient chose it (`preferences.units`).

A report for a past period leaves out what did not belong to the period: it lists the
appointments that started in it and the prescriptions in effect during it (status and
refills as of the report date, said so in the document); upcoming appointments only when
the period reaches the present.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, func, not_, or_, select
from sqlalchemy.orm import Session

from healix.biomarker_catalog import (
    CATALOG,
    Aggregation,
    BiomarkerType,
    DisplayUnit,
    Thresholds,
    Units,
)
from healix.config.settings import Settings
from healix.controllers import goal_controller
from healix.controllers import pdf_documents as pdf
from healix.controllers.biomarker_controller import BucketTotals, bucket_totals
from healix.controllers.export_controller import (
    ExportFile,
    authorize_export,
    letterhead,
    patient_header,
    period_details,
)
from healix.controllers.pdf_charts import (
    ChartBucket,
    ChartKind,
    ChartSeries,
    display_thresholds,
)
from healix.controllers.threshold_controller import classify, effective_thresholds
from healix.models.alert import Alert
from healix.models.appointment import HOLDS_SLOT, Appointment
from healix.models.biomarker import BiomarkerReading, ReadingStatus
from healix.models.goal import Goal
from healix.models.prescription import Prescription, PrescriptionStatus
from healix.models.profile import Profile
from healix.models.user import User
from healix.utils.periods import Period, PeriodUnit, Span, boundaries
from healix.utils.time import utcnow, zone

DEFAULT_REPORT_DAYS = 30
MAX_CHART_POINTS = 1000
#: summed types show days as long as there are at most this many, then weeks, then months
MAX_TOTAL_BARS = 400
MAX_REPORT_ALERTS = 100
MAX_REPORT_ROWS = 50
#: a period ending this close to now is "current": the report also lists what is upcoming
CURRENT_SLACK = timedelta(minutes=5)
APPROXIMATE_SECONDS = {
    PeriodUnit.HOUR: 3600,
    PeriodUnit.DAY: 86400,
    PeriodUnit.WEEK: 7 * 86400,
    PeriodUnit.MONTH: 31 * 86400,
}


def health_report_pdf(
    session: Session,
    *,
    actor: User,
    patient_id: uuid.UUID | None,
    period: Period,
    settings: Settings,
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
    report = gather_health_report(
        session,
        patient=patient,
        period=span,
        report_id=report_id,
        letterhead=letterhead(settings),
    )
    content = pdf.render_health_report(report)
    if password:
        content = pdf.encrypt_pdf(content, password)
    filename = f"healix-report-{span.start:%Y%m%d}-{span.end:%Y%m%d}.pdf"
    return ExportFile(filename, "application/pdf", content)


def gather_health_report(
    session: Session,
    *,
    patient: User,
    period: Span,
    report_id: uuid.UUID,
    letterhead: pdf.Letterhead | None = None,
) -> pdf.HealthReport:
    """Everything the report shows, read with a handful of bounded queries."""
    now = utcnow()
    profile = session.get(Profile, patient.id)
    tz_name = profile.timezone if profile else "UTC"
    tz = zone(tz_name)
    units = Units(
        (profile.preferences or {}).get("units", Units.METRIC) if profile else Units.METRIC
    )
    thresholds = effective_thresholds(session, patient_id=patient.id)
    alerts, alerts_total = _report_alerts(session, patient_id=patient.id, period=period)
    current = period.end >= now - CURRENT_SLACK
    return pdf.HealthReport(
        report_id=str(report_id),
        generated_at=now,
        patient=patient_header(patient, profile),
        timezone_name=tz_name,
        period_start=period.start.astimezone(tz),
        period_end=period.end.astimezone(tz),
        letterhead=letterhead,
        latest=[
            pdf.LatestValue(
                label=CATALOG[row.biomarker_type].display_name,
                value=CATALOG[row.biomarker_type].display(units).convert(row.value),
                unit=CATALOG[row.biomarker_type].display(units).label,
                measured_at=row.measured_at.astimezone(tz),
                level=classify(row.value, thresholds[row.biomarker_type])[0],
            )
            for row in latest_readings(session, patient_id=patient.id, period=period)
        ],
        charts=[
            series
            for code, entry in CATALOG.items()
            if (
                series := trend_series(
                    session,
                    patient_id=patient.id,
                    entry=entry,
                    period=period,
                    tz=tz,
                    units=units,
                    thresholds=thresholds[code],
                )
            )
            is not None
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
        appointments=_report_appointments(
            session, patient_id=patient.id, tz=tz, conditions=period.where(Appointment.start_time)
        ),
        upcoming=_report_appointments(
            session,
            patient_id=patient.id,
            tz=tz,
            conditions=[
                Appointment.status.in_(HOLDS_SLOT),
                Appointment.start_time >= max(now, period.end),
            ],
        )
        if current
        else None,
        prescriptions=_report_prescriptions(session, patient_id=patient.id, period=period),
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


def chart_bucket_unit(entry: BiomarkerType, period: Span, readings: int) -> PeriodUnit:
    """The finest calendar unit with at most 1,000 buckets (400 for summed types) that has
    on average a reading per bucket: minute-level heart rate by hour, a few SpO2 readings a
    day by day. Summed types start at days (daily totals)."""
    seconds = (period.end - period.start).total_seconds()
    candidates: tuple[PeriodUnit, ...] = (PeriodUnit.DAY, PeriodUnit.WEEK, PeriodUnit.MONTH)
    most = MAX_TOTAL_BARS
    if entry.aggregation is Aggregation.MEAN:
        candidates, most = (PeriodUnit.HOUR, *candidates), MAX_CHART_POINTS
    fitting = [unit for unit in candidates if seconds / APPROXIMATE_SECONDS[unit] <= most]
    for unit in fitting:
        if (
            entry.aggregation is not Aggregation.MEAN
            or readings >= seconds / APPROXIMATE_SECONDS[unit]
        ):
            return unit
    return fitting[-1] if fitting else PeriodUnit.MONTH


def _reading_count(session: Session, patient_id: uuid.UUID, code: str, period: Span) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(BiomarkerReading)
            .where(_readings_in(patient_id, period), BiomarkerReading.biomarker_type == code)
        )
        or 0
    )


def trend_series(
    session: Session,
    *,
    patient_id: uuid.UUID,
    entry: BiomarkerType,
    period: Span,
    tz: ZoneInfo,
    units: Units,
    thresholds: Thresholds,
) -> ChartSeries | None:
    """One type's chart over the period in local calendar buckets (None without readings)."""
    readings = _reading_count(session, patient_id, entry.code, period)
    if not readings:
        return None
    unit = chart_bucket_unit(entry, period, readings)
    edges = boundaries(period.start, period.end, unit, tz)
    totals = bucket_totals(
        session,
        patient_id=patient_id,
        biomarker_type=entry.code,
        edges=edges,
        start=period.start,
        end=period.end,
        tz=tz,
    )
    display = entry.display(units)
    buckets = [
        _chart_bucket(item, bucket_end, period, tz, display)
        for item, bucket_end in zip(totals, edges[1:], strict=True)
        if item.count
    ]
    if not buckets:
        return None
    return ChartSeries(
        label=entry.display_name,
        unit=display.label,
        kind=ChartKind.ENVELOPE if entry.aggregation is Aggregation.MEAN else ChartKind.TOTALS,
        bucket_name=str(unit),
        buckets=buckets,
        thresholds=display_thresholds(thresholds, display),
    )


def _chart_bucket(
    item: BucketTotals, bucket_end: datetime, period: Span, tz: ZoneInfo, display: DisplayUnit
) -> ChartBucket:
    """A non-empty bucket in display units, its span clipped to the period."""
    return ChartBucket(
        start=max(item.start, period.start).astimezone(tz),
        end=min(bucket_end, period.end).astimezone(tz),
        count=item.count,
        mean=display.convert(item.sum / item.count),
        low=display.convert(item.min if item.min is not None else 0.0),
        high=display.convert(item.max if item.max is not None else 0.0),
        total=item.sum * display.factor,
    )


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
            unit=CATALOG[view.goal.goal_type].unit_label(view.goal.unit)
            if view.goal.goal_type in CATALOG
            else view.goal.unit,
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
    session: Session,
    *,
    patient_id: uuid.UUID,
    tz: ZoneInfo,
    conditions: list[ColumnElement[bool]],
) -> list[pdf.AppointmentLine]:
    rows = session.execute(
        select(Appointment, User)
        .join(User, User.id == Appointment.provider_id)
        .where(Appointment.patient_id == patient_id, *conditions)
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
            status=appointment.status,
        )
        for appointment, provider in rows
    ]


def _report_prescriptions(
    session: Session, *, patient_id: uuid.UUID, period: Span
) -> list[pdf.PrescriptionLine]:
    """Prescriptions valid during the period (by their start and end dates), leaving out
    those completed or cancelled before it began: a final prescription no longer changes,
    so its `updated_at` is when it became final."""
    ended_before = and_(
        Prescription.status.in_([PrescriptionStatus.COMPLETED, PrescriptionStatus.CANCELLED]),
        Prescription.updated_at < period.start,
    )
    rows = session.execute(
        select(Prescription, User)
        .join(User, User.id == Prescription.provider_id)
        .where(
            Prescription.patient_id == patient_id,
            *period.overlapping_days(Prescription.start_date, Prescription.end_date),
            not_(ended_before),
        )
        .order_by(Prescription.start_date.desc(), Prescription.id)
        .limit(MAX_REPORT_ROWS)
    )
    return [
        pdf.PrescriptionLine(
            medication_name=prescription.medication_name,
            dosage=prescription.dosage,
            instructions=prescription.instructions,
            prescriber_name=provider.full_name,
            refills_left=prescription.refills_left,
            start_date=prescription.start_date,
            end_date=prescription.end_date,
            status=prescription.effective_status,
        )
        for prescription, provider in rows
    ]
