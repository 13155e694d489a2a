"""Hostile input never reaches a 500 (issue 15, items 4, 5, 7, 8 and 9): NUL characters,
non-finite and absurd numbers, forged cursors, deeply nested JSON and extreme dates."""

from __future__ import annotations

import json
import math
import re
from datetime import timedelta

import pytest

from healix.utils.pagination import encode_cursor
from healix.utils.time import utcnow

NUL_MESSAGE = "must not contain NUL characters"
FORGED_CURSORS = ["WzEsMl0", "WzEsMl0.AAAAAAAAAAAAAAAAAAAAAA", "W1td", "bm9wZQ"]


def errors_at(response) -> list[str]:
    return [error["loc"] for error in response.get_json()["errors"]]


def assert_finite_json(response) -> None:
    """The body is strict JSON: no NaN or Infinity anywhere."""
    text = response.get_data(as_text=True)
    json.loads(text, parse_constant=lambda name: pytest.fail(f"{name} in the response"))


# -- NUL characters (item 4) --------------------------------------------------------------


def test_nul_in_login_is_422_before_the_database(client):
    response = client.post("/api/auth/login", json={"email": "a\x00@x.com", "password": "pw"})

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["errors"] == [{"loc": "email", "msg": NUL_MESSAGE}]


def test_nul_in_password_reset_request_is_422(client):
    response = client.post("/api/auth/password-reset/request", json={"email": "a@x.com\x00"})
    assert response.status_code == 422
    assert errors_at(response) == ["email"]


def test_nul_in_profile_update_is_422_and_nothing_changes(client, patient):
    response = client.patch(
        "/api/users/me", json={"first_name": "Ann\x00"}, headers=patient.headers
    )

    assert response.status_code == 422
    assert errors_at(response) == ["first_name"]
    me = client.get("/api/users/me", headers=patient.headers).get_json()
    assert me["first_name"] == patient.user.first_name


def test_nul_deep_in_a_body_names_its_path(client, patient):
    body = {"goal_type": "custom", "title": "ok", "target_value": 3, "unit": "x\x00"}
    response = client.post("/api/goals", json=body, headers=patient.headers)
    assert response.status_code == 422
    assert errors_at(response) == ["unit"]

    response = client.post("/api/goals", json={"a": [{"b\x00": 1}]}, headers=patient.headers)
    assert response.status_code == 422
    assert errors_at(response) == ["a[0].b"]


def test_nul_in_a_utf16_body_is_found(client, patient):
    """A body in UTF-16 has zero bytes, so it is walked value by value like any NUL suspect."""
    body = json.dumps({"a": [{"b": "x\x00"}]}).encode("utf-16")
    response = client.post(
        "/api/goals", data=body, content_type="application/json", headers=patient.headers
    )
    assert response.status_code == 422
    assert errors_at(response) == ["a[0].b"]


def test_a_batch_without_nul_passes_the_guard(client, patient):
    readings = [{"type": "heart_rate", "value": 70, "unit": "/min", "timestamp": "2026-01-01"}]
    response = client.post(
        "/api/biomarkers", json={"readings": readings * 3}, headers=patient.headers
    )
    assert response.status_code == 422
    assert errors_at(response) == [f"readings[{index}].timestamp" for index in range(3)]


@pytest.mark.parametrize("path", ["/api/providers?q=ab%00c", "/api/patients?q=%00"])
def test_nul_in_a_query_is_422(client, provider, path):
    response = client.get(path, headers=provider.headers)
    assert response.status_code == 422
    assert errors_at(response) == ["q"]


def test_nul_in_a_device_registration_is_422(client, patient):
    response = client.post(
        "/api/devices", json={"name": "Watch\x00", "device_type": "watch"}, headers=patient.headers
    )
    assert response.status_code == 422


