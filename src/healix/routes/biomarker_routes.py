"""The biomarker catalog, patients' manual readings and personal thresholds."""

from flask import request
from flask_openapi3 import APIBlueprint, Tag
from flask_openapi3.request import validate_request

from healix.biomarker_catalog import CATALOG
from healix.controllers import ingestion_controller, threshold_controller
from healix.extensions import db
from healix.middleware.auth_middleware import current_actor
from healix.middleware.authorization import roles_required
from healix.models.user import Role
from healix.routes import BEARER, ERRORS, dump, no_content
from healix.schemas.biomarker import BiomarkerTypeRead, IngestResult, ManualEntry
from healix.schemas.common import Page, Problem
from healix.schemas.threshold import (
    EffectiveThreshold,
    ThresholdList,
    ThresholdPath,
    ThresholdQuery,
    ThresholdUpdate,
)

bp = APIBlueprint(
    "biomarkers", __name__, url_prefix="/api/biomarkers", abp_tags=[Tag(name="Biomarkers")]
)

#: what a write of readings may answer besides the usual errors
INGEST_ERRORS = {**ERRORS, 409: Problem, 413: Problem}


@bp.get("/types", responses={200: Page[BiomarkerTypeRead]})
def list_types():
    """The biomarker catalog: types, units, aliases, LOINC codes, ranges and default thresholds."""
    items = [BiomarkerTypeRead.from_entry(entry) for entry in CATALOG.values()]
    return dump(Page[BiomarkerTypeRead](items=items))


@bp.post("", responses={201: IngestResult, **INGEST_ERRORS}, security=BEARER)
@roles_required(Role.PATIENT)
@validate_request()
def create_readings(body: ManualEntry):
    """Enter readings by hand: one reading object or {"readings": [...]} (Idempotency-Key optional)."""
    outcome = ingestion_controller.ingest_manual(
        db.session,
        actor=current_actor(),
        batch=body,
        idempotency_key=request.headers.get("Idempotency-Key"),
    )
    return outcome.body, outcome.status, {"Idempotent-Replayed": str(outcome.replayed).lower()}


@bp.get("/thresholds", responses={200: ThresholdList, **ERRORS}, security=BEARER)
@roles_required(Role.PATIENT, Role.PROVIDER, Role.ADMIN)
def list_thresholds(query: ThresholdQuery):
    """A patient's effective thresholds per type, personal ones flagged."""
    patient_id, items = threshold_controller.list_thresholds(
        db.session, actor=current_actor(), patient_id=query.patient_id
    )
    return dump(ThresholdList(patient_id=patient_id, items=items))


@bp.put(
    "/thresholds/<biomarker_type>",
    responses={200: EffectiveThreshold, **ERRORS},
    security=BEARER,
)
@roles_required(Role.PATIENT, Role.PROVIDER)
def set_threshold(path: ThresholdPath, query: ThresholdQuery, body: ThresholdUpdate):
    """Set a patient's own thresholds for one type (the patient or their provider)."""
    threshold = threshold_controller.set_threshold(
        db.session,
        actor=current_actor(),
        patient_id=query.patient_id,
        biomarker_type=path.biomarker_type,
        data=body,
    )
    return dump(threshold)


@bp.delete("/thresholds/<biomarker_type>", responses={204: None, **ERRORS}, security=BEARER)
@roles_required(Role.PATIENT, Role.PROVIDER)
def reset_threshold(path: ThresholdPath, query: ThresholdQuery):
    """Reset one type to the catalog's default thresholds."""
    threshold_controller.reset_threshold(
        db.session,
        actor=current_actor(),
        patient_id=query.patient_id,
        biomarker_type=path.biomarker_type,
    )
    return no_content()
