"""The role x endpoint matrix over the app's URL map: without credentials every endpoint but
an explicit public list answers 401, a wrong role 403 (both before the request is
validated), and someone else's record 404."""

from __future__ import annotations

import re
import tempfile
import uuid
from pathlib import Path

import pytest

from healix import create_app
from healix.config import Settings
from tests.factories.appointments import insert_appointment
from tests.factories.devices import register_device
from tests.factories.health import add_alert, add_goal
from tests.factories.imports import make_import
from tests.factories.notifications import make_notification
from tests.factories.prescriptions import make_prescription, make_refill
from tests.routes.test_openapi import DOCUMENTATION_ENDPOINTS, IGNORED_METHODS, WEB_APP_ENDPOINTS

#: endpoints anyone may call without a token
PUBLIC_ENDPOINTS = frozenset(
    {
        "health.health",
        "health.live",
        "health.ready",
        "auth.register",
        "auth.login",
        # the second sign-in step: authenticated by the challenge token of the first
        "auth.login_mfa",
        "auth.login_mfa_setup",
        "auth.verify_email",
        "auth.unlock_account",
        "auth.request_password_reset",
        "auth.confirm_password_reset",
        "biomarkers.list_types",
        # the calendar feed: calendar apps cannot send a token, so the secret is in the path
        "calendar.calendar_feed",
    }
)
#: values for the URL map's placeholders
PLACEHOLDERS = {"uuid": lambda: str(uuid.uuid4()), "default": lambda: "heart_rate"}
#: a body and a query no endpoint accepts: validated first, they would answer 422
GARBAGE_BODY = {"unexpected": ["field"], "readings": "nope", "status": 12}
GARBAGE_QUERY = {"limit": "many", "from": "yesterday", "patient_id": "me"}


def concrete_url(rule: str) -> str:
    def fill(match: re.Match[str]) -> str:
        converter = match.group(1) or "default"
        return PLACEHOLDERS[converter]()

    return re.sub(r"<(?:([^:<>]+):)?[^<>]+>", fill, rule)


