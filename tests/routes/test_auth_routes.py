"""Accounts and sign-in through the HTTP API."""

from __future__ import annotations

from datetime import timedelta

import jwt as pyjwt
import pytest
from sqlalchemy import func, select

from healix.audit.events import AuditAction
from healix.models.audit_log import AuditLog
from healix.models.user import User, UserStatus
from healix.models.user_session import UserSession
from healix.utils.time import utcnow
from tests.factories.users import DEFAULT_PASSWORD

STRONG_PASSWORD = "a-Long-unique-passphrase-7"


def register(client, **overrides):
    body = {
        "email": "new.user@example.com",
        "password": STRONG_PASSWORD,
        "first_name": "New",
        "last_name": "User",
    } | overrides
    return client.post("/api/auth/register", json=body)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def audit_actions(dbs) -> list[str]:
    with dbs() as session:
        return list(session.scalars(select(AuditLog.action).order_by(AuditLog.seq)))


class TestRegister:
    def test_creates_a_patient_even_when_a_role_is_sent(self, client, dbs):
        response = register(client, email="Mixed.Case@Example.com", role="admin")
        assert response.status_code == 202
        assert set(response.get_json()) == {"message"}
        login = client.post(
            "/api/auth/login",
            json={"email": "mixed.case@example.com", "password": STRONG_PASSWORD},
        )
        user = login.get_json()["user"]
        assert user["role"] == "patient"
        assert user["email"] == "mixed.case@example.com"
        # the user's profile comes along, so a client needs no second call to start
        assert set(user) == {
            "id",
            "email",
            "role",
            "status",
            "first_name",
            "last_name",
            "created_at",
            "specialization",
            "licence_number",
            "date_of_birth",
            "gender",
            "phone",
            "health_conditions",
            "timezone",
            "preferences",
        }
        assert "password_hash" not in user
        assert AuditAction.AUTH_REGISTER in audit_actions(dbs)

    def test_duplicate_email_in_any_case_answers_the_same(self, client):
        """Issue 15 item 11: registering an existing address answered 409 (enumeration)."""
        first = register(client)
        again = register(client, email="NEW.user@example.com")
        assert first.status_code == again.status_code == 202
        assert first.get_json() == again.get_json()

    @pytest.mark.parametrize(
        ("password", "fragment"),
        [
            ("short-Pw-1", "at least 12 characters"),
            ("é" * 37, "at most 72 bytes"),
            ("password1234", "too common"),
            ("new.user-is-my-password", "email"),
        ],
    )
    def test_password_policy(self, client, password, fragment):
        response = register(client, password=password)
        assert response.status_code == 422
        messages = " ".join(e["msg"] for e in response.get_json()["errors"])
        assert fragment in messages
        assert all(e["loc"] == "password" for e in response.get_json()["errors"])

    def test_73_byte_password_is_refused_not_truncated(self, client):
        response = register(client, password="Ab1-" + "x" * 69)
        assert response.status_code == 422
        assert "72 bytes" in response.get_json()["errors"][0]["msg"]

    def test_missing_and_mistyped_fields_are_named(self, client):
        response = client.post("/api/auth/register", json={"email": "nope", "password": 5})
        assert response.status_code == 422
        locs = {e["loc"] for e in response.get_json()["errors"]}
        assert {"email", "password", "first_name", "last_name"} <= locs


