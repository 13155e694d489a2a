from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from healix.models.base import Base, enum_check, enum_column, uuid_pk
from healix.utils.time import utcnow


class AuditOutcome(StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"
    DENIED = "denied"


class AuditSeverity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    HIGH = "high"


class AuditLog(Base):
    """One append-only, hash-chained audit event (see audit/logger.py and audit/chain.py).

    `seq` numbers rows without gaps; `row_hash` is SHA-256 over the row's canonical content
    and `prev_hash`, the previous row's hash. On PostgreSQL a trigger rejects UPDATE/DELETE.
    Rows hold ids, never personal data, so they survive an account's erasure.
    """

    __tablename__ = "audit_logs"
    __table_args__ = (
        enum_check("outcome", AuditOutcome),
        enum_check("severity", AuditSeverity),
        Index("ix_audit_logs_created_at", "created_at"),
        Index("ix_audit_logs_actor_created", "actor_id", "created_at"),
        Index("ix_audit_logs_action_created", "action", "created_at"),
        Index("ix_audit_logs_patient_created", "patient_id", "created_at"),
        Index("ix_audit_logs_resource", "resource_type", "resource_id"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[uuid.UUID | None]
    actor_role: Mapped[str | None] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(64))
    resource_type: Mapped[str | None] = mapped_column(String(40))
    resource_id: Mapped[str | None] = mapped_column(String(64))
    #: whose health data the event touched, for "who saw my data"
    patient_id: Mapped[uuid.UUID | None]
    outcome: Mapped[str] = enum_column(AuditOutcome, default=AuditOutcome.SUCCESS)
    severity: Mapped[str] = enum_column(AuditSeverity, default=AuditSeverity.INFO)
    ip_address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(255))
    request_id: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    row_hash: Mapped[str] = mapped_column(String(64))
