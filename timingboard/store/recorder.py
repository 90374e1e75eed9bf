"""The one entry point for events: check, commit to the session file, then apply.

Manual entry, feeds and replay all submit here, so nothing reaches the board that is not on disk.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from timingboard.engine.engine import TimingEngine
from timingboard.engine.events import CompetitorSet, Event, LogEntry
from timingboard.engine.settings import SessionSettings
from timingboard.engine.standings import BoardChange
from timingboard.engine.validation import InvalidEvent
from timingboard.store.bulk import CollectorPacer, collection_paused
from timingboard.store.session_file import SessionFile


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
    def open(cls, path: str | Path) -> SessionRecorder:
        """Open a saved session; the board is rebuilt exactly from its log."""
        file = SessionFile.open(path)
        try:
            with collection_paused():
                engine = TimingEngine.from_log(file.settings, file.entries())
        except Exception:
            file.close()
            raise
        return cls(file, engine)

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
        self.file.close()
