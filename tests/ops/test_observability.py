"""Liveness and readiness, the Prometheus endpoint (token, figures, several workers) and the
JSON request log."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import textwrap
import uuid

import pytest
from pydantic import SecretStr

from healix.config import LogFormat
from healix.utils.logging import JsonFormatter

TOKEN = "scrape-me-" + "x" * 20


def scrape(app, token: str | None = TOKEN):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return app.test_client().get("/api/metrics", headers=headers)


def sample(body: str, name: str) -> float | None:
    """The value of the exposition line that starts with `name` (labels included)."""
    for line in body.splitlines():
        if line.startswith(name + " "):
            return float(line.rsplit(" ", 1)[1])
    return None


def test_live_answers_without_the_database(make_app):
    offline = make_app(database_url="postgresql+psycopg://nobody@127.0.0.1:1/offline")
    response = offline.test_client().get("/api/health/live")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_ready_checks_the_database_and_the_broker(client, make_app):
    response = client.get("/api/health/ready")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "broker": "not_configured"}
    no_broker = make_app(celery_broker_url="redis://127.0.0.1:1/0")
    response = no_broker.test_client().get("/api/health/ready")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "unavailable",
        "database": "ok",
        "broker": "unreachable",
    }


def test_ready_is_503_without_the_database(make_app):
    offline = make_app(database_url="postgresql+psycopg://nobody@127.0.0.1:1/offline")
    response = offline.test_client().get("/api/health/ready")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_metrics_are_closed_without_a_token_and_need_the_right_one(app, make_app):
    assert scrape(app).status_code == 401  # METRICS_TOKEN unset: nobody may read them
    protected = make_app(metrics_token=SecretStr(TOKEN))
    for wrong in (None, "nope", TOKEN + "x"):
        refused = scrape(protected, wrong)
        assert refused.status_code == 401
        assert refused.mimetype == "application/problem+json"
    assert scrape(protected).status_code == 200


def test_metrics_report_requests_jobs_readings_and_the_audit_chain(
    make_app, patient, add_readings, tmp_path
):
    from datetime import timedelta

    from healix.utils.time import utcnow

    app = make_app(metrics_token=SecretStr(TOKEN), audit_checkpoint_file=tmp_path / "checkpoints")
    add_readings(
        patient.id, [("heart_rate", 70.0, utcnow() - timedelta(minutes=n)) for n in range(3)]
    )
    client = app.test_client()
    route = (
        'healix_http_requests_total{method="GET",route="/api/goals/<uuid:goal_id>",status="404"}'
    )
    before = sample(scrape(app).text, route) or 0
    missing = uuid.uuid4()
    assert client.get(f"/api/goals/{missing}", headers=patient.headers).status_code == 404
    assert app.test_cli_runner().invoke(args=["upkeep", "audit-checkpoint"]).exit_code == 0

    response = scrape(app)
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    body = response.text
    assert sample(body, route) == before + 1  # the path's route, never its ids
    assert str(missing) not in body
    assert 'healix_http_request_duration_seconds_bucket{le="0.005",method="GET"' in body
    assert sample(body, 'healix_jobs{status="done"}') == 1
    assert sample(body, 'healix_jobs{status="failed"}') == 0
    assert sample(body, "healix_jobs_queue_depth") == 0
    assert sample(body, "healix_readings_stored") == 3
    assert sample(body, "healix_readings_received_24h") == 3
    assert sample(body, "healix_audit_chain_ok") == 1
    assert sample(body, "healix_audit_chain_verified_timestamp_seconds") > 0
    assert sample(body, 'healix_db_pool_connections{state="checked_out"}') is not None


WORKER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from healix import create_app
    from healix.config import Settings

    scratch, requests = Path(sys.argv[1]), int(sys.argv[2])
    settings = Settings(healix_env="testing", database_url=f"sqlite:///{scratch}/w.db",
                        instance_path=scratch, _env_file=None)
    client = create_app(settings).test_client()
    for _ in range(requests):
        assert client.get("/api/health/live").status_code == 200
    """
)


def test_several_workers_are_summed_in_multiprocess_mode(make_app, tmp_path):
    """Two processes (as gunicorn workers) count requests; a scrape from a third sums them."""
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}
    for requests in (3, 4):
        worker = [sys.executable, "-c", WORKER, str(tmp_path), str(requests)]
        subprocess.run(worker, env=env, check=True, timeout=120)
    app = make_app(metrics_token=SecretStr(TOKEN), prometheus_multiproc_dir=metrics_dir)
    body = scrape(app).text
    live = 'healix_http_requests_total{method="GET",route="/api/health/live",status="200"}'
    assert sample(body, live) == 7
    assert "healix_jobs_queue_depth" in body


def test_json_request_log_holds_no_bodies_or_identities(make_app, caplog, patient):
    app = make_app(log_format=LogFormat.JSON)
    with caplog.at_level(logging.INFO, logger="healix.request"):
        response = app.test_client().post(
            "/api/auth/login",
            json={"email": patient.user.email, "password": "wrong-password-xyz"},
            headers={"X-Request-ID": "req-123"},
        )
    assert response.status_code == 401
    [record] = [r for r in caplog.records if r.name == "healix.request"]
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["request_id"] == "req-123"
    assert entry["method"] == "POST"
    assert entry["route"] == "/api/auth/login"
    assert entry["status"] == 401
    assert entry["duration_ms"] >= 0
    assert {"time", "level", "logger", "message"} <= set(entry)
    assert patient.user.email not in line
    assert "wrong-password" not in line
    handlers = [h for h in logging.getLogger().handlers if isinstance(h.formatter, JsonFormatter)]
    assert handlers, "LOG_FORMAT=json gives the root handler the JSON formatter"
    make_app()  # back to text lines for the tests that follow


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_log_format_setting_parses(fmt):
    from healix.config import Settings

    assert Settings(log_format=fmt, _env_file=None).log_format == fmt
