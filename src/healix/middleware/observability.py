"""Request metrics (Prometheus) and the request log line.

Per-request figures are prometheus_client metrics. Under gunicorn with several workers set
PROMETHEUS_MULTIPROC_DIR (an empty directory, cleared at start; the systemd unit does it):
every worker then writes its samples there and a scrape answered by any worker sums them all
(prometheus_client's multiprocess mode; deploy/gunicorn.conf.py marks exited workers dead).
Figures from the database (jobs, readings, audit) are counted at scrape time instead
(controllers/metrics_controller.py), so they need no merging.

The log line (LOG_FORMAT=json) holds the request id, method, route template, status and
duration: never bodies, query strings, tokens, emails or health values.
"""

from __future__ import annotations

import hmac
import logging
import time
from collections.abc import Iterable
from pathlib import Path

from flask import Flask, Response, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from healix.config import LogFormat, Settings, current_settings
from healix.controllers.metrics_controller import Snapshot
from healix.exceptions import Unauthorized
from healix.extensions import db

REQUESTS = Counter(
    "healix_http_requests",
    "HTTP requests answered, by method, route template and status",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "healix_http_request_duration_seconds",
    "Time to answer a request, by method, route template and status",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
POOL = Gauge(
    "healix_db_pool_connections",
    "Database connections of the pool after the last request, by state (summed over workers)",
    ["state"],
    multiprocess_mode="livesum",
)
#: requests that matched no route are counted under one label, never under their path
UNMATCHED = "<unmatched>"
request_log = logging.getLogger("healix.request")


def register_observability(app: Flask, settings: Settings) -> None:
    """Time every request; count it; log it when LOG_FORMAT=json. Register before the unit of
    work, so this runs after it (after-request functions run in reverse) and sees the pool
    once the request's connection went back to it."""
    json_logs = settings.log_format is LogFormat.JSON

    @app.before_request
    def _start_timer() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def _observe(response: Response) -> Response:
        started = g.get("started")
        if started is None:
            return response
        duration = time.perf_counter() - started
        route = request.url_rule.rule if request.url_rule is not None else UNMATCHED
        labels = (request.method, route, str(response.status_code))
        REQUESTS.labels(*labels).inc()
        LATENCY.labels(*labels).observe(duration)
        _sample_pool()
        if json_logs:
            request_log.info(
                "request",
                extra={
                    "request_id": g.get("request_id", "-"),
                    "method": request.method,
                    "route": route,
                    "status": response.status_code,
                    "duration_ms": round(duration * 1000, 1),
                },
            )
        return response


def _sample_pool() -> None:
    pool = db.engine.pool
    checked_out = getattr(pool, "checkedout", None)
    idle = getattr(pool, "checkedin", None)
    if callable(checked_out) and callable(idle):
        POOL.labels("checked_out").set(checked_out())
        POOL.labels("idle").set(idle())


def check_metrics_token() -> None:
    """401 unless the request carries `Authorization: Bearer <METRICS_TOKEN>`; with no token
    configured nobody may read the metrics."""
    token = current_settings().metrics_token
    sent = request.headers.get("Authorization", "")
    expected = f"Bearer {token.get_secret_value()}" if token else None
    if expected is None or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise Unauthorized("Metrics need the bearer token set in METRICS_TOKEN.")


class _DatabaseCollector(Collector):
    def __init__(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot

    def collect(self) -> Iterable[Metric]:
        snap = self._snapshot
        jobs = GaugeMetricFamily("healix_jobs", "Background jobs by status", labels=["status"])
        for status, count in sorted(snap.jobs_by_status.items()):
            jobs.add_metric([status], count)
        yield jobs
        yield GaugeMetricFamily(
            "healix_jobs_queue_depth",
            "Jobs waiting or running (pending + running)",
            value=snap.jobs_by_status.get("pending", 0) + snap.jobs_by_status.get("running", 0),
        )
        yield GaugeMetricFamily(
            "healix_jobs_failed",
            "Jobs that failed for good and wait for an admin",
            value=snap.jobs_by_status.get("failed", 0),
        )
        yield GaugeMetricFamily(
            "healix_readings_stored", "Biomarker readings stored", value=snap.readings_stored
        )
        yield GaugeMetricFamily(
            "healix_readings_received_24h",
            "Biomarker readings received in the last 24 hours",
            value=snap.readings_received_recently,
        )
        last = snap.last_audit_verification
        if last is not None:
            yield GaugeMetricFamily(
                "healix_audit_chain_ok",
                "1 when the last scheduled audit chain verification passed, 0 when it failed",
                value=1 if last.ok else 0,
            )
            yield GaugeMetricFamily(
                "healix_audit_chain_verified_timestamp_seconds",
                "When the last scheduled audit chain verification finished (Unix time)",
                value=last.finished_at.timestamp(),
            )


def metrics_response(snapshot: Snapshot, multiprocess_dir: Path | None) -> Response:
    """The Prometheus text exposition: this process's (or, in multiprocess mode, every
    worker's) request metrics plus the database figures."""
    if multiprocess_dir is not None:
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=str(multiprocess_dir))  # type: ignore[no-untyped-call]
        body = generate_latest(registry)
    else:
        body = generate_latest(REGISTRY)
    database = CollectorRegistry()
    database.register(_DatabaseCollector(snapshot))
    return Response(body + generate_latest(database), content_type=CONTENT_TYPE_LATEST)
