"""A simulated short-track show like the Clash at the Coliseum: qualifying, then a heat race.

Pure and seeded: the same seed gives the same events, so the demo doubles as a test fixture.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from timingboard.engine.events import CompetitorSet, Event, Flag, FlagChanged, Passing, Source
from timingboard.engine.settings import LengthUnit, SessionKind, SessionSettings

TRACK = "L.A. Memorial Coliseum"
TRACK_LENGTH_MI = 0.25

# (car, driver, team, make, best-lap pace in ms); the first four are the real top four.
FIELD: tuple[tuple[str, str, str, str, int], ...] = (
    ("31", "Justin Haley", "Kaulig Racing", "Chevrolet", 13413),
    ("18", "Kyle Busch", "Joe Gibbs Racing", "Toyota", 13553),
    ("20", "Christopher Bell", "Joe Gibbs Racing", "Toyota", 13569),
    ("24", "William Byron", "Hendrick Motorsports", "Chevrolet", 13596),
    ("5", "Kyle Larson", "Hendrick Motorsports", "Chevrolet", 13611),
    ("11", "Denny Hamlin", "Joe Gibbs Racing", "Toyota", 13622),
    ("12", "Ryan Blaney", "Team Penske", "Ford", 13634),
    ("22", "Joey Logano", "Team Penske", "Ford", 13641),
    ("9", "Chase Elliott", "Hendrick Motorsports", "Chevrolet", 13652),
    ("19", "Martin Truex Jr.", "Joe Gibbs Racing", "Toyota", 13660),
    ("45", "Kurt Busch", "23XI Racing", "Toyota", 13671),
    ("14", "Chase Briscoe", "Stewart-Haas Racing", "Ford", 13679),
    ("4", "Kevin Harvick", "Stewart-Haas Racing", "Ford", 13688),
    ("8", "Tyler Reddick", "Richard Childress Racing", "Chevrolet", 13694),
    ("1", "Ross Chastain", "Trackhouse Racing", "Chevrolet", 13702),
    ("99", "Daniel Suarez", "Trackhouse Racing", "Chevrolet", 13711),
    ("3", "Austin Dillon", "Richard Childress Racing", "Chevrolet", 13719),
    ("2", "Austin Cindric", "Team Penske", "Ford", 13727),
    ("47", "Ricky Stenhouse Jr.", "JTG Daugherty Racing", "Chevrolet", 13736),
    ("48", "Alex Bowman", "Hendrick Motorsports", "Chevrolet", 13744),
    ("23", "Bubba Wallace", "23XI Racing", "Toyota", 13753),
    ("17", "Chris Buescher", "RFK Racing", "Ford", 13761),
    ("6", "Brad Keselowski", "RFK Racing", "Ford", 13770),
    ("10", "Aric Almirola", "Stewart-Haas Racing", "Ford", 13779),
    ("34", "Michael McDowell", "Front Row Motorsports", "Ford", 13788),
    ("43", "Erik Jones", "Petty GMS", "Chevrolet", 13797),
    ("42", "Ty Dillon", "Petty GMS", "Chevrolet", 13806),
    ("21", "Harrison Burton", "Wood Brothers Racing", "Ford", 13815),
    ("41", "Cole Custer", "Stewart-Haas Racing", "Ford", 13824),
    ("38", "Todd Gilliland", "Front Row Motorsports", "Ford", 13833),
    ("7", "Corey LaJoie", "Spire Motorsports", "Chevrolet", 13842),
    ("77", "Landon Cassill", "Spire Motorsports", "Chevrolet", 13851),
    ("51", "Cody Ware", "Rick Ware Racing", "Ford", 13860),
    ("15", "Garrett Smithley", "Rick Ware Racing", "Ford", 13869),
    ("78", "BJ McLeod", "Live Fast Motorsports", "Ford", 13878),
    ("16", "Daniel Hemric", "Kaulig Racing", "Chevrolet", 13887),
)

MIN_LAP_MS = 8000
DOUBLE_READ_RATE = 0.01


@dataclass(frozen=True, slots=True)
class ScriptedSession:
    """A session's settings and its events in the order they happen, each with its time."""

    settings: SessionSettings
    competitors: tuple[CompetitorSet, ...]
    events: tuple[tuple[int, Event], ...]

    @property
    def duration_ms(self) -> int:
        return self.events[-1][0] if self.events else 0


def competitors(grid: list[str] | None = None) -> tuple[CompetitorSet, ...]:
    """The field, in ``grid`` order with grid slots when one is given."""
    by_car = {car: (car, driver, team, make) for car, driver, team, make, _ in FIELD}
    cars = grid if grid is not None else [row[0] for row in FIELD]
    return tuple(
        CompetitorSet(
            key=car,
            car=car,
            driver=by_car[car][1],
            team=by_car[car][2],
            make=by_car[car][3],
            car_class="Cup",
            transponders=(f"{1000 + i:04d}{car}",),
            grid=(i + 1) if grid is not None else None,
        )
        for i, car in enumerate(cars)
    )


