"""Free-text filters for list endpoints."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, or_


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def matches_any(term: str, *columns: Any) -> ColumnElement[bool]:
    """Case-insensitive "contains" on any of `columns`; `%` and `_` in `term` match literally."""
    pattern = _like_pattern(term)
    return or_(*(column.ilike(pattern, escape="\\") for column in columns))
