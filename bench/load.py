"""A small, bounded HTTP load generator (stdlib only) against 127.0.0.1.

Throughput runs a fixed number of client threads for a fixed time; latency runs requests one
after another so p95 measures the server, not the queue. Ratios are measured in alternating
rounds (A, B, A, B...) so that noise from other work on the machine hits both sides alike.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Target:
    """One request to repeat: method, path, headers and an optional JSON body."""

    port: int
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    method: str = "GET"
    body: bytes | None = None


def send(target: Target, timeout: float = 60) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, target.port, timeout=timeout)
    try:
        conn.request(target.method, target.path, body=target.body, headers=target.headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def get_json(target: Target) -> tuple[int, Any]:
    status, body = send(target)
    return status, json.loads(body) if body else None


def throughput(target: Target, *, seconds: float, concurrency: int) -> tuple[float, int]:
    """Successful requests per second over `seconds`, and the number of failures."""
    deadline = time.perf_counter() + seconds
    counts = [0] * concurrency
    failures = [0] * concurrency

    def worker(index: int) -> None:
        while time.perf_counter() < deadline:
            status, _ = send(target)
            if 200 <= status < 300:
                counts[index] += 1
            else:
                failures[index] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return sum(counts) / elapsed, sum(failures)


def alternating_throughput(
    first: Target, second: Target, *, rounds: int, seconds: float, concurrency: int
) -> tuple[float, float, int]:
    """Requests/s of `first` and `second`, measured in alternating rounds."""
    totals = [0.0, 0.0]
    failures = 0
    for _ in range(rounds):
        for index, target in enumerate((first, second)):
            rate, failed = throughput(target, seconds=seconds, concurrency=concurrency)
            totals[index] += rate
            failures += failed
    return totals[0] / rounds, totals[1] / rounds, failures


def latencies(target: Target, *, samples: int, warmup: int = 10) -> list[float]:
    for _ in range(warmup):
        send(target)
    result = []
    for _ in range(samples):
        started = time.perf_counter()
        status, _ = send(target)
        elapsed = time.perf_counter() - started
        if not 200 <= status < 300:
            raise RuntimeError(f"{target.path} answered {status}")
        result.append(elapsed)
    return result


@dataclass(frozen=True)
class Latency:
    p95: float
    median: float

    def describe(self) -> str:
        return f"p95 {self.p95 * 1e3:.1f} ms (median {self.median * 1e3:.1f})"


def alternating_latency(
    first: Target, second: Target, *, samples: int, rounds: int = 8
) -> tuple[Latency, Latency]:
    """Latency (seconds) of two requests, sampled in alternating rounds."""
    collected: tuple[list[float], list[float]] = ([], [])
    for _ in range(rounds):
        for index, target in enumerate((first, second)):
            collected[index].extend(latencies(target, samples=samples // rounds, warmup=3))
    first_stats, second_stats = (
        Latency(percentile(values, 95), percentile(values, 50)) for values in collected
    )
    return first_stats, second_stats


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]
