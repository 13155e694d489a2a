"""Accounts: mailed password tokens, and the personal data an erasure must remove."""

from __future__ import annotations

import logging
import re
import uuid
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from healix.extensions import db
from healix.models import (
    Alert,
    Appointment,
    BiomarkerReading,
    BiomarkerThreshold,
    CalendarFeed,
    DataImport,
    Device,
    Goal,
    GoalProgressEntry,
    IdempotencyKey,
    ImportFileChunk,
    Job,
    Notification,
    PasswordResetToken,
    Prescription,
    Profile,
    ProviderPatientRelationship,
    RefillRequest,
    UserSession,
)
from healix.utils.hashing import sha256_hex
from healix.utils.time import utcnow

TOKEN_IN_MAIL = re.compile(r"\b(hxp_[A-Za-z0-9_-]+)")

#: tables holding a patient's personal data, with the column naming the patient
PERSONAL_TABLES: dict[type, Any] = {
    UserSession: UserSession.user_id,
    CalendarFeed: CalendarFeed.user_id,
    PasswordResetToken: PasswordResetToken.user_id,
    Device: Device.owner_id,
    BiomarkerReading: BiomarkerReading.patient_id,
    Goal: Goal.patient_id,
    BiomarkerThreshold: BiomarkerThreshold.patient_id,
    Alert: Alert.patient_id,
    Notification: Notification.user_id,
    Profile: Profile.user_id,
    Job: Job.user_id,
    DataImport: DataImport.patient_id,
    ProviderPatientRelationship: ProviderPatientRelationship.patient_id,
}


def count_where(app: Flask, column: Any, value: Any) -> int:
    """Rows whose `column` equals `value`."""
    with app.app_context():
        total = db.session.scalar(select(func.count()).where(column == value))
        db.session.remove()
    return int(total or 0)


def personal_data_counts(app: Flask, user_id: uuid.UUID) -> dict[str, int]:
    counts = {
        model.__tablename__: count_where(app, column, user_id)
        for model, column in PERSONAL_TABLES.items()
    }
    with app.app_context():
        goal_ids = select(Goal.id).where(Goal.patient_id == user_id)
        counts["goal_progress_entries"] = db.session.scalar(
            select(func.count()).where(GoalProgressEntry.goal_id.in_(goal_ids))
        )
        counts["idempotency_keys"] = db.session.scalar(
            select(func.count()).where(IdempotencyKey.scope.like(f"%{user_id}"))
        )
        db.session.remove()
    return counts


def create_patient_data(
    app: Flask, patient_id: uuid.UUID, provider_id: uuid.UUID
) -> dict[str, uuid.UUID]:
    """One row in every table that holds the patient's data, plus records providers keep."""
    now = utcnow()
    with app.app_context():
        session = db.session
        session.add(Profile(user_id=patient_id, timezone="Europe/London", phone="+44 20 0000"))
        device = Device(
            owner_id=patient_id,
            device_type="smartwatch",
            name="Watch",
            api_key_hash=sha256_hex(uuid.uuid4().hex),
            api_key_prefix="hxd_test",
        )
        goal = Goal(
            patient_id=patient_id,
            goal_type="steps",
            target_value=8000,
            unit="steps",
            start_date=date.today(),
        )
        feed = CalendarFeed(user_id=patient_id, token_hash=sha256_hex(uuid.uuid4().hex))
        upload = DataImport(
            patient_id=patient_id,
            format="csv",
            filename="my-readings.csv",
            skipped_by_type={},
            errors=[],
            pending_alerts={},
        )
        session.add_all([device, goal, feed, upload])
        session.flush()
        session.add(
            ImportFileChunk(import_id=upload.id, seq=0, data=b"type,value,unit,timestamp\n")
        )
        appointment = Appointment(
            patient_id=patient_id,
            provider_id=provider_id,
            start_time=now + timedelta(days=2),
            end_time=now + timedelta(days=2, minutes=30),
            reason="Chest pain when climbing stairs",
            notes="Prefers mornings",
            provider_notes="Check ECG",
        )
        prescription = Prescription(
            patient_id=patient_id,
            provider_id=provider_id,
            medication_name="Atorvastatin",
            dosage="20 mg",
            quantity=30,
            refills_allowed=2,
            refills_left=2,
            start_date=date.today(),
        )
        session.add_all([appointment, prescription])
        session.flush()
        session.add_all(
            [
                BiomarkerReading(
                    patient_id=patient_id,
                    device_id=device.id,
                    biomarker_type="heart_rate",
                    value=72,
                    unit="bpm",
                    measured_at=now - timedelta(hours=1),
                    source="device",
                ),
                GoalProgressEntry(goal_id=goal.id, value=1000, note="walk"),
                BiomarkerThreshold(
                    patient_id=patient_id, biomarker_type="heart_rate", warning_max=110
                ),
                Alert(
                    patient_id=patient_id,
                    biomarker_type="heart_rate",
                    severity="warning",
                    observed_value=130,
                    last_value=130,
                    message="Heart rate high",
                ),
                Notification(user_id=patient_id, kind="alert", title="Heart rate high"),
                Job(kind="mail.appointment_reminder", user_id=patient_id, payload={}),
                IdempotencyKey(
                    scope=str(device.id),
                    key="k1",
                    request_hash="0" * 64,
                    response_status=201,
                    response_body={},
                ),
                IdempotencyKey(
                    scope=f"user:{patient_id}",
                    key="k2",
                    request_hash="0" * 64,
                    response_status=201,
                    response_body={},
                ),
                PasswordResetToken(
                    user_id=patient_id,
                    token_hash=sha256_hex(uuid.uuid4().hex),
                    expires_at=now + timedelta(hours=1),
                ),
                RefillRequest(
                    prescription_id=prescription.id, requested_by_id=patient_id, note="Running out"
                ),
            ]
        )
        session.commit()
        ids = {
            "device": device.id,
            "appointment": appointment.id,
            "prescription": prescription.id,
        }
        session.remove()
    return ids


def mailed_token(caplog: pytest.LogCaptureFixture, to: str) -> str:
    """The newest token mailed to `to` by the log mail backend."""
    tokens = [
        match.group(1)
        for record in caplog.records
        if record.name == "healix.mail" and to in record.getMessage()
        for match in [TOKEN_IN_MAIL.search(record.getMessage())]
        if match
    ]
    assert tokens, f"no token was mailed to {to}"
    return tokens[-1]


def capture_mail(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="healix.mail")


def expire_tokens(app: Flask, user_id: uuid.UUID, when: datetime | None = None) -> None:
    with app.app_context():
        for token in db.session.scalars(
            select(PasswordResetToken).where(PasswordResetToken.user_id == user_id)
        ):
            token.expires_at = when or utcnow() - timedelta(minutes=1)
        db.session.commit()
        db.session.remove()
