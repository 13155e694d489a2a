from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Double, ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from healix.models.base import Base, uuid_pk
from healix.utils.time import utcnow


class GoalProgressEntry(Base):
    """Manual progress for goals no device measures (water intake, custom goals)."""

    __tablename__ = "goal_progress_entries"
    __table_args__ = (Index("ix_goal_progress_entries_goal_recorded", "goal_id", "recorded_at"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    goal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"))
    value: Mapped[float] = mapped_column(Double)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