class TestLogin:
    def test_success_returns_bearer_tokens(self, client, make_user, dbs):
        user = make_user(email="login@example.com")
        response = client.post(
            "/api/auth/login", json={"email": "LOGIN@example.com", "password": DEFAULT_PASSWORD}
        )
        assert response.status_code == 200
        body = response.get_json()
        assert body["token_type"] == "Bearer"
        assert body["expires_in"] == 15 * 60
        assert body["user"]["id"] == str(user.id)
        assert AuditAction.AUTH_LOGIN_SUCCEEDED in audit_actions(dbs)

    def test_unknown_email_and_wrong_password_look_alike(self, client, make_user, dbs):
        make_user(email="known@example.com")
        wrong = client.post(
            "/api/auth/login", json={"email": "known@example.com", "password": "not-the-password-1"}
        )
        unknown = client.post(
            "/api/auth/login", json={"email": "ghost@example.com", "password": "not-the-password-1"}
        )
        assert wrong.status_code == unknown.status_code == 401
        strip = lambda body: {k: v for k, v in body.items() if k != "request_id"}  # noqa: E731
        assert strip(wrong.get_json()) == strip(unknown.get_json())
        with dbs() as session:
            rows = session.scalars(
                select(AuditLog).where(AuditLog.action == AuditAction.AUTH_LOGIN_FAILED)
            ).all()
            assert len(rows) == 2
            serialized = str([(r.details, r.resource_id) for r in rows])
            assert "ghost@example.com" not in serialized
            assert "known@example.com" not in serialized

    def test_inactive_account_is_forbidden(self, client, make_user):
        make_user(email="off@example.com", status=UserStatus.INACTIVE)
        response = client.post(
            "/api/auth/login", json={"email": "off@example.com", "password": DEFAULT_PASSWORD}
        )
        assert response.status_code == 403

    def test_lockout_after_five_failures_and_its_expiry(self, client, make_user, dbs):
        make_user(email="target@example.com")
        attempt = {"email": "target@example.com", "password": "wrong-password-xyz"}
        for _ in range(5):
            assert client.post("/api/auth/login", json=attempt).status_code == 401
        locked = client.post("/api/auth/login", json={**attempt, "password": DEFAULT_PASSWORD})
        assert locked.status_code == 429
        assert 0 < int(locked.headers["Retry-After"]) <= 15 * 60 + 1
        assert AuditAction.AUTH_LOGIN_LOCKED in audit_actions(dbs)
        _age_login_failures(dbs, minutes=16)
        unlocked = client.post("/api/auth/login", json={**attempt, "password": DEFAULT_PASSWORD})
        assert unlocked.status_code == 200

    def test_unknown_email_is_locked_out_too(self, client):
        attempt = {"email": "nobody@example.com", "password": "wrong-password-xyz"}
        statuses = [client.post("/api/auth/login", json=attempt).status_code for _ in range(6)]
        assert statuses == [401] * 5 + [429]

    def test_success_resets_the_failure_count(self, client, make_user):
        make_user(email="reset@example.com")
        bad = {"email": "reset@example.com", "password": "wrong-password-xyz"}
        good = {"email": "reset@example.com", "password": DEFAULT_PASSWORD}
        for _ in range(4):
            client.post("/api/auth/login", json=bad)
        assert client.post("/api/auth/login", json=good).status_code == 200
        for _ in range(4):
            assert client.post("/api/auth/login", json=bad).status_code == 401
        assert client.post("/api/auth/login", json=good).status_code == 200


def _age_login_failures(dbs, *, minutes: int) -> None:
    """Move the failed-login audit rows back in time (bypassing the append-only trigger)."""
    from sqlalchemy import text

    with dbs() as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SET LOCAL session_replication_role = replica"))
        session.execute(
            AuditLog.__table__.update()
            .where(AuditLog.action == AuditAction.AUTH_LOGIN_FAILED)
            .values(created_at=utcnow() - timedelta(minutes=minutes))
        )


