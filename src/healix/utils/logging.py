"""Log set-up: every record carries the request id, so a 500 can be traced from the response
to the log. Log messages hold ids, never passwords, tokens or health values.

LOG_FORMAT=text writes one readable line; LOG_FORMAT=json one JSON object per line (time,
level, logger, message, request_id, and for request lines method, route, status,
duration_ms) for a log collector.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from healix.config import LogFormat
from healix.utils.request_context import get_request_context

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
#: libraries that log routine work at INFO (fontTools: every table of every PDF font subset)
QUIET_LIBRARIES = ("fontTools",)
#: the `extra` fields a JSON line may carry besides the message (request lines)
JSON_FIELDS = ("method", "route", "status", "duration_ms")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = get_request_context().request_id or "-"
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        entry.update({name: getattr(record, name) for name in JSON_FIELDS if hasattr(record, name)})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(level: str, log_format: LogFormat = LogFormat.TEXT) -> None:
    root = logging.getLogger()
    formatter = JsonFormatter() if log_format is LogFormat.JSON else logging.Formatter(LOG_FORMAT)
    ours: list[logging.Handler] = [
        h for h in root.handlers if any(isinstance(f, RequestIdFilter) for f in h.filters)
    ]
    if not ours:
        stream = logging.StreamHandler()
        stream.addFilter(RequestIdFilter())
        root.addHandler(stream)
        ours = [stream]
    for handler in ours:
        handler.setFormatter(formatter)
    root.setLevel(level)
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)
