"""Every blueprint of the API, registered in one place."""

from flask_openapi3 import OpenAPI

from healix.routes import (
    auth_routes,
    export_routes,
    health_routes,
    prescription_pdf_routes,
)

BLUEPRINT_MODULES = (
    health_routes,
    auth_routes,
    export_routes,
    prescription_pdf_routes,
)


def register_blueprints(app: OpenAPI) -> None:
    for module in BLUEPRINT_MODULES:
        app.register_api(module.bp)
