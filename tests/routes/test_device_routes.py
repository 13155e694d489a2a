"""Devices: registration, listing, update, deletion, key rotation and key-only scope."""

from __future__ import annotations

import pytest

from healix.audit.events import AuditAction
from healix.models.biomarker import BiomarkerReading
from healix.models.device import Device
from healix.utils.hashing import sha256_hex
from tests.factories.audit import audit_rows
from tests.factories.devices import as_uuid, ingest, reading, register_device


def test_register_returns_key_once_and_stores_only_its_hash(client, dbs, patient):
    response = client.post(
        "/api/devices",
        json={
            "device_type": "pulse_oximeter",
            "name": "Finger clip",
            "model": "PO-3",
            "manufacturer": "Acme",
        },
        headers=patient.headers,
    )
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    api_key = data["api_key"]
    assert api_key.startswith("hxd_")
    assert len(api_key) > 40
    assert data["device"]["api_key_prefix"] == api_key[:12]
    assert data["device"]["status"] == "active"
    assert "api_key" not in data["device"]
    with dbs() as session:
        device = session.get(Device, as_uuid(data["device"]["id"]))
        assert device.owner_id == patient.id
        assert device.api_key_hash == sha256_hex(api_key)
        assert api_key not in (device.api_key_prefix, device.api_key_hash)
        rows = audit_rows(session, AuditAction.DEVICE_REGISTERED, resource_id=str(device.id))
        assert len(rows) == 1
        assert rows[0].patient_id == patient.id
        assert api_key not in str(rows[0].details)
    listed = client.get("/api/devices", headers=patient.headers).get_json()
    assert [item["id"] for item in listed["items"]] == [data["device"]["id"]]
    assert "api_key" not in listed["items"][0]


@pytest.mark.parametrize("role", ["provider", "admin"])
def test_only_patients_manage_devices(client, signed_in, role):
    user = signed_in(role=role)
    response = client.post(
        "/api/devices", json={"device_type": "scale", "name": "Scale"}, headers=user.headers
    )
    assert response.status_code == 403
    assert client.get("/api/devices", headers=user.headers).status_code == 403


def test_register_validates_payload(client, patient):
    for body in (
        {"device_type": "toaster", "name": "x"},
        {"device_type": "scale", "name": ""},
        {"device_type": "scale", "name": "x", "api_key_hash": "mine"},
    ):
        response = client.post("/api/devices", json=body, headers=patient.headers)
        assert response.status_code == 422, body


def test_list_pages_own_devices_only(client, patient, signed_in):
    other = signed_in(role="patient")
    register_device(client, other)
    ids = [register_device(client, patient, name=f"Device {n}")[0] for n in range(3)]
    first = client.get("/api/devices?limit=2", headers=patient.headers).get_json()
    assert len(first["items"]) == 2
    assert first["next_cursor"]
    second = client.get(
        f"/api/devices?limit=2&cursor={first['next_cursor']}", headers=patient.headers
    ).get_json()
    seen = [item["id"] for item in first["items"] + second["items"]]
    assert sorted(seen) == sorted(ids)
    assert second["next_cursor"] is None


def test_list_filters_by_status(client, patient):
    active_id, _ = register_device(client, patient)
    inactive_id, _ = register_device(client, patient, name="Old")
    client.patch(
        f"/api/devices/{inactive_id}", json={"status": "inactive"}, headers=patient.headers
    )
    listed = client.get("/api/devices?status=inactive", headers=patient.headers).get_json()
    assert [item["id"] for item in listed["items"]] == [inactive_id]
    listed = client.get("/api/devices?status=active", headers=patient.headers).get_json()
    assert [item["id"] for item in listed["items"]] == [active_id]


