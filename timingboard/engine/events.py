"""The events of a session's log.

A session is a pure function of its ordered event log: these frozen records are the only way
anything reaches the engine, whether typed by an operator, read from a feed or replayed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from timingboard.engine.settings import SessionSettings


class Source(StrEnum):
    """Where a passing came from."""

    DECODER = "decoder"
    FEED = "feed"
    MANUAL = "manual"


class Flag(StrEnum):
    """Track flags that change how the session is timed or shown."""

    GREEN = "green"
    YELLOW = "yellow"
    FULL_COURSE_YELLOW = "full_course_yellow"  # the whole track neutralised, not one sector
    RED = "red"
    WHITE = "white"
    CHECKERED = "checkered"


@dataclass(frozen=True, slots=True, kw_only=True)
class CompetitorSet:
    """Adds a competitor, or changes one with the same registration key."""

    key: str
    car: str
    driver: str = ""
    team: str = ""
    make: str = ""
    car_class: str = ""
    transponders: tuple[str, ...] = ()
    grid: int | None = None
    first_name_only: bool = False  # a single name typed as the first name (else the last)


@dataclass(frozen=True, slots=True, kw_only=True)
class Passing:
    """A car crossing the timing line, named by registration key, car number or transponder."""

    time_ms: int
    key: str = ""
    car: str = ""
    transponder: str = ""
    source: Source = Source.MANUAL


@dataclass(frozen=True, slots=True, kw_only=True)
class FlagChanged:
    """The flag shown from this moment of the session."""

    time_ms: int
    flag: Flag


@dataclass(frozen=True, slots=True, kw_only=True)
class SettingsChanged:
    """The session's settings from here on (a feed may name the track after the first laps)."""

    settings: SessionSettings


@dataclass(frozen=True, slots=True, kw_only=True)
class LapsReported:
    """The timing system's own count for a car: ``laps`` completed by its crossing at ``time_ms``.

    A board that joins a session late, or loses its link for a while, learns from these what
    it did not see. ``laps`` is None when only the crossing is known (a ``$J`` whose lap time
    reaches back past anything seen here). Laps counted this way are shown as not seen.
    """

    key: str
    time_ms: int
    laps: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class BestReported:
    """The timing system's best lap for a car, which may be a lap not seen here."""

    key: str
    lap_ms: int
    lap: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PitLane:
    """A car entering (``entered``) or leaving the pit lane, from a pit loop or an operator."""

    key: str
    time_ms: int
    entered: bool
    source: Source = Source.MANUAL


@dataclass(frozen=True, slots=True, kw_only=True)
class ResultsDeclared:
    """An operator declared the results official: who (``operator``) and when (wall clock, ISO).

    Not a correction (it changes no time and is not undone); corrections logged after it are
    amendments to the official results.
    """

    operator: str
    at: str
    reason: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionEnded:
    """The session is over, at ``time_ms``: the timing system said so (RMonitor ``$B`` run 95).
    From here every car's result is final: the board reads each car's laps down as the results
    sheet does, also for a car that never took the flag (the board cannot tell otherwise that it
    will not come round again). Not a correction: not undone. An operator's end is
    :class:`EndSession`, which is."""

    time_ms: int
    source: Source = Source.FEED


@dataclass(frozen=True, slots=True, kw_only=True)
class SectorCrossing:
    """A car crossing sector line ``sector`` (1 …): the end of that sector of its lap."""

    key: str
    time_ms: int
    sector: int
    source: Source = Source.DECODER


@dataclass(frozen=True, slots=True, kw_only=True)
class Correction:
    """Base of every correction: who made it, why and when (wall clock, ISO 8601)."""

    operator: str = ""
    reason: str = ""
    at: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class DeletePassing(Correction):
    passing_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class InsertPassing(Correction):
    """A passing the timing system missed; it takes this event's sequence number as its id."""

    time_ms: int
    key: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ReassignPassing(Correction):
    passing_id: int
    key: str


@dataclass(frozen=True, slots=True, kw_only=True)
class InvalidateLap(Correction):
    """The lap completed by this passing does not count for best lap."""

    passing_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class TimePenalty(Correction):
    key: str
    ms: int


