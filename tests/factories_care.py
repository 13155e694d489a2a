"""Factories for the care features: prescriptions, refill requests, notifications, and a
reader for the audit rows they write. Plain functions taking the `app` fixture."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select

from healix.extensions import db
from healix.models.audit_log import AuditLog
from healix.models.notification import Notification
from healix.models.prescription import Prescription, PrescriptionStatus
from healix.models.refill_request import RefillRequest, RefillStatus
from healix.utils.time import utcnow
from tests.factories import SignedIn, TestUser

Party = TestUser | SignedIn


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
    """A prescription straight in the database (active, 2 refills, ending in 90 days)."""
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
    with app.app_context():
        prescription = Prescription(provider_id=provider.id, patient_id=patient.id, **values)
        db.session.add(prescription)
        db.session.commit()
        prescription_id = prescription.id
        db.session.remove()
    return prescription_id


def make_refill(
    app: Flask,
    *,
    prescription_id: uuid.UUID,
    patient: Party,
    status: str = RefillStatus.PENDING,
) -> uuid.UUID:
    with app.app_context():
        refill = RefillRequest(
            prescription_id=prescription_id, requested_by_id=patient.id, status=status
        )
        db.session.add(refill)
        db.session.commit()
        refill_id = refill.id
        db.session.remove()
    return refill_id


def make_notification(app: Flask, *, user: Party, **fields: Any) -> uuid.UUID:
    values = {"kind": "test", "title": "Hello"} | fields
    with app.app_context():
        notification = Notification(user_id=user.id, **values)
        db.session.add(notification)
        db.session.commit()
        notification_id = notification.id
        db.session.remove()
    return notification_id


def audit_rows(app: Flask, action: str | None = None) -> list[AuditLog]:
    """Audit rows in chain order (detached, safe to inspect after the session closes)."""
    with app.app_context():
        statement = select(AuditLog).order_by(AuditLog.seq)
        if action is not None:
            statement = statement.where(AuditLog.action == action)
        rows = list(db.session.scalars(statement))
        db.session.expunge_all()
        db.session.remove()
    return rows


def get_row(app: Flask, model: type, row_id: uuid.UUID) -> Any:
    """A fresh copy of one row, detached."""
    with app.app_context():
        row = db.session.get(model, row_id)
        db.session.expunge_all()
        db.session.remove()
    return row


def notifications_for(app: Flask, user: Party) -> list[Notification]:
    """The user's notifications, oldest first (detached)."""
    with app.app_context():
        statement = (
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.created_at, Notification.id)
        )
        rows = list(db.session.scalars(statement))
        db.session.expunge_all()
        db.session.remove()
    return rows
