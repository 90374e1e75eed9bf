"""Race scripts shared by the engine tests and the Qt tests: events a race produces, by name."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from timingboard.engine import (
    CompetitorSet,
    Event,
    Flag,
    FlagChanged,
    LogEntry,
    Passing,
    SessionKind,
    SessionSettings,
    TimingEngine,
)

CLASH_TOP_FOUR = (
    ("31", "Justin Haley", 13413),
    ("8", "Kyle Busch", 13553),
    ("20", "Christopher Bell", 13569),
    ("24", "William Byron", 13596),
)

QUARTER_MILE_QUALIFYING = SessionSettings(
    name="Clash qualifying",
    kind=SessionKind.QUALIFYING,
    track_name="Coliseum",
    track_length=0.25,
    min_lap_ms=8000,
)

QUARTER_MILE_RACE = SessionSettings(
    name="Heat 1",
    kind=SessionKind.RACE,
    track_name="Coliseum",
    track_length=0.25,
    race_laps=10,
    min_lap_ms=8000,
)


def entries(events: Sequence[Event], first_seq: int = 1) -> list[LogEntry]:
    return [LogEntry(first_seq + i, e) for i, e in enumerate(events)]


def run(settings: SessionSettings, events: Sequence[Event]) -> TimingEngine:
    """Apply events one at a time, as a live feed would."""
    engine = TimingEngine(settings)
    for entry in entries(events):
        engine.apply([entry])
    return engine


def field(cars: Sequence[str], grid: bool = True) -> list[CompetitorSet]:
    return [
        CompetitorSet(key=car, car=car, driver=f"Driver {car}", grid=(i + 1) if grid else None)
        for i, car in enumerate(cars)
    ]


def clash_qualifying() -> list[Event]:
    """The real top four: each car's out lap, then its best lap, run in reverse order."""
    events: list[Event] = [
        CompetitorSet(key=car, car=car, driver=driver) for car, driver, _ in CLASH_TOP_FOUR
    ]
    events.append(FlagChanged(time_ms=0, flag=Flag.GREEN))
    for slot, (car, _, best) in enumerate(reversed(CLASH_TOP_FOUR)):
        start = 1000 + slot * 60_000
        events += [
            Passing(time_ms=start, car=car),
            Passing(time_ms=start + best + 250, car=car),
            Passing(time_ms=start + 2 * best + 250, car=car),
        ]
    return events


def laps_at(car: str, start_ms: int, lap_ms: int, laps: int) -> list[Passing]:
    """A car's start crossing and ``laps`` steady laps after it."""
    return [Passing(time_ms=start_ms + i * lap_ms, car=car) for i in range(laps + 1)]


def three_car_race() -> list[Event]:
    """Car 2 passes car 1 on lap 3; car 3 is lapped by lap 5."""
    events: list[Event] = [*field(["1", "2", "3"]), FlagChanged(time_ms=0, flag=Flag.GREEN)]
    crossings = {"1": [0, 14000, 28000, 42600, 57200], "2": [300, 14200, 28150, 42300, 56600]}
    crossings["3"] = [600, 16000, 31500, 47000, 62500]
    timed = [(t, car) for car, times in crossings.items() for t in times]
    events += [Passing(time_ms=t, car=car) for t, car in sorted(timed)]
    return events


def merged_in_time(*streams: Sequence[Passing]) -> list[Passing]:
    return sorted((p for s in streams for p in s), key=lambda p: p.time_ms)


def two_class_race() -> list[Event]:
    """Cars 1 and 2 in GT (2 the faster), 3 and 4 in Pro (4 a lap down by the end)."""
    field = [
        CompetitorSet(key=car, car=car, driver=f"Driver {car}", car_class=cls)
        for car, cls in (("1", "GT"), ("2", "GT"), ("3", "Pro"), ("4", "Pro"))
    ]
    passings = merged_in_time(
        laps_at("2", 100, 14_000, 6),
        laps_at("1", 300, 14_200, 6),
        laps_at("3", 500, 15_000, 5),
        laps_at("4", 700, 20_000, 3),
    )
    return [*field, FlagChanged(time_ms=0, flag=Flag.GREEN), *passings]


TEN_LAPS = dataclasses.replace(QUARTER_MILE_RACE, race_laps=10, min_lap_ms=5000)


def ten_lap_race() -> list[Event]:
    """The walk's race typed by hand: 16, 31 and 8 over 10 laps, 0.3 s apart at the line (the
    session ends with lap 10)."""
    events: list[Event] = [*field(["16", "31", "8"]), FlagChanged(time_ms=0, flag=Flag.GREEN)]
    for lap in range(0, 11):
        base = 1000 + lap * 10_000
        events += [
            Passing(time_ms=base, car="16"),
            Passing(time_ms=base + 300, car="31"),
            Passing(time_ms=base + 600, car="8"),
        ]
    return events
