"""Authorization: role checks, and the one place that decides who may see a patient's data.

A user may see a patient's health data when they are that patient, an admin, or a provider
with an active relationship (care consent or unexpired emergency access). Refusals on a
specific record answer 404, so ids cannot be probed, and are audited as ACCESS_DENIED. List
endpoints filter with `visible_patient_ids()` in SQL instead of loading and filtering.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, or_, select, true
from sqlalchemy.orm import Session

from healix.exceptions import Forbidden, NotFound, PendingAuditEvent
from healix.middleware.auth_middleware import auth_required, current_actor
from healix.models.audit_log import AuditSeverity
from healix.models.provider_patient_relationship import (
    ProviderPatientRelationship,
    RelationshipKind,
)
from healix.models.user import Role, User, UserStatus
from healix.utils import audit_logger
from healix.utils.audit_logger import AuditAction
from healix.utils.time import utcnow

F = TypeVar("F", bound=Callable[..., Any])


def roles_required(*roles: Role | str) -> Callable[[F], F]:
    """Require a signed-in user whose role is one of `roles` (403 otherwise)."""
    allowed = {str(role) for role in roles}

    def decorator(view: F) -> F:
        @auth_required()
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if current_actor().role not in allowed:
                raise Forbidden("Your role does not allow this action.")
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator


def active_relationship_clause(now: datetime | None = None) -> ColumnElement[bool]:
    """SQL condition: the relationship row grants access right now."""
    now = now or utcnow()
    rel = ProviderPatientRelationship
    return and_(
        rel.ended_at.is_(None),
        rel.valid_from <= now,
        or_(rel.valid_until.is_(None), rel.valid_until > now),
    )


def active_relationship(
    session: Session, *, provider_id: uuid.UUID, patient_id: uuid.UUID
) -> ProviderPatientRelationship | None:
    """The provider's current grant for the patient (care consent preferred over emergency)."""
    rel = ProviderPatientRelationship
    rows = session.scalars(
        select(rel).where(
            rel.provider_id == provider_id,
            rel.patient_id == patient_id,
            active_relationship_clause(),
        )
    ).all()
    rows = sorted(rows, key=lambda row: row.kind != RelationshipKind.CARE)
    return rows[0] if rows else None


def visible_patient_ids(actor: User) -> Select[Any] | None:
    """A subquery of the patient ids whose data `actor` may see, or None for "all" (admin)."""
    if actor.role == Role.ADMIN:
        return None
    if actor.role == Role.PROVIDER:
        rel = ProviderPatientRelationship
        return select(rel.patient_id).where(
            rel.provider_id == actor.id, active_relationship_clause()
        )
    return select(User.id).where(User.id == actor.id)


def patient_filter(actor: User, patient_column: Any) -> ColumnElement[bool]:
    """A WHERE clause limiting `patient_column` to the patients `actor` may see."""
    visible = visible_patient_ids(actor)
    return true() if visible is None else patient_column.in_(visible)


def can_access_patient(session: Session, actor: User, patient_id: uuid.UUID) -> bool:
    return actor.id == patient_id or _access_route(session, actor, patient_id) is not None


def access_denied(resource_type: str, resource_id: Any, patient_id: Any = None) -> NotFound:
    """A 404 that is also written to the audit log as ACCESS_DENIED."""
    error = NotFound(f"No such {resource_type.replace('_', ' ')}.")
    error.with_audit(
        PendingAuditEvent(
            action=AuditAction.ACCESS_DENIED,
            resource_type=resource_type,
            resource_id=str(resource_id) if resource_id is not None else None,
            patient_id=patient_id,
        )
    )
    return error


def ensure_patient_access(
    session: Session,
    *,
    actor: User,
    patient_id: uuid.UUID,
    action: AuditAction = AuditAction.PROVIDER_VIEW_PATIENT,
    resource_type: str = "patient",
    audit: bool = True,
) -> User:
    """Return the patient if `actor` may see their data; otherwise raise an audited 404.

    A read of someone else's data (provider or admin) is itself audited with `action`, in the
    request's transaction.
    """
    patient = session.get(User, patient_id)
    if patient is None or patient.role != Role.PATIENT or patient.status == UserStatus.ERASED:
        raise access_denied(resource_type, patient_id, patient_id if patient else None)
    if actor.id == patient_id:
        return patient
    via = _access_route(session, actor, patient_id)
    if via is None:
        raise access_denied(resource_type, patient_id, patient_id)
    if audit:
        audit_logger.record(
            session,
            action,
            actor=actor,
            resource_type=resource_type,
            resource_id=patient_id,
            patient_id=patient_id,
            severity=AuditSeverity.HIGH
            if via == RelationshipKind.EMERGENCY
            else AuditSeverity.INFO,
            details={"via": str(via)},
        )
    return patient


def _access_route(session: Session, actor: User, patient_id: uuid.UUID) -> str | None:
    """How `actor` reaches another user's data: "admin", "care", "emergency", or None."""
    if actor.role == Role.ADMIN:
        return "admin"
    if actor.role != Role.PROVIDER:
        return None
    relationship = active_relationship(session, provider_id=actor.id, patient_id=patient_id)
    return relationship.kind if relationship else None
