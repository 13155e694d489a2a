"""Biomarker readings, personal thresholds and profiles (time zone), written straight into
the database; fixtures `add_readings`, `patient_timezone`, `personal_threshold`."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask

from healix.biomarker_catalog import CATALOG
from healix.controllers import ingestion_controller, threshold_controller
from healix.extensions import db
from healix.models.base import uuid7
from healix.models.biomarker import ReadingSource, ReadingStatus
from healix.models.biomarker_threshold import BiomarkerThreshold
from healix.models.profile import Profile
from healix.utils.time import utcnow


def reading_row(
    patient_id: uuid.UUID,
    biomarker_type: str,
    value: float,
    measured_at: datetime,
    *,
    status: str = ReadingStatus.OK,
    reading_id: uuid.UUID | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """The column values of one reading (canonical unit; a faulty one is out of range)."""
    return {
        "id": reading_id or uuid7(),
        "patient_id": patient_id,
        "biomarker_type": biomarker_type,
        "value": value,
        "unit": CATALOG[biomarker_type].unit,
        "measured_at": measured_at,
        "status": status,
        "fault_reason": "out_of_range" if status == ReadingStatus.FAULTY else None,
        "source": ReadingSource.DEVICE,
        "received_at": utcnow(),
        **fields,
    }


def insert_readings(app: Flask, rows: Iterable[dict[str, Any]]) -> list[uuid.UUID]:
    """Insert many readings through the ingestion controller's one insert path (which keeps
    the hourly rollups), one bulk statement per patient (fast enough for 50k rows)."""
    rows = [{"device_id": None, "external_id": None, "notes": None, **row} for row in rows]
    by_patient: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for row in rows:
        by_patient.setdefault(row["patient_id"], []).append(row)
    with app.app_context():
        for patient_id, batch in by_patient.items():
            ingestion_controller.insert_readings(db.session, patient_id=patient_id, rows=batch)
        db.session.commit()
        db.session.remove()
    return [row["id"] for row in rows]


def add_reading(
    app: Flask,
    patient_id: uuid.UUID,
    biomarker_type: str = "heart_rate",
    value: float = 72.0,
    *,
    measured_at: datetime | None = None,
    **fields: Any,
) -> uuid.UUID:
    """One manual reading (default: heart rate 72, an hour ago)."""
    fields.setdefault("source", ReadingSource.MANUAL)
    at = measured_at or utcnow() - timedelta(hours=1)
    [reading_id] = insert_readings(
        app, [reading_row(patient_id, biomarker_type, value, at, **fields)]
    )
    return reading_id


def bulk_readings(
    app: Flask,
    patient_id: uuid.UUID,
    biomarker_type: str,
    points: Iterable[tuple[datetime, float]],
) -> int:
    """Manual readings of one type at `(time, value)` points."""
    rows = [
        reading_row(
            patient_id,
            biomarker_type,
            value,
            moment,
            source=ReadingSource.MANUAL,
            received_at=moment,
        )
        for moment, value in points
    ]
    return len(insert_readings(app, rows))


def set_profile(app: Flask, user_id: uuid.UUID, **fields: Any) -> None:
    """Create or replace the user's profile row with `fields` (e.g. timezone, date_of_birth)."""
    with app.app_context():
        db.session.merge(Profile(user_id=user_id, **fields))
        db.session.commit()
        db.session.remove()


def set_threshold(app: Flask, patient_id: uuid.UUID, biomarker_type: str, **bounds: float) -> None:
    with app.app_context():
        db.session.add(
            BiomarkerThreshold(patient_id=patient_id, biomarker_type=biomarker_type, **bounds)
        )
        db.session.flush()
        # as the threshold controller does: the rollups count the band in force
        threshold_controller.rebuild_rollups(
            db.session, patient_id=patient_id, biomarker_type=biomarker_type
        )
        db.session.commit()
        db.session.remove()


@pytest.fixture
def add_readings(app: Flask) -> Callable[..., list[uuid.UUID]]:
    """`add_readings(patient_id, [(type, value, measured_at), ...], status=...)`."""

    def add(
        patient_id: uuid.UUID, samples: Iterable[tuple[str, float, datetime]], **fields: Any
    ) -> list[uuid.UUID]:
        return insert_readings(
            app, (reading_row(patient_id, kind, value, at, **fields) for kind, value, at in samples)
        )

    return add


@pytest.fixture
def patient_timezone(app: Flask) -> Callable[[uuid.UUID, str], None]:
    return lambda user_id, name: set_profile(app, user_id, timezone=name)


@pytest.fixture
def personal_threshold(app: Flask) -> Callable[..., None]:
    return lambda patient_id, kind, **bounds: set_threshold(app, patient_id, kind, **bounds)
