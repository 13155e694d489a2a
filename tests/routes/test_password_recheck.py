"""Issue 15 item 13: password re-checks of a signed-in user are throttled like sign-in
(before, `change-password` and `DELETE /api/users/me` took 25 wrong passwords in 6 s)."""

from __future__ import annotations

import pytest

from healix.audit.events import AuditAction
from tests.factories.audit import audit_rows
from tests.factories.users import DEFAULT_PASSWORD

NEW_PASSWORD = "Quiet-Harbour-Lights-81"


def change_password(client, who, current):
    return client.post(
        "/api/auth/change-password",
        json={"current_password": current, "new_password": NEW_PASSWORD},
        headers=who.headers,
    )


def delete_me(client, who, password):
    return client.delete("/api/users/me", json={"password": password}, headers=who.headers)


@pytest.mark.parametrize("attempt", [change_password, delete_me])
def test_wrong_passwords_lock_the_recheck_like_sign_in(app, client, patient, attempt):
    limit = app.extensions["healix_settings"].login_max_failures
    for _ in range(limit):
        assert attempt(client, patient, "Wrong-password-xyz-1").status_code == 403
    locked = attempt(client, patient, DEFAULT_PASSWORD)
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) > 0
    rows = audit_rows(app, AuditAction.AUTH_PASSWORD_RECHECK_FAILED)
    assert len(rows) == limit
    assert rows[0].details["user_id"] == str(patient.id)
    assert "password" not in str(rows[0].details).replace("_password", "")


def test_wrong_rechecks_and_wrong_sign_ins_share_one_count(app, client, patient):
    limit = app.extensions["healix_settings"].login_max_failures
    for _ in range(limit - 1):
        assert change_password(client, patient, "Wrong-password-xyz-1").status_code == 403
    wrong_login = client.post(
        "/api/auth/login", json={"email": patient.user.email, "password": "Wrong-password-xyz-1"}
    )
    assert wrong_login.status_code == 401
    login = client.post(
        "/api/auth/login", json={"email": patient.user.email, "password": DEFAULT_PASSWORD}
    )
    assert login.status_code == 429


def test_the_rechecking_endpoints_are_rate_limited_per_ip(app):
    from healix.middleware.rate_limit import RATE_LIMITED_ENDPOINTS

    assert {"auth.change_password", "users.delete_me", "mfa.disable_mfa"} <= set(
        RATE_LIMITED_ENDPOINTS
    )
    assert all(endpoint in app.view_functions for endpoint in RATE_LIMITED_ENDPOINTS)
