"""Prescriptions and refill requests."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from flask import Flask

from healix.models.prescription import Prescription, PrescriptionStatus
from healix.models.refill_request import RefillRequest, RefillStatus
from healix.utils.time import utcnow
from tests.factories.db import save
from tests.factories.users import Party


def today() -> date:
    return utcnow().date()


def prescription_body(patient: Party, **overrides: Any) -> dict[str, Any]:
    """A valid POST /api/prescriptions body."""
    return {
        "patient_id": str(patient.id),
        "medication_name": "Atorvastatin",
        "dosage": "20 mg once daily",
        "instructions": "Take in the evening.",
        "quantity": 30,
        "refills_allowed": 2,
        "start_date": today().isoformat(),
        "end_date": (today() + timedelta(days=90)).isoformat(),
    } | overrides


def make_prescription(app: Flask, *, provider: Party, patient: Party, **fields: Any) -> uuid.UUID:
    """A prescription straight in the database: active, started 10 days ago, ending in 90
    days, 2 refills allowed (and left unless `refills_left` is given)."""
    values: dict[str, Any] = {
        "medication_name": "Metformin",
        "dosage": "500 mg twice daily",
        "quantity": 60,
        "refills_allowed": 2,
        "start_date": today() - timedelta(days=10),
        "end_date": today() + timedelta(days=90),
        "status": PrescriptionStatus.ACTIVE,
    } | fields
    values.setdefault("refills_left", values["refills_allowed"])
    return save(app, Prescription(provider_id=provider.id, patient_id=patient.id, **values))


def make_refill(
    app: Flask,
    *,
    prescription_id: uuid.UUID,
    patient: Party,
    status: str = RefillStatus.PENDING,
) -> uuid.UUID:
    return save(
        app,
        RefillRequest(prescription_id=prescription_id, requested_by_id=patient.id, status=status),
    )
