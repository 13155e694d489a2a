"""Every blueprint of the API, registered in one place."""

from flask_openapi3 import OpenAPI

from healix.routes import (
    alert_routes,
    auth_routes,
    biomarker_routes,
    device_routes,
    health_routes,
)


def register_blueprints(app: OpenAPI) -> None:
    for module in (
        health_routes,
        auth_routes,
        biomarker_routes,
        device_routes,
        alert_routes,
    ):
        app.register_api(module.bp)