@dataclass(frozen=True, slots=True, kw_only=True)
class LapPenalty(Correction):
    key: str
    laps: int


@dataclass(frozen=True, slots=True, kw_only=True)
class PitMark(Correction):
    """An operator's "in pit" (``entered``) or "out of pit" for a car at ``time_ms``.

    A correction, not a pit-loop crossing, so that a wrong mark can be undone and the audit
    log says who made it.
    """

    key: str
    time_ms: int
    entered: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class AssignTransponder(Correction):
    """A transponder the entry list did not know belongs to car ``key``: its passings, past and
    to come, are that car's (undoable like any correction, unlike changing the entry list)."""

    transponder: str
    key: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Disqualify(Correction):
    key: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Retire(Correction):
    """The car is out of the session (DNF); it keeps the laps it completed."""

    key: str


@dataclass(frozen=True, slots=True, kw_only=True)
class EditEntry(Correction):
    """An operator's change of a registered car's entry (number, driver, team, make, class,
    transponders, grid): the whole entry as it is to stand.

    A correction, not a new registration, so that it is signed, listed with the corrections and
    undone like them; while it stands, it is the car's entry unless the car is registered again
    after it (a later edit, or a later registration by the timing system, takes over).
    """

    key: str
    car: str
    driver: str = ""
    team: str = ""
    make: str = ""
    car_class: str = ""
    transponders: tuple[str, ...] = ()
    grid: int | None = None
    first_name_only: bool = False  # as in CompetitorSet

    @classmethod
    def of(cls, entry: CompetitorSet) -> EditEntry:
        return cls(
            key=entry.key,
            car=entry.car,
            driver=entry.driver,
            team=entry.team,
            make=entry.make,
            car_class=entry.car_class,
            transponders=entry.transponders,
            grid=entry.grid,
            first_name_only=entry.first_name_only,
        )

    def entry(self) -> CompetitorSet:
        """The entry this edit makes."""
        return CompetitorSet(
            key=self.key,
            car=self.car,
            driver=self.driver,
            team=self.team,
            make=self.make,
            car_class=self.car_class,
            transponders=self.transponders,
            grid=self.grid,
            first_name_only=self.first_name_only,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class EndSession(Correction):
    """The operator ended the session at ``time_ms`` (Session ▸ End session): as the timing
    system's end (:class:`SessionEnded`), every car's result is final from then, a car that never
    took the flag included. A correction, so that it is signed, in the audit, and undone like
    one (a session ended by mistake goes on); a hand-timed session has no timing system to end
    it."""

    time_ms: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Revert(Correction):
    """Takes back an earlier correction (or a revert, which re-applies what that one took back)."""

    correction_id: int


Event = (
    SettingsChanged
    | CompetitorSet
    | Passing
    | FlagChanged
    | LapsReported
    | BestReported
    | PitLane
    | ResultsDeclared
    | SessionEnded
    | SectorCrossing
    | DeletePassing
    | InsertPassing
    | ReassignPassing
    | InvalidateLap
    | TimePenalty
    | LapPenalty
    | PitMark
    | AssignTransponder
    | Disqualify
    | Retire
    | EditEntry
    | EndSession
    | Revert
)

EVENT_TYPES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        SettingsChanged,
        CompetitorSet,
        Passing,
        FlagChanged,
        LapsReported,
        BestReported,
        PitLane,
        ResultsDeclared,
        SessionEnded,
        SectorCrossing,
        DeletePassing,
        InsertPassing,
        ReassignPassing,
        InvalidateLap,
        TimePenalty,
        LapPenalty,
        PitMark,
        AssignTransponder,
        Disqualify,
        Retire,
        EditEntry,
        EndSession,
        Revert,
    )
}


class LogEntry(NamedTuple):
    """One event with its place in the log; passings and corrections are known by ``seq``.

    A named tuple: a 24-hour log holds 120k of them, made ~2.5x faster than a frozen dataclass.
    """

    seq: int
    event: Event
