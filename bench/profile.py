"""Where a request's time goes: `python -m bench.profile KIND`, KIND one of history, summary,
year, overview, ingest (POST /api/biomarkers) or device-ingest (POST /api/devices/ingest).

Runs the request N times (BENCH_PROFILE_REQUESTS, default 300) in-process through the Flask
test client against a database that `make bench` filled (BENCH_PROFILE_DATABASE_URL, default
the small benchmark database) under pyinstrument, and prints the call tree. The database
round trips show as time in psycopg; everything else is the app's Python.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from pyinstrument import Profiler

from bench.run import PASSWORD
from healix import create_app
from healix.config import Settings

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/healix_bench_small"


def _paths(kind: str, patient_id: str) -> str:
    end = datetime.now(UTC).replace(second=0, microsecond=0)
    query: dict[str, str | int] = {"patient_id": patient_id, "type": "heart_rate"}
    if kind == "history":
        return f"/api/biomarkers/history?{urlencode(query | {'limit': 100})}"
    if kind == "overview":
        return "/api/patients/overview?limit=200"
    days, bucket = (365, "day") if kind == "year" else (30, "hour")
    query |= {
        "bucket": bucket,
        "from": (end - timedelta(days=days)).isoformat(),
        "to": end.isoformat(),
    }
    return f"/api/biomarkers/summary?{urlencode(query)}"


def main() -> None:
    kind = sys.argv[1] if len(sys.argv) > 1 else "history"
    email = {"year": "year0", "overview": "wardprovider"}.get(kind, "target0") + "@bench.example"
    settings = Settings(
        healix_env="development",
        database_url=os.environ.get("BENCH_PROFILE_DATABASE_URL", DEFAULT_URL),
        instance_path=Path(tempfile.mkdtemp()),
        ratelimit_enabled=False,
        _env_file=None,
    )
    client = create_app(settings).test_client()
    login = client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    body = login.get_json()
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    path = _paths(kind, body["user"]["id"])
    requests = int(os.environ.get("BENCH_PROFILE_REQUESTS", "300"))
    if kind == "ingest":
        _profile_ingest(client, "/api/biomarkers", headers, requests)
    elif kind == "device-ingest":
        _profile_ingest(client, "/api/devices/ingest", _device_headers(client, headers), requests)
    else:
        for _ in range(20):  # warm up: statement caches, connections
            assert client.get(path, headers=headers).status_code == 200
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(requests):
            client.get(path, headers=headers)
        session = profiler.stop()
        print(f"{kind}: {requests} requests, {session.duration / requests * 1000:.2f} ms each")
        print(profiler.output_text(color=False, show_all=False, short_mode=True))


def _batch(start: datetime, number: int) -> dict[str, object]:
    """1,000 heart-rate readings a second apart from `start` (new samples each time), with
    external ids like the benchmark's device batches."""
    return {
        "readings": [
            {
                "type": "heart_rate",
                "value": 60 + second % 40,
                "unit": "/min",
                "timestamp": (start + timedelta(seconds=second)).isoformat(),
                "external_id": f"profile-{start.timestamp():.0f}-{number}-{second}",
            }
            for second in range(1_000)
        ]
    }


def _device_headers(client: Any, headers: dict[str, str]) -> dict[str, str]:
    """The X-Device-Key header of a device registered for the signed-in patient."""
    answer = client.post(
        "/api/devices", json={"name": "profile", "device_type": "smartwatch"}, headers=headers
    )
    assert answer.status_code == 201, answer.get_json()
    return {"X-Device-Key": answer.get_json()["api_key"]}


def _profile_ingest(client: Any, path: str, headers: dict[str, str], requests: int) -> None:
    """Batches of 1,000 through POST `path` (the manual or the device ingest endpoint)."""
    start = datetime.now(UTC) - timedelta(days=20)
    bodies = [_batch(start + timedelta(seconds=1_000 * n), n) for n in range(requests + 2)]
    for body in bodies[:2]:
        answer = client.post(path, json=body, headers=headers)
        assert answer.status_code == 201, answer.get_json()
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for body in bodies[2:]:
        client.post(path, json=body, headers=headers)
    session = profiler.stop()
    print(f"{path}: {requests} batches of 1,000, {session.duration / requests * 1000:.1f} ms each")
    print(profiler.output_text(color=False, show_all=False, short_mode=True))


if __name__ == "__main__":
    main()
