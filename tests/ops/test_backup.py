"""Backups: the restore drill (demo data and readings → backup → a fresh database → restore)
on the database under test, and the archive's encryption, refusals and retention."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from pydantic import SecretStr
from sqlalchemy import func, inspect, make_url, select, table

from healix.controllers import backup_controller
from healix.demo import DEMO_PASSWORD, DEMO_USERS
from healix.extensions import db
from healix.models.job import Job, JobStatus
from healix.models.user import Role, User
from healix.utils.time import utcnow

KEY = backup_controller.new_key()
#: make_app copies settings without validation, so secrets are given as SecretStr
SECRET = SecretStr(KEY)


def table_counts(app) -> dict[str, int]:
    with app.app_context(), db.engine.connect() as connection:
        return {
            name: connection.scalar(select(func.count()).select_from(table(name)))
            for name in inspect(connection).get_table_names()
            if name != "alembic_version"
        }


@pytest.fixture
def fresh_database_url(app, tmp_path) -> Iterator[str]:
    """The URL of an empty database (no tables) on the same server as the test database."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    name = f"{url.database}_restore_{uuid.uuid4().hex[:8]}"
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False
    )
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield url.set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def source(make_app, add_readings):
    """The test database holding the demo data plus a patient's readings."""
    app = make_app(backup_encryption_key=SECRET)
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        patient_id = db.session.scalar(select(User.id).where(User.role == Role.PATIENT).limit(1))
        db.session.remove()
    for spec in DEMO_USERS[:3]:  # sign-ins write audit rows, so the chain has a head
        login = {"email": spec["email"], "password": DEMO_PASSWORD}
        assert app.test_client().post("/api/auth/login", json=login).status_code == 200
    now = utcnow()
    add_readings(
        patient_id, [("heart_rate", 60 + n, now - timedelta(minutes=n)) for n in range(50)]
    )
    return app


@pytest.fixture
def populated(make_app, patient, add_readings):
    """A small database: a patient with a session (an audit row) and readings (fast to set up)."""
    add_readings(patient.id, [("heart_rate", 70.0, utcnow() - timedelta(hours=1))])
    return make_app(backup_encryption_key=SECRET)


def create_backup(app, directory: Path) -> Path:
    result = app.test_cli_runner().invoke(args=["backup", "create", str(directory)])
    assert result.exit_code == 0, result.output
    [archive] = directory.glob("*.healix-backup")
    return archive


def test_restore_drill(source, make_app, fresh_database_url, tmp_path):
    counts = table_counts(source)
    assert counts["biomarker_readings"] >= 50
    assert counts["audit_logs"] > 0
    archive = create_backup(source, tmp_path / "backups")
    assert archive.stat().st_mode & 0o777 == 0o600
    assert b"healix-demo.com" not in archive.read_bytes()

    verified = source.test_cli_runner().invoke(args=["backup", "verify", str(archive)])
    assert verified.exit_code == 0, verified.output
    manifest = backup_controller.verify(archive, keys=[KEY])
    assert manifest.row_counts == counts
    assert manifest.schema_revision

    target = make_app(database_url=fresh_database_url, backup_encryption_key=SECRET)
    restored = target.test_cli_runner().invoke(args=["backup", "restore", str(archive)])
    assert restored.exit_code == 0, restored.output
    assert "head matches the manifest" in restored.output

    assert table_counts(target) == counts
    audit = target.test_cli_runner().invoke(args=["audit", "verify"])
    assert audit.exit_code == 0, audit.output
    with target.app_context():
        from healix.audit.chain import chain_head

        assert chain_head(db.session()) == (manifest.audit_head_seq, manifest.audit_head_hash)
        db.session.remove()
    login = target.test_client().post(
        "/api/auth/login", json={"email": DEMO_USERS[0]["email"], "password": DEMO_PASSWORD}
    )
    assert login.status_code == 200


