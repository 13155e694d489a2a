"""Issue 15 item 11: registration without account enumeration, and verified email."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine

from healix.audit.events import AuditAction
from healix.utils.time import utcnow
from tests.factories.audit import audit_rows
from tests.factories.users import DEFAULT_PASSWORD
from tests.mails import capture_mails, logged_mails

REGISTER = "/api/auth/register"
VERIFY = "/api/auth/verify-email"
PASSWORD = "a-Long-unique-passphrase-7"
VERIFY_LINK = re.compile(r"/verify-email#token=(hxv_[A-Za-z0-9_.-]+)")


def register(client, email="new.person@example.com", password=PASSWORD):
    body = {"email": email, "password": password, "first_name": "New", "last_name": "Person"}
    return client.post(REGISTER, json=body)


def login(client, email="new.person@example.com", password=PASSWORD):
    return client.post("/api/auth/login", json={"email": email, "password": password})


def verification_token(caplog, to="new.person@example.com") -> str:
    [mail] = [m for m in logged_mails(caplog, to=to) if "Confirm your email" in m.subject]
    match = VERIFY_LINK.search(mail.text)
    assert match, mail.text
    return match.group(1)


@pytest.fixture
def strict(make_app):
    return make_app(email_verification_required=True).test_client()


def test_new_and_existing_addresses_get_the_same_answer(app, client, make_user, caplog):
    patient = make_user(email="owner@example.com", email_verified_at=utcnow())
    capture_mails(caplog)
    new = register(client)
    taken = register(client, email=patient.email.upper())
    assert new.status_code == taken.status_code == 202
    assert new.get_json() == taken.get_json()
    assert new.headers.get("Set-Cookie") is None
    assert taken.headers.get("Set-Cookie") is None
    # the existing owner is told, nothing changes on their account
    [warning] = logged_mails(caplog, to=patient.email)
    assert "tried to register" in warning.subject
    assert login(client, patient.email, DEFAULT_PASSWORD).status_code == 200
    [attempt] = [row for row in audit_rows(app, AuditAction.AUTH_REGISTER) if row.actor_id is None]
    assert attempt.details == {"account": "existing"}
    assert patient.email not in str(attempt.resource_id)


def test_without_the_requirement_a_new_account_signs_in_at_once_and_gets_its_link(client, caplog):
    capture_mails(caplog)
    assert register(client).status_code == 202
    assert verification_token(caplog)
    assert login(client).status_code == 200


def test_with_the_requirement_the_link_makes_the_account_usable(app, strict, caplog):
    capture_mails(caplog)
    assert register(strict).status_code == 202
    refused = login(strict)
    assert refused.status_code == 403
    assert "Confirm your email" in refused.get_json()["detail"]
    token = verification_token(caplog)
    assert strict.post(VERIFY, json={"token": token}).status_code == 204
    assert strict.post(VERIFY, json={"token": token}).status_code == 204  # twice is harmless
    assert login(strict).status_code == 200
    assert len(audit_rows(app, AuditAction.AUTH_EMAIL_VERIFIED)) == 1


def test_registering_again_resends_the_link_to_an_unverified_owner(strict, caplog):
    capture_mails(caplog)
    register(strict)
    register(strict, password="Another-Fine-Passphrase-3")
    mails = logged_mails(caplog, to="new.person@example.com")
    assert [("Confirm your email" in m.subject) for m in mails] == [True, True]
    # the second registration's password did not replace the first
    assert login(strict, password="Another-Fine-Passphrase-3").status_code == 401


def test_forged_and_expired_links_are_refused(client, caplog):
    capture_mails(caplog)
    register(client)
    token = verification_token(caplog)
    assert client.post(VERIFY, json={"token": token[:-2] + "xx"}).status_code == 400
    assert client.post(VERIFY, json={"token": "nope"}).status_code == 400
    with time_machine.travel(utcnow() + timedelta(hours=73), tick=False):
        assert client.post(VERIFY, json={"token": token}).status_code == 410


def test_the_weak_password_rule_applies_to_new_and_taken_addresses_alike(client, patient):
    assert register(client, password="short").status_code == 422
    assert register(client, email=patient.user.email, password="short").status_code == 422
