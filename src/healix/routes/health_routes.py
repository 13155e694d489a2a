"""Liveness, readiness (database and broker reachable) and the Prometheus metrics."""

from typing import Any

from flask import Response
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from healix.config import current_settings
from healix.controllers import health_controller, metrics_controller
from healix.extensions import db
from healix.middleware.error_handler import DATABASE_RETRY_AFTER_SECONDS
from healix.middleware.observability import check_metrics_token, metrics_response
from healix.routes import JsonResponse, binary_response, dump
from healix.schemas.health import HealthRead, LivenessRead, ReadinessRead

TAG = Tag(name="Health", description="Is the API up, and can it reach its database?")
bp = APIBlueprint("health", __name__, url_prefix="/api", abp_tags=[TAG])


@bp.get("/health", responses={200: HealthRead, 503: HealthRead})
def health() -> tuple[dict[str, Any], int, dict[str, str]]:
    """Is the API up and its database reachable?"""
    if health_controller.database_reachable(db.session()):
        return *dump(HealthRead(status="ok", database="ok")), {}
    body = dump(HealthRead(status="unavailable", database="unreachable"), 503)
    return *body, {"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)}


@bp.get("/health/live", responses={200: LivenessRead})
def live() -> JsonResponse:
    """Is the process up and answering (for a supervisor's restart decision)?"""
    return dump(LivenessRead(status="ok"))


@bp.get("/health/ready", responses={200: ReadinessRead, 503: ReadinessRead})
def ready() -> JsonResponse:
    """Can it serve: database reachable and, when one is configured, the broker too?"""
    readiness = health_controller.readiness(db.session(), settings=current_settings())
    return dump(ReadinessRead.model_validate(readiness), 200 if readiness.ready else 503)


@bp.get(
    "/metrics",
    security=[{"metricsToken": []}],
    responses={200: binary_response("text/plain", "Prometheus text exposition format")},
)
def metrics() -> Response:
    """Prometheus metrics (bearer token METRICS_TOKEN; without one the endpoint is closed)."""
    check_metrics_token()
    snapshot = metrics_controller.snapshot(db.session())
    return metrics_response(snapshot, current_settings().prometheus_multiproc_dir)
