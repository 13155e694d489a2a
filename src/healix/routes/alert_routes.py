"""Threshold alerts: listing them and moving them along (acknowledge, dismiss, resolve)."""

from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from healix.controllers import alert_controller
from healix.extensions import db
from healix.middleware.auth_middleware import auth_required, current_actor
from healix.routes import BEARER, ERRORS, JsonResponse, dump, page
from healix.schemas.alert import AlertPath, AlertQuery, AlertRead, AlertUpdate
from healix.schemas.common import Page, Problem

TAG = Tag(
    name="Alerts",
    description="Alerts raised when a stored reading crosses a patient's warning or critical "
    "threshold, and their handling: acknowledge, dismiss or resolve.",
)
bp = APIBlueprint("alerts", __name__, url_prefix="/api/alerts", abp_tags=[TAG])


@bp.get("", responses={200: Page[AlertRead], **ERRORS}, security=BEARER)
@auth_required()
def list_alerts(query: AlertQuery) -> JsonResponse:
    """Alerts you may see: your own, your patients', or all (admin); newest first."""
    alerts = alert_controller.list_alerts(
        db.session(),
        actor=current_actor(),
        patient_id=query.patient_id,
        status=query.status,
        severity=query.severity,
        biomarker_type=query.biomarker_type,
        limit=query.limit,
        cursor=query.cursor,
    )
    return page(AlertRead, alerts)


@bp.patch("/<uuid:alert_id>", responses={200: AlertRead, 409: Problem, **ERRORS}, security=BEARER)
@auth_required()
def update_alert(path: AlertPath, body: AlertUpdate) -> JsonResponse:
    """Acknowledge, dismiss or resolve an alert, with an optional note."""
    alert = alert_controller.update_alert(
        db.session(), actor=current_actor(), alert_id=path.alert_id, data=body
    )
    return dump(AlertRead.model_validate(alert))
