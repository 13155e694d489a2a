"""Failed background jobs for admins: GET /api/admin/jobs?status=failed and the retry action
(the role matrix for these routes is in test_admin_routes.py)."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from healix.audit.events import AuditAction
from healix.models.job import Job, JobStatus
from tests.factories.audit import audit_rows
from tests.mails import capture_mails, logged_mails

JOBS = "/api/admin/jobs"


def _failed_reset_mail(dbs, user_id) -> uuid.UUID:
    with dbs() as session:
        job = Job(
            kind="mail.password_reset",
            user_id=user_id,
            status=JobStatus.FAILED,
            attempts=6,
            last_error="SMTPServerDisconnected: Connection unexpectedly closed",
        )
        session.add(job)
        session.flush()
        return job.id


def test_admins_list_failed_jobs_with_their_error(client, dbs, admin, patient):
    failed = _failed_reset_mail(dbs, patient.id)
    with dbs() as session:
        session.add(Job(kind="upkeep.purge_sessions", status=JobStatus.DONE, result="purged 0"))
    response = client.get(f"{JOBS}?status=failed", headers=admin.headers)
    assert response.status_code == 200
    body = response.get_json()
    assert body["next_cursor"] is None
    [item] = body["items"]
    assert item["id"] == str(failed)
    assert item["kind"] == "mail.password_reset"
    assert item["status"] == "failed"
    assert item["attempts"] == 6
    assert item["user_id"] == str(patient.id)
    assert item["last_error"].startswith("SMTPServerDisconnected")
    assert "payload" not in item
    everything = client.get(JOBS, headers=admin.headers).get_json()["items"]
    assert len(everything) == 2
    by_kind = client.get(f"{JOBS}?kind=upkeep.purge_sessions", headers=admin.headers)
    assert [item["status"] for item in by_kind.get_json()["items"]] == ["done"]


def test_an_unknown_status_is_a_validation_error(client, admin):
    response = client.get(f"{JOBS}?status=broken", headers=admin.headers)
    assert response.status_code == 422


def test_retry_runs_a_failed_job_again_and_is_audited(app, client, dbs, caplog, admin, patient):
    capture_mails(caplog)
    failed = _failed_reset_mail(dbs, patient.id)
    response = client.post(f"{JOBS}/{failed}/retry", headers=admin.headers)
    assert response.status_code == 202, response.get_json()
    assert response.get_json()["status"] == "pending"
    # no broker in tests: the job ran right after the request committed
    with dbs() as session:
        job = session.get(Job, failed)
        assert (job.status, job.attempts, job.result) == (JobStatus.DONE, 7, "sent")
    [mail] = logged_mails(caplog)
    assert mail.to == patient.user.email
    [row] = audit_rows(app, action=AuditAction.ADMIN_RETRY_JOB)
    assert (row.actor_id, row.resource_id) == (admin.id, str(failed))
    assert row.details == {"kind": "mail.password_reset", "attempts": 6}


def test_only_failed_jobs_can_be_retried(client, dbs, admin):
    with dbs() as session:
        job = Job(kind="upkeep.purge_sessions", status=JobStatus.DONE)
        session.add(job)
        session.flush()
        done = job.id
    response = client.post(f"{JOBS}/{done}/retry", headers=admin.headers)
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    assert client.post(f"{JOBS}/{uuid.uuid4()}/retry", headers=admin.headers).status_code == 404


def test_stats_count_jobs_per_status(client, dbs, admin, patient):
    _failed_reset_mail(dbs, patient.id)
    stats = client.get("/api/admin/stats", headers=admin.headers).get_json()
    assert stats["jobs"]["failed"] == 1
    assert set(stats["jobs"]) == {status.value for status in JobStatus}
    with dbs() as session:
        assert session.scalar(select(Job.id).where(Job.status == JobStatus.PENDING)) is None