def test_update_name_and_status_audited(client, dbs, patient):
    device_id, api_key = register_device(client, patient)
    response = client.patch(
        f"/api/devices/{device_id}",
        json={"name": "Renamed", "status": "inactive"},
        headers=patient.headers,
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["name"] == "Renamed"
    assert response.get_json()["status"] == "inactive"
    with dbs() as session:
        (row,) = audit_rows(session, AuditAction.DEVICE_UPDATED, resource_id=device_id)
        assert row.details == {"fields": ["name", "status"]}
    refused = ingest(client, api_key, [reading()])
    assert refused.status_code == 403
    bad = client.patch(
        f"/api/devices/{device_id}", json={"status": "error"}, headers=patient.headers
    )
    assert bad.status_code == 422


def test_other_patients_device_is_not_found_and_audited(client, dbs, patient, signed_in):
    other = signed_in(role="patient")
    device_id, _ = register_device(client, other)
    for call in (
        lambda: client.patch(
            f"/api/devices/{device_id}", json={"name": "Mine"}, headers=patient.headers
        ),
        lambda: client.delete(f"/api/devices/{device_id}", headers=patient.headers),
        lambda: client.post(f"/api/devices/{device_id}/rotate-key", headers=patient.headers),
    ):
        assert call().status_code == 404
    with dbs() as session:
        denied = audit_rows(session, AuditAction.ACCESS_DENIED, resource_id=device_id)
        assert len(denied) == 3
        assert all(row.actor_id == patient.id for row in denied)
        assert session.get(Device, as_uuid(device_id)).name == "Watch"


def test_rotate_key_invalidates_old_key_at_once(client, dbs, patient):
    device_id, old_key = register_device(client, patient)
    assert ingest(client, old_key, [reading()]).status_code == 201
    response = client.post(f"/api/devices/{device_id}/rotate-key", headers=patient.headers)
    assert response.status_code == 200
    new_key = response.get_json()["api_key"]
    assert new_key != old_key
    assert response.get_json()["device"]["api_key_prefix"] == new_key[:12]
    assert ingest(client, old_key, [reading()]).status_code == 401
    assert ingest(client, new_key, [reading()]).status_code == 201
    with dbs() as session:
        assert len(audit_rows(session, AuditAction.DEVICE_KEY_ROTATED, resource_id=device_id)) == 1


def test_delete_keeps_readings_detached(client, dbs, patient):
    device_id, api_key = register_device(client, patient)
    assert ingest(client, api_key, [reading(), reading(value=80)]).status_code == 201
    response = client.delete(f"/api/devices/{device_id}", headers=patient.headers)
    assert response.status_code == 204
    with dbs() as session:
        assert session.get(Device, as_uuid(device_id)) is None
        readings = session.query(BiomarkerReading).filter_by(patient_id=patient.id).all()
        assert len(readings) == 2
        assert all(row.device_id is None for row in readings)
        assert len(audit_rows(session, AuditAction.DEVICE_DELETED, resource_id=device_id)) == 1
    assert ingest(client, api_key, [reading()]).status_code == 401
    assert client.delete(f"/api/devices/{device_id}", headers=patient.headers).status_code == 404


def test_ingest_updates_last_sync_and_reactivates_error_device(client, dbs, patient):
    device_id, api_key = register_device(client, patient)
    with dbs() as session:
        session.get(Device, as_uuid(device_id)).status = "error"
    assert ingest(client, api_key, [reading()]).status_code == 201
    with dbs() as session:
        device = session.get(Device, as_uuid(device_id))
        assert device.status == "active"
        assert device.last_sync_at is not None


class TestDeviceKeyScope:
    def test_key_only_in_header(self, client, patient):
        _, api_key = register_device(client, patient)
        body = {"readings": [reading()]}
        for query in (f"api_key={api_key}", f"key={api_key}", f"x={api_key}"):
            in_url = client.post(f"/api/devices/ingest?{query}", json=body)
            assert in_url.status_code == 401, query
        both = client.post(
            f"/api/devices/ingest?api_key={api_key}", json=body, headers={"X-Device-Key": api_key}
        )
        assert both.status_code == 401

    def test_missing_or_unknown_key(self, client, patient):
        _, api_key = register_device(client, patient)
        assert client.post("/api/devices/ingest", json={"readings": [reading()]}).status_code == 401
        assert ingest(client, api_key + "x", [reading()]).status_code == 401
        assert ingest(client, "hxd_unknown", [reading()]).status_code == 401

    def test_user_token_cannot_ingest(self, client, patient):
        response = client.post(
            "/api/devices/ingest", json={"readings": [reading()]}, headers=patient.headers
        )
        assert response.status_code == 401

    @pytest.mark.parametrize(
        ("method", "url"),
        [
            ("get", "/api/devices"),
            ("post", "/api/biomarkers"),
            ("get", "/api/alerts"),
            ("get", "/api/auth/me"),
            ("get", "/api/biomarkers/thresholds"),
        ],
    )
    def test_device_key_opens_no_other_endpoint(self, client, patient, method, url):
        _, api_key = register_device(client, patient)
        for headers in ({"X-Device-Key": api_key}, {"Authorization": f"Bearer {api_key}"}):
            response = getattr(client, method)(url, json=reading(), headers=headers)
            assert response.status_code == 401, (url, headers)

    def test_owner_deactivated_key_refused(self, client, dbs, patient):
        from healix.models.user import User

        _, api_key = register_device(client, patient)
        with dbs() as session:
            session.get(User, patient.id).status = "inactive"
        assert ingest(client, api_key, [reading()]).status_code == 401

    def test_unauthenticated_invalid_body_is_401_not_422(self, client):
        response = client.post("/api/devices/ingest", json={"readings": "nope"})
        assert response.status_code == 401