def _routes(app, *, public: bool) -> list[tuple[str, str, str]]:
    return sorted(
        (rule.endpoint, method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in DOCUMENTATION_ENDPOINTS | WEB_APP_ENDPOINTS
        and (rule.endpoint in PUBLIC_ENDPOINTS) is public
        for method in rule.methods - IGNORED_METHODS
    )


def url_map_app():
    """An app to read the URL map from while tests are collected (it opens no database)."""
    settings = Settings(
        healix_env="testing", instance_path=Path(tempfile.mkdtemp()), _env_file=None
    )
    return create_app(settings)


def protected_routes():
    return _routes(url_map_app(), public=False)


def test_the_public_list_is_exact(app):
    assert {endpoint for endpoint, _, _ in _routes(app, public=True)} == PUBLIC_ENDPOINTS


@pytest.mark.parametrize(("endpoint", "method", "rule"), protected_routes())
def test_no_credentials_answer_401_whatever_the_request(client, endpoint, method, rule):
    """Defect 5: 19 endpoints validated the body before authenticating and answered 422
    with the list of their fields."""
    response = client.open(
        concrete_url(rule), method=method, json=GARBAGE_BODY, query_string=GARBAGE_QUERY
    )
    assert response.status_code == 401, (endpoint, response.get_json())
    problem = response.get_json()
    assert response.mimetype == "application/problem+json"
    assert problem["status"] == 401
    assert "errors" not in problem
    assert response.headers["WWW-Authenticate"]


# -- wrong role -> 403 ---------------------------------------------------------------------

ALL = frozenset({"patient", "provider", "admin"})
#: endpoint -> the roles it admits; every other authenticated endpoint admits all three
ROLE_RESTRICTED: dict[str, frozenset[str]] = {
    **dict.fromkeys(
        [
            "admin.create_provider",
            "admin.create_relationship",
            "admin.delete_user",
            "admin.end_relationship",
            "admin.get_user",
            "admin.list_jobs",
            "admin.list_prescriptions",
            "admin.list_relationships",
            "admin.list_users",
            "admin.reset_mfa",
            "admin.retry_job",
            "admin.stats",
            "admin.update_user",
            "audit.list_audit_logs",
            "audit.verify_audit_chain",
        ],
        frozenset({"admin"}),
    ),
    **dict.fromkeys(
        [
            "biomarkers.create_readings",
            "care_team.add_provider",
            "care_team.list_care_team",
            "care_team.remove_provider",
            "devices.delete_device",
            "devices.list_devices",
            "devices.register_device",
            "devices.rotate_key",
            "devices.update_device",
            "goals.create_goal",
            "goals.delete_goal",
            "goals.record_progress",
            "goals.update_goal",
            "imports.cancel_import",
            "imports.create_import",
            "imports.get_import",
            "imports.list_imports",
            "prescriptions.request_refill",
        ],
        frozenset({"patient"}),
    ),
    **dict.fromkeys(
        [
            "patients.list_patients",
            "patients.open_emergency_access",
            "patients.patients_overview",
            "prescriptions.create_prescription",
            "providers.get_my_schedule",
            "providers.set_my_schedule",
        ],
        frozenset({"provider"}),
    ),
    **dict.fromkeys(
        [
            "users.create_calendar_feed",
            "users.get_calendar_feed",
            "users.revoke_calendar_feed",
        ],
        frozenset({"patient", "provider"}),
    ),
    "appointments.confirm_appointment": frozenset({"provider", "admin"}),
    "appointments.decline_appointment": frozenset({"provider", "admin"}),
    "biomarkers.list_thresholds": ALL,
    "biomarkers.reset_threshold": frozenset({"patient", "provider"}),
    "biomarkers.set_threshold": frozenset({"patient", "provider"}),
    "patients.get_patient": frozenset({"provider", "admin"}),
    "prescriptions.decide_refill": frozenset({"provider", "admin"}),
    "prescriptions.update_prescription": frozenset({"provider", "admin"}),
}
#: authenticated by a device key, not a user's role
DEVICE_ENDPOINTS = frozenset({"devices.ingest"})


def test_the_role_table_is_what_the_routes_declare(app):
    declared = {
        endpoint: getattr(view, "healix_roles", None)
        for endpoint, view in app.view_functions.items()
        if endpoint
        not in DOCUMENTATION_ENDPOINTS | WEB_APP_ENDPOINTS | PUBLIC_ENDPOINTS | DEVICE_ENDPOINTS
    }
    restricted = {endpoint: roles for endpoint, roles in declared.items() if roles is not None}
    assert restricted == ROLE_RESTRICTED
    unrestricted = {endpoint for endpoint, roles in declared.items() if roles is None}
    assert (
        unrestricted
        == {endpoint for endpoint, _, _ in protected_routes()}
        - set(ROLE_RESTRICTED)
        - DEVICE_ENDPOINTS
    )


def wrong_role_cases():
    return [
        (endpoint, method, rule, role)
        for endpoint, method, rule in protected_routes()
        if endpoint in ROLE_RESTRICTED
        for role in sorted(ALL - ROLE_RESTRICTED[endpoint])
    ]


@pytest.mark.parametrize(("endpoint", "method", "rule", "role"), wrong_role_cases())
def test_a_wrong_role_answers_403_whatever_the_request(
    client, signed_in, endpoint, method, rule, role
):
    caller = signed_in(role=role)
    response = client.open(
        concrete_url(rule),
        method=method,
        json=GARBAGE_BODY,
        query_string=GARBAGE_QUERY,
        headers=caller.headers,
    )
    assert response.status_code == 403, (endpoint, response.get_json())
    assert response.get_json()["detail"] == "Your role does not allow this action."


# -- someone else's record -> 404 ----------------------------------------------------------


@pytest.fixture
def records(app, client, signed_in, care_link):
    """A patient in their provider's care, with one record of every kind."""
    owner = signed_in(role="patient")
    carer = signed_in(role="provider")
    care_link(carer, owner)
    device_id, _ = register_device(client, owner)
    prescription = make_prescription(app, provider=carer, patient=owner)
    return {
        "patient": owner.id,
        "appointment": insert_appointment(app, patient=owner, provider=carer),
        "prescription": prescription,
        "refill": make_refill(app, prescription_id=prescription, patient=owner),
        "device": device_id,
        "alert": add_alert(app, owner.id),
        "goal": add_goal(app, owner.id),
        "notification": make_notification(app, user=owner),
        "data_import": make_import(app, owner.id),
    }


#: (method, path with {record} placeholders, a valid body, roles that may call it)
OTHERS_RECORDS = [
    ("GET", "/api/appointments/{appointment}", None, ALL - {"admin"}),
    ("PATCH", "/api/appointments/{appointment}", {"notes": "x"}, ALL - {"admin"}),
    ("GET", "/api/appointments/{appointment}/calendar.ics", None, ALL - {"admin"}),
    ("POST", "/api/appointments/{appointment}/confirm", None, {"provider"}),
    ("POST", "/api/appointments/{appointment}/decline", {"reason": "x"}, {"provider"}),
    ("GET", "/api/prescriptions/{prescription}", None, {"patient", "provider"}),
    ("GET", "/api/prescriptions/{prescription}/pdf", None, {"patient", "provider"}),
    ("PATCH", "/api/prescriptions/{prescription}", {"instructions": "x"}, {"provider"}),
    ("GET", "/api/prescriptions/{prescription}/refill-requests", None, {"patient", "provider"}),
    ("POST", "/api/prescriptions/{prescription}/refill-requests", {}, {"patient"}),
    (
        "PATCH",
        "/api/prescriptions/{prescription}/refill-requests/{refill}",
        {"status": "denied"},
        {"provider"},
    ),
    ("PATCH", "/api/devices/{device}", {"name": "x"}, {"patient"}),
    ("DELETE", "/api/devices/{device}", None, {"patient"}),
    ("POST", "/api/devices/{device}/rotate-key", None, {"patient"}),
    ("PATCH", "/api/alerts/{alert}", {"status": "acknowledged"}, {"patient", "provider"}),
    ("GET", "/api/goals/{goal}", None, {"patient", "provider"}),
    ("GET", "/api/goals/{goal}/progress", None, {"patient", "provider"}),
    ("PATCH", "/api/goals/{goal}", {"title": "x"}, {"patient"}),
    ("DELETE", "/api/goals/{goal}", None, {"patient"}),
    ("POST", "/api/goals/{goal}/progress", {"value": 1}, {"patient"}),
    ("PATCH", "/api/notifications/{notification}", {"status": "read"}, ALL),
    ("GET", "/api/imports/{data_import}", None, {"patient"}),
    ("POST", "/api/imports/{data_import}/cancel", None, {"patient"}),
    ("GET", "/api/patients/{patient}", None, {"provider"}),
    ("GET", "/api/biomarkers/current?patient_id={patient}", None, {"patient", "provider"}),
    ("GET", "/api/biomarkers/history?patient_id={patient}", None, {"patient", "provider"}),
    (
        "GET",
        "/api/biomarkers/summary?type=heart_rate&patient_id={patient}",
        None,
        {"patient", "provider"},
    ),
    ("GET", "/api/biomarkers/thresholds?patient_id={patient}", None, {"patient", "provider"}),
    (
        "PUT",
        "/api/biomarkers/thresholds/heart_rate?patient_id={patient}",
        {"warning_max": 120},
        {"patient", "provider"},
    ),
    ("GET", "/api/goals?patient_id={patient}", None, {"patient", "provider"}),
    ("GET", "/api/alerts?patient_id={patient}", None, {"patient", "provider"}),
    ("GET", "/api/export/report.pdf?patient_id={patient}", None, {"patient", "provider"}),
    ("GET", "/api/export/fhir?patient_id={patient}", None, {"patient", "provider"}),
    ("GET", "/api/export/readings.csv?patient_id={patient}", None, {"patient", "provider"}),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "role"),
    [
        (method, path, body, role)
        for method, path, body, roles in OTHERS_RECORDS
        for role in sorted(roles)
    ],
)
def test_someone_elses_record_answers_404(client, signed_in, records, method, path, body, role):
    """A stranger (a patient, or a provider without a care relationship) learns nothing:
    the record answers as if it did not exist."""
    stranger = signed_in(role=role)
    url = path.format(**{name: str(value) for name, value in records.items()})
    response = client.open(url, method=method, json=body, headers=stranger.headers)
    assert response.status_code == 404, (method, url, response.get_json())
    assert response.get_json()["detail"].startswith("No such ")
