"""/api/users/me and the provider directory."""

from __future__ import annotations

import pytest

from healix.audit.events import AuditAction
from healix.models.profile import NOTIFICATION_DEFAULTS, Profile
from healix.models.user import User, UserStatus
from tests.concurrency import statuses_in_parallel
from tests.factories.audit import audit_rows
from tests.factories.db import get_row


class TestGetMe:
    def test_defaults_before_any_profile_was_saved(self, client, patient):
        response = client.get("/api/users/me", headers=patient.headers)
        assert response.status_code == 200
        body = response.get_json()
        assert body["id"] == str(patient.id)
        assert body["email"] == patient.user.email
        assert body["timezone"] == "UTC"
        assert body["health_conditions"] == []
        assert body["preferences"] == {
            "units": "metric",
            "notifications": {
                "email": True,
                "in_app": True,
                "email_appointments": True,
                "email_reminders": True,
                "email_alerts": True,
                "email_prescriptions": True,
            },
        }
        assert "password_hash" not in body

    def test_requires_a_token(self, client):
        assert client.get("/api/users/me").status_code == 401


class TestUpdateMe:
    def test_patient_updates_names_and_profile(self, app, client, patient):
        body = {
            "first_name": "Alicia",
            "date_of_birth": "1990-04-01",
            "gender": "female",
            "phone": "+44 20 7946 0000",
            "health_conditions": ["asthma", "hypertension"],
            "timezone": "Europe/London",
            "preferences": {"units": "imperial", "notifications": {"email": False}},
        }
        response = client.patch("/api/users/me", json=body, headers=patient.headers)
        assert response.status_code == 200, response.get_json()
        data = response.get_json()
        assert data["first_name"] == "Alicia"
        assert data["timezone"] == "Europe/London"
        assert data["health_conditions"] == ["asthma", "hypertension"]
        assert data["preferences"] == {
            "units": "imperial",
            "notifications": NOTIFICATION_DEFAULTS | {"email": False},
        }
        assert get_row(app, User, patient.id).first_name == "Alicia"
        profile = get_row(app, Profile, patient.id)
        assert profile.date_of_birth.isoformat() == "1990-04-01"
        assert client.get("/api/users/me", headers=patient.headers).get_json() == data

    def test_audit_names_the_changed_fields_only(self, app, client, patient):
        client.patch("/api/users/me", json={"timezone": "Asia/Tokyo"}, headers=patient.headers)
        response = client.patch(
            "/api/users/me",
            json={"timezone": "Asia/Tokyo", "gender": "male", "last_name": patient.user.last_name},
            headers=patient.headers,
        )
        assert response.status_code == 200
        rows = audit_rows(app, AuditAction.USER_UPDATE_PROFILE)
        assert [row.details["fields"] for row in rows] == [["timezone"], ["gender"]]
        assert rows[0].actor_id == patient.id
        assert rows[0].patient_id == patient.id

    def test_no_change_writes_no_audit_row(self, app, client, patient):
        response = client.patch("/api/users/me", json={}, headers=patient.headers)
        assert response.status_code == 200
        assert audit_rows(app, AuditAction.USER_UPDATE_PROFILE) == []

    def test_notification_preferences_merge_key_by_key(self, client, patient):
        client.patch(
            "/api/users/me",
            json={"preferences": {"notifications": {"email_reminders": False}}},
            headers=patient.headers,
        )
        response = client.patch(
            "/api/users/me",
            json={"preferences": {"notifications": {"email": False}}},
            headers=patient.headers,
        )
        assert response.get_json()["preferences"] == {
            "units": "metric",
            "notifications": NOTIFICATION_DEFAULTS | {"email": False, "email_reminders": False},
        }

    def test_clearing_a_nullable_field(self, client, patient):
        client.patch("/api/users/me", json={"gender": "female"}, headers=patient.headers)
        response = client.patch("/api/users/me", json={"gender": None}, headers=patient.headers)
        assert response.status_code == 200
        assert response.get_json()["gender"] is None

    def test_provider_sets_specialization_and_licence(self, app, client, provider):
        response = client.patch(
            "/api/users/me",
            json={"specialization": "Endocrinology", "licence_number": "GMC-9"},
            headers=provider.headers,
        )
        assert response.status_code == 200
        assert response.get_json()["specialization"] == "Endocrinology"
        user = get_row(app, User, provider.id)
        assert (user.specialization, user.licence_number) == ("Endocrinology", "GMC-9")
        [row] = audit_rows(app, AuditAction.USER_UPDATE_PROFILE)
        assert row.details["fields"] == ["licence_number", "specialization"]
        assert row.patient_id is None

    @pytest.mark.parametrize("field", ["specialization", "licence_number"])
    def test_patient_may_not_send_provider_fields(self, app, client, patient, field):
        response = client.patch("/api/users/me", json={field: "X-1"}, headers=patient.headers)
        assert response.status_code == 422
        assert response.get_json()["errors"][0]["loc"] == field
        assert get_row(app, User, patient.id).specialization is None

    @pytest.mark.parametrize(
        "body",
        [
            {"role": "admin"},
            {"status": "inactive"},
            {"email": "other@example.com"},
            {"email_verified_at": "2026-01-01T00:00:00+00:00"},
            {"id": "00000000-0000-0000-0000-000000000000"},
            {"password_hash": "x"},
            {"working_hours": {}},
        ],
    )
    def test_forbidden_fields_are_refused(self, app, client, patient, body):
        response = client.patch("/api/users/me", json=body, headers=patient.headers)
        assert response.status_code == 422
        user = get_row(app, User, patient.id)
        assert (user.role, user.status) == ("patient", UserStatus.ACTIVE)

    @pytest.mark.parametrize(
        "body",
        [
            {"timezone": "Mars/Olympus_Mons"},
            {"timezone": None},
            {"first_name": ""},
            {"first_name": None},
            {"health_conditions": None},
            {"health_conditions": [""]},
            {"date_of_birth": "2999-01-01"},
            {"preferences": {"units": "cubits"}},
            {"preferences": {"notifications": {"email": "sometimes"}}},
            {"preferences": {"notifications": {"Bad Key": True}}},
            {"preferences": {"colour": "blue"}},
            {"phone": "call me"},
            {"gender": ""},
        ],
    )
    def test_invalid_values_are_422(self, client, patient, body):
        response = client.patch("/api/users/me", json=body, headers=patient.headers)
        assert response.status_code == 422, body
        assert response.mimetype == "application/problem+json"


