"""The PDF drawing layer on its own: plain dataclasses in, PDF bytes out."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pypdf import PasswordType, PdfReader
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Rect
from reportlab.platypus import Paragraph

from healix.biomarker_catalog import CATALOG, Thresholds
from healix.controllers import pdf_documents as pdf

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
START = NOW - timedelta(days=30)
MARKUP = "<b>x</b><img src='http://example.com/a.png'/>"


def pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def series(code: str, count: int = 200) -> pdf.ChartSeries:
    entry = CATALOG[code]
    step = (NOW - START) / count
    points = [(START + step * i, 60.0 + (i % 40)) for i in range(count)]
    return pdf.ChartSeries(entry.display_name, entry.unit, points, entry.thresholds)


def report(**fields) -> pdf.HealthReport:
    defaults = {
        "report_id": "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
        "generated_at": NOW,
        "patient_name": "Alice Morgan",
        "timezone_name": "UTC",
        "period_start": START,
        "period_end": NOW,
    }
    return pdf.HealthReport(**(defaults | fields))


@pytest.fixture
def image_loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records every image reportlab's paragraph parser tries to load (and loads none)."""
    loads: list[str] = []

    def refuse(source, *args, **kwargs):
        loads.append(str(source))
        raise OSError("no image loading in tests")

    monkeypatch.setattr("reportlab.platypus.paraparser.ImageReader", refuse)
    return loads


def test_unescaped_markup_would_load_an_image(image_loads):
    """Control for the next test: raw markup really does make reportlab fetch the URL."""
    with pytest.raises(OSError, match="no image loading"):
        Paragraph(MARKUP, pdf.BODY)
    assert image_loads == ["http://example.com/a.png"]


def test_user_text_is_rendered_literally(image_loads):
    content = pdf.render_health_report(
        report(
            patient_name="Eve <font size=40>Big</font>",
            alerts=[pdf.AlertLine(NOW, "Heart rate", "critical", "open", MARKUP)],
            goals=[
                pdf.GoalLine(
                    "<a href='http://evil'>click</a>", 8, "h", "daily", "at_least", "active"
                )
            ],
            appointments=[
                pdf.AppointmentLine(
                    NOW, NOW + timedelta(minutes=30), "Dr &amp; Co", MARKUP, "<br/>"
                )
            ],
            prescriptions=[pdf.PrescriptionLine("A & B", "1 <i>tab</i>", MARKUP, "Dr X", 1, None)],
        )
    )

    text = "\n".join(pages(content))
    assert image_loads == []
    for literal in (
        "Eve <font size=40>Big</font>",
        MARKUP,
        "<a href='http://evil'>click</a>",
        "Dr &amp; Co",
        "A & B",
        "1 <i>tab</i>",
    ):
        assert literal in text
    assert b"/URI" not in content  # no link annotation came from user text


def test_empty_report_says_so():
    text = "\n".join(pages(pdf.render_health_report(report())))

    assert "No readings in this period." in text
    assert "No alerts in this period." in text
    assert "No goals." in text
    assert "No upcoming appointments." in text
    assert "No active prescriptions." in text
    assert "Alice Morgan" in text
    assert "2026-05-02 12:00 to 2026-06-01 12:00 (UTC)" in text


def test_every_page_carries_report_id_time_and_number():
    charts = [series(code) for code in ("heart_rate", "spo2", "blood_glucose", "steps", "sleep")]
    latest = [pdf.LatestValue("Heart rate", 72, "/min", NOW, "normal")]

    texts = pages(pdf.render_health_report(report(charts=charts, latest=latest)))

    assert len(texts) >= 2
    for number, text in enumerate(texts, start=1):
        assert "3f2504e0-4f89-41d3-9a0c-0305e82c3301" in text
        assert "generated 2026-06-01 12:00 UTC" in text
        assert re.search(rf"\bPage {number}\b", text)
    assert sum(text.count(" trend (") for text in texts) == 5
    assert "72 /min" in texts[0]


