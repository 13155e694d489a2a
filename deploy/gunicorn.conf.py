"""Gunicorn settings for Healix: `gunicorn -c deploy/gunicorn.conf.py wsgi:app` (what `make serve` runs).

Threaded workers (gthread): a client that reads slowly holds one thread of one worker, never a whole
worker, so a few stalled downloads cannot starve everyone else. The numbers come from the environment
(WEB_WORKERS, WEB_THREADS, WEB_TIMEOUT_SECONDS, BIND); see .env.example and docs/operations.md.
"""

import os

bind = os.environ.get("BIND", "127.0.0.1:5000")
worker_class = "gthread"
workers = int(os.environ.get("WEB_WORKERS", "2"))
threads = int(os.environ.get("WEB_THREADS", "8"))
# a worker silent for this long is restarted; a request's own time limit is the database's, not this
timeout = int(os.environ.get("WEB_TIMEOUT_SECONDS", "30"))
graceful_timeout = 30
keepalive = 5
# recycle workers now and then, staggered, so a slow leak never takes all of them at once
max_requests = 5000
max_requests_jitter = 500
# no control socket (gunicornc): Healix does not use it, and every server on a host would share
# its one default path ($HOME/.gunicorn/gunicorn.ctl)
control_socket_disable = True
accesslog = "-"
# the path without its query string (%(U)s): queries may carry dates or search terms
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'


def _without_server_banner() -> None:
    """Send no `Server: gunicorn` header: the server's name and version help only an attacker."""
    from gunicorn.http import wsgi

    original = wsgi.Response.default_headers

    def default_headers(self: wsgi.Response) -> list[str]:
        return [line for line in original(self) if not line.startswith("Server:")]

    wsgi.Response.default_headers = default_headers  # type: ignore[method-assign]


_without_server_banner()


# --- logs and metrics (docs/operations.md) ---
# LOG_FORMAT=json: the app writes one JSON line per request (request id, route, status, duration),
# so gunicorn's own access line would only repeat it
if os.environ.get("LOG_FORMAT", "text").lower() == "json":
    accesslog = None


def child_exit(server, worker):
    """A worker that exited no longer counts in prometheus_client's per-worker gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
