"""Service health: is the database reachable, and the broker when one is configured?"""

from __future__ import annotations

from dataclasses import dataclass

from kombu import Connection
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from healix.config import Settings

BROKER_TIMEOUT_SECONDS = 2


@dataclass(frozen=True)
class Readiness:
    database: str
    broker: str

    @property
    def ready(self) -> bool:
        return self.database == "ok" and self.broker in ("ok", "not_configured")

    @property
    def status(self) -> str:
        return "ok" if self.ready else "unavailable"


def database_reachable(session: Session) -> bool:
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        session.rollback()
        return False
    return True


def broker_reachable(url: str) -> bool:
    try:
        with Connection(url, connect_timeout=BROKER_TIMEOUT_SECONDS) as connection:
            connection.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
    except Exception:  # any failure to connect means "not ready"; the reason is the broker's
        return False
    return True


def readiness(session: Session, *, settings: Settings) -> Readiness:
    database = "ok" if database_reachable(session) else "unreachable"
    if settings.eager_jobs:
        broker = "not_configured"
    else:
        broker = "ok" if broker_reachable(settings.celery_broker_url) else "unreachable"
    return Readiness(database=database, broker=broker)
