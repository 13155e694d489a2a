"""Scheduled upkeep, run through its CLI commands (beat runs the same job kinds)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from healix.audit.events import AuditAction
from healix.controllers import upkeep_controller
from healix.extensions import db
from healix.models import (
    IdempotencyKey,
    Job,
    JobStatus,
    Notification,
    PasswordResetToken,
    Prescription,
    UserSession,
)
from healix.utils.time import utcnow
from tests.factories.audit import audit_rows, record_events
from tests.factories.prescriptions import make_prescription, today
from tests.mails import capture_mails, logged_mails


def _upkeep(app, command: str):
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["upkeep", command])
        db.session.remove()
    return result


def _count(dbs, model) -> int:
    with dbs() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_every_upkeep_task_has_a_command():
    commands = {task.command for task in upkeep_controller.PERIODIC}
    assert commands == {
        "purge-idempotency-keys",
        "purge-sessions",
        "purge-password-tokens",
        "purge-jobs",
        "end-prescriptions",
        "audit-checkpoint",
        "backup",
    }


def test_idempotency_keys_are_kept_for_a_day(app, dbs):
    now = utcnow()
    with dbs() as session:
        for key, age in (("old", timedelta(hours=25)), ("new", timedelta(hours=23))):
            session.add(
                IdempotencyKey(
                    scope="user:x",
                    key=key,
                    request_hash="0" * 64,
                    response_status=201,
                    response_body={},
                    created_at=now - age,
                )
            )
    result = _upkeep(app, "purge-idempotency-keys")
    assert result.exit_code == 0, result.output
    assert "purged 1 idempotency keys" in result.output
    with dbs() as session:
        assert session.scalars(select(IdempotencyKey.key)).all() == ["new"]
    [row] = audit_rows(app, action=AuditAction.SYSTEM_PURGE)
    assert row.actor_id is None
    assert row.details == {"task": "upkeep.purge_idempotency_keys", "rows": 1}


def test_ended_sessions_and_spent_tokens_are_purged(app, dbs, patient):
    now = utcnow()
    with dbs() as session:
        for revoked, expires in ((None, now + timedelta(days=1)), (now, now + timedelta(days=1))):
            session.add(
                UserSession(
                    user_id=patient.id,
                    refresh_token_hash="1" * 64,
                    expires_at=expires,
                    revoked_at=revoked,
                )
            )
        session.add(
            UserSession(
                user_id=patient.id,
                refresh_token_hash="2" * 64,
                expires_at=now - timedelta(seconds=1),
            )
        )
        for number, (used, expires) in enumerate(
            ((None, now + timedelta(hours=1)), (now, now + timedelta(hours=1)), (None, now))
        ):
            session.add(
                PasswordResetToken(
                    user_id=patient.id,
                    token_hash=str(number) * 64,
                    expires_at=expires,
                    used_at=used,
                )
            )
    live_sessions = _count(dbs, UserSession) - 2  # the patient fixture signed in once
    assert _upkeep(app, "purge-sessions").exit_code == 0
    assert _upkeep(app, "purge-password-tokens").exit_code == 0
    assert _count(dbs, UserSession) == live_sessions
    assert _count(dbs, PasswordResetToken) == 1
    with dbs() as session:
        assert session.scalars(select(UserSession.revoked_at)).all() == [None] * live_sessions


def test_finished_jobs_are_purged_after_the_retention_but_failed_ones_stay(app, dbs):
    old = utcnow() - timedelta(days=31)
    with dbs() as session:
        for status, finished in (
            (JobStatus.DONE, old),
            (JobStatus.SKIPPED, old),
            (JobStatus.DONE, utcnow()),
            (JobStatus.FAILED, old),
        ):
            session.add(Job(kind="upkeep.purge_sessions", status=status, finished_at=finished))
    result = _upkeep(app, "purge-jobs")
    assert result.exit_code == 0, result.output
    with dbs() as session:
        left = sorted(session.scalars(select(Job.status)).all())
    # the command's own job is done too
    assert left == ["done", "done", "failed"]


def test_ended_prescriptions_are_marked_and_the_patient_told_once(
    app, dbs, caplog, patient, provider
):
    capture_mails(caplog)
    ended = make_prescription(
        app,
        provider=provider,
        patient=patient,
        start_date=today() - timedelta(days=30),
        end_date=today() - timedelta(days=1),
        medication_name="Amoxicillin",
    )
    running = make_prescription(app, provider=provider, patient=patient, end_date=today())
    first = _upkeep(app, "end-prescriptions")
    assert first.exit_code == 0, first.output
    assert "1 prescriptions ended" in first.output
    second = _upkeep(app, "end-prescriptions")
    assert "no prescription ended" in second.output
    with dbs() as session:
        assert session.get(Prescription, ended).status == "expired"
        assert session.get(Prescription, running).status == "active"
        notes = session.scalars(
            select(Notification).where(Notification.user_id == patient.id)
        ).all()
        assert [note.kind for note in notes] == ["prescription_ended"]
    [mail] = logged_mails(caplog)
    assert mail.to == patient.user.email
    assert mail.subject == "A prescription has ended"
    assert "Amoxicillin" not in mail.text
    [row] = audit_rows(app, action=AuditAction.PRESCRIPTION_EXPIRED)
    assert (row.resource_id, row.patient_id, row.actor_id) == (str(ended), patient.id, None)


def test_the_audit_checkpoint_is_skipped_without_a_file(app):
    result = _upkeep(app, "audit-checkpoint")
    assert result.exit_code == 0
    assert "AUDIT_CHECKPOINT_FILE is not set" in result.output


@pytest.fixture
def checkpointed_app(make_app, tmp_path):
    return make_app(audit_checkpoint_file=tmp_path / "heads.jsonl")


def test_the_audit_checkpoint_verifies_then_appends(checkpointed_app, tmp_path):
    record_events(checkpointed_app, {"action": AuditAction.AUTH_LOGOUT, "resource_type": "x"})
    assert _upkeep(checkpointed_app, "audit-checkpoint").exit_code == 0
    record_events(checkpointed_app, {"action": AuditAction.AUTH_LOGOUT, "resource_type": "x"})
    second = _upkeep(checkpointed_app, "audit-checkpoint")
    assert second.exit_code == 0, second.output
    assert "checkpoint seq=2" in second.output
    lines = (tmp_path / "heads.jsonl").read_text().splitlines()
    assert [json.loads(line)["seq"] for line in lines] == [1, 2]


def test_a_chain_that_no_longer_matches_its_checkpoint_fails_the_job(
    checkpointed_app, dbs, tmp_path
):
    record_events(checkpointed_app, {"action": AuditAction.AUTH_LOGOUT, "resource_type": "x"})
    (tmp_path / "heads.jsonl").write_text(
        json.dumps({"seq": 1, "row_hash": "f" * 64, "taken_at": "2026-01-01T00:00:00+00:00"}) + "\n"
    )
    result = _upkeep(checkpointed_app, "audit-checkpoint")
    assert result.exit_code == 1
    assert "does not match checkpoint seq=1" in result.output
    with dbs() as session:
        job = session.scalars(select(Job).where(Job.kind == "upkeep.audit_checkpoint")).one()
        assert (job.status, job.attempts) == (JobStatus.FAILED, 1)
        assert "PermanentJobError: audit chain does not match checkpoint seq=1" in job.last_error
    assert len((tmp_path / "heads.jsonl").read_text().splitlines()) == 1
