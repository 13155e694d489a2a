"""Care relationships: consent by the patient, records by admins, emergency access, and the
provider's view of their patients."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from healix.audit.events import AuditAction
from healix.models.audit_log import AuditSeverity
from healix.models.provider_patient_relationship import ProviderPatientRelationship
from healix.utils.time import utcnow
from tests.concurrency import statuses_in_parallel
from tests.factories.audit import audit_rows
from tests.factories.db import get_row
from tests.factories.notifications import notifications_for

PAST = utcnow() - timedelta(hours=1)


def later(**delta: float) -> str:
    return (utcnow() + timedelta(**delta)).isoformat()


class TestGrantCare:
    def test_patient_adds_a_provider(self, app, client, patient, provider):
        response = client.post(
            "/api/care-team",
            json={"provider_id": str(provider.id), "reason": "GP", "valid_until": later(days=30)},
            headers=patient.headers,
        )
        assert response.status_code == 201, response.get_json()
        body = response.get_json()
        assert body["kind"] == "care"
        assert body["patient_id"] == str(patient.id)
        assert body["granted_by_id"] == str(patient.id)
        [row] = audit_rows(app, AuditAction.CARE_RELATIONSHIP_GRANTED)
        assert (row.actor_id, row.patient_id, row.resource_id) == (
            patient.id,
            patient.id,
            body["id"],
        )
        assert [n.kind for n in notifications_for(app, provider)] == ["care_relationship_granted"]
        assert (
            client.get(f"/api/patients/{patient.id}", headers=provider.headers).status_code == 200
        )

    def test_already_in_care_is_a_conflict(self, client, patient, provider, care_link):
        care_link(provider, patient)
        response = client.post(
            "/api/care-team", json={"provider_id": str(provider.id)}, headers=patient.headers
        )
        assert response.status_code == 409

    def test_ended_or_expired_care_can_be_granted_again(self, client, patient, provider, care_link):
        care_link(provider, patient, ended_at=PAST)
        care_link(provider, patient, valid_until=PAST)
        response = client.post(
            "/api/care-team", json={"provider_id": str(provider.id)}, headers=patient.headers
        )
        assert response.status_code == 201

    def test_unknown_inactive_or_non_provider_is_404(self, client, patient, make_user):
        inactive = make_user(role="provider", status="inactive")
        other_patient = make_user(role="patient")
        for target in ["00000000-0000-0000-0000-000000000001", inactive.id, other_patient.id]:
            response = client.post(
                "/api/care-team", json={"provider_id": str(target)}, headers=patient.headers
            )
            assert response.status_code == 404, target

    @pytest.mark.parametrize(
        "extra",
        [
            {"valid_until": PAST.isoformat()},
            {"valid_until": "2099-01-01T00:00:00"},
            {"kind": "emergency"},
            {"patient_id": "00000000-0000-0000-0000-000000000001"},
        ],
    )
    def test_invalid_body_is_422(self, client, patient, provider, extra):
        body = {"provider_id": str(provider.id)} | extra
        assert client.post("/api/care-team", json=body, headers=patient.headers).status_code == 422

    @pytest.mark.parametrize("role", ["provider", "admin"])
    def test_only_patients_grant(self, client, signed_in, provider, role):
        other = signed_in(role=role)
        response = client.post(
            "/api/care-team", json={"provider_id": str(provider.id)}, headers=other.headers
        )
        assert response.status_code == 403


class TestCareTeamList:
    def test_lists_only_own_active_relationships(
        self, client, patient, provider, signed_in, make_user, care_link
    ):
        rel_id = care_link(provider, patient, valid_until=utcnow() + timedelta(days=5))
        ended = make_user(role="provider")
        care_link(ended, patient, ended_at=PAST)
        expired = make_user(role="provider")
        care_link(expired, patient, valid_until=PAST)
        emergency = make_user(role="provider", specialization="Emergency")
        care_link(emergency, patient, kind="emergency", valid_until=utcnow() + timedelta(hours=1))
        someone_else = signed_in(role="patient")
        care_link(make_user(role="provider"), someone_else)

        response = client.get("/api/care-team", headers=patient.headers)
        assert response.status_code == 200
        items = response.get_json()["items"]
        by_provider = {item["provider_id"]: item for item in items}
        assert set(by_provider) == {str(provider.id), str(emergency.id)}
        mine = by_provider[str(provider.id)]
        assert mine["relationship_id"] == str(rel_id)
        assert mine["specialization"] == "General Practice"
        assert mine["kind"] == "care"
        assert mine["valid_until"] is not None
        assert by_provider[str(emergency.id)]["kind"] == "emergency"

    def test_providers_cannot_list_a_care_team(self, client, provider):
        assert client.get("/api/care-team", headers=provider.headers).status_code == 403


class TestEndCare:
    def test_patient_ends_consent_and_access_stops(self, app, client, patient, provider, care_link):
        rel_id = care_link(provider, patient)
        response = client.delete(f"/api/care-team/{provider.id}", headers=patient.headers)
        assert response.status_code == 204
        rel = get_row(app, ProviderPatientRelationship, rel_id)
        assert rel.ended_at is not None
        assert rel.ended_by_id == patient.id
        [row] = audit_rows(app, AuditAction.CARE_RELATIONSHIP_ENDED)
        assert (row.resource_id, row.patient_id) == (str(rel_id), patient.id)
        assert (
            client.get(f"/api/patients/{patient.id}", headers=provider.headers).status_code == 404
        )
        again = client.delete(f"/api/care-team/{provider.id}", headers=patient.headers)
        assert again.status_code == 404

    def test_cannot_end_another_patients_relationship(
        self, app, client, patient, provider, signed_in, care_link
    ):
        other = signed_in(role="patient")
        rel_id = care_link(provider, other)
        response = client.delete(f"/api/care-team/{provider.id}", headers=patient.headers)
        assert response.status_code == 404
        assert get_row(app, ProviderPatientRelationship, rel_id).ended_at is None


class TestPatientsOfAProvider:
    def test_lists_only_patients_with_active_relationships(
        self, client, provider, signed_in, make_user, care_link
    ):
        alice = make_user(role="patient", first_name="Alice", last_name="Morgan")
        bob = make_user(role="patient", first_name="Bob", last_name="Chen")
        care_link(provider, alice)
        care_link(provider, bob, kind="emergency", valid_until=utcnow() + timedelta(hours=1))
        care_link(provider, make_user(role="patient"), ended_at=PAST)
        care_link(provider, make_user(role="patient"), valid_until=PAST)
        care_link(signed_in(role="provider"), make_user(role="patient"))
        care_link(provider, alice, kind="emergency", valid_until=utcnow() + timedelta(hours=1))

        response = client.get("/api/patients", headers=provider.headers)
        assert response.status_code == 200
        assert [item["id"] for item in response.get_json()["items"]] == [str(bob.id), str(alice.id)]
        filtered = client.get("/api/patients?q=ali", headers=provider.headers).get_json()
        assert [item["first_name"] for item in filtered["items"]] == ["Alice"]

    @pytest.mark.parametrize("role", ["patient", "admin"])
    def test_only_providers_list_patients(self, client, signed_in, role):
        assert client.get("/api/patients", headers=signed_in(role=role).headers).status_code == 403


class TestPatientSummary:
    def test_provider_in_care_reads_the_summary_and_it_is_audited(
        self, app, client, patient, provider, care_link
    ):
        client.patch(
            "/api/users/me",
            json={"health_conditions": ["asthma"], "timezone": "Europe/Paris", "phone": "123456"},
            headers=patient.headers,
        )
        care_link(provider, patient, valid_until=utcnow() + timedelta(days=3))
        response = client.get(f"/api/patients/{patient.id}", headers=provider.headers)
        assert response.status_code == 200
        body = response.get_json()
        assert body["health_conditions"] == ["asthma"]
        assert body["timezone"] == "Europe/Paris"
        assert body["relationship_kind"] == "care"
        assert body["relationship_valid_until"] is not None
        assert "phone" not in body
        assert "email" not in body
        [row] = audit_rows(app, AuditAction.PROVIDER_VIEW_PATIENT)
        assert (row.actor_id, row.patient_id, row.severity) == (
            provider.id,
            patient.id,
            AuditSeverity.INFO,
        )

    @pytest.mark.parametrize(
        "link",
        [
            None,
            {"ended_at": PAST},
            {"valid_until": PAST},
            {"kind": "emergency", "valid_until": PAST},
            {"valid_from": utcnow() + timedelta(days=1)},
        ],
    )
    def test_without_an_active_relationship_it_is_404_and_audited(
        self, app, client, patient, provider, care_link, link
    ):
        if link is not None:
            care_link(provider, patient, **link)
        response = client.get(f"/api/patients/{patient.id}", headers=provider.headers)
        assert response.status_code == 404
        [row] = audit_rows(app, AuditAction.ACCESS_DENIED)
        assert (row.actor_id, row.patient_id, row.resource_type) == (
            provider.id,
            patient.id,
            "patient",
        )
        assert audit_rows(app, AuditAction.PROVIDER_VIEW_PATIENT) == []

    def test_admin_reads_any_patient(self, app, client, patient, admin):
        response = client.get(f"/api/patients/{patient.id}", headers=admin.headers)
        assert response.status_code == 200
        assert response.get_json()["relationship_kind"] is None
        [row] = audit_rows(app, AuditAction.PROVIDER_VIEW_PATIENT)
        assert row.actor_id == admin.id

    def test_a_provider_id_is_not_a_patient(self, client, admin, provider):
        assert client.get(f"/api/patients/{provider.id}", headers=admin.headers).status_code == 404

    def test_patients_cannot_use_the_provider_view(self, client, patient):
        response = client.get(f"/api/patients/{patient.id}", headers=patient.headers)
        assert response.status_code == 403


class TestAdminRelationships:
    def test_admin_creates_and_ends_a_relationship(self, app, client, admin, patient, provider):
        response = client.post(
            "/api/admin/relationships",
            json={"provider_id": str(provider.id), "patient_id": str(patient.id), "reason": "x"},
            headers=admin.headers,
        )
        assert response.status_code == 201, response.get_json()
        rel_id = response.get_json()["id"]
        assert response.get_json()["granted_by_id"] == str(admin.id)
        [created] = audit_rows(app, AuditAction.ADMIN_CREATE_RELATIONSHIP)
        assert (created.actor_id, created.patient_id) == (admin.id, patient.id)
        assert (
            client.get(f"/api/patients/{patient.id}", headers=provider.headers).status_code == 200
        )

        ended = client.delete(f"/api/admin/relationships/{rel_id}", headers=admin.headers)
        assert ended.status_code == 204
        [end_row] = audit_rows(app, AuditAction.ADMIN_END_RELATIONSHIP)
        assert (end_row.resource_id, end_row.patient_id) == (rel_id, patient.id)
        assert (
            client.get(f"/api/patients/{patient.id}", headers=provider.headers).status_code == 404
        )
        again = client.delete(f"/api/admin/relationships/{rel_id}", headers=admin.headers)
        assert again.status_code == 409

    def test_duplicate_active_care_is_a_conflict(self, client, admin, patient, provider, care_link):
        care_link(provider, patient)
        response = client.post(
            "/api/admin/relationships",
            json={"provider_id": str(provider.id), "patient_id": str(patient.id)},
            headers=admin.headers,
        )
        assert response.status_code == 409

    def test_parties_must_have_the_right_roles(self, client, admin, patient, provider):
        swapped = {"provider_id": str(patient.id), "patient_id": str(provider.id)}
        response = client.post("/api/admin/relationships", json=swapped, headers=admin.headers)
        assert response.status_code == 404

    def test_unknown_relationship_is_404(self, client, admin):
        response = client.delete(
            "/api/admin/relationships/00000000-0000-0000-0000-000000000001", headers=admin.headers
        )
        assert response.status_code == 404

    @pytest.mark.parametrize("role", ["patient", "provider"])
    def test_only_admins(self, client, signed_in, patient, provider, care_link, role):
        rel_id = care_link(provider, patient)
        headers = signed_in(role=role).headers
        body = {"provider_id": str(provider.id), "patient_id": str(patient.id)}
        assert (
            client.post("/api/admin/relationships", json=body, headers=headers).status_code == 403
        )
        assert (
            client.delete(f"/api/admin/relationships/{rel_id}", headers=headers).status_code == 403
        )


class TestEmergencyAccess:
    def url(self, patient) -> str:
        return f"/api/patients/{patient.id}/emergency-access"

    def test_break_glass_grants_time_limited_access(self, app, client, patient, provider):
        assert (
            client.get(f"/api/patients/{patient.id}", headers=provider.headers).status_code == 404
        )
        before = utcnow()
        response = client.post(
            self.url(patient), json={"reason": "Unconscious in A&E"}, headers=provider.headers
        )
        assert response.status_code == 201, response.get_json()
        body = response.get_json()
        assert body["kind"] == "emergency"
        valid_until = datetime.fromisoformat(body["valid_until"])
        assert before + timedelta(minutes=59) < valid_until <= utcnow() + timedelta(minutes=60)

        [row] = audit_rows(app, AuditAction.PROVIDER_EMERGENCY_ACCESS)
        assert (row.actor_id, row.patient_id, row.severity) == (
            provider.id,
            patient.id,
            AuditSeverity.HIGH,
        )
        assert [n.kind for n in notifications_for(app, patient)] == ["emergency_access"]

        summary = client.get(f"/api/patients/{patient.id}", headers=provider.headers)
        assert summary.status_code == 200
        assert summary.get_json()["relationship_kind"] == "emergency"
        [view] = audit_rows(app, AuditAction.PROVIDER_VIEW_PATIENT)
        assert view.severity == AuditSeverity.HIGH

    def test_duration_comes_from_settings(self, app, client, patient, provider, monkeypatch):
        monkeypatch.setattr(app.extensions["healix_settings"], "emergency_access_minutes", 5)
        response = client.post(self.url(patient), json={"reason": "x"}, headers=provider.headers)
        valid_until = datetime.fromisoformat(response.get_json()["valid_until"])
        assert valid_until <= utcnow() + timedelta(minutes=5)

    def test_after_expiry_access_is_refused_again(self, app, client, patient, provider, care_link):
        care_link(provider, patient, kind="emergency", valid_until=PAST)
        response = client.get(f"/api/patients/{patient.id}", headers=provider.headers)
        assert response.status_code == 404
        assert len(audit_rows(app, AuditAction.ACCESS_DENIED)) == 1
        renewed = client.post(self.url(patient), json={"reason": "x"}, headers=provider.headers)
        assert renewed.status_code == 201

    def test_existing_access_is_a_conflict(self, client, patient, provider, care_link):
        care_link(provider, patient)
        response = client.post(self.url(patient), json={"reason": "x"}, headers=provider.headers)
        assert response.status_code == 409

    @pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}, {"reason": None}])
    def test_reason_is_required(self, client, patient, provider, body):
        response = client.post(self.url(patient), json=body, headers=provider.headers)
        assert response.status_code == 422

    def test_unknown_patient_is_404_and_audited(self, app, client, provider, admin):
        for target in ["00000000-0000-0000-0000-000000000001", str(admin.id)]:
            response = client.post(
                f"/api/patients/{target}/emergency-access",
                json={"reason": "x"},
                headers=provider.headers,
            )
            assert response.status_code == 404
        assert len(audit_rows(app, AuditAction.ACCESS_DENIED)) == 2

    @pytest.mark.parametrize("role", ["patient", "admin"])
    def test_only_providers(self, client, signed_in, patient, role):
        headers = signed_in(role=role).headers
        response = client.post(self.url(patient), json={"reason": "x"}, headers=headers)
        assert response.status_code == 403


def test_concurrent_grants_create_one_relationship(app, patient, provider):
    def grant(client):
        return client.post(
            "/api/care-team", json={"provider_id": str(provider.id)}, headers=patient.headers
        )

    statuses = statuses_in_parallel(app, [grant] * 4)

    assert sorted(statuses) == [201, 409, 409, 409]
    assert len(audit_rows(app, AuditAction.CARE_RELATIONSHIP_GRANTED)) == 1
