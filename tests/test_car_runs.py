"""A car's passings of a batch added in one run give the very laps one ``add`` each gave:
the intake works a batch's laps out car by car (``CarTiming.add_run``)."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from timingboard.engine.car import CarTiming, TimingRules, packed_passing

RULES = st.builds(
    TimingRules,
    start_ms=st.none() | st.integers(0, 3000),
    finish_ms=st.none() | st.integers(2000, 40_000),
    min_lap_ms=st.integers(0, 1500),
    first_crossing_completes_lap=st.booleans(),
    ended_ms=st.none() | st.integers(2000, 40_000),
)
# crossings mostly a lap after the one before, some before it, some double reads
STEPS = st.lists(st.integers(-2500, 4000), max_size=40)
REPORTS = st.lists(st.tuples(st.integers(0, 40_000), st.integers(0, 9) | st.none()), max_size=2)


def _state(timing: CarTiming) -> dict[str, object]:
    return dataclasses.asdict(timing) | {"passings": list(timing.passings)}


@settings(max_examples=500, deadline=None)
@given(RULES, STEPS, st.integers(0, 30), st.sets(st.integers(1, 60)), REPORTS, st.integers(0, 40))
def test_a_run_of_passings_gives_the_laps_of_one_add_each(
    rules: TimingRules,
    steps: list[int],
    split: int,
    invalid: set[int],
    reports: list[tuple[int, int | None]],
    ids_from: int,
) -> None:
    times, clock = [], 500
    for step in steps:
        clock = max(0, clock + step)
        times.append(clock)
    items = [packed_passing(t, ids_from + at + 1) for at, t in enumerate(times)]
    one_by_one, in_runs = CarTiming(), CarTiming()
    for timing in (one_by_one, in_runs):
        timing.reports = sorted((t, at, laps) for at, (t, laps) in enumerate(reports))
    said = [one_by_one.add(item >> 32, item & 0xFFFFFFFF, rules, invalid) for item in items]
    ids = [ids_from + at + 1 for at in range(len(times))]
    retimed = in_runs.add_run(times[:split], ids[:split], rules, invalid)  # two batches
    retimed += [split + at for at in in_runs.add_run(times[split:], ids[split:], rules, invalid)]
    assert retimed == [at for at, appended in enumerate(said) if not appended]
    assert _state(in_runs) == _state(one_by_one)


def test_a_runs_laps_hold_the_passings_own_time_and_id_objects() -> None:
    """A replay's checkpoints hold every lap: made anew from a packed int, each lap's time and
    id were two more int objects (7.3 MB over a 24-hour replay), not the log's."""
    rules = TimingRules(start_ms=0, finish_ms=None, min_lap_ms=0, first_crossing_completes_lap=True)
    times = [int(str(90_000_000 + 60_000 * at)) for at in range(1, 6)]  # objects of their own
    ids = [int(str(70_000 + at)) for at in range(1, 6)]
    timing = CarTiming()
    timing.add(times[0], ids[0], rules, set())  # the car's first: through add, as ever
    assert timing.add_run(times[1:], ids[1:], rules, set()) == []
    assert len(timing.laps) == 5
    assert all(lap.time_ms is t for lap, t in zip(timing.laps, times, strict=True))
    assert all(lap.passing_id is i for lap, i in zip(timing.laps, ids, strict=True))
    assert timing.last_passing is ids[-1]
