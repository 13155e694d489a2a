"""The audit logger: every security-relevant event becomes one append-only, hash-chained row.

- `record()` adds a row to the caller's session, so it commits (or rolls back) together
  with the change it describes. The row is chained when the session flushes (chain.py).
- `PendingAuditEvent` is a row that must be kept although the request fails (a failed
  sign-in, an access denial): attach it to the error with
  `HealixError.persist_despite_failure()`; the error handler writes it in a transaction of
  its own after the request's work is rolled back. It is the one mechanism for that.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy.orm import Session

from healix.audit import chain
from healix.audit.events import FORBIDDEN_DETAIL_KEYS, AuditAction, ResourceType
from healix.models.audit_log import AuditLog, AuditOutcome, AuditSeverity
from healix.utils.request_context import get_request_context
from healix.utils.time import utcnow


class Actor(Protocol):
    """Who acted: a User, or an `ActorRef` snapshot of one."""

    @property
    def id(self) -> uuid.UUID: ...

    @property
    def role(self) -> str: ...


@dataclass(frozen=True)
class ActorRef:
    """The acting user's id and role, copied: usable after the request's session rolled back."""

    id: uuid.UUID
    role: str

    @classmethod
    def of(cls, actor: Actor) -> ActorRef:
        return cls(actor.id, str(actor.role))


_creation_order = itertools.count()


#: session.info key: the (actor, patient) pairs that reached each other through emergency
#: access in this unit of work (set by controllers/access.py)
_EMERGENCY_KEY = "healix.emergency_access"
EMERGENCY_VIA = "emergency"


def mark_emergency_access(session: Session, *, actor_id: uuid.UUID, patient_id: uuid.UUID) -> None:
    """Remember that `actor` reached `patient` through emergency access: every row `record`
    writes for the pair in this session is then severity high with `via: emergency`, reads and
    writes alike."""
    session.info.setdefault(_EMERGENCY_KEY, set()).add((actor_id, patient_id))


def under_emergency_access(session: Session, *, actor_id: uuid.UUID, patient_id: uuid.UUID) -> bool:
    return (actor_id, patient_id) in session.info.get(_EMERGENCY_KEY, ())


def record(
    session: Session,
    action: AuditAction,
    *,
    actor: Actor | None = None,
    resource_type: ResourceType | None = None,
    resource_id: object = None,
    patient_id: uuid.UUID | None = None,
    outcome: AuditOutcome = AuditOutcome.SUCCESS,
    severity: AuditSeverity = AuditSeverity.INFO,
    details: dict[str, Any] | None = None,
) -> AuditLog:
    """Add an audit row to `session`; it is chained when the session flushes.

    `actor` is the acting user, or None for the system. `details` holds ids and field
    names, never passwords, tokens, emails or health values.
    """
    clean = dict(details or {})
    if (
        actor is not None
        and patient_id is not None
        and under_emergency_access(session, actor_id=actor.id, patient_id=patient_id)
    ):
        severity = AuditSeverity.HIGH
        clean.setdefault("via", EMERGENCY_VIA)
    leaked = FORBIDDEN_DETAIL_KEYS.intersection(clean)
    if leaked:
        raise ValueError(f"audit details must not contain {sorted(leaked)}")
    context = get_request_context()
    row = AuditLog(
        id=uuid.uuid4(),
        created_at=utcnow(),
        actor_id=actor.id if actor is not None else None,
        actor_role=str(actor.role) if actor is not None else None,
        action=str(action),
        resource_type=str(resource_type) if resource_type is not None else None,
        resource_id=str(resource_id) if resource_id is not None else None,
        patient_id=patient_id,
        outcome=str(outcome),
        severity=str(severity),
        ip_address=context.ip_address,
        user_agent=(context.user_agent or "")[:255] or None,
        request_id=context.request_id,
        details=clean,
    )
    row.__dict__[chain.CREATION_ORDER_KEY] = next(_creation_order)
    session.add(row)
    return row


@dataclass(frozen=True)
class PendingAuditEvent:
    """An audit row to write after the request's work is rolled back (see the module doc).

    Without an `actor`, the request's signed-in user (if any) is recorded.
    """

    action: AuditAction
    resource_type: ResourceType | None = None
    resource_id: str | None = None
    patient_id: uuid.UUID | None = None
    outcome: AuditOutcome = AuditOutcome.DENIED
    severity: AuditSeverity = AuditSeverity.WARNING
    details: dict[str, Any] = field(default_factory=dict)
    actor: ActorRef | None = None

    def persist(self, session: Session, actor: ActorRef | None) -> None:
        record(
            session,
            self.action,
            actor=self.actor or actor,
            resource_type=self.resource_type,
            resource_id=self.resource_id,
            patient_id=self.patient_id,
            outcome=self.outcome,
            severity=self.severity,
            details=self.details,
        )
