"""Goals: ownership, refusals, progress per period in the patient's time zone, manual entries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from healix.controllers import goal_controller
from healix.models.audit_log import AuditLog

URL = "/api/goals"
#: "now" for progress tests: Sunday 2026-03-08 15:00 UTC = 11:00 EDT, the day clocks sprang forward
NOW = datetime(2026, 3, 8, 15, 0, tzinfo=UTC)


@pytest.fixture
def frozen_now(monkeypatch):
    monkeypatch.setattr(goal_controller, "utcnow", lambda: NOW)
    return NOW


def _audits(dbs, action):
    with dbs() as session:
        rows = session.scalars(select(AuditLog).where(AuditLog.action == action)).all()
        return [(row.actor_id, row.resource_id, row.patient_id, row.details) for row in rows]


def _create(client, user, **fields):
    body = {"goal_type": "steps", "target_value": 8000} | fields
    response = client.post(URL, json=body, headers=user.headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


# --- create and refusals ------------------------------------------------------------------


def test_patient_creates_goal_with_defaults_and_audit(client, dbs, patient, frozen_now):
    goal = _create(client, patient)
    assert goal["unit"] == "{steps}"
    assert (goal["period"], goal["direction"], goal["status"]) == ("daily", "at_least", "active")
    assert goal["start_date"] == "2026-03-08"
    assert goal["progress"] == {
        "period_start": "2026-03-08T00:00:00Z",
        "period_end": "2026-03-09T00:00:00Z",
        "current_value": 0.0,
        "percent": 0.0,
        "achieved": False,
    }
    assert _audits(dbs, "GOAL_CREATED") == [
        (patient.id, goal["id"], patient.id, {"goal_type": "steps"})
    ]


@pytest.mark.parametrize("role", ["provider", "admin"])
def test_only_patients_create_goals(client, signed_in, role):
    user = signed_in(role=role)
    response = client.post(
        URL, json={"goal_type": "steps", "target_value": 1}, headers=user.headers
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "body",
    [
        {"goal_type": "steps", "target_value": 0},
        {"goal_type": "steps", "target_value": -5},
        {"goal_type": "flying", "target_value": 5},
        {"goal_type": "custom", "target_value": 5},
        {"goal_type": "sleep", "target_value": 8, "unit": "furlongs"},
        {"goal_type": "steps", "target_value": 5, "period": "yearly"},
        {"goal_type": "steps", "target_value": 5, "direction": "sideways"},
        {
            "goal_type": "steps",
            "target_value": 5,
            "start_date": "2026-03-10",
            "end_date": "2026-03-01",
        },
        {"goal_type": "steps", "target_value": 5, "surprise": True},
    ],
)
def test_invalid_goals_are_refused(client, patient, body):
    response = client.post(URL, json=body, headers=patient.headers)
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("get", "", None),
        ("patch", "", {"target_value": 1}),
        ("delete", "", None),
        ("get", "/progress", None),
        ("post", "/progress", {"value": 1}),
    ],
)
def test_another_patients_goal_is_not_found_and_audited(
    client, dbs, patient, signed_in, method, suffix, body
):
    goal = _create(client, patient, goal_type="water_intake", target_value=2000)
    intruder = signed_in(role="patient")
    kwargs = {"headers": intruder.headers} | ({"json": body} if body else {})
    response = getattr(client, method)(f"{URL}/{goal['id']}{suffix}", **kwargs)
    assert response.status_code == 404
    denied = _audits(dbs, "ACCESS_DENIED")
    assert [(actor, patient_id) for actor, _rid, patient_id, _d in denied] == [
        (intruder.id, patient.id)
    ]


def test_unknown_goal_is_not_found(client, patient):
    response = client.get(f"{URL}/01890000-0000-7000-8000-000000000000", headers=patient.headers)
    assert response.status_code == 404


def test_provider_in_care_reads_goals_but_cannot_change_them(
    client, dbs, patient, provider, care_link
):
    goal = _create(client, patient)
    assert client.get(f"{URL}?patient_id={patient.id}", headers=provider.headers).status_code == 404
    care_link(provider, patient)
    listed = client.get(f"{URL}?patient_id={patient.id}", headers=provider.headers)
    assert listed.status_code == 200
    assert [item["id"] for item in listed.get_json()["items"]] == [goal["id"]]
    assert client.get(f"{URL}/{goal['id']}", headers=provider.headers).status_code == 200
    patch = client.patch(f"{URL}/{goal['id']}", json={"target_value": 1}, headers=provider.headers)
    assert patch.status_code == 403
    assert len(_audits(dbs, "PROVIDER_VIEW_HEALTH_DATA")) == 2


def test_goal_list_pages_and_filters_by_status(client, patient):
    ids = [_create(client, patient, target_value=1000 + n)["id"] for n in range(3)]
    client.patch(f"{URL}/{ids[0]}", json={"status": "paused"}, headers=patient.headers)
    first = client.get(f"{URL}?limit=2", headers=patient.headers).get_json()
    second = client.get(
        f"{URL}?limit=2&cursor={first['next_cursor']}", headers=patient.headers
    ).get_json()
    assert [g["id"] for g in first["items"] + second["items"]] == ids[::-1]
    paused = client.get(f"{URL}?status=paused", headers=patient.headers).get_json()["items"]
    assert [g["id"] for g in paused] == [ids[0]]


# --- update and delete --------------------------------------------------------------------


def test_update_audits_changed_field_names_only(client, dbs, patient):
    goal = _create(client, patient)
    response = client.patch(
        f"{URL}/{goal['id']}",
        json={"target_value": 10000, "period": "weekly", "title": goal["title"]},
        headers=patient.headers,
    )
    assert response.status_code == 200
    assert (response.get_json()["target_value"], response.get_json()["period"]) == (10000, "weekly")
    assert [d for *_rest, d in _audits(dbs, "GOAL_UPDATED")] == [
        {"fields": ["period", "target_value"]}
    ]


@pytest.mark.parametrize(
    "body",
    [{"target_value": 0}, {"status": "done"}, {"unit": "furlongs"}, {"end_date": "2000-01-01"}],
)
def test_invalid_updates_are_refused(client, patient, body):
    goal = _create(client, patient)
    response = client.patch(f"{URL}/{goal['id']}", json=body, headers=patient.headers)
    assert response.status_code == 422


def test_delete_goal(client, dbs, patient):
    goal = _create(client, patient)
    assert client.delete(f"{URL}/{goal['id']}", headers=patient.headers).status_code == 204
    assert client.get(f"{URL}/{goal['id']}", headers=patient.headers).status_code == 404
    assert [rid for _a, rid, _p, _d in _audits(dbs, "GOAL_DELETED")] == [goal["id"]]


# --- progress from readings ---------------------------------------------------------------


def test_daily_progress_splits_at_local_midnight_in_new_york(
    client, patient, add_readings, patient_timezone, frozen_now
):
    patient_timezone(patient.id, "America/New_York")
    # Local midnight of Mar 8 is 05:00 UTC (EST); Mar 7 starts at 05:00 UTC the day before
    add_readings(
        patient.id,
        [
            ("steps", 50, datetime(2026, 3, 8, 4, 59, tzinfo=UTC)),  # Mar 7, 23:59 local
            ("steps", 60, datetime(2026, 3, 8, 5, 0, tzinfo=UTC)),  # Mar 8, 00:00 local
            ("steps", 50, datetime(2026, 3, 8, 14, 0, tzinfo=UTC)),  # Mar 8, 10:00 EDT
        ],
    )
    add_readings(
        patient.id, [("steps", 9000, datetime(2026, 3, 8, 6, tzinfo=UTC))], status="faulty"
    )
    goal = _create(client, patient, target_value=100)
    assert goal["progress"] == {
        "period_start": "2026-03-08T00:00:00-05:00",
        "period_end": "2026-03-09T00:00:00-04:00",
        "current_value": 110.0,
        "percent": 110.0,
        "achieved": True,
    }
    history = client.get(f"{URL}/{goal['id']}/progress?periods=3", headers=patient.headers)
    assert history.status_code == 200
    items = history.get_json()["items"]
    assert [(i["period_start"], i["current_value"], i["achieved"]) for i in items] == [
        ("2026-03-08T00:00:00-05:00", 110.0, True),
        ("2026-03-07T00:00:00-05:00", 50.0, False),
        ("2026-03-06T00:00:00-05:00", 0.0, False),
    ]


def test_weekly_heart_rate_goal_averages_from_local_monday(
    client, patient, add_readings, patient_timezone, frozen_now
):
    patient_timezone(patient.id, "Europe/Berlin")
    # The week of Sunday Mar 8 starts Monday Mar 2, 00:00 CET = Mar 1, 23:00 UTC
    add_readings(
        patient.id,
        [
            ("heart_rate", 100, datetime(2026, 3, 1, 22, 59, tzinfo=UTC)),  # previous week
            ("heart_rate", 70, datetime(2026, 3, 1, 23, 0, tzinfo=UTC)),
            ("heart_rate", 80, datetime(2026, 3, 5, 12, 0, tzinfo=UTC)),
        ],
    )
    goal = _create(
        client,
        patient,
        goal_type="heart_rate",
        target_value=80,
        period="weekly",
        direction="at_most",
    )
    assert goal["unit"] == "/min"
    progress = goal["progress"]
    assert progress["period_start"] == "2026-03-02T00:00:00+01:00"
    assert (progress["current_value"], progress["percent"], progress["achieved"]) == (
        75.0,
        93.8,
        True,
    )
    history = client.get(f"{URL}/{goal['id']}/progress?periods=2", headers=patient.headers)
    last_week = history.get_json()["items"][1]
    assert (last_week["current_value"], last_week["achieved"]) == (100.0, False)


def test_sleep_goal_in_minutes_converts_reading_hours(client, patient, add_readings, frozen_now):
    add_readings(patient.id, [("sleep", 7.5, datetime(2026, 3, 8, 6, 30, tzinfo=UTC))])
    goal = _create(client, patient, goal_type="sleep", target_value=420, unit="minutes")
    assert goal["unit"] == "min"
    assert goal["progress"]["current_value"] == 450.0
    assert goal["progress"]["achieved"] is True


def test_heart_rate_goal_without_readings_has_no_value(client, patient, frozen_now):
    goal = _create(client, patient, goal_type="heart_rate", target_value=70, direction="at_most")
    assert goal["progress"]["current_value"] is None
    assert goal["progress"]["achieved"] is False


@pytest.mark.parametrize("periods", [0, 61, "x"])
def test_progress_periods_are_bounded(client, patient, periods):
    goal = _create(client, patient)
    response = client.get(f"{URL}/{goal['id']}/progress?periods={periods}", headers=patient.headers)
    assert response.status_code == 422


# --- manual progress ----------------------------------------------------------------------


def test_manual_water_entries_add_up_per_local_day(
    client, dbs, patient, patient_timezone, frozen_now
):
    patient_timezone(patient.id, "America/New_York")
    goal = _create(client, patient, goal_type="water_intake", target_value=2000)
    assert goal["unit"] == "mL"
    entries = [
        ("2026-03-07T23:30:00-05:00", 700),  # yesterday
        ("2026-03-08T00:10:00-05:00", 900),
        ("2026-03-08T10:00:00-04:00", 1100),
    ]
    for recorded_at, value in entries:
        response = client.post(
            f"{URL}/{goal['id']}/progress",
            json={"value": value, "recorded_at": recorded_at, "note": "glass"},
            headers=patient.headers,
        )
        assert response.status_code == 201, response.get_json()
        assert response.get_json()["goal_id"] == goal["id"]
    current = client.get(f"{URL}/{goal['id']}", headers=patient.headers).get_json()["progress"]
    assert (current["current_value"], current["achieved"]) == (2000.0, True)
    items = client.get(f"{URL}/{goal['id']}/progress?periods=2", headers=patient.headers).get_json()
    assert [i["current_value"] for i in items["items"]] == [2000.0, 700.0]
    recorded = _audits(dbs, "GOAL_PROGRESS_RECORDED")
    assert len(recorded) == 3
    assert all(rid == goal["id"] and "entry_id" in d for _a, rid, _p, d in recorded)


def test_recorded_at_defaults_to_now(client, patient, frozen_now):
    goal = _create(client, patient, goal_type="custom", target_value=3, unit="sessions")
    response = client.post(
        f"{URL}/{goal['id']}/progress", json={"value": 1}, headers=patient.headers
    )
    assert response.status_code == 201
    assert response.get_json()["recorded_at"] == "2026-03-08T15:00:00Z"


def test_manual_progress_refused_for_reading_goals(client, patient):
    goal = _create(client, patient)
    response = client.post(
        f"{URL}/{goal['id']}/progress", json={"value": 5}, headers=patient.headers
    )
    assert response.status_code == 409


def test_manual_progress_refused_for_paused_goal(client, patient):
    goal = _create(client, patient, goal_type="water_intake", target_value=2000)
    client.patch(f"{URL}/{goal['id']}", json={"status": "paused"}, headers=patient.headers)
    response = client.post(
        f"{URL}/{goal['id']}/progress", json={"value": 5}, headers=patient.headers
    )
    assert response.status_code == 409


@pytest.mark.parametrize(
    "body",
    [
        {"value": 0},
        {"value": -1},
        {"value": 1, "recorded_at": "2026-03-08T10:00:00"},
        {"value": 1, "recorded_at": "2099-01-01T00:00:00Z"},
    ],
)
def test_invalid_manual_progress(client, patient, body):
    goal = _create(client, patient, goal_type="water_intake", target_value=2000)
    response = client.post(f"{URL}/{goal['id']}/progress", json=body, headers=patient.headers)
    assert response.status_code == 422


def test_provider_cannot_record_progress(client, patient, provider, care_link):
    care_link(provider, patient)
    goal = _create(client, patient, goal_type="water_intake", target_value=2000)
    response = client.post(
        f"{URL}/{goal['id']}/progress", json={"value": 5}, headers=provider.headers
    )
    assert response.status_code == 403


def test_goal_dates_and_timestamps_are_iso(client, patient):
    goal = _create(client, patient, start_date="2026-01-01", end_date="2026-12-31")
    assert (goal["start_date"], goal["end_date"]) == ("2026-01-01", "2026-12-31")
    assert datetime.fromisoformat(goal["created_at"]) > datetime.now(UTC) - timedelta(minutes=5)


# --- days achieved and streak -------------------------------------------------------------


def _log(client, user, goal, recorded_at, value):
    response = client.post(
        f"{URL}/{goal['id']}/progress",
        json={"value": value, "recorded_at": recorded_at},
        headers=user.headers,
    )
    assert response.status_code == 201, response.get_json()


def test_streak_counts_back_from_today_once_achieved(client, patient, frozen_now):
    goal = _create(
        client, patient, goal_type="water_intake", target_value=1000, start_date="2026-02-20"
    )
    # Mar 8 (today) 1200, Mar 7 1000, Mar 6 500 (missed), Mar 5 1500, Mar 4 1000
    for day, value in [(8, 1200), (7, 1000), (6, 500), (5, 1500), (4, 1000)]:
        _log(client, patient, goal, f"2026-03-0{day}T09:00:00Z", value)
    read = client.get(f"{URL}/{goal['id']}", headers=patient.headers).get_json()
    assert (read["streak"], read["achieved_in_last_7"]) == (2, 4)
    listed = client.get(URL, headers=patient.headers).get_json()["items"][0]
    assert (listed["streak"], listed["achieved_in_last_7"]) == (2, 4)


def test_an_open_day_does_not_break_the_streak(client, patient, frozen_now):
    goal = _create(
        client, patient, goal_type="water_intake", target_value=1000, start_date="2026-02-20"
    )
    for day in (7, 6, 5):
        _log(client, patient, goal, f"2026-03-0{day}T09:00:00Z", 1000)
    _log(client, patient, goal, "2026-03-08T09:00:00Z", 300)  # today, not there yet
    read = client.get(f"{URL}/{goal['id']}", headers=patient.headers).get_json()
    assert read["progress"]["achieved"] is False
    assert (read["streak"], read["achieved_in_last_7"]) == (3, 3)


def test_days_before_the_goal_started_do_not_count(client, patient, frozen_now):
    goal = _create(
        client, patient, goal_type="water_intake", target_value=1000, start_date="2026-03-07"
    )
    for day in (8, 7, 6, 5):
        _log(client, patient, goal, f"2026-03-0{day}T09:00:00Z", 1000)
    read = client.get(f"{URL}/{goal['id']}", headers=patient.headers).get_json()
    assert (read["streak"], read["achieved_in_last_7"]) == (2, 2)


def test_weekly_step_goal_streak_in_weeks_from_readings(client, patient, add_readings, frozen_now):
    goal = _create(client, patient, target_value=10000, period="weekly", start_date="2026-01-01")
    # weeks start on Monday: Mar 2-8 (current), Feb 23-Mar 1, Feb 16-22 (missed), Feb 9-15
    add_readings(
        patient.id,
        [
            ("steps", 12000, datetime(2026, 3, 3, 12, tzinfo=UTC)),
            ("steps", 10000, datetime(2026, 2, 25, 12, tzinfo=UTC)),
            ("steps", 4000, datetime(2026, 2, 18, 12, tzinfo=UTC)),
            ("steps", 11000, datetime(2026, 2, 10, 12, tzinfo=UTC)),
        ],
    )
    read = client.get(f"{URL}/{goal['id']}", headers=patient.headers).get_json()
    assert (read["streak"], read["achieved_in_last_7"]) == (2, 3)


def test_a_new_goal_has_no_streak(client, patient, frozen_now):
    goal = _create(client, patient)
    assert (goal["streak"], goal["achieved_in_last_7"]) == (0, 0)
