"""One row of the board: what the board shows for a car at a position.

Gaps on the board are taken as of each car's own last crossing: the time between the reference
car and this one at the line on this car's latest lap, or whole laps down when the reference was a
lap or more ahead by then (so a car two seconds behind does not read "+1 lap" while the leader has
crossed and it has not yet). Where that cannot be known (the reference's lap was not seen here) or
would contradict the order (the reference crossed later, then went a lap further; or, for the
gap to the leader or the class leader, any car ranked ahead did, of its class for the latter:
:func:`passed_since`), and for a car
whose result is final (:func:`result_final`: out of the race, finished, or the session ended),
the gap is the difference in laps now, as in a classification; so it is too where a lap
penalty cut the laps of either car (no crossing of it was made at the lap count it is scored at
now: a time from one would measure from a crossing of another lap). A car still on track after the
checkered is not finished until its next crossing (that may put it on the leader's lap): until
then its gap is that of its own last crossing, where a results sheet printed meanwhile counts
its laps now; once the session is ended (the timing system's end of session, logged as
``SessionEnded``) it will not come round again, and the board reads it as the sheet does. A gap
is never negative. In practice and qualifying gaps are differences of best laps.

A car's total is the time of its last counted crossing since the start (the green flag; without
one, the first crossing of the session, or session time zero for a session joined late).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from timingboard.engine.car import Lap
from timingboard.engine.pits import pit_summary
from timingboard.engine.records import Entry
from timingboard.engine.sectors import sector_marks
from timingboard.engine.standings import CarStatus, Gap, Standing
from timingboard.engine.state import EngineState


def build_row(engine: EngineState, key: str, position: int) -> Standing:
    """The row of one car at one position of the board."""
    entry = engine.entries[key]
    timing = entry.timing
    competitor = entry.competitor
    last, best, reported = timing.last_lap, timing.best, timing.reported_better
    lap_penalty = engine.tables.lap_penalty.get(key, 0)
    time_penalty = engine.tables.time_penalty.get(key, 0)
    ahead = engine.board_order[position - 1] if position else None
    to_leader, live = board_gap(engine, key, engine.board_order[0])
    if to_leader is not None and passed_since(engine, key, position):
        # laps down now, as the sheet: the leader's next lap changes it
        to_leader, live = gap(engine, key, engine.board_order[0], classification=True), True
    to_ahead, live_ahead = board_gap(engine, key, ahead) if ahead else (None, False)
    classes = class_fields(engine, key, position)
    live_in_class = classes.pop("live", False)
    if live or live_ahead or live_in_class:
        engine.live_gaps.add(key)
    else:
        engine.live_gaps.discard(key)
    total = None
    zero = engine.zero_ms
    if last is not None and zero is not None:
        total = last.time_ms - zero + time_penalty
    timed = last is not None and last.timed
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
        last_lap_ms=last.duration_ms if last and timed else None,
        last_lap_personal_best=is_personal_best(last, best, reported),
        best_lap_ms=best.duration_ms if best else None,
        best_lap_number=best.number if best else None,
        reported_best_ms=reported.duration_ms if reported else None,
        reported_best_number=(reported.number or None) if reported else None,
        holds_session_best=bool(engine.session_best and engine.session_best[0] == key),
        gap=to_leader,
        interval=to_ahead,
        last_speed=engine.settings.speed(last.duration_ms if last and timed else None),
        best_speed=engine.settings.speed(best.duration_ms if best else None),
        total_ms=total,
        laps_led=engine.known_laps_led().get(key, 0) if engine.settings.is_race else 0,
        gained=gained(engine, entry, position),
        status=status_of(engine, key),
        result_final=result_final(engine, key),
        checkered=engine.finish_ms is not None,
        time_penalty_ms=time_penalty,
        lap_penalty=lap_penalty,
        last_crossing_ms=timing.last_crossing_ms,
        unseen_laps=tuple(timing.unseen),
        **classes,
        **pit_fields(engine, key),
        **sector_fields(engine, key),
    )


def is_personal_best(last: Lap | None, best: Lap | None, reported: Lap | None) -> bool:
    """Whether the car's last lap is its personal best (green): the one rule of it.

    A lap as fast as the car's best is its best too (a tie is a personal best, as timing boards
    show it; the best lap stays the first to set it). Never a lap not timed here or taken out,
    nor any lap while the timing system reports a better best than any seen here (the car's real
    best was not seen)."""
    return bool(
        last is not None
        and last.timed
        and last.valid
        and best is not None
        and last.duration_ms == best.duration_ms
        and reported is None
    )


def class_fields(engine: EngineState, key: str, position: int) -> dict[str, Any]:
    place = engine.class_places.get(key)
    if place is None:
        return {}
    class_gap, live = board_gap(engine, key, place.leader)
    places = engine.class_places

    def same_class(other: str) -> bool:
        theirs = places.get(other)
        return theirs is not None and theirs.leader == place.leader

    if class_gap is not None and passed_since(engine, key, position, same_class):
        # passed since by a car of its class: laps down now, as on the sheet
        class_gap, live = gap(engine, key, place.leader, classification=True), True
    return {
        "class_position": place.position,
        "class_gap": class_gap,
        "holds_class_best": place.best_holder == key,
        "live": live,
    }


def pit_fields(engine: EngineState, key: str) -> dict[str, Any]:
    events = engine.pit_crossings(key)
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


def sector_fields(engine: EngineState, key: str) -> dict[str, Any]:
    car = engine.car_sectors.get(key)
    if car is None:
        return {}
    return {"sectors": car.latest, "sector_marks": sector_marks(key, car, engine.sector_bests)}


def status_of(engine: EngineState, key: str) -> CarStatus:
    """The one rule of a car's status (the board's Status column, the results sheet).

    A car is finished by taking the flag (its first crossing at or after the finish), in a race
    and in practice or qualifying alike: a car still on its lap when the checkered falls is
    running until it crosses the line (that lap still counts). Once the session is ended (the
    timing system's end, or the operator's: :attr:`~EngineState.ended_ms`) a practice or
    qualifying car that went out and never took the flag (back in the pit lane before the
    checkered) is finished too: it is classified on its best lap, and will not come out again;
    a race's reads running, as many laps down as it is short (the sheet's "running"). A
    session finished with no end logged that is a record of an earlier day
    (:func:`~timingboard.engine.long_past.settle_record`: a file made before an operator
    could end a session; a P3 decoder's practice or qualifying, finished or not: a decoder gives
    no checkered) reads as ended, as it always did.

    A car that never started (:func:`started`: never seen crossing after the green in a race,
    no time set otherwise) is DNS once the session is finished or ended, as the results sheet
    has it; before that it may still start (the board says nothing of it, nor does a sheet
    printed then). A race's car that took the start but has no lap then is out: DNF
    (:func:`out_at_start`)."""
    if key in engine.tables.disqualified:
        return CarStatus.DSQ
    if key in engine.tables.retired or out_at_start(engine, key):
        return CarStatus.DNF
    timing = engine.entries[key].timing
    if timing.finished:
        return CarStatus.FINISHED
    ended = engine.ended_ms
    if engine.over and not started(engine, key):
        return CarStatus.DNS
    closed = ended is not None or engine.record_over
    if not engine.settings.is_race and closed and timing.passings:
        return CarStatus.FINISHED
    return CarStatus.RUNNING


def still_out(engine: EngineState, key: str) -> bool:
    """Whether a car started and has not come in: running (not finished, retired, DNS) while
    the session is not ended. Once the finish came, the session waits for it (the title reads
    CHECKERED, not FINISHED: :meth:`~timingboard.engine.reading.BoardReading.all_in`)."""
    return status_of(engine, key) is CarStatus.RUNNING and started(engine, key)


def started(engine: EngineState, key: str) -> bool:
    """Whether a car started: in a race, seen crossing the line after the green (its start,
    lap 0 completed: it took the start, whether or not it then completed a lap); otherwise a
    time set. The one rule of it, for the board's status and the sheet (a car that took the
    start read DNS, "no lap completed", as if it never came out)."""
    timing = engine.entries[key].timing
    if engine.settings.is_race:
        return timing.last_seen is not None or timing.lap_count > 0
    return timing.best is not None


def out_at_start(engine: EngineState, key: str) -> bool:
    """A race's car that took the start (:func:`started`) and had no lap completed (after lap
    penalties) when the session was over, nor took the flag: it is out, not running, with 0
    laps (DNF, as a retired car), and not classified on the results sheet."""
    if not engine.settings.is_race or not engine.over:
        return False
    timing = engine.entries[key].timing
    laps = timing.lap_count - engine.tables.lap_penalty.get(key, 0)
    return laps <= 0 and not timing.finished and started(engine, key)


def result_final(engine: EngineState, key: str) -> bool:
    """Whether a car's laps are final, so that it is as many laps down as it is short now: the
    one rule of it, for the board's gaps and the results sheet's alike. A retired car's are, a
    car's that took the flag, and every car's once the session is ended (a car that never took
    the flag does not come round again: the board reads it as the sheet does). Replayed before
    the end, the board reads as it did then."""
    return (
        engine.ended_ms is not None
        or key in engine.tables.retired
        or engine.entries[key].timing.finished
    )


def gained(engine: EngineState, entry: Entry, position: int) -> int | None:
    grid = entry.competitor.grid if entry.competitor else None
    if not engine.settings.is_race or grid is None:
        return None
    return grid - (position + 1)


def passed_since(
    engine: EngineState, key: str, position: int, among: Callable[[str], bool] | None = None
) -> bool:
    """Whether a car ranked ahead of ``key`` (at ``position``) completed ``key``'s last lap
    only after it did: it passed this car since its own last crossing (the car stopped, or its
    crossings were not typed). Its gap to the leader, taken at that crossing, would then read
    less than that of a car ahead of it on the board (P2 +5:38.471, P3 +6.420 a lap down on
    P2): it is the difference in laps now, as on the results sheet.

    ``among``: only the cars ahead it says (those of the car's class, for the class gap).
    Only a change of the cars ahead (the order) or of this car's own crossing changes it: both
    work the row out again."""
    mine = engine.entries[key].timing
    tables = engine.tables
    laps = mine.lap_count - tables.lap_penalty.get(key, 0)
    if laps <= 0 or mine.last_lap is None:
        return False
    at = mine.last_lap.time_ms + tables.time_penalty.get(key, 0)
    order = engine.board_order
    for ahead in order[:position]:
        theirs = engine.entries[ahead].timing
        their_lp = tables.lap_penalty.get(ahead, 0)
        if theirs.lap_count - their_lp <= laps:
            break  # ranked by laps: the rest ahead have as many, completed first
        if among is not None and not among(ahead):
            continue
        done = theirs.laps_completed_by(at - tables.time_penalty.get(ahead, 0)) - their_lp
        if done < laps:
            return True
    return False


def gap(engine: EngineState, key: str, ref: str, classification: bool = False) -> Gap | None:
    """How far ``key`` is behind ``ref`` (a car ranked ahead of it); None when it is not.

    ``classification``: laps down are the difference in laps now, as on a results sheet; else,
    on the board, as of the car's own last crossing where that is known.
    """
    return _gap(engine, key, ref, classification)[0]


def board_gap(engine: EngineState, key: str, ref: str) -> tuple[Gap | None, bool]:
    """The board's gap, and whether it depends on laps ``ref`` completes later (then the row is
    worked out again when ``ref`` completes one, not only when ``key`` crosses)."""
    return _gap(engine, key, ref, classification=False)


def _gap(engine: EngineState, key: str, ref: str, classification: bool) -> tuple[Gap | None, bool]:
    if key == ref or key in engine.tables.disqualified:
        return None, False
    mine, theirs = engine.entries[key].timing, engine.entries[ref].timing
    if not engine.settings.is_race:
        mine_best, their_best = mine.ranking_best, theirs.ranking_best  # as ranked
        if mine_best is None or their_best is None:
            return None, False
        ms = mine_best.duration_ms - their_best.duration_ms
        return (Gap(ms=ms) if ms >= 0 else None), False
    tables = engine.tables
    my_lp, ref_lp = tables.lap_penalty.get(key, 0), tables.lap_penalty.get(ref, 0)
    laps = mine.lap_count - my_lp
    ref_laps = theirs.lap_count - ref_lp
    if laps <= 0 or mine.last_lap is None or theirs.last_lap is None or ref_laps < laps:
        return None, ref_laps < laps
    my_time = mine.last_lap.time_ms + tables.time_penalty.get(key, 0)
    ref_tp = tables.time_penalty.get(ref, 0)
    if ref_laps == laps:  # both last crossings are known: the last lap's time always is
        ms = my_time - (theirs.last_lap.time_ms + ref_tp)
        # a car whose laps are final, or one of two whose laps a penalty cut, is as many laps
        # down as it is short: ref's next lap changes that, so the row is worked out again
        # when ref completes it
        by_laps = bool(my_lp or ref_lp) or result_final(engine, key)
        return (Gap(ms=ms), by_laps) if ms >= 0 else (None, True)
    if classification or result_final(engine, key) or my_lp or ref_lp:
        # its laps are final, or a penalty cut the laps of one of the two: no crossing of
        # either is at the lap count it is scored at now (31's lap 2, counted as its lap 1,
        # read "+5.852" from P2's lap 1 crossing while the sheet said "+1 lap")
        return Gap(laps=ref_laps - laps), True
    done = theirs.laps_completed_by(my_time - ref_tp)  # laps placed no earlier than run
    exact = done == theirs.lap_count or theirs.time_known(done)
    down = done - ref_lp - laps
    if exact and down >= 1:
        return Gap(laps=down), False
    index = laps + ref_lp - 1
    if exact and down == 0 and theirs.time_known(index):
        return Gap(ms=my_time - (theirs.lap_times[index] + ref_tp)), False
    return Gap(laps=ref_laps - laps), True  # the timing system's counts: all that is known
