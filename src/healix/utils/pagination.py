"""Keyset (cursor) pagination: the one way every list endpoint pages.

A cursor is an opaque, URL-safe encoding of the sort key of the last row returned; the next
page continues strictly after it, so page 1,000 costs what page 1 costs (no OFFSET).
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, bindparam, tuple_
from sqlalchemy.orm import QueryableAttribute, Session

from healix.exceptions import ValidationFailed

DEFAULT_LIMIT = 50
MAX_LIMIT = 500

T = TypeVar("T")
#: a SELECT of any columns
AnySelect = Select[*tuple[Any, ...]]
#: a column to sort (and resume) by: a mapped attribute or a column expression
SortColumn = QueryableAttribute[Any] | ColumnElement[Any]


@dataclass(frozen=True)
class Paged(Generic[T]):
    """One page of a list: its items and the cursor of the next page (None on the last)."""

    items: list[T]
    next_cursor: str | None = None


def clamp_limit(limit: int | None) -> int:
    if limit is None:
        return DEFAULT_LIMIT
    return max(1, min(limit, MAX_LIMIT))


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"t": "dt", "v": value.isoformat()}
    if isinstance(value, uuid.UUID):
        return {"t": "uuid", "v": str(value)}
    return value


def _decode_value(raw: Any) -> Any:
    if isinstance(raw, dict):
        kind, value = raw.get("t"), raw.get("v")
        if kind == "dt":
            return datetime.fromisoformat(str(value))
        if kind == "uuid":
            return uuid.UUID(str(value))
        raise ValueError("unknown cursor value")
    return raw


def encode_cursor(values: Sequence[Any]) -> str:
    payload = json.dumps([_encode_value(v) for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, expected_length: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = json.loads(base64.urlsafe_b64decode(padded.encode()))
        values = [_decode_value(item) for item in raw]
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError, AttributeError) as exc:
        raise ValidationFailed.single("cursor", "is not a valid cursor") from exc
    if len(values) != expected_length:
        raise ValidationFailed.single("cursor", "is not a valid cursor")
    return values


def _after(
    columns: Sequence[SortColumn], values: Sequence[Any], descending: bool
) -> ColumnElement[bool]:
    """Rows strictly after `values` as a row-value comparison, `(a, b) < (x, y)`, which both
    PostgreSQL and SQLite answer straight from a matching index."""
    params = [
        bindparam(None, value, type_=col.type) for col, value in zip(columns, values, strict=True)
    ]
    left, right = tuple_(*columns), tuple_(*params)
    return left < right if descending else left > right


def keyset_page(
    session: Session,
    statement: AnySelect,
    *,
    sort_columns: Sequence[SortColumn],
    sort_key: Callable[[Any], Sequence[Any]],
    limit: int | None,
    cursor: str | None,
    descending: bool = True,
    scalars: bool = True,
) -> Paged[Any]:
    """Run `statement` one page at a time. `sort_columns` must end in a unique column, and
    `sort_key(row)` must return the row's values for those columns."""
    size = clamp_limit(limit)
    if cursor:
        statement = statement.where(
            _after(sort_columns, decode_cursor(cursor, len(sort_columns)), descending)
        )
    order = [c.desc() if descending else c.asc() for c in sort_columns]
    statement = statement.order_by(*order).limit(size + 1)
    result = session.execute(statement)
    rows: list[Any] = list(result.scalars() if scalars else result.all())
    next_cursor = encode_cursor(sort_key(rows[size - 1])) if len(rows) > size else None
    return Paged(rows[:size], next_cursor)
