"""A real Celery worker process for tests (`celery -A healix.worker worker`), on the test
database, a queue of its own on the test Redis, and the test SMTP server.

Start one per test module (it takes a couple of seconds); `kill_child()` SIGKILLs the pool
process running a task, as the OOM killer would.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import redis

from tests.smtp_server import wait_until

#: Redis for the broker in tests; DB 1 by default (CI runs alone and may use any)
REDIS_URL = os.environ.get("HEALIX_TEST_REDIS_URL", "redis://127.0.0.1:6379/1")


def require_redis() -> None:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        raise AssertionError(
            f"Redis must answer at {REDIS_URL} for the worker tests (see .ci/run)"
        ) from exc


class WorkerProcess:
    def __init__(self, *, settings: dict[str, Any], directory: Path) -> None:
        self.settings = settings
        self.directory = directory
        self.log_path = directory / "worker.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
        env |= {name.upper(): str(value) for name, value in self.settings.items()}
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "healix.worker",
                    "worker",
                    "--pool=prefork",
                    "--concurrency=1",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "--loglevel=INFO",
                    f"--hostname=test-{uuid.uuid4().hex[:8]}@%h",
                ],
                cwd=self.directory,  # so no developer's .env is read
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until(lambda: " ready." in self.log(), timeout=120, what="the worker to start")

    def log(self) -> str:
        if self.process is not None and self.process.poll() is not None:
            raise AssertionError(f"the worker exited:\n{self.log_path.read_text()}")
        return self.log_path.read_text(errors="replace")

    def succeeded(self) -> int:
        """How many tasks the worker has finished so far."""
        return self.log().count("] succeeded in ")

    def kill(self, pid: int) -> None:
        """SIGKILL one pool process (it must be one of this worker's children)."""
        assert self.process is not None
        assert Path(f"/proc/{pid}/stat").read_text().split()[3] == str(self.process.pid)
        os.kill(pid, signal.SIGKILL)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None


def forget_queue(queue: str) -> None:
    """Remove the test queue from Redis (only the keys of this queue, on the test DB)."""
    client = redis.Redis.from_url(REDIS_URL)
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
