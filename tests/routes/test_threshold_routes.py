"""Personal thresholds: reading the effective set, setting, validating and resetting."""

from __future__ import annotations

import pytest

from healix.audit.events import AuditAction
from healix.biomarker_catalog import CATALOG
from healix.models.biomarker_threshold import BiomarkerThreshold
from tests.factories.audit import audit_rows
from tests.factories.db import count

HEART = {"warning_min": 45, "warning_max": 100, "critical_min": 35, "critical_max": 130}


def thresholds(client, user, patient_id=None):
    url = "/api/biomarkers/thresholds" + (f"?patient_id={patient_id}" if patient_id else "")
    return client.get(url, headers=user.headers)


def by_type(response):
    return {item["biomarker_type"]: item for item in response.get_json()["items"]}


def test_defaults_for_every_catalog_type(client, patient):
    response = thresholds(client, patient)
    assert response.status_code == 200
    assert response.get_json()["patient_id"] == str(patient.id)
    assert response.get_json()["next_cursor"] is None
    items = by_type(response)
    assert set(items) == set(CATALOG)
    heart = items["heart_rate"]
    assert heart["personal"] is False
    assert heart["unit"] == "/min"
    assert heart["critical_max"] == CATALOG["heart_rate"].thresholds.critical_max


def test_patient_sets_and_resets_own_threshold(client, dbs, patient):
    response = client.put(
        "/api/biomarkers/thresholds/heart_rate", json=HEART, headers=patient.headers
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["personal"] is True
    assert response.get_json()["warning_max"] == 100
    heart = by_type(thresholds(client, patient))["heart_rate"]
    assert heart["personal"] is True
    assert heart["critical_max"] == 130
    assert heart["updated_by_id"] == str(patient.id)
    assert by_type(thresholds(client, patient))["spo2"]["personal"] is False

    changed = client.put(
        "/api/biomarkers/thresholds/heart_rate",
        json={**HEART, "warning_max": 105},
        headers=patient.headers,
    )
    assert changed.status_code == 200
    with dbs() as session:
        rows = audit_rows(session, AuditAction.THRESHOLD_UPDATED, patient_id=patient.id)
        assert [row.details["fields"] for row in rows] == [
            ["warning_min", "warning_max", "critical_min", "critical_max"],
            ["warning_max"],
        ]
        assert count(session, BiomarkerThreshold) == 1

    reset = client.delete("/api/biomarkers/thresholds/heart_rate", headers=patient.headers)
    assert reset.status_code == 204
    assert by_type(thresholds(client, patient))["heart_rate"]["personal"] is False
    with dbs() as session:
        assert count(session, BiomarkerThreshold) == 0
        (row,) = audit_rows(session, AuditAction.THRESHOLD_RESET, patient_id=patient.id)
        assert row.details == {"biomarker_type": "heart_rate"}
    again = client.delete("/api/biomarkers/thresholds/heart_rate", headers=patient.headers)
    assert again.status_code == 204


def test_one_sided_bounds(client, patient):
    response = client.put(
        "/api/biomarkers/thresholds/spo2",
        json={"warning_min": 92, "critical_min": 88},
        headers=patient.headers,
    )
    assert response.status_code == 200
    spo2 = by_type(thresholds(client, patient))["spo2"]
    assert (spo2["warning_min"], spo2["critical_min"], spo2["warning_max"]) == (92, 88, None)


@pytest.mark.parametrize(
    "body",
    [
        {**HEART, "critical_min": 50},
        {**HEART, "critical_max": 90},
        {"warning_min": 100, "warning_max": 90},
        {"critical_min": 100, "critical_max": 100},
        {"critical_min": 120, "warning_max": 100},
        {},
        {"warning_min": None},
        {**HEART, "extra": 1},
        {**HEART, "warning_max": "high"},
    ],
)
def test_invalid_bounds_are_422(client, dbs, patient, body):
    response = client.put(
        "/api/biomarkers/thresholds/heart_rate", json=body, headers=patient.headers
    )
    assert response.status_code == 422, body
    with dbs() as session:
        assert count(session, BiomarkerThreshold) == 0


def test_unknown_type_is_404(client, patient):
    put = client.put("/api/biomarkers/thresholds/cholesterol", json=HEART, headers=patient.headers)
    assert put.status_code == 404
    delete = client.delete("/api/biomarkers/thresholds/cholesterol", headers=patient.headers)
    assert delete.status_code == 404


def test_provider_in_care_reads_and_sets_with_audit(client, dbs, patient, provider, care_link):
    care_link(provider, patient)
    read = thresholds(client, provider, patient.id)
    assert read.status_code == 200
    response = client.put(
        f"/api/biomarkers/thresholds/heart_rate?patient_id={patient.id}",
        json=HEART,
        headers=provider.headers,
    )
    assert response.status_code == 200
    assert by_type(thresholds(client, patient))["heart_rate"]["updated_by_id"] == str(provider.id)
    with dbs() as session:
        viewed = audit_rows(session, AuditAction.PROVIDER_VIEW_HEALTH_DATA, actor_id=provider.id)
        assert len(viewed) == 1
        (updated,) = audit_rows(session, AuditAction.THRESHOLD_UPDATED)
        assert updated.actor_id == provider.id
        assert updated.patient_id == patient.id
    reset = client.delete(
        f"/api/biomarkers/thresholds/heart_rate?patient_id={patient.id}", headers=provider.headers
    )
    assert reset.status_code == 204


def test_provider_without_care_gets_404(client, dbs, patient, provider, care_link):
    from datetime import timedelta

    from healix.utils.time import utcnow

    care_link(provider, patient, ended_at=utcnow() - timedelta(minutes=1))
    assert thresholds(client, provider, patient.id).status_code == 404
    put = client.put(
        f"/api/biomarkers/thresholds/heart_rate?patient_id={patient.id}",
        json=HEART,
        headers=provider.headers,
    )
    assert put.status_code == 404
    with dbs() as session:
        denied = audit_rows(session, AuditAction.ACCESS_DENIED, actor_id=provider.id)
        assert len(denied) == 2
        assert count(session, BiomarkerThreshold) == 0


def test_patient_cannot_touch_another_patient(client, dbs, patient, signed_in):
    other = signed_in(role="patient")
    assert thresholds(client, patient, other.id).status_code == 404
    put = client.put(
        f"/api/biomarkers/thresholds/heart_rate?patient_id={other.id}",
        json=HEART,
        headers=patient.headers,
    )
    assert put.status_code == 404
    with dbs() as session:
        assert count(session, BiomarkerThreshold) == 0


def test_provider_must_name_the_patient(client, provider):
    assert thresholds(client, provider).status_code == 422


def test_admin_reads_but_cannot_set(client, admin, patient):
    assert thresholds(client, admin, patient.id).status_code == 200
    put = client.put(
        f"/api/biomarkers/thresholds/heart_rate?patient_id={patient.id}",
        json=HEART,
        headers=admin.headers,
    )
    assert put.status_code == 403


def test_requires_sign_in(client):
    assert client.get("/api/biomarkers/thresholds").status_code == 401
