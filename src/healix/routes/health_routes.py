"""Liveness and database reachability."""

from typing import Any

from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from healix.controllers import health_controller
from healix.extensions import db
from healix.middleware.error_handler import DATABASE_RETRY_AFTER_SECONDS
from healix.routes import dump
from healix.schemas.health import HealthRead

TAG = Tag(name="Health", description="Is the API up, and can it reach its database?")
bp = APIBlueprint("health", __name__, url_prefix="/api", abp_tags=[TAG])


@bp.get("/health", responses={200: HealthRead, 503: HealthRead})
def health() -> tuple[dict[str, Any], int, dict[str, str]]:
    """Is the API up and its database reachable?"""
    if health_controller.database_reachable(db.session()):
        return *dump(HealthRead(status="ok", database="ok")), {}
    body = dump(HealthRead(status="unavailable", database="unreachable"), 503)
    return *body, {"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)}
