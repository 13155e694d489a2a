"""Thin Flask blueprints: parse, authorise, call one controller, serialise.

Route modules do not use `from __future__ import annotations`: flask-openapi3 reads the
`body`/`query`/`path` parameter annotations at import time to validate and document them.
"""

from typing import Any

from pydantic import BaseModel

from healix.schemas.common import Problem

#: OpenAPI security requirement for endpoints that need a bearer access token
BEARER: list[dict[str, list[str]]] = [{"bearerAuth": []}]

#: documented error responses shared by authenticated endpoints
ERRORS: dict[int, type[BaseModel]] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}


def dump(model: BaseModel, status: int = 200) -> tuple[dict[str, Any], int]:
    """Serialise a response model to JSON-ready data (ISO 8601 times with offsets)."""
    return model.model_dump(mode="json"), status


def no_content() -> tuple[str, int]:
    return "", 204
