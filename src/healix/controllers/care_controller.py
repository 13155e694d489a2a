"""Care relationships: a patient's consent, an admin's record of it, and a provider's
time-limited emergency ("break glass") access. Whether a relationship grants access right
now is decided in controllers/access.py only."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from healix.audit import logger as audit_logger
from healix.audit.events import AuditAction, ResourceType
from healix.controllers import mail_controller
from healix.controllers.access import (
    access_denied,
    active_patient,
    active_provider,
    active_relationship,
    active_relationship_clause,
    ensure_patient_access,
    is_active,
    patient_filter,
)
from healix.controllers.notification_controller import notify
from healix.db import transaction_lock
from healix.exceptions import Conflict, NotFound
from healix.models.audit_log import AuditSeverity
from healix.models.profile import EmailCategory, Profile
from healix.models.provider_patient_relationship import (
    ProviderPatientRelationship,
    RelationshipKind,
)
from healix.models.user import Role, User, UserStatus
from healix.schemas.care import AdminRelationshipCreate, CareGrant, PatientQuery
from healix.schemas.common import PageQuery
from healix.utils.pagination import Paged, keyset_page
from healix.utils.search import matches_any
from healix.utils.time import utcnow

Relationship = ProviderPatientRelationship
RESOURCE = ResourceType.PROVIDER_PATIENT_RELATIONSHIP


@dataclass(frozen=True)
class CareTeamEntry:
    relationship: Relationship
    provider: User


@dataclass(frozen=True)
class PatientView:
    """What a provider in care (or an admin) sees of a patient, and through which grant."""

    patient: User
    profile: Profile | None
    relationship: Relationship | None


def _lock_pair(session: Session, provider_id: uuid.UUID, patient_id: uuid.UUID) -> None:
    """Serialise grants for one provider-patient pair (PostgreSQL; SQLite already is)."""
    transaction_lock(session, f"healix.care:{provider_id}:{patient_id}")


def _has_active_care(session: Session, provider_id: uuid.UUID, patient_id: uuid.UUID) -> bool:
    return (
        session.scalar(
            select(Relationship.id).where(
                Relationship.provider_id == provider_id,
                Relationship.patient_id == patient_id,
                Relationship.kind == RelationshipKind.CARE,
                active_relationship_clause(),
            )
        )
        is not None
    )


def _create_care(
    session: Session,
    *,
    provider: User,
    patient_id: uuid.UUID,
    granted_by: User,
    reason: str | None,
    valid_until: datetime | None,
) -> Relationship:
    _lock_pair(session, provider.id, patient_id)
    if _has_active_care(session, provider.id, patient_id):
        raise Conflict("This provider is already in the patient's care team.")
    relationship = Relationship(
        provider_id=provider.id,
        patient_id=patient_id,
        kind=RelationshipKind.CARE,
        granted_by_id=granted_by.id,
        reason=reason,
        valid_from=utcnow(),
        valid_until=valid_until,
    )
    session.add(relationship)
    session.flush()
    notify(
        session,
        user_id=provider.id,
        kind="care_relationship_granted",
        title="A patient was added to your care",
        data={"relationship_id": str(relationship.id), "patient_id": str(patient_id)},
    )
    return relationship


def grant_care(session: Session, *, actor: User, data: CareGrant) -> Relationship:
    """The patient consents to care by an active provider (409 if already in care)."""
    provider = active_provider(session, data.provider_id)
    relationship = _create_care(
        session,
        provider=provider,
        patient_id=actor.id,
        granted_by=actor,
        reason=data.reason,
        valid_until=data.valid_until,
    )
    _audit(session, AuditAction.CARE_RELATIONSHIP_GRANTED, actor, relationship)
    return relationship


def list_care_team(session: Session, *, actor: User, query: PageQuery) -> Paged[CareTeamEntry]:
    """The patient's active relationships (care and emergency) with each provider."""
    statement = (
        select(Relationship, User)
        .join(User, User.id == Relationship.provider_id)
        .where(Relationship.patient_id == actor.id, active_relationship_clause())
    )
    page = keyset_page(
        session,
        statement,
        sort_columns=[Relationship.created_at, Relationship.id],
        sort_key=lambda row: (row[0].created_at, row[0].id),
        limit=query.limit,
        cursor=query.cursor,
        scalars=False,
    )
    return Paged([CareTeamEntry(row[0], row[1]) for row in page.items], page.next_cursor)


def end_care(session: Session, *, actor: User, provider_id: uuid.UUID) -> None:
    """The patient withdraws consent: every active care relationship with the provider ends.

    Emergency access is not consent-based and runs out on its own.
    """
    ended_ids = _end_where(
        session,
        actor,
        Relationship.patient_id == actor.id,
        Relationship.provider_id == provider_id,
        Relationship.kind == RelationshipKind.CARE,
        active_relationship_clause(),
    )
    if not ended_ids:
        raise NotFound("This provider is not in your care team.")
    for relationship_id in ended_ids:
        audit_logger.record(
            session,
            AuditAction.CARE_RELATIONSHIP_ENDED,
            actor=actor,
            resource_type=RESOURCE,
            resource_id=relationship_id,
            patient_id=actor.id,
            details={"provider_id": str(provider_id)},
        )


