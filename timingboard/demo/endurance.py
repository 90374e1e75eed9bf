"""A seeded generator of realistic long sessions, for benchmarks and soak tests.

Field size and laps are yours; lap times spread around each car's pace, with pit stops
(a slow in-lap), full-course cautions (everyone slow and bunched), 1% double reads and
passings that arrive up to 50 ms out of order, as decoders deliver them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from timingboard.engine.events import CompetitorSet, Event, Flag, FlagChanged, Passing, Source
from timingboard.engine.settings import LengthUnit, SessionKind, SessionSettings

DOUBLE_READ_RATE = 0.01
ARRIVAL_JITTER_MS = 50


@dataclass(frozen=True, slots=True)
class Workload:
    name: str
    cars: int
    laps: int
    lap_ms: int
    track_length: float


WORKLOADS = (
    Workload("30 karts x 25 laps", 30, 25, 48_000, 0.75),
    Workload("60 cars x 400 laps", 60, 400, 104_000, 3.7),
    Workload("60 cars x 2,000 laps (24 h)", 60, 2000, 42_000, 1.5),
)


def generate(workload: Workload, seed: int = 1) -> tuple[SessionSettings, list[Event]]:
    """Settings and events in arrival order (not quite time order, as real decoders send)."""
    rng = random.Random(seed)
    settings = SessionSettings(
        name=workload.name,
        kind=SessionKind.RACE,
        track_name="Benchmark Raceway",
        track_length=workload.track_length,
        length_unit=LengthUnit.MILES,
        race_laps=workload.laps,
        min_lap_ms=workload.lap_ms // 3,
    )
    cars = [str(n) for n in range(1, workload.cars + 1)]
    events: list[Event] = [
        CompetitorSet(key=c, car=c, driver=f"Driver {c}", grid=i + 1, transponders=(f"T{c}",))
        for i, c in enumerate(cars)
    ]
    events.append(FlagChanged(time_ms=0, flag=Flag.GREEN))
    timed: list[Passing | FlagChanged] = [*_crossings(workload, cars, rng), *_flags(workload, rng)]
    arrivals = sorted(timed, key=lambda e: e.time_ms + rng.randint(0, ARRIVAL_JITTER_MS))
    return settings, events + arrivals


def _crossings(workload: Workload, cars: list[str], rng: random.Random) -> list[Passing]:
    pace = {c: workload.lap_ms * (1 + rng.uniform(0, 0.04)) for c in cars}
    caution_laps = set(rng.sample(range(5, max(6, workload.laps)), k=max(1, workload.laps // 60)))
    passings = []
    for i, car in enumerate(cars):
        t = 300 * i
        passings.append(Passing(time_ms=t, transponder=f"T{car}", source=Source.DECODER))
        for lap in range(1, workload.laps + 1):
            lap_ms = pace[car] * rng.uniform(0.99, 1.02)
            if lap in caution_laps:
                lap_ms *= 1.6
            if rng.random() < 0.02:
                lap_ms += rng.uniform(25_000, 45_000)  # a pit stop
            t += int(lap_ms)
            passings.append(Passing(time_ms=t, transponder=f"T{car}", source=Source.DECODER))
            if rng.random() < DOUBLE_READ_RATE:
                passings.append(
                    Passing(time_ms=t + 180, transponder=f"T{car}", source=Source.DECODER)
                )
    return passings


def _flags(workload: Workload, rng: random.Random) -> list[FlagChanged]:
    flags: list[FlagChanged] = []
    for _ in range(max(1, workload.laps // 100)):
        start = rng.randint(workload.lap_ms * 3, workload.lap_ms * workload.laps)
        flags.append(FlagChanged(time_ms=start, flag=Flag.YELLOW))
        flags.append(FlagChanged(time_ms=start + workload.lap_ms * 3, flag=Flag.GREEN))
    return flags
