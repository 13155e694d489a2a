"""Devices: registration, update, the one-time API key, and the device as the API shows it."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from pydantic import Field

from healix.models.device import DeviceStatus, DeviceType
from healix.schemas.common import PageQuery, RequestSchema, Schema


class SettableDeviceStatus(StrEnum):
    """What an owner may set; `error` is reported by the system, not chosen."""

    ACTIVE = DeviceStatus.ACTIVE.value
    INACTIVE = DeviceStatus.INACTIVE.value


class DeviceCreate(RequestSchema):
    device_type: DeviceType
    name: str = Field(min_length=1, max_length=120)
    model: str | None = Field(default=None, max_length=120)
    manufacturer: str | None = Field(default=None, max_length=120)


class DeviceUpdate(RequestSchema):
    name: str | None = Field(default=None, min_length=1, max_length=120)
    status: SettableDeviceStatus | None = Field(
        default=None, description="inactive: its key is refused until set active again"
    )


class DeviceRead(Schema):
    """A device; `api_key_prefix` identifies its key without revealing it."""

    id: uuid.UUID
    device_type: str
    name: str
    model: str | None
    manufacturer: str | None
    api_key_prefix: str
    status: str
    last_sync_at: datetime | None
    created_at: datetime
    updated_at: datetime


class DeviceWithKey(Schema):
    """The device and its API key. The key is shown this once; only its hash is kept."""

    device: DeviceRead
    api_key: str


class DevicePath(RequestSchema):
    device_id: uuid.UUID


class DeviceQuery(PageQuery):
    status: DeviceStatus | None = None
