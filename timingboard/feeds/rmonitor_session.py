"""RMonitor records to our events, one session a run, and the timing system's own order.

Pure: the live client, ``timingboard import`` and the tests all go through :class:`RMonitorMapper`.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from dataclasses import dataclass, field, replace
from typing import TypeVar

from timingboard.engine.events import (
    CompetitorSet,
    Event,
    Flag,
    FlagChanged,
    PitLane,
    SessionEnded,
    SettingsChanged,
    Source,
)
from timingboard.engine.settings import LengthUnit, SessionKind, SessionSettings
from timingboard.engine.validation import MAX_TIME_MS
from timingboard.feeds.rmonitor_join import CarTrack, out_of_range
from timingboard.feeds.rmonitor_origin import ClockClue, DayMark, session_origin
from timingboard.feeds.rmonitor_parser import (
    DIGITS,
    HOURS_MS,
    MINUTES_SECONDS_MS,
    Row,
    parse_time,
    records_of,
)
from timingboard.feeds.rmonitor_records import (
    ClassInfo,
    Competitor,
    CompetitorExt,
    Heartbeat,
    HistoricalLap,
    Init,
    LinePassing,
    PracticePosition,
    RacePosition,
    Received,
    Record,
    Run,
    SessionKindRecord,
    Setting,
    Skipped,
    TimelineCrossing,
)

_ByCar = TypeVar("_ByCar", RacePosition, PracticePosition, HistoricalLap)

END_OF_SESSION_RUN = 95
FLAG_OF = {"green": Flag.GREEN, "yellow": Flag.YELLOW, "red": Flag.RED, "finish": Flag.CHECKERED}
HEARTBEAT_RESOLUTION_MS = 1000
# Two loops, or a timing system re-sending a crossing, give two $J a few ms apart: no real lap
# is shorter than this, so the engine keeps the first and shows the other as a double read.
FEED_MIN_LAP_MS = 5000
# After a scoreboard reset (``$I``), race time starting again from well below where it stood
# means a new session under the same run number, not the same one resent.
RESTART_BACKSTEP_MS = 5000
PIT_LINES = {"PIP": True, "POP": False}  # IMSA ``$L``: pit in, pit out
HALF_DAY_MS = 12 * 3600 * 1000
LONGEST_TRACK = 100.0  # miles (the Nordschleife with the GP circuit is 15.8)
SKIPPED_KEPT = 300  # the last skipped lines kept with their reasons; every one is counted
# Orbits names a transponder it has no car for "Tx<number>" (Sebring 2009: a pit-out just after
# the $A that gives #87 transponder 4667026). Such a $L waits, at most this many of them, for
# an $A of its session to name the transponder; one never named is counted as skipped.
TRANSPONDER_REG = re.compile(r"Tx(\d+)")
UNNAMED_KEPT = 256
UNNAMED = "crossing by a transponder that no car's $A names"
REASONS_SHOWN = 5  # reasons named in a summary; the rest are counted together


def session_kind(description: str, announced: str = "") -> SessionKind:
    """Race Monitor says it with ``$RMS``; otherwise the run's name tells."""
    if announced.startswith("qual"):
        return SessionKind.QUALIFYING
    if announced.startswith("race"):
        return SessionKind.RACE
    name = description.lower()
    if "qualif" in name:
        return SessionKind.QUALIFYING
    if any(word in name for word in ("practice", "hpde", "warm")):
        return SessionKind.PRACTICE
    if any(word in name for word in ("race", "hour", "hr", "enduro", "feature", "heat")):
        return SessionKind.RACE
    if any(word in name for word in ("test", "session")):
        return SessionKind.PRACTICE
    return SessionKind.RACE


@dataclass(frozen=True, slots=True)
class EndState:
    """What the timing system said of a session at its logged end (``$B`` run 95): how many
    events it had then, and its own order and re-timed crossings as they stood. The session is
    brought to its counts at that point of its log, by ``import`` and the live client alike,
    whatever else the same read brought after it (see store.feed_import.settle_at_end)."""

    events: int
    race_order: dict[str, RacePosition]
    best_order: dict[str, PracticePosition]
    retimed: dict[tuple[str, int], int]


