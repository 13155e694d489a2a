"""The Alembic migrations and the SQLAlchemy models describe the same schema."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from healix.extensions import db


def test_models_and_migrations_agree(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_migrations_print_postgres_ddl(make_app):
    """`flask db upgrade --sql` renders the PostgreSQL DDL offline (no server needed)."""
    offline = make_app(database_url="postgresql+psycopg://nobody@127.0.0.1:1/offline")
    result = offline.test_cli_runner().invoke(args=["db", "upgrade", "--sql"])
    assert result.exit_code == 0, result.output
    assert "CREATE TABLE users" in result.output
    assert "EXCLUDE USING gist" in result.output
    assert "CREATE TRIGGER audit_logs_append_only" in result.output
