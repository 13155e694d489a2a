"""Every error leaves as RFC 9457 `application/problem+json`.

Domain errors (HealixError) carry their status; pydantic validation errors become 422 with
one `{loc, msg}` per bad field (never the submitted value); werkzeug's HTTP errors keep their
status; a database that cannot be reached (or is too busy to hand out a connection) is a 503
with `Retry-After`, logged as one line without a stack; anything else is a 500 that reveals
nothing and is logged with the request id.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, g, json, request
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException

from healix.db import independent_session
from healix.exceptions import HealixError
from healix.extensions import db

logger = logging.getLogger("healix.errors")
PROBLEM_MIME = "application/problem+json"
TYPE_BASE = "https://healix.dev/problems/"
#: seconds a client is asked to wait before retrying while the database is unavailable
DATABASE_RETRY_AFTER_SECONDS = 5


def problem_response(
    status: int,
    title: str,
    *,
    detail: str | None = None,
    type_slug: str | None = None,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body: dict[str, Any] = {
        "type": TYPE_BASE + type_slug if type_slug else "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.path,
        "request_id": g.get("request_id"),
    }
    if errors is not None:
        body["errors"] = errors
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MIME)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _format_loc(loc: tuple[Any, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "body"


def validation_errors(exc: ValidationError) -> list[dict[str, str]]:
    return [{"loc": _format_loc(err["loc"]), "msg": err["msg"]} for err in exc.errors()]


def validation_problem(exc: ValidationError) -> Response:
    """flask-openapi3's validation_error_callback and our own handler share this."""
    return problem_response(
        422,
        "Unprocessable Content",
        detail="The request body or parameters are invalid.",
        type_slug="validation-error",
        errors=validation_errors(exc),
    )


def _finish_failed_unit_of_work(error: HealixError) -> None:
    """Roll back the request's work, then keep the error's failure records (e.g. the audit
    row of a refusal) in a transaction of their own."""
    db.session.rollback()
    if error.failure_records:
        actor = g.get("actor_ref")
        with independent_session() as session:
            for record in error.failure_records:
                record.persist(session, actor)


def is_database_unavailable(error: BaseException) -> bool:
    """The database cannot be reached, dropped the connection, is locked or overloaded, or
    the pool has no connection free: a state that passes, not a bug."""
    if isinstance(error, OperationalError | DisconnectionError | PoolTimeoutError):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def database_unavailable(error: SQLAlchemyError) -> Response:
    """503 problem+json with Retry-After; one log line, no stack."""
    try:
        db.session.rollback()
    except SQLAlchemyError:
        db.session().invalidate()
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()
    logger.warning(
        "database unavailable (request_id=%s): %s: %s",
        g.get("request_id"),
        type(getattr(error, "orig", None) or error).__name__,
        reason[0][:200] if reason else "",
    )
    return problem_response(
        503,
        "Service Unavailable",
        detail="The service is temporarily unavailable. Try again shortly.",
        type_slug="service-unavailable",
        headers={"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)},
    )


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HealixError)
    def _healix_error(error: HealixError) -> Response:
        _finish_failed_unit_of_work(error)
        return problem_response(
            error.status,
            error.title,
            detail=error.detail,
            type_slug=error.type_slug,
            errors=error.errors,
            headers=error.headers,
        )

    @app.errorhandler(ValidationError)
    def _validation_error(error: ValidationError) -> Response:
        db.session.rollback()
        return validation_problem(error)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Response:
        db.session.rollback()
        if isinstance(error.response, Response) and error.response.mimetype == PROBLEM_MIME:
            return error.response
        status = error.code or 500
        headers = {}
        if status == 405 and error.get_response().headers.get("Allow"):
            headers["Allow"] = error.get_response().headers["Allow"]
        retry_after = error.get_response().headers.get("Retry-After")
        if retry_after:
            headers["Retry-After"] = retry_after
        detail = error.description if status < 500 else None
        return problem_response(
            status, error.name, detail=detail, type_slug=_slug(error.name), headers=headers
        )

    @app.errorhandler(SQLAlchemyError)
    def _database_error(error: SQLAlchemyError) -> Response:
        if is_database_unavailable(error):
            return database_unavailable(error)
        return _unexpected(error)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        db.session.rollback()
        logger.exception("unhandled error (request_id=%s)", g.get("request_id"))
        return problem_response(
            500,
            "Internal Server Error",
            detail="An unexpected error occurred. Quote the request id when reporting it.",
            type_slug="internal-error",
        )


def _slug(title: str) -> str:
    return title.lower().replace(" ", "-").replace("'", "")
