from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from healix.controllers.admin_controller import week_window
from healix.extensions import db
from healix.models import (
    Alert,
    Appointment,
    BiomarkerReading,
    PasswordResetToken,
    ProviderPatientRelationship,
    User,
)
from healix.utils.hashing import sha256_hex
from healix.utils.time import utcnow
from tests.concurrency import statuses_in_parallel
from tests.factories.accounts import capture_mail, mailed_token
from tests.factories.audit import audit_rows

NEW_PROVIDER = {
    "email": "New.Doc@Example.com",
    "first_name": "Nina",
    "last_name": "Doc",
    "specialization": "Cardiology",
    "licence_number": "GMC-7",
}

#: (method, url, valid body): bodies are valid, so the role check is what answers
ADMIN_ROUTES = [
    ("get", "/api/admin/users", None),
    ("get", "/api/admin/users/{id}", None),
    ("post", "/api/admin/providers", NEW_PROVIDER),
    ("patch", "/api/admin/users/{id}", {"status": "inactive"}),
    ("delete", "/api/admin/users/{id}", None),
    ("get", "/api/admin/stats", None),
    ("get", "/api/admin/jobs?status=failed", None),
    ("post", "/api/admin/jobs/{id}/retry", None),
]


@pytest.mark.parametrize("role", ["patient", "provider"])
@pytest.mark.parametrize(("method", "url", "body"), ADMIN_ROUTES)
def test_non_admins_are_refused_on_every_admin_route(
    client, signed_in, make_user, role, method, url, body
):
    caller = signed_in(role=role)
    target = make_user()
    response = getattr(client, method)(url.format(id=target.id), json=body, headers=caller.headers)
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize(("method", "url", "body"), ADMIN_ROUTES)
def test_admin_routes_need_a_token(client, make_user, method, url, body):
    response = getattr(client, method)(url.format(id=make_user().id), json=body)
    assert response.status_code == 401


def test_list_users_filters_by_role_status_and_search(client, admin, make_user):
    alice = make_user(first_name="Alice", last_name="Smith", email="alice.smith@example.com")
    make_user(first_name="Bob", last_name="Jones")
    make_user(role="provider", first_name="Carla", last_name="ALICEWORTH")
    make_user(first_name="Dora", status="inactive")

    by_name = client.get("/api/admin/users?q=aLiCe", headers=admin.headers).get_json()
    assert {u["last_name"] for u in by_name["items"]} == {"Smith", "ALICEWORTH"}
    patients = client.get("/api/admin/users?q=alice&role=patient", headers=admin.headers)
    assert [u["id"] for u in patients.get_json()["items"]] == [str(alice.id)]
    by_email = client.get("/api/admin/users?q=SMITH@EXAMPLE", headers=admin.headers)
    assert [u["id"] for u in by_email.get_json()["items"]] == [str(alice.id)]
    inactive = client.get("/api/admin/users?status=inactive", headers=admin.headers)
    assert [u["first_name"] for u in inactive.get_json()["items"]] == ["Dora"]
    item = by_email.get_json()["items"][0]
    assert item["has_password"] is True
    assert "password_hash" not in item


def test_search_treats_like_wildcards_literally(client, admin, make_user):
    make_user(first_name="Percy")
    response = client.get("/api/admin/users?q=%25", headers=admin.headers)
    assert response.status_code == 200
    assert response.get_json()["items"] == []


def test_list_users_pages_and_is_audited_without_the_search_text(app, client, admin, make_user):
    for _ in range(3):
        make_user()
    first = client.get("/api/admin/users?limit=2&q=tester", headers=admin.headers).get_json()
    assert len(first["items"]) == 2
    assert first["next_cursor"]
    second = client.get(
        f"/api/admin/users?limit=2&q=tester&cursor={first['next_cursor']}", headers=admin.headers
    ).get_json()
    ids = [u["id"] for u in first["items"] + second["items"]]
    assert len(ids) == len(set(ids)) == 4
    assert second["next_cursor"] is None
    rows = audit_rows(app, action="ADMIN_VIEW_USERS", actor_id=admin.id)
    assert rows[0].details == {"filters": ["q"], "returned": 2}
    assert "tester" not in str([row.details for row in rows])


def test_list_users_rejects_unknown_filters(client, admin):
    assert client.get("/api/admin/users?role=king", headers=admin.headers).status_code == 422
    assert client.get("/api/admin/users?colour=red", headers=admin.headers).status_code == 422


def test_get_user(client, admin, make_user):
    user = make_user()
    response = client.get(f"/api/admin/users/{user.id}", headers=admin.headers)
    assert response.status_code == 200
    assert response.get_json()["email"] == user.email
    missing = client.get(f"/api/admin/users/{uuid.uuid4()}", headers=admin.headers)
    assert missing.status_code == 404


