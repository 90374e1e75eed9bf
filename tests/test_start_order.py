"""A race at 0 laps: the cars that took the start above those never seen, in the order they
crossed (each completed "lap 0" then), the others by grid slot (the walk's hand-timed race read
1, 2, 3, 4 by car number while 31, 8, 20 and 24 had crossed)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from oracle import score
from race_scripts import QUARTER_MILE_RACE, entries, field, run

from timingboard.engine import (
    CompetitorSet,
    Flag,
    FlagChanged,
    LapPenalty,
    Passing,
    TimePenalty,
    TimingEngine,
)

NUMBERS = ["1", "2", "3", "4", "8", "20", "24", "31"]


def _green() -> list:
    return [*field(NUMBERS), FlagChanged(time_ms=0, flag=Flag.GREEN)]


def test_before_anyone_crosses_the_field_reads_its_grid() -> None:
    assert run(QUARTER_MILE_RACE, _green()).order() == NUMBERS


def test_cars_that_took_the_start_lead_in_the_order_they_crossed() -> None:
    events = _green() + [Passing(time_ms=t, car=c) for t, c in [(1000, "31"), (1400, "8")]]
    events += [Passing(time_ms=1800, car="20"), Passing(time_ms=2100, car="24")]
    assert run(QUARTER_MILE_RACE, events).order() == ["31", "8", "20", "24", "1", "2", "3", "4"]


def test_a_start_at_the_same_ms_goes_to_the_grid() -> None:
    events = [*_green(), Passing(time_ms=1000, car="31"), Passing(time_ms=1000, car="8")]
    assert run(QUARTER_MILE_RACE, events).order()[:2] == ["8", "31"]  # 8 on slot 5, 31 on 8


def test_a_crossing_before_the_green_is_not_the_start() -> None:
    events = [*field(NUMBERS), Passing(time_ms=500, car="31")]
    events += [FlagChanged(time_ms=1000, flag=Flag.GREEN), Passing(time_ms=1500, car="24")]
    assert run(QUARTER_MILE_RACE, events).order()[:3] == ["24", "1", "2"]


def test_a_time_penalty_counts_at_0_laps_too() -> None:
    events = [*_green(), Passing(time_ms=1000, car="31"), Passing(time_ms=1400, car="8")]
    events.append(TimePenalty(key="31", ms=1000))
    assert run(QUARTER_MILE_RACE, events).order()[:3] == ["8", "31", "1"]


def test_a_car_a_lap_penalty_takes_to_0_laps_is_still_seen() -> None:
    events = _green() + [Passing(time_ms=t, car="31") for t in (1000, 15000)]
    events += [Passing(time_ms=1400, car="8"), LapPenalty(key="31", laps=1)]
    # 31's lap taken off: at 0 laps, by its last crossing (15 s), after 8's start (1.4 s)
    assert run(QUARTER_MILE_RACE, events).order()[:3] == ["8", "31", "1"]


def test_the_first_lap_completed_still_leads_the_starters() -> None:
    events = _green() + [Passing(time_ms=t, car="31") for t in (1000, 15000)]
    events += [Passing(time_ms=1400, car="8")]
    events.sort(key=lambda e: getattr(e, "time_ms", -1))
    assert run(QUARTER_MILE_RACE, events).order()[:3] == ["31", "8", "1"]


@settings(max_examples=200, deadline=None)
@given(
    grid=st.permutations(NUMBERS),
    crossed=st.lists(
        st.tuples(st.sampled_from(NUMBERS), st.integers(0, 6000)),
        max_size=12,
        unique_by=lambda c: c[0],
    ),
)
def test_at_0_laps_the_board_is_start_order_then_grid_as_the_oracle_says(
    grid: list[str], crossed: list[tuple[str, int]]
) -> None:
    """Every car crosses at most once (the minimum lap is 8 s): the board is the start's order
    (a tie to the grid), then the cars never seen by their grid slot, as the reference says."""
    events: list = [
        CompetitorSet(key=car, car=car, grid=slot) for slot, car in enumerate(grid, start=1)
    ]
    events.append(FlagChanged(time_ms=0, flag=Flag.GREEN))
    events += [Passing(time_ms=t, car=car) for car, t in sorted(crossed, key=lambda c: c[1])]
    log = entries(events)
    engine = TimingEngine.from_log(QUARTER_MILE_RACE, log)
    slot = {car: i for i, car in enumerate(grid)}
    started = sorted(crossed, key=lambda c: (c[1], slot[c[0]]))
    seen = {car for car, _ in crossed}
    expected = [car for car, _ in started] + [car for car in grid if car not in seen]
    assert engine.order() == expected
    assert [row.key for row in score(QUARTER_MILE_RACE, log).rows] == expected
    assert run(QUARTER_MILE_RACE, events).order() == expected  # live, one event at a time
