"""Who may call what, over the app's URL map: without credentials every endpoint but an
explicit public list answers 401 — before the request is validated."""

from __future__ import annotations

import re
import tempfile
import uuid
from pathlib import Path

import pytest

from healix import create_app
from healix.config import Settings
from tests.routes.test_openapi import DOCUMENTATION_ENDPOINTS, IGNORED_METHODS, WEB_APP_ENDPOINTS

#: endpoints anyone may call without a token
PUBLIC_ENDPOINTS = frozenset(
    {
        "health.health",
        "auth.register",
        "auth.login",
        "auth.request_password_reset",
        "auth.confirm_password_reset",
        "biomarkers.list_types",
    }
)
#: values for the URL map's placeholders
PLACEHOLDERS = {"uuid": lambda: str(uuid.uuid4()), "default": lambda: "heart_rate"}
#: a body and a query no endpoint accepts: validated first, they would answer 422
GARBAGE_BODY = {"unexpected": ["field"], "readings": "nope", "status": 12}
GARBAGE_QUERY = {"limit": "many", "from": "yesterday", "patient_id": "me"}


def concrete_url(rule: str) -> str:
    def fill(match: re.Match[str]) -> str:
        converter = match.group(1) or "default"
        return PLACEHOLDERS[converter]()

    return re.sub(r"<(?:([^:<>]+):)?[^<>]+>", fill, rule)


def _routes(app, *, public: bool) -> list[tuple[str, str, str]]:
    return sorted(
        (rule.endpoint, method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in DOCUMENTATION_ENDPOINTS | WEB_APP_ENDPOINTS
        and (rule.endpoint in PUBLIC_ENDPOINTS) is public
        for method in rule.methods - IGNORED_METHODS
    )


def url_map_app():
    """An app to read the URL map from while tests are collected (it opens no database)."""
    settings = Settings(
        healix_env="testing", instance_path=Path(tempfile.mkdtemp()), _env_file=None
    )
    return create_app(settings)


def protected_routes():
    return _routes(url_map_app(), public=False)


def test_the_public_list_is_exact(app):
    assert {endpoint for endpoint, _, _ in _routes(app, public=True)} == PUBLIC_ENDPOINTS


@pytest.mark.parametrize(("endpoint", "method", "rule"), protected_routes())
def test_no_credentials_answer_401_whatever_the_request(client, endpoint, method, rule):
    """Defect 5: 19 endpoints validated the body before authenticating and answered 422
    with the list of their fields."""
    response = client.open(
        concrete_url(rule), method=method, json=GARBAGE_BODY, query_string=GARBAGE_QUERY
    )
    assert response.status_code == 401, (endpoint, response.get_json())
    problem = response.get_json()
    assert response.mimetype == "application/problem+json"
    assert problem["status"] == 401
    assert "errors" not in problem
    assert response.headers["WWW-Authenticate"]