def test_nul_in_the_user_agent_is_not_stored(client):
    """The user agent goes into the audit row of a failed sign-in (text on PostgreSQL)."""
    response = client.post(
        "/api/auth/login",
        json={"email": "nobody@example.com", "password": "not-the-password"},
        headers={"User-Agent": "curl\x00/8"},
    )
    assert response.status_code == 401


# -- numbers (item 5) ---------------------------------------------------------------------


@pytest.mark.parametrize("literal", ["Infinity", "-Infinity", "NaN", "1e999", "1e300", "-5e9"])
def test_goal_target_must_be_finite_and_sane(client, patient, literal):
    raw = '{"goal_type": "steps", "target_value": VALUE}'.replace("VALUE", literal)
    response = client.post(
        "/api/goals", data=raw, content_type="application/json", headers=patient.headers
    )

    assert response.status_code == 422, response.get_json()
    assert errors_at(response) == ["target_value"]
    assert_finite_json(response)


def test_goal_progress_stays_finite(client, patient, app):
    from tests.factories.biomarkers import add_reading

    add_reading(app, patient.id, "steps", 50_000, measured_at=utcnow() - timedelta(minutes=5))
    created = client.post(
        "/api/goals",
        json={"goal_type": "steps", "target_value": 1e-300},
        headers=patient.headers,
    )
    assert created.status_code == 201, created.get_json()

    listed = client.get("/api/goals", headers=patient.headers)
    assert listed.status_code == 200
    assert_finite_json(listed)
    one = client.get(f"/api/goals/{created.get_json()['id']}", headers=patient.headers)
    assert one.status_code == 200
    assert_finite_json(one)
    percent = one.get_json()["progress"]["percent"]
    assert percent is None or math.isfinite(percent)


def test_no_response_can_carry_infinity(app):
    """The app's encoder never writes a NaN/Infinity literal: the text stays RFC 8259 JSON."""

    def refuse(literal: str) -> None:
        raise AssertionError(f"{literal} written")

    with app.app_context():
        for value in (math.inf, -math.inf, math.nan):
            text = app.json.dumps({"percent": value})
            assert json.loads(text, parse_constant=refuse) == {"percent": None}
        response = app.json.response({"percent": math.inf})
        assert json.loads(response.get_data(as_text=True), parse_constant=refuse) == {
            "percent": None
        }


# -- forged cursors (item 7) --------------------------------------------------------------

LISTS = [
    ("patient", "/api/appointments"),
    ("patient", "/api/alerts"),
    ("patient", "/api/goals"),
    ("patient", "/api/devices"),
    ("patient", "/api/notifications"),
    ("patient", "/api/prescriptions"),
    ("patient", "/api/care-team"),
    ("patient", "/api/providers"),
    ("patient", "/api/users/me/access-log"),
    ("patient", "/api/biomarkers/history?type=heart_rate"),
    ("patient", "/api/biomarkers/history"),
    ("provider", "/api/patients"),
    ("admin", "/api/admin/users"),
    ("admin", "/api/admin/jobs"),
    ("admin", "/api/audit-logs"),
]


@pytest.mark.parametrize(("role", "path"), LISTS)
@pytest.mark.parametrize("cursor", FORGED_CURSORS)
def test_forged_cursor_is_422(request, client, role, path, cursor):
    actor = request.getfixturevalue(role)
    separator = "&" if "?" in path else "?"
    response = client.get(f"{path}{separator}cursor={cursor}", headers=actor.headers)

    assert response.status_code == 422, response.get_json()
    assert errors_at(response) == ["cursor"]


def test_cursor_of_another_list_is_422(client, admin):
    """Signed, but issued for a list sorted by other columns: (seq) is not (created_at, id)."""
    response = client.get(f"/api/admin/users?cursor={encode_cursor([1, 2])}", headers=admin.headers)
    assert response.status_code == 422


def test_issued_cursors_still_page(client, patient, app):
    from tests.factories.devices import add_device

    for number in range(3):
        add_device(app, patient.id, name=f"Device {number}")
    first = client.get("/api/devices?limit=2", headers=patient.headers).get_json()
    second = client.get(
        f"/api/devices?limit=2&cursor={first['next_cursor']}", headers=patient.headers
    )
    assert second.status_code == 200
    assert len(first["items"]) + len(second.get_json()["items"]) == 3


