"""Every error is RFC 9457 problem+json; nothing internal leaks."""

from __future__ import annotations

import pytest

from healix.controllers import auth_controller

PROBLEM = "application/problem+json"


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert body["status"] == status
    assert {"type", "title", "status", "detail", "instance", "request_id"} <= set(body)
    assert body["request_id"] == response.headers["X-Request-ID"]
    return body


def test_malformed_json_is_400(client):
    response = client.post(
        "/api/auth/login", data='{"email": "a@b.c",', content_type="application/json"
    )
    assert_problem(response, 400)


def test_schema_violation_is_422_naming_each_field_without_values(client):
    response = client.post("/api/auth/login", json={"email": 12345, "pass": "hunter2-secret"})
    body = assert_problem(response, 422)
    locs = {error["loc"] for error in body["errors"]}
    assert {"email", "password", "pass"} <= locs
    assert "hunter2-secret" not in response.get_data(as_text=True)


def test_unknown_route_is_404(client):
    assert_problem(client.get("/api/nothing-here"), 404)


def test_wrong_method_is_405_with_allow(client):
    response = client.delete("/api/auth/login")
    assert_problem(response, 405)
    assert "POST" in response.headers["Allow"]


def test_oversized_body_is_413(app, client):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = client.post(
        "/api/auth/login", data="x" * (limit + 1), content_type="application/json"
    )
    assert_problem(response, 413)


def test_unexpected_error_is_500_without_internals(client, monkeypatch, caplog):
    def explode(*_args, **_kwargs):
        raise RuntimeError("SELECT secret_column FROM internals")

    monkeypatch.setattr(auth_controller, "login", explode)
    response = client.post(
        "/api/auth/login", json={"email": "a@example.com", "password": "whatever-password"}
    )
    body = assert_problem(response, 500)
    text = response.get_data(as_text=True)
    assert "secret_column" not in text
    assert "Traceback" not in text
    assert body["request_id"] in caplog.text


@pytest.mark.parametrize(
    ("incoming", "echoed"),
    [("abc-123.DEF", True), ("bad id with spaces", False), ("x" * 200, False)],
)
def test_request_id_is_echoed_only_when_sane(client, incoming, echoed):
    response = client.get("/api/health", headers={"X-Request-ID": incoming})
    assert (response.headers["X-Request-ID"] == incoming) is echoed
    assert response.headers["X-Request-ID"]


def test_personal_data_is_not_cached(client, patient):
    response = client.get("/api/auth/me", headers=patient.headers)
    assert response.headers["Cache-Control"] == "no-store"