def qualifying(seed: int = 31, laps_each: int = 4) -> ScriptedSession:
    """Every car runs a few laps; the fastest lap of each car is within a hair of its pace."""
    rng = random.Random(seed)
    settings = SessionSettings(
        name="Busch Light Clash - Qualifying",
        kind=SessionKind.QUALIFYING,
        track_name=TRACK,
        track_length=TRACK_LENGTH_MI,
        length_unit=LengthUnit.MILES,
        min_lap_ms=MIN_LAP_MS,
    )
    events: list[tuple[int, Event]] = [(0, FlagChanged(time_ms=0, flag=Flag.GREEN))]
    order = list(FIELD)
    rng.shuffle(order)
    for slot, (car, _, _, _, pace) in enumerate(order):
        t = 2000 + slot * 4100
        events.append((t, _passing(car, t)))
        best_lap = rng.randrange(1, laps_each + 1)
        for lap in range(1, laps_each + 1):
            t += pace if lap == best_lap else pace + rng.randint(40, 420)
            events.append((t, _passing(car, t)))
            _maybe_double_read(rng, car, t, events)
    end = max(t for t, _ in events) + 1500
    events.append((end, FlagChanged(time_ms=end, flag=Flag.CHECKERED)))
    events.sort(key=lambda item: item[0])
    return ScriptedSession(settings, competitors(), tuple(events))


def heat_race(grid: list[str], seed: int = 31, laps: int = 25, number: int = 1) -> ScriptedSession:
    """A heat of ``laps`` laps from ``grid``, with a caution in the middle and a checkered flag."""
    rng = random.Random(seed * 100 + number)
    settings = SessionSettings(
        name=f"Busch Light Clash - Heat {number}",
        kind=SessionKind.RACE,
        track_name=TRACK,
        track_length=TRACK_LENGTH_MI,
        race_laps=laps,
        min_lap_ms=MIN_LAP_MS,
    )
    pace = {row[0]: row[4] for row in FIELD}
    caution = set(range(laps // 2, laps // 2 + 3))
    events: list[tuple[int, Event]] = [(0, FlagChanged(time_ms=0, flag=Flag.GREEN))]
    crossing = {car: 400 + i * 380 for i, car in enumerate(grid)}
    for car, t in crossing.items():
        events.append((t, _passing(car, t)))
    for lap in range(1, laps + 1):
        running = sorted(grid, key=crossing.__getitem__)
        leader_time = crossing[running[0]]
        for place, car in enumerate(running):
            if lap in caution:
                crossing[car] = leader_time + 21000 + place * 420
            else:
                crossing[car] += pace[car] + 120 + int(abs(rng.gauss(0, 300))) + place * 6
            events.append((crossing[car], _passing(car, crossing[car])))
            _maybe_double_read(rng, car, crossing[car], events)
        _flags_for_lap(lap, laps, caution, crossing[running[0]], events)
    events.sort(key=lambda item: item[0])
    return ScriptedSession(settings, competitors(grid), tuple(events))


def heat_lineups(qualifying_order: list[str], heats: int = 4) -> list[list[str]]:
    """The Clash rule: qualifying P1 leads heat 1, P2 heat 2, and so on down the order."""
    return [qualifying_order[i::heats] for i in range(heats)]


def _flags_for_lap(
    lap: int, laps: int, caution: set[int], leader_time: int, events: list[tuple[int, Event]]
) -> None:
    if lap == min(caution) - 1:
        events.append(
            (leader_time + 5000, FlagChanged(time_ms=leader_time + 5000, flag=Flag.YELLOW))
        )
    if lap == max(caution):
        events.append((leader_time + 1, FlagChanged(time_ms=leader_time + 1, flag=Flag.GREEN)))
    if lap == laps - 1:
        events.append((leader_time + 1, FlagChanged(time_ms=leader_time + 1, flag=Flag.WHITE)))
    if lap == laps:
        events.append((leader_time, FlagChanged(time_ms=leader_time, flag=Flag.CHECKERED)))


def _passing(car: str, time_ms: int) -> Passing:
    return Passing(time_ms=time_ms, car=car, source=Source.DECODER)


def _maybe_double_read(
    rng: random.Random, car: str, time_ms: int, events: list[tuple[int, Event]]
) -> None:
    if rng.random() < DOUBLE_READ_RATE:
        events.append((time_ms + 250, _passing(car, time_ms + 250)))
