"""The published OpenAPI document is the contract a typed client is generated from: every
route is in it, with its methods, true media types and problem+json error answers."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from pydantic import BaseModel

from healix.utils.time import utcnow

#: the document and its viewer: served by the framework, not part of the API they describe
DOCUMENTATION_ENDPOINTS = frozenset(
    {
        "openapi.openapi",
        "openapi.doc_url",
        "openapi.static",
        "api_docs",
        "swagger.swagger",
        "swagger.static",
        "swagger.oauth2-redirect",
        "static",
    }
)
#: the built web app's pages and files (routes/web_app_routes.py): public, outside the API
WEB_APP_ENDPOINTS = frozenset({"web_app.app_page", "web_app.asset"})
PROBLEM = {"$ref": "#/components/schemas/Problem"}
IGNORED_METHODS = {"HEAD", "OPTIONS"}


def openapi_path(rule: str) -> str:
    """`/api/x/<uuid:x_id>` as the document spells it: `/api/x/{x_id}`."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def api_routes(app) -> set[tuple[str, str]]:
    return {
        (openapi_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in DOCUMENTATION_ENDPOINTS | WEB_APP_ENDPOINTS
        for method in rule.methods - IGNORED_METHODS
    }


@pytest.fixture(scope="module")
def spec(app):
    return app.test_client().get("/api/openapi.json").get_json()


def operations(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_openapi_document_is_generated_from_schemas(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    assert spec["openapi"].startswith("3.")
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    login = spec["paths"]["/api/auth/login"]["post"]
    assert login["summary"] == "Sign in with email and password."
    assert "RegisterRequest" in spec["components"]["schemas"]
    assert spec["paths"]["/api/auth/me"]["get"]["security"] == [{"bearerAuth": []}]


def test_every_route_is_in_the_document_with_its_methods(app, spec):
    """Defect 6: two blueprints registered /api/users and the second replaced the first's
    paths, so GET and PATCH /api/users/me were missing from the document."""
    documented = {(path, method) for path, method, _ in operations(spec)}
    assert api_routes(app) == documented
    assert {"get", "patch", "delete"} <= set(spec["paths"]["/api/users/me"])


def test_every_error_answer_is_a_problem_document(spec):
    for path, method, operation in operations(spec):
        responses = operation["responses"]
        for status, response in responses.items():
            if int(status) >= 400:
                assert response["content"] == {"application/problem+json": {"schema": PROBLEM}}, (
                    path,
                    method,
                    status,
                )
        has_input = "parameters" in operation or "requestBody" in operation
        assert ("422" in responses) is has_input, (path, method)
        if operation.get("security"):
            assert "401" in responses, (path, method)
    assert "ValidationErrorModel" not in spec["components"]["schemas"]


@pytest.mark.parametrize(
    ("path", "method", "media_type"),
    [
        ("/api/appointments/{appointment_id}/calendar.ics", "get", "text/calendar"),
        ("/api/export/report.pdf", "get", "application/pdf"),
        ("/api/export/report.pdf", "post", "application/pdf"),
        ("/api/export/readings.csv", "get", "text/csv"),
        ("/api/prescriptions/{prescription_id}/pdf", "get", "application/pdf"),
    ],
)
def test_files_carry_their_media_types(spec, path, method, media_type):
    content = spec["paths"][path][method]["responses"]["200"]["content"]
    assert list(content) == [media_type]
    assert content[media_type]["schema"] == {"type": "string", "format": "binary"}


def test_the_fhir_export_is_a_json_bundle(spec):
    content = spec["paths"]["/api/export/fhir"]["get"]["responses"]["200"]["content"]
    assert list(content) == ["application/fhir+json"]
    assert content["application/fhir+json"]["schema"]["properties"]["resourceType"] == {
        "const": "Bundle"
    }


def test_the_api_and_every_tag_are_described(spec):
    assert "problem+json" in spec["info"]["description"]
    used = {tag for _, _, operation in operations(spec) for tag in operation["tags"]}
    described = {tag["name"]: tag.get("description") for tag in spec["tags"]}
    assert used == set(described)
    assert all(described.values()), described


def test_docs_page_is_served(client):
    response = client.get("/api/docs", follow_redirects=True)
    assert response.status_code == 200
    assert b"swagger" in response.data.lower()


def _schema_models() -> dict[str, type[BaseModel]]:
    found: dict[str, type[BaseModel]] = {}
    pending: list[type[BaseModel]] = [BaseModel]
    while pending:
        for sub in pending.pop().__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("healix.schemas."):
                found[sub.__name__] = sub
    return found


def test_examples_are_valid(spec):
    """Every example in the document passes its own model, so "Try it out" sends a request
    the API can accept: an appointment in the future, a patient's view without
    provider-only fields."""
    models = _schema_models()
    examples = {
        name: schema["example"]
        for name, schema in spec["components"]["schemas"].items()
        if "example" in schema
    }
    assert {"AppointmentCreate", "AppointmentRead", "ReadingIn", "RegisterRequest"} <= set(examples)
    for name, example in examples.items():
        models[name].model_validate(example)
    start = datetime.fromisoformat(examples["AppointmentCreate"]["start_time"])
    assert start > utcnow()
    assert "provider_notes" not in examples["AppointmentRead"]