def _end_where(session: Session, actor: User, *conditions: ColumnElement[bool]) -> list[uuid.UUID]:
    """End the matching relationships in one UPDATE; concurrent enders cannot both win."""
    result = session.execute(
        update(Relationship)
        .where(Relationship.ended_at.is_(None), *conditions)
        .values(ended_at=utcnow(), ended_by_id=actor.id)
        .returning(Relationship.id),
        execution_options={"synchronize_session": False},
    )
    return list(result.scalars())


def admin_create(session: Session, *, actor: User, data: AdminRelationshipCreate) -> Relationship:
    """An admin records a care relationship between an active provider and patient."""
    provider = active_provider(session, data.provider_id)
    patient = active_patient(session, data.patient_id)
    relationship = _create_care(
        session,
        provider=provider,
        patient_id=patient.id,
        granted_by=actor,
        reason=data.reason,
        valid_until=data.valid_until,
    )
    _audit(session, AuditAction.ADMIN_CREATE_RELATIONSHIP, actor, relationship)
    return relationship


def admin_end(session: Session, *, actor: User, relationship_id: uuid.UUID) -> None:
    """An admin ends any relationship (care or emergency); 409 if it already ended."""
    relationship = session.get(Relationship, relationship_id)
    if relationship is None:
        raise NotFound("No such relationship.")
    if not _end_where(session, actor, Relationship.id == relationship_id):
        raise Conflict("This relationship has already ended.")
    _audit(session, AuditAction.ADMIN_END_RELATIONSHIP, actor, relationship)


def emergency_access(
    session: Session, *, actor: User, patient_id: uuid.UUID, reason: str, minutes: int
) -> Relationship:
    """Open time-limited access to a patient without consent: audited HIGH, patient told."""
    patient = session.get(User, patient_id)
    if not is_active(patient, Role.PATIENT):
        # break glass needs an active patient; any other id answers like an unknown one
        raise access_denied(ResourceType.PATIENT, patient_id, patient_id if patient else None)
    _lock_pair(session, actor.id, patient_id)
    if active_relationship(session, provider_id=actor.id, patient_id=patient_id) is not None:
        raise Conflict("You already have access to this patient.")
    now = utcnow()
    relationship = Relationship(
        provider_id=actor.id,
        patient_id=patient_id,
        kind=RelationshipKind.EMERGENCY,
        granted_by_id=actor.id,
        reason=reason,
        valid_from=now,
        valid_until=now + timedelta(minutes=minutes),
    )
    session.add(relationship)
    session.flush()
    audit_logger.record(
        session,
        AuditAction.PROVIDER_EMERGENCY_ACCESS,
        actor=actor,
        resource_type=RESOURCE,
        resource_id=relationship.id,
        patient_id=patient_id,
        severity=AuditSeverity.HIGH,
        details={"minutes": minutes},
    )
    notify(
        session,
        user_id=patient_id,
        kind="emergency_access",
        title="A provider opened emergency access to your records",
        data={"relationship_id": str(relationship.id), "provider_id": str(actor.id)},
    )
    mail_controller.send(
        session, EMERGENCY_ACCESS_MAIL, user_id=patient_id, subject_id=relationship.id
    )
    return relationship


def _emergency_context(mail: mail_controller.MailContext) -> dict[str, object]:
    """When, and where to see who and why: the reason stays in the app."""
    relationship = mail.subject(Relationship, "emergency access")
    return {"when": mail.when(relationship.valid_from), "link": mail.link("/care-team")}


EMERGENCY_ACCESS_MAIL = mail_controller.define(
    "emergency_access",
    category=EmailCategory.SECURITY,
    reason="You receive this email because a provider opened emergency access to your records.",
    context=_emergency_context,
)


def list_patients(session: Session, *, actor: User, query: PatientQuery) -> Paged[Any]:
    """The patients the provider may see now, by name (rows of id, names, date of birth)."""
    statement = (
        select(User.id, User.first_name, User.last_name, Profile.date_of_birth)
        .outerjoin(Profile, Profile.user_id == User.id)
        .where(User.role == Role.PATIENT, User.status == UserStatus.ACTIVE)
        .where(patient_filter(actor, User.id))
    )
    if query.q:
        statement = statement.where(matches_any(query.q, User.first_name, User.last_name))
    return keyset_page(
        session,
        statement,
        sort_columns=[User.last_name, User.first_name, User.id],
        sort_key=lambda row: (row.last_name, row.first_name, row.id),
        limit=query.limit,
        cursor=query.cursor,
        descending=False,
        scalars=False,
    )


def patient_summary(session: Session, *, actor: User, patient_id: uuid.UUID) -> PatientView:
    """A patient's profile summary; the read is audited by ensure_patient_access."""
    patient = ensure_patient_access(session, actor=actor, patient_id=patient_id)
    profile = session.get(Profile, patient.id)
    relationship = (
        active_relationship(session, provider_id=actor.id, patient_id=patient.id)
        if actor.role == Role.PROVIDER
        else None
    )
    return PatientView(patient, profile, relationship)


def _audit(session: Session, action: AuditAction, actor: User, relationship: Relationship) -> None:
    audit_logger.record(
        session,
        action,
        actor=actor,
        resource_type=RESOURCE,
        resource_id=relationship.id,
        patient_id=relationship.patient_id,
        details={"provider_id": str(relationship.provider_id), "kind": relationship.kind},
    )
