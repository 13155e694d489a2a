"""Operator commands: users list|deactivate|reset-mfa, demo reset."""

from __future__ import annotations

from sqlalchemy import func, select

from healix.audit.events import AuditAction
from healix.config import Environment
from healix.models.audit_log import AuditLog, AuditSeverity
from healix.models.user import Role, User, UserStatus
from tests.factories.audit import audit_rows
from tests.mails import capture_mails, logged_mails
from tests.routes.test_mfa import enrol


def run(app, *args: str, **kwargs):
    return app.test_cli_runner().invoke(args=list(args), **kwargs)


def test_users_list_filters_by_role(app, make_user):
    patient = make_user(email="listed@example.com")
    make_user(role=Role.PROVIDER, email="doc@example.com")
    result = run(app, "users", "list", "--role", "patient")
    assert result.exit_code == 0, result.output
    assert str(patient.id) in result.output
    assert "listed@example.com" in result.output
    assert "doc@example.com" not in result.output


def test_deactivate_ends_sessions_and_is_audited(app, patient, client, dbs):
    result = run(app, "users", "deactivate", patient.user.email.upper())
    assert result.exit_code == 0, result.output
    assert "1 sessions ended" in result.output
    assert client.get("/api/auth/me", headers=patient.headers).status_code == 401
    with dbs() as session:
        assert session.get(User, patient.id).status == UserStatus.INACTIVE
        row = session.scalars(
            select(AuditLog).where(AuditLog.action == AuditAction.ADMIN_UPDATE_USER)
        ).one()
        assert row.actor_id is None
        assert row.resource_id == str(patient.id)
        assert row.details == {"fields": ["status"], "sessions_revoked": 1}


def test_deactivate_refusals_are_one_line(app, make_user):
    admin = make_user(role=Role.ADMIN)
    for args, message in [
        (("nobody@example.com",), "Error: No user nobody@example.com."),
        ((str(admin.id),), "Error: You cannot deactivate the last active administrator."),
    ]:
        result = run(app, "users", "deactivate", *args)
        assert result.exit_code == 1
        assert result.output.strip() == message
    other = make_user(status=UserStatus.INACTIVE)
    result = run(app, "users", "deactivate", other.email)
    assert result.output.strip() == f"Error: {other.email} is already inactive."


def test_reset_mfa_removes_the_factor_audits_and_mails(app, provider, client, caplog):
    enrol(client, provider)
    assert client.get("/api/auth/mfa", headers=provider.headers).get_json()["enabled"] is True
    capture_mails(caplog)
    result = run(app, "users", "reset-mfa", provider.user.email)
    assert result.exit_code == 0, result.output
    assert "two-factor sign-in reset" in result.output
    assert client.get("/api/auth/mfa", headers=provider.headers).get_json()["enabled"] is False
    [mail] = logged_mails(caplog, to=provider.user.email)
    assert "Two-factor sign-in was reset" in mail.subject
    [row] = audit_rows(app, AuditAction.ADMIN_RESET_MFA)
    assert row.actor_id is None
    assert row.severity == AuditSeverity.HIGH


def test_reset_mfa_of_an_unknown_user_is_one_line(app):
    result = run(app, "users", "reset-mfa", "nobody@example.com")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: No user nobody@example.com."


def test_demo_reset_refuses_in_production(make_app):
    production = make_app(healix_env=Environment.PRODUCTION)
    result = run(production, "demo", "reset", "--yes")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: demo reset refuses to run with HEALIX_ENV=production"


def test_demo_reset_rebuilds_a_development_database(make_app, tmp_path):
    scratch = make_app(database_url=f"sqlite:///{tmp_path / 'demo.db'}")
    assert run(scratch, "db", "upgrade").exit_code == 0
    assert run(scratch, "seed-demo").exit_code == 0
    password = "an-Admin-passphrase-42"
    extra = run(scratch, "create-admin", "--email", "extra@example.com", input=f"{password}\n" * 2)
    assert extra.exit_code == 0, extra.output
    result = run(scratch, "demo", "reset", "--yes")
    assert result.exit_code == 0, result.output
    with scratch.app_context():
        from healix.extensions import db

        assert db.session.scalar(select(func.count()).select_from(User)) == 6
        db.session.remove()
