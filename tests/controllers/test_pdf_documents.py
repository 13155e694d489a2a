"""The PDF layer on its own: plain dataclasses in, PDF bytes out, read back with pypdf.

Each document is built once per module (rendering costs ~0.3 s) and several tests read it.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PasswordType, PdfReader
from pypdf.generic import DictionaryObject

from healix.controllers import pdf_documents as pdf
from healix.controllers.pdf_charts import ChartBucket, ChartKind, ChartSeries
from healix.utils.pdf import CELL_PADDING, FAMILY, Document

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
START = NOW - timedelta(days=30)
REPORT_ID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
#: names in six scripts: Latin with extensions A and B, Greek, Cyrillic, Arabic, Hebrew, CJK
NAMES = {
    "latin": "Łukasz Ștefan Dvořák Şahin",
    "greek": "Γιώργος Παπαδόπουλος",
    "cyrillic": "Наталья Петрова",
    "arabic": "محمد عبد الله",
    "hebrew": "דוד כהן",
    "chinese": "李雷",
    "japanese": "山田太郎",
    "korean": "김민준",
}
RIGHT_TO_LEFT = {"arabic", "hebrew"}
MARKUP = "**bold** <b>x</b><img src='http://example.com/a.png'/> __u__"


def text_of(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def flat(text: str) -> str:
    """Text with line breaks as spaces: what wrapped inside a cell reads as one line."""
    return re.sub(r"\s+", " ", text)


def assert_name_printed(name_key: str, text: str) -> None:
    """The name's characters are intact in the text layer. pypdf gives right-to-left words
    in visual order, so for Arabic and Hebrew each word must be there intact."""
    name = NAMES[name_key]
    if name_key in RIGHT_TO_LEFT:
        for word in name.split():
            assert word in text, (name_key, word)
    else:
        assert name in text, name_key


def patient(name: str = "Alice Morgan") -> pdf.PatientHeader:
    return pdf.PatientHeader(name, "0190b6a4-0000-7000-8000-00000000abcd", date(1975, 5, 17))


def report(**fields) -> pdf.HealthReport:
    defaults = {
        "report_id": REPORT_ID,
        "generated_at": NOW,
        "patient": patient(),
        "timezone_name": "UTC",
        "period_start": START,
        "period_end": NOW,
    }
    return pdf.HealthReport(**(defaults | fields))


def sheet(**fields) -> pdf.PrescriptionSheet:
    defaults = {
        "prescription_id": "0190b6a4-0000-7000-8000-000000000001",
        "generated_at": NOW,
        "patient": patient("Bob Chen"),
        "prescriber": pdf.Prescriber("Meredith Grey", "Cardiology", "GMC-100001"),
        "medication_name": "Atorvastatin 20 mg",
        "dosage": "1 tablet at night",
        "instructions": "Avoid grapefruit <juice>",
        "quantity": 28,
        "refills_allowed": 2,
        "refills_left": 1,
        "start_date": date(2026, 5, 1),
        "end_date": None,
        "status": "active",
        "issued_at": NOW - timedelta(hours=3),
    }
    return pdf.PrescriptionSheet(**(defaults | fields))


def hourly(values: list[float], start: datetime = START) -> list[ChartBucket]:
    return [
        ChartBucket(start + timedelta(hours=i), start + timedelta(hours=i + 1), 1, v, v, v, v)
        for i, v in enumerate(values)
    ]


@pytest.fixture(scope="module")
def logo(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("clinic") / "logo.png"
    Image.new("RGB", (40, 40), (31, 95, 168)).save(path)
    return path


@pytest.fixture(scope="module")
def letterhead(logo) -> pdf.Letterhead:
    return pdf.Letterhead("Klinik am See", "Seestrasse 1\n8001 Zürich", "+41 44 000 00 00", logo)


@pytest.fixture(scope="module")
def multiscript_report(letterhead) -> bytes:
    """A report whose every table carries names of all six scripts."""
    names = list(NAMES.values())
    return pdf.render_health_report(
        report(
            patient=patient(NAMES["latin"]),
            letterhead=letterhead,
            alerts=[pdf.AlertLine(NOW, "Heart rate", "critical", "acknowledged", MARKUP)],
            goals=[pdf.GoalLine(name, 8, "h", "daily", "at_least", "active") for name in names],
            appointments=[
                pdf.AppointmentLine(NOW, NOW + timedelta(minutes=30), name, "Review", None)
                for name in names
            ],
            prescriptions=[
                pdf.PrescriptionLine("Metformin", "500 mg", MARKUP, name, 1, date(2026, 5, 1), None)
                for name in names
            ],
        )
    )


@pytest.fixture(scope="module")
def multiscript_prescription(letterhead) -> bytes:
    """A prescription whose patient, prescriber, medication and instructions carry the
    names of all six scripts."""
    return pdf.render_prescription(
        sheet(
            patient=patient(NAMES["latin"]),
            prescriber=pdf.Prescriber(NAMES["arabic"], NAMES["greek"], "GMC-1"),
            medication_name=f"{NAMES['cyrillic']} {NAMES['chinese']}",
            dosage=NAMES["hebrew"],
            instructions=f"{NAMES['japanese']} {NAMES['korean']}",
            letterhead=letterhead,
        )
    )


@pytest.fixture(scope="module")
def plain_prescription() -> bytes:
    return pdf.render_prescription(sheet())


@pytest.mark.parametrize("name_key", list(NAMES))
def test_names_in_every_script_print_in_the_report(multiscript_report, name_key):
    assert_name_printed(name_key, text_of(multiscript_report))


@pytest.mark.parametrize("name_key", list(NAMES))
def test_names_in_every_script_print_on_the_prescription(multiscript_prescription, name_key):
    assert_name_printed(name_key, text_of(multiscript_prescription))


def fonts_of(content: bytes) -> list[DictionaryObject]:
    fonts = []
    for page in PdfReader(io.BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.append(font.get_object())
    return fonts


def test_every_font_is_embedded(multiscript_report, multiscript_prescription, plain_prescription):
    for content in (multiscript_report, multiscript_prescription, plain_prescription):
        for font in fonts_of(content):
            assert font["/Subtype"] == "/Type0"  # no base-14 (unembedded) font anywhere
            [descendant] = font["/DescendantFonts"]
            descriptor = descendant.get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor, font["/BaseFont"]
            assert "/ToUnicode" in font  # so the text can be searched and copied
    families = {str(font["/BaseFont"]).split("+")[1] for font in fonts_of(multiscript_report)}
    assert {"NotoSans", "NotoSansArabic", "NotoSansHebrew", "DroidSansFallback"} <= families
    assert "NotoSansCJKKR" in families  # Hangul
    # a document in Latin script loads (and embeds) only the main font
    assert {str(font["/BaseFont"]).split("+")[1] for font in fonts_of(plain_prescription)} <= {
        "NotoSans",
        "NotoSansBold",
    }


def test_letterhead_is_printed_when_configured(multiscript_report, multiscript_prescription):
    for content in (multiscript_report, multiscript_prescription):
        first_page = PdfReader(io.BytesIO(content)).pages[0]
        text = first_page.extract_text()
        for expected in ("Klinik am See", "Seestrasse 1", "8001 Zürich", "Phone: +41 44 000 00 00"):
            assert expected in text
        assert len(first_page.images) == 1  # the logo


def test_no_letterhead_without_a_clinic(plain_prescription):
    first_page = PdfReader(io.BytesIO(plain_prescription)).pages[0]
    assert "Phone:" not in first_page.extract_text()
    assert len(first_page.images) == 0


def test_prescription_sheet(plain_prescription):
    [text] = [page.extract_text() for page in PdfReader(io.BytesIO(plain_prescription)).pages]
    for expected in (
        "Bob Chen",
        "Date of birth 1975-05-17",
        "Patient ID 0190b6a4-0000-7000-8000-00000000abcd",
        "Name Meredith Grey",
        "Specialization Cardiology",
        "Licence number GMC-100001",
        "Signature of Meredith Grey, licence GMC-100001",
        "Atorvastatin 20 mg",
        "Avoid grapefruit <juice>",
        "Quantity 28",
        "1 of 2 left",
        "2026-05-01",
        "Issued 2026-06-01 09:00 UTC",
        "Page 1",
    ):
        assert expected in text


def test_prescription_sheet_without_optional_fields():
    content = pdf.render_prescription(
        sheet(
            patient=pdf.PatientHeader("Bob Chen", "x", None),
            prescriber=pdf.Prescriber("Meredith Grey", None, None),
            instructions=None,
        )
    )
    text = text_of(content)
    assert "Date of birth -" in text
    assert "Licence number -" in text
    assert re.search(r"Signature of Meredith Grey(?!,)", text)


def test_user_text_is_printed_literally(multiscript_report):
    text = flat(text_of(multiscript_report))
    assert MARKUP in text
    assert b"/URI" not in multiscript_report  # no link came from user text
    assert PdfReader(io.BytesIO(multiscript_report)).pages[0].images[0].name  # only the logo


def test_every_page_carries_the_report_id_time_and_number(multiscript_report):
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(multiscript_report)).pages]
    assert len(pages) >= 2
    for number, page_text in enumerate(pages, start=1):
        assert REPORT_ID in page_text
        assert "generated 2026-06-01 12:00 UTC" in page_text
        assert re.search(rf"\bPage {number}\b", page_text)
    assert all(NAMES["latin"] in page_text for page_text in pages[1:])  # running header


def test_empty_report_says_so():
    text = text_of(pdf.render_health_report(report()))

    for expected in (
        "No readings in this period.",
        "No alerts in this period.",
        "No goals in this period.",
        "No appointments in this period.",
        "No upcoming appointments.",
        "No prescriptions in this period.",
        "Alice Morgan",
        "Date of birth 1975-05-17",
        "Patient ID 0190b6a4-0000-7000-8000-00000000abcd",
        "2026-05-02 12:00 to 2026-06-01 12:00 (UTC)",
    ):
        assert expected in text


def test_past_period_report_says_upcoming_appointments_are_left_out():
    text = text_of(pdf.render_health_report(report(upcoming=None)))

    assert "Upcoming appointments" not in text
    assert "This report covers a past period" in text


def test_long_unbroken_text_wraps_and_splits_across_pages():
    """Issue 15 (6): 2,000 characters without a space in any cell, and a word longer than
    a page in a paragraph, still render in full."""
    unbroken = "x" * 2000
    content = pdf.render_health_report(
        report(
            alerts=[pdf.AlertLine(NOW, "Heart rate", "critical", "open", unbroken)],
            goals=[pdf.GoalLine(unbroken, 8, "h", "daily", "at_least", "active")],
            appointments=[
                pdf.AppointmentLine(NOW, NOW, unbroken, unbroken, unbroken[:200], "scheduled")
            ],
            prescriptions=[
                pdf.PrescriptionLine("A" * 200, "B" * 200, "C" * 2000, "Dr X", 1, NOW.date(), None)
            ]
            * 3,
        )
    )
    text = re.sub(r"\s", "", text_of(content))
    assert text.count("x") >= 2000 * 4 + 200
    assert text.count("C") >= 3 * 2000
    assert len(PdfReader(io.BytesIO(content)).pages) >= 3


def test_fixed_labels_fit_their_columns():
    """Column titles and status words never break inside a word."""
    document = Document(title="t", generated_at=NOW, footer_text="")
    document.add_page()
    words = {
        "Severity": ("critical", "warning"),
        "Status": ("acknowledged", "dismissed", "resolved", "completed", "no show", "cancelled"),
        "Status today": ("cancelled,", "completed,"),
        "Period": ("monthly", "weekly"),
    }
    for columns in (pdf.APPOINTMENT_COLUMNS, *pdf.TABLE_COLUMNS.values()):
        for column in columns:
            room = column.width - 2 * CELL_PADDING
            document.set_font(FAMILY, "B", 8)
            for word in column.title.split():
                assert document.get_string_width(word) <= room, column.title
            document.set_font(FAMILY, "", 8)
            for word in words.get(column.title, ()):
                assert document.get_string_width(word) <= room, (column.title, word)
    document.close_fonts()


def test_charts_and_captions_show_the_spike_and_the_daily_totals():
    spike = [70.0] * 100 + [182.0] + [70.0] * 100
    heart = [ChartBucket(b.start, b.end, 60, 71.0, 60.0, b.high, 0.0) for b in hourly(spike)]
    steps = [
        ChartBucket(START + timedelta(days=i), START + timedelta(days=i + 1), 3, 0, 0, 0, total)
        for i, total in enumerate((4000, 9500, 7000))
    ]
    from healix.biomarker_catalog import CATALOG

    content = pdf.render_health_report(
        report(
            charts=[
                ChartSeries(
                    "Heart rate",
                    "bpm",
                    ChartKind.ENVELOPE,
                    "hour",
                    heart,
                    CATALOG["heart_rate"].thresholds,
                ),
                ChartSeries(
                    "Steps", "steps", ChartKind.TOTALS, "day", steps, CATALOG["steps"].thresholds
                ),
            ]
        )
    )
    text = flat(text_of(content))
    assert "Heart rate (bpm)" in text
    assert "highest 182 (2026-05-06 16:00)" in text
    assert "Steps: totals per day (steps)" in text
    assert "highest 9,500 steps (2026-05-03)" in text


def test_encrypt_pdf_uses_aes_256(plain_prescription):
    encrypted = pdf.encrypt_pdf(plain_prescription, "Correct-Password-1")

    reader = PdfReader(io.BytesIO(encrypted))
    assert reader.is_encrypted
    assert reader.trailer["/Encrypt"]["/CF"]["/StdCF"]["/CFM"] == "/AESV3"
    assert reader.decrypt("incorrect") == PasswordType.NOT_DECRYPTED
    assert reader.decrypt("Correct-Password-1") == PasswordType.USER_PASSWORD
    assert "Bob Chen" in reader.pages[0].extract_text()
