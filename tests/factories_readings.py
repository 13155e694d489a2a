"""Factories for health data: readings inserted straight into the database, profiles with a
time zone, personal thresholds."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import insert

from healix.biomarker_catalog import CATALOG
from healix.extensions import db
from healix.models.base import uuid7
from healix.models.biomarker import BiomarkerReading, ReadingSource, ReadingStatus
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
    rows = list(rows)
    with app.app_context():
        db.session.execute(insert(BiomarkerReading), rows)
        db.session.commit()
        db.session.remove()
    return [row["id"] for row in rows]


def set_timezone(app: Flask, user_id: uuid.UUID, name: str) -> None:
    with app.app_context():
        db.session.merge(Profile(user_id=user_id, timezone=name))
        db.session.commit()
        db.session.remove()


def set_threshold(app: Flask, patient_id: uuid.UUID, biomarker_type: str, **bounds: float) -> None:
    with app.app_context():
        db.session.add(
            BiomarkerThreshold(patient_id=patient_id, biomarker_type=biomarker_type, **bounds)
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
    return lambda user_id, name: set_timezone(app, user_id, name)


@pytest.fixture
def personal_threshold(app: Flask) -> Callable[..., None]:
    return lambda patient_id, kind, **bounds: set_threshold(app, patient_id, kind, **bounds)
