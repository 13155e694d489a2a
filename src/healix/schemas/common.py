"""Shapes shared by every endpoint: the base classes, the page, the problem document."""

from __future__ import annotations

import uuid
from datetime import datetime
from functools import cache
from typing import Annotated, Any, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator
from pydantic import json_schema as pydantic_json_schema

from healix.utils.pagination import DEFAULT_LIMIT, clamp_limit

T = TypeVar("T")


def _require_offset(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("must include a timezone offset, e.g. 2026-01-31T09:00:00+01:00")
    return value


#: a datetime that must carry a timezone offset
AwareDatetime = Annotated[datetime, AfterValidator(_require_offset)]


class Schema(BaseModel):
    """Base for responses: built from ORM objects."""

    model_config = ConfigDict(from_attributes=True)


class RequestSchema(BaseModel):
    """Base for request bodies and queries: unknown fields are refused (422)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """Built once per model and options: flask-openapi3 asks for it on every request that
        validates a `query:` or `body:` parameter, and building it costs milliseconds."""
        if args or any(not isinstance(value, str | bool) for value in kwargs.values()):
            return super().model_json_schema(*args, **kwargs)
        return _cached_json_schema(cls, tuple(sorted(kwargs.items())))


@cache
def _cached_json_schema(
    model: type[BaseModel], options: tuple[tuple[str, Any], ...]
) -> dict[str, Any]:
    return pydantic_json_schema.model_json_schema(model, **dict(options))


class PageQuery(RequestSchema):
    limit: int = Field(
        default=DEFAULT_LIMIT, ge=1, description="Page size (max 500; larger is clamped)"
    )
    cursor: str | None = Field(default=None, description="`next_cursor` of the previous page")

    @field_validator("limit", mode="before")
    @classmethod
    def _clamp(cls, value: Any) -> Any:
        try:
            return clamp_limit(int(value))
        except (TypeError, ValueError):
            return value


class Page(BaseModel, Generic[T]):
    """Every list endpoint answers with this shape."""

    items: list[T]
    next_cursor: str | None = None


class FieldError(BaseModel):
    loc: str
    msg: str


class Problem(BaseModel):
    """RFC 9457 problem details (`application/problem+json`)."""

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    request_id: str | None = None
    errors: list[FieldError] | None = None


class IdPath(RequestSchema):
    id: uuid.UUID


class Message(Schema):
    message: str
