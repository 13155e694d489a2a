"""In-app notifications."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Flask
from sqlalchemy import select

from healix.extensions import db
from healix.models.notification import Notification
from tests.factories.db import save
from tests.factories.users import Party


def make_notification(app: Flask, *, user: Party, **fields: Any) -> uuid.UUID:
    values = {"kind": "test", "title": "Hello"} | fields
    return save(app, Notification(user_id=user.id, **values))


def notifications_for(app: Flask, user: Party | uuid.UUID) -> list[Notification]:
    """The user's notifications, oldest first (detached)."""
    user_id = user if isinstance(user, uuid.UUID) else user.id
    with app.app_context():
        statement = (
            select(Notification)
            .where(Notification.user_id == user_id)
            .order_by(Notification.created_at, Notification.id)
        )
        rows = list(db.session.scalars(statement))
        db.session.expunge_all()
        db.session.remove()
    return rows
