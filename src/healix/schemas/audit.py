from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import Field

from healix.models.audit_log import AuditOutcome
from healix.schemas.common import PageQuery, PeriodQuery, Schema


class AuditLogQuery(PeriodQuery, PageQuery):
    """`from`/`to` select rows by created_at: from <= created_at < to."""

    user_id: uuid.UUID | None = Field(default=None, description="The acting user")
    action: str | None = Field(default=None, max_length=64)
    resource_type: str | None = Field(default=None, max_length=40)
    resource_id: str | None = Field(default=None, max_length=64)
    outcome: AuditOutcome | None = None


class AuditLogRead(Schema):
    id: uuid.UUID
    seq: int
    created_at: datetime
    actor_id: uuid.UUID | None
    actor_role: str | None
    action: str
    resource_type: str | None
    resource_id: str | None
    patient_id: uuid.UUID | None
    outcome: str
    severity: str
    ip_address: str | None
    user_agent: str | None
    request_id: str | None
    details: dict[str, Any]
    prev_hash: str
    row_hash: str


class ChainVerifyRead(Schema):
    ok: bool
    rows_checked: int
    first_bad_row: int | None
    problem: str | None


class AccessLogActor(Schema):
    id: uuid.UUID
    name: str
    role: str


class AccessLogEntry(Schema):
    """One event in which someone else read, changed or exported the caller's data."""

    at: datetime
    action: str
    outcome: str
    actor: AccessLogActor
    resource_type: str | None
    resource_id: str | None
    emergency: bool = Field(description="Access under an emergency (break-glass) grant")
