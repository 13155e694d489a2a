"""Availability (issue 15, items 1-3): slow clients never stall other users, reads never take
SQLite's write lock, and a database outage answers 503 everywhere.

The stalled-download test runs the production server command (`gunicorn -c
deploy/gunicorn.conf.py wsgi:app`) against this test session's database (SQLite or
PostgreSQL, whichever TEST_DATABASE_URL selects), on port 5110 + the xdist worker number.
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from healix.utils.time import utcnow
from tests.factories.biomarkers import insert_readings, reading_row
from tests.factories.users import DEFAULT_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
PORT_BASE = 5110
#: enough readings that the CSV (several MB) cannot fit in the sockets' buffers
MANY_READINGS = 60_000
STALLED_CLIENTS = 2


def _port() -> int:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    return PORT_BASE + (int(worker) if worker.isdigit() else 0)


def many_readings(app, patient_id, count: int = MANY_READINGS) -> None:
    start = utcnow() - timedelta(days=60)
    insert_readings(
        app,
        (
            reading_row(patient_id, "heart_rate", 60 + n % 40, start + timedelta(seconds=30 * n))
            for n in range(count)
        ),
    )


def stalled_download(port: int, path: str, token: str) -> socket.socket:
    """A client that asks for `path`, reads 1 KB and then stops reading (keeps the socket)."""
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    try:
        client.connect(("127.0.0.1", port))
        request = f"GET {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {token}\r\n\r\n"
        client.sendall(request.encode())
        received = b""
        while len(received) < 1024:
            chunk = client.recv(1024 - len(received))
            assert chunk, "the server closed the download"
            received += chunk
        assert received.startswith(b"HTTP/1.1 200"), received[:200]
    except BaseException:
        client.close()
        raise
    return client


def timed_request(
    port: int, method: str, path: str, body: dict[str, str] | None = None
) -> tuple[int, float]:
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        payload = json.dumps(body) if body is not None else None
        headers = {"Content-Type": "application/json"} if body is not None else {}
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, time.monotonic() - started
    finally:
        connection.close()


@pytest.fixture
def production_server(app, tmp_path) -> Iterator[int]:
    """gunicorn with deploy/gunicorn.conf.py (2 workers, threaded) on this test's database."""
    port = _port()
    env = {
        **os.environ,
        "HEALIX_ENV": "testing",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "RATELIMIT_ENABLED": "false",
        "BIND": f"127.0.0.1:{port}",
        "WEB_WORKERS": "2",
        "WEB_THREADS": "4",
        "LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 180  # a loaded machine boots workers slowly
        while True:
            try:
                if timed_request(port, "GET", "/api/health")[0] == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None, "gunicorn exited"
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.3)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_stalled_downloads_do_not_delay_others(app, patient, make_user, production_server):
    """Two clients stall a large CSV export after 1 KB; health and a login (a write) stay
    fast under the production server command (which sends no server banner)."""
    port = production_server
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/api/health")
    banner = connection.getresponse()
    banner.read()
    connection.close()
    assert banner.getheader("Server") is None
    many_readings(app, patient.id)
    member = make_user(email="someone-else@example.com")
    stalled = [
        stalled_download(port, "/api/export/readings.csv", patient.access_token)
        for _ in range(STALLED_CLIENTS)
    ]
    try:
        time.sleep(1.5)  # the server fills the sockets' buffers and blocks on them
        for _ in range(3):
            status, seconds = timed_request(port, "GET", "/api/health")
            assert (status, seconds < 1) == (200, True), seconds
            status, seconds = timed_request(
                port,
                "POST",
                "/api/auth/login",
                {"email": member.email, "password": DEFAULT_PASSWORD},
            )
            assert (status, seconds < 1) == (200, True), seconds
    finally:
        for client in stalled:
            client.close()


def test_a_paused_export_holds_no_lock(app, client, patient, make_user):
    """In-process: while an export's body is half read, writes go through at once."""
    many_readings(app, patient.id, count=5_000)
    member = make_user()
    export = client.get("/api/export/readings.csv", headers=patient.headers, buffered=False)
    chunks = iter(export.response)
    next(chunks)
    next(chunks)  # the first page has been read; the generator is paused
    started = time.monotonic()
    login = client.post(
        "/api/auth/login", json={"email": member.email, "password": DEFAULT_PASSWORD}
    )
    assert login.status_code == 200
    assert time.monotonic() - started < 1
    rest = b"".join(chunks)
    export.close()
    lines = rest.count(b"\r\n")
    assert lines == 4_000  # the rest of the export arrived after the interruption


def test_reads_do_not_wait_for_a_writer(app, client, patient, is_postgres):
    """A writer holding SQLite's write lock does not block GET requests."""
    if is_postgres:
        pytest.skip("PostgreSQL readers never wait for writers")
    from healix.extensions import db

    with app.app_context(), db.engine.connect() as writer:
        writer.exec_driver_sql("SELECT 1")  # BEGIN IMMEDIATE: the write lock is held
        started = time.monotonic()
        response = client.get("/api/users/me", headers=patient.headers)
        health = client.get("/api/health")
        elapsed = time.monotonic() - started
        writer.rollback()
    assert (response.status_code, health.status_code) == (200, 200)
    assert elapsed < 1


# -- database outage ----------------------------------------------------------------------

UNREACHABLE = {
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:1/healix_nowhere",
    "sqlite": "sqlite:////nonexistent-healix-dir/healix.db",
}


@pytest.mark.parametrize("backend", sorted(UNREACHABLE))
def test_database_outage_answers_503_everywhere(make_app, patient, caplog, backend):
    down = make_app(database_url=UNREACHABLE[backend]).test_client()
    caplog.set_level(logging.WARNING)
    requests = [
        ("get", "/api/health", {}),
        ("post", "/api/auth/login", {"json": {"email": "a@example.com", "password": "pw"}}),
        ("get", "/api/users/me", {"headers": patient.headers}),
        ("get", "/api/appointments", {"headers": patient.headers}),
        (
            "post",
            "/api/goals",
            {"json": {"goal_type": "steps", "target_value": 5}, "headers": patient.headers},
        ),
    ]
    for method, path, kwargs in requests:
        caplog.clear()
        response = getattr(down, method)(path, **kwargs)

        assert response.status_code == 503, (path, response.get_data(as_text=True))
        assert int(response.headers["Retry-After"]) > 0
        if path != "/api/health":
            assert response.mimetype == "application/problem+json"
            assert response.get_json()["status"] == 503
            logged = [r for r in caplog.records if r.levelno >= logging.WARNING]
            assert len(logged) == 1, [r.getMessage() for r in logged]
            assert logged[0].exc_info is None
            assert "database unavailable" in logged[0].getMessage()
