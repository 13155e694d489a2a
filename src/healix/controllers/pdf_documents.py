"""The PDF documents a clinic hands out: the health report and the printable prescription.

This module only lays out. It takes plain dataclasses (no database, no Flask) and returns PDF
bytes, set with `utils.pdf.Document` (embedded fonts for every script, text that is never
markup, rows that split across pages) and `pdf_charts` (trend charts).

Both documents carry the clinic's letterhead when the clinic is configured (`CLINIC_*`
settings), the patient's name, date of birth and identifier, and on every page the
document's id, when it was generated and the page number.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, fields, is_dataclass
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from healix.controllers import pdf_charts
from healix.controllers.pdf_charts import ChartKind, ChartSeries, format_number
from healix.utils.pdf import FAMILY, MUTED, Cell, Colour, Column, Document, line_height

TIME_FORMAT = "%Y-%m-%d %H:%M"
DATE_FORMAT = "%Y-%m-%d"
LEVEL_COLOURS: dict[str, Colour] = {
    "normal": (27, 127, 59),
    "warning": (179, 107, 0),
    "critical": (176, 0, 32),
}
LOGO_HEIGHT = 16.0  # mm


@dataclass(frozen=True)
class Letterhead:
    """The clinic printed at the top of every document."""

    name: str
    address: str | None = None
    phone: str | None = None
    logo: Path | None = None


@dataclass(frozen=True)
class PatientHeader:
    name: str
    identifier: str
    date_of_birth: date | None = None


@dataclass(frozen=True)
class LatestValue:
    label: str
    value: float
    unit: str
    measured_at: datetime
    level: str


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
    #: progress in the goal's current period (None when nothing was recorded yet)
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
    status: str = "scheduled"


@dataclass(frozen=True)
class PrescriptionLine:
    medication_name: str
    dosage: str
    instructions: str | None
    prescriber_name: str
    refills_left: int
    start_date: date
    end_date: date | None
    status: str = "active"


@dataclass(frozen=True)
class HealthReport:
    """Everything the health report shows; times are already in the patient's time zone.

    `appointments` and `prescriptions` are those of the period; `upcoming` holds the
    scheduled appointments after now, and is None for a report of a past period.
    """

    report_id: str
    generated_at: datetime
    patient: PatientHeader
    timezone_name: str
    period_start: datetime
    period_end: datetime
    letterhead: Letterhead | None = None
    latest: Sequence[LatestValue] = ()
    charts: Sequence[ChartSeries] = ()
    alerts: Sequence[AlertLine] = ()
    alerts_omitted: int = 0
    goals: Sequence[GoalLine] = ()
    appointments: Sequence[AppointmentLine] = ()
    upcoming: Sequence[AppointmentLine] | None = ()
    prescriptions: Sequence[PrescriptionLine] = ()


@dataclass(frozen=True)
class Prescriber:
    name: str
    specialization: str | None
    licence_number: str | None


@dataclass(frozen=True)
class PrescriptionSheet:
    prescription_id: str
    generated_at: datetime
    patient: PatientHeader
    prescriber: Prescriber
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
    letterhead: Letterhead | None = None


# -- shared building blocks ----------------------------------------------------------------


def fmt_time(value: datetime) -> str:
    return value.strftime(TIME_FORMAT)


def fmt_date(value: date | datetime | None) -> str:
    return value.strftime(DATE_FORMAT) if value else "-"


def _utc_stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _draw_letterhead(document: Document, letterhead: Letterhead) -> None:
    top = document.get_y()
    left = document.l_margin
    if letterhead.logo is not None:
        info = document.image(str(letterhead.logo), x=left, y=top, h=LOGO_HEIGHT)
        left += float(info.rendered_width) + 4
    width = document.w - document.r_margin - left
    document.set_xy(left, top)
    document.text_block(letterhead.name, size=13, bold=True, width=width, space_after=0.5)
    lines = [line.strip() for line in (letterhead.address or "").splitlines() if line.strip()]
    if letterhead.phone:
        lines.append(f"Phone: {letterhead.phone}")
    for line in lines:
        document.set_x(left)
        document.text_block(line, size=8, colour=MUTED, width=width, space_after=0)
    bottom = max(document.get_y(), top + (LOGO_HEIGHT if letterhead.logo else 0)) + 2
    document.set_draw_color(*MUTED)
    document.set_line_width(0.3)
    document.line(document.l_margin, bottom, document.w - document.r_margin, bottom)
    document.set_xy(document.l_margin, bottom + 3)


def _page_header(letterhead: Letterhead | None, running_title: str) -> Callable[[Document], None]:
    """The letterhead on the first page; a one-line running title on the others."""

    def draw(document: Document) -> None:
        if document.page_no() == 1:
            if letterhead is not None:
                _draw_letterhead(document, letterhead)
            return
        document.text_block(running_title, size=7, colour=MUTED, space_after=2)

    return draw


def strings_of(value: object) -> Iterator[str]:
    """Every string inside a document's dataclasses (to choose the fonts it needs)."""
    if isinstance(value, str):
        yield value
    elif is_dataclass(value) and not isinstance(value, type):
        for item in fields(value):
            yield from strings_of(getattr(value, item.name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings_of(item)


def _document(
    *,
    title: str,
    document_id: str,
    generated_at: datetime,
    letterhead: Letterhead | None,
    patient: PatientHeader,
    content: object,
) -> Document:
    clinic = f" - {letterhead.name}" if letterhead else ""
    document = Document(
        title=f"{title} - {patient.name}",
        generated_at=generated_at,
        footer_text=f"{title} {document_id} - generated {_utc_stamp(generated_at)}",
        page_header=_page_header(letterhead, f"{title} - {patient.name}{clinic}"),
        text=strings_of(content),
    )
    document.add_page()
    document.text_block(title, size=18, bold=True, space_after=2)
    return document


def _patient_fields(patient: PatientHeader) -> list[tuple[str, str]]:
    return [
        ("Patient", patient.name),
        ("Date of birth", fmt_date(patient.date_of_birth)),
        ("Patient ID", patient.identifier),
    ]


def _level(text: str) -> Cell:
    return Cell(text, colour=LEVEL_COLOURS.get(text, (0, 0, 0)))


def _cells(*values: str) -> list[Cell]:
    return [Cell(value) for value in values]


# -- the health report --------------------------------------------------------------------

TABLE_COLUMNS: dict[str, tuple[Column, ...]] = {
    "latest": (
        Column("Biomarker", 58),
        Column("Latest value", 40),
        Column("Status", 24),
        Column("Measured", 52),
    ),
    "alerts": (
        Column("First seen", 28),
        Column("Biomarker", 34),
        Column("Severity", 18),
        Column("Status", 22),
        Column("Message", 72),
    ),
    "goals": (
        Column("Goal", 50),
        Column("Target", 42),
        Column("Period", 18),
        Column("Current period, today", 42),
        Column("Status", 22),
    ),
    "prescriptions": (
        Column("Medication", 32),
        Column("Dosage", 26),
        Column("Instructions", 42),
        Column("Prescriber", 26),
        Column("Valid", 26),
        Column("Status today", 22),
    ),
}


def _table_section(
    document: Document,
    title: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell]],
    *,
    empty: str,
) -> None:
    """A heading, then the rows as a table (or `empty` when there are none)."""
    document.heading(title)
    if rows:
        document.table_of(columns, rows)
    else:
        document.text_block(empty)


