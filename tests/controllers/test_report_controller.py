"""The report's data gathering: trend buckets (envelope, daily totals), display units, latest
values, and what a report of a past period lists."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from healix.biomarker_catalog import CATALOG
from healix.controllers import report_controller
from healix.controllers.pdf_charts import ChartKind
from healix.extensions import db
from healix.models.user import User
from healix.utils.periods import Span
from healix.utils.time import utcnow
from tests.factories.appointments import insert_appointment
from tests.factories.biomarkers import add_reading, bulk_readings, set_profile
from tests.factories.prescriptions import make_prescription

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def gather(app, patient, period: Span):
    with app.app_context():
        return report_controller.gather_health_report(
            db.session,
            patient=db.session.get(User, patient.id),
            period=period,
            report_id=uuid.uuid4(),
        )


def chart(report, label: str):
    [series] = [series for series in report.charts if series.label == label]
    return series


def test_the_envelope_keeps_the_spike_that_an_average_hides(app, patient):
    minutes = [(T0 + timedelta(minutes=i), 70.0) for i in range(180)]
    minutes[75] = (minutes[75][0], 171.0)  # one reading in the second hour
    bulk_readings(app, patient.id, "heart_rate", minutes)

    series = chart(gather(app, patient, Span(T0, T0 + timedelta(days=1))), "Heart rate")

    assert series.kind is ChartKind.ENVELOPE
    assert (series.unit, series.bucket_name) == ("bpm", "hour")
    assert [bucket.count for bucket in series.buckets] == [60, 60, 60]
    spike_hour = series.buckets[1]
    assert spike_hour.high == 171.0
    assert spike_hour.mean == pytest.approx((59 * 70 + 171) / 60)
    assert spike_hour.low == 70.0


def test_steps_are_totals_per_local_day(app, patient):
    """Totals per day in the patient's zone; the first day starts with the period."""
    tz = ZoneInfo("America/New_York")
    set_profile(app, patient.id, timezone=tz.key)
    start = datetime(2026, 3, 1, 12, tzinfo=tz)  # the period starts at local noon
    readings = [
        (datetime(2026, 3, 1, 9, tzinfo=tz), 999),  # before the period: not counted
        (datetime(2026, 3, 1, 13, tzinfo=tz), 1200),
        (datetime(2026, 3, 1, 23, 30, tzinfo=tz), 800),
        (datetime(2026, 3, 2, 0, 30, tzinfo=tz), 500),  # 05:30 UTC: the next local day
        (datetime(2026, 3, 2, 18, tzinfo=tz), 4500),
        (datetime(2026, 3, 4, 8, tzinfo=tz), 3000),
    ]
    bulk_readings(app, patient.id, "steps", readings)

    series = chart(gather(app, patient, Span(start, start + timedelta(days=4))), "Steps")

    assert series.kind is ChartKind.TOTALS
    assert (series.unit, series.bucket_name) == ("steps", "day")
    totals = {bucket.start.date(): bucket.total for bucket in series.buckets}
    assert totals == {date(2026, 3, 1): 2000, date(2026, 3, 2): 5000, date(2026, 3, 4): 3000}
    assert series.buckets[0].start == start  # clipped to the period


def test_values_are_shown_in_the_units_the_patient_chose(app, patient):
    set_profile(app, patient.id, timezone="UTC", preferences={"units": "imperial"})
    add_reading(app, patient.id, "body_temperature", 37.0, measured_at=T0 + timedelta(hours=1))
    add_reading(app, patient.id, "body_weight", 80.0, measured_at=T0 + timedelta(hours=2))
    add_reading(app, patient.id, "blood_glucose", 90.0, measured_at=T0 + timedelta(hours=3))

    report = gather(app, patient, Span(T0, T0 + timedelta(days=1)))

    latest = {item.label: (round(item.value, 1), item.unit) for item in report.latest}
    assert latest == {
        "Body temperature": (98.6, "°F"),
        "Blood glucose": (90.0, "mg/dL"),
        "Body weight": (176.4, "lb"),
    }
    temperature = chart(report, "Body temperature")
    assert temperature.unit == "°F"
    assert temperature.thresholds.critical_max == pytest.approx(39.5 * 9 / 5 + 32)


