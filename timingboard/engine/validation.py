"""Checks an event before it is logged, so the operator gets a clear message and nothing is lost."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from timingboard.engine.correction_kinds import session_time
from timingboard.engine.events import (
    EVENT_TYPES,
    AssignTransponder,
    BestReported,
    CompetitorSet,
    DeletePassing,
    Disqualify,
    EditEntry,
    EndSession,
    FlagChanged,
    InsertPassing,
    InvalidateLap,
    LapPenalty,
    LapsReported,
    Passing,
    PitLane,
    PitMark,
    ReassignPassing,
    ResultsDeclared,
    Retire,
    Revert,
    SectorCrossing,
    SessionEnded,
    SettingsChanged,
    TimePenalty,
)
from timingboard.engine.state import EngineState

MAX_TIME_MS = 10 * 24 * 3_600_000  # ten days of session time
MAX_LAPS = 100_000
MAX_SECTOR_LINE = 8  # nine sectors at most


class InvalidEvent(ValueError):
    """An event that cannot be applied; the message is meant for the operator."""


def validate_batch(engine: EngineState, events: Iterable[object]) -> None:
    """Each event of a batch as :func:`validate_event` checks it, with the cars registered
    before it in the batch entered; the first that cannot apply raises :class:`InvalidEvent`.

    A passing named and timed within the session (nearly every event of a feed) is passed in
    place, without the call and the match: the checks a passing gets, in the same order.
    """
    entered: set[str] = set()
    for event in events:
        if type(event) is Passing:
            time_ms = event.time_ms
            if (
                type(time_ms) is int
                and 0 <= time_ms <= MAX_TIME_MS
                and (event.key or event.car or event.transponder)
            ):
                continue
        validate_event(engine, event, entered)
        if isinstance(event, CompetitorSet):
            entered.add(event.key)


def validate_event(engine: EngineState, event: object, entered: Collection[str] = ()) -> None:
    """``entered``: cars registered earlier in the same batch, which the timing system may
    report on straight away (a feed joined late names a car and its laps together)."""
    if type(event).__name__ not in EVENT_TYPES:
        raise InvalidEvent(f"not a timing event: {event!r}")
    match event:
        case CompetitorSet():
            _need(event.key.strip() != "", "a competitor needs a registration key")
            _need(event.car.strip() != "", f"competitor {event.key} needs a car number")
        case Passing():
            _need_time(event.time_ms)
            if not (event.key or event.car or event.transponder):
                raise InvalidEvent(
                    "a passing needs a car number, a transponder or a registration key"
                )
        case FlagChanged() | SessionEnded():
            _need_time(event.time_ms)
        case LapsReported():
            _need_time(event.time_ms)
            _need_competitor(engine, event.key, entered)
            _need(event.laps is None or 0 <= event.laps <= MAX_LAPS, f"{event.laps} laps?")
        case BestReported():
            _need_competitor(engine, event.key, entered)
            _need(0 < event.lap_ms <= MAX_TIME_MS, f"a best lap of {event.lap_ms} ms?")
            _need(event.lap is None or 1 <= event.lap <= MAX_LAPS, f"best on lap {event.lap}?")
        case PitMark():
            _need_time(event.time_ms)
            _need_car(engine, event.key)
        case SectorCrossing():
            _need_time(event.time_ms)
            _need(event.key in entered or event.key in engine.entries, f"no car {event.key!r}?")
            _need(1 <= event.sector <= MAX_SECTOR_LINE, f"sector line {event.sector}?")
        case PitLane():
            _need_time(event.time_ms)
            _need(event.key in entered or event.key in engine.entries, f"no car {event.key!r}?")
        case ResultsDeclared():
            _need(event.operator.strip() != "", "say who declares the results official")
            if engine.declarations:
                first = engine.declarations[0][1]
                raise InvalidEvent(
                    f"the results were declared official by {first.operator} at {first.at}; "
                    "corrections made since are listed as amendments"
                )
        case SettingsChanged():
            _need(event.settings.name.strip() != "", "a session needs a name")
        case InsertPassing():
            _need_time(event.time_ms)
            _need_car(engine, event.key)
            _need_before_end(engine, event.time_ms)
        case DeletePassing() | InvalidateLap():
            _need_passing(engine, event.passing_id)
        case ReassignPassing():
            _need_passing(engine, event.passing_id)
            _need_car(engine, event.key)
            _need(
                engine.passing_owner(event.passing_id) != event.key,
                "that passing already belongs to that car",
            )
        case TimePenalty():
            _need_car(engine, event.key)
            _need(event.ms != 0, "a time penalty needs a non-zero time")
        case LapPenalty():
            _need_car(engine, event.key)
            _need(event.laps != 0, "a lap penalty needs a non-zero number of laps")
        case Disqualify() | Retire():
            _need_car(engine, event.key)
        case AssignTransponder():
            _need(event.transponder.strip() != "", "which transponder?")
            _need(
                event.key in engine.competitors,
                f"there is no entered car {event.key!r} to give transponder {event.transponder}",
            )
        case EditEntry():
            _need(event.key in engine.competitors, f"there is no entered car {event.key!r}")
            _need(event.car.strip() != "", f"car {event.key} needs a car number")
            _need(
                all(c.car != event.car for k, c in engine.competitors.items() if k != event.key),
                f"car {event.car} is already on the entry list",
            )
        case EndSession():
            _need_time(event.time_ms)
            _need(engine.ended_ms is None, f"the session was ended at {_at(engine.ended_ms)}")
        case Revert():
            _need(
                event.correction_id in engine.corrections,
                f"there is no correction #{event.correction_id} to undo",
            )


def _at(ms: int | None) -> str:
    return "" if ms is None else session_time(ms)


def _need(condition: bool, message: str) -> None:
    if not condition:
        raise InvalidEvent(message)


def _need_before_end(engine: EngineState, time_ms: int) -> None:
    """A passing inserted after the session's end would count for nothing (every result is
    final from then: :attr:`~timingboard.engine.state.EngineState.ended_ms`); one at or before
    it is a correction of the race, still taken."""
    ended = engine.ended_ms
    if ended is not None and time_ms > ended:
        raise InvalidEvent(
            f"the session was ended at {session_time(ended)}: a lap after its end would not "
            "count (every result is final from then)"
        )


def _need_time(time_ms: int) -> None:
    _need(isinstance(time_ms, int), "a time must be a whole number of milliseconds")
    if not 0 <= time_ms <= MAX_TIME_MS:  # the message only then: every passing is checked
        raise InvalidEvent(f"time {time_ms} ms is outside the session")


def _need_car(engine: EngineState, key: str) -> None:
    _need(key in engine.entries, f"there is no car {key!r} in this session")


def _need_competitor(engine: EngineState, key: str, entered: Collection[str]) -> None:
    _need(
        key in entered or key in engine.competitors,
        f"the timing system reported {key!r}, who is not entered",
    )


def _need_passing(engine: EngineState, passing_id: int) -> None:
    _need(passing_id in engine.passings, f"there is no passing #{passing_id}")
