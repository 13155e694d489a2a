"""Every blueprint of the API, registered in one place."""

from flask_openapi3 import OpenAPI

from healix.routes import (
    auth_routes,
    care_routes,
    health_routes,
    notification_routes,
    patient_routes,
    prescription_routes,
    provider_routes,
    relationship_routes,
    user_routes,
)


def register_blueprints(app: OpenAPI) -> None:
    for module in (
        health_routes,
        auth_routes,
        user_routes,
        provider_routes,
        care_routes,
        patient_routes,
        relationship_routes,
        prescription_routes,
        notification_routes,
    ):
        app.register_api(module.bp)