@pytest.mark.parametrize(
    ("thresholds", "low", "high", "expected"),
    [
        (
            CATALOG["heart_rate"].thresholds,
            30,
            160,
            [
                (30, 40, "critical"),
                (40, 50, "warning"),
                (110, 140, "warning"),
                (140, 160, "critical"),
            ],
        ),
        (CATALOG["heart_rate"].thresholds, 60, 100, []),
        (CATALOG["heart_rate"].thresholds, 45, 120, [(45, 50, "warning"), (110, 120, "warning")]),
        (CATALOG["spo2"].thresholds, 85, 100, [(85, 90, "critical"), (90, 94, "warning")]),
        (Thresholds(warning_max=85), 50, 100, [(85, 100, "warning")]),
        (Thresholds(), 0, 10_000, []),
    ],
)
def test_threshold_bands(thresholds, low, high, expected):
    assert pdf.threshold_bands(thresholds, low, high) == expected


def test_trend_chart_shades_bands_under_the_line():
    entry = CATALOG["heart_rate"]
    points = [(START, 35.0), (START + timedelta(days=1), 150.0)]
    drawing = pdf.trend_chart(
        pdf.ChartSeries("Heart rate", "/min", points, entry.thresholds), START, NOW
    )

    rects = [shape for shape in drawing.contents if isinstance(shape, Rect)]
    plots = [shape for shape in drawing.contents if isinstance(shape, LinePlot)]
    assert len(rects) == 4
    assert len(plots) == 1
    assert drawing.contents.index(plots[0]) > drawing.contents.index(rects[-1])
    assert plots[0].data == [[(point.timestamp(), value) for point, value in points]]


def test_trend_chart_of_a_single_point():
    drawing = pdf.trend_chart(series("body_weight", count=1), START, NOW)

    assert any(isinstance(shape, LinePlot) for shape in drawing.contents)


def sheet(**fields) -> pdf.PrescriptionSheet:
    defaults = {
        "prescription_id": "0190b6a4-0000-7000-8000-000000000001",
        "generated_at": NOW,
        "patient_name": "Bob Chen",
        "patient_date_of_birth": date(1975, 5, 17),
        "prescriber_name": "Meredith Grey",
        "prescriber_licence": "GMC-100001",
        "prescriber_specialization": "Cardiology",
        "medication_name": "Atorvastatin 20 mg",
        "dosage": "1 tablet at night",
        "instructions": "Avoid grapefruit <juice>",
        "quantity": 28,
        "refills_allowed": 2,
        "refills_left": 1,
        "start_date": date(2026, 5, 1),
        "end_date": None,
        "status": "active",
    }
    return pdf.PrescriptionSheet(**(defaults | fields))


def test_prescription_sheet():
    [text] = pages(pdf.render_prescription(sheet()))

    for expected in (
        "Bob Chen",
        "1975-05-17",
        "Meredith Grey, Cardiology",
        "GMC-100001",
        "Atorvastatin 20 mg",
        "Avoid grapefruit <juice>",
        "Quantity\n28",
        "1 of 2 left",
        "2026-05-01",
        "0190b6a4-0000-7000-8000-000000000001",
        "Page 1",
    ):
        assert expected in text


def test_prescription_sheet_without_optional_fields():
    content = pdf.render_prescription(
        sheet(patient_date_of_birth=None, prescriber_licence=None, instructions=None)
    )

    assert "Date of birth\n-" in pages(content)[0]


def test_encrypt_pdf_uses_aes_256():
    encrypted = pdf.encrypt_pdf(pdf.render_prescription(sheet()), "Correct-Password-1")

    reader = PdfReader(io.BytesIO(encrypted))
    assert reader.is_encrypted
    assert reader.trailer["/Encrypt"]["/CF"]["/StdCF"]["/CFM"] == "/AESV3"
    assert reader.decrypt("incorrect") == PasswordType.NOT_DECRYPTED
    assert reader.decrypt("Correct-Password-1") == PasswordType.USER_PASSWORD
    assert "Bob Chen" in reader.pages[0].extract_text()


def test_time_axis_is_labelled_in_the_report_time_zone():
    tokyo = ZoneInfo("Asia/Tokyo")
    start, end = datetime(2026, 6, 1, 20, 0, tzinfo=tokyo), datetime(2026, 6, 2, 8, 0, tzinfo=tokyo)
    drawing = pdf.trend_chart(series("heart_rate"), start, end)

    [plot] = [shape for shape in drawing.contents if isinstance(shape, LinePlot)]
    label = plot.xValueAxis.labelTextFormat
    assert label(start.timestamp()) == "06-01 20:00"
    assert label(end.timestamp()) == "06-02 08:00"
