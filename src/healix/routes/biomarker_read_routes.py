"""Reading biomarker data: latest values, history and summaries (patient, admin, or a
provider in the patient's care)."""

from flask_openapi3 import APIBlueprint, Tag

from healix.controllers import biomarker_controller
from healix.extensions import db
from healix.middleware.auth_middleware import auth_required, current_actor
from healix.routes import BEARER, ERRORS, dump
from healix.schemas.biomarker_read import (
    CurrentQuery,
    CurrentRead,
    CurrentReading,
    HistoryQuery,
    ReadingRead,
    SummaryQuery,
    SummaryRead,
)
from healix.schemas.common import Page

bp = APIBlueprint(
    "biomarker_reads",
    __name__,
    url_prefix="/api/biomarkers",
    abp_tags=[Tag(name="Biomarkers")],
)


@bp.get("/current", security=BEARER, responses={200: CurrentRead, **ERRORS})
@auth_required()
def current(query: CurrentQuery):
    """The latest non-faulty reading of each biomarker type, with its level."""
    patient_id, readings = biomarker_controller.current_readings(
        db.session, actor=current_actor(), patient_id=query.patient_id
    )
    return dump(
        CurrentRead(
            patient_id=patient_id,
            readings=[CurrentReading.model_validate(item) for item in readings],
        )
    )


@bp.get("/history", security=BEARER, responses={200: Page[ReadingRead], **ERRORS})
@auth_required()
def history(query: HistoryQuery):
    """Readings newest first, paged with `next_cursor` (faulty ones only on request)."""
    rows, next_cursor = biomarker_controller.history(
        db.session,
        actor=current_actor(),
        patient_id=query.patient_id,
        biomarker_type=query.type,
        start=query.from_,
        end=query.to,
        include_faulty=query.include_faulty,
        limit=query.limit,
        cursor=query.cursor,
    )
    page = {"items": rows, "next_cursor": next_cursor}
    return dump(Page[ReadingRead].model_validate(page, from_attributes=True))


@bp.get("/summary", security=BEARER, responses={200: SummaryRead, **ERRORS})
@auth_required()
def summary(query: SummaryQuery):
    """Count, average, min, max and sum per hour, day or week in the patient's time zone."""
    result = biomarker_controller.summary(
        db.session,
        actor=current_actor(),
        patient_id=query.patient_id,
        biomarker_type=query.type,
        bucket=query.bucket,
        start=query.from_,
        end=query.to,
    )
    return dump(SummaryRead.model_validate(result))
