"""Liveness, readiness and database reachability."""

from __future__ import annotations

from typing import Literal

from healix.schemas.common import Schema


class HealthRead(Schema):
    status: Literal["ok", "unavailable"]
    database: Literal["ok", "unreachable"]


class LivenessRead(Schema):
    status: Literal["ok"]


class ReadinessRead(Schema):
    status: Literal["ok", "unavailable"]
    database: Literal["ok", "unreachable"]
    broker: Literal["ok", "unreachable", "not_configured"]
