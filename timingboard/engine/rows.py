"""One row of the board: what the board shows for a car at a position.

Gaps are taken as of each car's own last crossing: the time between the reference car and this
one at the line on this car's latest lap, or whole laps down when the reference was a lap or more
ahead by then. In practice and qualifying they are differences of best laps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from timingboard.engine.pits import pit_summary
from timingboard.engine.sectors import sector_marks
from timingboard.engine.standings import CarStatus, Gap, Standing

if TYPE_CHECKING:
    from timingboard.engine.engine import Entry, TimingEngine


def build_row(engine: TimingEngine, key: str, position: int) -> Standing:
    """The row of one car at one position of the board."""
    entry = engine.entries[key]
    timing = entry.timing
    competitor = entry.competitor
    last, best = timing.last_lap, timing.best
    lap_penalty = engine.tables.lap_penalty.get(key, 0)
    time_penalty = engine.tables.time_penalty.get(key, 0)
    ahead = engine.board_order[position - 1] if position else None
    total = None
    if last is not None and timing.origin_ms is not None:
        total = last.time_ms - timing.origin_ms + time_penalty
    return Standing(
        key=key,
        position=position + 1,
        car=entry.label,
        driver=competitor.driver if competitor else "",
        team=competitor.team if competitor else "",
        make=competitor.make if competitor else "",
        car_class=competitor.car_class if competitor else "",
        known=competitor is not None,
        laps=max(0, timing.lap_count - lap_penalty),
        last_lap_ms=last.duration_ms if last else None,
        last_lap_personal_best=bool(last and last.personal_best),
        best_lap_ms=best.duration_ms if best else None,
        best_lap_number=best.number if best else None,
        holds_session_best=bool(engine.session_best and engine.session_best[0] == key),
        gap=gap(engine, key, engine.board_order[0]),
        interval=gap(engine, key, ahead) if ahead else None,
        last_speed=engine.settings.speed(last.duration_ms if last else None),
        best_speed=engine.settings.speed(best.duration_ms if best else None),
        total_ms=total,
        laps_led=engine.leaders.laps_led.get(key, 0) if engine.settings.is_race else 0,
        gained=gained(engine, entry, position),
        status=status_of(engine, key),
        time_penalty_ms=time_penalty,
        lap_penalty=lap_penalty,
        last_crossing_ms=timing.passings[-1][0] if timing.passings else None,
        unseen_laps=tuple(timing.unseen),
        **class_fields(engine, key),
        **pit_fields(engine, key),
        **sector_fields(engine, key),
    )


def class_fields(engine: TimingEngine, key: str) -> dict[str, Any]:
    place = engine.class_places.get(key)
    if place is None:
        return {}
    return {
        "class_position": place.position,
        "class_gap": gap(engine, key, place.leader),
        "holds_class_best": place.best_holder == key,
    }


def pit_fields(engine: TimingEngine, key: str) -> dict[str, Any]:
    events = engine.pit_events.get(key, ())
    marks = engine.tables.pit_marks.get(key)
    if marks:
        events = tuple(sorted((*events, *marks)))
    if not events:
        return {}
    summary = pit_summary(events)
    last_lap = None
    if summary.last_in_ms is not None:
        last_lap = engine.entries[key].timing.laps_completed_by(summary.last_in_ms) + 1
    return {
        "pit_stops": summary.stops,
        "last_pit_lap": last_lap,
        "last_pit_ms": summary.last_stop_ms,
        "in_pit": summary.in_pit_since is not None,
    }


def sector_fields(engine: TimingEngine, key: str) -> dict[str, Any]:
    car = engine.car_sectors.get(key)
    if car is None:
        return {}
    return {"sectors": car.latest, "sector_marks": sector_marks(key, car, engine.sector_bests)}


def status_of(engine: TimingEngine, key: str) -> CarStatus:
    if key in engine.tables.disqualified:
        return CarStatus.DSQ
    if key in engine.tables.retired:
        return CarStatus.DNF
    if engine.entries[key].timing.finished:
        return CarStatus.FINISHED
    return CarStatus.RUNNING


def gained(engine: TimingEngine, entry: Entry, position: int) -> int | None:
    grid = entry.competitor.grid if entry.competitor else None
    if not engine.settings.is_race or grid is None:
        return None
    return grid - (position + 1)


def gap(engine: TimingEngine, key: str, ref: str) -> Gap | None:
    """How far ``key`` is behind ``ref``: as of its own last crossing in a race."""
    if key == ref or key in engine.tables.disqualified:
        return None
    mine, theirs = engine.entries[key].timing, engine.entries[ref].timing
    if not engine.settings.is_race:
        if mine.best is None or theirs.best is None:
            return None
        return Gap(ms=mine.best.duration_ms - theirs.best.duration_ms)
    laps = mine.lap_count - engine.tables.lap_penalty.get(key, 0)
    if laps <= 0 or mine.last_lap is None:
        return None
    my_time = mine.last_lap.time_ms + engine.tables.time_penalty.get(key, 0)
    ref_lp = engine.tables.lap_penalty.get(ref, 0)
    ref_tp = engine.tables.time_penalty.get(ref, 0)
    down = theirs.laps_completed_by(my_time - ref_tp) - ref_lp - laps
    if down >= 1:
        return Gap(laps=down)
    index = laps + ref_lp - 1
    if not 0 <= index < theirs.lap_count:
        return None
    return Gap(ms=my_time - (theirs.lap_times[index] + ref_tp))