@dataclass(slots=True)
class FeedSession:
    """One run of the stream: our settings and events, and what the timing system said."""

    run: int | None
    settings: SessionSettings
    events: list[Event] = field(default_factory=list)
    race_order: dict[str, RacePosition] = field(default_factory=dict)
    best_order: dict[str, PracticePosition] = field(default_factory=dict)
    received: dict[tuple[str, str], int] = field(default_factory=dict)  # last arrival of $G/$H
    passings: Counter[str] = field(default_factory=Counter)
    ended: bool = False
    green_seen: bool = False
    shown: dict[str, CompetitorSet] = field(default_factory=dict)  # competitors of this session
    grid: dict[str, int] = field(default_factory=dict)  # a race's $G order before its start
    started: bool = False  # a lap was reported or a crossing sent: no grid is read after
    tracks: dict[str, CarTrack] = field(default_factory=dict)
    retimed: dict[tuple[str, int], int] = field(default_factory=dict)  # (car, sent): resent at
    pit_seen: set[tuple[str, str, int]] = field(default_factory=set)  # $L (car, kind, time)
    clock: ClockClue | None = None  # its first running heartbeat: time zero's time of day
    day_mark: DayMark | None = None  # the $I that names its day
    began_received: float | None = None  # the recorder's receive time as it began
    at_end: EndState | None = None  # as the timing system left it at its logged end

    def as_at_end(self) -> FeedSession:
        """The session with its order as it stood at its logged end (itself if not ended)."""
        end = self.at_end
        if end is None:
            return self
        return replace(
            self, race_order=end.race_order, best_order=end.best_order, retimed=end.retimed
        )

    @property
    def origin(self) -> float | None:
        """Epoch seconds of its time zero, as the capture tells it (see rmonitor_origin)."""
        return session_origin(self.clock, self.day_mark, self.began_received)

    def track(self, reg: str) -> CarTrack:
        track = self.tracks.get(reg)
        if track is None:
            track = self.tracks[reg] = CarTrack(self.settings.min_lap_ms)
        return track


