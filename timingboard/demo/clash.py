"""A simulated short-track show like the Clash at the Coliseum: qualifying, heats, the feature.

Pure and seeded: the same seed gives the same events, so the demo doubles as a test fixture.
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
    SessionEnded,
    Source,
)
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
    """Every car runs a few laps; the fastest lap of each car is within a hair of its pace. All
    are back in the pit lane when the checkered falls, and the timing system ends the session
    then (so none is left running: none takes the flag)."""
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
    events.append((end, SessionEnded(time_ms=end)))
    events.sort(key=lambda item: item[0])
    return ScriptedSession(settings, competitors(), tuple(events))


def heat_race(
    grid: list[str], seed: int = 31, laps: int = HEAT_LAPS, number: int = 1, name: str = ""
) -> ScriptedSession:
    """A race of ``laps`` laps from ``grid``, run as short-track races run: a close field (race
    pace spread over a few tenths, each car's form changing from run to run), passing hard in
    dirty air but easier on restarts, cautions that close the field up, a checkered flag."""
    rng = random.Random(seed * 100 + number)
    settings = SessionSettings(
        name=name or f"Busch Light Clash - Heat {number}",
        kind=SessionKind.RACE,
        track_name=TRACK,
        track_length=TRACK_LENGTH_MI,
        race_laps=laps,
        min_lap_ms=MIN_LAP_MS,
    )
    qualifying_pace = {row[0]: row[4] for row in FIELD}
    pace = {car: race_pace(qualifying_pace[car]) for car in grid}
    caution = caution_laps(laps, rng)
    # how far into its first lap under yellow each caution comes out (the wreck is anywhere)
    yellow_at = {lap: rng.randint(*YELLOW_INTO_LAP_MS) for lap in caution if lap - 1 not in caution}
    events: list[tuple[int, Event]] = [(0, FlagChanged(time_ms=0, flag=Flag.GREEN))]
    crossing = {car: 400 + i * 380 for i, car in enumerate(grid)}
    for car, t in crossing.items():
        events.append((t, _passing(car, t)))
    form, wear = _new_form(grid, rng), rng.randint(*WEAR_MS_A_LAP)
    run_lap = 0  # laps since the green: tyres wear, the field strings out
    for lap in range(1, laps + 1):
        running = sorted(grid, key=crossing.__getitem__)
        leader_time = crossing[running[0]]
        if lap in caution:  # the field closes up behind the pace car, slower than racing
            lead_lap = _caution_lap_ms(rng, yellow_at.get(lap), pace[running[0]])
            behind = 0
            for place, car in enumerate(running):
                behind += RESTART_SPACING_MS + rng.randint(-60, 90) if place else 0
                # closing up, never by more than a few seconds a lap
                slowest = crossing[car] + int(lead_lap * rng.uniform(0.9, 0.99))
                crossing[car] = max(leader_time + lead_lap + behind, slowest)
            form, run_lap = _new_form(grid, rng), 0  # a new run: fresh tyres, a new balance
            wear = rng.randint(*WEAR_MS_A_LAP)
        else:
            run_lap += 1
            ahead: str | None = None
            for car in running:
                best_day = pace[car] - BEST_DAY_MS + rng.randint(0, BEST_DAY_SPREAD_MS)
                floor = crossing[car] + max(qualifying_pace[car], best_day)
                wanted = crossing[car] + pace[car] + form[car] + _run_ms(rng, run_lap, wear)
                wanted = max(floor, wanted + int(rng.gauss(0, LAP_NOISE_MS)))
                if ahead is not None:
                    wanted = _past_or_behind(rng, wanted, floor, crossing[ahead], run_lap)
                crossing[car] = wanted
                ahead = car
        for car in running:
            events.append((crossing[car], _passing(car, crossing[car])))
            _maybe_double_read(rng, car, crossing[car], events)
        leader = min(crossing.values())
        _flags_for_lap(lap, laps, caution, leader, events, yellow_at.get(lap + 1, 0))
    events.sort(key=lambda item: item[0])
    return ScriptedSession(settings, competitors(grid), tuple(events))


POLE_MS = 13413
RACE_PACE_MS = 13_760  # the pole-sitter's race pace on worn tyres in traffic
PACE_SPREAD = 0.30  # of the qualifying gaps: the field is closer in race trim
FORM_MS = 90  # how much a car's pace changes from one run to the next (set-up, tyres)
LAP_NOISE_MS = 90
WEAR_MS_A_LAP = (4, 12)  # a run's tyre fall-off a lap (compound, set-up, how hard it is driven)
WEAR_CAP_MS = 350  # worn tyres go off so far, then hold
COLD_TYRES_MS = (180, 520)  # the first lap of a run, from a rolling start or a restart
BOBBLE_RATE = 0.03  # a lap with a slide, a lift or a lapped car in the way
BOBBLE_MS = (250, 900)
YELLOW_INTO_LAP_MS = (1500, 11_500)  # where in its lap the wreck that brings a caution is
PACE_CAR_LAP_MS = (19_200, 23_800)  # a lap behind the pace car: slow, never the same twice
BEST_DAY_MS = 220  # a car's best race lap beats its race pace by this, never its qualifying lap
BEST_DAY_SPREAD_MS = 80  # ... give or take: its best laps are not all the same thousandth
RESTART_SPACING_MS = 240  # nose to tail behind the pace car
CLEAN_AIR_GAP_MS = 260  # closer than this behind a car, a car is held up in its dirty air
CAUTION_RATE = 0.04  # a wreck's chance on a lap of a feature (the Clash had many)
RESTART_LAPS = 3  # the laps after a green when the field is close and passing easier


def race_pace(qualifying_ms: int) -> int:
    """A car's race pace from its qualifying lap: slower, and closer to the others."""
    return RACE_PACE_MS + int((qualifying_ms - POLE_MS) * PACE_SPREAD)


def caution_laps(laps: int, rng: random.Random) -> set[int]:
    """The laps run under yellow: a heat's one caution, three to five laps from a wreck anywhere
    from the first third to a few laps from the end (every heat went yellow on lap 11 for 58 s
    when it was at half distance); a feature's break at half distance (the Clash's) and a few
    wrecks besides, each three to five laps."""
    if laps <= 40:
        first = rng.randint(max(2, laps // 4), max(2, laps - 7))
        return (
            set(range(first, min(laps - 2, first + rng.randint(2, 4)) + 1)) if laps > 4 else set()
        )
    caution = set(range(laps // 2, laps // 2 + 3))
    lap = 10
    while lap < laps - 8:
        if rng.random() < CAUTION_RATE and not caution & set(range(lap - 8, lap + 12)):
            caution |= set(range(lap, lap + rng.randint(3, 5)))
            lap += 12
        lap += 1
    return caution


def _run_ms(rng: random.Random, run_lap: int, wear: int) -> int:
    """What a lap of a run adds to a car's pace: cold tyres on its first lap, the wear since,
    and now and then a slide or a lapped car in the way."""
    added = min(run_lap * wear, WEAR_CAP_MS)
    if run_lap == 1:
        added += rng.randint(*COLD_TYRES_MS)
    if rng.random() < BOBBLE_RATE:
        added += rng.randint(*BOBBLE_MS)
    return added


def _caution_lap_ms(rng: random.Random, yellow_at: int | None, racing_ms: int) -> int:
    """The leader's lap under yellow: behind the pace car, or (the lap the yellow came out in,
    ``yellow_at`` into it) racing until then and slow for the rest."""
    slow = rng.randint(*PACE_CAR_LAP_MS)
    if yellow_at is None:
        return slow
    raced = min(yellow_at, racing_ms)
    return raced + int((1 - raced / racing_ms) * slow)


def _new_form(grid: list[str], rng: random.Random) -> dict[str, int]:
    return {car: int(rng.gauss(0, FORM_MS)) for car in grid}


def _past_or_behind(rng: random.Random, wanted: int, floor: int, ahead: int, run_lap: int) -> int:
    """A car that catches the one ahead passes it or is held up behind it: the faster it is,
    the likelier the pass; on a restart the field is close and a pass likelier still."""
    if wanted >= ahead + CLEAN_AIR_GAP_MS:
        return wanted  # in clean air
    faster_by = ahead + CLEAN_AIR_GAP_MS - wanted
    chance = min(0.6, 0.08 + faster_by / 900 + (0.2 if run_lap <= RESTART_LAPS else 0.0))
    passed = max(floor, min(wanted, ahead - rng.randint(40, 160)))
    if passed < ahead and rng.random() < chance:
        return passed
    return max(wanted, ahead + CLEAN_AIR_GAP_MS // 2 + rng.randint(0, 120))


def heat_lineups(qualifying_order: list[str], heats: int = HEATS) -> list[list[str]]:
    """The Clash rule: qualifying P1 leads heat 1, P2 heat 2, and so on down the order."""
    return split_heats(qualifying_order, heats)


def _flags_for_lap(
    lap: int,
    laps: int,
    caution: set[int],
    leader_time: int,
    events: list[tuple[int, Event]],
    yellow_at: int,
) -> None:
    if lap + 1 in caution and lap not in caution:
        at = leader_time + yellow_at
        events.append((at, FlagChanged(time_ms=at, flag=Flag.YELLOW)))
    if lap in caution and lap + 1 not in caution:
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
