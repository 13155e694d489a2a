"""Reading rows back: a detached copy of one row, and counts."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from healix.extensions import db


def save(app: Flask, row: Any) -> Any:
    """Insert `row` and return its primary key."""
    with app.app_context():
        db.session.add(row)
        db.session.commit()
        key = row.id if hasattr(row, "id") else row.user_id
        db.session.remove()
    return key


def get_row(app: Flask, model: type, row_id: uuid.UUID) -> Any:
    """A fresh copy of one row, detached."""
    with app.app_context():
        row = db.session.get(model, row_id)
        db.session.expunge_all()
        db.session.remove()
    return row


def count(session: Any, model: Any, *where: Any) -> int:
    """Rows of `model` matching `where`, read through `session`."""
    return int(session.scalar(select(func.count()).select_from(model).where(*where)))