def test_metric_is_the_default_display(app, patient):
    add_reading(app, patient.id, "blood_glucose", 90.0, measured_at=T0 + timedelta(hours=3))

    [latest] = gather(app, patient, Span(T0, T0 + timedelta(days=1))).latest

    assert (latest.value, latest.unit) == (5.0, "mmol/L")


def test_fifty_thousand_minute_readings_become_at_most_1000_points(app, patient):
    count = 50_000
    bulk_readings(
        app,
        patient.id,
        "heart_rate",
        ((T0 + timedelta(minutes=i), 60.0 + i % 60) for i in range(count)),
    )
    period = Span(T0, T0 + timedelta(minutes=count))

    started = time.perf_counter()
    report = gather(app, patient, period)
    elapsed = time.perf_counter() - started

    series = chart(report, "Heart rate")
    assert series.bucket_name == "hour"
    assert len(series.buckets) <= 1000
    assert sum(bucket.count for bucket in series.buckets) == count
    assert all(bucket.low == 60 and bucket.high == 119 for bucket in series.buckets[:-1])
    assert elapsed < 10
    assert report.latest[0].value == 60.0 + (count - 1) % 60


def test_latest_readings_skip_faulty_and_out_of_period(app, patient):
    add_reading(app, patient.id, "heart_rate", 70, measured_at=T0 + timedelta(hours=1))
    add_reading(
        app, patient.id, "heart_rate", 250, measured_at=T0 + timedelta(hours=2), status="faulty"
    )
    add_reading(app, patient.id, "heart_rate", 90, measured_at=T0 + timedelta(days=5))
    add_reading(app, patient.id, "sleep", 7.5, measured_at=T0 + timedelta(hours=3))
    period = Span(T0, T0 + timedelta(days=1))

    with app.app_context():
        latest = report_controller.latest_readings(db.session, patient_id=patient.id, period=period)
        values = [(row.biomarker_type, row.value) for row in latest]

    assert values == [("heart_rate", 70), ("sleep", 7.5)]


def test_a_past_period_lists_only_what_belonged_to_it(app, patient, provider):
    now = utcnow()
    period = Span(now - timedelta(days=60), now - timedelta(days=30))
    inside = period.start + timedelta(days=3)
    insert_appointment(
        app, patient=patient, provider=provider, start=inside, status="completed", reason="In it"
    )
    insert_appointment(
        app,
        patient=patient,
        provider=provider,
        start=now - timedelta(days=5),
        status="completed",
        reason="After it",
    )
    insert_appointment(app, patient=patient, provider=provider, reason="Upcoming")
    days = period.start.date()
    make_prescription(
        app,
        provider=provider,
        patient=patient,
        medication_name="During",
        start_date=days,
        end_date=None,
    )
    make_prescription(
        app,
        provider=provider,
        patient=patient,
        medication_name="Before",
        start_date=days - timedelta(days=40),
        end_date=days - timedelta(days=1),
    )
    make_prescription(
        app,
        provider=provider,
        patient=patient,
        medication_name="Later",
        start_date=period.end.date() + timedelta(days=1),
        end_date=None,
    )

    past = gather(app, patient, period)
    current = gather(app, patient, Span(now - timedelta(days=30), now))

    assert [item.reason for item in past.appointments] == ["In it"]
    assert past.appointments[0].status == "completed"
    assert past.upcoming is None
    assert [item.medication_name for item in past.prescriptions] == ["During"]
    assert [item.reason for item in current.appointments] == ["After it"]
    assert [item.reason for item in current.upcoming] == ["Upcoming"]
    assert {item.medication_name for item in current.prescriptions} == {"During", "Later"}


@pytest.mark.parametrize(
    ("code", "days", "readings", "unit"),
    [
        ("heart_rate", 30, 43_200, "hour"),  # a reading a minute: hourly envelope
        ("spo2", 30, 120, "day"),  # four a day: one bucket per day
        ("body_weight", 365, 60, "week"),  # about weekly weighing over a year
        ("heart_rate", 365, 500_000, "day"),  # hours would be more than 1,000 buckets
        ("steps", 30, 2, "day"),  # summed types: daily totals, however sparse
        ("steps", 800, 10_000, "week"),
    ],
)
def test_chart_bucket_unit(code, days, readings, unit):
    period = Span(T0, T0 + timedelta(days=days))
    assert report_controller.chart_bucket_unit(CATALOG[code], period, readings) == unit
