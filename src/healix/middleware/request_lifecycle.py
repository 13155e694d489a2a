"""Per-request plumbing: request id, audit context, malformed-JSON check, the unit of work,
and response headers.

One unit of work per request: the session commits once after a successful response and rolls
back after an error, so a change and its audit row are kept or dropped together.
"""

from __future__ import annotations

import re
import uuid

from flask import Flask, Response, g, request

from healix.exceptions import BadRequest
from healix.extensions import db
from healix.utils.request_context import RequestContext, set_request_context

_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def _request_id() -> str:
    incoming = request.headers.get("X-Request-ID", "")
    return incoming if _SANE_REQUEST_ID.match(incoming) else uuid.uuid4().hex


def register_request_lifecycle(app: Flask) -> None:
    @app.before_request
    def _start_request() -> None:
        g.request_id = _request_id()
        set_request_context(
            RequestContext(
                request_id=g.request_id,
                ip_address=request.remote_addr,
                user_agent=request.headers.get("User-Agent"),
            )
        )
        _reject_malformed_json()

    @app.after_request
    def _finish_request(response: Response) -> Response:
        if response.status_code < 400:
            db.session.commit()
        else:
            db.session.rollback()
        response.headers["X-Request-ID"] = g.get("request_id", "")
        if request.path.startswith("/api/") and not request.path.startswith("/api/openapi"):
            response.headers.setdefault("Cache-Control", "no-store")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response


def _reject_malformed_json() -> None:
    if request.method in ("GET", "HEAD", "OPTIONS") or not request.content_length:
        return
    if request.is_json and request.get_json(silent=True) is None:
        raise BadRequest("The request body is not valid JSON.")
