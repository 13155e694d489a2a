"""The access policy: the one module that decides who may see whose records.

- A user may see a patient's health data when they are that patient, an admin, or a
  provider with an active relationship (care consent, or unexpired emergency access).
- A prescription (and its refill requests) may be read by those who may see its patient's
  data, and by the provider who wrote it; only that provider or an admin changes it.
- Booking and care grants need an *active* patient and an *active* provider.
- `patient_id` left out of a request means "me" for a patient; others must name one.

A refusal on a specific record answers 404 (so ids cannot be probed) and is audited as
ACCESS_DENIED. Lists filter in SQL with `patient_filter()` instead of loading and filtering.
Web concerns (the bearer token, role decorators) live in middleware/, not here.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select, true
from sqlalchemy.orm import Session

from healix.audit import logger as audit_logger
from healix.audit.events import AuditAction, ResourceType
from healix.audit.logger import PendingAuditEvent
from healix.exceptions import NotFound, ValidationFailed
from healix.models.audit_log import AuditSeverity
from healix.models.prescription import Prescription
from healix.models.provider_patient_relationship import (
    ProviderPatientRelationship,
    RelationshipKind,
)
from healix.models.user import Role, User, UserStatus
from healix.utils.time import utcnow

#: how an actor reaches someone else's data (besides RelationshipKind.CARE / EMERGENCY)
VIA_ADMIN = "admin"


# -- relationships ------------------------------------------------------------------------


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
    ordered = sorted(rows, key=lambda row: row.kind != RelationshipKind.CARE)
    return ordered[0] if ordered else None


def care_provider_ids(session: Session, patient_id: uuid.UUID) -> list[uuid.UUID]:
    """The providers with an active care (consent) relationship to the patient."""
    rel = ProviderPatientRelationship
    return list(
        session.scalars(
            select(rel.provider_id)
            .where(
                rel.patient_id == patient_id,
                rel.kind == RelationshipKind.CARE,
                active_relationship_clause(),
            )
            .distinct()
        )
    )


def access_route(session: Session, actor: User, patient_id: uuid.UUID) -> str | None:
    """How `actor` reaches another user's data: "admin", "care", "emergency", or None."""
    if actor.role == Role.ADMIN:
        return VIA_ADMIN
    if actor.role != Role.PROVIDER:
        return None
    relationship = active_relationship(session, provider_id=actor.id, patient_id=patient_id)
    return relationship.kind if relationship else None


# -- who may see a patient's data ---------------------------------------------------------


def visible_patient_ids(actor: User) -> Select[uuid.UUID] | None:
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
    return actor.id == patient_id or access_route(session, actor, patient_id) is not None


def access_denied(
    resource_type: ResourceType, resource_id: object, patient_id: uuid.UUID | None = None
) -> NotFound:
    """A 404 that is also written to the audit log as ACCESS_DENIED."""
    error = NotFound(f"No such {resource_type.replace('_', ' ')}.")
    return error.persist_despite_failure(
        PendingAuditEvent(
            action=AuditAction.ACCESS_DENIED,
            resource_type=resource_type,
            resource_id=str(resource_id) if resource_id is not None else None,
            patient_id=patient_id,
        )
    )


def ensure_patient_access(
    session: Session,
    *,
    actor: User,
    patient_id: uuid.UUID,
    action: AuditAction = AuditAction.PROVIDER_VIEW_PATIENT,
    resource_type: ResourceType = ResourceType.PATIENT,
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
    via = access_route(session, actor, patient_id)
    if via is None:
        raise access_denied(resource_type, patient_id, patient_id)
    if via == RelationshipKind.EMERGENCY:
        audit_logger.mark_emergency_access(session, actor_id=actor.id, patient_id=patient_id)
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


def patient_or_self(actor: User, patient_id: uuid.UUID | None) -> uuid.UUID:
    """`patient_id` as given, or the actor themself when a patient leaves it out."""
    if patient_id is not None:
        return patient_id
    if actor.role == Role.PATIENT:
        return actor.id
    raise ValidationFailed.single("patient_id", "is required for providers and admins")


# -- active parties -----------------------------------------------------------------------


def is_active(user: User | None, role: Role) -> bool:
    """Is `user` an active account of `role`? (Deactivated and erased accounts are not.)"""
    return user is not None and user.role == role and user.status == UserStatus.ACTIVE


def active_user(session: Session, user_id: uuid.UUID, role: Role) -> User:
    """The active user of `role` with this id; a 404 for anyone else (or no one)."""
    user = session.get(User, user_id)
    if user is None or not is_active(user, role):
        raise NotFound(f"No such {role}.")
    return user


def active_patient(session: Session, patient_id: uuid.UUID) -> User:
    return active_user(session, patient_id, Role.PATIENT)


def active_provider(session: Session, provider_id: uuid.UUID) -> User:
    return active_user(session, provider_id, Role.PROVIDER)


# -- prescriptions ------------------------------------------------------------------------


def readable_prescriptions(actor: User) -> ColumnElement[bool]:
    """SQL: the prescriptions `actor` may read (see the module doc)."""
    visible = patient_filter(actor, Prescription.patient_id)
    if actor.role == Role.PROVIDER:
        return or_(Prescription.provider_id == actor.id, visible)
    return visible


def readable_prescription(
    session: Session, *, actor: User, prescription_id: uuid.UUID
) -> Prescription:
    """A prescription `actor` may read (and so its refill requests), or an audited 404."""
    prescription = session.get(Prescription, prescription_id)
    if prescription is None or not (
        actor.id == prescription.provider_id
        or can_access_patient(session, actor, prescription.patient_id)
    ):
        raise prescription_denied(prescription_id, prescription)
    return prescription


def may_change_prescription(actor: User, prescription: Prescription) -> bool:
    """Only the prescriber or an admin changes a prescription or decides its refills."""
    return actor.role == Role.ADMIN or actor.id == prescription.provider_id


def prescription_denied(prescription_id: uuid.UUID, prescription: Prescription | None) -> NotFound:
    return access_denied(
        ResourceType.PRESCRIPTION,
        prescription_id,
        prescription.patient_id if prescription else None,
    )
