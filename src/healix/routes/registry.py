"""Every blueprint of the API, registered in one place."""

from flask_openapi3 import OpenAPI

from healix.routes import (
    account_routes,
    admin_routes,
    appointment_routes,
    audit_routes,
    auth_routes,
    care_routes,
    export_routes,
    health_routes,
    notification_routes,
    password_reset_routes,
    patient_routes,
    prescription_pdf_routes,
    prescription_routes,
    provider_routes,
    relationship_routes,
    schedule_routes,
    user_routes,
)

BLUEPRINT_MODULES = (
    health_routes,
    auth_routes,
    password_reset_routes,
    account_routes,
    appointment_routes,
    schedule_routes,
    prescription_pdf_routes,
    export_routes,
    admin_routes,
    audit_routes,
    user_routes,
    provider_routes,
    care_routes,
    patient_routes,
    relationship_routes,
    prescription_routes,
    notification_routes,
)


def register_blueprints(app: OpenAPI) -> None:
    for module in BLUEPRINT_MODULES:
        app.register_api(module.bp)
