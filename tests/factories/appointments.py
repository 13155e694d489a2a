"""Appointments: future times inside default working hours, direct inserts, and booking
through the API."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from healix.extensions import db
from healix.models.appointment import Appointment, AppointmentStatus
from tests.factories.users import Party, SignedIn


def next_weekday(weekday: int = 0, *, weeks_ahead: int = 0) -> date:
    """The next date (strictly after today, UTC) falling on `weekday` (0 = Monday)."""
    today = datetime.now(UTC).date()
    days = (weekday - today.weekday()) % 7 or 7
    return today + timedelta(days=days + 7 * weeks_ahead)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """`day` at hh:mm UTC."""
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def next_monday_at(hour: int = 10, minute: int = 0, *, weeks_ahead: int = 0) -> datetime:
    """A future Monday at hh:mm UTC: inside default hours for a provider without a profile."""
    return at(next_weekday(0, weeks_ahead=weeks_ahead), hour, minute)


def insert_appointment(
    app: Flask,
    *,
    patient: Party,
    provider: Party,
    start: datetime | None = None,
    minutes: int = 30,
    status: str = AppointmentStatus.SCHEDULED,
    **fields: Any,
) -> uuid.UUID:
    """An appointment written straight to the database (bypasses the API's rules); it starts
    in three days unless `start` is given."""
    start = start or datetime.now(UTC) + timedelta(days=3)
    with app.app_context():
        appointment = Appointment(
            patient_id=patient.id,
            provider_id=provider.id,
            created_by_id=patient.id,
            start_time=start,
            end_time=start + timedelta(minutes=minutes),
            status=status,
            reason=fields.pop("reason", "Check-up"),
            **fields,
        )
        db.session.add(appointment)
        db.session.commit()
        appointment_id = appointment.id
        db.session.remove()
    return appointment_id


def book(
    client: FlaskClient,
    actor: SignedIn,
    *,
    start: datetime,
    minutes: int = 30,
    provider: Party | None = None,
    patient: Party | None = None,
    **fields: Any,
) -> TestResponse:
    """POST /api/appointments as `actor`."""
    body: dict[str, Any] = {
        "start_time": start.isoformat(),
        "end_time": (start + timedelta(minutes=minutes)).isoformat(),
        "reason": "Check-up",
        **fields,
    }
    if "duration_minutes" in fields:
        body.pop("end_time")
    if provider is not None:
        body["provider_id"] = str(provider.id)
    if patient is not None:
        body["patient_id"] = str(patient.id)
    return client.post("/api/appointments", json=body, headers=actor.headers)
