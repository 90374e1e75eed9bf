"""``timingboard import``: a recorded RMonitor stream into session files, one a run."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from timingboard.engine.events import Event, Passing
from timingboard.engine.standings import BoardChange
from timingboard.feeds.official_order import OrderCheck, agree_with_timing_system, check_order
from timingboard.feeds.rmonitor_parser import RMonitorParser
from timingboard.feeds.rmonitor_session import FeedSession, RMonitorMapper, reason_counts
from timingboard.store.atomic import new_files
from timingboard.store.bulk import collection_paused
from timingboard.store.file_kind import is_session_file, what_it_is
from timingboard.store.names import slug
from timingboard.store.recorder import SessionRecorder
from timingboard.store.session_file import SessionFileError

READ_CHUNK = 1 << 20
BATCH = 5000
MAX_FIX_ROUNDS = 3  # laps short, then laps not counted


@dataclass(frozen=True, slots=True)
class ImportedSession:
    path: Path
    session: FeedSession
    passings: int
    cars: int
    check: OrderCheck
    timing_system_fixes: int  # corrections that bring the board to its own counts
    dated: bool = True  # its time zero is the capture's; else the moment of the import


@dataclass(frozen=True, slots=True)
class ImportReport:
    sessions: list[ImportedSession]
    skipped: Counter[str]  # lines not taken, by reason
    resent: Counter[str] = field(default_factory=Counter)  # records sent again, kept once

    def lines(self) -> list[str]:
        out = []
        for item in self.sessions:
            settings = item.session.settings
            out.append(
                f"{item.path}: {settings.name} ({settings.kind}), {item.cars} car(s), "
                f"{item.passings} passing(s); {item.check.summary().split(': ', 1)[1]}"
            )
            if not item.dated:
                out.append(
                    "  the capture gives no date and time of day for it: "
                    "dated by the moment of the import"
                )
            if item.timing_system_fixes:
                out.append(
                    f"  {item.timing_system_fixes} correction(s) by the timing system's own counts "
                    "(see the audit log)"
                )
        skipped = sum(self.skipped.values())
        if skipped:
            out.append(f"skipped {skipped} line(s): {reason_counts(self.skipped)}")
        if self.resent:  # the timing system's normal resends: nothing lost, said apart
            out.append(f"kept once: {reason_counts(self.resent)} (nothing lost)")
        return out


def import_stream(source: str | Path, target: str | Path) -> ImportReport:
    """Read a capture and write its sessions; existing files are never overwritten."""
    with collection_paused():  # a whole stream's records and events at once: no cycles
        return _import(Path(source), Path(target))


def _import(source: Path, target: Path) -> ImportReport:
    if is_session_file(source):  # already imported, or made here: nothing to read from it
        raise SessionFileError(
            f"{source}: this is a timingboard session file, not an RMonitor capture; open it "
            f"(timingboard open {source}) or replay it (timingboard replay {source})"
        )
    mapper = RMonitorMapper(name=source.stem)
    parser = RMonitorParser()
    try:
        with source.open("rb") as handle:
            while chunk := handle.read(READ_CHUNK):
                skipped, rows = parser.feed_rows(chunk)  # its crossings taken from their fields
                mapper.read(skipped)
                mapper.read_rows(rows)
    except OSError as exc:
        raise SessionFileError(f"cannot read {source}: {exc.strerror}") from None
    mapper.read(parser.flush())
    mapper.skip_held()
    sessions = [s for s in mapper.sessions if s.events]
    if not sessions:
        what = what_it_is(source)
        raise SessionFileError(
            f"{source} {what}: it holds no RMonitor session"
            if what
            else f"{source} holds no RMonitor session"
        )
    paths = _paths(target, sessions)
    for path in paths:
        if path.exists():
            raise SessionFileError(f"{path} already exists; choose a new name with -o")
    # each session is built in a temporary file and named only when all are complete
    with new_files(paths, reads=[source]) as temps:
        imported = [
            _write(temp, path, session, mapper)
            for temp, path, session in zip(temps, paths, sessions, strict=True)
        ]
    return ImportReport(imported, Counter(mapper.skip_reasons), Counter(mapper.resent_reasons))


def _write(temp: Path, path: Path, session: FeedSession, mapper: RMonitorMapper) -> ImportedSession:
    # time zero from the capture's own clock (receive times, else $I's day and $F's time of
    # day); only a capture that says neither is dated by the import
    origin = session.origin
    recorder = SessionRecorder.create(temp, session.settings, origin)
    try:
        # the file is named only when whole (new_files): one commit for all of it, the
        # snapshot included, not one synced commit a batch
        with recorder.file.built():
            end = len(session.events) if session.at_end is None else session.at_end.events
            fixes = 0
            for at_end, part in ((True, session.events[:end]), (False, session.events[end:])):
                for batch in batches(part):
                    _, refused = recorder.submit_valid(batch)
                    for event, reason in refused:
                        mapper.note_refused(type(event).__name__, reason)
                if at_end and session.at_end is not None:
                    fixes += settle_at_end(recorder, session)[0]
            fixes += settle_with_timing_system(recorder, session)[0]
            recorder.keep_snapshot()
        engine = recorder.engine
        return ImportedSession(
            path,
            session,
            passings=engine.passing_count(),
            cars=len(engine.cars()),
            check=check_order(engine, session),
            timing_system_fixes=fixes,
            dated=origin is not None,
        )
    finally:
        recorder.close()


def batches(events: list[Event]) -> Iterator[list[Event]]:
    """A session's events in the batches it is written in: what comes before its first
    passing (its cars, settings and flags) alone, then ``BATCH`` at a time. Passings in the
    batch that enters their cars are owned and timed when it settles, not each as it comes (a
    24-hour import's first 5,000)."""
    first = next((at for at, event in enumerate(events) if type(event) is Passing), 0)
    if first:
        yield events[:first]
    for start in range(first, len(events), BATCH):
        yield events[start : start + BATCH]


def settle_with_timing_system(
    recorder: SessionRecorder, session: FeedSession
) -> tuple[int, list[BoardChange]]:
    """When a session is left (the stream's end, the next session): the audited corrections
    that bring it to the timing system's counts.

    ``import`` and the live client both end a session this way (and at its logged end first:
    :func:`settle_at_end`), so they end on the same board. How many corrections, and what each
    round did to the board.
    """
    count, changes = 0, []
    for _ in range(MAX_FIX_ROUNDS):
        round_of_fixes = agree_with_timing_system(recorder.engine, session)
        if not round_of_fixes:
            break
        changes.append(recorder.submit(cast("list[Event]", round_of_fixes)))  # all corrections
        count += len(round_of_fixes)
    return count, changes


def settle_at_end(recorder: SessionRecorder, session: FeedSession) -> tuple[int, list[BoardChange]]:
    """At a session's logged end (``$B`` run 95), its events up to it written: the board brought
    to the timing system's counts as they stood then (``FeedSession.at_end``), as race control
    reads the results sheet. ``import`` and the live client both do it at that point of the log,
    so a live board is final at the end (not only when the link closes) and as ``import``'s;
    what comes after it is brought in when the session is left (:func:`settle_with_timing_system`).
    """
    return settle_with_timing_system(recorder, session.as_at_end())


def _paths(target: Path, sessions: list[FeedSession]) -> list[Path]:
    if len(sessions) == 1:
        return [target]
    stem, suffix = target.stem, target.suffix or ".tbs"
    return [
        target.with_name(f"{stem}-{i:02d}-{slug(s.settings.name)}{suffix}")
        for i, s in enumerate(sessions, start=1)
    ]
