from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from healix.models import PasswordResetToken
from healix.utils.hashing import sha256_hex
from healix.utils.time import utcnow
from tests.concurrency import statuses_in_parallel
from tests.factories.accounts import capture_mail, count_where, mailed_token
from tests.factories.audit import audit_rows

REQUEST = "/api/auth/password-reset/request"
CONFIRM = "/api/auth/password-reset/confirm"
NEW_PASSWORD = "Quiet-Harbour-Lights-81"


@pytest.fixture
def reset_token(client, patient, caplog):
    capture_mail(caplog)
    response = client.post(REQUEST, json={"email": patient.user.email.upper()})
    assert response.status_code == 202
    return mailed_token(caplog, patient.user.email)


def test_request_answers_the_same_for_unknown_and_known_emails(app, client, patient, caplog):
    capture_mail(caplog)
    known = client.post(REQUEST, json={"email": patient.user.email})
    unknown = client.post(REQUEST, json={"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 202
    assert known.get_data() == unknown.get_data()
    assert count_where(app, PasswordResetToken.user_id, patient.id) == 1
    mails = [r.getMessage() for r in caplog.records if r.name == "healix.mail"]
    assert len(mails) == 1
    assert patient.user.email in mails[0]
    rows = audit_rows(app, action="AUTH_PASSWORD_RESET_REQUESTED")
    assert len(rows) == 2
    assert all("@" not in str(row.details) and "@" not in str(row.resource_id) for row in rows)


def test_only_the_token_hash_is_stored(app, patient, reset_token, dbs):
    with dbs() as session:
        stored = session.scalars(select(PasswordResetToken)).one()
        assert stored.token_hash == sha256_hex(reset_token)
        assert stored.purpose == "reset"
        assert stored.user_id == patient.id


def test_no_token_for_an_inactive_account(app, client, make_user, caplog):
    capture_mail(caplog)
    user = make_user(status="inactive")
    assert client.post(REQUEST, json={"email": user.email}).status_code == 202
    assert count_where(app, PasswordResetToken.user_id, user.id) == 0
    assert not [r for r in caplog.records if r.name == "healix.mail"]


def test_confirm_sets_the_password_and_ends_every_session(app, client, patient, reset_token):
    response = client.post(CONFIRM, json={"token": reset_token, "new_password": NEW_PASSWORD})
    assert response.status_code == 204
    assert client.get("/api/auth/me", headers=patient.headers).status_code == 401
    old = {"email": patient.user.email, "password": patient.user.password}
    new = {"email": patient.user.email, "password": NEW_PASSWORD}
    assert client.post("/api/auth/login", json=old).status_code == 401
    assert client.post("/api/auth/login", json=new).status_code == 200
    [row] = audit_rows(app, action="AUTH_PASSWORD_RESET")
    assert row.actor_id == patient.id
    assert row.details == {"purpose": "reset"}


def test_a_password_change_ends_an_earlier_reset_token(client, patient, reset_token):
    """Issue 15 item 12: a reset token requested before `change-password` still worked."""
    changed = client.post(
        "/api/auth/change-password",
        json={
            "current_password": patient.user.password,
            "new_password": "Another-Fine-Passphrase-3",
        },
        headers=patient.headers,
    )
    assert changed.status_code == 204
    late = client.post(CONFIRM, json={"token": reset_token, "new_password": NEW_PASSWORD})
    assert late.status_code == 410


def test_a_token_works_once(client, reset_token):
    body = {"token": reset_token, "new_password": NEW_PASSWORD}
    assert client.post(CONFIRM, json=body).status_code == 204
    again = client.post(CONFIRM, json=body | {"new_password": "Another-Fine-Passphrase-3"})
    assert again.status_code == 410
    assert again.mimetype == "application/problem+json"


def test_an_expired_token_is_refused(client, patient, reset_token, dbs):
    with dbs() as session:
        for token in session.scalars(select(PasswordResetToken)):
            token.expires_at = utcnow() - timedelta(seconds=1)
    response = client.post(CONFIRM, json={"token": reset_token, "new_password": NEW_PASSWORD})
    assert response.status_code == 410
    login = {"email": patient.user.email, "password": patient.user.password}
    assert client.post("/api/auth/login", json=login).status_code == 200


def test_an_unknown_token_is_a_bad_request(client):
    response = client.post(CONFIRM, json={"token": "hxp_nope", "new_password": NEW_PASSWORD})
    assert response.status_code == 400


def test_a_weak_password_is_refused_and_the_token_kept(client, reset_token):
    weak = client.post(CONFIRM, json={"token": reset_token, "new_password": "password123"})
    assert weak.status_code == 422
    assert weak.get_json()["errors"][0]["loc"] == "new_password"
    ok = client.post(CONFIRM, json={"token": reset_token, "new_password": NEW_PASSWORD})
    assert ok.status_code == 204


def test_a_new_request_supersedes_the_earlier_token(client, patient, reset_token, caplog):
    assert client.post(REQUEST, json={"email": patient.user.email}).status_code == 202
    newer = mailed_token(caplog, patient.user.email)
    assert newer != reset_token
    old = client.post(CONFIRM, json={"token": reset_token, "new_password": NEW_PASSWORD})
    assert old.status_code == 410
    assert (
        client.post(CONFIRM, json={"token": newer, "new_password": NEW_PASSWORD}).status_code == 204
    )


def test_a_deactivated_account_cannot_use_its_token(client, admin, patient, reset_token):
    client.patch(
        f"/api/admin/users/{patient.id}", json={"status": "inactive"}, headers=admin.headers
    )
    response = client.post(CONFIRM, json={"token": reset_token, "new_password": NEW_PASSWORD})
    assert response.status_code == 400


def test_concurrent_confirms_use_the_token_once(app, patient, reset_token):
    statuses = statuses_in_parallel(
        app,
        [
            lambda client, p=password: client.post(
                CONFIRM, json={"token": reset_token, "new_password": p}
            )
            for password in (NEW_PASSWORD, "Second-Distinct-Passphrase-5")
        ],
    )
    assert sorted(statuses) == [204, 410]
    assert len(audit_rows(app, action="AUTH_PASSWORD_RESET")) == 1
