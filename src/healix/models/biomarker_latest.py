from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Double, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from healix.models.base import Base


class BiomarkerLatest(Base):
    """The newest non-faulty reading of one patient and type, newest by (measured_at, id):
    what the provider's overview shows, read by primary key instead of a walk of the history.

    Kept in step with the readings in the transaction that stores them (ingestion), rebuilt
    after readings are loaded around the ingest path, and erased with the readings
    (controllers/latest_controller.py).
    """

    __tablename__ = "biomarker_latest"

    patient_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    biomarker_type: Mapped[str] = mapped_column(String(40), primary_key=True)
    reading_id: Mapped[uuid.UUID]
    value: Mapped[float] = mapped_column(Double)
    unit: Mapped[str] = mapped_column(String(20))
    measured_at: Mapped[datetime]
