from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from healix.models.base import Base, TimestampMixin, enum_check, enum_column, uuid_pk


class DeviceType(StrEnum):
    SMARTWATCH = "smartwatch"
    FITNESS_TRACKER = "fitness_tracker"
    BLOOD_PRESSURE_MONITOR = "blood_pressure_monitor"
    GLUCOSE_METER = "glucose_meter"
    PULSE_OXIMETER = "pulse_oximeter"
    SCALE = "scale"
    THERMOMETER = "thermometer"
    SLEEP_TRACKER = "sleep_tracker"
    OTHER = "other"


class DeviceStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"
    ERROR = "error"


class Device(TimestampMixin, Base):
    """A wearable or home device. Only a SHA-256 of its API key is stored."""

    __tablename__ = "devices"
    __table_args__ = (enum_check("device_type", DeviceType), enum_check("status", DeviceStatus))

    id: Mapped[uuid.UUID] = uuid_pk()
    owner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    device_type: Mapped[str] = enum_column(DeviceType)
    name: Mapped[str] = mapped_column(String(120))
    model: Mapped[str | None] = mapped_column(String(120))
    manufacturer: Mapped[str | None] = mapped_column(String(120))
    api_key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    api_key_prefix: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = enum_column(DeviceStatus, default=DeviceStatus.ACTIVE)
    last_sync_at: Mapped[datetime | None]
