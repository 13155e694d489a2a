"""Summaries answered from the hourly rollups equal summaries computed from the raw readings,
for random data across daylight-saving changes (and zones with half-hour offsets), faulty
readings, re-sent duplicates, a threshold change and an erasure."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from healix.controllers import erasure_controller
from healix.controllers.biomarker_controller import BucketTotals, bucket_totals
from healix.controllers.threshold_controller import (
    Level,
    classify,
    effective_thresholds,
    normal_band,
)
from healix.extensions import db
from healix.models.biomarker import ReadingSource, ReadingStatus
from healix.models.biomarker_rollup import BiomarkerRollup
from healix.models.user import User
from healix.utils.periods import PeriodUnit, boundaries
from tests.factories.biomarkers import insert_readings, reading_row, set_threshold

#: US (Mar 8), EU (Mar 29) and Lord Howe (Apr 5, a half-hour change) fall in this window
WINDOW_START = datetime(2026, 3, 5, tzinfo=UTC)
WINDOW_MINUTES = 35 * 24 * 60
ZONES = ["UTC", "America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kathmandu"]


@st.composite
def readings_strategy(draw: st.DrawFn) -> list[tuple[int, float, str]]:
    """Readings clustered in a few hours (so hours hold several), anywhere in the window."""
    hours = draw(st.lists(st.integers(0, WINDOW_MINUTES // 60 - 1), min_size=1, max_size=12))
    minutes = st.builds(
        lambda hour, minute: hour * 60 + minute, st.sampled_from(hours), st.integers(0, 59)
    )
    return draw(
        st.lists(
            st.tuples(
                minutes,
                st.integers(60, 400).map(lambda half: half / 2),  # exact: sums fold exactly
                st.sampled_from([ReadingStatus.OK, ReadingStatus.OK, ReadingStatus.FAULTY]),
            ),
            max_size=120,
            unique_by=lambda reading: reading[0],
        )
    )


def expected(
    readings: list[tuple[datetime, float, str]],
    edges: list[datetime],
    low: datetime,
    high: datetime,
    thresholds,
) -> list[tuple[int, float, float | None, float | None, int]]:
    """The buckets computed straight from the readings, in Python."""
    result = []
    for start, end in itertools.pairwise(edges):
        values = [
            value
            for at, value, status in readings
            if status == ReadingStatus.OK and max(start, low) <= at < min(end, high)
        ]
        inside = sum(1 for value in values if classify(value, thresholds)[0] is Level.NORMAL)
        result.append(
            (
                len(values),
                float(sum(values)),
                min(values, default=None),
                max(values, default=None),
                inside,
            )
        )
    return result


def observed(items: list[BucketTotals]) -> list[tuple[int, float, float | None, float | None, int]]:
    return [(item.count, item.sum, item.min, item.max, item.in_range) for item in items]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    readings=readings_strategy(),
    zone=st.sampled_from(ZONES),
    unit=st.sampled_from([PeriodUnit.HOUR, PeriodUnit.DAY, PeriodUnit.WEEK]),
    start_minute=st.integers(0, WINDOW_MINUTES // 2),
    length_minutes=st.integers(60, WINDOW_MINUTES // 2),
    batches=st.integers(1, 3),
    personal_band=st.booleans(),
)
def test_rollup_summaries_equal_raw_summaries(
    app, make_user, readings, zone, unit, start_minute, length_minutes, batches, personal_band
):
    patient = make_user(role="patient")
    rows = [
        reading_row(
            patient.id,
            "heart_rate",
            value,
            WINDOW_START + timedelta(minutes=minute, seconds=minute % 7),
            status=status,
            source=ReadingSource.MANUAL,
        )
        for minute, value, status in readings
    ]
    for index in range(batches):
        insert_readings(app, rows[index::batches])
    # re-sent: every sample is already stored, nothing may count twice
    insert_readings(app, [{**row, "id": uuid.uuid4()} for row in rows[: len(rows) // 2]])
    if personal_band:
        set_threshold(app, patient.id, "heart_rate", warning_min=60.0, warning_max=120.0)

    tz = ZoneInfo(zone)
    low = WINDOW_START + timedelta(minutes=start_minute, seconds=17)
    high = low + timedelta(minutes=length_minutes)
    if unit is PeriodUnit.HOUR:
        high = min(high, low + timedelta(days=20))
    edges = boundaries(low, high, unit, tz)
    truth = [(row["measured_at"], row["value"], row["status"]) for row in rows]
    with app.app_context():
        thresholds = effective_thresholds(db.session, patient_id=patient.id)["heart_rate"]
        items = bucket_totals(
            db.session,
            patient_id=patient.id,
            biomarker_type="heart_rate",
            edges=edges,
            start=low,
            end=high,
            tz=tz,
            band=normal_band(thresholds),
        )
        assert observed(items) == expected(truth, edges, low, high, thresholds)
        db.session.remove()

    admin = make_user(role="admin")
    with app.app_context():
        erasure_controller.erase_user(
            db.session, actor=db.session.get(User, admin.id), user_id=patient.id
        )
        db.session.commit()
        left = db.session.scalar(
            select(func.count())
            .select_from(BiomarkerRollup)
            .where(BiomarkerRollup.patient_id == patient.id)
        )
        assert left == 0
        after = bucket_totals(
            db.session, patient_id=patient.id, biomarker_type="heart_rate", edges=edges
        )
        assert all(item.count == 0 for item in after)
        db.session.remove()
