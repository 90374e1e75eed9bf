"""The event folder is the event: its sessions, and ``event.json`` with its name, date and track.

``event.json`` already records which session was made from which (store/progression.py); this
module adds the event's own details (``"event"``) and its classes (``"classes"``) beside that,
leaving every other key as it found it. Sessions are read without being changed.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from timingboard.engine.engine import TimingEngine
from timingboard.engine.events import CompetitorSet
from timingboard.engine.settings import LengthUnit, SessionKind, SessionSettings
from timingboard.store.atomic import write_text
from timingboard.store.entry_list import CarClass
from timingboard.store.names import in_number_order, number_key
from timingboard.store.progression import MANIFEST, recorded_source, source_path
from timingboard.store.session_file import SessionFile, SessionFileError
from timingboard.store.session_lock import holder_of

MAX_TRACK_LENGTH = 100.0
OFFICIAL_EVENT_NAMES = ("ResultsDeclared",)  # the "results" branch's event, once merged


class EventFolderError(Exception):
    """An ``event.json`` or event detail that cannot be used; the message is for the user."""


@dataclass(frozen=True, slots=True)
class EventInfo:
    """What every session of the event shares: its name, date and track."""

    name: str = ""
    date: str = ""  # ISO 8601 (YYYY-MM-DD), or empty
    track_name: str = ""
    track_length: float = 0.0
    length_unit: LengthUnit = LengthUnit.MILES

    def check(self) -> EventInfo:
        """This event if its details make sense, else :class:`EventFolderError` says why."""
        if self.date:
            try:
                date.fromisoformat(self.date)
            except ValueError:
                raise EventFolderError(f"{self.date!r} is not a date (YYYY-MM-DD)") from None
        length = self.track_length
        if not isinstance(length, int | float) or isinstance(length, bool):
            raise EventFolderError("the track length is not a number")
        if not math.isfinite(length) or not 0 <= length <= MAX_TRACK_LENGTH:
            raise EventFolderError(
                f"a track of {length} {self.length_unit}? (0 to {MAX_TRACK_LENGTH:g})"
            )
        return self

    def inherit(self, settings: SessionSettings) -> SessionSettings:
        """The event's track for a new session that names no track of its own."""
        if settings.track_name or not (self.track_name or self.track_length):
            return settings
        return replace(
            settings,
            track_name=self.track_name,
            track_length=float(self.track_length),
            length_unit=self.length_unit,
        )


class Status(StrEnum):
    SCHEDULED = "scheduled"
    LIVE = "live"
    STOPPED = "stopped"  # begun, not finished, and no window or command is timing it now
    FINISHED = "finished"
    NO_LAPS = "no laps"  # ended with no crossing ("finished" said it was run: an HPDE S1)
    OFFICIAL = "results official"
    READING = "reading…"  # its file is being read (in a worker) for the Event view


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """One row of the Event view."""

    path: Path
    name: str
    kind: SessionKind
    status: Status
    started: str  # local wall-clock time of the green ("HH:MM"), or empty
    laps: int | None  # the leader's laps
    winner: str  # the leader ("31 Justin Haley"), or empty
    made_from: tuple[str, ...]  # as event.json names them (see progression.recorded_source)
    rule: str
    problem: str = ""  # a file that could not be read: why
    # those of made_from no longer there (a deleted file, the demo's folder gone): looked up
    # once, here, not each time the row is painted
    gone: tuple[str, ...] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        folder = self.path.parent
        gone = tuple(n for n in self.made_from if not source_path(folder, n).exists())
        object.__setattr__(self, "gone", gone)


