"""Every blueprint of the API, registered in one place."""

from flask_openapi3 import OpenAPI

from healix.routes import auth_routes, biomarker_read_routes, goal_routes, health_routes


def register_blueprints(app: OpenAPI) -> None:
    for module in (health_routes, auth_routes, biomarker_read_routes, goal_routes):
        app.register_api(module.bp)