class TestProviderDirectory:
    def test_lists_active_providers_without_contact_details(self, client, patient, make_user):
        grey = make_user(role="provider", first_name="Meredith", last_name="Grey")
        make_user(role="provider", first_name="Old", last_name="Timer", status="inactive")
        make_user(role="patient", first_name="Not", last_name="AProvider")
        response = client.get("/api/providers", headers=patient.headers)
        assert response.status_code == 200
        items = response.get_json()["items"]
        assert [item["id"] for item in items] == [str(grey.id)]
        assert set(items[0]) == {"id", "first_name", "last_name", "specialization"}

    def test_filters_by_name_and_specialization(self, client, patient, make_user):
        make_user(role="provider", first_name="Meredith", last_name="Grey")
        house = make_user(
            role="provider", first_name="Gregory", last_name="House", specialization="Diagnostics"
        )
        by_name = client.get("/api/providers?q=hOuS", headers=patient.headers).get_json()
        assert [item["id"] for item in by_name["items"]] == [str(house.id)]
        by_field = client.get(
            "/api/providers?specialization=diagnostics", headers=patient.headers
        ).get_json()
        assert [item["id"] for item in by_field["items"]] == [str(house.id)]
        wildcard = client.get("/api/providers?q=%25", headers=patient.headers).get_json()
        assert wildcard["items"] == []

    def test_pages_by_name(self, client, provider, make_user):
        for name in ["Bravo", "Alpha", "Charlie"]:
            make_user(role="provider", first_name="Dr", last_name=name)
        first = client.get("/api/providers?limit=2", headers=provider.headers).get_json()
        names = [item["last_name"] for item in first["items"]]
        assert names == ["Alpha", "Bravo"]
        second = client.get(
            f"/api/providers?limit=2&cursor={first['next_cursor']}", headers=provider.headers
        ).get_json()
        assert [item["last_name"] for item in second["items"]] == ["Charlie", "Tester"]
        assert second["next_cursor"] is None

    def test_requires_sign_in(self, client):
        assert client.get("/api/providers").status_code == 401


def test_concurrent_first_writes_share_one_profile_row(app, patient):
    """Several first PATCHes race to create the profile row; none of them fails."""
    zones = ["Europe/London", "Asia/Tokyo", "America/Chicago", "Africa/Lagos"]
    statuses = statuses_in_parallel(
        app,
        [
            lambda client, z=zone_name: client.patch(
                "/api/users/me", json={"timezone": z}, headers=patient.headers
            )
            for zone_name in zones
        ],
    )

    assert statuses == [200] * len(zones)
    assert get_row(app, Profile, patient.id).timezone in zones
