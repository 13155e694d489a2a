"""TRUSTED_PROXIES: X-Forwarded-For/-Proto are believed only from configured proxies, so audit
rows and rate limits see the real client and nobody can spoof it by sending the header."""

from __future__ import annotations

from flask import request
from sqlalchemy import select

from healix.audit.events import AuditAction
from healix.models.audit_log import AuditLog

FAILED = {"email": "who@example.com", "password": "wrong-password-xyz"}


def login_failure_address(client, dbs, **headers: str) -> str | None:
    assert client.post("/api/auth/login", json=FAILED, headers=headers).status_code == 401
    with dbs() as session:
        row = session.scalars(
            select(AuditLog)
            .where(AuditLog.action == AuditAction.AUTH_LOGIN_FAILED)
            .order_by(AuditLog.seq.desc())
        ).first()
        assert row is not None
        return row.ip_address


def test_a_spoofed_forwarded_for_sent_straight_to_the_app_is_ignored(client, dbs):
    spoofed = {"X-Forwarded-For": "203.0.113.66", "X-Forwarded-Proto": "https"}
    assert login_failure_address(client, dbs, **spoofed) == "127.0.0.1"


def test_behind_one_proxy_the_client_is_the_last_forwarded_address(make_app, dbs):
    client = make_app(trusted_proxies=1).test_client()
    # the client itself may send a forged first entry; only the proxy's own entry counts
    chain = {"X-Forwarded-For": "198.51.100.7, 203.0.113.9"}
    assert login_failure_address(client, dbs, **chain) == "203.0.113.9"


def test_behind_a_proxy_the_forwarded_scheme_is_believed(make_app):
    app = make_app(trusted_proxies=1)
    seen: dict[str, object] = {}

    @app.get("/_probe")
    def probe() -> str:
        seen["secure"] = request.is_secure
        seen["remote"] = request.remote_addr
        return ""

    app.test_client().get("/_probe", headers={"X-Forwarded-Proto": "https"})
    assert seen == {"secure": True, "remote": "127.0.0.1"}


def test_spoofed_addresses_do_not_escape_the_rate_limit(make_app):
    client = make_app(ratelimit_enabled=True, ratelimit_auth="2 per minute").test_client()
    statuses = [
        client.post(
            "/api/auth/login", json=FAILED, headers={"X-Forwarded-For": f"192.0.2.{n}"}
        ).status_code
        for n in range(3)
    ]
    assert statuses == [401, 401, 429]
