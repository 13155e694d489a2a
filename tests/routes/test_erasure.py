from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from healix.audit import chain
from healix.models import Appointment, Prescription, RefillRequest, User
from tests.factories.accounts import create_patient_data, personal_data_counts
from tests.factories.audit import audit_rows

ME = "/api/users/me"


def _delete_me(client, signed, password):
    return client.delete(ME, json={"password": password}, headers=signed.headers)


@pytest.fixture
def patient_with_data(app, patient, provider, care_link):
    care_link(provider, patient)
    ids = create_patient_data(app, patient.id, provider.id)
    counts = personal_data_counts(app, patient.id)
    assert all(counts.values()), counts
    return ids


def _assert_erased(app, dbs, user_id, ids):
    assert set(personal_data_counts(app, user_id).values()) == {0}
    with dbs() as session:
        user = session.get(User, user_id)
        assert user.status == "erased"
        assert user.erased_at is not None
        assert (user.first_name, user.last_name) == ("Erased", "User")
        assert user.email.startswith("erased-")
        assert user.email.endswith("@erased.invalid")
        assert user.password_hash is None
        appointment = session.get(Appointment, ids["appointment"])
        assert (appointment.reason, appointment.notes) == (None, None)
        assert appointment.provider_notes == "Check ECG"
        assert session.get(Prescription, ids["prescription"]).medication_name == "Atorvastatin"
        [refill] = session.scalars(select(RefillRequest)).all()
        assert refill.note is None
        assert chain.verify_chain(session).ok


def test_a_patient_erases_their_account(app, client, dbs, patient, patient_with_data):
    login = {"email": patient.user.email, "password": patient.user.password}
    response = _delete_me(client, patient, patient.user.password)
    assert response.status_code == 204
    _assert_erased(app, dbs, patient.id, patient_with_data)
    assert client.get("/api/auth/me", headers=patient.headers).status_code == 401
    failed = client.post("/api/auth/login", json=login)
    assert failed.status_code == 401
    unknown = client.post("/api/auth/login", json=login | {"email": "ghost@example.com"})
    assert failed.get_json()["detail"] == unknown.get_json()["detail"]
    [deletion] = audit_rows(app, action="ACCOUNT_DELETION")
    assert (deletion.actor_id, deletion.resource_id) == (patient.id, str(patient.id))
    assert deletion.details == {"by": "self"}
    [anonymization] = audit_rows(app, action="DATA_ANONYMIZATION")
    assert anonymization.details["deleted"]["biomarker_readings"] == 1
    assert anonymization.details["deleted"]["idempotency_keys"] == 2
    assert anonymization.details["anonymized"]["appointments"] == 1


def test_erasure_keeps_other_patients_data(app, client, patient, provider, signed_in):
    other = signed_in(role="patient")
    create_patient_data(app, other.id, provider.id)
    before = personal_data_counts(app, other.id)
    assert _delete_me(client, patient, patient.user.password).status_code == 204
    assert personal_data_counts(app, other.id) == before


def test_the_audit_log_survives_erasure_and_still_verifies(app, client, dbs, patient):
    client.post(
        "/api/auth/login", json={"email": patient.user.email, "password": patient.user.password}
    )
    before = audit_rows(app, actor_id=patient.id)
    assert _delete_me(client, patient, patient.user.password).status_code == 204
    after = audit_rows(app, actor_id=patient.id)
    assert [row.row_hash for row in after[: len(before)]] == [row.row_hash for row in before]
    with dbs() as session:
        assert chain.verify_chain(session).ok


def test_a_wrong_password_is_refused_and_audited(app, client, patient, patient_with_data):
    response = _delete_me(client, patient, "not-my-password-at-all")
    assert response.status_code == 403
    assert personal_data_counts(app, patient.id)["devices"] == 1
    # counted towards the account's lockout with the other password re-checks (issue 15)
    [row] = audit_rows(app, action="AUTH_PASSWORD_RECHECK_FAILED")
    assert row.outcome == "failure"
    assert row.details == {"user_id": str(patient.id), "purpose": "delete_account"}


def test_an_admin_cannot_erase_themself_through_their_account(client, admin, signed_in):
    signed_in(role="admin")
    assert _delete_me(client, admin, admin.user.password).status_code == 409


def test_an_admin_erases_a_patient(app, client, dbs, admin, patient, patient_with_data):
    response = client.delete(f"/api/admin/users/{patient.id}", headers=admin.headers)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["deleted"]["devices"] == 1
    assert body["anonymized"]["refill_requests"] == 1
    _assert_erased(app, dbs, patient.id, patient_with_data)
    [row] = audit_rows(app, action="ADMIN_DELETE_USER")
    assert row.actor_id == admin.id
    assert audit_rows(app, action="ACCOUNT_DELETION")[0].details == {"by": "admin"}
    again = client.delete(f"/api/admin/users/{patient.id}", headers=admin.headers)
    assert again.status_code == 404


def test_an_erased_user_is_hidden_from_admin_search(client, admin, patient):
    assert client.delete(f"/api/admin/users/{patient.id}", headers=admin.headers).status_code == 200
    listed = client.get("/api/admin/users?role=patient", headers=admin.headers).get_json()
    assert listed["items"] == []
    by_name = client.get(
        f"/api/admin/users?q={patient.user.first_name}", headers=admin.headers
    ).get_json()
    assert by_name["items"] == []
    erased = client.get("/api/admin/users?status=erased", headers=admin.headers).get_json()
    assert [user["id"] for user in erased["items"]] == [str(patient.id)]
    assert erased["items"][0]["first_name"] == "Erased"


def test_erasing_a_provider_removes_relationships_and_keeps_records(
    app, client, dbs, admin, provider, patient, care_link
):
    care_link(provider, patient)
    ids = create_patient_data(app, patient.id, provider.id)
    assert (
        client.delete(f"/api/admin/users/{provider.id}", headers=admin.headers).status_code == 200
    )
    assert personal_data_counts(app, patient.id)["provider_patient_relationships"] == 0
    assert personal_data_counts(app, patient.id)["biomarker_readings"] == 1
    with dbs() as session:
        assert session.get(Appointment, ids["appointment"]).provider_id == provider.id
        provider_row = session.get(User, provider.id)
        assert (provider_row.specialization, provider_row.licence_number) == (None, None)


def test_admin_erasure_refuses_unknown_users(client, admin):
    assert (
        client.delete(f"/api/admin/users/{uuid.uuid4()}", headers=admin.headers).status_code == 404
    )
