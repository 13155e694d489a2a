"""Factories for the export tests: readings, devices, alerts, goals, appointments and
prescriptions, written straight into the database."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import insert

from healix.biomarker_catalog import CATALOG
from healix.extensions import db
from healix.models.alert import Alert
from healix.models.appointment import Appointment
from healix.models.base import uuid7
from healix.models.biomarker import BiomarkerReading
from healix.models.device import Device
from healix.models.goal import Goal
from healix.models.prescription import Prescription
from healix.models.profile import Profile
from healix.utils.time import utcnow


def _save(app: Flask, row: Any) -> uuid.UUID:
    with app.app_context():
        db.session.add(row)
        db.session.commit()
        row_id = row.id if hasattr(row, "id") else row.user_id
        db.session.remove()
    return row_id


def add_reading(
    app: Flask,
    patient_id: uuid.UUID,
    biomarker_type: str = "heart_rate",
    value: float = 72.0,
    *,
    measured_at: datetime | None = None,
    **fields: Any,
) -> uuid.UUID:
    return _save(
        app,
        BiomarkerReading(
            patient_id=patient_id,
            biomarker_type=biomarker_type,
            value=value,
            unit=CATALOG[biomarker_type].unit,
            measured_at=measured_at or utcnow() - timedelta(hours=1),
            **fields,
        ),
    )


def bulk_readings(
    app: Flask,
    patient_id: uuid.UUID,
    biomarker_type: str,
    points: Iterable[tuple[datetime, float]],
) -> int:
    """Insert many readings in one executemany (fast enough for 50k rows)."""
    unit = CATALOG[biomarker_type].unit
    rows = [
        {
            "id": uuid7(),
            "patient_id": patient_id,
            "biomarker_type": biomarker_type,
            "value": value,
            "unit": unit,
            "measured_at": moment,
            "status": "ok",
            "source": "manual",
            "received_at": moment,
        }
        for moment, value in points
    ]
    with app.app_context():
        db.session.execute(insert(BiomarkerReading), rows)
        db.session.commit()
        db.session.remove()
    return len(rows)


def add_profile(app: Flask, user_id: uuid.UUID, **fields: Any) -> None:
    _save(app, Profile(user_id=user_id, **fields))


def add_device(app: Flask, owner_id: uuid.UUID, **fields: Any) -> uuid.UUID:
    defaults: dict[str, Any] = {
        "device_type": "smartwatch",
        "name": "Wrist watch",
        "manufacturer": "Acme",
        "model": "W1",
        "api_key_hash": hashlib.sha256(uuid.uuid4().bytes).hexdigest(),
        "api_key_prefix": "hx_test",
    }
    return _save(app, Device(owner_id=owner_id, **(defaults | fields)))


def add_alert(app: Flask, patient_id: uuid.UUID, **fields: Any) -> uuid.UUID:
    seen = fields.pop("seen_at", utcnow() - timedelta(hours=2))
    defaults: dict[str, Any] = {
        "biomarker_type": "heart_rate",
        "severity": "critical",
        "threshold_value": 140.0,
        "observed_value": 150.0,
        "last_value": 150.0,
        "message": "Heart rate above 140 /min",
        "first_seen_at": seen,
        "last_seen_at": seen,
    }
    return _save(app, Alert(patient_id=patient_id, **(defaults | fields)))


def add_goal(app: Flask, patient_id: uuid.UUID, **fields: Any) -> uuid.UUID:
    defaults: dict[str, Any] = {
        "goal_type": "steps",
        "title": "Walk more",
        "target_value": 10000.0,
        "unit": "{steps}",
        "start_date": date.today() - timedelta(days=10),
    }
    return _save(app, Goal(patient_id=patient_id, **(defaults | fields)))


def add_appointment(
    app: Flask, patient_id: uuid.UUID, provider_id: uuid.UUID, **fields: Any
) -> uuid.UUID:
    start = fields.pop("start_time", utcnow() + timedelta(days=3))
    defaults: dict[str, Any] = {
        "start_time": start,
        "end_time": start + timedelta(minutes=30),
        "reason": "Check-up",
    }
    return _save(
        app,
        Appointment(patient_id=patient_id, provider_id=provider_id, **(defaults | fields)),
    )


def add_prescription(
    app: Flask, patient_id: uuid.UUID, provider_id: uuid.UUID, **fields: Any
) -> uuid.UUID:
    defaults: dict[str, Any] = {
        "medication_name": "Lisinopril 10 mg",
        "dosage": "1 tablet daily",
        "instructions": "Take in the morning",
        "quantity": 30,
        "refills_allowed": 3,
        "refills_left": 2,
        "start_date": date.today() - timedelta(days=5),
    }
    return _save(
        app,
        Prescription(patient_id=patient_id, provider_id=provider_id, **(defaults | fields)),
    )