def manifest(folder: Path) -> dict[str, Any]:
    """``event.json`` as stored (an empty event if there is none)."""
    path = Path(folder) / MANIFEST
    if not path.exists():
        return {"sessions": []}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EventFolderError(f"{path} cannot be read ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("sessions", []), list):
        raise EventFolderError(f"{path} is not an event manifest")
    data.setdefault("sessions", [])
    return data


def _write(folder: Path, data: dict[str, Any]) -> None:
    """Write ``event.json`` whole or not at all, with the permissions of the event's other files
    (store/atomic.py; a private temporary file made it readable by its owner only)."""
    try:
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        write_text(Path(folder) / MANIFEST, text, event_record=True)
    except SessionFileError as exc:
        raise EventFolderError(str(exc)) from None


def read_event(folder: Path) -> EventInfo:
    raw = manifest(folder).get("event", {})
    if not isinstance(raw, dict):
        raise EventFolderError(f"{Path(folder) / MANIFEST}: 'event' is not an object")
    try:
        unit = LengthUnit(raw.get("length_unit", "mi"))
        info = EventInfo(
            name=str(raw.get("name", "")),
            date=str(raw.get("date", "")),
            track_name=str(raw.get("track_name", "")),
            track_length=raw.get("track_length", 0.0),
            length_unit=unit,
        )
    except ValueError as exc:
        raise EventFolderError(f"{Path(folder) / MANIFEST}: {exc}") from None
    return info.check()


def event_name_of(session: str | Path) -> str:
    """The name of a session's event (its folder's ``event.json``), for a results sheet given no
    event name: the one home of that default for the window's sheets and ``results``' (the
    window's PDF read "Busch Light Clash · End test", the command's of the same session "End
    test"); "" when the folder keeps none, or a record that cannot be read."""
    try:
        return read_event(Path(session).parent).name
    except (EventFolderError, OSError):
        return ""


def write_event(folder: Path, info: EventInfo) -> None:
    data = manifest(folder)
    info.check()
    data["event"] = {
        "name": info.name,
        "date": info.date,
        "track_name": info.track_name,
        "track_length": info.track_length,
        "length_unit": info.length_unit.value,
    }
    _write(folder, data)


def read_classes(folder: Path) -> list[CarClass]:
    raw = manifest(folder).get("classes", [])
    classes = []
    for index, item in enumerate(raw if isinstance(raw, list) else [], start=1):
        if isinstance(item, dict) and str(item.get("name", "")).strip():
            colour = str(item.get("colour", ""))
            if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
                colour = "#888888"
            order = item.get("order", index)
            classes.append(
                CarClass(str(item["name"]), colour, order if isinstance(order, int) else index)
            )
    return sorted(classes, key=lambda c: c.order)


def write_classes(folder: Path, classes: list[CarClass]) -> None:
    data = manifest(folder)
    data["classes"] = [{"name": c.name, "colour": c.colour, "order": c.order} for c in classes]
    _write(folder, data)


def record_session(folder: Path, made: Path, made_from: list[Path], rule: str) -> None:
    """Add a new session to the event (what it was made from, and how)."""
    data = manifest(folder)
    data["sessions"].append(
        {
            "file": made.name,
            "made_from": [recorded_source(folder, p) for p in made_from],
            "rule": rule,
        }
    )
    _write(folder, data)


def session_files(folder: Path) -> list[Path]:
    """The event's sessions: those ``event.json`` names first, in its order, then the others."""
    folder = Path(folder)
    try:
        named = [
            str(s.get("file", "")) for s in manifest(folder)["sessions"] if isinstance(s, dict)
        ]
    except EventFolderError:
        named = []
    on_disk = sorted(folder.glob("*.tbs"), key=lambda p: (_modified(p), number_key(p.name)))
    on_disk = in_number_order(on_disk)  # a feed's sessions as it made them: feed-99, feed-100
    order = {name: index for index, name in enumerate(named)}
    return _once_each(sorted(on_disk, key=lambda p: order.get(p.name, len(order))))


def _modified(path: Path) -> float:
    """When the file was last written; a link whose target is gone by the link's own time
    (``stat`` raised FileNotFoundError and the Event tab failed on it)."""
    try:
        return path.stat().st_mtime
    except OSError:
        try:
            return path.lstat().st_mtime
        except OSError:  # gone since the folder was listed: last
            return float("inf")


def dangling_link(path: Path) -> str | None:
    """Why a session listed cannot be read because it is a link whose target is gone, or None."""
    if not path.is_symlink() or path.exists():
        return None
    try:
        target = os.readlink(path)
    except OSError:
        target = "its file"
    return f"the link's target {target} is gone"


def _once_each(paths: list[Path]) -> list[Path]:
    """Each session file once: a link to one in the folder (``link.tbs → bh.tbs``) read as a
    second identical row. The file itself is kept, at the place of the first of them."""
    kept: dict[Path, int] = {}
    shown: list[Path] = []
    for path in paths:
        real = path.resolve()
        if real not in kept:
            kept[real] = len(shown)
            shown.append(path)
        elif shown[kept[real]].is_symlink() and not path.is_symlink():
            shown[kept[real]] = path
    return shown


Known = Callable[[Path, tuple[str, ...], str], "SessionSummary | None"]
Planned = tuple[Path, tuple[str, ...], str]  # a session file, what it was made from, and how


def planned(folder: Path) -> list[Planned]:
    """The event's sessions in the Event view's order, each with what ``event.json`` says it
    was made from and by what rule (nothing is read of the sessions themselves)."""
    folder = Path(folder)
    try:
        made = {str(s.get("file")): s for s in manifest(folder)["sessions"] if isinstance(s, dict)}
    except EventFolderError:
        made = {}
    plans = []
    for path in session_files(folder):
        record = made.get(path.name, {})
        sources = tuple(str(s) for s in record.get("made_from", []) if isinstance(s, str))
        plans.append((path, sources, str(record.get("rule", ""))))
    return plans


def being_read(path: Path, made_from: tuple[str, ...] = (), rule: str = "") -> SessionSummary:
    """A session's row while its file is still being read: its name and "reading…"."""
    return SessionSummary(
        path, path.stem, SessionKind.RACE, Status.READING, "", None, "", made_from, rule
    )


def summarise(folder: Path, known: Known | None = None) -> list[SessionSummary]:
    """Every session of the event, as the Event view lists them (each file read here; the
    window reads them in a worker: timingboard.qt.summary_reader).

    ``known(path, made_from, rule)``: the summary of a session already at hand (the one open in
    the window, from its engine), else None; such a session is not read again (a 24-hour one
    would be read and rebuilt whole: seconds, and ~70 MB resident).
    """
    rows = []
    for path, sources, rule in planned(folder):
        at_hand = known(path, sources, rule) if known is not None else None
        rows.append(at_hand or summarise_session(path, sources, rule))
    return rows


def summarise_session(
    path: Path,
    made_from: tuple[str, ...] = (),
    rule: str = "",
    release: Callable[[list[Any]], None] | None = None,
) -> SessionSummary:
    """A session's row, its board rebuilt from its log. ``release`` (the Event view's worker)
    is handed the engine and log read, to free them its own way (in pieces: a 24-hour session's
    freed at once held the GIL, so the GUI thread too, ~200 ms; :mod:`store.piecemeal`)."""
    gone = dangling_link(path)
    if gone is not None:
        return SessionSummary(
            path, path.stem, SessionKind.RACE, Status.SCHEDULED, "", None, "", made_from, rule,
            problem=gone,
        )  # fmt: skip
    try:
        file = SessionFile.open(path, read_only=True)
        try:
            log = list(file.entries())
        finally:
            file.close()
        engine = TimingEngine.from_log(file.settings, log)
    except (SessionFileError, ValueError) as exc:
        return SessionSummary(
            path, path.stem, SessionKind.RACE, Status.SCHEDULED, "", None, "", made_from, rule,
            problem=str(exc),
        )  # fmt: skip
    official = any(type(e.event).__name__ in OFFICIAL_EVENT_NAMES for e in log)
    summary = summarise_engine(engine, path, file.origin, made_from, rule, official)
    if release is not None:
        held: list[Any] = [engine, log]
        del engine, log
        release(held)
    return unless_held(summary)


def unless_held(summary: SessionSummary) -> SessionSummary:
    """A file's row read from its log: live only while some program holds it (else the demo
    stopped, the feed moved on)."""
    if summary.status is Status.LIVE and holder_of(summary.path) is None:
        return replace(summary, status=Status.STOPPED)
    return summary


def summarise_engine(
    engine: TimingEngine,
    path: Path,
    origin: float,
    made_from: tuple[str, ...] = (),
    rule: str = "",
    official: bool = False,
) -> SessionSummary:
    """The Event view's row of a session as its engine stands (the open one, lap by lap)."""
    status = Status.SCHEDULED
    if engine.passing_count() or engine.flag_changes():
        status = Status.LIVE
    if engine.finish_ms is not None:  # a checkered a green took back is none (as on the sheet)
        status = Status.FINISHED if engine.passing_count() else Status.NO_LAPS
    if engine.ended_ms is not None:  # the timing system or the operator ended it: final
        status = Status.FINISHED if engine.passing_count() else Status.NO_LAPS
    if official:
        status = Status.OFFICIAL
    started = ""
    began = engine.started_ms()  # the green, else the first crossing
    if began is not None:
        moment = datetime.fromtimestamp(origin + began / 1000, UTC).astimezone()
        started = moment.strftime("%H:%M")
    order = engine.board_order
    laps = engine.standing(order[0]).laps if order and status is not Status.SCHEDULED else None
    winner = _name(engine.entry_list().get(order[0])) if order and laps else ""
    settings = engine.settings
    return SessionSummary(
        path, settings.name, settings.kind, status, started, laps, winner, made_from, rule
    )


def _name(competitor: CompetitorSet | None) -> str:
    if competitor is None:
        return ""
    return f"{competitor.car} {competitor.driver}".strip()


def inherit_track(settings: SessionSettings, folder: Path) -> SessionSettings:
    """A new session in ``folder`` gets the event's track when it names none itself."""
    try:
        return read_event(folder).inherit(settings)
    except EventFolderError:
        return settings
