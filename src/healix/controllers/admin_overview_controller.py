"""Clinic-wide lists for the admin console: care relationships and prescriptions, each with
the names its rows show, in a fixed number of queries per page (never one per row)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from healix.audit import logger as audit_logger
from healix.audit.events import AuditAction, ResourceType
from healix.controllers import prescription_controller, prescription_views
from healix.controllers.access import active_relationship_clause
from healix.controllers.profile_controller import users_by_id
from healix.models.prescription import Prescription
from healix.models.provider_patient_relationship import ProviderPatientRelationship
from healix.models.user import User
from healix.schemas.admin_overview import AdminPrescriptionQuery, RelationshipListQuery
from healix.utils.pagination import Paged, keyset_page
from healix.utils.time import utcnow

Relationship = ProviderPatientRelationship


@dataclass(frozen=True)
class RelationshipView:
    relationship: Relationship
    provider: User
    patient: User
    active: bool


@dataclass(frozen=True)
class ClinicPrescriptionView:
    view: prescription_views.PrescriptionView
    patient: User | None


def list_relationships(
    session: Session, *, actor: User, query: RelationshipListQuery
) -> Paged[RelationshipView]:
    """Relationships newest first; only those granting access now unless `include_ended`."""
    grants_now = active_relationship_clause(utcnow())
    statement = select(Relationship, grants_now.label("active"))
    if not query.include_ended:
        statement = statement.where(grants_now)
    if query.provider_id is not None:
        statement = statement.where(Relationship.provider_id == query.provider_id)
    if query.patient_id is not None:
        statement = statement.where(Relationship.patient_id == query.patient_id)
    page = keyset_page(
        session,
        statement,
        sort_columns=[Relationship.created_at, Relationship.id],
        sort_key=lambda row: (row[0].created_at, row[0].id),
        limit=query.limit,
        cursor=query.cursor,
        scalars=False,
    )
    rows = [(row[0], bool(row[1])) for row in page.items]
    people = users_by_id(
        session, [rel.provider_id for rel, _ in rows] + [rel.patient_id for rel, _ in rows]
    )
    used = [
        name
        for name, value in (
            ("provider_id", query.provider_id),
            ("patient_id", query.patient_id),
            ("include_ended", query.include_ended),
        )
        if value
    ]
    audit_logger.record(
        session,
        AuditAction.ADMIN_VIEW_RELATIONSHIPS,
        actor=actor,
        resource_type=ResourceType.PROVIDER_PATIENT_RELATIONSHIP,
        details={"filters": used, "returned": len(page.items)},
    )
    items = [
        RelationshipView(rel, people[rel.provider_id], people[rel.patient_id], active)
        for rel, active in rows
    ]
    return Paged(items, page.next_cursor)


def list_prescriptions(
    session: Session, *, actor: User, query: AdminPrescriptionQuery
) -> Paged[ClinicPrescriptionView]:
    """Every prescription in the clinic, newest first, filtered; the reads are audited per
    patient as anyone else's reads of prescriptions are."""
    statement = select(Prescription)
    if query.status is not None:
        statement = statement.where(Prescription.status_is(query.status))
    if query.patient_id is not None:
        statement = statement.where(Prescription.patient_id == query.patient_id)
    if query.provider_id is not None:
        statement = statement.where(Prescription.provider_id == query.provider_id)
    page = keyset_page(
        session,
        statement,
        sort_columns=[Prescription.created_at, Prescription.id],
        sort_key=lambda rx: (rx.created_at, rx.id),
        limit=query.limit,
        cursor=query.cursor,
    )
    prescription_controller.audit_reads(session, actor=actor, prescriptions=page.items)
    patients = users_by_id(session, (rx.patient_id for rx in page.items))
    views = prescription_views.describe(session, page.items)
    items = [
        ClinicPrescriptionView(view, patients.get(view.prescription.patient_id)) for view in views
    ]
    return Paged(items, page.next_cursor)
