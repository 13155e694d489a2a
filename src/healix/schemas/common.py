"""Shapes shared by every endpoint: the base classes, the page, the problem document."""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from functools import cache
from typing import Annotated, Any, Generic, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)
from pydantic import json_schema as pydantic_json_schema

from healix.biomarker_catalog import BIOMARKER_CODES, check_type
from healix.utils.pagination import DEFAULT_LIMIT, MAX_LIMIT
from healix.utils.periods import Period
from healix.utils.time import CLOCK_SKEW, is_in_future, is_valid_timezone, known_zones

T = TypeVar("T")


def _require_offset(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("must include a timezone offset, e.g. 2026-01-31T09:00:00+01:00")
    return value


def _iso_text_only(value: Any) -> Any:
    """Refuse numbers: pydantic would read them as Unix timestamps, which the schema's
    `format: date-time` does not allow."""
    if isinstance(value, int | float) or (isinstance(value, str) and _NUMBER.fullmatch(value)):
        raise ValueError("must be an ISO 8601 date-time, e.g. 2026-01-31T09:00:00+01:00")
    return value


_NUMBER = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*")

#: bounds of every date and datetime a request may carry: every time-zone conversion and a
#: year of arithmetic stay inside datetime's range (years 1 to 9999)
MIN_YEAR, MAX_YEAR = 1900, 2999
#: bounds of every number (float) a request may carry: finite, and small enough that sums of
#: a batch stay finite; the document says so with `minimum`/`maximum` on every number
MAX_MAGNITUDE = 1e9
NUMBER_RANGE_MESSAGE = f"must be a finite number between {-MAX_MAGNITUDE:g} and {MAX_MAGNITUDE:g}"
YEAR_RANGE_MESSAGE = f"must be between the years {MIN_YEAR} and {MAX_YEAR}"


def _plausible_year(value: datetime) -> datetime:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(YEAR_RANGE_MESSAGE)
    return value


#: a datetime that must carry a timezone offset, between the years MIN_YEAR and MAX_YEAR
AwareDatetime = Annotated[
    datetime,
    BeforeValidator(_iso_text_only),
    AfterValidator(_require_offset),
    AfterValidator(_plausible_year),
]


def check_sane(value: Any) -> None:
    """Refuse a number outside the sane range or a date outside the year range, anywhere in
    a request field's value (lists and dicts included); ValueError says which. (Integers are
    bounded field by field, with `le`.)"""
    if isinstance(value, float):
        if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
            raise ValueError(NUMBER_RANGE_MESSAGE)
    elif isinstance(value, date):  # datetimes too
        if not MIN_YEAR <= value.year <= MAX_YEAR:
            raise ValueError(YEAR_RANGE_MESSAGE)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            check_sane(item)
    elif isinstance(value, dict):
        for item in value.values():
            check_sane(item)


def _not_in_future(value: datetime) -> datetime:
    if is_in_future(value):
        minutes = int(CLOCK_SKEW.total_seconds() // 60)
        raise ValueError(f"must not be more than {minutes} minutes in the future")
    return value


#: an aware datetime no later than now (give or take the clock skew of utils/time.py)
NotFutureDatetime = Annotated[AwareDatetime, AfterValidator(_not_in_future)]


def _not_nullable(schema: dict[str, Any]) -> None:
    """A field that may be left out but is never null: drop null from its JSON schema."""
    branches = schema.pop("anyOf", None)
    if branches is not None:
        kept = [branch for branch in branches if branch != {"type": "null"}]
        if len(kept) == 1:
            schema.update(kept[0])
        else:
            schema["anyOf"] = kept
    if "default" in schema and schema["default"] is None:
        del schema["default"]


#: `field: X | None = OMITTABLE`: may be left out, but null is refused (422, with the
#: model's own "not null" check) and the document does not offer it
OMITTABLE: Any = Field(default=None, json_schema_extra=_not_nullable)


def _known_zone(value: str) -> str:
    if not is_valid_timezone(value):
        raise ValueError("is not a known IANA time zone")
    return value


#: an IANA time zone name, e.g. Europe/London (the document lists every one)
IanaZone = Annotated[
    str,
    Field(description="IANA name, e.g. Europe/London", json_schema_extra={"enum": known_zones()}),
    AfterValidator(_known_zone),
]

#: an aware datetime bounding a period
PeriodBound = AwareDatetime

#: a code of the biomarker catalog (the catalog's one check and message)
BiomarkerCode = Annotated[
    str, Field(json_schema_extra={"enum": list(BIOMARKER_CODES)}), AfterValidator(check_type)
]


class Schema(BaseModel):
    """Base for responses: built from ORM objects."""

    model_config = ConfigDict(from_attributes=True)


class RequestSchema(BaseModel):
    """Base for request bodies and queries: unknown fields are refused (422), and so is any
    number that is not finite or outside the sane range, and any date outside the year range
    (`check_sane`). NUL characters are refused before (middleware/input_guard.py)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)

    @field_validator("*", mode="after")
    @classmethod
    def _sane_values(cls, value: Any) -> Any:
        check_sane(value)
        return value

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
    schema = pydantic_json_schema.model_json_schema(model, **dict(options))
    _say_non_blank(schema)
    _say_number_bounds(schema)
    return schema


def _say_number_bounds(schema: Any) -> None:
    """Every number of a request lies within ±MAX_MAGNITUDE (`check_sane`): say so where the
    field sets no bound of its own."""
    if isinstance(schema, dict):
        if schema.get("type") == "number":
            if "maximum" not in schema and "exclusiveMaximum" not in schema:
                schema["maximum"] = MAX_MAGNITUDE
            if "minimum" not in schema and "exclusiveMinimum" not in schema:
                schema["minimum"] = -MAX_MAGNITUDE
        for value in schema.values():
            _say_number_bounds(value)
    elif isinstance(schema, list):
        for item in schema:
            _say_number_bounds(item)


def _say_non_blank(schema: Any) -> None:
    """Request strings are stripped before their length is checked, so a `minLength` string
    must hold a non-space character: say so with a pattern (where it has none of its own)."""
    if isinstance(schema, dict):
        if schema.get("type") == "string" and schema.get("minLength", 0) >= 1:
            schema.setdefault("pattern", r"\S")
        for value in schema.values():
            _say_non_blank(value)
    elif isinstance(schema, list):
        for item in schema:
            _say_non_blank(item)


class PeriodQuery(RequestSchema):
    """`from` and `to` of the one period rule (utils/periods.py): [from, to), from before to."""

    from_: PeriodBound | None = Field(
        default=None,
        alias="from",
        description="Start of the period, included (ISO 8601 with offset)",
    )
    to: PeriodBound | None = Field(
        default=None, description="End of the period, excluded (ISO 8601 with offset)"
    )

    @model_validator(mode="after")
    def _ordered(self) -> PeriodQuery:
        Period(self.from_, self.to)  # raises ValueError unless `from` is before `to`
        return self

    @property
    def period(self) -> Period:
        return Period(self.from_, self.to)


class PageQuery(RequestSchema):
    limit: int = Field(
        default=DEFAULT_LIMIT,
        ge=1,
        description=f"Page size (max {MAX_LIMIT}; larger is clamped)",
    )
    cursor: str | None = Field(default=None, description="`next_cursor` of the previous page")

    @field_validator("limit", mode="before")
    @classmethod
    def _clamp(cls, value: Any) -> Any:
        """A page larger than MAX_LIMIT is served at MAX_LIMIT; below 1 is refused (422)."""
        try:
            number = int(value)
        except (TypeError, ValueError):
            return value
        return min(number, MAX_LIMIT) if number >= 1 else value


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
