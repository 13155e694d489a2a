"""Shapes shared by every endpoint: the base classes, the page, the problem document."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Annotated, Any, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic import json_schema as pydantic_json_schema

from healix.biomarker_catalog import BIOMARKER_CODES, check_type
from healix.utils.pagination import DEFAULT_LIMIT, MAX_LIMIT, clamp_limit
from healix.utils.periods import Period
from healix.utils.time import CLOCK_SKEW, is_in_future

T = TypeVar("T")


def _require_offset(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("must include a timezone offset, e.g. 2026-01-31T09:00:00+01:00")
    return value


#: a datetime that must carry a timezone offset
AwareDatetime = Annotated[datetime, AfterValidator(_require_offset)]


def _not_in_future(value: datetime) -> datetime:
    if is_in_future(value):
        minutes = int(CLOCK_SKEW.total_seconds() // 60)
        raise ValueError(f"must not be more than {minutes} minutes in the future")
    return value


#: an aware datetime no later than now (give or take the clock skew of utils/time.py)
NotFutureDatetime = Annotated[AwareDatetime, AfterValidator(_not_in_future)]

#: bounds that keep every time-zone conversion of a period inside datetime's range
MIN_YEAR, MAX_YEAR = 1900, 2999


def _plausible_year(value: datetime) -> datetime:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(f"must be between the years {MIN_YEAR} and {MAX_YEAR}")
    return value


#: an aware datetime bounding a period
PeriodBound = Annotated[AwareDatetime, AfterValidator(_plausible_year)]

#: a code of the biomarker catalog (the catalog's one check and message)
BiomarkerCode = Annotated[
    str, Field(json_schema_extra={"enum": list(BIOMARKER_CODES)}), AfterValidator(check_type)
]


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
