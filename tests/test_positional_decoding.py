"""Passings read by position give exactly the event the general decoder gives, or leave the
record to it; damaged records are still named where they are."""

from __future__ import annotations

import dataclasses
import json
import random
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from race_scripts import QUARTER_MILE_RACE, three_car_race

from timingboard.engine import Passing, Source
from timingboard.store import SessionFile, SessionFileError, SessionRecorder
from timingboard.store.codec import DecodeError, decode_event, encode_event
from timingboard.store.positional import passing_at


def written(passing: Passing) -> bytes:
    """The record as the recorder writes it."""
    kind, payload = encode_event(passing)
    assert kind == "Passing"
    return json.dumps(payload).encode()


def general(payload: bytes) -> Passing | None:
    try:
        return decode_event("Passing", json.loads(payload))
    except (DecodeError, ValueError, TypeError, AttributeError):
        return None


names = st.text(max_size=12)
passings = st.builds(
    Passing,
    time_ms=st.integers(-(2**40), 2**40),
    key=names,
    car=names,
    transponder=names,
    source=st.sampled_from(list(Source)),
)


@given(passings)
def test_a_written_passing_reads_back_as_itself_either_way(passing: Passing) -> None:
    payload = written(passing)
    fast = passing_at(payload)
    assert general(payload) == passing
    assert fast is None or (fast == passing and type(fast) is Passing)
    texts = passing.key + passing.car + passing.transponder
    if all(c.isascii() and c.isprintable() and c not in '"\\' for c in texts):
        assert fast == passing  # the usual record takes the fast way


def test_the_passing_read_by_position_is_frozen_and_hashes_as_one() -> None:
    made = passing_at(written(Passing(time_ms=5, transponder="T1", source=Source.DECODER)))
    assert made is not None
    assert hash(made) == hash(Passing(time_ms=5, transponder="T1", source=Source.DECODER))
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.time_ms = 6  # type: ignore[misc]


@pytest.mark.parametrize(
    "payload",
    [
        b'{"time_ms": 1.5, "key": "", "car": "1", "transponder": "", "source": "manual"}',
        b'{"time_ms": 01, "key": "", "car": "1", "transponder": "", "source": "manual"}',
        b'{"time_ms": 1, "key": "", "car": 7, "transponder": "", "source": "manual"}',
        b'{"time_ms": 1, "key": "", "car": "1", "transponder": "", "source": "satellite"}',
        b'{"time_ms": 1, "key": "", "car": "1", "transponder": ""}',
        b'{"time_ms": 1, "key": "", "car": "1\\u0041", "transponder": "", "source": "manual"}',
        b'{"time_ms": 1, "key": "", "car": "\xff", "transponder": "", "source": "manual"}',
        b'{"time_ms": 1, "key": "", "car": "1", "transponder": "", "source": "manual"},{}',
    ],
)
def test_anything_but_the_written_shape_is_left_to_the_general_decoder(payload: bytes) -> None:
    assert passing_at(payload) is None


def test_mutated_records_read_by_position_only_as_the_general_decoder_reads_them() -> None:
    rng = random.Random(23)
    base = written(Passing(time_ms=123_456, car="31", transponder="T31", source=Source.DECODER))
    fast_taken = 0
    for _ in range(20_000):
        data = bytearray(base)
        for _ in range(rng.choice([1, 1, 2, 3])):
            at = rng.randrange(len(data))
            choice = rng.random()
            if choice < 0.4:
                data[at] = rng.randrange(256)
            elif choice < 0.7:
                del data[at]
            else:
                data.insert(at, rng.choice(b'0123456789",: {}\\\x00'))
        payload = bytes(data)
        fast = passing_at(payload)
        if fast is not None:
            fast_taken += 1
            assert fast == general(payload)
    assert fast_taken > 100  # digits and names changed whole still read the fast way


def test_damage_among_passings_read_by_position_is_named_where_it_is(tmp_path: Path) -> None:
    path = tmp_path / "race.tbs"
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit(three_car_race())
    recorder.close()
    file = SessionFile.open(path, read_only=True)
    log = list(file.entries())
    file.close()
    assert sum(isinstance(e.event, Passing) for e in log) == 15
    last = log[-1].seq
    assert isinstance(log[-1].event, Passing)
    db = sqlite3.connect(path)
    db.execute(  # an event of the right shape for a passing but not one (the chain holds)
        "UPDATE events SET payload = ? WHERE seq = ?",
        ('{"time_ms": 1, "key": "", "car": "1", "transponder": "", "source": "radio"}', last),
    )
    db.commit()
    db.close()
    file = SessionFile.open(path, read_only=True)
    file.chained = False  # so that only the decoding can find it
    read = []
    with pytest.raises(SessionFileError, match=f"event #{last} is damaged"):
        read.extend(file.entries())
    file.close()
    assert read == log[:-1]
