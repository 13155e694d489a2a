"""Reading and writing audit rows in tests."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select, text
from sqlalchemy.orm import Session, scoped_session

from healix.audit import logger as audit_logger
from healix.extensions import db
from healix.models.audit_log import AuditLog


def audit_rows(
    source: Flask | Session | scoped_session[Session], action: str | None = None, **filters: Any
) -> list[AuditLog]:
    """Audit rows in chain order, of `action` (if given) and matching `column=value`
    filters (a `resource_id` may be given as a UUID).

    With the app, they are read in a session of their own and come detached; inside
    `with dbs() as session:` pass that session (SQLite lets one transaction write at a time,
    and a second session would wait for the first)."""
    statement = select(AuditLog).order_by(AuditLog.seq)
    if action is not None:
        statement = statement.where(AuditLog.action == action)
    for name, value in filters.items():
        if name == "resource_id" and value is not None:
            value = str(value)
        statement = statement.where(getattr(AuditLog, name) == value)
    if not isinstance(source, Flask):
        return list(source.scalars(statement))
    with source.app_context():
        rows = list(db.session.scalars(statement))
        db.session.expunge_all()
        db.session.remove()
    return rows


def record_events(app: Flask, *events: dict[str, Any]) -> None:
    """Write audit rows with `audit_logger.record(**event)` in one transaction."""
    with app.app_context():
        for event in events:
            audit_logger.record(db.session(), **event)
        db.session.commit()
        db.session.remove()


def bypass_append_only(app: Flask, statement: str, **params: Any) -> None:
    """Run raw SQL on audit_logs the way an intruder with database access could: on PostgreSQL
    the append-only trigger is skipped with `session_replication_role = replica`."""
    with app.app_context(), db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text(statement), params)
