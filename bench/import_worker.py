"""A worker process for bench/imports.py: store an export as an upload would, then run its
import job as a Celery worker does, and print what it measured as one JSON line.

`python -m bench.import_worker <patient id> <export file>` with DATABASE_URL set."""

from __future__ import annotations

import json
import resource
import sys
import time
import uuid
from pathlib import Path
from tempfile import mkdtemp

from sqlalchemy import select

from healix import create_app
from healix.config import Settings
from healix.controllers import import_controller, job_controller
from healix.db import session_scope
from healix.models import DataImport, Job, User
from healix.models.data_import import ImportFormat

PAGE_MB = 4096 / 1e6


def rss_mb() -> float:
    """The process's resident set size now (Linux)."""
    return int(Path("/proc/self/statm").read_text().split()[1]) * PAGE_MB


def main(patient_id: str, export: str) -> None:
    settings = Settings(instance_path=Path(mkdtemp()), ratelimit_enabled=False)
    app = create_app(settings)
    with app.app_context():
        with session_scope() as session, Path(export).open("rb") as upload:
            data_import = import_controller.create_import(
                session,
                actor=session.get_one(User, uuid.UUID(patient_id)),
                upload=upload,
                filename="export.zip",
                file_format=ImportFormat.APPLE_HEALTH,
                settings=settings,
            )
            session.info.pop(job_controller.HANDOFF_KEY, None)  # run here, measured
            import_id = data_import.id
            job_id = session.scalar(select(Job.id).where(Job.subject_id == import_id))
        assert job_id is not None
        before = rss_mb()
        started = time.perf_counter()
        job_controller.execute(job_id, settings=settings, worker="bench")
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000  # kB -> MB
        with session_scope() as session:
            row = session.get_one(DataImport, import_id)
            if row.status != "done":
                raise SystemExit(f"import {row.status}: {row.error}")
            readings = row.accepted + row.faulty
    print(
        json.dumps(
            {"readings": readings, "seconds": seconds, "rss_before_mb": before, "peak_rss_mb": peak}
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
