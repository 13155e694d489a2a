import base64
import json
import uuid
from datetime import UTC, datetime

import pytest

from healix.exceptions import ValidationFailed
from healix.utils.pagination import MAX_LIMIT, clamp_limit, decode_cursor, encode_cursor


def test_cursor_round_trip():
    values = [datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=UTC), uuid.uuid4(), 7]
    assert decode_cursor(encode_cursor(values), 3) == values


def _unsigned(values):
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "!!!",
        "bm90LWpzb24",
        "WzEsMl0",  # the forged cursor of issue 15: [1,2], unsigned
        "WzEsMl0.AAAAAAAAAAAAAAAAAAAAAA",  # ... with a made-up signature
        "a.b.c",
    ],
)
def test_bad_cursors_are_422(cursor):
    with pytest.raises(ValidationFailed):
        decode_cursor(cursor, 2)


def test_cursor_of_another_length_is_422():
    with pytest.raises(ValidationFailed):
        decode_cursor(encode_cursor([1]), 2)


def test_signed_cursor_with_edited_payload_is_422():
    signature = encode_cursor([1, 2]).split(".")[1]
    with pytest.raises(ValidationFailed):
        decode_cursor(f"{_unsigned([1, 3])}.{signature}", 2)


def test_signed_cursor_of_other_types_is_422():
    cursor = encode_cursor([1, 2])
    with pytest.raises(ValidationFailed):
        decode_cursor(cursor, 2, types=(datetime, uuid.UUID))


def test_limits_are_clamped():
    assert clamp_limit(None) == 50
    assert clamp_limit(10_000) == MAX_LIMIT
    assert clamp_limit(0) == 1
