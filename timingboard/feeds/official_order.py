"""Does our board agree with the timing system's own order (``$G`` in races, ``$H`` otherwise)?"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from timingboard.engine.car import SAME_CROSSING_MS, PassingStatus
from timingboard.engine.corrections import TIMING_SYSTEM
from timingboard.engine.engine import TimingEngine
from timingboard.engine.events import (
    Correction,
    DeletePassing,
    InsertPassing,
    InvalidateLap,
    LapPenalty,
)
from timingboard.engine.formatting import format_clock, format_lap
from timingboard.feeds.rmonitor_join import NO_TIME_MS
from timingboard.feeds.rmonitor_records import PracticePosition, RacePosition
from timingboard.feeds.rmonitor_session import FeedSession

OPERATOR = TIMING_SYSTEM


@dataclass(frozen=True, slots=True)
class OrderCheck:
    """What was compared and where it differs."""

    session: str
    by: str  # "$G (laps)" or "$H (best lap)"
    compared: list[str]
    official: list[tuple[str, int | None]]
    ours: list[tuple[str, int | None]]
    laps_not_seen: int = 0  # laps of the compared cars counted by the timing system alone

    @property
    def agrees(self) -> bool:
        return self.official == self.ours

    def summary(self) -> str:
        """``agrees with $G (laps) over 6 car(s)``; with no car the timing system counted a lap
        of (or timed, in practice), nothing was compared, and "agrees" would say it was."""
        cars = len(self.compared)
        if not cars:
            return f"{self.session}: no car to compare with {self.by}"
        state = "agrees" if self.agrees else "differs"
        gap = ""
        if self.laps_not_seen:
            gap = f"; {self.laps_not_seen} lap(s) not seen here, taken from the timing system"
        return f"{self.session}: {state} with {self.by} over {cars} car(s){gap}"


def check_order(engine: TimingEngine, session: FeedSession) -> OrderCheck:
    if engine.settings.is_race:
        return _race(engine, session)
    return _best_laps(engine, session)


def compared_cars(engine: TimingEngine, session: FeedSession) -> set[str]:
    """The cars the timing system's order says something of: a lap counted (races) or a best
    lap timed (otherwise). Before the first lap, or in a session it does not time (HPDE), its
    positions are a list, not an order to agree or differ with."""
    if engine.settings.is_race:
        return {p.reg for p in _race_ranked(session)}
    return {p.reg for p in _best_ranked(session)}


def _race_ranked(session: FeedSession) -> list[RacePosition]:
    return sorted(
        (p for p in session.race_order.values() if p.laps and p.laps > 0),
        key=lambda p: (p.position, -session.received.get(("G", p.reg), 0)),
    )


def _best_ranked(session: FeedSession) -> list[PracticePosition]:
    return sorted(
        (p for p in session.best_order.values() if p.best_ms and p.best_ms < NO_TIME_MS),
        key=lambda p: (p.position, -session.received.get(("H", p.reg), 0)),
    )


def _race(engine: TimingEngine, session: FeedSession) -> OrderCheck:
    """Laps as of each car's last ``$G`` (a capture may end before its last crossing's)."""
    ranked = _race_ranked(session)
    regs = [p.reg for p in ranked]
    official: list[tuple[str, int | None]] = [(p.reg, p.laps) for p in ranked]
    ours_order = [k for k in engine.order() if k in set(regs)]
    ours: list[tuple[str, int | None]] = [
        (k, _laps_by(engine, k, session.race_order[k].total_ms)) for k in ours_order
    ]
    by = "$G (laps)"
    return OrderCheck(session.settings.name, by, regs, official, ours, _not_seen(engine, regs))


def _best_laps(engine: TimingEngine, session: FeedSession) -> OrderCheck:
    ranked = _best_ranked(session)
    regs = [p.reg for p in ranked]
    official = [(p.reg, p.best_ms) for p in ranked]
    ours_order = [k for k in engine.order() if k in set(regs)]
    ours = [(k, _ranked_by(engine, k)) for k in ours_order]
    by = "$H (best lap)"
    return OrderCheck(session.settings.name, by, regs, official, ours, _not_seen(engine, regs))


def _ranked_by(engine: TimingEngine, key: str) -> int | None:
    """The lap time a car is ranked by: the timing system's best where it is better than ours."""
    row = engine.standing(key)
    return row.reported_best_ms if row.reported_best_ms is not None else row.best_lap_ms


def _not_seen(engine: TimingEngine, regs: list[str]) -> int:
    return engine.laps_not_seen_total(regs)


def _laps_by(engine: TimingEngine, key: str, time_ms: int | None) -> int:
    """The laps the board gives a car as of ``time_ms``, penalties taken off."""
    if not engine.has_car(key):
        return 0
    at_ms = None if time_ms is None else time_ms + SAME_CROSSING_MS  # a crossing it re-timed
    done = engine.lap_count(key) if at_ms is None else engine.laps_completed_by(key, at_ms)
    return max(0, done - engine.lap_penalty(key))


