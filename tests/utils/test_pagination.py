import uuid
from datetime import UTC, datetime

import pytest

from healix.exceptions import ValidationFailed
from healix.utils.pagination import MAX_LIMIT, clamp_limit, decode_cursor, encode_cursor


def test_cursor_round_trip():
    values = [datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=UTC), uuid.uuid4(), 7]
    assert decode_cursor(encode_cursor(values), 3) == values


@pytest.mark.parametrize("cursor", ["!!!", "bm90LWpzb24", encode_cursor([1])])
def test_bad_cursors_are_422(cursor):
    with pytest.raises(ValidationFailed):
        decode_cursor(cursor, 2)


def test_limits_are_clamped():
    assert clamp_limit(None) == 50
    assert clamp_limit(10_000) == MAX_LIMIT
    assert clamp_limit(0) == 1
