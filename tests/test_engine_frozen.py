"""The fast maker of frozen event records gives the very record the class's own call gives."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timingboard.engine.events import EVENT_TYPES, LapsReported, Passing, Source
from timingboard.engine.frozen import maker


@given(
    st.integers(-(10**12), 10**12),
    st.text(max_size=4),
    st.text(max_size=4),
    st.text(max_size=4),
    st.sampled_from(Source),
)
def test_a_passing_made_fast_is_the_passing_its_class_makes(
    time_ms: int, key: str, car: str, transponder: str, source: Source
) -> None:
    made = maker(Passing)(time_ms, key, car, transponder, source)
    expected = Passing(time_ms=time_ms, key=key, car=car, transponder=transponder, source=source)
    assert type(made) is Passing
    assert made == expected and hash(made) == hash(expected) and repr(made) == repr(expected)


def test_a_record_made_fast_is_still_frozen() -> None:
    made = maker(LapsReported)("7", 1000, 3)
    assert made == LapsReported(key="7", time_ms=1000, laps=3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.laps = 4  # type: ignore[misc]


@pytest.mark.parametrize("cls", list(EVENT_TYPES.values()), ids=list(EVENT_TYPES))
def test_every_event_type_gets_a_maker_that_gives_its_own_records(cls: type) -> None:
    """Corrections (a base of their own) are made through the class: still the same record."""
    fields = dataclasses.fields(cls)
    values = [f"v{at}" for at in range(len(fields))]
    made = maker(cls)(*values)
    assert type(made) is cls
    assert made == cls(**{f.name: v for f, v in zip(fields, values, strict=True)})
