from __future__ import annotations

import uuid

from sqlalchemy import BigInteger, CheckConstraint, Double, ForeignKey, PrimaryKeyConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from healix.models.base import Base


class BiomarkerRollup(Base):
    """Totals of one patient's non-faulty readings of one type in one UTC hour.

    Kept in step with the readings in the transaction that stores them (ingestion), rebuilt
    for a type when the patient's thresholds change (`in_range` counts readings inside the
    normal band in force), and erased with the readings. `slot_start` is the hour's start in
    epoch seconds, so both databases group and compare it as a plain integer. On PostgreSQL
    the primary key includes the totals, so summaries are index-only scans (migration 075).
    """

    __tablename__ = "biomarker_rollups"
    __table_args__ = (
        PrimaryKeyConstraint(
            "patient_id",
            "biomarker_type",
            "slot_start",
            postgresql_include=["count", "sum", "min", "max", "in_range"],
        ),
        CheckConstraint("slot_start % 3600 = 0", name="slot_is_an_hour"),
        CheckConstraint("count >= 1 AND in_range >= 0 AND in_range <= count", name="counts"),
    )

    patient_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    biomarker_type: Mapped[str] = mapped_column(String(40), primary_key=True)
    slot_start: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    count: Mapped[int]
    sum: Mapped[float] = mapped_column(Double)
    min: Mapped[float] = mapped_column(Double)
    max: Mapped[float] = mapped_column(Double)
    in_range: Mapped[int]
