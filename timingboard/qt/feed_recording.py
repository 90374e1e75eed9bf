"""A feed's sessions written to their files in order; what cannot be written yet waits.

The live client and ``timingboard import`` build the same sessions with the same mapper; this
writes every event of each session (not only what a record returned), so the live board ends
as the import of the same bytes. A write that fails (a full disk) keeps the events and raw bytes
in memory and tries again: nothing is lost once space returns.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from timingboard.engine.events import Passing
from timingboard.engine.standings import BoardChange
from timingboard.feeds.rmonitor_session import FeedSession, RMonitorMapper
from timingboard.qt.session_controller import SessionController
from timingboard.qt.session_source import SessionProducer
from timingboard.store.feed_import import settle_with_timing_system
from timingboard.store.names import free_path, last_numbered, slug
from timingboard.store.recorder import SessionRecorder
from timingboard.store.session_file import SessionFileError

RETRY_MS = 1000
EARLY_RAW_KEPT = 1 << 20  # bytes before any session: the last MiB waits for its file
MAX_WAITING_EVENTS = 200_000  # beyond this the client stops reading (the sender holds the rest)
MAX_WAITING_RAW = 64 << 20
WRITE_CHUNK = 5000  # events committed and applied in one turn of the event loop


class FeedRecording(QObject):
    """Writes ``mapper``'s sessions, one file each in ``folder``, shown by ``controller``.

    Signals
    -------
    waiting_changed(int, str)
        Passings received but not yet on disk, and why (empty when all are written).
    """

    waiting_changed = Signal(int, str)

    def __init__(
        self,
        controller: SessionController,
        folder: Path,
        mapper: RMonitorMapper,
        parent: QObject | None = None,
        retry_ms: int = RETRY_MS,
        producer: SessionProducer | None = None,
    ) -> None:
        """``producer``: who shows the feed's sessions (the client); a session is shown only
        while it is the controller's producer, and nothing of the feed reaches another."""
        super().__init__(parent)
        self._controller = controller
        self._producer = producer
        self.made: list[SessionRecorder] = []
        self._folder = folder
        self._mapper = mapper
        self._at = 0  # index in mapper.sessions of the session being written
        self._done = 0  # its events written
        self._recorder: SessionRecorder | None = None
        self._raw: list[tuple[FeedSession | None, bytes]] = []
        self._raw_bytes = 0
        self._files = 0
        self.problem = ""  # why writing stopped, while it is stopped
        self._retry = QTimer(self, singleShot=True, interval=retry_ms)
        self._retry.timeout.connect(self._on_retry_timeout)
        self._more = QTimer(self, singleShot=True, interval=0)
        self._more.timeout.connect(self._on_retry_timeout)
        self._settle_wanted = False

    @property
    def waiting_events(self) -> int:
        sessions = self._mapper.sessions
        waiting = sum(len(s.events) for s in sessions[self._at :])
        return waiting - self._done

    def waiting_passings(self) -> int:
        sessions = self._mapper.sessions[self._at :]
        return sum(
            isinstance(e, Passing)
            for i, s in enumerate(sessions)
            for e in (s.events[self._done :] if i == 0 else s.events)
        )

    @property
    def is_full(self) -> bool:
        """So much waits that reading more would only pile it up."""
        return bool(self.problem) and (
            self.waiting_events > MAX_WAITING_EVENTS or self._raw_bytes > MAX_WAITING_RAW
        )

    def keep_raw(self, data: bytes) -> None:
        """Bytes as received, for the session that is current now."""
        session = self._mapper.current
        self._raw.append((session, data))
        self._raw_bytes += len(data)
        if session is None:
            early = sum(len(d) for s, d in self._raw if s is None)
            while early > EARLY_RAW_KEPT and len(self._raw) > 1:
                early -= len(self._raw[0][1])
                self._raw_bytes -= len(self._raw.pop(0)[1])

    def write(self) -> None:
        """Write what waits, session by session; on a failed write keep it and retry.

        At most :data:`WRITE_CHUNK` events a turn of the event loop, so that what piled up
        while the disk was full goes to the board without holding the window.
        """
        was = self.problem
        try:
            done = self._write()
        except SessionFileError as exc:
            self.problem = str(exc)
            self._retry.start()
        else:
            self.problem = ""
            if not done:
                self._more.start()
            elif self._settle_wanted:
                self._settle()
        if self.problem or was:
            self.waiting_changed.emit(self.waiting_passings() if self.problem else 0, self.problem)

    def settle(self) -> None:
        """The stream stopped: bring the current session to the timing system's counts, once
        everything received is written."""
        self._settle_wanted = True
        self.write()

    def _settle(self) -> None:
        self._settle_wanted = False
        session = self._mapper.current
        if self._recorder is None or session is None or session is not self._session():
            return
        try:
            _, changes = settle_with_timing_system(self._recorder, session)
        except SessionFileError as exc:
            self._controller.error_reported.emit(str(exc))  # asked again at the next settle
            return
        for change in changes:
            self._announce(self._recorder, change)

    def finish(self) -> None:
        """The feed is left: write all that can be written now, settle, stop retrying."""
        self._settle_wanted = True
        self.write()
        while self._more.isActive() and not self.problem:
            self._more.stop()
            self.write()
        self.stop()

    def stop(self) -> None:
        self._retry.stop()
        self._more.stop()

    def _session(self) -> FeedSession | None:
        sessions = self._mapper.sessions
        return sessions[self._at] if self._at < len(sessions) else None

    def _write(self) -> bool:
        """True when everything is written; False when a chunk was, and more waits."""
        sessions = self._mapper.sessions
        while self._at < len(sessions):
            session = sessions[self._at]
            later = self._at + 1 < len(sessions)
            if session.events:
                recorder = self._recorder_for(session)
                if not self._write_events(recorder, session):
                    return False
                self._write_raw(recorder, session)
                if later:
                    _, changes = settle_with_timing_system(recorder, session)
                    for change in changes:
                        self._announce(recorder, change)
            elif later:  # a run that never had an event: its bytes go to the next one
                self._raw = [
                    (sessions[self._at + 1] if s is session else s, d) for s, d in self._raw
                ]
            if not later:
                return True
            self._at, self._done, self._recorder = self._at + 1, 0, None
        return True

    def _write_events(self, recorder: SessionRecorder, session: FeedSession) -> bool:
        """A chunk of the session's events; True if that was the last of them."""
        if self._done == len(session.events):
            return True
        chunk = session.events[self._done : self._done + WRITE_CHUNK]
        change, refused = recorder.submit_valid(chunk)
        self._done += len(chunk)
        for event, reason in refused:
            key = getattr(event, "key", "")
            self._mapper.note_refused(f"{type(event).__name__} {key}".strip(), reason)
        self._announce(recorder, change)
        return self._done == len(session.events)

    def _write_raw(self, recorder: SessionRecorder, session: FeedSession) -> None:
        mine = b"".join(d for s, d in self._raw if s is session or s is None)
        if not mine:
            return
        recorder.file.append_raw("rmonitor", mine)
        self._raw = [(s, d) for s, d in self._raw if not (s is session or s is None)]
        self._raw_bytes = sum(len(d) for _, d in self._raw)

    def _recorder_for(self, session: FeedSession) -> SessionRecorder:
        if self._recorder is not None:
            return self._recorder
        name = slug(session.settings.name, "feed")
        number = max(self._files, last_numbered(self._folder, "feed")) + 1  # after any earlier
        path = free_path(self._folder / f"feed-{number:02d}-{name}.tbs")
        try:
            self._recorder = SessionRecorder.create(path, session.settings)
        except SessionFileError:
            _remove_new_file(path)  # a disk too full to make it: the next try names it again
            raise
        self._files = number
        self.made.append(self._recorder)
        if self._controller.producer is self._producer:  # still followed: show it
            self._controller.load(self._recorder, producer=self._producer)
        return self._recorder

    def _announce(self, recorder: SessionRecorder, change: BoardChange) -> None:
        """Tell the views, when what changed is what they show."""
        if self._controller.recorder is recorder:
            self._controller.announce(change)

    def _on_retry_timeout(self) -> None:
        self.write()


def _remove_new_file(path: Path) -> None:
    """What a failed create left of a file that did not exist before it."""
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
