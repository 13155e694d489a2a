"""Devices: rows written straight in, registration and uploads through the API."""

from __future__ import annotations

import hashlib
import itertools
import uuid
from datetime import datetime, timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from healix.models.device import Device
from healix.utils.time import utcnow
from tests.factories.db import save
from tests.factories.users import SignedIn

_minutes = itertools.count(1)


def add_device(app: Flask, owner_id: uuid.UUID, **fields: Any) -> uuid.UUID:
    """A device straight in the database (its key hash matches no key)."""
    defaults: dict[str, Any] = {
        "device_type": "smartwatch",
        "name": "Wrist watch",
        "manufacturer": "Acme",
        "model": "W1",
        "api_key_hash": hashlib.sha256(uuid.uuid4().bytes).hexdigest(),
        "api_key_prefix": "hx_test",
    }
    return save(app, Device(owner_id=owner_id, **(defaults | fields)))


def register_device(client: FlaskClient, owner: SignedIn, **fields: Any) -> tuple[str, str]:
    """Register a device through the API; returns (device_id, api_key)."""
    body = {"device_type": "smartwatch", "name": "Watch", **fields}
    response = client.post("/api/devices", json=body, headers=owner.headers)
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    return data["device"]["id"], data["api_key"]


def at(minutes_ago: float | None = None) -> str:
    """An ISO timestamp with offset, `minutes_ago` before now (a fresh distinct one if None)."""
    minutes = next(_minutes) if minutes_ago is None else minutes_ago
    return (utcnow() - timedelta(minutes=minutes)).isoformat()


def reading(
    type: str = "heart_rate",
    value: Any = 72,
    unit: str = "/min",
    timestamp: str | datetime | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """One reading as a device sends it."""
    stamp = timestamp.isoformat() if isinstance(timestamp, datetime) else timestamp
    return {"type": type, "value": value, "unit": unit, "timestamp": stamp or at(), **extra}


def ingest(
    client: FlaskClient, api_key: str, readings: list[dict[str, Any]], **headers: str
) -> Any:
    return client.post(
        "/api/devices/ingest",
        json={"readings": readings},
        headers={"X-Device-Key": api_key, **headers},
    )


def as_uuid(value: str | uuid.UUID) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(value)
