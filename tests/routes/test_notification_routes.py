"""In-app notifications: each user sees and changes only their own."""

from __future__ import annotations

import pytest

from healix.audit.events import AuditAction
from healix.models.notification import Notification
from tests.factories.audit import audit_rows
from tests.factories.db import get_row
from tests.factories.notifications import make_notification


def ids(response) -> list[str]:
    return [item["id"] for item in response.get_json()["items"]]


class TestListNotifications:
    def test_only_own_newest_first(self, app, client, patient, provider):
        older = make_notification(app, user=patient, title="First")
        newer = make_notification(app, user=patient, title="Second", data={"x_id": "1"})
        make_notification(app, user=provider)
        response = client.get("/api/notifications", headers=patient.headers)
        assert response.status_code == 200
        assert ids(response) == [str(newer), str(older)]
        item = response.get_json()["items"][0]
        assert set(item) == {
            "id",
            "kind",
            "title",
            "body",
            "data",
            "status",
            "created_at",
            "read_at",
        }
        assert item["data"] == {"x_id": "1"}

    def test_filters_by_status(self, app, client, patient):
        unread = make_notification(app, user=patient)
        read = make_notification(app, user=patient, status="read")
        dismissed = make_notification(app, user=patient, status="dismissed")
        for status, expected in [("unread", unread), ("read", read), ("dismissed", dismissed)]:
            response = client.get(f"/api/notifications?status={status}", headers=patient.headers)
            assert ids(response) == [str(expected)]
        bad = client.get("/api/notifications?status=archived", headers=patient.headers)
        assert bad.status_code == 422

    def test_pages(self, app, client, patient):
        made = [make_notification(app, user=patient) for _ in range(3)]
        first = client.get("/api/notifications?limit=2", headers=patient.headers).get_json()
        second = client.get(
            f"/api/notifications?limit=2&cursor={first['next_cursor']}", headers=patient.headers
        ).get_json()
        listed = [item["id"] for item in first["items"] + second["items"]]
        assert listed == [str(n) for n in reversed(made)]

    def test_requires_sign_in(self, client):
        assert client.get("/api/notifications").status_code == 401


class TestMarkNotification:
    @pytest.mark.parametrize("status", ["read", "dismissed"])
    def test_marks_own(self, app, client, patient, status):
        notification = make_notification(app, user=patient)
        response = client.patch(
            f"/api/notifications/{notification}", json={"status": status}, headers=patient.headers
        )
        assert response.status_code == 200
        assert response.get_json()["status"] == status
        row = get_row(app, Notification, notification)
        assert row.status == status
        assert row.read_at is not None

    def test_someone_elses_is_404_and_unchanged(self, app, client, patient, provider):
        notification = make_notification(app, user=provider)
        response = client.patch(
            f"/api/notifications/{notification}", json={"status": "read"}, headers=patient.headers
        )
        assert response.status_code == 404
        assert get_row(app, Notification, notification).status == "unread"
        [row] = audit_rows(app, AuditAction.ACCESS_DENIED)
        assert (row.actor_id, row.resource_type) == (patient.id, "notification")

    @pytest.mark.parametrize(
        "body", [{"status": "unread"}, {"status": "gone"}, {}, {"status": "read", "title": "x"}]
    )
    def test_invalid_body_is_422(self, app, client, patient, body):
        notification = make_notification(app, user=patient)
        response = client.patch(
            f"/api/notifications/{notification}", json=body, headers=patient.headers
        )
        assert response.status_code == 422


class TestReadAll:
    def test_marks_only_own_unread(self, app, client, patient, provider):
        mine = [make_notification(app, user=patient) for _ in range(2)]
        dismissed = make_notification(app, user=patient, status="dismissed")
        theirs = make_notification(app, user=provider)
        response = client.post("/api/notifications/read-all", headers=patient.headers)
        assert response.status_code == 200
        assert response.get_json() == {"updated": 2}
        assert {get_row(app, Notification, n).status for n in mine} == {"read"}
        assert get_row(app, Notification, dismissed).status == "dismissed"
        assert get_row(app, Notification, theirs).status == "unread"
        again = client.post("/api/notifications/read-all", headers=patient.headers)
        assert again.get_json() == {"updated": 0}


def test_events_reach_the_right_inbox(app, client, patient, provider, care_link):
    """A prescription written for the patient shows up in their inbox, not the provider's."""
    care_link(provider, patient)
    client.post(
        "/api/prescriptions",
        json={
            "patient_id": str(patient.id),
            "medication_name": "Amoxicillin",
            "dosage": "500 mg",
            "quantity": 21,
            "start_date": "2026-01-01",
        },
        headers=provider.headers,
    )
    inbox = client.get("/api/notifications", headers=patient.headers).get_json()["items"]
    assert [item["kind"] for item in inbox] == ["prescription_written"]
    assert "Amoxicillin" not in str(inbox)
    provider_inbox = client.get("/api/notifications", headers=provider.headers).get_json()
    assert provider_inbox["items"] == []
