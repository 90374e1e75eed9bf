"""Follows a timing system's RMonitor feed over TCP: a session file a run, raw bytes kept.

A ``QTcpSocket`` on the GUI thread (reads never block); a dropped link is retried with
back-off, and the link state is announced.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtNetwork import QAbstractSocket, QTcpSocket

from timingboard.feeds.rmonitor_parser import RMonitorParser
from timingboard.feeds.rmonitor_records import (
    Heartbeat,
    PracticePosition,
    RacePosition,
    Skipped,
)
from timingboard.feeds.rmonitor_session import FeedSession, RMonitorMapper
from timingboard.feeds.rmonitor_writer import NO_LAPS_TO_GO
from timingboard.qt.session_controller import SessionController
from timingboard.store.names import free_path, slug
from timingboard.store.recorder import SessionRecorder
from timingboard.store.session_file import SessionFileError

# After a drop the first retries come fast (a blip costs a quarter of a second), then ease off
# to one try every 10 s: the board is never stale for long once the timing system is back.
FIRST_RETRY_MS = 250
LONGEST_RETRY_MS = 10_000


class LinkState(StrEnum):
    OFF = "not connected"
    CONNECTING = "connecting"
    UP = "connected"
    RETRYING = "link lost, retrying"


class RMonitorClient(QObject):
    """Reads the feed, writes each run to its own session file in ``folder``, shows it.

    Signals
    -------
    link_changed(str)
        The link state (a ``LinkState``) and, when it dropped, why.
    lines_skipped(int)
        How many lines of the feed could not be used so far (each with a reason in ``skipped``).
    official_order_changed()
        The timing system sent its own order (``$G``/``$H``); see :attr:`feed_session`.
    """

    link_changed = Signal(str)
    lines_skipped = Signal(int)
    official_order_changed = Signal()

    def __init__(
        self,
        controller: SessionController,
        folder: Path,
        parent: QObject | None = None,
        first_retry_ms: int = FIRST_RETRY_MS,
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._folder = folder
        self._socket = QTcpSocket(self)
        self._socket.connected.connect(self._on_socket_connected)
        self._socket.readyRead.connect(self._on_socket_ready_read)
        self._socket.disconnected.connect(self._on_socket_disconnected)
        self._socket.errorOccurred.connect(self._on_socket_error_occurred)
        self._retry = QTimer(self, singleShot=True)
        self._retry.timeout.connect(self._connect)
        self._first_retry_ms = first_retry_ms
        self._delay_ms = first_retry_ms
        self._target: tuple[str, int] | None = None
        self._parser = RMonitorParser()
        self._mapper = RMonitorMapper()
        self._files: dict[int, SessionRecorder] = {}
        self._raw_pending = b""
        self.state = LinkState.OFF
        self.skipped: list[Skipped] = []

    @property
    def feed_session(self) -> FeedSession | None:
        return self._mapper.current

    @property
    def session_shown(self) -> bool:
        """The session on the board is one this feed made (not the one shown before it)."""
        return any(r is self._controller.recorder for r in self._files.values())

    def connect_to(self, host: str, port: int) -> None:
        """Follow the timing system there; from now on this feed alone writes to the board."""
        self._controller.claim(self)
        self._target = (host, port)
        self._delay_ms = self._first_retry_ms
        self._connect()

    def reconnect_now(self) -> None:
        """Drop the link and connect again at once; the retries start fast again."""
        if self._target is None:
            return
        self._retry.stop()
        self._delay_ms = self._first_retry_ms
        self._connect()

    def disconnect_from_feed(self) -> None:
        self._target = None
        self._retry.stop()
        self._socket.abort()
        self._set_state(LinkState.OFF)

    def _connect(self) -> None:
        if self._target is None:
            return
        self._socket.abort()
        self._set_state(LinkState.CONNECTING)
        self._socket.connectToHost(*self._target)

    def _set_state(self, state: LinkState, why: str = "") -> None:
        self.state = state
        self.link_changed.emit(f"{state}: {why}" if why else str(state))

    def _on_socket_connected(self) -> None:
        self._delay_ms = self._first_retry_ms
        self._set_state(LinkState.UP)

    def _on_socket_disconnected(self) -> None:
        self._schedule_retry("the timing system closed the link")

    def _on_socket_error_occurred(self, error: QAbstractSocket.SocketError) -> None:
        if error != QAbstractSocket.SocketError.RemoteHostClosedError:
            self._schedule_retry(self._socket.errorString())

    def _schedule_retry(self, why: str) -> None:
        if self._target is None or self._retry.isActive():
            return
        self._set_state(LinkState.RETRYING, f"{why}; next try in {self._delay_ms / 1000:g} s")
        self._retry.start(self._delay_ms)
        self._delay_ms = min(self._delay_ms * 2, LONGEST_RETRY_MS)

    def _on_socket_ready_read(self) -> None:
        data = bytes(self._socket.readAll().data())
        if self._controller.producer is not self:
            return  # another session took the board; its files are not this feed's
        self.take(data)
        self._keep_raw(data)

    def take(self, data: bytes) -> None:
        """Bytes from the feed: parse, map, and submit to the session they belong to."""
        if self._controller.producer is not self:
            return  # another session took the board: nothing of the feed goes into it
        records = self._parser.feed(data)
        skipped = [r for r in records if isinstance(r, Skipped)]
        before = len(self._mapper.skipped)
        official_seen = any(isinstance(r, RacePosition | PracticePosition) for r in records)
        for session, events in self._mapper.take(records):
            recorder = self._recorder_for(session)
            if recorder is not None and events and recorder is self._controller.recorder:
                self._controller.submit(events)
        self.skipped += skipped + self._mapper.skipped[before:]
        if skipped or len(self._mapper.skipped) > before:
            self.lines_skipped.emit(len(self.skipped))
        if official_seen:
            self.official_order_changed.emit()
        self._follow_clock(records)

    def _follow_clock(self, records: list) -> None:
        """The session clock runs on from the timing system's last heartbeat; laps to go too."""
        if not self.session_shown:
            return  # the clock of the session shown before the feed's is not the feed's
        beats = [r for r in records if isinstance(r, Heartbeat)]
        if not beats:
            return
        last = beats[-1]
        told = last.laps_to_go
        known = told is not None and told < NO_LAPS_TO_GO
        self._controller.reported_laps_to_go = told if known else None
        if last.race_time_ms is not None and last.race_time_ms >= 0:
            self._controller.run_clock(last.race_time_ms)

    def _keep_raw(self, data: bytes) -> None:
        """Into the current run's file; bytes that came before any run wait for its file."""
        self._raw_pending += data
        session = self._mapper.current
        recorder = self._files.get(id(session)) if session else None
        if recorder is None:
            return
        try:
            recorder.file.append_raw("rmonitor", self._raw_pending)
            self._raw_pending = b""
        except SessionFileError as exc:
            self._controller.error_reported.emit(str(exc))

    def _recorder_for(self, session: FeedSession) -> SessionRecorder | None:
        recorder = self._files.get(id(session))
        if recorder is not None:
            return recorder
        index = len(self._files) + 1
        name = slug(session.settings.name, "feed")
        path = free_path(self._folder / f"feed-{index:02d}-{name}.tbs")
        try:
            recorder = SessionRecorder.create(path, session.settings)
        except SessionFileError as exc:
            self._controller.error_reported.emit(str(exc))
            return None
        self._files[id(session)] = recorder
        self._controller.load(recorder, producer=self)
        return recorder
