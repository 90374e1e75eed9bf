"""RMonitor records to our events, one session a run, and the timing system's own order.

Pure: the live client, ``timingboard import`` and the tests all go through :class:`RMonitorMapper`.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field

from timingboard.engine.events import (
    CompetitorSet,
    Event,
    Flag,
    FlagChanged,
    Passing,
    SettingsChanged,
    Source,
)
from timingboard.engine.settings import LengthUnit, SessionKind, SessionSettings
from timingboard.feeds.rmonitor_records import (
    ClassInfo,
    Competitor,
    CompetitorExt,
    Heartbeat,
    Init,
    LinePassing,
    PracticePosition,
    RacePosition,
    Record,
    Run,
    SessionKindRecord,
    Setting,
    Skipped,
)

END_OF_SESSION_RUN = 95
FLAG_OF = {"green": Flag.GREEN, "yellow": Flag.YELLOW, "red": Flag.RED, "finish": Flag.CHECKERED}
HEARTBEAT_RESOLUTION_MS = 1000
# Two loops, or a timing system re-sending a crossing, give two $J a few ms apart: no real lap
# is shorter than this, so the engine keeps the first and shows the other as a double read.
FEED_MIN_LAP_MS = 5000


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


class RMonitorMapper:
    """Reads records in order and builds sessions; ``take`` returns the events each one added."""

    def __init__(self, name: str = "RMonitor feed") -> None:
        self.sessions: list[FeedSession] = []
        self.skipped: list[Skipped] = []
        self._default_name = name
        self._competitors: dict[str, dict[str, str]] = {}
        self._classes: dict[str, str] = {}
        self._track: dict[str, str] = {}
        self._announced_kind = ""
        self._description = ""
        self._flag = ""
        self._recent: deque[tuple[int, str]] = deque(maxlen=64)
        self._held: dict[str, LinePassing] = {}

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

    def _take(self, record: Record | Skipped) -> list[tuple[FeedSession, list[Event]]]:
        match record:
            case Skipped():
                self.skipped.append(record)
            case Run(number=number, description=description):
                return self._run(number, description)
            case Init():
                self._flag = ""
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
            case LinePassing():
                return self._passing(record)
            case Heartbeat():
                return self._heartbeat(record)
            case RacePosition():
                session = self._session()
                session.race_order[record.reg] = record
                session.received["G", record.reg] = len(session.received) + len(session.events)
            case PracticePosition():
                session = self._session()
                session.best_order[record.reg] = record
                session.received["H", record.reg] = len(session.received) + len(session.events)
        return []

    # --- sessions --------------------------------------------------------------------------------

    def _session(self) -> FeedSession:
        if not self.sessions:
            self.sessions.append(FeedSession(None, self._settings()))
            self.sessions[-1].events.extend(self._all_competitors())
        return self.sessions[-1]

    def _run(self, number: int, description: str) -> list[tuple[FeedSession, list[Event]]]:
        current = self.current
        if number == END_OF_SESSION_RUN:
            if current is not None:
                current.ended = True
            return []
        self._description = description or self._description
        if current is not None and current.run in (None, number):
            current.run = number
            return self._settings_update()
        session = FeedSession(number, self._settings())
        self.sessions.append(session)
        self._flag = ""
        self._recent.clear()
        self.skip_held()
        setup = self._all_competitors()
        session.events.extend(setup)
        return [(session, setup)]

    def _settings(self) -> SessionSettings:
        length = self._track.get("TRACKLENGTH", "")
        try:
            track_length = float(length) if length else 0.0
        except ValueError:
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
        if isinstance(record, Competitor) and record.transponder not in ("", "0"):
            known["transponder"] = record.transponder
        if isinstance(record, CompetitorExt) and record.additional:
            known["team"] = record.additional
        return self._settle_competitors([record.reg])

    def _competitor_event(self, reg: str) -> CompetitorSet:
        known = self._competitors[reg]
        transponder = known.get("transponder", "")
        return CompetitorSet(
            key=reg,
            car=known.get("car", reg),
            driver=known.get("driver", ""),
            team=known.get("team", ""),
            car_class=self._classes.get(known.get("class", ""), known.get("class", "")),
            transponders=(transponder,) if transponder else (),
        )

    def _all_competitors(self) -> list[Event]:
        return [self._competitor_event(reg) for reg in self._competitors]

    def _settle_competitors(
        self, regs: list[str] | None = None
    ) -> list[tuple[FeedSession, list[Event]]]:
        session = self._session()
        shown = {e.key: e for e in session.events if isinstance(e, CompetitorSet)}
        changed: list[Event] = []
        for reg in regs if regs is not None else list(self._competitors):
            event = self._competitor_event(reg)
            if shown.get(reg) != event:
                changed.append(event)
        return self._emit(session, changed)

    # --- timing ----------------------------------------------------------------------------------

    def _passing(self, record: LinePassing) -> list[tuple[FeedSession, list[Event]]]:
        """A crossing; one at race time zero waits for the car's next to tell what it was.

        The leader may truly cross at 0.000 when race time starts on its crossing; a scoreboard
        reset also leaves ``$J`` at 0.000. If the car's next ``$J`` completes a lap, the held one
        was its start; if the next one starts the clock again, the held one was left by a reset.
        """
        if record.total_ms is None or record.total_ms < 0:
            self.skipped.append(Skipped(f"$J {record.reg}", "passing with no race time"))
            return []
        held = self._held.pop(record.reg, None)
        if record.total_ms == 0:
            if held is not None:
                self._skip_held(held)
            self._held[record.reg] = record
            return []
        crossings = [record]
        if held is not None:
            if record.lap_ms:
                crossings.insert(0, held)
            else:
                self._skip_held(held)
        return self._emit(self._session(), [self._crossing(c) for c in crossings])

    def _crossing(self, record: LinePassing) -> Passing:
        session = self._session()
        time_ms = record.total_ms or 0
        session.passings[record.reg] += 1
        self._recent.append((time_ms, record.reg))
        return Passing(time_ms=time_ms, key=record.reg, source=Source.FEED)

    def _skip_held(self, record: LinePassing) -> None:
        reason = "passing at race time zero left by a scoreboard reset"
        self.skipped.append(Skipped(f"$J {record.reg}", reason))

    def skip_held(self) -> None:
        """At the end of a stream: crossings still held were never confirmed."""
        for record in self._held.values():
            self._skip_held(record)
        self._held.clear()

    def _heartbeat(self, record: Heartbeat) -> list[tuple[FeedSession, list[Event]]]:
        """Flag changes; race time counts from the first green, so that green was at zero."""
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
