"""Per-IP rate limits on password endpoints, shared between workers through Redis."""

from __future__ import annotations

import os
import uuid

import pytest
import redis

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


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


#: the other endpoints that take passwords or send mail, each with a body it answers
#: without a 429 while the limit is not reached
LIMITED = [
    (
        "/api/auth/register",
        lambda n: {
            "email": f"someone{n}-{uuid.uuid4().hex[:8]}@example.com",
            "password": "a-Long-unique-passphrase-7",
            "first_name": "Some",
            "last_name": "One",
        },
        202,
    ),
    ("/api/auth/password-reset/request", lambda n: {"email": f"who{n}@example.com"}, 202),
    (
        "/api/auth/password-reset/confirm",
        lambda n: {"token": f"hxp_unknown{n}", "new_password": "a-Long-unique-passphrase-7"},
        400,
    ),
]


@pytest.mark.parametrize(("path", "body", "allowed"), LIMITED)
def test_register_and_password_reset_are_rate_limited_per_ip(make_app, path, body, allowed):
    client = limited_app(make_app, "memory://").test_client()
    statuses = [
        client.post(path, json=body(n), environ_base={"REMOTE_ADDR": "10.0.0.7"}).status_code
        for n in range(4)
    ]
    assert statuses == [allowed, allowed, allowed, 429]
    refused = client.post(path, json=body(9), environ_base={"REMOTE_ADDR": "10.0.0.7"})
    assert refused.mimetype == "application/problem+json"
    assert int(refused.headers["Retry-After"]) > 0
    other_ip = client.post(path, json=body(10), environ_base={"REMOTE_ADDR": "10.0.0.8"})
    assert other_ip.status_code == allowed
