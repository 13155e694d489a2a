"""Helpers for the health-data write tests: devices, readings and uploads."""

from __future__ import annotations

import itertools
import uuid
from datetime import datetime, timedelta
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select

from healix.models.audit_log import AuditLog
from healix.utils.time import utcnow
from tests.factories import SignedIn

_minutes = itertools.count(1)


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


def audit_rows(session: Any, action: str, **filters: Any) -> list[AuditLog]:
    statement = select(AuditLog).where(AuditLog.action == action)
    for name, value in filters.items():
        statement = statement.where(getattr(AuditLog, name) == value)
    return list(session.scalars(statement.order_by(AuditLog.seq)))


def count(session: Any, model: Any, *where: Any) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


def as_uuid(value: str | uuid.UUID) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(value)
