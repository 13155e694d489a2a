"""Keyset (cursor) pagination: the one way every list endpoint pages.

A cursor is an opaque, URL-safe encoding of the sort key of the last row returned; the next
page continues strictly after it, so page 1,000 costs what page 1 costs (no OFFSET).

Cursors are signed (HMAC-SHA256 with a key derived from the app's secret, `set_cursor_key`),
and a decoded cursor's values must have the types of the list's sort columns: a cursor the
server did not issue for that list is a 422, never a query with forged values.

`stream_batches` reads a large result (an export) in keyset batches, each in a short
transaction of its own, so no connection is held while the batch goes out to the client.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
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


#: the HMAC key of cursors; create_app() derives it from the app's secret, so every worker
#: accepts the cursors of the others
_cursor_key = secrets.token_bytes(32)
#: bytes of the HMAC kept in a cursor (128 bits)
_MAC_BYTES = 16


def set_cursor_key(secret: str) -> None:
    global _cursor_key  # one key per process, set once at start-up
    _cursor_key = hashlib.sha256(b"healix-cursor\x00" + secret.encode()).digest()


def _mac(payload: bytes) -> bytes:
    return hmac.new(_cursor_key, payload, hashlib.sha256).digest()[:_MAC_BYTES]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode((text + "=" * (-len(text) % 4)).encode())


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
    payload = json.dumps([_encode_value(v) for v in values], separators=(",", ":")).encode()
    return f"{_b64(payload)}.{_b64(_mac(payload))}"


def decode_cursor(
    cursor: str, expected_length: int, *, types: Sequence[type | None] | None = None
) -> list[Any]:
    """The values of a cursor this server issued, or 422. `types` (None: any) is what each
    value must be."""
    invalid = ValidationFailed.single("cursor", "is not a valid cursor")
    try:
        encoded_payload, encoded_mac = cursor.split(".")
        payload = _unb64(encoded_payload)
        if not hmac.compare_digest(_unb64(encoded_mac), _mac(payload)):
            raise invalid
        raw = json.loads(payload)
        values = [_decode_value(item) for item in raw]
    except (ValueError, TypeError, binascii.Error, AttributeError) as exc:
        raise invalid from exc
    if len(values) != expected_length:
        raise invalid
    for value, expected in zip(values, types or [None] * expected_length, strict=True):
        if expected is not None and (not isinstance(value, expected) or isinstance(value, bool)):
            raise invalid
    return values


def _python_type(column: SortColumn) -> type | None:
    try:
        python_type: type = column.type.python_type
    except NotImplementedError:
        return None
    return float if python_type is float else python_type


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
        types = [_python_type(column) for column in sort_columns]
        values = decode_cursor(cursor, len(sort_columns), types=types)
        statement = statement.where(_after(sort_columns, values, descending))
    order = [c.desc() if descending else c.asc() for c in sort_columns]
    statement = statement.order_by(*order).limit(size + 1)
    result = session.execute(statement)
    rows: list[Any] = list(result.scalars() if scalars else result.all())
    next_cursor = encode_cursor(sort_key(rows[size - 1])) if len(rows) > size else None
    return Paged(rows[:size], next_cursor)


def stream_batches(
    statement: AnySelect,
    *,
    sessions: Callable[[], AbstractContextManager[Session]],
    sort_columns: Sequence[SortColumn],
    sort_key: Callable[[Any], Sequence[Any]],
    batch: int,
) -> Iterator[list[Any]]:
    """The rows of `statement` in ascending keyset order, `batch` at a time. Each batch is read
    in its own short transaction (`sessions()`, e.g. db.read_session) that has ended before
    the batch is yielded: a client reading slowly holds no connection and no lock."""
    after: Sequence[Any] | None = None
    order = [column.asc() for column in sort_columns]
    while True:
        page = statement
        if after is not None:
            page = page.where(_after(sort_columns, after, descending=False))
        with sessions() as session:
            rows = list(session.execute(page.order_by(*order).limit(batch)).all())
        if rows:
            yield rows
        if len(rows) < batch:
            return
        after = sort_key(rows[-1])
