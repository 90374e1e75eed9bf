"""A car passed since its own last crossing: the walk's hand race read P2 Bell "+5:38.471" and
P3 Haley "+6.420" (Int "+1 lap"), the sheet "+1 lap" for Haley. Haley's gap had been taken at her
last crossing, long ago, before Bell (ahead of her now by a lap) had completed that lap: a car
that a car ranked ahead of it has passed since reads the laps it is down now, as on the sheet."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st
from oracle import score
from race_scripts import QUARTER_MILE_RACE, entries, field, run

from timingboard.engine import CompetitorSet, Flag, FlagChanged, Gap, Passing, TimingEngine
from timingboard.engine.formatting import format_gap

LEADER, BELL, HALEY, FOURTH = "24", "20", "31", "8"


def hand_race(fourth_ms: int | None = None) -> list:
    """24 leads (laps at 100 s and 200 s); Haley's lap 1 at 106.420 s, then nothing typed for
    her; Bell's lap 1 at 110 s (after Haley's), lap 2 at 538.471 s (5:38.471 after 24's)."""
    events: list = [*field([LEADER, BELL, HALEY, FOURTH])]
    events.append(FlagChanged(time_ms=0, flag=Flag.GREEN))
    crossings = [(0, LEADER), (500, HALEY), (1000, BELL), (1500, FOURTH)]
    crossings += [(100_000, LEADER), (106_420, HALEY), (110_000, BELL), (200_000, LEADER)]
    crossings += [(538_471, BELL)]
    if fourth_ms is not None:
        crossings.append((fourth_ms, FOURTH))
    events += [Passing(time_ms=t, car=car) for t, car in sorted(crossings)]
    return events


def test_the_walks_race_reads_haley_a_lap_down_as_the_sheet() -> None:
    engine = run(QUARTER_MILE_RACE, hand_race())
    assert engine.order()[:3] == [LEADER, BELL, HALEY]
    bell, haley = engine.standing(BELL), engine.standing(HALEY)
    assert format_gap(bell.gap) == "+5:38.471"  # on the lead lap: the time, as the sheet
    assert haley.gap == Gap(laps=1) and haley.interval == Gap(laps=1)
    assert engine.gap(HALEY, LEADER, classification=True) == haley.gap  # the sheet's


def test_a_car_passed_by_one_not_directly_ahead_reads_its_laps_down_too() -> None:
    """8 crossed lap 1 at 108 s, after Haley, before Bell: Haley ahead of it never passed it
    (its interval is a time), Bell did: a lap down, not "+8.000" under Haley's "+1 lap"."""
    engine = run(QUARTER_MILE_RACE, hand_race(fourth_ms=108_000))
    assert engine.order() == [LEADER, BELL, HALEY, FOURTH]
    fourth = engine.standing(FOURTH)
    assert fourth.interval == Gap(ms=108_000 - 106_420)
    assert fourth.gap == Gap(laps=1)


def test_a_car_the_leader_has_lapped_since_but_that_crossed_first_keeps_its_time() -> None:
    """The README's rule stands: 31 crossed lap 1 2 s after the leader; the leader's lap 2 came
    first, 31 has not crossed since: "+2.000", not "+1 lap" each time the leader crosses first."""
    events: list = [*field(["1", "31"]), FlagChanged(time_ms=0, flag=Flag.GREEN)]
    times = [(0, "1"), (500, "31"), (10_000, "1"), (12_000, "31"), (20_000, "1")]
    events += [Passing(time_ms=t, car=car) for t, car in times]
    assert run(QUARTER_MILE_RACE, events).standing("31").gap == Gap(ms=2000)


def test_a_car_passed_on_the_road_by_one_ahead_of_it_on_laps() -> None:
    """Three cars: 2 passed 3 (3 stopped after lap 1); 3 reads a lap down, not its old time."""
    events: list = [*field(["1", "2", "3"]), FlagChanged(time_ms=0, flag=Flag.GREEN)]
    times = [(0, "1"), (200, "3"), (400, "2"), (10_000, "1"), (10_300, "3"), (10_900, "2")]
    times += [(20_000, "1"), (21_000, "2")]
    events += [Passing(time_ms=t, car=car) for t, car in times]
    engine = run(QUARTER_MILE_RACE, events)
    assert engine.order() == ["1", "2", "3"]
    assert engine.standing("2").gap == Gap(ms=1000)
    assert engine.standing("3").gap == Gap(laps=1)  # was "+0.300" under 2's "+1.000"


LAP_TIMES = st.lists(st.integers(9_000, 60_000), min_size=0, max_size=5)


@settings(max_examples=200, deadline=None)
@given(st.lists(LAP_TIMES, min_size=2, max_size=5), st.lists(st.integers(0, 3000), min_size=5))
def test_a_car_passed_since_reads_as_the_sheet_and_as_the_oracle(
    laps: list[list[int]], starts: list[int]
) -> None:
    """Hand races (cars with laps of any length, some stopping early): a car that a car ranked
    ahead of it had not reached at its last crossing reads the laps it is down now, as the
    sheet; every gap as the plain reference scorer has it; live as from scratch."""
    cars = [str(n) for n in range(1, len(laps) + 1)]
    events: list = [*field(cars), FlagChanged(time_ms=0, flag=Flag.GREEN)]
    crossings = []
    for car, start, lap_ms in zip(cars, starts, laps, strict=False):
        at = start
        crossings.append((at, car))
        for lap in lap_ms:
            at += lap
            crossings.append((at, car))
    events += [Passing(time_ms=t, car=car) for t, car in sorted(crossings)]
    log = entries(events)
    engine = TimingEngine.from_log(QUARTER_MILE_RACE, log)
    live = run(QUARTER_MILE_RACE, events)
    rows = engine.standings()
    assert [(r.key, r.gap, r.interval) for r in live.standings()] == [
        (r.key, r.gap, r.interval) for r in rows
    ]
    expected = score(QUARTER_MILE_RACE, log).rows
    assert [(r.key, r.gap) for r in expected] == [
        (r.key, (r.gap.laps, r.gap.ms) if r.gap else None) for r in rows
    ]
    for position, row in enumerate(rows):
        if row.gap is None or not row.last_crossing_ms:
            continue
        mine = engine.laps(row.key)[-1].time_ms if engine.laps(row.key) else None
        ahead = rows[:position]
        passed = mine is not None and any(
            a.laps > row.laps and sum(lap.time_ms <= mine for lap in engine.laps(a.key)) < row.laps
            for a in ahead
        )
        if passed:
            assert row.gap == engine.gap(row.key, rows[0].key, classification=True)
            assert row.gap.laps >= 1


def test_in_a_class_a_car_passed_by_one_of_its_class_reads_its_laps_down() -> None:
    """24, Bell and Haley in GT, 8 in Pro: Haley's class gap to 24 reads the laps she is down
    now ("+1 lap", as the sheet), not "+6.420" under Bell's "+5:38.471"; 8 leads Pro."""
    classes = {LEADER: "GT", BELL: "GT", HALEY: "GT", FOURTH: "Pro"}
    events = [
        dataclasses.replace(e, car_class=classes[e.key]) if isinstance(e, CompetitorSet) else e
        for e in hand_race(fourth_ms=108_000)
    ]
    engine = run(QUARTER_MILE_RACE, events)
    bell, haley = engine.standing(BELL), engine.standing(HALEY)
    assert (bell.class_position, haley.class_position) == (2, 3)
    assert format_gap(bell.class_gap) == "+5:38.471"
    assert haley.class_gap == Gap(laps=1)
    assert engine.gap(HALEY, LEADER, classification=True) == haley.class_gap
    assert engine.standing(FOURTH).class_gap is None  # Pro's leader
    assert engine.from_log(QUARTER_MILE_RACE, list(engine.log)).standings() == engine.standings()


def test_a_late_crossing_of_a_car_ahead_is_read_again_by_every_car_below_it() -> None:
    """B's lap 1 crossing (0:00:11.500) arrives after everything else: until then B seemed to
    have passed C since C's last crossing (C read "+2 laps", the laps down now); with it B had
    completed that lap first, and C reads its own crossing's "+1.000" again. C is two places
    below B and did not move: it was left reading "+2 laps" (a from-scratch board read +1.000)."""
    from race_scripts import TEN_LAPS

    events: list = [*field(["A", "B", "C", "D", "E"]), FlagChanged(time_ms=0, flag=Flag.GREEN)]
    crossings = {"A": [1000, 11_000, 21_000, 31_000], "B": [1100, 25_000, 35_000]}
    crossings |= {"C": [1200, 12_000], "D": [1300, 11_800, 24_000], "E": [1400, 11_900, 36_000]}
    events += [
        Passing(time_ms=t, car=c)
        for t, c in sorted((t, c) for c in crossings for t in crossings[c])
    ]
    engine = run(TEN_LAPS, events)
    assert engine.order() == ["A", "D", "B", "E", "C"]
    assert format_gap(engine.standing("C").gap) == "+2 laps"  # passed by B since, it seems
    engine.apply(entries([Passing(time_ms=11_500, car="B")], engine.seq + 1))
    assert engine.order() == ["A", "B", "D", "E", "C"]
    assert format_gap(engine.standing("C").gap) == "+1.000"
    assert engine.standings() == TimingEngine.from_log(TEN_LAPS, engine.log).standings()
