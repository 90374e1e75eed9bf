"""The one entry point for events: check, commit to the session file, then apply.

Manual entry, feeds and replay all submit here, so nothing reaches the board that is not on disk.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from timingboard.engine.engine import TimingEngine
from timingboard.engine.events import CompetitorSet, Event, LogEntry
from timingboard.engine.settings import SessionSettings
from timingboard.engine.standings import BoardChange
from timingboard.engine.validation import InvalidEvent
from timingboard.store import snapshot
from timingboard.store.bulk import CollectorPacer, collection_paused
from timingboard.store.session_file import SessionFile, SessionFileError


class Refused(NamedTuple):
    """An event a session would not take, and why."""

    event: Event
    reason: str


class SessionRecorder:
    """A session file and its engine, kept in step."""

    def __init__(self, file: SessionFile, engine: TimingEngine) -> None:
        self.file = file
        self.engine = engine
        self._pacer = CollectorPacer()

    @classmethod
    def create(cls, path: str | Path, settings: SessionSettings) -> SessionRecorder:
        return cls(SessionFile.create(path, settings), TimingEngine(settings))

    @classmethod
    def open(cls, path: str | Path, read_only: bool = False) -> SessionRecorder:
        """Open a saved session; the board is rebuilt exactly from its log.

        A damaged log opens read-only up to its first damaged event (``read_only_reason``
        says so); a session another process holds, or that cannot be written, opens read-only.
        """
        file = SessionFile.open(path, read_only=read_only)
        try:
            with collection_paused():
                log = list(file.intact_entries())
                if file.damage is None:
                    engine = snapshot.engine_from(file, log)
                else:
                    engine = TimingEngine.from_log(file.settings, log)
        except SessionFileError:
            file.close()
            raise
        except Exception as exc:  # a log that decodes but cannot be a session: damaged
            file.close()
            raise SessionFileError(f"{path} is damaged ({type(exc).__name__}: {exc})") from None
        if file.damage is not None:
            file.give_up_writing(f"{file.damage}; opened read-only up to the event before it")
        try:
            file.begin_writing()
        except SessionFileError as exc:
            file.give_up_writing(str(exc))
        return cls(file, engine)

    @property
    def read_only_reason(self) -> str | None:
        """Why this session takes no events (None: it does)."""
        if not self.file.read_only:
            return None
        return self.file.read_only_reason or "it was opened for reading only"

    @property
    def settings(self) -> SessionSettings:
        return self.engine.settings

    def submit(self, events: Sequence[Event]) -> BoardChange:
        """Check every event, commit them all, then apply them; InvalidEvent leaves all out.

        Each event is checked against the session as it stands before the batch, so a
        correction naming a car must come after the batch that registers the car; the timing
        system's reports may name a car registered earlier in the same batch.
        """
        entered: set[str] = set()
        for event in events:
            self.engine.validate(event, entered)
            if isinstance(event, CompetitorSet):
                entered.add(event.key)
        entries: list[LogEntry] = self.file.append(events)
        change = self.engine.apply(entries)
        self._pacer.note(len(entries))
        return change

    def submit_valid(self, events: Sequence[Event]) -> tuple[BoardChange, list[Refused]]:
        """As :meth:`submit`, but an event the session refuses is left out alone, not the batch.

        For feeds: one odd record must not cost the crossings that came with it. The events
        left out come back with the reason; a write that fails (a full disk) still takes none.
        """
        try:
            return self.submit(events), []
        except InvalidEvent:
            pass
        entered: set[str] = set()
        taken: list[Event] = []
        refused: list[Refused] = []
        for event in events:
            try:
                self.engine.validate(event, entered)
            except InvalidEvent as exc:
                refused.append(Refused(event, str(exc)))
                continue
            taken.append(event)
            if isinstance(event, CompetitorSet):
                entered.add(event.key)
        return self.submit(taken), refused

    def close(self) -> None:
        """Close; the board is kept in the file (a snapshot) so that it opens fast next time."""
        with contextlib.suppress(SessionFileError):  # only a faster next opening is lost
            snapshot.keep(self.file, self.engine)
        self.file.close()
