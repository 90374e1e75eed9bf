"""A seeded generator of realistic long sessions, for benchmarks and soak tests.

Field size and laps are yours; lap times spread around each car's pace, with pit stops
(a slow in-lap), full-course cautions (everyone slow and bunched), 1% double reads and
passings that arrive up to 50 ms out of order, as decoders deliver them. A workload may also
have classes (each with its own pace), be a timed race (laps run until the clock runs out) and
make its pit stops by stints, each seen by the pit loop (a pit-lane entry and exit).

The benchmarks take a workload by its key (``--workload 24h``): :data:`WORKLOADS` are the three
every benchmark runs by default, :data:`SCALE_WORKLOADS` the big fields and the 24-hour race
with classes and pit stops.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from timingboard.engine.events import (
    CompetitorSet,
    Event,
    Flag,
    FlagChanged,
    Passing,
    PitLane,
    Source,
)
from timingboard.engine.settings import LengthUnit, SessionKind, SessionSettings

DOUBLE_READ_RATE = 0.01
ARRIVAL_JITTER_MS = 50


HOUR_MS = 3_600_000


@dataclass(frozen=True, slots=True)
class CarClass:
    """A class of the field: its name, its share of the cars and its pace (1.0: the fastest)."""

    name: str
    cars: int
    pace: float


@dataclass(frozen=True, slots=True)
class Workload:
    """``laps`` is each car's most laps; a timed race (``duration_ms``) ends when its clock
    runs out, so slower classes run fewer. ``stint_laps`` > 0: pit stops every that many laps
    or so, through the pit loop, in place of the random slow laps."""

    name: str
    cars: int
    laps: int
    lap_ms: int
    track_length: float
    key: str = ""
    classes: tuple[CarClass, ...] = ()
    duration_ms: int | None = None
    stint_laps: int = 0


WORKLOADS = (
    Workload("30 karts x 25 laps", 30, 25, 48_000, 0.75, key="karts"),
    Workload("60 cars x 400 laps", 60, 400, 104_000, 3.7, key="400"),
    Workload("60 cars x 2,000 laps (24 h)", 60, 2000, 42_000, 1.5, key="24h"),
)
SCALE_WORKLOADS = (
    Workload("200 cars x 600 laps", 200, 600, 95_000, 3.2, key="200x600"),
    Workload(
        "24 h x 60 cars, 3 classes, pit stops",
        60,
        2200,
        42_000,
        1.5,
        key="24h-classes",
        classes=(
            CarClass("Prototype", 20, 1.0),
            CarClass("LMP3", 20, 1.07),
            CarClass("GT", 20, 1.14),
        ),
        duration_ms=24 * HOUR_MS,
        stint_laps=55,
    ),
)
ALL_WORKLOADS = WORKLOADS + SCALE_WORKLOADS
PIT_STOP_MS = (28_000, 65_000)  # time in the pit lane, as the pit loop sees it


def workload_named(key: str) -> Workload:
    """A workload by its key (``24h``, ``200x600``…), or ValueError naming the keys."""
    for workload in ALL_WORKLOADS:
        if workload.key == key:
            return workload
    raise ValueError(f"no workload {key!r}; choose from {', '.join(workload_keys())}")


def workload_keys() -> list[str]:
    return [workload.key for workload in ALL_WORKLOADS]


def class_of(workload: Workload, index: int) -> CarClass | None:
    """The class of the ``index``-th car (0 …): the classes take the grid in blocks."""
    for car_class in workload.classes:
        if index < car_class.cars:
            return car_class
        index -= car_class.cars
    return workload.classes[-1] if workload.classes else None


def generate(workload: Workload, seed: int = 1) -> tuple[SessionSettings, list[Event]]:
    """Settings and events in arrival order (not quite time order, as real decoders send)."""
    rng = random.Random(seed)
    settings = SessionSettings(
        name=workload.name,
        kind=SessionKind.RACE,
        track_name="Benchmark Raceway",
        track_length=workload.track_length,
        length_unit=LengthUnit.MILES,
        race_laps=None if workload.duration_ms else workload.laps,
        race_duration_ms=workload.duration_ms,
        min_lap_ms=workload.lap_ms // 3,
    )
    cars = [str(n) for n in range(1, workload.cars + 1)]
    events: list[Event] = [
        CompetitorSet(
            key=c,
            car=c,
            driver=f"Driver {c}",
            car_class=car_class.name if (car_class := class_of(workload, i)) else "",
            grid=i + 1,
            transponders=(f"T{c}",),
        )
        for i, c in enumerate(cars)
    ]
    events.append(FlagChanged(time_ms=0, flag=Flag.GREEN))
    timed: list[Passing | FlagChanged | PitLane] = [
        *_crossings(workload, cars, rng),
        *_flags(workload, rng),
    ]
    arrivals = sorted(timed, key=lambda e: e.time_ms + rng.randint(0, ARRIVAL_JITTER_MS))
    return settings, events + arrivals


def _crossings(workload: Workload, cars: list[str], rng: random.Random) -> list[Passing | PitLane]:
    pace = {c: workload.lap_ms * (1 + rng.uniform(0, 0.04)) for c in cars}
    caution_laps = set(rng.sample(range(5, max(6, workload.laps)), k=max(1, workload.laps // 60)))
    passings: list[Passing | PitLane] = []
    for i, car in enumerate(cars):
        t = 300 * i
        car_class = class_of(workload, i)
        car_pace = pace[car] * (car_class.pace if car_class else 1.0)
        next_stop = _stint(workload, rng)
        # the checkered falls at the leader's first crossing after the clock ran out, at most
        # about a lap later: every car crosses after it once, some on their slowing-down lap
        last_ms = (
            workload.duration_ms + int(1.3 * workload.lap_ms) if workload.duration_ms else None
        )
        passings.append(Passing(time_ms=t, transponder=f"T{car}", source=Source.DECODER))
        for lap in range(1, workload.laps + 1):
            if last_ms is not None and t > last_ms:
                break
            lap_ms = car_pace * rng.uniform(0.99, 1.02)
            if lap in caution_laps:
                lap_ms *= 1.6
            if not workload.stint_laps:
                if rng.random() < 0.02:
                    lap_ms += rng.uniform(25_000, 45_000)  # a pit stop
            elif lap == next_stop:
                lap_ms += _pit_stop(car, t + int(lap_ms * 0.97), rng, passings)
                next_stop += _stint(workload, rng)
            t += int(lap_ms)
            passings.append(Passing(time_ms=t, transponder=f"T{car}", source=Source.DECODER))
            if rng.random() < DOUBLE_READ_RATE:
                passings.append(
                    Passing(time_ms=t + 180, transponder=f"T{car}", source=Source.DECODER)
                )
    return passings


def _stint(workload: Workload, rng: random.Random) -> int:
    """Laps to the next pit stop: a stint on a tank, give or take a few laps."""
    return workload.stint_laps + rng.randint(-5, 5) if workload.stint_laps else 0


def _pit_stop(car: str, entry_ms: int, rng: random.Random, out: list[Passing | PitLane]) -> int:
    """A stop through the pit loop, entered at ``entry_ms``: its events into ``out``; returns
    the time it adds to the lap."""
    stop_ms = int(rng.uniform(*PIT_STOP_MS))
    out.append(PitLane(key=car, time_ms=entry_ms, entered=True, source=Source.DECODER))
    out.append(PitLane(key=car, time_ms=entry_ms + stop_ms, entered=False, source=Source.DECODER))
    return stop_ms


def _flags(workload: Workload, rng: random.Random) -> list[FlagChanged]:
    flags: list[FlagChanged] = []
    last_ms = workload.duration_ms or workload.lap_ms * workload.laps
    for _ in range(max(1, workload.laps // 100)):
        start = rng.randint(workload.lap_ms * 3, last_ms)
        flags.append(FlagChanged(time_ms=start, flag=Flag.YELLOW))
        flags.append(FlagChanged(time_ms=start + workload.lap_ms * 3, flag=Flag.GREEN))
    return flags
