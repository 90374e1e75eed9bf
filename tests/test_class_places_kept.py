"""Places in class kept from batch to batch (engine/classes.py ``ClassTable``), and the session
best found among the cars whose best changed (ranking.fastest_lap), are the ones a from-scratch
rebuild of the same log gives, after every batch, however the log is cut."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from timingboard.demo.endurance import CarClass, Workload, generate
from timingboard.engine import LogEntry, TimingEngine
from timingboard.engine.events import (
    DeletePassing,
    EditEntry,
    Event,
    InvalidateLap,
    Passing,
    Revert,
)

CLASSES = (CarClass("Prototype", 3, 1.0), CarClass("GT", 3, 1.02), CarClass("Cup", 2, 1.04))
WORKLOAD = Workload("8 cars", 8, 14, 30_000, 1.0, classes=CLASSES, stint_laps=5)
SETTINGS, EVENTS = generate(WORKLOAD, seed=7)


def _board(engine: TimingEngine) -> list[tuple[str, int | None, bool]]:
    return [(s.key, s.class_position, s.holds_class_best) for s in engine.standings()]


def _check_batches(events: list[Event], cuts: list[int]) -> None:
    engine = TimingEngine(SETTINGS)
    log = [LogEntry(i, e) for i, e in enumerate(events, 1)]
    for start, end in zip([0, *cuts], [*cuts, len(log)], strict=True):
        if start == end:
            continue
        engine.apply(log[start:end])
        rebuilt = TimingEngine.from_log(SETTINGS, log[:end])
        assert engine.class_places == rebuilt.class_places, f"after event {end}"
        assert _board(engine) == _board(rebuilt), f"after event {end}"
        assert engine.session_best == rebuilt.session_best, f"after event {end}"


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, len(EVENTS)), max_size=40).map(sorted))
def test_places_in_class_are_as_rebuilt_after_every_batch(cuts: list[int]) -> None:
    _check_batches(EVENTS, cuts)


def test_places_in_class_one_event_at_a_time() -> None:
    """A crossing a batch, as a quiet live feed submits them: every overtake in a class."""
    _check_batches(EVENTS, list(range(1, len(EVENTS))))


def test_places_in_class_through_corrections_and_a_class_edited() -> None:
    half = len(EVENTS) // 2
    passings = [seq for seq, e in enumerate(EVENTS[:half], 1) if isinstance(e, Passing)]
    events: list[Event] = [
        *EVENTS[:half],
        DeletePassing(passing_id=passings[-40]),
        InvalidateLap(passing_id=passings[-25]),
        EditEntry(key="4", car="4", driver="Driver 4", car_class="Prototype", grid=4),
        *EVENTS[half : half + 30],
        Revert(correction_id=half + 3),  # the class edited back
        *EVENTS[half + 30 :],
    ]
    cuts = list(range(half - 5, half + 40)) + list(range(half + 40, len(events), 7))
    _check_batches(events, cuts)


def test_the_session_best_deleted_goes_to_the_next_fastest_lap() -> None:
    """The lap that holds the session best taken out: every car's best is looked at again."""
    half = len(EVENTS) // 2
    at_half = TimingEngine.from_log(
        SETTINGS, [LogEntry(i, e) for i, e in enumerate(EVENTS[:half], 1)]
    )
    assert at_half.session_best is not None
    _holder, lap = at_half.session_best
    events = [*EVENTS[:half], DeletePassing(passing_id=lap.passing_id), *EVENTS[half : half + 20]]
    _check_batches(events, [half, half + 1, half + 2])
    engine = TimingEngine.from_log(
        SETTINGS, [LogEntry(i, e) for i, e in enumerate(events[: half + 1], 1)]
    )
    assert engine.session_best is not None and engine.session_best[1] != lap
