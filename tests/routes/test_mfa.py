"""Two-factor sign-in (TOTP): enrolment, the two-step login, replay protection, recovery
codes, disabling, the requirement for providers and admins, and an admin's reset."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
import time_machine

from healix.audit.events import AuditAction
from healix.controllers import mfa_controller
from healix.extensions import db
from healix.models.audit_log import AuditSeverity
from healix.models.user import User
from healix.utils.time import utcnow
from tests.factories.audit import audit_rows
from tests.factories.users import DEFAULT_PASSWORD
from tests.mails import capture_mails, logged_mails

LOGIN = "/api/auth/login"
LOGIN_MFA = "/api/auth/login/mfa"
LOGIN_MFA_SETUP = "/api/auth/login/mfa/setup"
MFA = "/api/auth/mfa"


def code(secret: str, steps_from_now: int = 0) -> str:
    """The code of the time-step `steps_from_now` away (the server accepts -1, 0 and +1)."""
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(totp.timecode(utcnow()) + steps_from_now)


def enrol(client, signed) -> tuple[str, list[str]]:
    """Turn MFA on for a signed-in user with the code of the previous time-step."""
    setup = client.post(f"{MFA}/setup", headers=signed.headers)
    assert setup.status_code == 200, setup.get_json()
    secret = setup.get_json()["secret"]
    confirmed = client.post(
        f"{MFA}/confirm", json={"code": code(secret, -1)}, headers=signed.headers
    )
    assert confirmed.status_code == 200, confirmed.get_json()
    return secret, confirmed.get_json()["recovery_codes"]


def password_step(client, user) -> dict:
    response = client.post(LOGIN, json={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 202, response.get_json()
    return response.get_json()


class TestEnrolment:
    def test_setup_gives_an_otpauth_uri_and_a_first_code_turns_it_on(self, app, client, patient):
        setup = client.post(f"{MFA}/setup", headers=patient.headers)
        assert setup.status_code == 200
        body = setup.get_json()
        assert body["otpauth_uri"].startswith("otpauth://totp/")
        assert f"secret={body['secret']}" in body["otpauth_uri"]
        # not on until confirmed
        assert client.get(MFA, headers=patient.headers).get_json()["enabled"] is False
        wrong = client.post(f"{MFA}/confirm", json={"code": "000000"}, headers=patient.headers)
        assert wrong.status_code == 403
        confirmed = client.post(
            f"{MFA}/confirm", json={"code": code(body["secret"])}, headers=patient.headers
        )
        assert confirmed.status_code == 200
        codes = confirmed.get_json()["recovery_codes"]
        assert len(codes) == len(set(codes)) == 10
        state = client.get(MFA, headers=patient.headers).get_json()
        assert state["enabled"] is True
        assert state["recovery_codes_left"] == 10
        assert state["required"] is False
        assert audit_rows(app, AuditAction.AUTH_MFA_ENABLED, actor_id=patient.id)

    def test_recovery_codes_are_stored_hashed(self, app, client, patient):
        _, codes = enrol(client, patient)
        with app.app_context():
            from healix.models.mfa import MfaRecoveryCode

            stored = {row.code_hash for row in db.session.query(MfaRecoveryCode)}
            db.session.remove()
        assert not stored & {c.replace("-", "") for c in codes}
        assert len(stored) == 10

    def test_a_second_setup_while_on_is_a_conflict(self, client, patient):
        enrol(client, patient)
        assert client.post(f"{MFA}/setup", headers=patient.headers).status_code == 409


class TestTwoStepLogin:
    def test_password_then_code_gives_tokens(self, app, client, patient):
        secret, _ = enrol(client, patient)
        challenge = password_step(client, patient.user)
        assert set(challenge) == {"mfa_token", "expires_in", "enrolment_required"}
        assert challenge["enrolment_required"] is False
        assert challenge["expires_in"] == 5 * 60
        response = client.post(
            LOGIN_MFA, json={"mfa_token": challenge["mfa_token"], "code": code(secret)}
        )
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        assert body["access_token"]
        assert body["recovery_codes"] is None
        me = client.get("/api/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
        assert me.get_json()["id"] == str(patient.id)
        [success] = audit_rows(app, AuditAction.AUTH_LOGIN_SUCCEEDED)
        assert success.details == {"mfa": "totp"}

    def test_a_wrong_password_looks_as_it_did_without_mfa(self, client, patient):
        enrol(client, patient)
        wrong = client.post(LOGIN, json={"email": patient.user.email, "password": "Nope-nope-123"})
        unknown = client.post(LOGIN, json={"email": "ghost@example.com", "password": "Nope-1234x"})
        assert wrong.status_code == unknown.status_code == 401
        assert wrong.get_json()["detail"] == unknown.get_json()["detail"]

    def test_a_code_is_accepted_once_also_by_another_worker(self, client, make_app, patient):
        secret, _ = enrol(client, patient)
        current = code(secret)
        first = password_step(client, patient.user)["mfa_token"]
        second = password_step(client, patient.user)["mfa_token"]
        assert client.post(LOGIN_MFA, json={"mfa_token": first, "code": current}).status_code == 200
        other_worker = make_app().test_client()
        replay = other_worker.post(LOGIN_MFA, json={"mfa_token": second, "code": current})
        assert replay.status_code == 401
        # the code of the step used for enrolment is older still
        older = client.post(LOGIN_MFA, json={"mfa_token": second, "code": code(secret, -1)})
        assert older.status_code == 401

    def test_a_recovery_code_works_once(self, app, client, patient):
        _, codes = enrol(client, patient)
        token = password_step(client, patient.user)["mfa_token"]
        used = client.post(LOGIN_MFA, json={"mfa_token": token, "code": codes[0].upper()})
        assert used.status_code == 200
        again = client.post(LOGIN_MFA, json={"mfa_token": token, "code": codes[0]})
        assert again.status_code == 401
        assert client.get(MFA, headers=patient.headers).get_json()["recovery_codes_left"] == 9
        assert audit_rows(app, AuditAction.AUTH_LOGIN_SUCCEEDED)[0].details == {
            "mfa": "recovery_code"
        }

    def test_wrong_codes_count_towards_the_lockout(self, app, client, patient):
        secret, _ = enrol(client, patient)
        token = password_step(client, patient.user)["mfa_token"]
        for _ in range(app.extensions["healix_settings"].login_max_failures):
            wrong = client.post(LOGIN_MFA, json={"mfa_token": token, "code": "000000"})
            assert wrong.status_code == 401
        locked = client.post(LOGIN_MFA, json={"mfa_token": token, "code": code(secret)})
        assert locked.status_code == 429

    def test_the_challenge_is_no_access_token(self, client, patient):
        enrol(client, patient)
        token = password_step(client, patient.user)["mfa_token"]
        assert (
            client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code
            == 401
        )

    def test_the_challenge_expires(self, client, patient):
        secret, _ = enrol(client, patient)
        token = password_step(client, patient.user)["mfa_token"]
        with time_machine.travel(utcnow() + timedelta(minutes=6), tick=False):
            late = client.post(LOGIN_MFA, json={"mfa_token": token, "code": code(secret)})
        assert late.status_code == 401

    def test_the_challenge_dies_with_a_password_change(self, client, patient):
        secret, _ = enrol(client, patient)
        token = password_step(client, patient.user)["mfa_token"]
        changed = client.post(
            "/api/auth/change-password",
            json={"current_password": DEFAULT_PASSWORD, "new_password": "Quiet-Harbour-Lights-81"},
            headers=patient.headers,
        )
        assert changed.status_code == 204
        assert (
            client.post(LOGIN_MFA, json={"mfa_token": token, "code": code(secret)}).status_code
            == 401
        )

    def test_a_forged_challenge_is_401(self, client):
        response = client.post(LOGIN_MFA, json={"mfa_token": "e30.forged.sig", "code": "123456"})
        assert response.status_code == 401


class TestDisable:
    def test_needs_the_password_and_a_code(self, app, client, patient):
        secret, _ = enrol(client, patient)
        wrong = client.post(
            f"{MFA}/disable",
            json={"password": "Wrong-password-11", "code": code(secret)},
            headers=patient.headers,
        )
        assert wrong.status_code == 403
        done = client.post(
            f"{MFA}/disable",
            json={"password": DEFAULT_PASSWORD, "code": code(secret, 1)},
            headers=patient.headers,
        )
        assert done.status_code == 204
        assert audit_rows(app, AuditAction.AUTH_MFA_DISABLED, actor_id=patient.id)
        login = client.post(LOGIN, json={"email": patient.user.email, "password": DEFAULT_PASSWORD})
        assert login.status_code == 200


class TestRequiredForProvidersAndAdmins:
    @pytest.fixture
    def strict(self, make_app):
        return make_app(mfa_required=True).test_client()

    def test_a_provider_without_a_factor_enrols_during_sign_in(self, strict, provider):
        challenge = password_step(strict, provider.user)
        assert challenge["enrolment_required"] is True
        token = challenge["mfa_token"]
        early = strict.post(LOGIN_MFA, json={"mfa_token": token, "code": "123456"})
        assert early.status_code == 409  # nothing set up yet
        setup = strict.post(LOGIN_MFA_SETUP, json={"mfa_token": token})
        assert setup.status_code == 200
        secret = setup.get_json()["secret"]
        done = strict.post(LOGIN_MFA, json={"mfa_token": token, "code": code(secret)})
        assert done.status_code == 200, done.get_json()
        assert len(done.get_json()["recovery_codes"]) == 10
        # from now on: password and code
        assert password_step(strict, provider.user)["enrolment_required"] is False
        state = strict.get(MFA, headers=provider.headers).get_json()
        assert state == state | {"enabled": True, "required": True}
        off = strict.post(
            f"{MFA}/disable",
            json={"password": DEFAULT_PASSWORD, "code": code(secret, 1)},
            headers=provider.headers,
        )
        assert off.status_code == 409

    def test_admins_too_but_not_patients(self, strict, admin, patient):
        assert password_step(strict, admin.user)["enrolment_required"] is True
        login = strict.post(LOGIN, json={"email": patient.user.email, "password": DEFAULT_PASSWORD})
        assert login.status_code == 200

    def test_off_by_default_outside_production(self, client, provider):
        login = client.post(
            LOGIN, json={"email": provider.user.email, "password": DEFAULT_PASSWORD}
        )
        assert login.status_code == 200


class TestAdminReset:
    def test_an_admin_removes_a_factor_audited_and_mailed(
        self, app, client, admin, patient, caplog
    ):
        enrol(client, patient)
        capture_mails(caplog)
        response = client.delete(f"/api/admin/users/{patient.id}/mfa", headers=admin.headers)
        assert response.status_code == 204
        [row] = audit_rows(app, AuditAction.ADMIN_RESET_MFA)
        assert row.actor_id == admin.id
        assert row.resource_id == str(patient.id)
        assert row.severity == AuditSeverity.HIGH
        assert row.details == {"had_factor": True}
        [mail] = logged_mails(caplog, to=patient.user.email)
        assert "Two-factor sign-in was reset" in mail.subject
        assert "/settings/security" in mail.text
        login = client.post(LOGIN, json={"email": patient.user.email, "password": DEFAULT_PASSWORD})
        assert login.status_code == 200

    def test_unknown_user_is_404(self, client, admin):
        response = client.delete(
            "/api/admin/users/00000000-0000-0000-0000-000000000000/mfa", headers=admin.headers
        )
        assert response.status_code == 404

    def test_the_controller_works_without_an_actor_for_the_cli(self, app, client, patient):
        enrol(client, patient)
        with app.app_context():
            mfa_controller.reset_mfa(db.session, actor=None, user_id=patient.id)
            db.session.commit()
            assert not mfa_controller.is_enabled(db.session, db.session.get(User, patient.id))
            db.session.remove()
        [row] = audit_rows(app, AuditAction.ADMIN_RESET_MFA)
        assert row.actor_id is None
