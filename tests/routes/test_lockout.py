"""The sign-in throttle per account and source (issue 15 item 14): an attacker cannot lock
the owner out, a known address is only slowed, the account-wide ceiling mails one unlock link."""

from __future__ import annotations

import re

from sqlalchemy import select

from healix.audit.events import AuditAction
from healix.models.audit_log import AuditLog
from tests.factories.accounts import capture_mail
from tests.factories.users import DEFAULT_PASSWORD

LOGIN = "/api/auth/login"
UNLOCK = "/api/auth/unlock"
OWNER_IP = "198.51.100.7"
UNLOCK_LINK = re.compile(r"/unlock#token=(hxu_[A-Za-z0-9_.-]+)")


def login(client, email, password, ip):
    return client.post(
        LOGIN, json={"email": email, "password": password}, environ_base={"REMOTE_ADDR": ip}
    )


def unlock_mails(caplog, to):
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "healix.mail" and to in r.getMessage() and "/unlock#token=" in r.getMessage()
    ]


def test_failures_from_one_address_do_not_lock_the_owner_out_elsewhere(client, make_user):
    user = make_user(email="owner@example.com")
    statuses = [
        login(client, user.email, "wrong-guess", "203.0.113.9").status_code for _ in range(6)
    ]
    assert statuses == [401] * 5 + [429]
    assert login(client, user.email, DEFAULT_PASSWORD, OWNER_IP).status_code == 200


def test_a_known_address_is_slowed_not_locked(client, make_user, dbs):
    user = make_user(email="known@example.com")
    assert login(client, user.email, DEFAULT_PASSWORD, OWNER_IP).status_code == 200
    statuses = [login(client, user.email, "mistyped", OWNER_IP).status_code for _ in range(5)]
    assert statuses == [401] * 5
    slowed = login(client, user.email, DEFAULT_PASSWORD, OWNER_IP)
    assert slowed.status_code == 429
    assert 0 < int(slowed.headers["Retry-After"]) <= 31
    _age(dbs, seconds=31)
    assert login(client, user.email, DEFAULT_PASSWORD, OWNER_IP).status_code == 200


def test_the_slowdown_doubles_up_to_its_cap(client, make_user, dbs):
    user = make_user(email="slow@example.com")
    assert login(client, user.email, DEFAULT_PASSWORD, OWNER_IP).status_code == 200
    waits: list[int] = []
    while len(waits) < 5:
        response = login(client, user.email, "mistyped", OWNER_IP)
        if response.status_code == 429:
            waits.append(int(response.headers["Retry-After"]))
            _age(dbs, seconds=waits[-1] + 1)  # wait it out: the next attempt is answered
        else:
            assert response.status_code == 401
    assert [wait // 10 for wait in waits] == [3, 6, 12, 24, 30]  # 30 s doubling, at most 300 s


def test_password_rechecks_of_a_signed_in_session_are_slowed_not_locked(client, patient, dbs):
    def change_password(password):
        return client.post(
            "/api/auth/change-password",
            json={"current_password": password, "new_password": "Quiet-Harbour-Lights-81"},
            headers=patient.headers,
        )

    for _ in range(5):
        assert change_password("Wrong-password-xyz-1").status_code == 403
    slowed = change_password(DEFAULT_PASSWORD)
    assert slowed.status_code == 429
    assert int(slowed.headers["Retry-After"]) <= 31
    _age(dbs, seconds=31)
    assert change_password(DEFAULT_PASSWORD).status_code == 204


def test_the_account_wide_ceiling_locks_unknown_addresses_and_mails_one_link(
    client, make_user, caplog
):
    capture_mail(caplog)
    user = make_user(email="target@example.com")
    assert login(client, user.email, DEFAULT_PASSWORD, OWNER_IP).status_code == 200
    for i in range(20):  # 4 failures from each of 5 addresses: no address reaches its limit
        assert login(client, user.email, "guess", f"203.0.113.{i // 4}").status_code == 401
    assert login(client, user.email, DEFAULT_PASSWORD, "192.0.2.1").status_code == 429
    assert login(client, user.email, DEFAULT_PASSWORD, "192.0.2.2").status_code == 429
    assert len(unlock_mails(caplog, user.email)) == 1
    # the owner's known address still signs in
    assert login(client, user.email, DEFAULT_PASSWORD, OWNER_IP).status_code == 200
    [mail] = unlock_mails(caplog, user.email)
    token = UNLOCK_LINK.search(mail).group(1)
    assert client.post(UNLOCK, json={"token": token}).status_code == 204
    assert login(client, user.email, DEFAULT_PASSWORD, "192.0.2.1").status_code == 200
    assert client.post(UNLOCK, json={"token": token}).status_code == 410


def test_the_unlock_is_audited_and_the_log_holds_no_email_or_token(client, make_user, caplog, dbs):
    capture_mail(caplog)
    user = make_user(email="audited@example.com")
    for i in range(21):
        login(client, user.email, "guess", f"203.0.113.{i // 4}")
    token = UNLOCK_LINK.search(unlock_mails(caplog, user.email)[0]).group(1)
    assert client.post(UNLOCK, json={"token": token}).status_code == 204
    with dbs() as session:
        rows = session.scalars(select(AuditLog)).all()
        actions = [row.action for row in rows]
        assert AuditAction.AUTH_LOGIN_UNLOCK_MAILED in actions
        assert AuditAction.AUTH_LOGIN_UNLOCKED in actions
        dumped = str([(r.details, r.resource_id) for r in rows])
        assert user.email not in dumped
        assert token not in dumped


def test_a_forged_unlock_token_is_refused(client, make_user):
    assert client.post(UNLOCK, json={"token": "hxu_forged.token.value"}).status_code == 400
    assert client.post(UNLOCK, json={"token": "not-a-token"}).status_code == 400


def _age(dbs, *, seconds: int) -> None:
    """Move the sign-in audit rows back in time, keeping their order (bypassing the
    append-only trigger)."""
    from datetime import timedelta

    from sqlalchemy import text

    table = AuditLog.__table__
    with dbs() as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SET LOCAL session_replication_role = replica"))
        rows = session.execute(
            select(table.c.id, table.c.created_at).where(table.c.resource_type == "login")
        ).all()
        for row_id, created_at in rows:
            session.execute(
                table.update()
                .where(table.c.id == row_id)
                .values(created_at=created_at - timedelta(seconds=seconds))
            )
