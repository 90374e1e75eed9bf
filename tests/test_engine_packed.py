"""A car keeps its passings packed, one int each (``car.packed_passing``): ordered as the
(time, id) pairs they stand for, and read back as those pairs."""

from __future__ import annotations

import bisect
from array import array

from hypothesis import given
from hypothesis import strategies as st

from timingboard.engine.car import CarTiming, Crossings, packed_passing, packed_passings
from timingboard.engine.validation import MAX_TIME_MS

passings = st.lists(
    st.tuples(st.integers(0, MAX_TIME_MS), st.integers(0, 2**32 - 1)), max_size=40, unique=True
)


@given(passings)
def test_packed_passings_sort_as_their_pairs_and_read_back_as_them(pairs) -> None:
    packed = packed_passings(pairs)
    assert sorted(packed) == list(packed_passings(sorted(pairs)))
    view = Crossings(array("q", sorted(packed)))
    assert list(view) == sorted(pairs) == view[:]
    assert [view[i] for i in range(-len(view), len(view))] == sorted(pairs) * 2
    assert len(view) == len(pairs)


@given(passings, st.integers(0, MAX_TIME_MS))
def test_a_time_cuts_the_packed_passings_where_it_cuts_the_pairs(pairs, since_ms) -> None:
    """``retime_from`` finds the first crossing at or after a time with one bisect."""
    pairs.sort()
    packed = packed_passings(pairs)
    assert bisect.bisect_left(packed, packed_passing(since_ms, 0)) == bisect.bisect_left(
        pairs, (since_ms, -1)
    )


def test_a_cars_passings_read_as_columns_and_its_last_crossing() -> None:
    timing = CarTiming(passings=packed_passings([(1_000, 4), (61_000, 9)]))
    assert timing.passing_columns() == ([1_000, 61_000], [4, 9])
    assert timing.last_crossing_ms == 61_000 and CarTiming().last_crossing_ms is None
    assert list(timing.crossings) == [(1_000, 4), (61_000, 9)]
