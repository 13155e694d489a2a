"""`make bench`: the health-data benchmark against PostgreSQL, served by gunicorn.

Every figure is a ratio to a baseline measured in the same run, so the machine's speed
cancels out:

- ingest: readings/s through POST /api/devices/ingest (batches of 1,000, hourly rollups
  maintained) / raw COPY readings/s into the same table, in the small and the big table;
- history: requests/s for a 100-row history page / a bare Flask app serving the same
  100 rows from memory (same gunicorn settings); deep page p95 / first page p95;
- summary: requests/s for 30 days of hourly buckets / the history requests/s; p95 of a
  year of minute-level heart rate as daily buckets / p95 of the 30-day hourly summary;
- overview: p95 of a provider's patient overview of 200 patients / p95 of a history page;
- import: readings/s of an Apple Health export of BENCH_IMPORT_RECORDS records imported by a
  worker process / the ingest endpoint's readings/s, and that worker's peak RSS growth
  (bench/imports.py);
- scaling: history and summary p95 with BENCH_BIG_ROWS readings in the table / the same with
  BENCH_SMALL_ROWS (a second database, <name>_small, served side by side; the measured
  patient has the same readings in both).

Latency pairs and throughput pairs are sampled in alternating rounds, so load from other
work on the machine hits both sides of a ratio alike. The benchmark databases
(BENCH_DATABASE_URL and <name>_small) are dropped and re-created on every run.
Results: a table on stdout and JSON in bench/results/ (timestamped and latest.json).
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import psycopg
from sqlalchemy import make_url

from bench import generate, imports, load
from bench.load import Target
from healix.utils import passwords
from healix.utils.pagination import encode_cursor, set_cursor_key

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
PASSWORD = "Bench-Password-2026!"
DAY = 86_400
#: PostgreSQL settings of a production deployment for this workload (docs/scaling.md): short
#: OLTP statements gain nothing from JIT compilation and pay its start-up on big aggregates
POSTGRES_SETTINGS = {"jit": "off"}
#: the servers' signing secret: the benchmark signs the deep page's cursor with it (cursors are
#: signed, so a client can only hold one the server gave out)
JWT_SECRET = secrets.token_urlsafe(48)


@dataclass(frozen=True)
class Config:
    url: str = os.environ.get("BENCH_DATABASE_URL", generate.DEFAULT_URL)
    big_rows: int = int(os.environ.get("BENCH_BIG_ROWS", "10_000_000"))
    small_rows: int = int(os.environ.get("BENCH_SMALL_ROWS", "10_000"))
    deep_offset: int = int(os.environ.get("BENCH_DEEP_OFFSET", "100_000"))
    workers: int = int(os.environ.get("BENCH_WORKERS", "2"))
    concurrency: int = int(os.environ.get("BENCH_CONCURRENCY", "4"))
    seconds: float = float(os.environ.get("BENCH_SECONDS", "3"))
    rounds: int = int(os.environ.get("BENCH_ROUNDS", "4"))
    samples: int = int(os.environ.get("BENCH_SAMPLES", "400"))
    copy_rows: int = int(os.environ.get("BENCH_COPY_ROWS", "100_000"))
    year_minutes: int = int(os.environ.get("BENCH_YEAR_MINUTES", str(365 * 24 * 60)))
    ward_patients: int = int(os.environ.get("BENCH_WARD_PATIENTS", "200"))
    ingest_batches: int = int(os.environ.get("BENCH_INGEST_BATCHES", "40"))


@dataclass
class Figure:
    name: str
    measured: float | None
    target: float
    comparison: str  # ">=" or "<="
    detail: str
    passed: bool | None = None

    def __post_init__(self) -> None:
        if self.measured is None:
            return
        if self.comparison == ">=":
            self.passed = self.measured >= self.target
        else:
            self.passed = self.measured <= self.target


# --- database and servers -----------------------------------------------------------------


def reset_database(url: str) -> None:
    """Drop and re-create the benchmark database, then migrate it with `flask db upgrade`."""
    parsed = make_url(generate.plain_url(url))
    admin = parsed.set(database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{parsed.database}"')
        for setting, value in POSTGRES_SETTINGS.items():
            conn.execute(f'ALTER DATABASE "{parsed.database}" SET {setting} = {value}')
    env = os.environ | {"DATABASE_URL": url, "HEALIX_ENV": "development", "LOG_LEVEL": "WARNING"}
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "healix", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def rebuild_rollups(url: str) -> None:
    """The generator writes readings with COPY, around the ingest path: build their rollups."""
    env = os.environ | {"DATABASE_URL": url, "HEALIX_ENV": "development", "LOG_LEVEL": "WARNING"}
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "healix", "rebuild-rollups"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((load.HOST, 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(app: str, workers: int, env: dict[str, str]) -> Iterator[int]:
    """Serve `app` with gunicorn on a free local port until the block ends."""
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            str(workers),
            "-b",
            f"{load.HOST}:{port}",
            "--log-level",
            "warning",
            app,
        ],
        cwd=ROOT,
        env=os.environ | env,
    )
    try:
        _wait_until_up(port, process)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_up(port: int, process: subprocess.Popen) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited during start-up")
        try:
            load.send(Target(port, "/"), timeout=2)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def app_env(url: str, instance: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": url,
        "HEALIX_ENV": "production",
        "JWT_SECRET_KEY": JWT_SECRET,
        "ACCESS_TOKEN_MINUTES": "240",
        "INSTANCE_PATH": str(instance),
        "LOG_LEVEL": "WARNING",
        "RATELIMIT_AUTH": "1000 per minute",
        # the benchmark signs in with a password only; the measured requests are the same
        "MFA_REQUIRED": "false",
        # production refuses per-process rate-limit counters
        "RATELIMIT_STORAGE_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
    }


def login(port: int, email: str) -> dict[str, str]:
    body = json.dumps({"email": email, "password": PASSWORD}).encode()
    status, data = load.get_json(
        Target(port, "/api/auth/login", {"Content-Type": "application/json"}, "POST", body)
    )
    if status != 200:
        raise RuntimeError(f"login failed: {status} {data}")
    return {"Authorization": f"Bearer {data['access_token']}"}


# --- data ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dataset:
    end_epoch: int
    target_patient: uuid.UUID
    target_email: str


def load_small(conn: psycopg.Connection, config: Config, end_epoch: int) -> Dataset:
    """The measured patient (heart rate every 5 minutes for 30 days), plus other patients'
    readings up to BENCH_SMALL_ROWS in all."""
    hashed = passwords.hash_password(PASSWORD, rounds=4)
    (target,) = generate.create_patients(conn, 1, label="target", password_hash=hashed)
    own = generate.copy_readings(
        conn,
        generate.series(target, None, end_epoch=end_epoch, step_seconds=300, count=30 * DAY // 300),
    )
    others = generate.create_patients(conn, 10, label="small")
    rest = max(0, config.small_rows - own)
    generate.copy_readings(
        conn, generate.interleaved(others, end_epoch=end_epoch, step_seconds=60, total=rest)
    )
    conn.execute("ANALYZE")
    return Dataset(end_epoch, target, "target0@bench.example")


def load_big(conn: psycopg.Connection, config: Config, dataset: Dataset) -> uuid.UUID:
    """Grow the table to BENCH_BIG_ROWS: a patient with a long history (for the deep page)
    and many patients uploading minute-level heart rate, interleaved in time."""
    hashed = passwords.hash_password(PASSWORD, rounds=4)
    (deep,) = generate.create_patients(conn, 1, label="deep", password_hash=hashed)
    deep_rows = config.deep_offset + 1_000
    generate.copy_readings(
        conn,
        generate.series(deep, None, end_epoch=dataset.end_epoch, step_seconds=60, count=deep_rows),
    )
    current = conn.execute("SELECT count(*) FROM biomarker_readings").fetchone()[0]
    remaining = max(0, config.big_rows - current)
    patients = generate.create_patients(conn, max(1, remaining // 43_200), label="filler")
    with generate.without_foreign_key_checks(conn):
        generate.copy_readings(
            conn,
            generate.interleaved(
                patients, end_epoch=dataset.end_epoch, step_seconds=60, total=remaining
            ),
        )
    conn.execute("VACUUM ANALYZE biomarker_readings")
    return deep


def load_year_and_ward(conn: psycopg.Connection, config: Config, end_epoch: int) -> uuid.UUID:
    """A patient with a year of minute-level heart rate (year0@bench.example) and a provider
    with BENCH_WARD_PATIENTS patients in care (wardprovider@bench.example)."""
    hashed = passwords.hash_password(PASSWORD, rounds=4)
    (year,) = generate.create_patients(conn, 1, label="year", password_hash=hashed)
    generate.copy_readings(
        conn,
        generate.series(
            year, None, end_epoch=end_epoch, step_seconds=60, count=config.year_minutes
        ),
    )
    generate.create_ward(conn, config.ward_patients, end_epoch=end_epoch, password_hash=hashed)
    return year


def deep_cursor(conn: psycopg.Connection, patient_id: uuid.UUID, offset: int) -> str:
    """The cursor a client holds after paging through `offset` readings."""
    set_cursor_key(JWT_SECRET)
    measured_at, reading_id = conn.execute(
        "SELECT measured_at, id FROM biomarker_readings"
        " WHERE patient_id = %s AND biomarker_type = 'heart_rate' AND status <> 'faulty'"
        " ORDER BY measured_at DESC, id DESC OFFSET %s LIMIT 1",
        (patient_id, offset - 1),
    ).fetchone()
    return encode_cursor([measured_at.astimezone(UTC), reading_id])


def history_target(port: int, headers: dict[str, str], patient: uuid.UUID, cursor=None) -> Target:
    query = {"patient_id": str(patient), "type": "heart_rate", "limit": 100}
    if cursor:
        query["cursor"] = cursor
    return Target(port, f"/api/biomarkers/history?{urlencode(query)}", headers)


def summary_target(
    port: int,
    headers: dict[str, str],
    dataset: Dataset,
    *,
    patient: uuid.UUID | None = None,
    bucket: str = "hour",
    days: int = 30,
) -> Target:
    end = datetime.fromtimestamp(dataset.end_epoch, UTC)
    query = {
        "patient_id": str(patient or dataset.target_patient),
        "type": "heart_rate",
        "bucket": bucket,
        "from": (end - timedelta(days=days)).isoformat(),
        "to": end.isoformat(),
    }
    return Target(port, f"/api/biomarkers/summary?{urlencode(query)}", headers)


def overview_target(port: int, headers: dict[str, str], limit: int) -> Target:
    return Target(port, f"/api/patients/overview?limit={limit}", headers)


# --- figures ------------------------------------------------------------------------------


def copy_rate(conn: psycopg.Connection, config: Config, end_epoch: int) -> float:
    (patient,) = generate.create_patients(conn, 1, label="copy")
    device = generate.create_device(conn, patient)
    started = time.perf_counter()
    written = generate.copy_readings(
        conn,
        generate.series(
            patient, device.id, end_epoch=end_epoch, step_seconds=1, count=config.copy_rows
        ),
    )
    return written / (time.perf_counter() - started)


def _ingest_body(batch: int, end_epoch: int) -> bytes:
    start = end_epoch - 10 * DAY + batch * 1_000
    readings = [
        {
            "type": "heart_rate",
            "value": 60 + (second % 40),
            "unit": "/min",
            "timestamp": datetime.fromtimestamp(start + second, UTC).isoformat(),
            "external_id": f"bench-{batch}-{second}",
        }
        for second in range(1_000)
    ]
    return json.dumps({"readings": readings}).encode()


def ingest_rate(conn: psycopg.Connection, port: int, config: Config, end_epoch: int) -> float | str:
    """Readings/s through the ingestion endpoint, or why it could not be measured."""
    (patient,) = generate.create_patients(conn, 1, label="ingest")
    device = generate.create_device(conn, patient)
    headers = {"Content-Type": "application/json", "X-Device-Key": device.api_key}
    bodies = [_ingest_body(batch, end_epoch) for batch in range(config.ingest_batches)]
    status, body = load.send(Target(port, "/api/devices/ingest", headers, "POST", bodies[0]))
    if status in (404, 405):
        return "endpoint missing"
    if not 200 <= status < 300:
        return f"endpoint answered {status}: {body[:200]!r}"
    queue = list(enumerate(bodies[1:], start=1))
    failures: list[int] = []

    def worker() -> None:
        while queue:
            try:
                _index, payload = queue.pop()
            except IndexError:
                return
            code, _ = load.send(Target(port, "/api/devices/ingest", headers, "POST", payload))
            if not 200 <= code < 300:
                failures.append(code)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(config.workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if failures:
        return f"{len(failures)} batches failed (status {failures[0]})"
    return (len(bodies) - 1) * 1_000 / elapsed


def small_database_url(url: str) -> str:
    parsed = make_url(generate.plain_url(url))
    return parsed.set(database=f"{parsed.database}_small").render_as_string(hide_password=False)


def run(config: Config) -> dict:
    small_url = small_database_url(config.url)
    print(
        f"Benchmark databases {_redacted(config.url)} ({config.big_rows:,} readings) and "
        f"{_redacted(small_url)} ({config.small_rows:,})",
        flush=True,
    )
    for url in (config.url, small_url):
        reset_database(url)
    end_epoch = int(time.time()) // 60 * 60
    figures: list[Figure] = []
    with (
        tempfile.TemporaryDirectory() as tmp,
        generate.connect(config.url) as conn,
        generate.connect(small_url) as small_conn,
    ):
        small_data = load_small(small_conn, config, end_epoch)
        dataset = load_small(conn, config, end_epoch)
        started = time.perf_counter()
        deep_patient = load_big(conn, config, dataset)
        year_patient = load_year_and_ward(conn, config, end_epoch)
        conn.execute("VACUUM ANALYZE")
        print(f"big table loaded in {time.perf_counter() - started:.0f} s", flush=True)
        started = time.perf_counter()
        for url in (config.url, small_url):
            rebuild_rollups(url)
        for connection in (conn, small_conn):
            # as autovacuum would after a bulk load: statistics and the visibility map
            # (the summaries' index-only scans)
            connection.execute("VACUUM ANALYZE biomarker_rollups")
        print(f"rollups built in {time.perf_counter() - started:.0f} s", flush=True)
        with (
            gunicorn("wsgi:app", config.workers, app_env(small_url, Path(tmp))) as small_port,
            gunicorn("wsgi:app", config.workers, app_env(config.url, Path(tmp))) as port,
        ):
            small_headers = login(small_port, small_data.target_email)
            headers = login(port, dataset.target_email)
            history = history_target(port, headers, dataset.target_patient)
            summary = summary_target(port, headers, dataset)
            small_history, big_history = load.alternating_latency(
                history_target(small_port, small_headers, small_data.target_patient),
                history,
                samples=config.samples,
            )
            small_summary, big_summary = load.alternating_latency(
                summary_target(small_port, small_headers, small_data),
                summary,
                samples=config.samples,
            )
            figures += _scaling(small_history, big_history, small_summary, big_summary, config)
            figures.append(_deep_page_figure(conn, port, config, deep_patient))
            figures.append(_year_figure(port, config, dataset, summary, year_patient))
            figures.append(_overview_figure(port, config, history))
            figures += _throughput_figures(config, port, history, summary, Path(tmp))
            small_ingest, _ = _ingest_figure(small_conn, small_port, config, end_epoch, "small")
            big_ingest, ingest_per_s = _ingest_figure(conn, port, config, end_epoch, "big")
            figures += [small_ingest, big_ingest]
            figures += imports.import_figures(config.url, ingest_per_s, Figure)
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "config": asdict(config) | {"url": _redacted(config.url)},
        "figures": [asdict(figure) for figure in figures],
    }


def _deep_page_figure(
    conn: psycopg.Connection, port: int, config: Config, patient: uuid.UUID
) -> Figure:
    headers = login(port, "deep0@bench.example")
    cursor = deep_cursor(conn, patient, config.deep_offset)
    first, deep = load.alternating_latency(
        history_target(port, headers, patient),
        history_target(port, headers, patient, cursor),
        samples=config.samples,
    )
    return Figure(
        "history deep page p95 / first page p95",
        deep.p95 / first.p95,
        1.1,
        "<=",
        f"after {config.deep_offset:,} rows: {deep.describe()} vs {first.describe()}",
    )


def _year_figure(
    port: int, config: Config, dataset: Dataset, summary: Target, patient: uuid.UUID
) -> Figure:
    headers = login(port, "year0@bench.example")
    year = summary_target(port, headers, dataset, patient=patient, bucket="day", days=365)
    status, body = load.get_json(year)
    if status != 200 or len(body["items"]) < 365:
        raise RuntimeError(f"the year summary failed: {status}")
    hourly, daily = load.alternating_latency(summary, year, samples=config.samples)
    return Figure(
        "summary p95: year daily / 30 days hourly",
        daily.p95 / hourly.p95,
        1.25,
        "<=",
        f"{config.year_minutes:,} minute readings as {len(body['items'])} days: "
        f"{daily.describe()} vs {hourly.describe()}",
    )


def _overview_figure(port: int, config: Config, history: Target) -> Figure:
    headers = login(port, "wardprovider@bench.example")
    overview = overview_target(port, headers, config.ward_patients)
    status, body = load.get_json(overview)
    if status != 200 or len(body["items"]) != min(config.ward_patients, 200):
        raise RuntimeError(f"the overview is not {config.ward_patients} rows: {status}")
    page, patients = load.alternating_latency(history, overview, samples=config.samples)
    return Figure(
        "overview p95 / history page p95",
        patients.p95 / page.p95,
        2.0,
        "<=",
        f"{len(body['items'])} patients: {patients.describe()} vs 100 rows {page.describe()}",
    )


def _scaling(
    small_history: load.Latency,
    big_history: load.Latency,
    small_summary: load.Latency,
    big_summary: load.Latency,
    config: Config,
) -> list[Figure]:
    sizes = f"{config.big_rows:,} vs {config.small_rows:,} rows"
    return [
        Figure(
            "scaling: history p95 big / small",
            big_history.p95 / small_history.p95,
            1.25,
            "<=",
            f"{sizes}: {big_history.describe()} vs {small_history.describe()}",
        ),
        Figure(
            "scaling: summary p95 big / small",
            big_summary.p95 / small_summary.p95,
            1.25,
            "<=",
            f"{sizes}: {big_summary.describe()} vs {small_summary.describe()}",
        ),
    ]


def _throughput_figures(
    config: Config, port: int, history: Target, summary: Target, tmp: Path
) -> list[Figure]:
    status, page = load.get_json(history)
    if status != 200 or len(page["items"]) != 100:
        raise RuntimeError(f"the history page is not 100 rows: {status}")
    rows_file = tmp / "page.json"
    rows_file.write_text(json.dumps(page))
    bare_env = {"BENCH_BARE_ROWS_FILE": str(rows_file)}
    with gunicorn("bench.bare_app:app", config.workers, bare_env) as bare_port:
        history_rps, bare_rps, failed = load.alternating_throughput(
            history,
            Target(bare_port, "/rows"),
            rounds=config.rounds,
            seconds=config.seconds,
            concurrency=config.concurrency,
        )
    summary_rps, history_rps_again, failed_too = load.alternating_throughput(
        summary,
        history,
        rounds=config.rounds,
        seconds=config.seconds,
        concurrency=config.concurrency,
    )
    if failed or failed_too:
        raise RuntimeError(f"{failed + failed_too} requests failed during throughput runs")
    return [
        Figure(
            "history req/s / bare Flask req/s",
            history_rps / bare_rps,
            0.5,
            ">=",
            f"{history_rps:.0f} vs {bare_rps:.0f} req/s",
        ),
        Figure(
            "summary req/s / history req/s",
            summary_rps / history_rps_again,
            0.5,
            ">=",
            f"30 days hourly: {summary_rps:.0f} vs {history_rps_again:.0f} req/s",
        ),
    ]


def _ingest_figure(
    conn: psycopg.Connection, port: int, config: Config, end_epoch: int, table: str
) -> tuple[Figure, float | str]:
    """The ingest figure, and the endpoint's readings/s (the import figure's baseline)."""
    copy_per_s = copy_rate(conn, config, end_epoch)
    endpoint = ingest_rate(conn, port, config, end_epoch)
    name = f"ingest / COPY readings/s, {table} table"
    if isinstance(endpoint, str):
        detail = f"{endpoint} (COPY baseline {copy_per_s:,.0f} readings/s)"
        return Figure(name, None, 0.5, ">=", detail), endpoint
    figure = Figure(
        name,
        endpoint / copy_per_s,
        0.5,
        ">=",
        f"{endpoint:,.0f} vs {copy_per_s:,.0f} readings/s (batches of 1,000)",
    )
    return figure, endpoint


def _redacted(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def report(result: dict) -> None:
    print(f"\n{'figure':<42} {'measured':>9} {'target':>9}  result  detail")
    for figure in result["figures"]:
        measured = "-" if figure["measured"] is None else f"{figure['measured']:.2f}"
        verdict = {True: "pass", False: "FAIL", None: "n/a"}[figure["passed"]]
        target = f"{figure['comparison']} {figure['target']}"
        print(f"{figure['name']:<42} {measured:>9} {target:>9}  {verdict:<6}  {figure['detail']}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    text = json.dumps(result, indent=2)
    (RESULTS / f"{stamp}.json").write_text(text)
    (RESULTS / "latest.json").write_text(text)
    print(f"\nwritten to {RESULTS / 'latest.json'}")


def main() -> None:
    report(run(Config()))


if __name__ == "__main__":
    main()
