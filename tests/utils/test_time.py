from datetime import UTC, datetime, timedelta, timezone

import time_machine

from healix.utils.time import CLOCK_SKEW, is_in_future, utcnow

SECOND = timedelta(seconds=1)


def test_the_clock_skew_is_allowed_and_no_more():
    now = utcnow()
    assert not is_in_future(now + CLOCK_SKEW - SECOND)
    assert is_in_future(now + CLOCK_SKEW + 10 * SECOND)


def test_any_offset_counts_as_the_same_instant():
    later = (utcnow() + CLOCK_SKEW + 10 * SECOND).astimezone(timezone(timedelta(hours=-9)))
    assert is_in_future(later)


def test_a_given_now_or_a_travelled_clock_decides():
    moment = datetime(2030, 1, 1, tzinfo=UTC)
    assert not is_in_future(moment, now=moment)
    assert is_in_future(moment + CLOCK_SKEW + SECOND, now=moment)
    with time_machine.travel(moment + CLOCK_SKEW + SECOND, tick=False):
        assert not is_in_future(moment + CLOCK_SKEW)
