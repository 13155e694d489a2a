"""PDF documents drawn with reportlab: the health report and the printable prescription.

This module only draws. It takes plain dataclasses (no database, no Flask) and returns PDF
bytes. Text that users typed is always escaped before it reaches a `Paragraph`, so it is
shown literally and can never become markup: no `<img>`, `<a href>` or font tag from user
input, hence nothing makes reportlab fetch a URL or open a file.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from pypdf import PdfReader, PdfWriter
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from healix.biomarker_catalog import Thresholds

TIME_FORMAT = "%Y-%m-%d %H:%M"
DATE_FORMAT = "%Y-%m-%d"
CHART_WIDTH = 170 * mm
CHART_HEIGHT = 62 * mm
LEVEL_COLOURS = {
    "normal": colors.HexColor("#1b7f3b"),
    "warning": colors.HexColor("#b36b00"),
    "critical": colors.HexColor("#b00020"),
}
BAND_COLOURS = {
    "warning": colors.Color(1.0, 0.85, 0.4, alpha=0.35),
    "critical": colors.Color(0.95, 0.45, 0.45, alpha=0.35),
}


@dataclass(frozen=True)
class LatestValue:
    label: str
    value: float
    unit: str
    measured_at: datetime
    level: str


@dataclass(frozen=True)
class ChartSeries:
    """One biomarker's trend: (time, value) points, already reduced to at most ~1,000."""

    label: str
    unit: str
    points: Sequence[tuple[datetime, float]]
    thresholds: Thresholds


@dataclass(frozen=True)
class AlertLine:
    first_seen_at: datetime
    label: str
    severity: str
    status: str
    message: str


@dataclass(frozen=True)
class GoalLine:
    title: str
    target_value: float
    unit: str
    period: str
    direction: str
    status: str
    #: progress in the current period (None when nothing was recorded yet)
    current_value: float | None = None
    percent: float | None = None
    achieved: bool = False


@dataclass(frozen=True)
class AppointmentLine:
    start: datetime
    end: datetime
    provider_name: str
    reason: str | None
    location: str | None


@dataclass(frozen=True)
class PrescriptionLine:
    medication_name: str
    dosage: str
    instructions: str | None
    prescriber_name: str
    refills_left: int
    end_date: date | None


@dataclass(frozen=True)
class HealthReport:
    """Everything the health report shows; times are already in the patient's time zone."""

    report_id: str
    generated_at: datetime
    patient_name: str
    timezone_name: str
    period_start: datetime
    period_end: datetime
    latest: Sequence[LatestValue] = ()
    charts: Sequence[ChartSeries] = ()
    alerts: Sequence[AlertLine] = ()
    alerts_omitted: int = 0
    goals: Sequence[GoalLine] = ()
    appointments: Sequence[AppointmentLine] = ()
    prescriptions: Sequence[PrescriptionLine] = ()


@dataclass(frozen=True)
class PrescriptionSheet:
    prescription_id: str
    generated_at: datetime
    patient_name: str
    patient_date_of_birth: date | None
    prescriber_name: str
    prescriber_licence: str | None
    prescriber_specialization: str | None
    medication_name: str
    dosage: str
    instructions: str | None
    quantity: int
    refills_allowed: int
    refills_left: int
    start_date: date
    end_date: date | None
    status: str
    issued_at: datetime | None = None


# -- shared building blocks ----------------------------------------------------------------

_STYLES = getSampleStyleSheet()
BODY = ParagraphStyle("HealixBody", parent=_STYLES["BodyText"], fontSize=9, leading=11)
SMALL = ParagraphStyle("HealixSmall", parent=BODY, fontSize=8, leading=10)
HEADER_CELL = ParagraphStyle("HealixHeaderCell", parent=SMALL, fontName="Helvetica-Bold")
TITLE = ParagraphStyle("HealixTitle", parent=_STYLES["Title"], fontSize=18, spaceAfter=4)
HEADING = ParagraphStyle("HealixHeading", parent=_STYLES["Heading2"], fontSize=12, spaceBefore=8)
LEVEL_STYLES = {
    level: ParagraphStyle(f"HealixLevel{level}", parent=SMALL, textColor=colour)
    for level, colour in LEVEL_COLOURS.items()
}