def _latest_section(document: Document, report: HealthReport) -> None:
    rows = [
        [
            Cell(item.label),
            Cell(f"{format_number(item.value)} {item.unit}"),
            _level(item.level),
            Cell(fmt_time(item.measured_at)),
        ]
        for item in report.latest
    ]
    _table_section(
        document,
        "Latest values in the period",
        TABLE_COLUMNS["latest"],
        rows,
        empty="No readings in this period.",
    )


def _chart_caption(series: ChartSeries) -> str:
    if series.kind is ChartKind.TOTALS:
        busiest = max(series.buckets, key=lambda bucket: bucket.total)
        total = sum(bucket.total for bucket in series.buckets)
        days = len(series.buckets)
        return (
            f"Totals per {series.bucket_name}: highest {format_number(busiest.total)} "
            f"{series.unit} ({fmt_date(busiest.start)}), average "
            f"{format_number(total / days)} over {days} {series.bucket_name}s with readings."
        )
    highest = max(series.buckets, key=lambda bucket: bucket.high)
    lowest = min(series.buckets, key=lambda bucket: bucket.low)
    count = sum(bucket.count for bucket in series.buckets)
    mean = sum(bucket.mean * bucket.count for bucket in series.buckets) / count
    when = fmt_time if series.bucket_name == "hour" else fmt_date
    return (
        f"Average {format_number(mean)} {series.unit}; lowest {format_number(lowest.low)} "
        f"({when(lowest.start)}), highest {format_number(highest.high)} "
        f"({when(highest.start)}); {count:,} readings. Line: average per "
        f"{series.bucket_name}; band: lowest to highest reading."
    )


