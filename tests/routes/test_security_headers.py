"""Headers and files (issue 15, items 16-18): security headers on every response, the
SQLite file and instance/ readable by their owner only, tokens without `exp` refused."""

from __future__ import annotations

import re
import stat
from datetime import timedelta

import jwt as pyjwt
import pytest
from sqlalchemy import text

from healix import create_app
from healix.config import Settings
from healix.extensions import db
from healix.middleware.security_headers import API_CSP, HSTS
from healix.utils.time import utcnow

PRODUCTION_SECRET = "p" * 48


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/health"),
        ("get", "/api/users/me"),  # 401 problem+json
        ("post", "/api/auth/login"),  # 400/422
        ("get", "/api/openapi.json"),
        ("get", "/api/no-such-thing"),
    ],
)
def test_every_api_response_carries_the_security_headers(client, method, path):
    response = getattr(client, method)(path)

    assert response.headers["Content-Security-Policy"] == API_CSP
    assert "frame-ancestors 'none'" in API_CSP
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in response.headers  # not outside production


def test_docs_page_has_its_own_policy_allowing_its_inline_scripts(client):
    response = client.get("/api/swagger")
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]

    assert policy != API_CSP
    assert "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    inline_scripts = re.findall(r"<script>", response.get_data(as_text=True))
    assert len(re.findall(r"'sha256-[A-Za-z0-9+/=]+'", policy)) == len(inline_scripts) > 0


@pytest.fixture
def production_client(tmp_path):
    settings = Settings(
        healix_env="production",
        jwt_secret_key=PRODUCTION_SECRET,
        database_url=f"sqlite:///{tmp_path / 'prod.db'}",
        instance_path=tmp_path / "instance",
        ratelimit_enabled=False,
        _env_file=None,
    )
    application = create_app(settings)
    yield application.test_client()
    with application.app_context():
        db.engine.dispose()


def test_production_sends_hsts_and_no_server_banner(production_client):
    response = production_client.get("/api/health")

    assert response.headers["Strict-Transport-Security"] == HSTS
    assert "Server" not in response.headers


# -- files (item 17) ----------------------------------------------------------------------


def test_sqlite_file_is_0600_and_instance_is_0700(tmp_path):
    instance = tmp_path / "instance"
    settings = Settings(
        healix_env="testing", instance_path=instance, ratelimit_enabled=False, _env_file=None
    )
    application = create_app(settings)
    with application.app_context():
        db.session.execute(text("CREATE TABLE probe (x INTEGER)"))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()

    assert stat.S_IMODE(instance.stat().st_mode) == 0o700
    database = instance / "healix.db"
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    for companion in instance.glob("healix.db-*"):
        assert stat.S_IMODE(companion.stat().st_mode) & 0o077 == 0


def test_existing_world_readable_files_are_tightened(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir(mode=0o755)
    database = instance / "healix.db"
    database.touch()
    database.chmod(0o644)
    instance.chmod(0o755)

    create_app(
        Settings(
            healix_env="testing", instance_path=instance, ratelimit_enabled=False, _env_file=None
        )
    )

    assert stat.S_IMODE(instance.stat().st_mode) == 0o700
    assert stat.S_IMODE(database.stat().st_mode) == 0o600


# -- tokens (item 18) ---------------------------------------------------------------------


def test_token_without_exp_is_refused_even_if_well_signed(app, client, patient):
    claims = pyjwt.decode(patient.access_token, app.config["JWT_SECRET_KEY"], algorithms=["HS256"])
    assert client.get("/api/users/me", headers=patient.headers).status_code == 200

    del claims["exp"]
    forever = pyjwt.encode(claims, app.config["JWT_SECRET_KEY"], algorithm="HS256")
    response = client.get("/api/users/me", headers={"Authorization": f"Bearer {forever}"})

    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["detail"] == "The token is invalid."

    claims["exp"] = "never"
    odd = pyjwt.encode(claims, app.config["JWT_SECRET_KEY"], algorithm="HS256")
    assert (
        client.get("/api/users/me", headers={"Authorization": f"Bearer {odd}"}).status_code == 401
    )

    claims["exp"] = int((utcnow() + timedelta(minutes=5)).timestamp())
    fine = pyjwt.encode(claims, app.config["JWT_SECRET_KEY"], algorithm="HS256")
    assert (
        client.get("/api/users/me", headers={"Authorization": f"Bearer {fine}"}).status_code == 200
    )