# -- nested JSON (item 8) -----------------------------------------------------------------


@pytest.mark.parametrize("depth", [33, 1000, 100_000])
def test_deeply_nested_json_is_400_before_authentication(client, depth):
    body = "[" * depth + "]" * depth
    for path in ("/api/auth/login", "/api/goals"):
        response = client.post(path, data=body, content_type="application/json")
        assert response.status_code == 400, (path, response.get_json())
        assert response.mimetype == "application/problem+json"
        assert re.search(r"nests deeper than \d+ levels", response.get_json()["detail"])


@pytest.mark.parametrize(("depth", "status"), [(31, 422), (32, 400)])
def test_a_value_past_the_depth_limit_is_400(client, depth, status):
    """The limit counts every value, a number inside the innermost list too."""
    body = "[" * depth + "1" + "]" * depth
    response = client.post("/api/auth/login", data=body, content_type="application/json")
    assert response.status_code == status, response.get_json()


def test_ordinary_nesting_is_accepted(client):
    response = client.post("/api/auth/login", json={"email": "a@example.com", "password": "x"})
    assert response.status_code == 401


# -- extreme dates (item 9) ---------------------------------------------------------------

EXTREMES = ["9999-12-31T23:59-14:00", "0001-01-01T00:00+14:00", "2999-12-31T23:59-14:00"]


@pytest.mark.parametrize("moment", EXTREMES)
def test_extreme_booking_time_is_422(client, patient, provider, moment):
    body = {
        "provider_id": str(provider.id),
        "start_time": moment,
        "duration_minutes": 30,
        "reason": "Check-up",
    }
    response = client.post("/api/appointments", json=body, headers=patient.headers)

    assert response.status_code == 422, response.get_json()
    assert errors_at(response) == ["start_time"]


@pytest.mark.parametrize("moment", EXTREMES[:2])
def test_extreme_reschedule_is_422(client, patient, provider, app, moment):
    from tests.factories.appointments import insert_appointment

    appointment_id = insert_appointment(app, patient=patient, provider=provider)
    response = client.patch(
        f"/api/appointments/{appointment_id}", json={"start_time": moment}, headers=patient.headers
    )
    assert response.status_code == 422


@pytest.mark.parametrize("moment", EXTREMES[:2])
@pytest.mark.parametrize(
    "path", ["/api/biomarkers/summary?type=heart_rate&", "/api/biomarkers/history?"]
)
@pytest.mark.parametrize("bound", ["from", "to"])
def test_extreme_period_bounds_are_422(client, patient, moment, path, bound):
    response = client.get(f"{path}{bound}={moment.replace('+', '%2B')}", headers=patient.headers)
    assert response.status_code == 422


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_extreme_dates_are_422(client, patient, day):
    response = client.post(
        "/api/goals",
        json={"goal_type": "steps", "target_value": 8000, "start_date": day},
        headers=patient.headers,
    )
    assert response.status_code == 422
    assert errors_at(response) == ["start_date"]


def test_booking_beyond_the_horizon_is_422(client, patient, provider, make_app):
    beyond = (utcnow() + timedelta(days=400)).replace(hour=10, minute=0, second=0, microsecond=0)
    body = {
        "provider_id": str(provider.id),
        "start_time": beyond.isoformat(),
        "duration_minutes": 30,
        "reason": "Check-up",
    }

    response = client.post("/api/appointments", json=body, headers=patient.headers)
    assert response.status_code == 422
    assert "booking horizon" in response.get_json()["errors"][0]["msg"]

    wider = make_app(booking_horizon_days=500).test_client()
    response = wider.post("/api/appointments", json=body, headers=patient.headers)
    assert "horizon" not in json.dumps(response.get_json())
