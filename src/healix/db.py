"""Engine set-up per dialect, transaction-scoped locks, and session_scope() for CLI and jobs.

SQLite is the embedded development database: every transaction starts with
`BEGIN IMMEDIATE`, so transactions run one at a time (across threads and processes) and a
check followed by an insert can never interleave. PostgreSQL runs transactions concurrently;
code that must serialise takes `transaction_lock()` (a transaction-level advisory lock) or
relies on a database constraint.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import CursorResult, Delete, Engine, Update, event, func, select
from sqlalchemy.orm import Session

from healix.extensions import db

SQLITE_BUSY_TIMEOUT_MS = 30_000


def configure_engine(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def changed_rows(session: Session, statement: Update | Delete) -> int:
    """Run an UPDATE or DELETE and return how many rows it changed: the way conditional
    updates tell whether they won."""
    result = session.execute(statement)
    if not isinstance(result, CursorResult):  # pragma: no cover - DML always has a cursor
        raise TypeError("an UPDATE or DELETE returned no cursor result")
    return result.rowcount


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def transaction_lock(session: Session, name: str) -> None:
    """Hold a named lock until the current transaction ends (PostgreSQL advisory lock).

    On SQLite transactions are already serialised, so nothing more is needed.
    """
    if not is_postgres(session):
        return
    key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
    session.execute(select(func.pg_advisory_xact_lock(key)))


@contextmanager
def session_scope() -> Iterator[Session]:
    """A unit of work outside a request: commit on success, roll back on error."""
    session = db.session()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


@contextmanager
def independent_session() -> Iterator[Session]:
    """A short transaction of its own, e.g. to record a refusal while the request rolls back."""
    session = Session(bind=db.engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
