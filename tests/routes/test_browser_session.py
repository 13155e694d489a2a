"""The web app's session: refresh token in an HttpOnly cookie, accepted only with the client
header and a same-site Origin; bearer clients unchanged."""

from __future__ import annotations

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from healix.audit.events import AuditAction
from healix.models.audit_log import AuditLog
from healix.models.user_session import UserSession
from tests.factories.users import DEFAULT_PASSWORD

WEB = {"X-Healix-Client": "web", "Origin": "http://localhost"}
COOKIE = "healix_refresh"


def web_login(client, user, headers=WEB):
    return client.post(
        "/api/auth/login", json={"email": user.email, "password": DEFAULT_PASSWORD}, headers=headers
    )


def set_cookie_header(response) -> str:
    cookies = [
        value for value in response.headers.getlist("Set-Cookie") if value.startswith(COOKIE)
    ]
    assert len(cookies) == 1, response.headers.getlist("Set-Cookie")
    return cookies[0]


@pytest.fixture
def user(make_user):
    return make_user(role="patient")


class TestSignIn:
    def test_web_login_puts_the_refresh_token_in_an_httponly_strict_cookie(self, client, user):
        response = web_login(client, user)
        assert response.status_code == 200
        body = response.get_json()
        assert body["access_token"]
        assert body["refresh_token"] is None
        cookie = set_cookie_header(response)
        assert "HttpOnly" in cookie
        assert "SameSite=Strict" in cookie
        assert "Path=/api/auth" in cookie
        assert "Max-Age=604800" in cookie
        # plain http to localhost outside production: not Secure, so development works
        assert "Secure" not in cookie

    def test_the_cookie_is_secure_over_https(self, client, user):
        response = client.post(
            "/api/auth/login",
            json={"email": user.email, "password": DEFAULT_PASSWORD},
            headers={**WEB, "Origin": "https://localhost"},
            base_url="https://localhost",
        )
        assert response.status_code == 200
        assert "Secure" in set_cookie_header(response)

    def test_the_cookie_is_secure_for_another_host_even_over_http(self, client, user):
        response = client.post(
            "/api/auth/login",
            json={"email": user.email, "password": DEFAULT_PASSWORD},
            headers={**WEB, "Origin": "http://healix.example"},
            base_url="http://healix.example",
        )
        assert "Secure" in set_cookie_header(response)

    def test_the_cookie_is_secure_in_production(self, make_app, user):
        production = make_app(
            healix_env="production", jwt_secret_key=SecretStr("testing-secret-" + "x" * 32)
        )
        response = web_login(production.test_client(), user)
        assert response.status_code == 200
        assert "Secure" in set_cookie_header(response)

    def test_web_register_signs_nobody_in(self, client):
        response = client.post(
            "/api/auth/register",
            json={
                "email": "web.user@example.com",
                "password": "a-Long-unique-passphrase-7",
                "first_name": "Web",
                "last_name": "User",
            },
            headers=WEB,
        )
        # the same answer for a new and a taken address: no tokens, no cookie (issue 15)
        assert response.status_code == 202
        assert not [c for c in response.headers.getlist("Set-Cookie") if c.startswith(COOKIE)]

    def test_bearer_clients_get_the_refresh_token_in_the_body_and_no_cookie(self, client, user):
        response = web_login(client, user, headers={})
        assert response.status_code == 200
        assert response.get_json()["refresh_token"]
        assert not [c for c in response.headers.getlist("Set-Cookie") if c.startswith(COOKIE)]

    def test_a_cross_site_web_login_is_refused(self, client, user, dbs):
        response = web_login(client, user, headers={**WEB, "Origin": "https://evil.example"})
        assert response.status_code == 403
        assert response.mimetype == "application/problem+json"
        assert "Origin" in response.get_json()["detail"]
        with dbs() as session:
            row = session.scalars(
                select(AuditLog).where(AuditLog.action == AuditAction.ACCESS_DENIED)
            ).one()
            assert row.resource_type == "session"
            assert row.details["reason"] == "origin"
            assert not session.scalars(select(UserSession)).all()


