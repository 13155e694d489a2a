"""In-app notifications: created by other features' events, read by their recipient only."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from healix.models.notification import Notification


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
