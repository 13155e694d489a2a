"""Engine set-up per dialect, transaction-scoped locks, and session_scope() for CLI and jobs.

SQLite is the embedded development database. A writing transaction starts with
`BEGIN IMMEDIATE`, so writers run one at a time (across threads and processes) and a check
followed by an insert can never interleave. A transaction begun inside `reads_first()` (every
GET, HEAD and OPTIONS request, and the pages of a streamed export) starts deferred instead: it
reads a WAL snapshot without the write lock, so readers never wait for a writer or block one.
When such a transaction is about to write (an audit row of a read, say) or takes
`transaction_lock()`, it first ends its snapshot and restarts as `BEGIN IMMEDIATE`, so its
writes serialise like any other and never fail on a stale snapshot; what it read before that
point was a read, and stays one.

PostgreSQL runs transactions concurrently; code that must serialise takes
`transaction_lock()` (a transaction-level advisory lock) or relies on a database constraint.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from pathlib import Path
from typing import Any

from sqlalchemy import CursorResult, Delete, Engine, Update, event, func, make_url, select
from sqlalchemy.orm import Session

from healix.extensions import db

SQLITE_BUSY_TIMEOUT_MS = 30_000
#: statements that make a deferred SQLite transaction take the write lock first (a savepoint
#: too: the restart must not happen inside one)
_WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLACE", "SAVEPOINT")
#: `connection.info` key: "read" while a SQLite transaction runs deferred, "write" otherwise
_TX_MODE = "healix_tx_mode"

_reads_first: ContextVar[bool] = ContextVar("healix_reads_first", default=False)


def set_reads_first(enabled: bool) -> Token[bool]:
    """Make transactions begun from now on in this context start without the SQLite write
    lock (`enabled`) or with it; `reset_reads_first(token)` restores the previous mode."""
    return _reads_first.set(enabled)


def reset_reads_first(token: Token[bool]) -> None:
    _reads_first.reset(token)


@contextmanager
def reads_first() -> Iterator[None]:
    """Transactions begun inside start as readers (see the module docstring)."""
    token = set_reads_first(True)
    try:
        yield
    finally:
        reset_reads_first(token)


def private_instance_files(instance_path: Path, database_url: str) -> None:
    """`instance/` (the SQLite database, the development secret) readable by its owner only:
    the directory 0700, the SQLite file 0600 (created so, and tightened if it exists; SQLite
    gives its -wal and -shm files the database file's mode)."""
    instance_path.mkdir(mode=0o700, parents=True, exist_ok=True)
    _owner_only(instance_path, 0o700)
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return
    database = Path(url.database)
    if not database.parent.is_dir():
        return
    if database.exists():
        _owner_only(database, 0o600)
    else:
        os.close(os.open(database, os.O_CREAT | os.O_WRONLY, 0o600))


def _owner_only(path: Path, mode: int) -> None:
    try:
        if path.stat().st_mode & 0o777 != mode:
            path.chmod(mode)
    except PermissionError:  # not ours (a shared mount): leave it to its owner
        return


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
        if _reads_first.get():
            connection.exec_driver_sql("BEGIN")
            connection.info[_TX_MODE] = "read"
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            connection.info[_TX_MODE] = "write"

    @event.listens_for(engine, "before_cursor_execute")
    def _before_write(
        connection: Any, _cursor: Any, statement: str, *_args: Any, **_kwargs: Any
    ) -> None:
        if connection.info.get(_TX_MODE) == "read" and statement.lstrip()[:9].upper().startswith(
            _WRITE_VERBS
        ):
            _take_write_lock(connection)


def _take_write_lock(connection: Any) -> None:
    """End a deferred SQLite transaction's snapshot and go on as `BEGIN IMMEDIATE`."""
    dbapi_connection = connection.connection.dbapi_connection
    dbapi_connection.execute("COMMIT")
    dbapi_connection.execute("BEGIN IMMEDIATE")
    connection.info[_TX_MODE] = "write"


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

    On SQLite writing transactions are already serialised; a deferred one takes the write
    lock here, so what it reads next is current.
    """
    if not is_postgres(session):
        connection = session.connection()
        if connection.info.get(_TX_MODE) == "read":
            _take_write_lock(connection)
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
def read_session() -> Iterator[Session]:
    """A short read-only transaction of its own (e.g. one page of a streamed export): on
    SQLite it never takes the write lock."""
    with reads_first(), independent_session() as session:
        yield session


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
