"""Every blueprint of the API, registered in one place."""

from flask_openapi3 import OpenAPI

from healix.routes import (
    account_routes,
    admin_routes,
    alert_routes,
    appointment_routes,
    audit_routes,
    auth_routes,
    biomarker_read_routes,
    biomarker_routes,
    care_routes,
    device_routes,
    export_routes,
    goal_routes,
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
    user_routes,
    account_routes,
    provider_routes,
    schedule_routes,
    care_routes,
    patient_routes,
    appointment_routes,
    prescription_routes,
    prescription_pdf_routes,
    notification_routes,
    biomarker_routes,
    biomarker_read_routes,
    device_routes,
    alert_routes,
    goal_routes,
    export_routes,
    admin_routes,
    relationship_routes,
    audit_routes,
)


def register_blueprints(app: OpenAPI) -> None:
    for module in BLUEPRINT_MODULES:
        app.register_api(module.bp)
