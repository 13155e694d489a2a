"""Providers' view of their patients, and emergency access."""

from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from healix.config import current_settings
from healix.controllers import care_controller, patient_overview
from healix.extensions import db
from healix.middleware.auth_middleware import current_actor
from healix.middleware.authorization import roles_required
from healix.models.user import Role
from healix.routes import BEARER, ERRORS, JsonResponse, dump, encoded_page, page
from healix.schemas.care import (
    EmergencyAccessCreate,
    PatientListing,
    PatientOverview,
    PatientOverviewQuery,
    PatientPath,
    PatientQuery,
    PatientSummary,
    RelationshipRead,
)
from healix.schemas.common import Page, Problem

TAG = Tag(
    name="Patients",
    description="A provider's view of the patients in their care, a patient's summary (for "
    "providers in care and admins; every read is audited), and emergency access.",
)
bp = APIBlueprint("patients", __name__, url_prefix="/api/patients", abp_tags=[TAG])


@bp.get("", responses={200: Page[PatientListing], **ERRORS}, security=BEARER)
@roles_required(Role.PROVIDER)
def list_patients(query: PatientQuery) -> JsonResponse:
    """The patients in your care (active relationships only)."""
    patients = care_controller.list_patients(db.session(), actor=current_actor(), query=query)
    return page(PatientListing, patients)


@bp.get("/overview", responses={200: Page[PatientOverview], **ERRORS}, security=BEARER)
@roles_required(Role.PROVIDER)
def patients_overview(query: PatientOverviewQuery) -> JsonResponse:
    """My patients: latest vitals, open alerts, last and next visit per patient (audited)."""
    rows = patient_overview.overview(db.session(), actor=current_actor(), query=query)
    return encoded_page(rows)


@bp.get("/<uuid:patient_id>", responses={200: PatientSummary, **ERRORS}, security=BEARER)
@roles_required(Role.PROVIDER, Role.ADMIN)
def get_patient(path: PatientPath) -> JsonResponse:
    """A patient's profile summary (audited)."""
    view = care_controller.patient_summary(
        db.session(), actor=current_actor(), patient_id=path.patient_id
    )
    return dump(PatientSummary.of(view.patient, view.profile, view.relationship))


@bp.post(
    "/<uuid:patient_id>/emergency-access",
    responses={201: RelationshipRead, 409: Problem, **ERRORS},
    security=BEARER,
)
@roles_required(Role.PROVIDER)
def open_emergency_access(path: PatientPath, body: EmergencyAccessCreate) -> JsonResponse:
    """Break glass: time-limited access without consent (audited HIGH; the patient is told)."""
    relationship = care_controller.emergency_access(
        db.session(),
        actor=current_actor(),
        patient_id=path.patient_id,
        reason=body.reason,
        minutes=current_settings().emergency_access_minutes,
    )
    return dump(RelationshipRead.model_validate(relationship), 201)