def text(value: object, style: ParagraphStyle = BODY) -> Paragraph:
    """A Paragraph showing `value` literally: user text is escaped, never read as markup."""
    return Paragraph(escape("" if value is None else str(value)), style)


def _fmt_time(value: datetime) -> str:
    return value.strftime(TIME_FORMAT)


def _fmt_date(value: date | None) -> str:
    return value.strftime(DATE_FORMAT) if value else "-"


def _fmt_number(value: float) -> str:
    return f"{value:,.1f}" if abs(value - round(value)) > 1e-9 else f"{round(value):,}"


def _table(header: Sequence[str], rows: list[list[Any]], widths: Sequence[float]) -> Table:
    cells = [[text(title, HEADER_CELL) for title in header], *rows]
    table = Table(cells, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#9aa5b1")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _footer(label: str, document_id: str, generated_at: datetime) -> Callable[[Canvas, Any], None]:
    """The onPage callback: document id, generation time and page number on every page."""
    stamp = generated_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")

    def draw(canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(doc.leftMargin, 10 * mm, f"{label} {document_id} - generated {stamp}")
        canvas.drawRightString(
            doc.pagesize[0] - doc.rightMargin, 10 * mm, f"Page {canvas.getPageNumber()}"
        )
        canvas.restoreState()

    return draw


def _build(story: list[Flowable], *, title: str, footer: Callable[[Canvas, Any], None]) -> bytes:
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author="Healix",
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


# -- trend charts -------------------------------------------------------------------------


def _value_range(values: Sequence[float]) -> tuple[float, float]:
    low, high = min(values), max(values)
    span = high - low
    pad = span * 0.1 if span > 0 else max(abs(high) * 0.1, 1.0)
    return low - pad, high + pad


def threshold_bands(
    thresholds: Thresholds, low: float, high: float
) -> list[tuple[float, float, str]]:
    """(from, to, level) value ranges outside normal, clipped to the visible [low, high]."""
    t = thresholds
    bands = [
        (low, t.critical_min, "critical") if t.critical_min is not None else None,
        (t.critical_min if t.critical_min is not None else low, t.warning_min, "warning")
        if t.warning_min is not None
        else None,
        (t.warning_max, t.critical_max if t.critical_max is not None else high, "warning")
        if t.warning_max is not None
        else None,
        (t.critical_max, high, "critical") if t.critical_max is not None else None,
    ]
    clipped = []
    for band in bands:
        if band is None:
            continue
        start, end, level = max(band[0], low), min(band[1], high), band[2]
        if end > start:
            clipped.append((start, end, level))
    return clipped


def _time_labeller(period_start: datetime, period_end: datetime) -> Callable[[float], str]:
    """Axis labels in the report's time zone (that of `period_start`)."""
    short = period_end - period_start <= timedelta(days=3)
    pattern = "%m-%d %H:%M" if short else "%Y-%m-%d"
    tz = period_start.tzinfo or UTC
    return lambda seconds: datetime.fromtimestamp(seconds, tz).strftime(pattern)


def trend_chart(series: ChartSeries, period_start: datetime, period_end: datetime) -> Drawing:
    """A line chart of one biomarker with its warning/critical ranges shaded."""
    drawing = Drawing(CHART_WIDTH, CHART_HEIGHT)
    plot = LinePlot()
    # types-reportlab declares a plot's position and size as int; reportlab takes any number
    plot.x, plot.y = 14 * mm, 10 * mm  # type: ignore[assignment]
    plot.width = CHART_WIDTH - 20 * mm  # type: ignore[assignment]
    plot.height = CHART_HEIGHT - 16 * mm  # type: ignore[assignment]
    points = [(moment.timestamp(), value) for moment, value in series.points]
    low, high = _value_range([value for _, value in points])
    start, end = period_start.timestamp(), period_end.timestamp()
    plot.data = [points]
    plot.lines[0].strokeColor = colors.HexColor("#1f5fa8")
    plot.lines[0].strokeWidth = 1
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = start, end
    plot.xValueAxis.valueSteps = [start + (end - start) * step / 4 for step in range(5)]
    plot.xValueAxis.labelTextFormat = _time_labeller(period_start, period_end)
    plot.xValueAxis.labels.fontSize = 6
    plot.yValueAxis.valueMin, plot.yValueAxis.valueMax = low, high
    plot.yValueAxis.labels.fontSize = 6
    plot.yValueAxis.labelTextFormat = _fmt_number
    scale = plot.height / (high - low)
    for band_low, band_high, level in threshold_bands(series.thresholds, low, high):
        band = Rect(
            plot.x, plot.y + (band_low - low) * scale, plot.width, (band_high - band_low) * scale
        )
        band.fillColor, band.strokeColor = BAND_COLOURS[level], None
        drawing.add(band)
    drawing.add(plot)
    return drawing


# -- the health report --------------------------------------------------------------------


def _latest_section(report: HealthReport) -> list[Flowable]:
    if not report.latest:
        return [text("No readings in this period.")]
    rows = [
        [
            text(item.label, SMALL),
            text(f"{_fmt_number(item.value)} {item.unit}", SMALL),
            text(item.level, LEVEL_STYLES.get(item.level, SMALL)),
            text(_fmt_time(item.measured_at), SMALL),
        ]
        for item in report.latest
    ]
    return [
        _table(
            ["Biomarker", "Latest value", "Status", "Measured"],
            rows,
            [55 * mm, 40 * mm, 25 * mm, 54 * mm],
        )
    ]


def _charts_section(report: HealthReport) -> list[Flowable]:
    if not report.charts:
        return [text("No readings in this period.")]
    flowables: list[Flowable] = [
        text("Averages over time; shaded: warning range (amber) and critical range (red).", SMALL)
    ]
    for series in report.charts:
        flowables.append(
            KeepTogether(
                [
                    text(f"{series.label} trend ({series.unit})", HEADER_CELL),
                    trend_chart(series, report.period_start, report.period_end),
                    Spacer(1, 3 * mm),
                ]
            )
        )
    return flowables


def _alerts_section(report: HealthReport) -> list[Flowable]:
    if not report.alerts:
        return [text("No alerts in this period.")]
    rows = [
        [
            text(_fmt_time(alert.first_seen_at), SMALL),
            text(alert.label, SMALL),
            text(alert.severity, LEVEL_STYLES.get(alert.severity, SMALL)),
            text(alert.status, SMALL),
            text(alert.message, SMALL),
        ]
        for alert in report.alerts
    ]
    flowables: list[Flowable] = [
        _table(
            ["First seen", "Biomarker", "Severity", "Status", "Message"],
            rows,
            [28 * mm, 32 * mm, 18 * mm, 22 * mm, 74 * mm],
        )
    ]
    if report.alerts_omitted:
        flowables.append(text(f"{report.alerts_omitted} older alerts are not listed.", SMALL))
    return flowables


def _goals_section(report: HealthReport) -> list[Flowable]:
    if not report.goals:
        return [text("No goals.")]
    rows = [
        [
            text(goal.title, SMALL),
            text(
                f"{goal.direction.replace('_', ' ')} {_fmt_number(goal.target_value)} {goal.unit}",
                SMALL,
            ),
            text(goal.period, SMALL),
            text(_goal_progress(goal), SMALL),
            text(goal.status, SMALL),
        ]
        for goal in report.goals
    ]
    return [
        _table(
            ["Goal", "Target", "Period", "This period", "Status"],
            rows,
            [52 * mm, 42 * mm, 20 * mm, 38 * mm, 22 * mm],
        )
    ]


def _goal_progress(goal: GoalLine) -> str:
    if goal.current_value is None:
        return "nothing recorded"
    percent = f" ({goal.percent:.0f}%)" if goal.percent is not None else ""
    done = ", achieved" if goal.achieved else ""
    return f"{_fmt_number(goal.current_value)} {goal.unit}{percent}{done}"


def _appointments_section(report: HealthReport) -> list[Flowable]:
    if not report.appointments:
        return [text("No upcoming appointments.")]
    rows = [
        [
            text(f"{_fmt_time(item.start)} - {item.end.strftime('%H:%M')}", SMALL),
            text(item.provider_name, SMALL),
            text(item.reason or "-", SMALL),
            text(item.location or "-", SMALL),
        ]
        for item in report.appointments
    ]
    return [
        _table(
            ["When", "Provider", "Reason", "Location"], rows, [38 * mm, 40 * mm, 60 * mm, 36 * mm]
        )
    ]


def _prescriptions_section(report: HealthReport) -> list[Flowable]:
    if not report.prescriptions:
        return [text("No active prescriptions.")]
    rows = [
        [
            text(item.medication_name, SMALL),
            text(item.dosage, SMALL),
            text(item.instructions or "-", SMALL),
            text(item.prescriber_name, SMALL),
            text(str(item.refills_left), SMALL),
            text(_fmt_date(item.end_date), SMALL),
        ]
        for item in report.prescriptions
    ]
    return [
        _table(
            ["Medication", "Dosage", "Instructions", "Prescriber", "Refills left", "Until"],
            rows,
            [34 * mm, 28 * mm, 46 * mm, 30 * mm, 16 * mm, 20 * mm],
        )
    ]


def render_health_report(report: HealthReport) -> bytes:
    """The patient's health report as PDF bytes."""
    period = f"{_fmt_time(report.period_start)} to {_fmt_time(report.period_end)} ({report.timezone_name})"
    story: list[Flowable] = [
        text("Health report", TITLE),
        text(report.patient_name, HEADING),
        text(f"Period: {period}"),
        Spacer(1, 4 * mm),
        text("Latest values", HEADING),
        *_latest_section(report),
        text("Trends", HEADING),
        *_charts_section(report),
        text("Alerts", HEADING),
        *_alerts_section(report),
        text("Goals", HEADING),
        *_goals_section(report),
        text("Upcoming appointments", HEADING),
        *_appointments_section(report),
        text("Active prescriptions", HEADING),
        *_prescriptions_section(report),
    ]
    footer = _footer("Healix health report", report.report_id, report.generated_at)
    return _build(story, title="Healix health report", footer=footer)


# -- the prescription ---------------------------------------------------------------------


def render_prescription(sheet: PrescriptionSheet) -> bytes:
    """A printable prescription as PDF bytes."""
    prescriber = sheet.prescriber_name
    if sheet.prescriber_specialization:
        prescriber += f", {sheet.prescriber_specialization}"
    fields = [
        ("Patient", sheet.patient_name),
        ("Date of birth", _fmt_date(sheet.patient_date_of_birth)),
        ("Prescriber", prescriber),
        ("Licence number", sheet.prescriber_licence or "-"),
        ("Medication", sheet.medication_name),
        ("Dosage", sheet.dosage),
        ("Instructions", sheet.instructions or "-"),
        ("Quantity", str(sheet.quantity)),
        ("Refills", f"{sheet.refills_left} of {sheet.refills_allowed} left"),
        ("Start date", _fmt_date(sheet.start_date)),
        ("End date", _fmt_date(sheet.end_date)),
        ("Status", sheet.status),
        ("Prescription ID", sheet.prescription_id),
    ]
    if sheet.issued_at:
        fields.append(("Issued", sheet.issued_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")))
    rows = [[text(name, HEADER_CELL), text(value)] for name, value in fields]
    table = Table(rows, colWidths=[45 * mm, 129 * mm], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#9aa5b1")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story: list[Flowable] = [text("Prescription", TITLE), Spacer(1, 4 * mm), table]
    footer = _footer("Healix prescription", sheet.prescription_id, sheet.generated_at)
    return _build(story, title="Healix prescription", footer=footer)


def encrypt_pdf(pdf: bytes, password: str) -> bytes:
    """The same PDF, encrypted with AES-256; `password` is needed to open it.

    The owner password is random and discarded: nobody can lift the document's restrictions.
    """
    writer = PdfWriter(clone_from=PdfReader(BytesIO(pdf)))
    writer.encrypt(
        user_password=password,
        owner_password=secrets.token_urlsafe(32),
        algorithm="AES-256",
    )
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
