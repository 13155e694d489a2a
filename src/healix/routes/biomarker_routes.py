"""Biomarkers: the catalog, patients' manual readings, personal thresholds, and reading the
data (latest values, history, summaries) as the patient, an admin, or a provider in care."""

from flask import request
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from healix.biomarker_catalog import CATALOG
from healix.controllers import biomarker_controller, ingestion_controller, threshold_controller
from healix.extensions import db
from healix.middleware.auth_middleware import auth_required, current_actor
from healix.middleware.authorization import roles_required
from healix.middleware.ingest_limits import readings_limited
from healix.models.user import Role
from healix.routes import (
    BEARER,
    ERRORS,
    INGEST_ERRORS,
    IngestResponse,
    JsonResponse,
    NoContent,
    dump,
    ingest_response,
    no_content,
    rows_page,
    summary_body,
)
from healix.schemas.biomarker import BiomarkerTypeRead, IngestResult, ManualEntry
from healix.schemas.biomarker_read import (
    CurrentQuery,
    CurrentRead,
    HistoryQuery,
    ReadingRead,
    SummaryQuery,
    SummaryRead,
)
from healix.schemas.common import Page
from healix.schemas.threshold import (
    EffectiveThreshold,
    ThresholdList,
    ThresholdPath,
    ThresholdQuery,
    ThresholdUpdate,
)

TAG = Tag(
    name="Biomarkers",
    description="The biomarker catalog (types, units, LOINC codes, ranges), readings a "
    "patient enters by hand, personal alert thresholds, and the readings themselves: the "
    "latest value per type, the history page by page, and summaries per hour, day or week.",
)
bp = APIBlueprint("biomarkers", __name__, url_prefix="/api/biomarkers", abp_tags=[TAG])


@bp.get("/types", responses={200: Page[BiomarkerTypeRead]})
def list_types() -> JsonResponse:
    """The biomarker catalog: types, units, aliases, LOINC codes, ranges and default thresholds."""
    items = [BiomarkerTypeRead.from_entry(entry) for entry in CATALOG.values()]
    return dump(Page[BiomarkerTypeRead](items=items))


@bp.post("", responses={201: IngestResult, **INGEST_ERRORS}, security=BEARER)
@roles_required(Role.PATIENT)
@readings_limited
def create_readings(body: ManualEntry) -> IngestResponse:
    """Enter readings by hand: one reading object or {"readings": [...]} (Idempotency-Key optional)."""
    outcome = ingestion_controller.ingest_manual(
        db.session(),
        actor=current_actor(),
        batch=body,
        idempotency_key=request.headers.get("Idempotency-Key"),
    )
    return ingest_response(outcome)


@bp.get("/current", security=BEARER, responses={200: CurrentRead, **ERRORS})
@auth_required()
def current(query: CurrentQuery) -> JsonResponse:
    """The latest non-faulty reading of each biomarker type, with its level."""
    readings = biomarker_controller.current_readings(
        db.session(), actor=current_actor(), patient_id=query.patient_id
    )
    return dump(CurrentRead.model_validate(readings))


@bp.get("/history", security=BEARER, responses={200: Page[ReadingRead], **ERRORS})
@auth_required()
def history(query: HistoryQuery) -> JsonResponse:
    """Readings newest first, paged with `next_cursor` (faulty ones only on request)."""
    rows = biomarker_controller.history(
        db.session(),
        actor=current_actor(),
        patient_id=query.patient_id,
        biomarker_type=query.type,
        period=query.period,
        include_faulty=query.include_faulty,
        limit=query.limit,
        cursor=query.cursor,
    )
    return rows_page(ReadingRead, rows)


@bp.get("/summary", security=BEARER, responses={200: SummaryRead, **ERRORS})
@auth_required()
def summary(query: SummaryQuery) -> JsonResponse:
    """Count, average, min, max and sum per hour, day or week in the patient's time zone."""
    result = biomarker_controller.summary(
        db.session(),
        actor=current_actor(),
        patient_id=query.patient_id,
        biomarker_type=query.type,
        bucket=query.bucket,
        period=query.period,
    )
    return summary_body(result)


@bp.get("/thresholds", responses={200: ThresholdList, **ERRORS}, security=BEARER)
@roles_required(Role.PATIENT, Role.PROVIDER, Role.ADMIN)
def list_thresholds(query: ThresholdQuery) -> JsonResponse:
    """A patient's effective thresholds per type, personal ones flagged."""
    thresholds = threshold_controller.list_thresholds(
        db.session(), actor=current_actor(), patient_id=query.patient_id
    )
    return dump(ThresholdList.model_validate(thresholds))


@bp.put(
    "/thresholds/<biomarker_type>",
    responses={200: EffectiveThreshold, **ERRORS},
    security=BEARER,
)
@roles_required(Role.PATIENT, Role.PROVIDER)
def set_threshold(
    path: ThresholdPath, query: ThresholdQuery, body: ThresholdUpdate
) -> JsonResponse:
    """Set a patient's own thresholds for one type (the patient or their provider)."""
    threshold = threshold_controller.set_threshold(
        db.session(),
        actor=current_actor(),
        patient_id=query.patient_id,
        biomarker_type=path.biomarker_type,
        data=body,
    )
    return dump(EffectiveThreshold.model_validate(threshold))


@bp.delete("/thresholds/<biomarker_type>", responses={204: None, **ERRORS}, security=BEARER)
@roles_required(Role.PATIENT, Role.PROVIDER)
def reset_threshold(path: ThresholdPath, query: ThresholdQuery) -> NoContent:
    """Reset one type to the catalog's default thresholds."""
    threshold_controller.reset_threshold(
        db.session(),
        actor=current_actor(),
        patient_id=query.patient_id,
        biomarker_type=path.biomarker_type,
    )
    return no_content()
