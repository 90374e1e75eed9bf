"""The RMonitor scoreboard records, as the timing system sends them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import NamedTuple


@dataclass(frozen=True, slots=True)
class Heartbeat:
    """``$F``: every second; ``flag`` is ``green``, ``yellow``, ``red``, ``finish`` or empty."""

    laps_to_go: int | None
    time_to_go_ms: int | None
    time_of_day: str
    race_time_ms: int | None
    flag: str


@dataclass(frozen=True, slots=True)
class Competitor:
    """``$A``."""

    reg: str
    car: str
    transponder: str
    first_name: str
    last_name: str
    nationality: str
    class_no: str


@dataclass(frozen=True, slots=True)
class CompetitorExt:
    """``$COMP``: as ``$A``, with a field series use for team, make or status."""

    reg: str
    car: str
    class_no: str
    first_name: str
    last_name: str
    nationality: str
    additional: str


@dataclass(frozen=True, slots=True)
class Run:
    """``$B``: the session; run 95 marks its end."""

    number: int
    description: str


@dataclass(frozen=True, slots=True)
class ClassInfo:
    """``$C``."""

    number: str
    description: str


@dataclass(frozen=True, slots=True)
class Setting:
    """``$E``: TRACKNAME or TRACKLENGTH."""

    name: str
    value: str


@dataclass(frozen=True, slots=True)
class RacePosition:
    """``$G``: the timing system's own race order."""

    position: int
    reg: str
    laps: int | None
    total_ms: int | None


@dataclass(frozen=True, slots=True)
class PracticePosition:
    """``$H``: the timing system's own order by best lap."""

    position: int
    reg: str
    best_lap_no: int | None
    best_ms: int | None


@dataclass(frozen=True, slots=True)
class Init:
    """``$I``: clear the scoreboard; ``day`` is ``date`` read (None when it says no day)."""

    time_of_day: str
    date: str
    day: datetime.date | None = None


class LinePassing(NamedTuple):
    """``$J``: a crossing of the finish line; ``lap_ms`` is zero on a car's first crossing.

    A named tuple, not a dataclass as the other records: nearly every record of a stream is
    one (120k in a 24-hour capture), and a tuple is made in C (``tuple.__new__``), about five
    times sooner than a frozen instance.
    """

    reg: str
    lap_ms: int | None
    total_ms: int | None


@dataclass(frozen=True, slots=True)
class CorrectedFinish:
    """``$COR``."""

    reg: str
    car: str
    laps: int | None
    total_ms: int | None
    correction_ms: int | None


@dataclass(frozen=True, slots=True)
class SessionKindRecord:
    """``$RMS``: Race Monitor's session kind, ``race`` or ``qualifying``."""

    kind: str


@dataclass(frozen=True, slots=True)
class HistoricalLap:
    """``$RMHL``: a lap the relay sends to a scoreboard that joins late."""

    reg: str
    lap: int | None
    position: int | None
    lap_ms: int | None
    flag: str
    total_ms: int | None


@dataclass(frozen=True, slots=True)
class TimelineCrossing:
    """IMSA ``$L``: a car crossing a timing line; ``PIP`` pit in, ``POP`` pit out, ``SFT`` track.

    The time is the time of day; the heartbeat's time of day and race time relate the two.
    """

    reg: str
    line: str
    kind: str
    date: str
    time_of_day_ms: int | None


@dataclass(frozen=True, slots=True)
class Received:
    """A recorder's receive time for the records after it (epoch seconds): not RMonitor's own,
    a ``##YYYY-MM-DD HH:MM:SS.mmm`` header or an ISO time before a record."""

    at: float


@dataclass(frozen=True, slots=True)
class Skipped:
    """Something read that is not a record we use, and why; reported, never raised."""

    text: str
    reason: str


Record = (
    Heartbeat
    | Competitor
    | CompetitorExt
    | Run
    | ClassInfo
    | Setting
    | RacePosition
    | PracticePosition
    | Init
    | LinePassing
    | CorrectedFinish
    | SessionKindRecord
    | HistoricalLap
    | TimelineCrossing
    | Received
)
