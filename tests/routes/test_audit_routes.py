from __future__ import annotations

import os
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from healix.audit.events import AuditAction
from healix.extensions import db
from healix.utils.time import utcnow
from tests.factories.audit import audit_rows, bypass_append_only, record_events

AUDIT_ROUTES = ["/api/audit-logs", "/api/audit-logs/verify"]


@pytest.mark.parametrize("role", ["patient", "provider"])
@pytest.mark.parametrize("url", AUDIT_ROUTES)
def test_non_admins_are_refused_on_every_audit_route(client, signed_in, role, url):
    response = client.get(url, headers=signed_in(role=role).headers)
    assert response.status_code == 403


@pytest.mark.parametrize("url", AUDIT_ROUTES)
def test_audit_routes_need_a_token(client, url):
    assert client.get(url).status_code == 401


@pytest.fixture
def events(app, patient, provider):
    resource = str(uuid.uuid4())
    record_events(
        app,
        {
            "action": AuditAction.PROVIDER_VIEW_PATIENT,
            "actor": provider.user,
            "resource_type": "patient",
            "resource_id": patient.id,
            "patient_id": patient.id,
        },
        {
            "action": AuditAction.ACCESS_DENIED,
            "actor": provider.user,
            "resource_type": "appointment",
            "resource_id": resource,
            "outcome": "denied",
        },
        {
            "action": AuditAction.GOAL_CREATED,
            "actor": patient.user,
            "resource_type": "goal",
            "resource_id": resource,
        },
    )
    return resource


def test_list_is_newest_first_and_pages_by_seq(client, admin, events):
    first = client.get("/api/audit-logs?limit=2", headers=admin.headers).get_json()
    assert [row["action"] for row in first["items"]] == ["GOAL_CREATED", "ACCESS_DENIED"]
    second = client.get(
        f"/api/audit-logs?limit=2&cursor={first['next_cursor']}", headers=admin.headers
    ).get_json()
    assert [row["action"] for row in second["items"]] == ["PROVIDER_VIEW_PATIENT"]
    assert second["next_cursor"] is None
    seqs = [row["seq"] for row in first["items"] + second["items"]]
    assert seqs == sorted(seqs, reverse=True)
    assert {"prev_hash", "row_hash", "details"} <= set(first["items"][0])


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ("action=ACCESS_DENIED", ["ACCESS_DENIED"]),
        ("outcome=denied", ["ACCESS_DENIED"]),
        ("resource_type=goal", ["GOAL_CREATED"]),
        ("resource_type=patient&action=PROVIDER_VIEW_PATIENT", ["PROVIDER_VIEW_PATIENT"]),
    ],
)
def test_list_filters(client, admin, events, params, expected):
    response = client.get(f"/api/audit-logs?{params}", headers=admin.headers)
    assert response.status_code == 200, response.get_json()
    assert [row["action"] for row in response.get_json()["items"]] == expected


def test_list_filters_by_actor_and_resource(client, admin, provider, events):
    by_actor = client.get(f"/api/audit-logs?user_id={provider.id}", headers=admin.headers)
    assert {row["action"] for row in by_actor.get_json()["items"]} == {
        "PROVIDER_VIEW_PATIENT",
        "ACCESS_DENIED",
    }
    by_resource = client.get(f"/api/audit-logs?resource_id={events}", headers=admin.headers)
    assert len(by_resource.get_json()["items"]) == 2


def test_list_filters_by_time_window(client, admin, events):
    past = (utcnow() - timedelta(hours=1)).isoformat()
    future = (utcnow() + timedelta(hours=1)).isoformat()
    window = client.get(
        "/api/audit-logs", query_string={"from": past, "to": future}, headers=admin.headers
    )
    assert len(window.get_json()["items"]) == 3
    later = client.get("/api/audit-logs", query_string={"from": future}, headers=admin.headers)
    assert later.get_json()["items"] == []
    earlier = client.get("/api/audit-logs", query_string={"to": past}, headers=admin.headers)
    assert earlier.get_json()["items"] == []


def test_list_refuses_bad_filters(client, admin):
    naive = client.get(
        "/api/audit-logs", query_string={"from": "2026-01-01T00:00:00"}, headers=admin.headers
    )
    assert naive.status_code == 422
    assert client.get("/api/audit-logs?outcome=meh", headers=admin.headers).status_code == 422
    assert client.get("/api/audit-logs?cursor=zzz", headers=admin.headers).status_code == 422


def test_listing_is_itself_audited(app, client, admin, events):
    client.get("/api/audit-logs?action=GOAL_CREATED", headers=admin.headers)
    [row] = audit_rows(app, action="ADMIN_VIEW_AUDIT_LOG")
    assert row.actor_id == admin.id
    assert row.details == {"filters": ["action"], "returned": 1}


def test_verify_reports_an_intact_chain(app, client, admin, events):
    response = client.get("/api/audit-logs/verify", headers=admin.headers)
    assert response.status_code == 200
    assert response.get_json() == {
        "ok": True,
        "rows_checked": 3,
        "first_bad_row": None,
        "problem": None,
    }
    [row] = audit_rows(app, action="ADMIN_VIEW_AUDIT_LOG")
    assert row.actor_id == admin.id
    assert row.details == {"ok": True, "rows_checked": 3}


def test_verify_names_the_first_tampered_row(app, client, admin, events):
    bypass_append_only(app, "UPDATE audit_logs SET action = 'GOAL_DELETED' WHERE seq = :seq", seq=2)
    body = client.get("/api/audit-logs/verify", headers=admin.headers).get_json()
    assert body["ok"] is False
    assert body["first_bad_row"] == 2
    assert body["problem"] == "row content altered"


def test_verify_notices_a_deleted_row(app, client, admin, events):
    bypass_append_only(app, "DELETE FROM audit_logs WHERE seq = 1")
    body = client.get("/api/audit-logs/verify", headers=admin.headers).get_json()
    assert body["ok"] is False
    assert body["first_bad_row"] == 1


@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="the append-only trigger exists on PostgreSQL only",
)
@pytest.mark.usefixtures("events")
def test_postgres_refuses_a_plain_update_of_the_audit_log(app):
    statements = ["UPDATE audit_logs SET action = 'X' WHERE seq = 1", "DELETE FROM audit_logs"]
    with app.app_context():
        for statement in statements:
            with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
                conn.execute(text(statement))
    actions = [row.action for row in audit_rows(app)]
    assert actions == ["PROVIDER_VIEW_PATIENT", "ACCESS_DENIED", "GOAL_CREATED"]
