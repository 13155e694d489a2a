"""The calendar subscription feed: its secret URL (shown once) and its state."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from healix.schemas.common import RequestSchema, Schema


class CalendarFeedRead(Schema):
    """Your live feed. Its URL was shown when it was created and is not kept."""

    id: uuid.UUID
    created_at: datetime


class CalendarFeedCreated(CalendarFeedRead):
    """A new feed: subscribe to `webcal_url` (or paste `url`) in your calendar app. Keep
    it secret: anyone with it sees your appointments' times and who they are with."""

    url: str = Field(description="https URL of the feed; the token is in its path")
    webcal_url: str = Field(description="The same URL as webcal://, which calendar apps open")


class FeedPath(RequestSchema):
    token: str = Field(min_length=8, max_length=100, pattern=r"^[A-Za-z0-9_-]+$")