def _charts_section(document: Document, report: HealthReport) -> None:
    document.heading("Trends")
    if not report.charts:
        document.text_block("No readings in this period.")
        return
    document.text_block(
        "Shaded: warning range (amber) and critical range (red).", size=8, colour=MUTED
    )
    for series in report.charts:
        needed = pdf_charts.CHART_HEIGHT + 5 * line_height(9)
        if document.get_y() + needed > document.page_break_trigger:
            document.add_page()
        title = (
            f"{series.label}: totals per {series.bucket_name} ({series.unit})"
            if series.kind is ChartKind.TOTALS
            else f"{series.label} ({series.unit})"
        )
        document.text_block(title, bold=True, space_after=0.5)
        plan = pdf_charts.plan_chart(series, report.period_start, report.period_end)
        pdf_charts.draw_chart(document, plan)
        document.text_block(_chart_caption(series), size=7.5, colour=MUTED, space_after=2)


def _alerts_section(document: Document, report: HealthReport) -> None:
    rows = [
        [
            Cell(fmt_time(alert.first_seen_at)),
            Cell(alert.label),
            _level(alert.severity),
            Cell(alert.status),
            Cell(alert.message),
        ]
        for alert in report.alerts
    ]
    _table_section(
        document, "Alerts", TABLE_COLUMNS["alerts"], rows, empty="No alerts in this period."
    )
    if report.alerts_omitted:
        document.text_block(f"{report.alerts_omitted} older alerts are not listed.", size=8)


def _goal_progress(goal: GoalLine) -> str:
    if goal.current_value is None:
        return "nothing recorded"
    percent = f" ({goal.percent:.0f}%)" if goal.percent is not None else ""
    done = ", achieved" if goal.achieved else ""
    return f"{format_number(goal.current_value)} {goal.unit}{percent}{done}"


def _goals_section(document: Document, report: HealthReport) -> None:
    rows = [
        [
            Cell(goal.title),
            Cell(
                f"{goal.direction.replace('_', ' ')} {format_number(goal.target_value)} {goal.unit}"
            ),
            Cell(goal.period),
            Cell(_goal_progress(goal)),
            Cell(goal.status),
        ]
        for goal in report.goals
    ]
    _table_section(
        document, "Goals", TABLE_COLUMNS["goals"], rows, empty="No goals in this period."
    )


APPOINTMENT_COLUMNS = (
    Column("When", 36),
    Column("Provider", 36),
    Column("Reason", 50),
    Column("Location", 30),
    Column("Status", 22),
)


def _appointment_rows(items: Sequence[AppointmentLine]) -> list[list[Cell]]:
    return [
        _cells(
            f"{fmt_time(item.start)} - {item.end.strftime('%H:%M')}",
            item.provider_name,
            item.reason or "-",
            item.location or "-",
            item.status.replace("_", " "),
        )
        for item in items
    ]