class TestTokens:
    def test_me_needs_a_token(self, client):
        response = client.get("/api/auth/me")
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == "Bearer"

    def test_refresh_token_is_not_an_access_token(self, client, patient):
        assert client.get("/api/auth/me", headers=bearer(patient.refresh_token)).status_code == 401

    def test_access_token_is_not_a_refresh_token(self, client, patient):
        response = client.post("/api/auth/refresh", headers=bearer(patient.access_token))
        assert response.status_code == 401

    def test_expired_token(self, app, client, patient):
        claims = pyjwt.decode(patient.access_token, options={"verify_signature": False})
        claims["exp"] = int((utcnow() - timedelta(minutes=1)).timestamp())
        token = pyjwt.encode(claims, app.config["JWT_SECRET_KEY"], algorithm="HS256")
        response = client.get("/api/auth/me", headers=bearer(token))
        assert response.status_code == 401
        assert "expired" in response.get_json()["detail"]

    def test_tampered_token(self, client, patient):
        header, payload, signature = patient.access_token.split(".")
        forged = f"{header}.{payload}.{signature[::-1]}"
        assert client.get("/api/auth/me", headers=bearer(forged)).status_code == 401

    def test_token_signed_with_another_secret(self, client, patient):
        claims = pyjwt.decode(patient.access_token, options={"verify_signature": False})
        token = pyjwt.encode(claims, "another-secret-of-enough-length-1234567", algorithm="HS256")
        assert client.get("/api/auth/me", headers=bearer(token)).status_code == 401

    def test_alg_none_is_refused(self, client, patient):
        claims = pyjwt.decode(patient.access_token, options={"verify_signature": False})
        token = pyjwt.encode(claims, None, algorithm="none")
        assert client.get("/api/auth/me", headers=bearer(token)).status_code == 401

    def test_refresh_rotates_and_reuse_revokes_the_session(self, client, patient, dbs):
        first = client.post("/api/auth/refresh", headers=bearer(patient.refresh_token))
        assert first.status_code == 200
        rotated = first.get_json()
        assert rotated["refresh_token"] != patient.refresh_token
        reuse = client.post("/api/auth/refresh", headers=bearer(patient.refresh_token))
        assert reuse.status_code == 401
        # the whole session is gone: the rotated tokens stop working too
        assert (
            client.post("/api/auth/refresh", headers=bearer(rotated["refresh_token"])).status_code
            == 401
        )
        assert (
            client.get("/api/auth/me", headers=bearer(rotated["access_token"])).status_code == 401
        )
        assert AuditAction.AUTH_REFRESH_REUSE in audit_actions(dbs)

    def test_logout_revokes_access_and_refresh_tokens(self, client, patient):
        assert client.post("/api/auth/logout", headers=patient.headers).status_code == 204
        assert client.get("/api/auth/me", headers=patient.headers).status_code == 401
        assert (
            client.post("/api/auth/refresh", headers=bearer(patient.refresh_token)).status_code
            == 401
        )

    def test_revocation_survives_a_restart(self, app, make_app, patient):
        """Revocation lives in the database: a brand-new app instance refuses the token."""
        client = app.test_client()
        assert client.post("/api/auth/logout", headers=patient.headers).status_code == 204
        other_worker = make_app()
        assert (
            other_worker.test_client().get("/api/auth/me", headers=patient.headers).status_code
            == 401
        )

    def test_deactivated_users_token_stops_working(self, client, patient, dbs):
        with dbs() as session:
            session.get(User, patient.id).status = UserStatus.INACTIVE
        assert client.get("/api/auth/me", headers=patient.headers).status_code == 401

    def test_role_is_read_from_the_database_each_request(self, client, patient, dbs):
        with dbs() as session:
            session.get(User, patient.id).role = "provider"
        assert client.get("/api/auth/me", headers=patient.headers).get_json()["role"] == "provider"


class TestChangePassword:
    def test_changes_password_and_revokes_other_sessions(self, app, client, patient, dbs):
        from tests.factories.users import sign_in

        other = sign_in(app, patient.user)
        response = client.post(
            "/api/auth/change-password",
            headers=patient.headers,
            json={"current_password": DEFAULT_PASSWORD, "new_password": STRONG_PASSWORD},
        )
        assert response.status_code == 204
        assert client.get("/api/auth/me", headers=patient.headers).status_code == 200
        assert client.get("/api/auth/me", headers=other.headers).status_code == 401
        login = client.post(
            "/api/auth/login", json={"email": patient.user.email, "password": STRONG_PASSWORD}
        )
        assert login.status_code == 200
        with dbs() as session:
            revoked = session.scalar(
                select(func.count())
                .select_from(UserSession)
                .where(UserSession.user_id == patient.id, UserSession.revoked_at.is_not(None))
            )
        assert revoked == 1
        assert AuditAction.AUTH_PASSWORD_CHANGED in audit_actions(dbs)

    def test_wrong_current_password(self, client, patient):
        response = client.post(
            "/api/auth/change-password",
            headers=patient.headers,
            json={"current_password": "not-my-password-1", "new_password": STRONG_PASSWORD},
        )
        assert response.status_code == 403

    def test_new_password_must_follow_the_policy(self, client, patient):
        response = client.post(
            "/api/auth/change-password",
            headers=patient.headers,
            json={"current_password": DEFAULT_PASSWORD, "new_password": "short"},
        )
        assert response.status_code == 422
        assert response.get_json()["errors"][0]["loc"] == "new_password"


def test_full_flow_as_in_the_readme(client):
    assert register(client).status_code == 202
    login = client.post(
        "/api/auth/login", json={"email": "new.user@example.com", "password": STRONG_PASSWORD}
    ).get_json()
    assert client.get("/api/auth/me", headers=bearer(login["access_token"])).status_code == 200
    refreshed = client.post("/api/auth/refresh", headers=bearer(login["refresh_token"])).get_json()
    assert (
        client.post("/api/auth/logout", headers=bearer(refreshed["access_token"])).status_code
        == 204
    )
