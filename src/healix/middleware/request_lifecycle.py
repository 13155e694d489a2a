"""Per-request plumbing: request id, audit context, the hostile-input checks
(middleware/input_guard.py), the unit of work, and response headers.

One unit of work per request: the session commits once after a successful response and rolls
back after an error, so a change and its audit row are kept or dropped together. A GET, HEAD
or OPTIONS request's transaction starts as a reader (db.py `reads_first`): on SQLite it takes
the write lock only if it comes to write.
"""

from __future__ import annotations

import re
import uuid

from flask import Flask, Response, g, request
from sqlalchemy.exc import SQLAlchemyError

from healix import db as db_setup
from healix.extensions import db
from healix.middleware import input_guard
from healix.middleware.error_handler import database_unavailable, is_database_unavailable
from healix.middleware.security_headers import add_security_headers
from healix.utils.request_context import RequestContext, set_request_context

#: methods that do not change anything: their transactions start without the write lock
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def _request_id() -> str:
    incoming = request.headers.get("X-Request-ID", "")
    return incoming if _SANE_REQUEST_ID.match(incoming) else uuid.uuid4().hex


def register_request_lifecycle(app: Flask) -> None:
    @app.before_request
    def _start_request() -> None:
        g.request_id = _request_id()
        g.reads_first_token = db_setup.set_reads_first(request.method in SAFE_METHODS)
        set_request_context(
            RequestContext(
                request_id=g.request_id,
                ip_address=request.remote_addr,
                # audited as text: PostgreSQL stores no NUL
                user_agent=request.headers.get("User-Agent", "").replace("\x00", "") or None,
            )
        )
        input_guard.check_request()

    @app.after_request
    def _finish_request(response: Response) -> Response:
        response = _end_unit_of_work(response)
        response.headers["X-Request-ID"] = g.get("request_id", "")
        if request.path.startswith("/api/") and not request.path.startswith("/api/openapi"):
            response.headers.setdefault("Cache-Control", "no-store")
        add_security_headers(response)
        return response

    @app.teardown_request
    def _end_request(_error: BaseException | None) -> None:
        token = g.pop("reads_first_token", None)
        if token is not None:
            db_setup.reset_reads_first(token)


def _end_unit_of_work(response: Response) -> Response:
    """Commit after success, roll back after an error; a database that went away while
    committing answers 503 like any other outage."""
    try:
        if response.status_code < 400:
            db.session.commit()
        else:
            db.session.rollback()
    except SQLAlchemyError as exc:
        if not is_database_unavailable(exc):
            raise
        return database_unavailable(exc)
    return response
