from datetime import UTC, datetime

from sqlalchemy import func, insert, select

from healix.models.biomarker import BiomarkerReading
from healix.models.biomarker_latest import BiomarkerLatest
from healix.models.biomarker_rollup import BiomarkerRollup
from healix.models.user import Role, User
from tests.factories.biomarkers import reading_row


def test_seed_demo_is_idempotent(app, dbs):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "admin@healix-demo.com" in first.output
    with dbs() as session:
        counts = dict(session.execute(select(User.role, func.count()).group_by(User.role)).all())
    assert counts == {Role.ADMIN: 1, Role.PROVIDER: 2, Role.PATIENT: 3}
    with dbs() as session:  # demo accounts sign in with EMAIL_VERIFICATION_REQUIRED on too
        assert not session.scalars(select(User).where(User.email_verified_at.is_(None))).all()
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0
    assert "already present" in second.output
    with dbs() as session:
        assert session.scalar(select(func.count()).select_from(User)) == 6


def test_create_admin_asks_for_a_password(app, client):
    runner = app.test_cli_runner()
    password = "an-Admin-passphrase-42"
    result = runner.invoke(
        args=["create-admin", "--email", "Root@Example.com"], input=f"{password}\n{password}\n"
    )
    assert result.exit_code == 0, result.output
    login = client.post("/api/auth/login", json={"email": "root@example.com", "password": password})
    assert login.status_code == 200
    assert login.get_json()["user"]["role"] == "admin"
    strict = app.extensions["healix_settings"].model_copy(
        update={"email_verification_required": True}
    )
    from healix import create_app

    verified = (
        create_app(strict)
        .test_client()
        .post("/api/auth/login", json={"email": "root@example.com", "password": password})
    )
    assert verified.status_code == 200


def test_create_admin_refuses_a_weak_password(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-admin", "--email", "weak@example.com"], input="password\npassword\n"
    )
    assert result.exit_code != 0
    assert "Password" in result.output


def test_a_checkpoint_to_a_missing_directory_is_one_clear_line(app, tmp_path):
    """Defect 8: `audit checkpoint` into a directory that does not exist printed a
    Python traceback instead of saying what was wrong."""
    target = tmp_path / "no-such-directory" / "checkpoints.jsonl"
    result = app.test_cli_runner().invoke(args=["audit", "checkpoint", str(target)])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: cannot write the checkpoint to ")
    assert "No such file or directory" in lines[0]
    assert "Traceback" not in result.output


def test_verify_with_an_unreadable_checkpoint_file_is_one_clear_line(app, tmp_path):
    result = app.test_cli_runner().invoke(
        args=["audit", "verify", "--checkpoints", str(tmp_path / "missing.jsonl")]
    )
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "does not exist" in result.output


def test_rebuild_rollups_recomputes_them_from_the_readings(app, dbs, make_user):
    patient = make_user(role="patient")
    moment = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    with dbs() as session:  # written around the ingest path: no rollups yet
        session.execute(
            insert(BiomarkerReading),
            [
                reading_row(patient.id, "heart_rate", 60.0, moment),
                reading_row(patient.id, "heart_rate", 80.0, moment.replace(minute=45)),
            ],
        )
    result = app.test_cli_runner().invoke(args=["rebuild-rollups"])
    assert result.exit_code == 0, result.output
    assert "Rebuilt 1 hourly rollups." in result.output
    with dbs() as session:
        rollup = session.scalars(select(BiomarkerRollup)).one()
        assert (rollup.count, rollup.sum, rollup.min, rollup.max, rollup.in_range) == (
            2,
            140.0,
            60.0,
            80.0,
            2,
        )


def test_rebuild_rollups_also_rebuilds_the_latest_readings(app, dbs, make_user):
    patient = make_user(role="patient")
    moment = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    newest = reading_row(patient.id, "heart_rate", 80.0, moment.replace(minute=45))
    with dbs() as session:  # written around the ingest path: no latest rows yet
        session.execute(
            insert(BiomarkerReading), [reading_row(patient.id, "heart_rate", 60.0, moment), newest]
        )
    result = app.test_cli_runner().invoke(args=["rebuild-rollups"])
    assert result.exit_code == 0, result.output
    assert "Rebuilt 1 latest readings." in result.output
    with dbs() as session:
        latest = session.scalars(select(BiomarkerLatest)).one()
        assert (latest.reading_id, latest.value, latest.measured_at) == (
            newest["id"],
            80.0,
            newest["measured_at"],
        )
