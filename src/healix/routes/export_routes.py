"""Exports of a patient's data: PDF health report (plain or encrypted), FHIR bundle, CSV."""

from flask import Response
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from healix.config import current_settings
from healix.controllers import export_controller, fhir_export, report_controller
from healix.extensions import db
from healix.middleware.auth_middleware import auth_required, current_actor
from healix.routes import BEARER, ERRORS, binary_response, file_response, stream_response
from healix.schemas.export import EncryptedReportRequest, FhirQuery, ReadingsCsvQuery, ReportQuery

TAG = Tag(
    name="Export",
    description="A patient's data to take away: the PDF health report (optionally AES-256 "
    "encrypted), a FHIR R4 Bundle and readings as CSV. Every export is audited.",
)
#: a FHIR R4 collection Bundle (its resources are FHIR's, not described here)
FHIR_BUNDLE = {
    "description": "A FHIR R4 collection Bundle",
    "content": {
        fhir_export.FHIR_MIMETYPE: {
            "schema": {
                "type": "object",
                "required": ["resourceType", "type", "entry"],
                "properties": {
                    "resourceType": {"const": "Bundle"},
                    "type": {"const": "collection"},
                    "entry": {"type": "array", "items": {"type": "object"}},
                },
            }
        }
    },
}
bp = APIBlueprint("export", __name__, url_prefix="/api/export", abp_tags=[TAG])


@bp.get(
    "/report.pdf",
    responses={200: binary_response("application/pdf", "The PDF report"), **ERRORS},
    security=BEARER,
)
@auth_required()
def report_pdf(query: ReportQuery) -> Response:
    """Download a PDF health report (default period: the last 30 days)."""
    export = report_controller.health_report_pdf(
        db.session(),
        actor=current_actor(),
        patient_id=query.patient_id,
        period=query.period,
        settings=current_settings(),
    )
    return file_response(export.content, mimetype=export.mimetype, filename=export.filename)


@bp.post(
    "/report.pdf",
    responses={200: binary_response("application/pdf", "The encrypted PDF report"), **ERRORS},
    security=BEARER,
)
@auth_required()
def encrypted_report_pdf(body: EncryptedReportRequest) -> Response:
    """Download the PDF health report encrypted with AES-256 under your password."""
    export = report_controller.health_report_pdf(
        db.session(),
        actor=current_actor(),
        patient_id=body.patient_id,
        period=body.period,
        settings=current_settings(),
        password=body.password.get_secret_value(),
    )
    return file_response(export.content, mimetype=export.mimetype, filename=export.filename)


@bp.get(
    "/fhir",
    responses={200: FHIR_BUNDLE, **ERRORS},
    security=BEARER,
)
@auth_required()
def fhir_bundle(query: FhirQuery) -> Response:
    """Export the patient's record as a FHIR R4 collection Bundle."""
    export = fhir_export.fhir_bundle(
        db.session(), actor=current_actor(), patient_id=query.patient_id, period=query.period
    )
    return stream_response(export.chunks, mimetype=export.mimetype, filename=export.filename)


@bp.get(
    "/readings.csv",
    responses={200: binary_response("text/csv", "Readings as CSV"), **ERRORS},
    security=BEARER,
)
@auth_required()
def readings_csv(query: ReadingsCsvQuery) -> Response:
    """Download biomarker readings as CSV (optionally one type and a period)."""
    export = export_controller.readings_csv(
        db.session(),
        actor=current_actor(),
        patient_id=query.patient_id,
        biomarker_type=query.type,
        period=query.period,
    )
    return stream_response(export.chunks, mimetype=export.mimetype, filename=export.filename)