class RMonitorMapper:
    """Reads records in order and builds sessions; ``take`` returns the events each one added.

    A session ends at ``$B`` run 95 or a new run number. A scoreboard reset (``$I``) either
    resends the same session (race time carries on: the board keeps it, and the timing
    system's counts fill in what it missed) or begins another under the same run (race time
    starts again). The competitors of a new session are those announced for it (after the
    reset before it, else as they appear), never the ones of the session before.

    A session's entry list closes at its logged end (``$B`` run 95): until a reset the timing
    system still shows its results, so an ``$A`` the same as its own is a refresh, and any other
    (a car it does not have, another driver under one of its numbers) is the next session's. A
    reset after the end clears the ended session off the board: whatever follows is the next
    session's (its run unknown until its ``$B``; a ``$B`` run 95 there names it, no run begun).
    """

    def __init__(self, name: str = "RMonitor feed") -> None:
        self.sessions: list[FeedSession] = []
        self.skipped: deque[Skipped] = deque(maxlen=SKIPPED_KEPT)  # the last ones
        self.skipped_count = 0  # every one, since the start
        self.skip_reasons: Counter[str] = Counter()  # every one, by reason (values left out)
        # Orbits sends a crossing again in the normal run of things (and a relay re-times it by
        # a few ms): nothing is lost, so these are counted apart from the lines skipped.
        self.resent_count = 0
        self.resent_reasons: Counter[str] = Counter()
        self._default_name = name
        self._competitors: dict[str, dict[str, str]] = {}
        self._announced: dict[str, None] = {}  # announced since the last reset, in order
        self._reset_since_begin = False  # a $I came after the current session began
        self._classes: dict[str, str] = {}
        self._track: dict[str, str] = {}
        self._announced_kind = ""
        self._description = ""
        self._flag = ""
        self._recent: deque[tuple[int, str]] = deque(maxlen=64)
        self._held: dict[str, LinePassing] = {}
        self._transponders: dict[str, str] = {}  # a transponder ($A) -> its car's registration
        # $L of transponders no car names yet: (transponder, session, record, race time)
        self._unnamed: deque[tuple[str, FeedSession | None, TimelineCrossing, int | None]] = deque()
        self._race_ms: int | None = None  # race time of the last heartbeat
        self._reset_from_ms: int | None = None  # race time when the last $I came
        self._restart = False  # the next record that needs a session begins a new one
        self._clock_offset_ms: int | None = None  # time of day less race time
        self._received: float | None = None  # the recorder's last receive time (epoch s)
        self._day_mark: DayMark | None = None  # the last $I that named its day
        self._next_clock: ClockClue | None = None  # for the session about to begin

    def _skip(self, skipped: Skipped) -> None:
        self.skipped.append(skipped)
        self.skipped_count += 1
        self.skip_reasons[reason_kind(skipped.reason)] += 1

    def _resent(self, reason: str) -> None:
        """A record the timing system sent again: kept once, counted here, not skipped."""
        self.resent_count += 1
        self.resent_reasons[reason_kind(reason)] += 1

    def note_refused(self, what: str, reason: str) -> None:
        """An event the session would not take: reported with the lines skipped."""
        self._skip(Skipped(what, f"not taken: {reason}"))

    @property
    def current(self) -> FeedSession | None:
        return self.sessions[-1] if self.sessions else None

    def take(self, records: list[Record | Skipped]) -> list[tuple[FeedSession, list[Event]]]:
        """Apply records; the new events, grouped by the session they belong to."""
        added: list[tuple[FeedSession, list[Event]]] = []
        for record in records:
            for session, events in self._take(record):
                if added and added[-1][0] is session:
                    added[-1][1].extend(events)
                else:
                    added.append((session, list(events)))
        return [(s, e) for s, e in added if e or not s.events]

    def read(self, records: list[Record | Skipped]) -> None:
        """As :meth:`take`, for a whole capture read at once: the events stay in the sessions."""
        take, held, recent = self._take, self._held, self._recent
        # the session a crossing goes to and what it looks up there, looked up again after any
        # record that goes the long way (it may begin a session, or end one)
        session: FeedSession | None = None
        looked = False
        for record in records:
            if type(record) is LinePassing:
                if not looked:
                    looked = True
                    session = self.sessions[-1] if self.sessions and not self._restart else None
                    if session is not None:
                        shown, tracks, counts = session.shown, session.tracks, session.passings
                        add_event = session.events.append
                # a car's next crossing, a lap after its last (nearly every record): in place,
                # as _take -> _passing -> _crossing take it when none of their turns applies
                reg, lap_ms, total_ms = record  # a named tuple: unpacked in one step
                if (
                    session is not None
                    and type(lap_ms) is int
                    and type(total_ms) is int
                    and 0 < lap_ms <= MAX_TIME_MS
                    and 0 < total_ms <= MAX_TIME_MS
                    and reg not in held
                    and reg in shown
                    and (track := tracks.get(reg)) is not None
                    and (passing := track.next_crossing(reg, total_ms, lap_ms)) is not None
                ):
                    self._reset_since_begin = False
                    counts[reg] += 1
                    recent.append((total_ms, reg))
                    add_event(passing)
                    continue
            take(record)
            looked = False

    def read_rows(self, rows: list[Row]) -> None:
        """As :meth:`read` of ``records_of(rows)``, a plain ``$J`` that is a car's next
        crossing taken from its fields in the same step, with no record made between (an
        import: nearly every line of a stream); any other line goes through :meth:`read`."""
        hours, ms, n = HOURS_MS, MINUTES_SECONDS_MS, DIGITS
        held, recent = self._held, self._recent
        session: FeedSession | None = None
        looked = False  # as in read: looked up again after a line that went the long way
        for row in rows:
            sent, lap_h, lap_m_s, lap_f, h, m_s, f, other = row
            if not other:
                if not looked:
                    looked = True
                    session = self.sessions[-1] if self.sessions and not self._restart else None
                    if session is not None:
                        shown, tracks, counts = session.shown, session.tracks, session.passings
                        add_event = session.events.append
                reg = sent.strip()
                # two-digit hours: within MAX_TIME_MS, never below zero (see rmonitor_parser)
                lap_ms = hours[lap_h] + ms[lap_m_s] + n[lap_f]
                total_ms = hours[h] + ms[m_s] + n[f]
                if (
                    session is not None
                    and lap_ms
                    and total_ms
                    and reg
                    and reg not in held
                    and reg in shown
                    and (track := tracks.get(reg)) is not None
                    and (passing := track.next_crossing(reg, total_ms, lap_ms)) is not None
                ):
                    self._reset_since_begin = False
                    counts[reg] += 1
                    recent.append((total_ms, reg))
                    add_event(passing)
                    continue
            self.read(records_of([row]))
            looked = False

    def _take(self, record: Record | Skipped) -> list[tuple[FeedSession, list[Event]]]:
        if type(record) is LinePassing:  # nearly every record: its range checked in place
            if record.reg[:2] == "Tx":
                record = record._replace(reg=self._car_of(record.reg) or record.reg)
            lap_ms, total_ms = record.lap_ms, record.total_ms
            if (lap_ms is None or -MAX_TIME_MS <= lap_ms <= MAX_TIME_MS) and (
                total_ms is None or -MAX_TIME_MS <= total_ms <= MAX_TIME_MS
            ):
                return self._passing(record)
        if type(record) is Received:  # one a batch of a relay capture
            self._received = record.at
            return []
        if not isinstance(record, Skipped) and (why := out_of_range(record)):
            what = f"{type(record).__name__} {getattr(record, 'reg', '')}".strip()
            self._skip(Skipped(what, why))
            return []
        match record:
            case LinePassing():  # first: nearly every record is one
                return self._passing(record)
            case Skipped():
                self._skip(record)
            case Run(number=number, description=description):
                return self._run(number, description)
            case Init():
                self._mark_day(record)
                self._flag = ""
                self._announced = {}
                self._reset_since_begin = True
                self._reset_from_ms = self._race_ms
                if self.current is not None and self.current.ended:
                    self._restart = True  # the board cleared after the end: the next session
            case ClassInfo(number=number, description=description):
                self._classes[number] = description
                return self._settle_competitors()
            case Setting(name=name, value=value):
                self._track[name] = value
                return self._settings_update()
            case SessionKindRecord(kind=kind):
                self._announced_kind = kind
                return self._settings_update()
            case Competitor() | CompetitorExt():
                return self._competitor(record)
            case HistoricalLap():
                return self._historical_lap(self._named(record))
            case Heartbeat():
                return self._heartbeat(record)
            case RacePosition():
                record = self._named(record)
                session = self._session()
                session.race_order[record.reg] = record
                session.received["G", record.reg] = len(session.received) + len(session.events)
                gridded = self._grid_slot(session, record)
                laps = session.track(record.reg).laps_report(
                    record.reg, record.laps, record.total_ms
                )
                return gridded + self._emit_for(session, record.reg, laps)
            case PracticePosition():
                record = self._named(record)
                session = self._session()
                session.best_order[record.reg] = record
                session.received["H", record.reg] = len(session.received) + len(session.events)
                best = session.track(record.reg).best_report(
                    record.reg, record.best_lap_no, record.best_ms
                )
                return self._emit_for(session, record.reg, best)
            case TimelineCrossing():
                return self._timeline(record)
        return []

    # --- sessions --------------------------------------------------------------------------------

    def _session(self) -> FeedSession:
        if not self.sessions or self._restart:
            current = self.current
            # an ended run's number is not the next session's: its own $B tells it
            run = current.run if current is not None and not current.ended else None
            self._begin(run)
        return self.sessions[-1]

    def _begin(self, run: int | None) -> FeedSession:
        """A new session, with the competitors announced since the last reset."""
        first, restarted = not self.sessions, self._restart
        after_end = not first and self.sessions[-1].ended
        session = FeedSession(run, self._settings())
        self.sessions.append(session)
        self._restart = False
        self._flag = ""
        self._recent.clear()
        self.skip_held()
        # A run that follows another without a reset has none of its cars yet: they come with
        # its own $A, $G and $J (a 9-car heat after a 36-car qualifying lists 9, not 36).
        if first:
            regs = list(self._competitors)
        elif restarted or self._reset_since_begin or after_end:
            regs = list(self._announced)  # after an end: those not the ended session's
        else:
            regs = []
        self._reset_since_begin = False
        session.clock, self._next_clock = self._next_clock, None
        session.day_mark, session.began_received = self._day_mark, self._received
        setup = [self._competitor_event(reg) for reg in regs]
        session.shown.update((e.key, e) for e in setup)
        session.events.extend(setup)
        return session

    def _run(self, number: int, description: str) -> list[tuple[FeedSession, list[Event]]]:
        current = self.current
        if number == END_OF_SESSION_RUN:
            if current is None or current.run is None or current.ended:
                return self._no_run(description)  # before any run, or the end said again
            current.ended = True
            self._announced = {}  # the next session's cars are those announced from now
            ended = self._emit(current, [SessionEnded(time_ms=self._end_time(current))])
            current.at_end = EndState(
                len(current.events),
                dict(current.race_order),
                dict(current.best_order),
                dict(current.retimed),
            )
            return ended
        self._description = description or self._description
        starts_anew = current is None or current.ended or self._restart
        if not starts_anew and current is not None and current.run in (None, number):
            current.run = number
            return self._settings_update()
        session = self._begin(number)
        return [(session, list(session.events))]

    def _no_run(self, description: str) -> list[tuple[FeedSession, list[Event]]]:
        """``$B`` run 95 with no run under way: before the first, or after a reset that
        followed the end, it names the session the timing system has loaded; right after the
        end (no reset) it is the end said again, the ended session's own name."""
        current = self.current
        if current is not None and current.ended and not self._restart:
            return []
        self._description = description or self._description
        if current is None or self._restart:
            return []  # the session to begin takes it
        return self._settings_update()

    def _end_time(self, session: FeedSession) -> int:
        """When the session ended: the race time of the last heartbeat, no earlier than its
        last crossing (``$B`` carries no time; the heartbeats after it count from zero)."""
        crossings = [t for t, reg in self._recent if reg in session.passings]
        return max(0, self._race_ms or 0, *crossings)

    def _settings(self) -> SessionSettings:
        length = self._track.get("TRACKLENGTH", "")
        try:
            track_length = float(length) if length else 0.0
        except ValueError:
            track_length = 0.0
        if not 0 <= track_length <= LONGEST_TRACK:  # also NaN and infinity
            track_length = 0.0
        return SessionSettings(
            name=self._description or self._default_name,
            kind=session_kind(self._description, self._announced_kind),
            track_name=self._track.get("TRACKNAME", ""),
            track_length=track_length,
            length_unit=LengthUnit.MILES,
            min_lap_ms=FEED_MIN_LAP_MS,
        )

    def _settings_update(self) -> list[tuple[FeedSession, list[Event]]]:
        session = self._session()
        settings = self._settings()
        if settings == session.settings:
            return []
        session.settings = settings
        return self._emit(session, [SettingsChanged(settings=settings)])

    # --- competitors -----------------------------------------------------------------------------

    def _competitor(
        self, record: Competitor | CompetitorExt
    ) -> list[tuple[FeedSession, list[Event]]]:
        known = self._competitors.setdefault(record.reg, {})
        known["car"] = record.car or known.get("car", "") or record.reg
        known["driver"] = f"{record.first_name} {record.last_name}".strip()
        known["class"] = record.class_no
        named = ""
        if isinstance(record, Competitor) and record.transponder not in ("", "0"):
            known["transponder"] = record.transponder
            named = _transponder_key(record.transponder)
            self._transponders[named] = record.reg
        if isinstance(record, CompetitorExt) and record.additional:
            known["team"] = record.additional
        current = self.current
        if current is not None and current.ended and not self._restart:
            # its entry list closed at its end: the same car again is a refresh; another car,
            # or another driver under one of its numbers, is the next session's
            if current.shown.get(record.reg) != self._competitor_event(record.reg):
                self._announced[record.reg] = None
            return self._named_now(named) if named else []
        self._announced[record.reg] = None
        settled = self._settle_competitors([record.reg])
        return settled + self._named_now(named) if named else settled

    def _competitor_event(self, reg: str) -> CompetitorSet:
        known = self._competitors.get(reg, {})
        transponder = known.get("transponder", "")
        return CompetitorSet(
            key=reg,
            car=known.get("car", reg),
            driver=known.get("driver", ""),
            team=known.get("team", ""),
            car_class=self._class_name(known.get("class", "")),
            transponders=(transponder,) if transponder else (),
            grid=self.sessions[-1].grid.get(reg) if self.sessions else None,
        )

    def _grid_slot(
        self, session: FeedSession, record: RacePosition
    ) -> list[tuple[FeedSession, list[Event]]]:
        """RMonitor has no grid field: a race's ``$G`` order before anyone crossed (no laps,
        no ``$J`` yet) is the timing system's start order, the grid the +/- column counts from.
        A board that joins after the start has none (the column stays empty)."""
        session.started = session.started or bool(record.laps or session.passings)
        if session.started or not session.settings.is_race or record.position < 1:
            return []  # a car without a lap in a race under way ($G 4 "16",,) is no grid slot
        if session.grid.get(record.reg) == record.position:
            return []
        session.grid[record.reg] = record.position
        if record.reg not in session.shown:
            return []  # it goes with its first event, its slot in it
        return self._settle_competitors([record.reg])

    def _class_name(self, number: str) -> str:
        """The $C description of a class number; 0 (or none) with no $C is no class at all."""
        if number in self._classes:
            return self._classes[number]
        return "" if number.strip() in ("", "0") else number

    def _settle_competitors(
        self, regs: list[str] | None = None
    ) -> list[tuple[FeedSession, list[Event]]]:
        """Competitors whose details changed; without ``regs``, those of the session. An
        ended session's are as they stood at its end (a later ``$A`` is the next session's)."""
        session = self._session()
        if session.ended:
            return []
        changed: list[Event] = []
        for reg in regs if regs is not None else list(session.shown):
            event = self._competitor_event(reg)
            if session.shown.get(reg) != event:
                session.shown[reg] = event
                changed.append(event)
        return self._emit(session, changed)

    def _emit_for(
        self, session: FeedSession, reg: str, events: list[Event]
    ) -> list[tuple[FeedSession, list[Event]]]:
        """Events of one car, after its competitor if the session has not had it yet."""
        if events and reg not in session.shown:
            session.shown[reg] = self._competitor_event(reg)
            events = [session.shown[reg], *events]
        return self._emit(session, events)

    # --- cars known by a transponder -------------------------------------------------------------

    def _car_of(self, reg: str) -> str | None:
        """The car a ``Tx<number>`` registration is: the one whose ``$A`` gives that transponder;
        a car of its own once timed so (its ``$J`` made it one of the session); None when no
        car names it yet. Any other registration is itself."""
        found = TRANSPONDER_REG.fullmatch(reg)
        if found is None or reg in self._competitors:
            return reg
        named = self._transponders.get(_transponder_key(found.group(1)))
        current = self.current
        if current is not None and reg in current.shown:
            return reg  # timed by its transponder alone: it stays the car it is on the board
        return named

    def _named(self, record: _ByCar) -> _ByCar:
        """The record with the registration of the car its transponder names, if it is one."""
        if record.reg[:2] != "Tx":
            return record
        reg = self._car_of(record.reg)
        return record if reg is None or reg == record.reg else replace(record, reg=reg)

    def _hold_unnamed(
        self,
        transponder: str,
        session: FeedSession | None,
        record: TimelineCrossing,
        race_ms: int | None,
    ) -> None:
        """Kept until an ``$A`` of the session names the transponder (bounded: past
        :data:`UNNAMED_KEPT`, the oldest is counted as skipped, as at the session's end)."""
        self._unnamed.append((transponder, session, record, race_ms))
        while len(self._unnamed) > UNNAMED_KEPT:
            self._skip_unnamed(self._unnamed.popleft()[2])

    def _named_now(self, transponder: str) -> list[tuple[FeedSession, list[Event]]]:
        """An ``$A`` named a transponder: its crossings held go to the car, in their order."""
        if not any(held[0] == transponder for held in self._unnamed):
            return []
        reg = self._transponders[transponder]
        added: list[tuple[FeedSession, list[Event]]] = []
        kept: deque[tuple[str, FeedSession | None, TimelineCrossing, int | None]] = deque()
        for held in self._unnamed:
            number, session, record, race_ms = held
            if number != transponder:
                kept.append(held)
            elif race_ms is None:  # a track line: the car's $J tells it
                continue
            elif session is not None and session is self.current:  # a pit-lane crossing
                added += self._pit_lane(session, reg, record.kind, race_ms)
            else:  # named only after its session (a new one flushes them: see skip_held)
                self._skip_unnamed(record)
        self._unnamed = kept
        return added

    def _skip_unnamed(self, record: TimelineCrossing) -> None:
        self._skip(Skipped(f"$L {record.reg} {record.kind}", UNNAMED))

    # --- timing ----------------------------------------------------------------------------------

    def _passing(self, record: LinePassing) -> list[tuple[FeedSession, list[Event]]]:
        """A crossing; one at race time zero waits for the car's next to tell what it was.

        The leader may truly cross at 0.000 when race time starts on its crossing; a scoreboard
        reset also leaves ``$J`` at 0.000. If the car's next ``$J`` completes a lap, the held one
        was its start; if the next one starts the clock again, the held one was left by a reset.
        """
        if record.total_ms is None or record.total_ms < 0:
            self._skip(Skipped(f"$J {record.reg}", "passing with no race time"))
            return []
        held = self._held.pop(record.reg, None)
        if record.total_ms == 0:
            if held is not None:
                self._skip_held(held)
            self._held[record.reg] = record
            return []
        start = held is not None and bool(record.lap_ms)  # the held one was the car's start
        if held is not None and not start:
            self._skip_held(held)
        session = self._session()
        self._reset_since_begin = False  # the reset before this crossing resent this session
        if held is not None and start:  # in the order they crossed
            events = self._crossing(session, held.reg, held.total_ms or 0, held.lap_ms)
            events += self._crossing(session, record.reg, record.total_ms, record.lap_ms)
        else:
            events = self._crossing(session, record.reg, record.total_ms, record.lap_ms)
        if record.reg in session.shown:
            return self._emit(session, events)
        return self._emit_for(session, record.reg, events)

    def _historical_lap(self, record: HistoricalLap) -> list[tuple[FeedSession, list[Event]]]:
        """``$RMHL``: a lap from before the board joined, sent by the relay on request."""
        if not record.total_ms or record.total_ms < 0:
            self._skip(Skipped(f"$RMHL {record.reg}", "historical lap with no race time"))
            return []
        session = self._session()
        events = self._crossing(session, record.reg, record.total_ms, record.lap_ms, record.lap)
        events += session.track(record.reg).laps_report(record.reg, record.lap, record.total_ms)
        return self._emit_for(session, record.reg, events)

    def _crossing(
        self,
        session: FeedSession,
        reg: str,
        time_ms: int,
        lap_ms: int | None,
        lap: int | None = None,
    ) -> list[Event]:
        track = session.tracks.get(reg) or session.track(reg)
        sent = track.sent(time_ms)
        if sent is not None:
            if sent != time_ms:
                session.retimed[reg, sent] = time_ms
            self._resent("the same crossing sent again")  # re-timed: see session.retimed
            return []
        session.passings[reg] += 1
        self._recent.append((time_ms, reg))
        return track.crossing(reg, time_ms, lap_ms, lap)

    def _skip_held(self, record: LinePassing) -> None:
        reason = "passing at race time zero, never timed (a scoreboard reset, or a run not timed)"
        self._skip(Skipped(f"$J {record.reg}", reason))

    def skip_held(self) -> None:
        """At the end of a stream (or session): crossings still held were never confirmed, and
        those of transponders no car named were never a car's."""
        for record in self._held.values():
            self._skip_held(record)
        self._held.clear()
        for _, _, unnamed, _ in self._unnamed:
            self._skip_unnamed(unnamed)
        self._unnamed.clear()

    def _timeline(self, record: TimelineCrossing) -> list[tuple[FeedSession, list[Event]]]:
        """IMSA ``$L``: pit in and pit out become pit-lane events; track lines come as ``$J``.

        One by a transponder no car names yet waits for the ``$A`` that names it (Orbits sends
        a car's ``$A`` once it has seen its transponder), never a car of its own.
        """
        reg = self._car_of(record.reg)
        found = TRANSPONDER_REG.fullmatch(record.reg) if reg is None else None
        if PIT_LINES.get(record.kind) is None:
            if found is not None:  # nothing to take once named; counted if never
                self._hold_unnamed(_transponder_key(found.group(1)), self.current, record, None)
            return []
        reason = ""
        if record.time_of_day_ms is None or self._clock_offset_ms is None:
            reason = "pit-lane crossing before a heartbeat gave the race time"
        else:
            race_ms = _within_half_day(record.time_of_day_ms - self._clock_offset_ms)
            if race_ms < 0:
                reason = "pit-lane crossing before the session clock started"
            elif race_ms > HALF_DAY_MS:
                reason = "pit-lane crossing at a time of day that is not one"
        if reason:
            self._skip(Skipped(f"$L {record.reg} {record.kind}", reason))
            return []
        session = self._session()
        if found is not None:
            self._hold_unnamed(_transponder_key(found.group(1)), session, record, race_ms)
            return []
        return self._pit_lane(session, reg or record.reg, record.kind, race_ms)

    def _pit_lane(
        self, session: FeedSession, reg: str, kind: str, race_ms: int
    ) -> list[tuple[FeedSession, list[Event]]]:
        seen = (reg, kind, race_ms)
        if seen in session.pit_seen:
            self._resent("the same pit-lane crossing sent again")
            return []
        session.pit_seen.add(seen)
        event = PitLane(key=reg, time_ms=race_ms, entered=PIT_LINES[kind], source=Source.FEED)
        return self._emit_for(session, reg, [event])

    def _heartbeat(self, record: Heartbeat) -> list[tuple[FeedSession, list[Event]]]:
        """Flag changes; race time counts from the first green, so that green was at zero."""
        self._follow_race_time(record)
        if record.flag == self._flag or not record.flag:
            return []
        self._flag = record.flag
        session = self._session()
        time_ms = max(0, record.race_time_ms or 0)
        events: list[Event] = []
        if not session.green_seen and (record.flag == "green" or time_ms > 0):
            session.green_seen = True  # joining late still places the start where it was
            events.append(FlagChanged(time_ms=0, flag=Flag.GREEN))
        if record.flag == "finish":
            time_ms = self._finish_crossing(time_ms)
        started_now = bool(events)
        if not (record.flag == "green" and started_now):
            events.append(FlagChanged(time_ms=time_ms, flag=FLAG_OF[record.flag]))
        return self._emit(session, events)

    def _follow_race_time(self, record: Heartbeat) -> None:
        """Race time after a reset tells a resent session from a new one; time of day, ``$L``."""
        race_ms = record.race_time_ms
        if race_ms is None or race_ms < 0:
            return
        if self._reset_from_ms is not None:
            restarted = race_ms < self._reset_from_ms - RESTART_BACKSTEP_MS
            current = self.current
            if restarted and current is not None and current.passings:
                self._restart = True
            self._reset_from_ms = None
        self._race_ms = race_ms
        try:
            time_of_day = parse_time(record.time_of_day)
        except ValueError:
            time_of_day = None
        if time_of_day is not None:
            self._clock_offset_ms = time_of_day - race_ms
        if race_ms > 0 and record.flag:  # the race clock runs: it places time zero
            self._note_clock(time_of_day, race_ms)

    def _note_clock(self, time_of_day: int | None, race_ms: int) -> None:
        """The first running heartbeat of a session: its time zero (:class:`ClockClue`)."""
        received = None if self._received is None else self._received - race_ms / 1000
        zero = None if time_of_day is None else time_of_day - race_ms
        if zero is None and received is None:
            return
        current = self.current
        if current is None or current.ended or self._restart:  # the clock of the next one
            if self._next_clock is None:
                self._next_clock = ClockClue(zero, received)
        elif current.clock is None:
            current.clock = ClockClue(zero, received)

    def _mark_day(self, record: Init) -> None:
        """A ``$I`` that names its day dates the sessions after it, and one without a day yet
        that it comes in or after (Orbits sent the Sebring 2009 tests' ``$I`` at their end)."""
        if record.day is None:
            return
        try:
            time_of_day = parse_time(record.time_of_day)
        except ValueError:
            return
        if time_of_day is None or not 0 <= time_of_day < 24 * 3600 * 1000:
            return
        self._day_mark = DayMark(record.day, time_of_day)
        current = self.current
        if current is not None and current.day_mark is None:
            current.day_mark = self._day_mark

    def _finish_crossing(self, heartbeat_ms: int) -> int:
        """``$F`` counts whole seconds: the checkered fell at the leader's crossing just before."""
        session = self._session()
        window = [
            (session.passings[reg], time_ms)
            for time_ms, reg in self._recent
            if heartbeat_ms - HEARTBEAT_RESOLUTION_MS < time_ms <= heartbeat_ms
        ]
        return max(window)[1] if window else heartbeat_ms

    def _emit(
        self, session: FeedSession, events: list[Event]
    ) -> list[tuple[FeedSession, list[Event]]]:
        session.events.extend(events)
        return [(session, events)] if events else []


