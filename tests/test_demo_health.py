"""The demo data loads once, quickly enough for `make run`, and a second run changes nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from healix.config import current_settings
from healix.demo import DEMO_PASSWORD, seed_demo
from healix.models.alert import Alert
from healix.models.biomarker import BiomarkerReading
from healix.models.device import Device
from healix.models.goal import Goal
from healix.models.goal_progress_entry import GoalProgressEntry
from healix.utils.time import utcnow


def _counts(session):
    models = (Device, BiomarkerReading, Alert, Goal, GoalProgressEntry)
    return {
        model.__name__: session.scalar(select(func.count()).select_from(model)) for model in models
    }


def test_seed_demo_is_idempotent_and_fills_health_data(app, dbs, client):
    with app.app_context(), dbs() as session:
        assert seed_demo(session, settings=current_settings()) is True
    with dbs() as session:
        first = _counts(session)
        faulty = session.scalar(select(func.count()).where(BiomarkerReading.status == "faulty"))
        heart_rate = session.scalar(
            select(func.count()).where(BiomarkerReading.biomarker_type == "heart_rate")
        )
    assert first["Device"] == 3
    assert first["Alert"] == 6
    assert first["Goal"] == 9
    assert first["GoalProgressEntry"] == 12
    assert faulty == 9
    assert heart_rate > 3 * 29 * 960
    with app.app_context(), dbs() as session:
        assert seed_demo(session, settings=current_settings()) is False
    with dbs() as session:
        assert _counts(session) == first

    _demo_patient_reads_her_data(client)
    _ingestion_walk_through(client)


def _demo_patient_reads_her_data(client):
    login = client.post(
        "/api/auth/login", json={"email": "alice@healix-demo.com", "password": DEMO_PASSWORD}
    )
    headers = {"Authorization": f"Bearer {login.get_json()['access_token']}"}
    current = client.get("/api/biomarkers/current", headers=headers).get_json()
    assert {item["biomarker_type"] for item in current["readings"]} >= {"heart_rate", "steps"}
    summary = client.get("/api/biomarkers/summary?type=steps", headers=headers).get_json()
    assert summary["timezone"] == "Europe/London"
    assert sum(item["sum"] for item in summary["items"]) > 0
    goals = client.get("/api/goals", headers=headers).get_json()["items"]
    assert {goal["goal_type"] for goal in goals} == {"steps", "sleep", "water_intake"}


def _login(client, email):
    login = client.post("/api/auth/login", json={"email": email, "password": DEMO_PASSWORD})
    return {"Authorization": f"Bearer {login.get_json()['access_token']}"}


def _ingestion_walk_through(client):
    """docs/health-data.md's walk-through, on the demo data: its promised counts happen."""
    alice = _login(client, "alice@healix-demo.com")
    device = client.post(
        "/api/devices",
        json={"device_type": "smartwatch", "name": "Alice watch", "manufacturer": "Acme"},
        headers=alice,
    ).get_json()
    now = utcnow()
    batch = {
        "readings": [
            {
                "type": "heart_rate",
                "value": 72,
                "unit": "bpm",
                "timestamp": now.isoformat(),
                "external_id": "w-1",
            },
            {
                "type": "heart_rate",
                "value": 400,
                "unit": "bpm",
                "timestamp": (now - timedelta(minutes=1)).isoformat(),
            },
            {
                "type": "spo2",
                "value": 86,
                "unit": "%",
                "timestamp": (now - timedelta(minutes=2)).isoformat(),
            },
            {"type": "body_temperature", "value": 98.6, "unit": "°F", "timestamp": now.isoformat()},
        ]
    }
    key = {"X-Device-Key": device["api_key"]}
    first = client.post("/api/devices/ingest", json=batch, headers=key).get_json()
    again = client.post("/api/devices/ingest", json=batch, headers=key).get_json()
    assert first == {"accepted": 3, "alerts_created": 1, "duplicates": 0, "faulty": 1}
    assert again == {"accepted": 0, "alerts_created": 0, "duplicates": 4, "faulty": 0}
    grey = _login(client, "dr.grey@healix-demo.com")
    titles = [
        n["title"] for n in client.get("/api/notifications", headers=grey).get_json()["items"]
    ]
    assert "Critical alert for Alice Morgan: Blood oxygen saturation" in titles
