"""Give the browser tests a database of their own: `python prepare_database.py URL` drops and
re-creates the PostgreSQL database named in URL (SQLite files are simply new)."""

import sys

import psycopg
from sqlalchemy import make_url

url = make_url(sys.argv[1])
if url.get_backend_name() == "postgresql":
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False
    )
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{url.database}"')