class TestRefresh:
    def test_the_cookie_refreshes_and_rotates(self, client, user):
        first = set_cookie_header(web_login(client, user))
        response = client.post("/api/auth/refresh", headers=WEB)
        assert response.status_code == 200
        body = response.get_json()
        assert body["access_token"]
        assert body["refresh_token"] is None
        second = set_cookie_header(response)
        assert second != first
        me = client.get("/api/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
        assert me.status_code == 200

    def test_a_replayed_cookie_revokes_the_session(self, client, user, dbs):
        web_login(client, user)
        old = client.get_cookie(COOKIE, path="/api/auth").value
        assert client.post("/api/auth/refresh", headers=WEB).status_code == 200
        client.set_cookie(COOKIE, old, path="/api/auth")
        assert client.post("/api/auth/refresh", headers=WEB).status_code == 401
        with dbs() as session:
            assert session.scalars(select(UserSession.revoked_reason)).one() == "refresh_reuse"

    @pytest.mark.parametrize(
        "headers",
        [
            pytest.param({"Origin": "http://localhost"}, id="no client header"),
            pytest.param({"X-Healix-Client": "web"}, id="no Origin"),
            pytest.param(
                {"X-Healix-Client": "web", "Origin": "https://evil.example"}, id="cross-site"
            ),
            pytest.param(
                {"X-Healix-Client": "other", "Origin": "http://localhost"}, id="wrong header"
            ),
        ],
    )
    def test_cookie_requests_without_the_header_or_from_another_site_are_refused(
        self, client, user, dbs, headers
    ):
        web_login(client, user)
        cookie_before = client.get_cookie(COOKIE, path="/api/auth").value
        response = client.post("/api/auth/refresh", headers=headers)
        assert response.status_code == 403
        assert response.mimetype == "application/problem+json"
        assert client.get_cookie(COOKIE, path="/api/auth").value == cookie_before
        with dbs() as session:
            assert session.scalars(select(UserSession.revoked_at)).one() is None
            assert session.scalars(
                select(AuditLog.details["reason"].as_string()).where(
                    AuditLog.action == AuditAction.ACCESS_DENIED
                )
            ).one() in {"client_header", "origin"}
        # the refused attempt did not use up the cookie
        assert client.post("/api/auth/refresh", headers=WEB).status_code == 200

    def test_without_cookie_or_token_refresh_is_401(self, client):
        response = client.post("/api/auth/refresh", headers=WEB)
        assert response.status_code == 401
        assert response.get_json()["detail"] == "A bearer token is required."

    def test_an_access_token_in_the_cookie_is_refused(self, client, user):
        access = web_login(client, user).get_json()["access_token"]
        client.set_cookie(COOKIE, access, path="/api/auth")
        assert client.post("/api/auth/refresh", headers=WEB).status_code == 401

    def test_bearer_refresh_is_unchanged(self, client, user):
        refresh_token = web_login(client, user, headers={}).get_json()["refresh_token"]
        response = client.post(
            "/api/auth/refresh", headers={"Authorization": f"Bearer {refresh_token}"}
        )
        assert response.status_code == 200
        assert response.get_json()["refresh_token"]
        assert not [c for c in response.headers.getlist("Set-Cookie") if c.startswith(COOKIE)]

    def test_the_cookie_is_not_used_for_other_endpoints(self, client, user):
        web_login(client, user)
        assert client.get("/api/auth/me", headers=WEB).status_code == 401


class TestLogout:
    def test_cookie_logout_ends_the_session_and_clears_the_cookie(self, client, user, dbs):
        access = web_login(client, user).get_json()["access_token"]
        response = client.post("/api/auth/logout", headers=WEB)
        assert response.status_code == 204
        cleared = set_cookie_header(response)
        assert "Max-Age=0" in cleared or "expires=Thu, 01 Jan 1970" in cleared
        assert client.get_cookie(COOKIE, path="/api/auth") is None
        me = client.get("/api/auth/me", headers={"Authorization": f"Bearer {access}"})
        assert me.status_code == 401
        with dbs() as session:
            assert session.scalars(select(UserSession.revoked_reason)).one() == "logout"

    def test_bearer_logout_from_the_web_app_clears_the_cookie_too(self, client, user):
        access = web_login(client, user).get_json()["access_token"]
        response = client.post(
            "/api/auth/logout", headers={**WEB, "Authorization": f"Bearer {access}"}
        )
        assert response.status_code == 204
        assert client.get_cookie(COOKIE, path="/api/auth") is None

    def test_cross_site_cookie_logout_is_refused(self, client, user, dbs):
        web_login(client, user)
        response = client.post(
            "/api/auth/logout", headers={"X-Healix-Client": "web", "Origin": "https://evil.example"}
        )
        assert response.status_code == 403
        with dbs() as session:
            assert session.scalars(select(UserSession.revoked_at)).one() is None
