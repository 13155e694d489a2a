"""In-app notifications: created by other features' events, read by their recipient only."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from healix.audit.events import ResourceType
from healix.controllers.access import access_denied
from healix.db import changed_rows
from healix.models.notification import Notification, NotificationStatus
from healix.models.user import User
from healix.utils.pagination import Paged, keyset_page
from healix.utils.time import utcnow


@dataclass(frozen=True)
class MarkedRead:
    """How many unread notifications were marked read."""

    updated: int


def notify(
    session: Session,
    *,
    user_id: uuid.UUID,
    kind: str,
    title: str,
    body: str | None = None,
    data: dict[str, Any] | None = None,
) -> Notification:
    """Queue a notification for `user_id` in the caller's transaction.

    `data` carries ids (appointment_id, alert_id...) for the client, never health values.
    """
    notification = Notification(user_id=user_id, kind=kind, title=title, body=body, data=data or {})
    session.add(notification)
    return notification


def list_own(
    session: Session, *, actor: User, status: str | None, limit: int | None, cursor: str | None
) -> Paged[Notification]:
    """The actor's notifications, newest first."""
    statement = select(Notification).where(Notification.user_id == actor.id)
    if status is not None:
        statement = statement.where(Notification.status == status)
    return keyset_page(
        session,
        statement,
        sort_columns=[Notification.created_at, Notification.id],
        sort_key=lambda notification: (notification.created_at, notification.id),
        limit=limit,
        cursor=cursor,
    )


def mark(session: Session, *, actor: User, notification_id: uuid.UUID, status: str) -> Notification:
    """Mark one of the actor's notifications read or dismissed (someone else's: 404)."""
    notification = session.get(Notification, notification_id)
    if notification is None or notification.user_id != actor.id:
        raise access_denied(ResourceType.NOTIFICATION, notification_id)
    notification.status = status
    notification.read_at = notification.read_at or utcnow()
    session.flush()
    return notification


def mark_all_read(session: Session, *, actor: User) -> MarkedRead:
    """Mark every unread notification of the actor read; returns how many changed."""
    updated = changed_rows(
        session,
        update(Notification)
        .where(Notification.user_id == actor.id, Notification.status == NotificationStatus.UNREAD)
        .values(status=NotificationStatus.READ, read_at=utcnow())
        .execution_options(synchronize_session=False),
    )
    return MarkedRead(updated)
