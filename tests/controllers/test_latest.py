"""The latest reading per patient and type (biomarker_latest) equals the newest non-faulty
reading computed from the raw readings, after random batches with faulty readings, re-sent
duplicates, ties and older readings arriving late; a rebuild gives the same rows, and an
erasure removes them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from healix.controllers import erasure_controller, latest_controller
from healix.extensions import db
from healix.models.biomarker import BiomarkerReading, ReadingSource, ReadingStatus
from healix.models.biomarker_latest import BiomarkerLatest
from healix.models.user import User
from tests.factories.biomarkers import insert_readings, reading_row

START = datetime(2026, 3, 5, tzinfo=UTC)
TYPES = ["heart_rate", "blood_glucose", "steps"]

#: (patient index, type, minute, value, status, source); few minutes, so times repeat (ties
#: of device readings, duplicates of manual ones)
reading_strategy = st.tuples(
    st.integers(0, 1),
    st.sampled_from(TYPES),
    st.integers(0, 20),
    st.integers(60, 150).map(float),
    st.sampled_from([ReadingStatus.OK, ReadingStatus.OK, ReadingStatus.FAULTY]),
    st.sampled_from([ReadingSource.DEVICE, ReadingSource.MANUAL]),
)


def stored_latest(app: Flask, patient_ids: list[uuid.UUID]) -> dict[tuple[Any, ...], Any]:
    with app.app_context():
        rows = db.session.execute(
            select(
                BiomarkerLatest.patient_id,
                BiomarkerLatest.biomarker_type,
                BiomarkerLatest.reading_id,
                BiomarkerLatest.value,
                BiomarkerLatest.unit,
                BiomarkerLatest.measured_at,
            ).where(BiomarkerLatest.patient_id.in_(patient_ids))
        ).all()
        db.session.remove()
    return {(row[0], row[1]): tuple(row[2:]) for row in rows}


def latest_from_readings(app: Flask, patient_ids: list[uuid.UUID]) -> dict[tuple[Any, ...], Any]:
    """The newest non-faulty reading by (measured_at, id), computed in Python."""
    _r = BiomarkerReading
    with app.app_context():
        readings = db.session.execute(
            select(_r.patient_id, _r.biomarker_type, _r.id, _r.value, _r.unit, _r.measured_at)
            .where(_r.patient_id.in_(patient_ids))
            .where(_r.status != ReadingStatus.FAULTY)
        ).all()
        db.session.remove()
    newest: dict[tuple[Any, ...], Any] = {}
    for patient_id, code, reading_id, value, unit, measured_at in readings:
        best = newest.get((patient_id, code))
        if best is None or (measured_at, reading_id) > (best[3], best[0]):
            newest[(patient_id, code)] = (reading_id, value, unit, measured_at)
    return newest


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batches=st.lists(st.lists(reading_strategy, max_size=15), min_size=1, max_size=4))
def test_the_latest_equals_the_newest_raw_reading(app, make_user, batches):
    patients = [make_user(role="patient").id for _ in range(2)]
    for batch in batches:  # later batches may hold older readings: they must not win
        insert_readings(
            app,
            [
                reading_row(
                    patients[who],
                    code,
                    value,
                    START + timedelta(minutes=minute),
                    status=status,
                    source=source,
                )
                for who, code, minute, value, status, source in batch
            ],
        )
    truth = latest_from_readings(app, patients)
    assert stored_latest(app, patients) == truth

    with app.app_context():
        latest_controller.rebuild(db.session, patient_id=patients[0])
        db.session.commit()
        db.session.remove()
    assert stored_latest(app, patients) == truth


def test_a_resent_duplicate_or_an_older_reading_changes_nothing(app, make_user):
    patient = make_user(role="patient").id
    newest = reading_row(patient, "heart_rate", 80.0, START, source=ReadingSource.MANUAL)
    insert_readings(app, [newest])
    insert_readings(app, [{**newest, "id": uuid.uuid4(), "value": 99.0}])  # skipped: same time
    insert_readings(app, [reading_row(patient, "heart_rate", 60.0, START - timedelta(hours=1))])
    insert_readings(
        app,
        [reading_row(patient, "heart_rate", 300.0, START + timedelta(hours=1), status="faulty")],
    )
    [(reading_id, value, unit, measured_at)] = stored_latest(app, [patient]).values()
    assert (reading_id, value, unit, measured_at) == (newest["id"], 80.0, "/min", START)


def test_an_erasure_deletes_the_latest_readings(app, make_user):
    patient, other = make_user(role="patient").id, make_user(role="patient").id
    for someone in (patient, other):
        insert_readings(app, [reading_row(someone, code, 100.0, START) for code in TYPES])
    admin = make_user(role="admin")
    with app.app_context():
        summary = erasure_controller.erase_user(
            db.session, actor=db.session.get(User, admin.id), user_id=patient
        )
        db.session.commit()
        left = db.session.scalar(select(func.count()).where(BiomarkerLatest.patient_id == patient))
        db.session.remove()
    assert left == 0
    assert summary.deleted["biomarker_latest"] == len(TYPES)
    assert len(stored_latest(app, [other])) == len(TYPES)
