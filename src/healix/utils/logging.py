"""Log set-up: every record carries the request id, so a 500 can be traced from the response
to the log. Log messages hold ids, never passwords, tokens or health values."""

from __future__ import annotations

import logging

from healix.utils.request_context import get_request_context

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
#: libraries that log routine work at INFO (fontTools: every table of every PDF font subset)
QUIET_LIBRARIES = ("fontTools",)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = get_request_context().request_id or "-"
        return True


def configure_logging(level: str) -> None:
    root = logging.getLogger()
    if not any(isinstance(f, RequestIdFilter) for h in root.handlers for f in h.filters):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        handler.addFilter(RequestIdFilter())
        root.addHandler(handler)
    root.setLevel(level)
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)