def _appointments_section(document: Document, report: HealthReport) -> None:
    _table_section(
        document,
        "Appointments in the period",
        APPOINTMENT_COLUMNS,
        _appointment_rows(report.appointments),
        empty="No appointments in this period.",
    )
    if report.upcoming is None:
        document.text_block(
            "This report covers a past period: appointments after it are not listed.",
            size=8,
            colour=MUTED,
        )
        return
    _table_section(
        document,
        "Upcoming appointments",
        APPOINTMENT_COLUMNS,
        _appointment_rows(report.upcoming),
        empty="No upcoming appointments.",
    )


def _prescriptions_section(document: Document, report: HealthReport) -> None:
    rows = [
        [
            Cell(item.medication_name),
            Cell(item.dosage),
            Cell(item.instructions or "-"),
            Cell(item.prescriber_name),
            Cell(f"{fmt_date(item.start_date)} to {fmt_date(item.end_date)}"),
            Cell(f"{item.status}, {item.refills_left} refills left"),
        ]
        for item in report.prescriptions
    ]
    _table_section(
        document,
        "Prescriptions in effect during the period",
        TABLE_COLUMNS["prescriptions"],
        rows,
        empty="No prescriptions in this period.",
    )
    if rows:
        document.text_block("Status and refills are as of the report date.", size=8, colour=MUTED)


def render_health_report(report: HealthReport) -> bytes:
    """The patient's health report as PDF bytes."""
    document = _document(
        title="Health report",
        document_id=report.report_id,
        generated_at=report.generated_at,
        letterhead=report.letterhead,
        patient=report.patient,
        content=report,
    )
    period = (
        f"{fmt_time(report.period_start)} to {fmt_time(report.period_end)} ({report.timezone_name})"
    )
    document.fields_table([*_patient_fields(report.patient), ("Period", period)], key_width=34)
    _latest_section(document, report)
    _charts_section(document, report)
    _alerts_section(document, report)
    _goals_section(document, report)
    _appointments_section(document, report)
    _prescriptions_section(document, report)
    return document.render()


# -- the prescription ---------------------------------------------------------------------


def render_prescription(sheet: PrescriptionSheet) -> bytes:
    """A printable prescription as PDF bytes, with the prescriber's signature block."""
    document = _document(
        title="Prescription",
        document_id=sheet.prescription_id,
        generated_at=sheet.generated_at,
        letterhead=sheet.letterhead,
        patient=sheet.patient,
        content=sheet,
    )
    fields = [
        *_patient_fields(sheet.patient),
        ("Medication", sheet.medication_name),
        ("Dosage", sheet.dosage),
        ("Instructions", sheet.instructions or "-"),
        ("Quantity", str(sheet.quantity)),
        ("Refills", f"{sheet.refills_left} of {sheet.refills_allowed} left"),
        ("Start date", fmt_date(sheet.start_date)),
        ("End date", fmt_date(sheet.end_date)),
        ("Status", sheet.status),
        ("Prescription ID", sheet.prescription_id),
    ]
    if sheet.issued_at:
        fields.append(("Issued", _utc_stamp(sheet.issued_at)))
    document.fields_table(fields, key_width=40)
    document.heading("Prescriber")
    prescriber = sheet.prescriber
    document.fields_table(
        [
            ("Name", prescriber.name),
            ("Specialization", prescriber.specialization or "-"),
            ("Licence number", prescriber.licence_number or "-"),
        ],
        key_width=40,
    )
    _signature_block(document, prescriber)
    return document.render()


def _signature_block(document: Document, prescriber: Prescriber) -> None:
    height = 18.0
    if document.get_y() + height > document.page_break_trigger:
        document.add_page()
    document.ln(12)
    y = document.get_y()
    left, right = document.l_margin, document.w - document.r_margin
    document.set_draw_color(0, 0, 0)
    document.set_line_width(0.3)
    document.line(left, y, left + 95, y)
    document.line(right - 55, y, right, y)
    document.set_font(FAMILY, size=8)
    document.set_xy(left, y + 1)
    licence = f", licence {prescriber.licence_number}" if prescriber.licence_number else ""
    document.shape_for(prescriber.name)
    document.cell(95, 4, f"Signature of {prescriber.name}{licence}")
    document.set_xy(right - 55, y + 1)
    document.cell(55, 4, "Date")
    document.set_xy(left, y + 6)


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
