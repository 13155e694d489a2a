"""Alerts: raised during ingestion (dedup, escalation, notifications) and handled by users."""

from __future__ import annotations

from datetime import timedelta

import pytest

from healix.audit.events import AuditAction
from healix.models.alert import Alert
from healix.models.notification import Notification
from healix.utils.time import utcnow
from tests.concurrency import statuses_in_parallel
from tests.factories.audit import audit_rows
from tests.factories.db import count
from tests.factories.devices import at, ingest, reading, register_device


@pytest.fixture
def device_key(client, patient):
    return register_device(client, patient)[1]


def open_alerts(session, patient_id):
    return (
        session.query(Alert)
        .filter_by(patient_id=patient_id, status="open")
        .order_by(Alert.created_at)
        .all()
    )


def notifications(session, user_id):
    return session.query(Notification).filter_by(user_id=user_id).all()


class TestRaising:
    def test_warning_breach_opens_alert_and_notifies_patient(
        self, client, dbs, patient, provider, care_link, device_key
    ):
        care_link(provider, patient)
        response = ingest(client, device_key, [reading(value=120), reading(value=80)])
        assert response.get_json()["alerts_created"] == 1
        with dbs() as session:
            (alert,) = open_alerts(session, patient.id)
            assert (alert.biomarker_type, alert.severity) == ("heart_rate", "warning")
            assert alert.threshold_value == 110
            assert alert.observed_value == alert.last_value == 120
            assert alert.occurrences == 1
            assert "above the warning limit of 110" in alert.message
            (note,) = notifications(session, patient.id)
            assert note.kind == "biomarker_alert"
            assert note.data == {"alert_id": str(alert.id), "biomarker_type": "heart_rate"}
            assert "120" not in (note.title + (note.body or ""))
            assert notifications(session, provider.id) == []

    def test_repeated_breaches_count_on_one_alert(self, client, dbs, patient, device_key):
        first = ingest(client, device_key, [reading(value=115, timestamp=at(30))])
        assert first.get_json()["alerts_created"] == 1
        second = ingest(
            client,
            device_key,
            [reading(value=118, timestamp=at(20)), reading(value=112, timestamp=at(10))],
        )
        assert second.get_json()["alerts_created"] == 0
        with dbs() as session:
            (alert,) = open_alerts(session, patient.id)
            assert alert.occurrences == 3
            assert alert.observed_value == 115
            assert alert.last_value == 112
            assert alert.last_seen_at > alert.first_seen_at
            assert len(notifications(session, patient.id)) == 1

    def test_late_older_reading_does_not_replace_last_value(self, client, dbs, patient, device_key):
        ingest(client, device_key, [reading(value=115, timestamp=at(5))])
        ingest(client, device_key, [reading(value=125, timestamp=at(50))])
        with dbs() as session:
            (alert,) = open_alerts(session, patient.id)
            assert alert.last_value == 115
            assert alert.occurrences == 2
            assert alert.last_seen_at - alert.first_seen_at == pytest.approx(
                timedelta(minutes=45), abs=timedelta(seconds=5)
            )

    def test_critical_escalates_open_warning_in_place(
        self, client, dbs, patient, provider, care_link, device_key
    ):
        care_link(provider, patient)
        ingest(client, device_key, [reading(value=115, timestamp=at(30))])
        response = ingest(client, device_key, [reading(value=150, timestamp=at(10))])
        assert response.get_json()["alerts_created"] == 0
        with dbs() as session:
            (alert,) = open_alerts(session, patient.id)
            assert alert.severity == "critical"
            assert alert.threshold_value == 140
            assert alert.observed_value == 150
            assert alert.occurrences == 2
            assert len(notifications(session, patient.id)) == 2
            (provider_note,) = notifications(session, provider.id)
            assert provider_note.data["alert_id"] == str(alert.id)
            assert provider_note.data["patient_id"] == str(patient.id)
        later = ingest(client, device_key, [reading(value=120), reading(value=145)])
        assert later.get_json()["alerts_created"] == 0
        with dbs() as session:
            (alert,) = open_alerts(session, patient.id)
            assert alert.occurrences == 4
            assert len(notifications(session, provider.id)) == 1

    def test_critical_notifies_only_active_care_providers(
        self, client, dbs, patient, signed_in, care_link, device_key
    ):
        caring = signed_in(role="provider")
        ended = signed_in(role="provider")
        emergency = signed_in(role="provider")
        care_link(caring, patient)
        care_link(ended, patient, ended_at=utcnow() - timedelta(hours=1))
        care_link(emergency, patient, kind="emergency", valid_until=utcnow() + timedelta(hours=1))
        response = ingest(client, device_key, [reading("spo2", 85, "%")])
        assert response.get_json()["alerts_created"] == 1
        with dbs() as session:
            (alert,) = open_alerts(session, patient.id)
            assert alert.severity == "critical"
            assert len(notifications(session, caring.id)) == 1
            assert notifications(session, ended.id) == []
            assert notifications(session, emergency.id) == []
            assert len(notifications(session, patient.id)) == 1

    def test_one_alert_per_type_in_a_batch(self, client, dbs, patient, device_key):
        readings = [
            reading(value=45),
            reading(value=35),
            reading("body_temperature", 38.5, "Cel"),
            reading("body_temperature", 101.5, "[degF]"),
            reading("steps", 99_000, "{steps}"),
        ]
        response = ingest(client, device_key, readings)
        assert response.get_json()["alerts_created"] == 2
        with dbs() as session:
            alerts = {a.biomarker_type: a for a in open_alerts(session, patient.id)}
            assert set(alerts) == {"heart_rate", "body_temperature"}
            assert alerts["heart_rate"].severity == "critical"
            assert alerts["heart_rate"].occurrences == 2
            assert alerts["heart_rate"].observed_value == 35
            assert "below the critical limit of 40" in alerts["heart_rate"].message
            assert alerts["body_temperature"].severity == "warning"
            assert alerts["body_temperature"].occurrences == 2

    def test_personal_thresholds_apply(self, client, patient, device_key):
        client.put(
            "/api/biomarkers/thresholds/heart_rate",
            json={"warning_max": 90, "critical_max": 100},
            headers=patient.headers,
        )
        response = ingest(client, device_key, [reading(value=95)])
        assert response.get_json()["alerts_created"] == 1

    def test_faulty_readings_never_alert(self, client, dbs, patient, device_key):
        response = ingest(client, device_key, [reading(value=300), reading("spo2", 20, "%")])
        assert response.get_json() == {
            "accepted": 0,
            "faulty": 2,
            "duplicates": 0,
            "alerts_created": 0,
        }
        with dbs() as session:
            assert count(session, Alert) == 0

    def test_duplicates_do_not_count_again(self, client, dbs, patient, device_key):
        readings = [reading(value=120)]
        ingest(client, device_key, readings)
        ingest(client, device_key, readings)
        with dbs() as session:
            (alert,) = open_alerts(session, patient.id)
            assert alert.occurrences == 1

    def test_handled_alert_lets_a_new_one_open(self, client, dbs, patient, device_key):
        ingest(client, device_key, [reading(value=120)])
        with dbs() as session:
            (alert,) = open_alerts(session, patient.id)
            alert_id = alert.id
        client.patch(
            f"/api/alerts/{alert_id}", json={"status": "resolved"}, headers=patient.headers
        )
        again = ingest(client, device_key, [reading(value=121)])
        assert again.get_json()["alerts_created"] == 1

    def test_manual_entries_raise_alerts(self, client, patient):
        response = client.post(
            "/api/biomarkers", json=reading("blood_glucose", 2.5, "mmol/L"), headers=patient.headers
        )
        assert response.get_json()["alerts_created"] == 1

    def test_concurrent_batches_open_one_alert(self, app, dbs, patient, device_key):
        results = statuses_in_parallel(
            app,
            [
                lambda client, v=120 + n: ingest(client, device_key, [reading(value=v)])
                for n in range(4)
            ],
        )
        assert results == [201] * 4
        with dbs() as session:
            (alert,) = open_alerts(session, patient.id)
            assert alert.occurrences == 4


