"""Does our board agree with the timing system's own order (``$G`` in races, ``$H`` otherwise)?"""

from __future__ import annotations

from dataclasses import dataclass, field

from timingboard.engine.engine import TimingEngine
from timingboard.engine.events import InvalidateLap
from timingboard.engine.formatting import format_lap
from timingboard.feeds.rmonitor_session import FeedSession

NO_TIME_MS = 3_599_999  # $H gives 59:59.999 for a car without a time


@dataclass(frozen=True, slots=True)
class OrderCheck:
    """What was compared and where it differs."""

    session: str
    by: str  # "$G (laps)" or "$H (best lap)"
    compared: list[str]
    official: list[tuple[str, int | None]]
    ours: list[tuple[str, int | None]]
    missing_passings: list[str] = field(default_factory=list)

    @property
    def agrees(self) -> bool:
        return self.official == self.ours

    @property
    def complete(self) -> bool:
        """Every compared car has a ``$J`` for every lap the timing system gives it."""
        return not self.missing_passings

    def summary(self) -> str:
        state = "agrees" if self.agrees else "differs"
        cars = len(self.compared)
        gap = ""
        if self.missing_passings:
            gap = f"; passings missing for {len(self.missing_passings)} car(s)"
        return f"{self.session}: {state} with {self.by} over {cars} car(s){gap}"


def check_order(engine: TimingEngine, session: FeedSession) -> OrderCheck:
    if engine.settings.is_race:
        return _race(engine, session)
    return _best_laps(engine, session)


def _race(engine: TimingEngine, session: FeedSession) -> OrderCheck:
    ranked = sorted(
        (p for p in session.race_order.values() if p.laps),
        key=lambda p: (p.position, -session.received.get(("G", p.reg), 0)),
    )
    regs = [p.reg for p in ranked]
    official = [(p.reg, p.laps) for p in ranked]
    ours_order = [k for k in engine.order() if k in set(regs)]
    ours = [(k, engine.standing(k).laps) for k in ours_order]
    missing = [p.reg for p in ranked if session.passings[p.reg] < (p.laps or 0) + 1]
    return OrderCheck(session.settings.name, "$G (laps)", regs, official, ours, missing)


def _best_laps(engine: TimingEngine, session: FeedSession) -> OrderCheck:
    ranked = sorted(
        (p for p in session.best_order.values() if p.best_ms and p.best_ms < NO_TIME_MS),
        key=lambda p: (p.position, -session.received.get(("H", p.reg), 0)),
    )
    regs = [p.reg for p in ranked]
    official = [(p.reg, p.best_ms) for p in ranked]
    ours_order = [k for k in engine.order() if k in set(regs)]
    ours = [(k, engine.standing(k).best_lap_ms) for k in ours_order]
    laps = {reg: p.laps or 0 for reg, p in session.race_order.items()}
    missing = [p.reg for p in ranked if session.passings[p.reg] < max(2, laps.get(p.reg, 0) + 1)]
    return OrderCheck(session.settings.name, "$H (best lap)", regs, official, ours, missing)


def laps_not_counted(engine: TimingEngine, session: FeedSession) -> list[InvalidateLap]:
    """Laps faster than the timing system's own best lap of a car, which it did not count.

    Where ``$H`` gives a car's best as one of its laps we also timed, but we timed a faster
    one, the timing system discarded that lap (track limits, a pit-lane lap): say so with an
    audited correction rather than disagree silently.
    """
    corrections: list[InvalidateLap] = []
    for reg, position in session.best_order.items():
        official = position.best_ms
        if not official or official >= NO_TIME_MS or reg not in engine.entries:
            continue
        laps = engine.entries[reg].timing.laps
        if not any(lap.duration_ms == official for lap in laps):
            continue
        corrections += [
            InvalidateLap(
                passing_id=lap.passing_id,
                operator="timing system",
                reason=f"not counted by the timing system (its best is {format_lap(official)})",
            )
            for lap in laps
            if lap.valid and lap.duration_ms < official
        ]
    return corrections


def official_positions(engine: TimingEngine, session: FeedSession) -> dict[str, int]:
    """The timing system's own position of each car it ranks (``$G`` races, ``$H`` otherwise)."""
    if engine.settings.is_race:
        ranked = sorted(
            session.race_order.values(),
            key=lambda p: (p.position, -session.received.get(("G", p.reg), 0)),
        )
    else:
        ranked = sorted(
            session.best_order.values(),
            key=lambda p: (p.position, -session.received.get(("H", p.reg), 0)),
        )
    return {p.reg: place for place, p in enumerate(ranked, start=1)}


def disagreements(engine: TimingEngine, official: dict[str, int]) -> list[tuple[str, int, int]]:
    """(car, our position, theirs) for every car the two orders place differently."""
    ours = {key: i for i, key in enumerate(engine.order(), start=1)}
    return [
        (engine.entries[key].label, ours[key], theirs)
        for key, theirs in official.items()
        if key in ours and ours[key] != theirs
    ]