def test_restore_refuses_a_database_that_is_not_empty(populated, tmp_path):
    archive = create_backup(populated, tmp_path)
    result = populated.test_cli_runner().invoke(args=["backup", "restore", str(archive)])
    assert result.exit_code == 1
    assert "not empty" in result.output
    assert "Traceback" not in result.output


def test_restore_with_force_replaces_the_contents(populated, tmp_path, make_user):
    archive = create_backup(populated, tmp_path)
    before = table_counts(populated)
    make_user(email="after-the-backup@example.com")
    result = populated.test_cli_runner().invoke(args=["backup", "restore", "--force", str(archive)])
    assert result.exit_code == 0, result.output
    assert table_counts(populated) == before


def test_an_altered_archive_is_refused(populated, tmp_path):
    archive = create_backup(populated, tmp_path)
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0x01
    archive.write_bytes(bytes(data))
    result = populated.test_cli_runner().invoke(args=["backup", "verify", str(archive)])
    assert result.exit_code == 1
    assert "authentication failed" in result.output


def test_a_truncated_archive_is_refused(tmp_path):
    archive = tmp_path / "x.healix-backup"
    plain = tmp_path / "plain"
    plain.write_bytes(b"x" * (3 * backup_controller.CHUNK_BYTES + 6))
    with plain.open("rb") as source, archive.open("wb") as out:
        backup_controller._encrypt(source, out, KEY)
    data = archive.read_bytes()
    # drop the final chunk (length prefix, 6 plaintext bytes, 16-byte tag): the chunk before it
    # was not sealed as the last one, so the shortened archive does not decrypt
    archive.write_bytes(data[: -(4 + 6 + 16)])
    with (
        archive.open("rb") as shortened,
        pytest.raises(backup_controller.BackupError, match="authentication failed"),
    ):
        list(backup_controller._decrypt(shortened, KEY))


def test_key_rotation_keeps_old_archives_readable(populated, make_app, tmp_path):
    archive = create_backup(populated, tmp_path)
    rotated = make_app(
        backup_encryption_key=SecretStr(backup_controller.new_key()),
        backup_previous_keys=[SECRET],
    )
    assert rotated.test_cli_runner().invoke(args=["backup", "verify", str(archive)]).exit_code == 0
    forgotten = make_app(backup_encryption_key=SecretStr(backup_controller.new_key()))
    result = forgotten.test_cli_runner().invoke(args=["backup", "verify", str(archive)])
    assert result.exit_code == 1
    assert "neither BACKUP_ENCRYPTION_KEY nor one of BACKUP_PREVIOUS_KEYS" in result.output


def test_create_needs_a_key(make_app, tmp_path):
    result = make_app().test_cli_runner().invoke(args=["backup", "create", str(tmp_path)])
    assert result.exit_code == 1
    assert "BACKUP_ENCRYPTION_KEY is not set" in result.output


def test_new_key_prints_a_usable_key():
    key = backup_controller.new_key()
    assert backup_controller._decode_key(key)
    assert key != backup_controller.new_key()


def test_scheduled_backup_keeps_the_newest_archives(make_app, tmp_path, dbs):
    app = make_app(backup_encryption_key=SECRET, backup_dir=tmp_path, backup_retention=2)
    for _ in range(3):
        result = app.test_cli_runner().invoke(args=["upkeep", "backup"])
        assert result.exit_code == 0, result.output
    assert len(list(tmp_path.glob("*.healix-backup"))) == 2
    with dbs() as session:
        jobs = session.scalars(select(Job).where(Job.kind == "upkeep.backup")).all()
        assert {job.status for job in jobs} == {JobStatus.DONE}
        assert "removed 1 old backups" in jobs[-1].result or any(
            "removed 1" in (job.result or "") for job in jobs
        )


def test_scheduled_backup_is_skipped_without_a_directory(make_app):
    result = make_app().test_cli_runner().invoke(args=["upkeep", "backup"])
    assert result.exit_code == 0, result.output
    assert "BACKUP_DIR is not set" in result.output
