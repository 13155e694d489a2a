"""Chart geometry, computed without drawing: the envelope, totals, points and bands."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from healix.biomarker_catalog import CATALOG, Thresholds
from healix.controllers import pdf_charts
from healix.controllers.pdf_charts import ChartBucket, ChartKind, ChartSeries

START = datetime(2026, 5, 1, tzinfo=UTC)
END = START + timedelta(days=2)


def bucket(hour: int, mean: float, low: float, high: float, total: float = 0.0) -> ChartBucket:
    start = START + timedelta(hours=hour)
    return ChartBucket(start, start + timedelta(hours=1), 60, mean, low, high, total)


def series(buckets, kind=ChartKind.ENVELOPE, code="heart_rate") -> ChartSeries:
    return ChartSeries("Heart rate", "bpm", kind, "hour", buckets, CATALOG[code].thresholds)


def test_the_envelope_reaches_the_spike():
    plan = pdf_charts.plan_chart(
        series([bucket(0, 70, 60, 80), bucket(1, 74, 61, 171), bucket(2, 71, 60, 82)]),
        START,
        END,
    )

    [polygon] = plan.envelopes
    top = min(y for _, y in polygon)  # y grows downwards
    _, y, label = plan.peak
    assert y == pytest.approx(top)
    assert label == "171"
    assert plan.value_max > 171
    [line] = plan.lines
    assert len(line) == 3
    assert len(plan.markers) == 3  # few points: each is drawn


def test_a_single_reading_draws_its_point():
    plan = pdf_charts.plan_chart(series([bucket(5, 72, 72, 72)]), START, END)

    assert plan.envelopes == []
    assert plan.lines == []
    assert len(plan.markers) == 1
    assert len(plan.whiskers) == 1


def test_gaps_split_the_line():
    plan = pdf_charts.plan_chart(
        series([bucket(0, 70, 60, 80), bucket(1, 71, 60, 80), bucket(9, 72, 60, 80)]),
        START,
        END,
    )

    assert [len(line) for line in plan.lines] == [2]
    assert len(plan.whiskers) == 1  # the lone bucket after the gap


def test_totals_are_bars_from_zero():
    buckets = [
        ChartBucket(START + timedelta(days=d), START + timedelta(days=d + 1), 5, 0, 0, 0, t)
        for d, t in enumerate((4000, 8000))
    ]
    plan = pdf_charts.plan_chart(series(buckets, ChartKind.TOTALS, "steps"), START, END)

    first, second = plan.bars
    assert second[3] == pytest.approx(2 * first[3])  # heights are proportional
    assert first[1] + first[3] == pytest.approx(second[1] + second[3])  # a common baseline
    assert plan.value_min == 0
    assert plan.peak is None


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
        (CATALOG["spo2"].thresholds, 85, 100, [(85, 90, "critical"), (90, 94, "warning")]),
        (Thresholds(warning_max=85), 50, 100, [(85, 100, "warning")]),
    ],
)
def test_threshold_bands(thresholds, low, high, expected):
    bands = pdf_charts.threshold_bands(thresholds, low, high)
    assert [(b.low, b.high, b.level) for b in bands] == expected


def test_time_axis_is_labelled_in_the_report_time_zone():
    tokyo = ZoneInfo("Asia/Tokyo")
    start, end = datetime(2026, 6, 1, 20, tzinfo=tokyo), datetime(2026, 6, 2, 8, tzinfo=tokyo)
    plan = pdf_charts.plan_chart(series([bucket(0, 70, 60, 80)]), start, end)

    assert plan.x_ticks[0][1] == "06-01 20:00"
    assert plan.x_ticks[-1][1] == "06-02 08:00"


@pytest.mark.parametrize(
    ("value", "text"), [(8412.0, "8,412"), (36.94, "36.9"), (72.0, "72"), (150.4, "150")]
)
def test_format_number(value, text):
    assert pdf_charts.format_number(value) == text
