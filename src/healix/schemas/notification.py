"""In-app notifications."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from healix.models.notification import NotificationStatus
from healix.schemas.common import PageQuery, RequestSchema, Schema


class NotificationQuery(PageQuery):
    status: NotificationStatus | None = None


class NotificationMark(StrEnum):
    READ = NotificationStatus.READ.value
    DISMISSED = NotificationStatus.DISMISSED.value


class NotificationUpdate(RequestSchema):
    status: NotificationMark


class NotificationRead(Schema):
    id: uuid.UUID
    kind: str
    title: str
    body: str | None
    data: dict[str, Any]
    status: str
    created_at: datetime
    read_at: datetime | None


class ReadAllResult(Schema):
    updated: int


class NotificationPath(RequestSchema):
    notification_id: uuid.UUID
