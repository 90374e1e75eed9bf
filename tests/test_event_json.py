"""The session file's fast event writer writes, byte for byte, what ``asdict`` + ``json.dumps``
wrote: the hash chain of every file ever written covers those bytes."""

from __future__ import annotations

import dataclasses
import enum
import json
import sqlite3
import typing
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from race_scripts import QUARTER_MILE_RACE

from timingboard.engine import CompetitorSet, Passing, Source
from timingboard.engine.events import EVENT_TYPES, LogEntry
from timingboard.engine.settings import LengthUnit, SessionKind, SessionSettings
from timingboard.store import SessionFile
from timingboard.store.codec import decode_event, encode_event
from timingboard.store.event_json import EVENT_ENCODERS, event_json


def old_record(event: Any) -> tuple[str, str]:
    """What the session file wrote before the fast writer."""
    kind, payload = encode_event(event)
    return kind, json.dumps(payload)


TEXT = st.text(max_size=12)  # any code point: escapes, surrogates, non-ASCII
ODD = st.one_of(
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    TEXT,
    st.lists(TEXT, max_size=3).map(tuple),
    st.lists(st.integers(), max_size=3),
)
SETTINGS = st.builds(
    SessionSettings,
    name=TEXT,
    kind=st.sampled_from(SessionKind),
    track_length=st.floats(allow_nan=False),
    length_unit=st.sampled_from(LengthUnit),
    race_laps=st.none() | st.integers(),
    stage_laps=st.lists(st.integers(), max_size=3).map(tuple),
)


def _proper(hint: Any) -> st.SearchStrategy[Any]:
    """Values of the field's declared type, as real events hold them."""
    if hint is int:
        return st.integers()
    if hint is str:
        return TEXT
    if hint is bool:
        return st.booleans()
    if hint == int | None:
        return st.none() | st.integers()
    if hint == tuple[str, ...]:
        return st.lists(TEXT, max_size=3).map(tuple)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return st.sampled_from(hint)
    if hint is SessionSettings:
        return SETTINGS
    raise AssertionError(f"no values for {hint}")


def events_of(cls: type, odd: bool) -> st.SearchStrategy[Any]:
    """Events of ``cls``; with ``odd``, any field may hold a value of another type."""
    hints = typing.get_type_hints(cls)
    fields = {
        f.name: (_proper(hints[f.name]) | ODD if odd else _proper(hints[f.name]))
        for f in dataclasses.fields(cls)
    }
    return st.builds(cls, **fields)


ANY_EVENT = st.one_of(
    *(events_of(cls, odd) for cls in EVENT_TYPES.values() for odd in (False, True))
)


def test_every_event_kind_has_a_fast_writer_but_the_settings() -> None:
    assert {cls.__name__ for cls in EVENT_ENCODERS} == set(EVENT_TYPES) - {"SettingsChanged"}


@settings(max_examples=600, deadline=None)
@given(ANY_EVENT)
def test_the_fast_writer_writes_what_asdict_and_dumps_wrote(event: Any) -> None:
    try:
        old = old_record(event)
    except (TypeError, ValueError) as exc:  # what the old path could not write, nor can this
        try:
            event_json(event)
        except type(exc):
            return
        raise AssertionError(f"the old path refused {event!r}, the new wrote it") from None
    assert event_json(event) == old


@settings(max_examples=200, deadline=None)
@given(st.one_of(*(events_of(cls, odd=False) for cls in EVENT_TYPES.values())))
def test_what_it_writes_reads_back_as_the_same_event(event: Any) -> None:
    kind, text = event_json(event)
    assert decode_event(kind, json.loads(text)) == event


@settings(max_examples=25, deadline=None)
@given(st.tuples(*(events_of(cls, odd=False) for cls in EVENT_TYPES.values())))
def test_a_session_file_holds_the_old_bytes_for_every_kind(
    tmp_path_factory: pytest.TempPathFactory, one_of_each: tuple[Any, ...]
) -> None:
    events = [
        CompetitorSet(key='é"31', car="31", transponders=("1031", "x")),
        Passing(time_ms=1000, transponder="1031", source=Source.DECODER),
        *one_of_each,
    ]
    path = tmp_path_factory.mktemp("bytes") / "bytes.tbs"
    file = SessionFile.create(path, QUARTER_MILE_RACE)
    file.append(events[:1])
    file.append(events[1:])
    file.close()
    with sqlite3.connect(path) as db:
        stored = db.execute("SELECT kind, payload FROM events ORDER BY seq").fetchall()
    assert stored == [old_record(event) for event in events]
    reopened = SessionFile.open(path, read_only=True)  # the chain holds over those bytes
    assert list(reopened.entries()) == [LogEntry(i, e) for i, e in enumerate(events, start=1)]
    reopened.close()


NAMES = st.sampled_from(["12", "", 'é"7', "x" * 3])
PASSINGS = st.builds(
    Passing,
    time_ms=st.integers() | ODD,
    key=NAMES | ODD,
    car=NAMES,
    transponder=NAMES,
    source=st.sampled_from(Source) | st.sampled_from([s.value for s in Source]) | ODD,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(PASSINGS, max_size=12))
def test_a_run_of_passings_sharing_names_is_written_as_ever(passings: list[Any]) -> None:
    """A passing's text after its time is kept by its names (one text a car): whatever came
    before, each passing is written as the old path wrote it."""
    for event in passings:
        try:
            old = old_record(event)
        except (TypeError, ValueError):
            continue
        assert event_json(event) == old