def test_create_provider_without_password_then_set_it_with_the_token(app, client, admin, caplog):
    capture_mail(caplog)
    response = client.post("/api/admin/providers", json=NEW_PROVIDER, headers=admin.headers)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    token = body["password_set_token"]
    assert body["user"]["email"] == "new.doc@example.com"
    assert body["user"]["role"] == "provider"
    assert body["user"]["has_password"] is False
    assert mailed_token(caplog, "new.doc@example.com") == token
    with app.app_context():
        user = db.session.get(User, uuid.UUID(body["user"]["id"]))
        assert user.password_hash is None
        stored = db.session.scalars(select(PasswordResetToken)).one()
        assert stored.token_hash == sha256_hex(token)
        assert stored.purpose == "invite"
        lifetime = stored.expires_at - stored.created_at
        assert timedelta(hours=71, minutes=59) < lifetime <= timedelta(hours=72)
        db.session.remove()
    [row] = audit_rows(app, action="ADMIN_CREATE_PROVIDER")
    assert row.actor_id == admin.id
    assert token not in str(row.details)

    password = "Stethoscope-Lantern-42"
    login = {"email": "new.doc@example.com", "password": password}
    assert client.post("/api/auth/login", json=login).status_code == 401
    confirm = {"token": token, "new_password": password}
    assert client.post("/api/auth/password-reset/confirm", json=confirm).status_code == 204
    assert client.post("/api/auth/login", json=login).status_code == 200
    again = client.post("/api/auth/password-reset/confirm", json=confirm)
    assert again.status_code == 410


def test_create_provider_refuses_a_duplicate_email(client, admin, make_user):
    make_user(email="new.doc@example.com")
    response = client.post("/api/admin/providers", json=NEW_PROVIDER, headers=admin.headers)
    assert response.status_code == 409


def test_create_provider_validates_the_payload(client, admin):
    incomplete = {k: v for k, v in NEW_PROVIDER.items() if k != "specialization"}
    response = client.post("/api/admin/providers", json=incomplete, headers=admin.headers)
    assert response.status_code == 422
    bad_email = NEW_PROVIDER | {"email": "not-an-email"}
    assert (
        client.post("/api/admin/providers", json=bad_email, headers=admin.headers).status_code
        == 422
    )


def test_deactivation_ends_the_users_sessions_at_once(app, client, admin, patient):
    assert client.get("/api/auth/me", headers=patient.headers).status_code == 200
    response = client.patch(
        f"/api/admin/users/{patient.id}", json={"status": "inactive"}, headers=admin.headers
    )
    assert response.status_code == 200
    assert response.get_json()["status"] == "inactive"
    assert client.get("/api/auth/me", headers=patient.headers).status_code == 401
    login = {"email": patient.user.email, "password": patient.user.password}
    assert client.post("/api/auth/login", json=login).status_code == 403
    [row] = audit_rows(app, action="ADMIN_UPDATE_USER")
    assert row.details == {"fields": ["status"], "sessions_revoked": 1}

    reactivated = client.patch(
        f"/api/admin/users/{patient.id}", json={"status": "active"}, headers=admin.headers
    )
    assert reactivated.status_code == 200
    assert client.post("/api/auth/login", json=login).status_code == 200


@pytest.mark.parametrize("change", [{"status": "inactive"}, {"role": "patient"}])
def test_an_admin_cannot_deactivate_or_demote_themself(client, admin, signed_in, change):
    signed_in(role="admin")
    response = client.patch(f"/api/admin/users/{admin.id}", json=change, headers=admin.headers)
    assert response.status_code == 409
    assert "your own account" in response.get_json()["detail"]


def test_an_admin_cannot_delete_themself(client, admin, signed_in):
    signed_in(role="admin")
    response = client.delete(f"/api/admin/users/{admin.id}", headers=admin.headers)
    assert response.status_code == 409


@pytest.mark.parametrize("change", [{"status": "inactive"}, {"role": "provider"}])
def test_the_last_active_admin_stays(client, admin, make_user, change):
    make_user(role="admin", status="inactive")
    body = change | {"specialization": "x"} if change.get("role") == "provider" else change
    response = client.patch(f"/api/admin/users/{admin.id}", json=body, headers=admin.headers)
    assert response.status_code == 409
    assert "last active administrator" in response.get_json()["detail"]


def test_another_admin_can_be_demoted_while_one_remains(client, admin, signed_in):
    other = signed_in(role="admin")
    response = client.patch(
        f"/api/admin/users/{other.id}", json={"role": "patient"}, headers=admin.headers
    )
    assert response.status_code == 200
    assert client.get("/api/admin/stats", headers=other.headers).status_code == 403