def agree_with_timing_system(engine: TimingEngine, session: FeedSession) -> list[Correction]:
    """Audited corrections that bring the board to the timing system's own counts.

    Where it counts fewer laps at a crossing seen here (a penalty, crossings it did not
    count), a lap penalty of the difference; then laps faster than its best lap that it did
    not count. Apply them and ask again until there are none.
    """
    return (
        crossings_retimed(engine, session)
        or laps_short(engine, session)
        or laps_not_counted(engine, session)
    )


def crossings_retimed(engine: TimingEngine, session: FeedSession) -> list[Correction]:
    """Crossings the timing system resent a few ms off: moved to where it says they were."""
    fixes: list[Correction] = []
    ended = engine.ended_ms
    for (reg, sent_ms), now_ms in session.retimed.items():
        if now_ms == sent_ms or not engine.has_car(reg):
            continue
        if ended is not None and now_ms > ended >= sent_ms:
            continue  # re-timed past the session's end: as first sent it counts, after it not
        passings = engine.crossings(reg)
        at = bisect.bisect_left(passings, (sent_ms, -1))
        if at == len(passings) or passings[at][0] != sent_ms:
            continue
        pid = passings[at][1]
        if engine.passing_status(pid) is PassingStatus.DELETED:
            continue
        reason = f"re-timed by the timing system by {now_ms - sent_ms:+d} ms"
        fixes.append(DeletePassing(passing_id=pid, operator=OPERATOR, reason=reason))
        fixes.append(InsertPassing(time_ms=now_ms, key=reg, operator=OPERATOR, reason=reason))
    return fixes


def laps_short(engine: TimingEngine, session: FeedSession) -> list[Correction]:
    fixes: list[Correction] = []
    for reg, position in session.race_order.items():
        theirs, at_ms = position.laps, position.total_ms
        if theirs is None or theirs < 0 or not at_ms or not engine.has_car(reg):
            continue
        passings = engine.crossings(reg)
        near = bisect.bisect_left(passings, (at_ms - SAME_CROSSING_MS, -1))
        if near == len(passings) or passings[near][0] > at_ms + SAME_CROSSING_MS:
            continue  # its count is of a crossing not seen here
        extra = _laps_by(engine, reg, at_ms) - theirs
        if extra > 0:
            reason = f"the timing system counts {theirs} lap(s) at {format_clock(at_ms)}"
            fixes.append(LapPenalty(key=reg, laps=extra, operator=OPERATOR, reason=reason))
    return fixes


def laps_not_counted(engine: TimingEngine, session: FeedSession) -> list[Correction]:
    """Laps faster than the timing system's own best lap of a car, which it did not count.

    Where ``$H`` gives a car's best as one of its laps we also timed, but we timed a faster
    one, the timing system discarded that lap (track limits, a pit-lane lap): say so with an
    audited correction rather than disagree silently.
    """
    corrections: list[Correction] = []
    for reg, position in session.best_order.items():
        official = position.best_ms
        if not official or official >= NO_TIME_MS or not engine.has_car(reg):
            continue
        laps = engine.car_laps(reg)
        if not any(lap.duration_ms == official for lap in laps):
            continue
        corrections += [
            InvalidateLap(
                passing_id=lap.passing_id,
                operator=OPERATOR,
                reason=f"not counted by the timing system (its best is {format_lap(official)})",
            )
            for lap in laps
            if lap.valid and lap.duration_ms < official
        ]
    return corrections


def official_positions(engine: TimingEngine, session: FeedSession) -> dict[str, int]:
    """Where the timing system's order (``$G`` races, ``$H`` otherwise) puts each car on our
    board that it ranks, as a place on our board: our places of those cars, dealt out in its
    order. Agreeing, each car's is its own place (1..N, no gap).

    Its rows of cars not on our board (a car of another session, sent again at 59:59.999 with
    no lap) and of cars it has not ranked yet (see :func:`compared_cars`) take no place: they
    left gaps (1, 3, 5 …) and moved every car behind them, so that a board in its order read
    as one that differs, while ``import`` (:func:`check_order`) compared the ranked cars alone.
    """
    ours = {key: place for place, key in enumerate(engine.order(), start=1)}
    ranked = _race_ranked(session) if engine.settings.is_race else _best_ranked(session)
    regs = [p.reg for p in ranked if p.reg in ours]
    return dict(zip(regs, sorted(ours[reg] for reg in regs), strict=True))


def listed_cars(engine: TimingEngine, session: FeedSession) -> int:
    """The cars on our board the timing system's order lists, ranked or not (none: it sent no
    order at all, and the board says nothing of one)."""
    rows = session.race_order if engine.settings.is_race else session.best_order
    return sum(1 for reg in rows if engine.has_car(reg))


def disagreements(
    engine: TimingEngine, official: dict[str, int], compared: set[str] | None = None
) -> list[tuple[str, int, int]]:
    """(car, our position, theirs) for every car the two orders place differently (of the
    ``compared`` cars only, when given: see :func:`compared_cars`); ``official`` is
    :func:`official_positions`, which differs from ours exactly where :func:`check_order`'s
    orders do."""
    ours = {key: i for i, key in enumerate(engine.order(), start=1)}
    return [
        (engine.car_label(key), ours[key], theirs)
        for key, theirs in official.items()
        if key in ours and ours[key] != theirs and (compared is None or key in compared)
    ]
