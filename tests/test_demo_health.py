"""The demo data loads once, quickly enough for `make run`, and a second run changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from healix.config import current_settings
from healix.demo import DEMO_PASSWORD, seed_demo
from healix.models.alert import Alert
from healix.models.biomarker import BiomarkerReading
from healix.models.device import Device
from healix.models.goal import Goal
from healix.models.goal_progress_entry import GoalProgressEntry


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
