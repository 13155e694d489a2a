"""Per-IP rate limits on password endpoints, shared between workers through Redis."""

from __future__ import annotations

import uuid

import pytest
import redis

REDIS_URL = "redis://127.0.0.1:6379/15"


def limited_app(make_app, storage: str):
    return make_app(
        ratelimit_enabled=True, ratelimit_auth="3 per minute", ratelimit_storage_url=storage
    )


def attempt(client, ip: str):
    return client.post(
        "/api/auth/login",
        json={"email": "x@example.com", "password": "nope-nope-nope"},
        environ_base={"REMOTE_ADDR": ip},
    )


def test_login_is_rate_limited_per_ip(make_app):
    client = limited_app(make_app, "memory://").test_client()
    statuses = [attempt(client, "10.0.0.1").status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    refused = attempt(client, "10.0.0.1")
    assert refused.mimetype == "application/problem+json"
    assert int(refused.headers["Retry-After"]) > 0
    assert attempt(client, "10.0.0.2").status_code == 401


def test_limits_are_shared_between_workers_through_redis(make_app):
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError:
        pytest.fail("Redis must run at 127.0.0.1:6379 for this test (see .ci/run)")
    ip = f"10.1.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    worker_a = limited_app(make_app, REDIS_URL).test_client()
    worker_b = limited_app(make_app, REDIS_URL).test_client()
    assert [attempt(worker_a, ip).status_code for _ in range(3)] == [401, 401, 401]
    assert attempt(worker_b, ip).status_code == 429
