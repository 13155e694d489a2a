"""Alerts and goals, written straight into the database."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from flask import Flask

from healix.models.alert import Alert
from healix.models.goal import Goal
from healix.utils.time import utcnow
from tests.factories.db import save


def add_alert(app: Flask, patient_id: uuid.UUID, **fields: Any) -> uuid.UUID:
    """An open critical heart-rate alert seen two hours ago (`seen_at` moves it)."""
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
    return save(app, Alert(patient_id=patient_id, **(defaults | fields)))


def add_goal(app: Flask, patient_id: uuid.UUID, **fields: Any) -> uuid.UUID:
    defaults: dict[str, Any] = {
        "goal_type": "steps",
        "title": "Walk more",
        "target_value": 10000.0,
        "unit": "{steps}",
        "start_date": date.today() - timedelta(days=10),
    }
    return save(app, Goal(patient_id=patient_id, **(defaults | fields)))
