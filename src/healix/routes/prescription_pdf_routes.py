"""The printable prescription (kept apart from prescription_routes, which another area owns)."""

from flask_openapi3 import APIBlueprint, Tag

from healix.controllers import export_controller
from healix.extensions import db
from healix.middleware.auth_middleware import auth_required, current_actor
from healix.routes import BEARER, ERRORS
from healix.routes.export_routes import binary_response, file_response
from healix.schemas.export import PrescriptionPdfPath

bp = APIBlueprint(
    "prescription_pdf",
    __name__,
    url_prefix="/api/prescriptions",
    abp_tags=[Tag(name="Prescriptions")],
)


@bp.get(
    "/<uuid:prescription_id>/pdf",
    responses={200: binary_response("application/pdf", "The prescription"), **ERRORS},
    security=BEARER,
)
@auth_required()
def prescription_pdf(path: PrescriptionPdfPath):
    """Download a printable prescription."""
    export = export_controller.prescription_pdf(
        db.session, actor=current_actor(), prescription_id=path.prescription_id
    )
    return file_response(export)
