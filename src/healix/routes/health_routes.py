"""Liveness and database reachability."""

from flask_openapi3 import APIBlueprint, Tag

from healix.controllers import health_controller
from healix.extensions import db
from healix.schemas.common import Schema

bp = APIBlueprint("health", __name__, url_prefix="/api", abp_tags=[Tag(name="Health")])


class HealthRead(Schema):
    status: str
    database: str


@bp.get("/health", responses={200: HealthRead, 503: HealthRead})
def health():
    """Is the API up and its database reachable?"""
    if health_controller.database_reachable(db.session):
        return HealthRead(status="ok", database="ok").model_dump(), 200
    return HealthRead(status="unavailable", database="unreachable").model_dump(), 503