def test_two_admins_demoting_each_other_at_once_leave_one_admin(app, signed_in):
    first, second = signed_in(role="admin"), signed_in(role="admin")

    def demote(actor, target):
        return lambda client: client.patch(
            f"/api/admin/users/{target.id}", json={"role": "patient"}, headers=actor.headers
        )

    statuses = statuses_in_parallel(app, [demote(first, second), demote(second, first)])
    assert sorted(statuses)[0] == 200
    assert sorted(statuses)[1] in (403, 409)
    with app.app_context():
        admins = db.session.scalars(select(User).where(User.role == "admin")).all()
        assert len(admins) == 1
        db.session.remove()


def test_grant_provider_requires_a_specialization(app, client, admin, patient):
    url = f"/api/admin/users/{patient.id}"
    missing = client.patch(url, json={"role": "provider"}, headers=admin.headers)
    assert missing.status_code == 422
    granted = client.patch(
        url,
        json={"role": "provider", "specialization": "Dermatology", "licence_number": "L-1"},
        headers=admin.headers,
    )
    assert granted.status_code == 200
    assert granted.get_json()["role"] == "provider"
    assert granted.get_json()["specialization"] == "Dermatology"
    [row] = audit_rows(app, action="ADMIN_GRANT_PROVIDER")
    assert row.resource_id == str(patient.id)
    assert row.details["fields"] == ["licence_number", "role", "specialization"]


def test_specialization_is_refused_for_non_providers(client, admin, patient):
    response = client.patch(
        f"/api/admin/users/{patient.id}", json={"specialization": "x"}, headers=admin.headers
    )
    assert response.status_code == 422


def test_revoke_provider_ends_their_relationships(
    app, client, admin, provider, make_user, care_link
):
    active = care_link(provider, make_user())
    emergency = care_link(provider, make_user(), kind="emergency")
    already_ended = care_link(provider, make_user(), ended_at=utcnow() - timedelta(days=1))
    response = client.patch(
        f"/api/admin/users/{provider.id}", json={"role": "patient"}, headers=admin.headers
    )
    assert response.status_code == 200
    assert response.get_json()["specialization"] is None
    with app.app_context():
        rels = {
            rel.id: rel for rel in db.session.scalars(select(ProviderPatientRelationship)).all()
        }
        assert rels[active].ended_at is not None
        assert rels[active].ended_by_id == admin.id
        assert rels[emergency].ended_at is not None
        assert rels[already_ended].ended_by_id is None
        db.session.remove()
    [row] = audit_rows(app, action="ADMIN_REVOKE_PROVIDER")
    assert row.details["relationships_ended"] == 2


def test_patch_unknown_user_and_invalid_status(client, admin, patient):
    missing = client.patch(
        f"/api/admin/users/{uuid.uuid4()}", json={"status": "inactive"}, headers=admin.headers
    )
    assert missing.status_code == 404
    erased = client.patch(
        f"/api/admin/users/{patient.id}", json={"status": "erased"}, headers=admin.headers
    )
    assert erased.status_code == 422


def test_stats_counts_with_group_by(app, client, admin, patient, provider, make_user, dbs):
    make_user(status="inactive")
    now = utcnow()
    week_start, _ = week_window(now)
    with dbs() as session:
        for start, status in [
            (week_start + timedelta(hours=10), "scheduled"),
            (week_start + timedelta(days=6, hours=23), "cancelled"),
            (week_start - timedelta(hours=1), "scheduled"),
        ]:
            session.add(
                Appointment(
                    patient_id=patient.id,
                    provider_id=provider.id,
                    start_time=start,
                    end_time=start + timedelta(minutes=30),
                    status=status,
                )
            )
        for severity, status in [
            ("critical", "open"),
            ("warning", "open"),
            ("warning", "resolved"),
        ]:
            session.add(
                Alert(
                    patient_id=patient.id,
                    biomarker_type="heart_rate",
                    severity=severity,
                    status=status,
                    observed_value=1,
                    last_value=1,
                    message="m",
                )
            )
        for hours_ago, minute in [(1, 0), (23, 1), (25, 2)]:
            session.add(
                BiomarkerReading(
                    patient_id=patient.id,
                    biomarker_type="steps",
                    value=10,
                    unit="steps",
                    measured_at=now - timedelta(days=3, minutes=minute),
                    received_at=now - timedelta(hours=hours_ago),
                )
            )
    response = client.get("/api/admin/stats", headers=admin.headers)
    assert response.status_code == 200
    stats = response.get_json()
    assert stats["users"]["patient"] == {"active": 1, "inactive": 1, "erased": 0}
    assert stats["users"]["provider"]["active"] == 1
    assert stats["users"]["admin"]["active"] == 1
    assert stats["appointments_this_week"]["scheduled"] == 1
    assert stats["appointments_this_week"]["cancelled"] == 1
    assert stats["open_alerts"] == {"warning": 1, "critical": 1}
    assert stats["readings_last_24h"] == 2
