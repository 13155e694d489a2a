"""The report's data gathering: SQL downsampling of trends and the latest values."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from healix.controllers import report_controller
from healix.extensions import db
from healix.models.user import User
from healix.utils.periods import Span
from tests.factories.biomarkers import add_reading, bulk_readings

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_downsample_averages_each_time_bucket(app, patient, make_user):
    other = make_user(role="patient")
    for seconds, value in ((0, 10), (10, 20), (60, 30), (90, 50)):
        add_reading(
            app, patient.id, "heart_rate", value, measured_at=T0 + timedelta(seconds=seconds)
        )
    add_reading(app, patient.id, "spo2", 97, measured_at=T0 + timedelta(seconds=40))
    add_reading(
        app, patient.id, "heart_rate", 500, measured_at=T0 + timedelta(seconds=5), status="faulty"
    )
    add_reading(app, patient.id, "heart_rate", 99, measured_at=T0 + timedelta(seconds=200))
    add_reading(app, other.id, "heart_rate", 99, measured_at=T0 + timedelta(seconds=20))

    with app.app_context():
        series = report_controller.downsample_readings(
            db.session,
            patient_id=patient.id,
            period=Span(T0, T0 + timedelta(seconds=100)),
            max_points=2,
        )

    assert list(series) == ["heart_rate", "spo2"]
    [(first_at, first), (second_at, second)] = series["heart_rate"]
    assert (first, second) == (pytest.approx(15), pytest.approx(40))
    assert abs((first_at - (T0 + timedelta(seconds=5))).total_seconds()) < 0.01
    assert abs((second_at - (T0 + timedelta(seconds=75))).total_seconds()) < 0.01
    assert series["spo2"] == [
        (pytest.approx(T0 + timedelta(seconds=40), abs=timedelta(milliseconds=10)), 97)
    ]


def test_fifty_thousand_minute_readings_become_at_most_1000_points(app, patient):
    start = T0
    count = 50_000
    bulk_readings(
        app,
        patient.id,
        "heart_rate",
        ((start + timedelta(minutes=i), 60.0 + i % 60) for i in range(count)),
    )
    end = start + timedelta(minutes=count)

    with app.app_context():
        started = time.perf_counter()
        series = report_controller.downsample_readings(
            db.session, patient_id=patient.id, period=Span(start, end)
        )
        elapsed = time.perf_counter() - started
        report = report_controller.gather_health_report(
            db.session,
            patient=db.session.get(User, patient.id),
            period=Span(start, end),
            report_id=uuid.uuid4(),
        )

    points = series["heart_rate"]
    assert 900 <= len(points) <= 1000
    assert all(60 <= value <= 119 for _, value in points)
    assert [moment for moment, _ in points] == sorted(moment for moment, _ in points)
    assert elapsed < 10
    [chart] = report.charts
    assert len(chart.points) <= 1000
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
