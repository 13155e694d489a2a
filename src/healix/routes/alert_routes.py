"""Threshold alerts: listing them and moving them along (acknowledge, dismiss, resolve)."""

from flask_openapi3 import APIBlueprint, Tag

from healix.controllers import alert_controller
from healix.extensions import db
from healix.middleware.auth_middleware import auth_required, current_actor
from healix.routes import BEARER, ERRORS, dump
from healix.schemas.alert import AlertPath, AlertQuery, AlertRead, AlertUpdate
from healix.schemas.common import Page, Problem

bp = APIBlueprint("alerts", __name__, url_prefix="/api/alerts", abp_tags=[Tag(name="Alerts")])


@bp.get("", responses={200: Page[AlertRead], **ERRORS}, security=BEARER)
@auth_required()
def list_alerts(query: AlertQuery):
    """Alerts you may see: your own, your patients', or all (admin); newest first."""
    alerts, next_cursor = alert_controller.list_alerts(
        db.session,
        actor=current_actor(),
        patient_id=query.patient_id,
        status=query.status,
        severity=query.severity,
        biomarker_type=query.biomarker_type,
        limit=query.limit,
        cursor=query.cursor,
    )
    items = [AlertRead.model_validate(alert) for alert in alerts]
    return dump(Page[AlertRead](items=items, next_cursor=next_cursor))


@bp.patch("/<uuid:alert_id>", responses={200: AlertRead, 409: Problem, **ERRORS}, security=BEARER)
@auth_required()
def update_alert(path: AlertPath, body: AlertUpdate):
    """Acknowledge, dismiss or resolve an alert, with an optional note."""
    alert = alert_controller.update_alert(
        db.session, actor=current_actor(), alert_id=path.alert_id, data=body
    )
    return dump(AlertRead.model_validate(alert))