def reason_counts(reasons: Counter[str], most: int = REASONS_SHOWN) -> str:
    """``6 x the same crossing sent again, 1 x not a record``: each reason once (its details
    left out by :func:`reason_kind`), the most frequent first; past ``most`` of them, the rest
    are counted together, so that every line is accounted for."""
    grouped: Counter[str] = Counter()
    for reason, count in reasons.items():
        grouped[reason_kind(reason)] += count
    ranked = grouped.most_common()
    shown = [f"{n} x {r}" for r, n in ranked[:most]]
    rest = ranked[most:]
    if rest:
        shown.append(f"{sum(n for _, n in rest)} x {len(rest)} other reason(s)")
    return ", ".join(shown)


def reason_kind(reason: str) -> str:
    """A reason with its values left out, so that like skips count together: a detail in
    brackets goes ("the same crossing sent again (re-timed by +2 ms)" counts with "the same
    crossing sent again"), a quoted value becomes "…". Applied twice, it changes nothing."""
    return re.sub(r"\s*\(.*\)", "", re.sub(r"'.*'", "…", reason)).strip()


def _transponder_key(number: str) -> str:
    """A transponder as ``$A`` and ``Tx<number>`` both give it (leading zeros left out)."""
    return number.strip().lstrip("0") or "0"


def _within_half_day(ms: int) -> int:
    """A time of day less the offset, across midnight either way."""
    day = 2 * HALF_DAY_MS
    if ms < -HALF_DAY_MS:
        return ms + day
    if ms > HALF_DAY_MS:
        return ms - day
    return ms
