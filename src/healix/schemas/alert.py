"""Threshold alerts as the API shows them, and the status changes a user may make."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from pydantic import Field

from healix.models.alert import AlertSeverity, AlertStatus
from healix.schemas.common import PageQuery, RequestSchema, Schema


class AlertTargetStatus(StrEnum):
    """Where a user may move an alert (`open` is set only by new breaches)."""

    ACKNOWLEDGED = AlertStatus.ACKNOWLEDGED.value
    DISMISSED = AlertStatus.DISMISSED.value
    RESOLVED = AlertStatus.RESOLVED.value


class AlertRead(Schema):
    """One alert; values are in the catalog's canonical unit for `biomarker_type`."""

    id: uuid.UUID
    patient_id: uuid.UUID
    biomarker_type: str
    severity: str
    status: str
    message: str
    threshold_value: float | None
    observed_value: float = Field(description="The reading that opened (or escalated) it")
    last_value: float = Field(description="The newest breaching reading")
    occurrences: int = Field(description="Breaching readings counted while open")
    first_seen_at: datetime
    last_seen_at: datetime
    status_changed_by_id: uuid.UUID | None
    status_changed_at: datetime | None
    status_note: str | None
    resolved_at: datetime | None
    created_at: datetime
    updated_at: datetime


class AlertQuery(PageQuery):
    patient_id: uuid.UUID | None = None
    status: AlertStatus | None = None
    severity: AlertSeverity | None = None
    biomarker_type: str | None = Field(default=None, max_length=40)


class AlertUpdate(RequestSchema):
    status: AlertTargetStatus
    note: str | None = Field(default=None, max_length=2000)


class AlertPath(RequestSchema):
    alert_id: uuid.UUID
