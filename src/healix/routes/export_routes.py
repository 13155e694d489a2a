"""Exports of a patient's data: PDF health report (plain or encrypted), FHIR bundle, CSV."""

from typing import Any

from flask import Response, stream_with_context
from flask_openapi3 import APIBlueprint, Tag

from healix.controllers import export_controller, fhir_export, report_controller
from healix.controllers.export_controller import ExportFile, ExportStream
from healix.extensions import db
from healix.middleware.auth_middleware import auth_required, current_actor
from healix.routes import BEARER, ERRORS
from healix.schemas.export import EncryptedReportRequest, FhirQuery, ReadingsCsvQuery, ReportQuery

bp = APIBlueprint("export", __name__, url_prefix="/api/export", abp_tags=[Tag(name="Export")])


def binary_response(mimetype: str, description: str) -> dict[str, Any]:
    """OpenAPI description of a non-JSON 200 response."""
    return {
        "description": description,
        "content": {mimetype: {"schema": {"type": "string", "format": "binary"}}},
    }


def file_response(export: ExportFile) -> Response:
    """A generated document, sent as a download."""
    return Response(
        export.content,
        mimetype=export.mimetype,
        headers={"Content-Disposition": f'attachment; filename="{export.filename}"'},
    )


def _stream_response(export: ExportStream) -> Response:
    headers = {}
    if export.filename:
        headers["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return Response(stream_with_context(export.chunks), mimetype=export.mimetype, headers=headers)


@bp.get(
    "/report.pdf",
    responses={200: binary_response("application/pdf", "The PDF report"), **ERRORS},
    security=BEARER,
)
@auth_required()
def report_pdf(query: ReportQuery):
    """Download a PDF health report (default period: the last 30 days)."""
    export = report_controller.health_report_pdf(
        db.session,
        actor=current_actor(),
        patient_id=query.patient_id,
        start=query.from_,
        end=query.to,
    )
    return file_response(export)


@bp.post(
    "/report.pdf",
    responses={200: binary_response("application/pdf", "The encrypted PDF report"), **ERRORS},
    security=BEARER,
)
@auth_required()
def encrypted_report_pdf(body: EncryptedReportRequest):
    """Download the PDF health report encrypted with AES-256 under your password."""
    export = report_controller.health_report_pdf(
        db.session,
        actor=current_actor(),
        patient_id=body.patient_id,
        start=body.from_,
        end=body.to,
        password=body.password.get_secret_value(),
    )
    return file_response(export)


@bp.get(
    "/fhir",
    responses={200: binary_response("application/fhir+json", "A FHIR R4 Bundle"), **ERRORS},
    security=BEARER,
)
@auth_required()
def fhir_bundle(query: FhirQuery):
    """Export the patient's record as a FHIR R4 collection Bundle."""
    export = fhir_export.fhir_bundle(db.session, actor=current_actor(), patient_id=query.patient_id)
    return _stream_response(export)


@bp.get(
    "/readings.csv",
    responses={200: binary_response("text/csv", "Readings as CSV"), **ERRORS},
    security=BEARER,
)
@auth_required()
def readings_csv(query: ReadingsCsvQuery):
    """Download biomarker readings as CSV (optionally one type and a period)."""
    export = export_controller.readings_csv(
        db.session,
        actor=current_actor(),
        patient_id=query.patient_id,
        biomarker_type=query.type,
        start=query.from_,
        end=query.to,
    )
    return _stream_response(export)
