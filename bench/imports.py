"""The import figures of `make bench`: an Apple Health export.zip of BENCH_IMPORT_RECORDS
generated records (default 1,000,000) imported by a worker process of its own.

- import readings/s / the ingest endpoint's readings/s, measured in the same run (>= 0.25);
- the worker's peak RSS growth while it imports (< 200 MB): `ru_maxrss` after the job minus
  the RSS just before it, in the worker process (bench/import_worker.py), which creates the
  import as an upload would (the file stored in the database) and then runs the job the way
  a Celery worker does (`job_controller.execute`).

Alone: `python -m bench.imports` (uses BENCH_IMPORT_DATABASE_URL, default
`postgresql://postgres@127.0.0.1:5432/healix_bench_imports`, dropped and re-created).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from bench import generate

ROOT = Path(__file__).resolve().parents[1]
RECORDS = int(os.environ.get("BENCH_IMPORT_RECORDS", "1_000_000"))
STANDALONE_URL = os.environ.get(
    "BENCH_IMPORT_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/healix_bench_imports"
)
RATIO_TARGET = 0.25
RSS_TARGET_MB = 200.0
_KINDS = (
    ("HKQuantityTypeIdentifierHeartRate", "count/min", 60.0, 40),
    ("HKQuantityTypeIdentifierOxygenSaturation", "%", 0.95, 4),
    ("HKQuantityTypeIdentifierRespiratoryRate", "count/min", 14.0, 6),
)


def _records(count: int, end_epoch: int) -> Iterator[str]:
    """`count` records, one every 20 s back from `end_epoch`: mostly heart rate, some SpO2
    and respiratory rate, and every tenth a step count (summed per hour)."""
    start = end_epoch - count * 20
    for index in range(count):
        moment = datetime.fromtimestamp(start + index * 20, UTC).strftime("%Y-%m-%d %H:%M:%S +0000")
        if index % 10 == 9:
            kind, unit, value = "HKQuantityTypeIdentifierStepCount", "count", str(index % 50)
        else:
            kind, unit, base, spread = _KINDS[index % 3 if index % 7 == 0 else 0]
            value = f"{base + (index % spread) / (100 if unit == '%' else 1):g}"
        yield (
            f'<Record type="{kind}" sourceName="Bench Watch" unit="{unit}" '
            f'creationDate="{moment}" startDate="{moment}" endDate="{moment}" value="{value}"/>\n'
        )


def write_export(path: Path, count: int, end_epoch: int) -> None:
    """An export.zip (deflate, level 1) written as a stream: the XML is never in memory."""
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("apple_health_export/export.xml", "w", force_zip64=True) as entry,
    ):
        entry.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="en_GB">\n')
        batch: list[str] = []
        for record in _records(count, end_epoch):
            batch.append(record)
            if len(batch) == 10_000:
                entry.write("".join(batch).encode())
                batch = []
        entry.write("".join(batch).encode() + b"</HealthData>\n")


def run_worker(url: str, export: Path) -> dict:
    """Import `export` for a new patient in a worker process; its measurements."""
    with generate.connect(url) as conn:
        (patient,) = generate.create_patients(conn, 1, label="import")
        conn.commit()
    env = os.environ | {"DATABASE_URL": url, "HEALIX_ENV": "development", "LOG_LEVEL": "WARNING"}
    completed = subprocess.run(
        [sys.executable, "-m", "bench.import_worker", str(patient), str(export)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def import_figures(url: str, ingest_per_s: float | str, figure: type) -> list:
    """The two import figures (`figure` is bench.run.Figure)."""
    end_epoch = int(time.time()) // 60 * 60 - 86_400
    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "export.zip"
        write_export(export, RECORDS, end_epoch)
        size_mb = export.stat().st_size / 1e6
        measured = run_worker(url, export)
    rate = measured["readings"] / measured["seconds"]
    detail = (
        f"{RECORDS:,} records ({size_mb:.0f} MB zip) -> {measured['readings']:,} readings in "
        f"{measured['seconds']:.0f} s = {rate:,.0f} readings/s"
    )
    if isinstance(ingest_per_s, str):
        ratio_figure = figure(
            "import readings/s / ingest readings/s",
            None,
            RATIO_TARGET,
            ">=",
            f"{detail}; ingest: {ingest_per_s}",
        )
    else:
        ratio_figure = figure(
            "import readings/s / ingest readings/s",
            rate / ingest_per_s,
            RATIO_TARGET,
            ">=",
            f"{detail} vs ingest {ingest_per_s:,.0f} readings/s",
        )
    growth = measured["peak_rss_mb"] - measured["rss_before_mb"]
    return [
        ratio_figure,
        figure(
            "import worker peak RSS growth (MB)",
            growth,
            RSS_TARGET_MB,
            "<=",
            f"{measured['rss_before_mb']:.0f} MB before, peak {measured['peak_rss_mb']:.0f} MB",
        ),
    ]


def main() -> None:
    from bench import run

    run.reset_database(STANDALONE_URL)
    config = run.Config(url=STANDALONE_URL)
    end_epoch = int(time.time()) // 60 * 60
    with tempfile.TemporaryDirectory() as tmp, generate.connect(STANDALONE_URL) as conn:
        with run.gunicorn(
            "wsgi:app", config.workers, run.app_env(STANDALONE_URL, Path(tmp))
        ) as port:
            ingest = run.ingest_rate(conn, port, config, end_epoch)
        figures = import_figures(STANDALONE_URL, ingest, run.Figure)
    for item in figures:
        print(item)


if __name__ == "__main__":
    main()
