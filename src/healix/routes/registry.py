"""Every blueprint of the API, registered in one place (one blueprint per URL prefix)."""

from flask_openapi3.openapi import OpenAPI

from healix.routes import (
    admin_routes,
    alert_routes,
    appointment_routes,
    audit_routes,
    auth_routes,
    biomarker_routes,
    calendar_routes,
    care_routes,
    device_routes,
    export_routes,
    goal_routes,
    health_routes,
    import_routes,
    mfa_routes,
    notification_routes,
    patient_routes,
    prescription_routes,
    provider_routes,
    user_routes,
)

BLUEPRINT_MODULES = (
    health_routes,
    auth_routes,
    mfa_routes,
    user_routes,
    provider_routes,
    care_routes,
    patient_routes,
    appointment_routes,
    calendar_routes,
    prescription_routes,
    notification_routes,
    biomarker_routes,
    device_routes,
    alert_routes,
    goal_routes,
    export_routes,
    import_routes,
    admin_routes,
    audit_routes,
)


def register_blueprints(app: OpenAPI) -> None:
    for module in BLUEPRINT_MODULES:
        app.register_api(module.bp)
