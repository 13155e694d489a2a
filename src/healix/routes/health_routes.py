"""Liveness and database reachability."""

from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from healix.controllers import health_controller
from healix.extensions import db
from healix.routes import JsonResponse, dump
from healix.schemas.health import HealthRead

TAG = Tag(name="Health", description="Is the API up, and can it reach its database?")
bp = APIBlueprint("health", __name__, url_prefix="/api", abp_tags=[TAG])


@bp.get("/health", responses={200: HealthRead, 503: HealthRead})
def health() -> JsonResponse:
    """Is the API up and its database reachable?"""
    if health_controller.database_reachable(db.session()):
        return dump(HealthRead(status="ok", database="ok"))
    return dump(HealthRead(status="unavailable", database="unreachable"), 503)
