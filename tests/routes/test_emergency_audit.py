"""Issue 15 item 15: every action through emergency ("break glass") access is audited high
with `via: emergency` and shown as emergency in the patient's access log; threshold changes
through it notify the patient and their care providers. Before, writes under emergency
access were audited `info` without `via`."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from healix.audit.events import AuditAction
from healix.extensions import db
from healix.models.audit_log import AuditSeverity
from healix.models.notification import Notification
from healix.utils.time import utcnow
from tests.factories.audit import audit_rows
from tests.factories.prescriptions import prescription_body

HEART = {"warning_min": 45, "warning_max": 140, "critical_min": 35, "critical_max": 180}
ACCESS_LOG = "/api/users/me/access-log"


@pytest.fixture
def emergency(patient, signed_in, care_link):
    provider = signed_in(role="provider")
    care_link(provider, patient, kind="emergency", valid_until=utcnow() + timedelta(hours=1))
    return provider


def notifications_of(app, user_id) -> list[Notification]:
    with app.app_context():
        rows = list(db.session.scalars(select(Notification).where(Notification.user_id == user_id)))
        db.session.expunge_all()
        db.session.remove()
    return rows


def test_a_threshold_raised_in_emergency_is_audited_high_and_told(
    app, client, patient, emergency, provider, care_link
):
    care_link(provider, patient)  # the patient's own care provider
    response = client.put(
        f"/api/biomarkers/thresholds/heart_rate?patient_id={patient.id}",
        json=HEART,
        headers=emergency.headers,
    )
    assert response.status_code == 200
    [row] = audit_rows(app, AuditAction.THRESHOLD_UPDATED)
    assert row.severity == AuditSeverity.HIGH
    assert row.details["via"] == "emergency"
    entries = client.get(ACCESS_LOG, headers=patient.headers).get_json()["items"]
    [entry] = [e for e in entries if e["action"] == "THRESHOLD_UPDATED"]
    assert entry["emergency"] is True
    for user in (patient, provider):
        [note] = notifications_of(app, user.id)
        assert note.kind == "threshold_changed_in_emergency"
        assert "Heart rate" in note.title
        assert "140" not in (note.body or "")  # never the values
    assert notifications_of(app, emergency.id) == []

    reset = client.delete(
        f"/api/biomarkers/thresholds/heart_rate?patient_id={patient.id}", headers=emergency.headers
    )
    assert reset.status_code == 204
    [reset_row] = audit_rows(app, AuditAction.THRESHOLD_RESET)
    assert reset_row.severity == AuditSeverity.HIGH
    assert len(notifications_of(app, patient.id)) == 2


def test_a_prescription_written_in_emergency_is_audited_high(app, client, patient, emergency):
    response = client.post(
        "/api/prescriptions", json=prescription_body(patient), headers=emergency.headers
    )
    assert response.status_code == 201
    [row] = audit_rows(app, AuditAction.PROVIDER_WRITE_PRESCRIPTION)
    assert row.severity == AuditSeverity.HIGH
    assert row.details["via"] == "emergency"


def test_a_care_provider_writes_as_before(app, client, patient, provider, care_link):
    care_link(provider, patient)
    response = client.put(
        f"/api/biomarkers/thresholds/heart_rate?patient_id={patient.id}",
        json=HEART,
        headers=provider.headers,
    )
    assert response.status_code == 200
    [row] = audit_rows(app, AuditAction.THRESHOLD_UPDATED)
    assert row.severity == AuditSeverity.INFO
    assert "via" not in row.details
    assert notifications_of(app, patient.id) == []
