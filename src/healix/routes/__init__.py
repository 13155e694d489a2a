"""Thin Flask blueprints: authenticate, validate, call one controller, serialise.

Route modules do not use `from __future__ import annotations`: flask-openapi3 reads the
`body`/`query`/`path` parameter annotations at import time to validate and document them.
Protected views validate only after `auth_required`/`roles_required` let the caller in.
"""

from collections.abc import Iterator
from typing import Any

from flask import Response, stream_with_context
from flask_openapi3.types import ResponseDict
from pydantic import BaseModel

from healix.controllers.biomarker_controller import Summary
from healix.controllers.ingestion_controller import IngestOutcome
from healix.schemas.biomarker import IngestResult
from healix.schemas.common import Problem
from healix.utils.pagination import Paged

#: OpenAPI security requirement for endpoints that need a bearer access token
BEARER: list[dict[str, list[str]]] = [{"bearerAuth": []}]

#: documented error answers of authenticated endpoints (all application/problem+json)
ERRORS: ResponseDict = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
#: ... plus a conflict with the record's current state
WITH_CONFLICT: ResponseDict = {**ERRORS, 409: Problem}

#: what a write of readings may answer besides the usual errors
INGEST_ERRORS: ResponseDict = {**ERRORS, 409: Problem, 413: Problem}
#: the response header telling a replayed (idempotent) upload from a new one
IDEMPOTENT_REPLAYED = "Idempotent-Replayed"

#: the JSON body of a successful answer, and its status
JsonResponse = tuple[dict[str, Any], int]
#: an empty answer (204)
NoContent = tuple[str, int]
#: the counts of an upload, its status and the replay header
IngestResponse = tuple[dict[str, Any], int, dict[str, str]]


def dump(model: BaseModel, status: int = 200) -> JsonResponse:
    """Serialise a response model to JSON-ready data (ISO 8601 times with offsets)."""
    return model.model_dump(mode="json"), status


def no_content() -> NoContent:
    return "", 204


def binary_response(mimetype: str, description: str) -> dict[str, Any]:
    """OpenAPI description of a non-JSON 200 response (a file or a stream)."""
    return {
        "description": description,
        "content": {mimetype: {"schema": {"type": "string", "format": "binary"}}},
    }


def _disposition(filename: str | None) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"'} if filename else {}


def file_response(content: bytes, *, mimetype: str, filename: str) -> Response:
    """A generated document, sent as a download."""
    return Response(content, mimetype=mimetype, headers=_disposition(filename))


def stream_response(chunks: Iterator[str], *, mimetype: str, filename: str | None) -> Response:
    """A document streamed while it is generated (it reads through its own session)."""
    return Response(stream_with_context(chunks), mimetype=mimetype, headers=_disposition(filename))


def page(schema: type[BaseModel], paged: Paged[Any]) -> JsonResponse:
    """A list answer, `{items, next_cursor}`, each item serialised with `schema`."""
    items = [schema.model_validate(item).model_dump(mode="json") for item in paged.items]
    return {"items": items, "next_cursor": paged.next_cursor}, 200


def rows_page(schema: type[BaseModel], paged: Paged[Any]) -> JsonResponse:
    """A list answer of database rows whose columns are exactly `schema`'s fields: the rows
    go to the JSON encoder as they are (our own rows need no second validation), which
    writes them as `page(schema, ...)` would (utils/fast_json.py); a test compares the two."""
    if not paged.items:
        return {"items": [], "next_cursor": paged.next_cursor}, 200
    names = paged.items[0]._fields
    if sorted(names) != sorted(schema.model_fields):
        raise TypeError(f"the rows' columns {names} are not the fields of {schema.__name__}")
    items = [dict(zip(names, row, strict=True)) for row in paged.items]
    return {"items": items, "next_cursor": paged.next_cursor}, 200


def summary_body(summary: Summary) -> JsonResponse:
    """A summary answer written as `dump(SummaryRead.model_validate(summary))` writes it, without
    validating our own buckets again (a year of days is 366 of them): floats stay floats,
    times go to the JSON encoder with their offsets (utils/fast_json.py); a test compares the
    two."""
    body = {
        "patient_id": summary.patient_id,
        "biomarker_type": summary.biomarker_type,
        "unit": summary.unit,
        "bucket": summary.bucket,
        "timezone": summary.timezone,
        "start": summary.start,
        "end": summary.end,
        "time_in_range": summary.time_in_range,
        "items": [
            {
                "start": item.start,
                "count": item.count,
                "sum": float(item.sum),
                "avg": item.sum / item.count if item.count else None,
                "min": None if item.min is None else float(item.min),
                "max": None if item.max is None else float(item.max),
                "in_range": item.in_range,
            }
            for item in summary.items
        ],
    }
    return body, 200


def encoded_page(paged: Paged[Any]) -> JsonResponse:
    """A list answer whose items are dataclasses mirroring the response schema field for
    field (names and types): the JSON encoder writes them directly (utils/fast_json.py), with
    no pydantic round trip; a test compares the answer with `page(schema, ...)`."""
    return {"items": paged.items, "next_cursor": paged.next_cursor}, 200


def ingest_response(outcome: IngestOutcome) -> IngestResponse:
    """The counts of a stored (or replayed) batch of readings, with the replay header."""
    body = IngestResult.model_validate(outcome.counts).model_dump(mode="json")
    return body, outcome.status, {IDEMPOTENT_REPLAYED: str(outcome.replayed).lower()}
