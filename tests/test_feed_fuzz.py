"""The feed path never raises on random or damaged input, and live ends as import on damaged
captures. A few thousand inputs here; ``scripts/fuzz_feeds.py`` runs a million."""

from __future__ import annotations

import random

import pytest
from conftest import SHARED_FEEDS
from feed_fuzz import ParserFuzz, inputs, mutated_capture
from feed_harness import imported, live
from test_feed_safety import ODD, RELAY_JOIN, RESET_NEW_SESSION
from test_rmonitor_parser import STREAM

CAPTURES = sorted(SHARED_FEEDS.glob("*")) if SHARED_FEEDS.is_dir() else []
OWN_STREAMS = [STREAM, ODD, RELAY_JOIN, RESET_NEW_SESSION]


def test_the_feed_path_never_raises_on_fuzzed_input() -> None:
    rng = random.Random(16)
    lines = [line for s in OWN_STREAMS for line in s.splitlines(keepends=True)]
    if CAPTURES:
        lines += CAPTURES[0].read_bytes().splitlines(keepends=True)[:3000]
    fuzz = ParserFuzz()
    for data in inputs(rng, lines):
        fuzz.take(data, rng)
        if fuzz.count.inputs == 3000:
            break
    assert fuzz.count.exceptions == 0, fuzz.count.first_failures[0]
    assert fuzz.count.records > 1000 and fuzz.count.events > 100


def test_our_own_streams_damaged_end_live_as_import(tmp_path, qtbot) -> None:
    rng = random.Random(8)
    for i in range(4):
        stream = mutated_capture(b"".join(OWN_STREAMS) * 3, rng)
        ours = live(stream, tmp_path / f"live{i}", rng, qtbot.waitUntil)
        assert ours == imported(stream, tmp_path / f"import{i}"), f"mutation {i}"


@pytest.mark.feeds
@pytest.mark.skipif(not CAPTURES, reason="../shared/feeds is not here")
def test_damaged_captures_end_live_as_import(tmp_path, qtbot) -> None:
    rng = random.Random(500)
    for i in range(3):
        path = rng.choice(CAPTURES)
        stream = mutated_capture(path.read_bytes(), rng, longest=60_000)
        ours = live(stream, tmp_path / f"live{i}", rng, qtbot.waitUntil)
        assert ours == imported(stream, tmp_path / f"import{i}"), f"{path.name}, mutation {i}"
