"""The hash-chained audit log: written in the caller's transaction, verified end to end."""

from __future__ import annotations

import itertools
import threading

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError

from healix.audit import chain
from healix.audit import logger as audit_logger
from healix.audit.events import AuditAction
from healix.models.audit_log import AuditLog


def write_rows(dbs, count: int) -> None:
    with dbs() as session:
        for number in range(count):
            audit_logger.record(
                session,
                AuditAction.ADMIN_VIEW_USERS,
                resource_type="test",
                resource_id=number,
                details={"n": number},
            )


def tamper(dbs, statement) -> None:
    """Change audit rows behind the app's back (disabling the append-only trigger)."""
    with dbs() as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SET LOCAL session_replication_role = replica"))
        session.execute(statement)


def verify(dbs) -> chain.VerifyResult:
    with dbs() as session:
        return chain.verify_chain(session)


def test_rows_are_chained_in_order(dbs):
    write_rows(dbs, 5)
    with dbs() as session:
        rows = session.scalars(select(AuditLog).order_by(AuditLog.seq)).all()
        assert [row.seq for row in rows] == [1, 2, 3, 4, 5]
        assert rows[0].prev_hash == chain.GENESIS_HASH
        assert all(b.prev_hash == a.row_hash for a, b in itertools.pairwise(rows))
    assert verify(dbs) == chain.VerifyResult(ok=True, rows_checked=5)


def test_rolled_back_change_takes_its_audit_row_with_it(dbs):
    def failing_change() -> None:
        with dbs() as session:
            audit_logger.record(session, AuditAction.ADMIN_VIEW_USERS)
            session.flush()
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        failing_change()
    with dbs() as session:
        assert session.scalars(select(AuditLog)).all() == []


def test_details_refuse_secrets_and_values(dbs):
    with pytest.raises(ValueError, match="password"), dbs() as session:
        audit_logger.record(session, AuditAction.AUTH_PASSWORD_CHANGED, details={"password": "x"})


def test_verifier_names_an_edited_row(dbs):
    write_rows(dbs, 4)
    tamper(dbs, update(AuditLog).where(AuditLog.seq == 3).values(details={"n": 99}))
    result = verify(dbs)
    assert not result.ok
    assert result.first_bad_row == 3
    assert "altered" in result.problem


def test_verifier_names_a_deleted_row(dbs):
    write_rows(dbs, 4)
    tamper(dbs, AuditLog.__table__.delete().where(AuditLog.seq == 2))
    result = verify(dbs)
    assert not result.ok
    assert result.first_bad_row == 2


def test_verifier_names_reordered_rows(dbs):
    write_rows(dbs, 4)
    tamper(dbs, update(AuditLog).where(AuditLog.seq == 2).values(seq=-2))
    tamper(dbs, update(AuditLog).where(AuditLog.seq == 3).values(seq=2))
    tamper(dbs, update(AuditLog).where(AuditLog.seq == -2).values(seq=3))
    result = verify(dbs)
    assert not result.ok
    assert result.first_bad_row == 2


def test_postgres_trigger_refuses_update_delete_and_truncate(dbs, is_postgres):
    if not is_postgres:
        pytest.skip("the append-only trigger is PostgreSQL's; SQLite has no such guard")
    write_rows(dbs, 1)
    with pytest.raises(DBAPIError, match="append-only"), dbs() as session:
        session.execute(update(AuditLog).values(action="EDITED"))
    with pytest.raises(DBAPIError, match="append-only"), dbs() as session:
        session.execute(AuditLog.__table__.delete())
    with pytest.raises(DBAPIError, match="append-only"), dbs() as session:
        session.execute(text("TRUNCATE audit_logs"))


def test_concurrent_writers_never_fork_the_chain(app, dbs):
    from healix.db import independent_session

    def writer(worker: int) -> None:
        with app.app_context():
            for number in range(10):
                with independent_session() as session:
                    audit_logger.record(
                        session,
                        AuditAction.ADMIN_VIEW_USERS,
                        details={"worker": worker, "n": number},
                    )

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result = verify(dbs)
    assert result.ok, result
    assert result.rows_checked == 60


def test_cli_verify_reports_ok_and_failure(app, dbs):
    runner = app.test_cli_runner()
    write_rows(dbs, 3)
    ok = runner.invoke(args=["audit", "verify"])
    assert ok.exit_code == 0
    assert "3 rows verified" in ok.output
    tamper(dbs, update(AuditLog).where(AuditLog.seq == 2).values(resource_id="other"))
    failed = runner.invoke(args=["audit", "verify"])
    assert failed.exit_code == 1
    assert "seq=2" in failed.output
