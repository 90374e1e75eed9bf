"""A simulated short-track show like the Clash at the Coliseum: qualifying, heats, the feature.

Pure and seeded: the same seed gives the same events, so the demo doubles as a test fixture.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from timingboard.engine.events import CompetitorSet, Event, Flag, FlagChanged, Passing, Source
from timingboard.engine.lineups import split_heats
from timingboard.engine.settings import LengthUnit, SessionKind, SessionSettings

TRACK = "L.A. Memorial Coliseum"
TRACK_LENGTH_MI = 0.25
EVENT_NAME = "Busch Light Clash"  # at the Coliseum, 2023: the event whose sessions the demo runs

# (car, driver, team, make, best-lap pace in ms), in the order the 2023 Clash qualified: Justin
# Haley's pole (13.413 s, 67.099 mph), Kyle Busch (No. 8 RCR Chevrolet, 13.553), Christopher Bell
# (13.569), William Byron (13.596); AJ Allmendinger, Haley's Kaulig teammate, 8th; the defending
# champion Joey Logano 17th. The paces after the top four are made up, in the real order.
FIELD: tuple[tuple[str, str, str, str, int], ...] = (
    ("31", "Justin Haley", "Kaulig Racing", "Chevrolet", 13413),
    ("8", "Kyle Busch", "Richard Childress Racing", "Chevrolet", 13553),
    ("20", "Christopher Bell", "Joe Gibbs Racing", "Toyota", 13569),
    ("24", "William Byron", "Hendrick Motorsports", "Chevrolet", 13596),
    ("10", "Aric Almirola", "Stewart-Haas Racing", "Ford", 13606),
    ("3", "Austin Dillon", "Richard Childress Racing", "Chevrolet", 13617),
    ("11", "Denny Hamlin", "Joe Gibbs Racing", "Toyota", 13626),
    ("16", "AJ Allmendinger", "Kaulig Racing", "Chevrolet", 13638),
    ("48", "Alex Bowman", "Hendrick Motorsports", "Chevrolet", 13646),
    ("5", "Kyle Larson", "Hendrick Motorsports", "Chevrolet", 13656),
    ("99", "Daniel Suarez", "Trackhouse Racing", "Chevrolet", 13667),
    ("1", "Ross Chastain", "Trackhouse Racing", "Chevrolet", 13676),
    ("21", "Harrison Burton", "Wood Brothers Racing", "Ford", 13688),
    ("4", "Kevin Harvick", "Stewart-Haas Racing", "Ford", 13696),
    ("14", "Chase Briscoe", "Stewart-Haas Racing", "Ford", 13706),
    ("23", "Bubba Wallace", "23XI Racing", "Toyota", 13717),
    ("22", "Joey Logano", "Team Penske", "Ford", 13726),
    ("47", "Ricky Stenhouse Jr.", "JTG Daugherty Racing", "Chevrolet", 13738),
    ("45", "Tyler Reddick", "23XI Racing", "Toyota", 13746),
    ("43", "Erik Jones", "Legacy Motor Club", "Chevrolet", 13756),
    ("42", "Noah Gragson", "Legacy Motor Club", "Chevrolet", 13767),
    ("19", "Martin Truex Jr.", "Joe Gibbs Racing", "Toyota", 13776),
    ("6", "Brad Keselowski", "RFK Racing", "Ford", 13788),
    ("41", "Ryan Preece", "Stewart-Haas Racing", "Ford", 13796),
    ("34", "Michael McDowell", "Front Row Motorsports", "Ford", 13806),
    ("2", "Austin Cindric", "Team Penske", "Ford", 13817),
    ("38", "Todd Gilliland", "Front Row Motorsports", "Ford", 13826),
    ("7", "Corey LaJoie", "Spire Motorsports", "Chevrolet", 13838),
    ("17", "Chris Buescher", "RFK Racing", "Ford", 13846),
    ("9", "Chase Elliott", "Hendrick Motorsports", "Chevrolet", 13856),
    ("15", "JJ Yeley", "Rick Ware Racing", "Ford", 13867),
    ("51", "Cody Ware", "Rick Ware Racing", "Ford", 13876),
    ("77", "Ty Dillon", "Spire Motorsports", "Chevrolet", 13888),
    ("78", "BJ McLeod", "Live Fast Motorsports", "Chevrolet", 13896),
    ("12", "Ryan Blaney", "Team Penske", "Ford", 13906),
    ("54", "Ty Gibbs", "Joe Gibbs Racing", "Toyota", 13917),
)

HEATS = 4
HEAT_LAPS = 25
TRANSFERS_A_HEAT = 5  # the top five of each heat make the feature
FEATURE_LAPS = 150
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


def heat_race(
    grid: list[str], seed: int = 31, laps: int = HEAT_LAPS, number: int = 1, name: str = ""
) -> ScriptedSession:
    """A race of ``laps`` laps from ``grid``, with a caution in the middle and a checkered flag."""
    rng = random.Random(seed * 100 + number)
    settings = SessionSettings(
        name=name or f"Busch Light Clash - Heat {number}",
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
            if lap in caution:  # the field closes up behind the pace car, slower than racing
                bunched = leader_time + 21000 + place * 420
                crossing[car] = max(bunched, crossing[car] + pace[car] * 3 // 2)
            else:
                crossing[car] += pace[car] + 120 + int(abs(rng.gauss(0, 300))) + place * 6
            events.append((crossing[car], _passing(car, crossing[car])))
            _maybe_double_read(rng, car, crossing[car], events)
        _flags_for_lap(lap, laps, caution, crossing[running[0]], events)
    events.sort(key=lambda item: item[0])
    return ScriptedSession(settings, competitors(grid), tuple(events))


def heat_lineups(qualifying_order: list[str], heats: int = HEATS) -> list[list[str]]:
    """The Clash rule: qualifying P1 leads heat 1, P2 heat 2, and so on down the order."""
    return split_heats(qualifying_order, heats)


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
