"""Reading the audit log: the admins' search and chain check, and each user's access log."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from healix.audit import chain
from healix.audit import logger as audit_logger
from healix.audit.chain import VerifyResult
from healix.audit.events import AuditAction, ResourceType
from healix.audit.logger import ActorRef
from healix.models.audit_log import AuditLog
from healix.models.provider_patient_relationship import RelationshipKind
from healix.models.user import Role, User
from healix.schemas.audit import AuditLogQuery
from healix.utils.pagination import Paged, keyset_page

#: query field -> column, for the equality filters of the admin search
_EQUALITY_FILTERS = {
    "user_id": AuditLog.actor_id,
    "action": AuditLog.action,
    "resource_type": AuditLog.resource_type,
    "resource_id": AuditLog.resource_id,
    "outcome": AuditLog.outcome,
}


@dataclass(frozen=True)
class NamedActor:
    id: uuid.UUID
    name: str
    role: str


@dataclass(frozen=True)
class AccessLogRow:
    at: datetime
    action: str
    outcome: str
    actor: NamedActor
    resource_type: str | None
    resource_id: str | None
    emergency: bool


def _conditions(query: AuditLogQuery) -> list[ColumnElement[bool]]:
    conditions = [
        column == getattr(query, name)
        for name, column in _EQUALITY_FILTERS.items()
        if getattr(query, name) is not None
    ]
    return [*conditions, *query.period.where(AuditLog.created_at)]


def list_logs(session: Session, *, actor: User, query: AuditLogQuery) -> Paged[AuditLog]:
    """Audit rows matching the filters, newest first (by `seq`)."""
    page = keyset_page(
        session,
        select(AuditLog).where(*_conditions(query)),
        sort_columns=[AuditLog.seq],
        sort_key=lambda row: (row.seq,),
        limit=query.limit,
        cursor=query.cursor,
    )
    used = sorted(query.model_dump(exclude_none=True, exclude={"limit", "cursor"}))
    audit_logger.record(
        session,
        AuditAction.ADMIN_VIEW_AUDIT_LOG,
        actor=actor,
        resource_type=ResourceType.AUDIT_LOG,
        details={"filters": used, "returned": len(page.items)},
    )
    return page


def verify(session: Session, *, actor: User) -> VerifyResult:
    """Walk the hash chain; the check itself is audited."""
    actor_ref = ActorRef.of(actor)  # verify_chain() expunges the session, and `actor` with it
    result = chain.verify_chain(session)
    audit_logger.record(
        session,
        AuditAction.ADMIN_VIEW_AUDIT_LOG,
        actor=actor_ref,
        resource_type=ResourceType.AUDIT_CHAIN,
        details={"ok": result.ok, "rows_checked": result.rows_checked},
    )
    return result


def _is_emergency(row: AuditLog) -> bool:
    return (
        row.action == AuditAction.PROVIDER_EMERGENCY_ACCESS
        or (row.details or {}).get("via") == RelationshipKind.EMERGENCY
    )


def access_log(
    session: Session, *, actor: User, limit: int | None, cursor: str | None
) -> Paged[AccessLogRow]:
    """Who else (providers and admins) read, changed or exported the caller's data."""
    statement = (
        select(AuditLog, User.first_name, User.last_name)
        .join(User, User.id == AuditLog.actor_id)
        .where(
            AuditLog.patient_id == actor.id,
            AuditLog.actor_id != actor.id,
            AuditLog.actor_role.in_([Role.PROVIDER, Role.ADMIN]),
        )
    )
    page = keyset_page(
        session,
        statement,
        sort_columns=[AuditLog.seq],
        sort_key=lambda row: (row[0].seq,),
        limit=limit,
        cursor=cursor,
        scalars=False,
    )
    entries = [
        AccessLogRow(
            at=log.created_at,
            action=log.action,
            outcome=log.outcome,
            actor=NamedActor(
                id=log.actor_id, name=f"{first_name} {last_name}".strip(), role=log.actor_role
            ),
            resource_type=log.resource_type,
            resource_id=log.resource_id,
            emergency=_is_emergency(log),
        )
        for log, first_name, last_name in page.items
    ]
    return Paged(entries, page.next_cursor)