class TestListing:
    def test_patient_sees_own_with_filters(self, client, patient, signed_in, device_key):
        other = signed_in(role="patient")
        _, other_key = register_device(client, other)
        ingest(client, other_key, [reading(value=150)])
        ingest(client, device_key, [reading(value=120), reading("spo2", 85, "%")])
        items = client.get("/api/alerts", headers=patient.headers).get_json()["items"]
        assert {item["biomarker_type"] for item in items} == {"heart_rate", "spo2"}
        assert all(item["patient_id"] == str(patient.id) for item in items)
        critical = client.get("/api/alerts?severity=critical", headers=patient.headers).get_json()
        assert [item["biomarker_type"] for item in critical["items"]] == ["spo2"]
        open_only = client.get(
            "/api/alerts?status=open&limit=1", headers=patient.headers
        ).get_json()
        assert len(open_only["items"]) == 1
        assert open_only["next_cursor"]
        assert client.get("/api/alerts?severity=bad", headers=patient.headers).status_code == 422

    def test_provider_sees_patients_in_care_only(
        self, client, dbs, patient, provider, signed_in, care_link, device_key
    ):
        stranger = signed_in(role="patient")
        _, stranger_key = register_device(client, stranger)
        ingest(client, stranger_key, [reading(value=150)])
        ingest(client, device_key, [reading(value=150)])
        care_link(provider, patient)
        items = client.get("/api/alerts", headers=provider.headers).get_json()["items"]
        assert [item["patient_id"] for item in items] == [str(patient.id)]
        scoped = client.get(f"/api/alerts?patient_id={patient.id}", headers=provider.headers)
        assert len(scoped.get_json()["items"]) == 1
        refused = client.get(f"/api/alerts?patient_id={stranger.id}", headers=provider.headers)
        assert refused.status_code == 404
        with dbs() as session:
            viewed = audit_rows(
                session, AuditAction.PROVIDER_VIEW_HEALTH_DATA, actor_id=provider.id
            )
            assert len(viewed) == 2
            denied = audit_rows(session, AuditAction.ACCESS_DENIED, actor_id=provider.id)
            assert len(denied) == 1

    def test_admin_sees_all(self, client, admin, patient, signed_in, device_key):
        other = signed_in(role="patient")
        _, other_key = register_device(client, other)
        ingest(client, other_key, [reading(value=150)])
        ingest(client, device_key, [reading(value=150)])
        items = client.get("/api/alerts", headers=admin.headers).get_json()["items"]
        assert len(items) == 2

    def test_requires_sign_in(self, client):
        assert client.get("/api/alerts").status_code == 401


