"""Test set-up: one migrated database per test session (SQLite by default, PostgreSQL when
TEST_DATABASE_URL is set), emptied after every test so each test starts clean.

Tests talk to the app through the Flask test client. To read or write the database directly,
use `with dbs() as session:` — a short unit of work that commits on exit, so no transaction is
left open while the app handles a request.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import make_url, text
from sqlalchemy.orm import Session

from healix import create_app
from healix.config import Settings
from healix.extensions import db

#: fixtures shared by every test: users and sign-ins, health data
pytest_plugins = ["tests.factories.users", "tests.factories.biomarkers"]


def _worker_database_url(tmp_dir: Path, worker: str) -> str:
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        return f"sqlite:///{tmp_dir / f'healix-test-{worker}.db'}"
    url = make_url(base.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"{url.database}_{worker}"
    admin_dsn = url.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False
    )
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    worker_id = os.environ.get("PYTEST_XDIST_WORKER", "main")
    tmp_dir = tmp_path_factory.mktemp("healix")
    settings = Settings(
        healix_env="testing",
        database_url=_worker_database_url(tmp_dir, worker_id),
        instance_path=tmp_dir / "instance",
        ratelimit_enabled=False,
        _env_file=None,
    )
    application = create_app(settings)
    with application.app_context():
        upgrade()
        db.session.remove()
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "app" not in request.fixturenames:
        return
    application: Flask = request.getfixturevalue("app")
    with application.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # lets the cleanup delete audit rows despite the append-only trigger
                conn.execute(text("SET LOCAL session_replication_role = replica"))
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def make_app(app: Flask) -> Iterator[Callable[..., Flask]]:
    """`make_app(**setting_overrides)` → another app on the same database (a second worker),
    whose connections are closed after the test."""
    created: list[Flask] = []

    def factory(**overrides: object) -> Flask:
        settings = app.extensions["healix_settings"].model_copy(update=overrides)
        created.append(create_app(settings))
        return created[-1]

    yield factory
    for other in created:
        with other.app_context():
            db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def dbs(app: Flask) -> Callable[[], AbstractContextManager[Session]]:
    """`with dbs() as session:` — a short unit of work in the app's database."""

    @contextmanager
    def unit_of_work() -> Iterator[Session]:
        with app.app_context():
            try:
                yield db.session
                db.session.commit()
            finally:
                db.session.remove()

    return unit_of_work


@pytest.fixture
def is_postgres(app: Flask) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
