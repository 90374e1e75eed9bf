"""A saved session or a recorded RMonitor stream, opened to be replayed and never written."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

from timingboard.engine.engine import TimingEngine
from timingboard.engine.events import Event, LogEntry
from timingboard.engine.replay import ReplayTimeline
from timingboard.engine.settings import SessionSettings
from timingboard.engine.standings import BoardChange
from timingboard.engine.validation import InvalidEvent
from timingboard.feeds.rmonitor_parser import RMonitorParser
from timingboard.feeds.rmonitor_session import RMonitorMapper
from timingboard.store.bulk import collection_paused
from timingboard.store.errors import missing
from timingboard.store.file_kind import what_it_is
from timingboard.store.session_file import SessionFile, SessionFileError, mark_branched

READ_ONLY_MESSAGE = "this is a replay and is never changed; use File ▸ Branch a copy to correct it"


class ReplaySource:
    """Stands where a recorder stands for the views; refuses every event."""

    file = None  # nothing is written
    replayed = True
    read_only_reason = READ_ONLY_MESSAGE
    checking = False  # read whole before it is shown: nothing is checked later
    check_finished = True

    def __init__(
        self, name: str, timeline: ReplayTimeline, path: Path | None, read_from: Path | None = None
    ) -> None:
        self.name = name
        self.path = path
        self.read_from = read_from or path  # the file replayed: a session file or a capture
        self.timeline = timeline
        self.engine: TimingEngine = timeline.engine_at(0)
        self.note: str | None = None  # what the user must know of the file (damage)
        self.origin: float | None = None  # a session file's time zero (epoch s)

    @property
    def settings(self) -> SessionSettings:
        return self.engine.settings

    def when_checked(self, done: Callable[[], None]) -> None:
        """No check runs: ``done`` is never called."""

    def settle(self) -> bool:
        return False

    def take_appended(self, limit: int) -> tuple[BoardChange, int, str | None]:
        """A replay is read whole: nothing is appended to follow."""
        return BoardChange(), 0, None

    @classmethod
    def from_session_file(cls, path: str | Path) -> ReplaySource:
        path = Path(path)
        file = SessionFile.open(path, read_only=True)
        # the collector kept out until the timeline is made too (the window's thread collects
        # on a timer otherwise: a pass over the young log made it wait ~50-100 ms each time)
        with collection_paused():
            try:
                log = list(file.intact_entries())  # a damaged log replays up to the damage
                logged_at = file.logged_times(len(log))
            finally:
                file.close()
            try:
                timeline = ReplayTimeline(file.settings, log, logged_at=logged_at)
            except Exception as exc:  # a log that decodes but cannot be a session: damaged
                message = f"{path} is damaged ({type(exc).__name__}: {exc})"
                raise SessionFileError(message) from None
            source = cls(path.name, timeline, path)
        source.origin = file.origin
        if file.damage is not None:
            source.note = f"{file.damage}; replayed up to the event before it"
        return source

    @classmethod
    def from_capture(cls, path: str | Path, run: int = 0) -> ReplaySource:
        """A recorded RMonitor stream; ``run`` picks one of its sessions (the first by default)."""
        path = Path(path)
        mapper = RMonitorMapper(name=path.stem)
        parser = RMonitorParser()
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SessionFileError(f"cannot read {path}: {exc.strerror}") from None
        mapper.take(parser.feed(data) + parser.flush())
        mapper.skip_held()
        sessions = [s for s in mapper.sessions if s.events]
        if not sessions:
            what = what_it_is(path)
            if what:  # said what it is, not only what it lacks
                raise SessionFileError(
                    f"{path} {what}: not a timingboard session file, nor an RMonitor or P3 "
                    "capture to replay"
                )
            raise SessionFileError(f"{path} holds no RMonitor session")
        session = sessions[min(run, len(sessions) - 1)]
        log = [LogEntry(i + 1, e) for i, e in enumerate(session.events)]
        return cls(
            f"{path.name}: {session.settings.name}",
            ReplayTimeline(session.settings, log),
            None,
            path,
        )

    @classmethod
    def from_p3_capture(cls, path: str | Path) -> ReplaySource:
        """A P3 decoder capture (hex text or raw bytes), every decoder on the finish line."""
        from timingboard.store.p3_import import capture_session

        path = Path(path)
        settings, events = capture_session(path)
        log = [LogEntry(i + 1, e) for i, e in enumerate(events)]
        return cls(f"{path.name}: {settings.name}", ReplayTimeline(settings, log), None, path)

    @classmethod
    def open(cls, path: str | Path) -> ReplaySource:
        """A session file, or else a recorded P3 or RMonitor stream."""
        path = Path(path)
        if path.is_dir():
            raise SessionFileError(f"{path} is a folder, not a session file or a capture")
        if not path.is_file():
            raise SessionFileError(missing(path))
        with path.open("rb") as handle:
            is_sqlite = handle.read(16) == b"SQLite format 3\x00"
        if is_sqlite:
            return cls.from_session_file(path)
        from timingboard.store.p3_import import is_p3_capture

        return cls.from_p3_capture(path) if is_p3_capture(path) else cls.from_capture(path)

    def submit(self, events: Sequence[Event]) -> BoardChange:
        raise InvalidEvent(READ_ONLY_MESSAGE)

    def branch(self, target: str | Path) -> Path:
        """Copy the replayed session file to ``target``, to be opened and corrected: the copy
        says it is one (:func:`~timingboard.store.session_file.mark_branched`)."""
        from timingboard.store.atomic import new_files, refuse_unsafe_output

        target = Path(target)
        if self.path is None:
            raise SessionFileError("a recorded stream has no session file: import it first")
        refuse_unsafe_output(target, [self.path])  # the one rule of what may be written
        if target.exists() or target.is_symlink():
            raise SessionFileError(f"{target} already exists; choose a new file name")
        with new_files([target], reads=[self.path]) as (temp,):  # whole or not at all
            source = copy = None
            try:
                source = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
                copy = sqlite3.connect(temp, isolation_level=None)
                source.backup(copy)
                mark_branched(copy, self.path.resolve())
                copy.execute("PRAGMA journal_mode = DELETE")
            except sqlite3.Error as exc:
                raise SessionFileError(f"cannot copy to {target}: {exc}") from None
            finally:
                for connection in (source, copy):
                    if connection is not None:
                        connection.close()
        return target

    def abandon(self) -> None:
        """Nothing is open: the log was read whole."""

    def close(self, in_background: bool = False) -> None:
        """Nothing is open: the log was read whole."""