class TestUpdating:
    def _alert_id(self, client, dbs, patient, device_key, value=150):
        ingest(client, device_key, [reading(value=value)])
        with dbs() as session:
            return str(open_alerts(session, patient.id)[0].id)

    def test_acknowledge_then_resolve(self, client, dbs, patient, device_key):
        alert_id = self._alert_id(client, dbs, patient, device_key)
        ack = client.patch(
            f"/api/alerts/{alert_id}",
            json={"status": "acknowledged", "note": "Resting now"},
            headers=patient.headers,
        )
        assert ack.status_code == 200, ack.get_json()
        body = ack.get_json()
        assert body["status"] == "acknowledged"
        assert body["status_note"] == "Resting now"
        assert body["status_changed_by_id"] == str(patient.id)
        assert body["status_changed_at"]
        assert body["resolved_at"] is None
        resolved = client.patch(
            f"/api/alerts/{alert_id}", json={"status": "resolved"}, headers=patient.headers
        )
        assert resolved.get_json()["resolved_at"]
        with dbs() as session:
            rows = audit_rows(session, AuditAction.ALERT_UPDATED, resource_id=alert_id)
            assert [(r.details["from_status"], r.details["to_status"]) for r in rows] == [
                ("open", "acknowledged"),
                ("acknowledged", "resolved"),
            ]
            assert "Resting" not in str(rows[0].details)

    def test_final_states_cannot_change(self, client, patient, dbs, device_key):
        alert_id = self._alert_id(client, dbs, patient, device_key)
        client.patch(
            f"/api/alerts/{alert_id}", json={"status": "dismissed"}, headers=patient.headers
        )
        again = client.patch(
            f"/api/alerts/{alert_id}", json={"status": "acknowledged"}, headers=patient.headers
        )
        assert again.status_code == 409

    @pytest.mark.parametrize("body", [{"status": "open"}, {"status": "gone"}, {}])
    def test_invalid_status_is_422(self, client, patient, dbs, device_key, body):
        alert_id = self._alert_id(client, dbs, patient, device_key)
        response = client.patch(f"/api/alerts/{alert_id}", json=body, headers=patient.headers)
        assert response.status_code == 422

    def test_provider_in_care_can_update(
        self, client, dbs, patient, provider, care_link, device_key
    ):
        care_link(provider, patient)
        alert_id = self._alert_id(client, dbs, patient, device_key)
        response = client.patch(
            f"/api/alerts/{alert_id}", json={"status": "acknowledged"}, headers=provider.headers
        )
        assert response.status_code == 200
        assert response.get_json()["status_changed_by_id"] == str(provider.id)

    def test_not_visible_is_404_and_audited(self, client, dbs, patient, signed_in, device_key):
        alert_id = self._alert_id(client, dbs, patient, device_key)
        for user in (signed_in(role="patient"), signed_in(role="provider")):
            response = client.patch(
                f"/api/alerts/{alert_id}", json={"status": "dismissed"}, headers=user.headers
            )
            assert response.status_code == 404
        with dbs() as session:
            assert len(audit_rows(session, AuditAction.ACCESS_DENIED, resource_id=alert_id)) == 2
            assert open_alerts(session, patient.id)[0].status == "open"
