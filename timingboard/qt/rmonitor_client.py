"""Follows a timing system's RMonitor feed over TCP: a session file a run, raw bytes kept.

A ``QTcpSocket`` on the GUI thread (reads never block); a dropped link is retried with
back-off, and the link state is announced.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, deque
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtNetwork import QAbstractSocket, QTcpSocket

from timingboard.feeds.rmonitor_parser import RMonitorParser
from timingboard.feeds.rmonitor_records import (
    Heartbeat,
    PracticePosition,
    RacePosition,
    Record,
    Skipped,
)
from timingboard.feeds.rmonitor_session import FeedSession, RMonitorMapper
from timingboard.feeds.rmonitor_writer import NO_LAPS_TO_GO
from timingboard.qt.feed_recording import FeedRecording
from timingboard.qt.link_retry import FIRST_RETRY_MS, LONGEST_RETRY_MS, Backoff, LinkState
from timingboard.qt.session_controller import SessionController
from timingboard.qt.session_source import ProducerKind

# After a drop the first retries come fast (a blip costs a quarter of a second), then ease off
# to one try every 10 s: the board is never stale for long once the timing system is back.
READ_SLICE = 64 * 1024  # parsed in one go (~15 ms of garbage), then the window breathes
READ_BUFFER = 4 << 20  # what Qt holds for us; past it the timing system's side waits
NOT_RMONITOR = 64 * 1024  # bytes without one record: the port speaks something else
_RUN_START = re.compile(rb"(?<=[\r\n])\$(?:B|I),")


_ERR = QAbstractSocket.SocketError
_LINK_ERRORS = {  # the errors an operator meets most, in their words
    _ERR.HostNotFoundError: "the host cannot be found",
    _ERR.ConnectionRefusedError: "connection refused (nothing listens there)",
}


class RMonitorClient(QObject):
    """Reads the feed, writes each run to its own session file in ``folder``, shows it.

    Signals
    -------
    link_changed(str)
        The link state (a ``LinkState``) and, when it dropped, why.
    lines_skipped(int)
        How many lines of the feed could not be used so far (the last ones, with a reason, in
        ``skipped``; every one by reason in ``skip_reasons``).
    resent_counted(int)
        How many records the timing system has sent again so far (kept once, nothing lost;
        by reason in ``resent_reasons``).
    official_order_changed()
        The timing system sent its own order (``$G``/``$H``); see :attr:`feed_session`.
    waiting_changed(int, str)
        Passings received but not yet on disk and why (a full disk), or (0, "") once written.
    unreadable_changed(str)
        Why the port's bytes are not RMonitor, or "" once records come.
    bytes_read(int)
        A slice of what the timing system sent was taken from the socket to be worked through
        (its size): the feed is alive, also while a backlog is read a slice a turn with no new
        ``readyRead`` (the feed health counts it).
    """

    link_changed = Signal(str)
    lines_skipped = Signal(int)
    resent_counted = Signal(int)
    official_order_changed = Signal()
    waiting_changed = Signal(int, str)
    unreadable_changed = Signal(str)
    bytes_read = Signal(int)

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
        self._socket.setReadBufferSize(READ_BUFFER)
        self._socket.connected.connect(self._on_socket_connected)
        self._socket.readyRead.connect(self._on_socket_ready_read)
        self._socket.disconnected.connect(self._on_socket_disconnected)
        self._socket.errorOccurred.connect(self._on_socket_error_occurred)
        self._retry = Backoff(self._connect, first_retry_ms, LONGEST_RETRY_MS, self)
        self._target: tuple[str, int] | None = None
        self._drain = QTimer(self, singleShot=True, interval=0)
        self._drain.timeout.connect(self._on_socket_ready_read)
        self._parser = RMonitorParser()
        self._mapper = RMonitorMapper()
        self._recording = FeedRecording(controller, folder, self._mapper, self, producer=self)
        self._recording.waiting_changed.connect(self._on_recording_waiting_changed)
        self._bytes_seen = 0
        self._records_seen = False
        self.unreadable = ""
        self.bytes_received = 0  # read from the socket since the client was made
        self._closing = False  # the link closed; reading what it left
        self.state = LinkState.OFF
        self._reached = False  # up at least once since connect_to: a drop is a lost link

    @property
    def skipped(self) -> deque[Skipped]:
        """The last lines skipped, with why; :attr:`skipped_count` counts every one."""
        return self._mapper.skipped

    @property
    def skipped_count(self) -> int:
        return self._mapper.skipped_count

    @property
    def skip_reasons(self) -> Counter[str]:
        """Every line skipped since the client was made, by reason."""
        return self._mapper.skip_reasons

    @property
    def resent_count(self) -> int:
        """Records the timing system sent again (Orbits does in the normal run): kept once."""
        return self._mapper.resent_count

    @property
    def resent_reasons(self) -> Counter[str]:
        return self._mapper.resent_reasons

    @property
    def waiting_passings(self) -> int:
        """Passings received that are not on disk yet (a full disk); they are retried."""
        return self._recording.waiting_passings() if self._recording.problem else 0

    @property
    def feed_session(self) -> FeedSession | None:
        return self._mapper.current

    producer_kind = ProducerKind.FEED

    @property
    def session_shown(self) -> bool:
        """The session on the board is one this feed made (not the one shown before it)."""
        return any(r is self._controller.recorder for r in self._recording.made)

    @property
    def address(self) -> str:
        """``host:port`` of the timing system followed ("" when none)."""
        return f"{self._target[0]}:{self._target[1]}" if self._target else ""

    def hand_timing_refusal(self) -> str | None:
        """While followed, the timing system scores the session: laps and flags are its own."""
        if self._target is None:
            return None
        return (
            f"Not taken: the timing system at {self.address} times this session "
            "(Feed ▸ Disconnect to time by hand)."
        )

    @property
    def host(self) -> str:
        """The timing system's host followed ("" when none)."""
        return self._target[0] if self._target else ""

    def connect_to(self, host: str, port: int) -> None:
        """Follow the timing system there; from now on this feed alone writes to the board."""
        self._controller.claim(self)
        self._target = (host, port)
        self._reached = False
        self._retry.reset()
        self._connect()

    def reconnect_now(self) -> None:
        """Drop the link and connect again at once; the retries start fast again."""
        if self._target is None:
            return
        self._retry.stop()
        self._retry.reset()
        self._connect()

    def disconnect_from_feed(self) -> None:
        self._target = None
        self._closing = False
        self._retry.stop()
        self._drain.stop()
        self._socket.abort()
        self._take(self._parser.flush(), 0)
        self._recording.finish()
        self._set_state(LinkState.OFF)

    def _connect(self) -> None:
        if self._target is None:
            return
        if self._socket.isReadable() and self._socket.bytesAvailable():
            self._retry.soon()  # what the old link sent is read first
            return
        self._socket.abort()
        self._set_state(LinkState.CONNECTING)
        self._socket.connectToHost(*self._target)

    def _set_state(self, state: LinkState, why: str = "") -> None:
        self.state = state
        self.link_changed.emit(f"{state}: {why}" if why else str(state))

    def _on_socket_connected(self) -> None:
        self._reached = True
        self._retry.reset()
        self._bytes_seen, self._records_seen = 0, False
        self._set_state(LinkState.UP)

    def _on_socket_disconnected(self) -> None:
        self._closing = True  # what came before the close is read first, a slice a turn
        self._on_socket_ready_read()

    def _on_stream_closed(self) -> None:
        self._closing = False
        self._end_of_stream()
        self._schedule_retry("the timing system closed the link")

    def _on_socket_error_occurred(self, error: QAbstractSocket.SocketError) -> None:
        if error != QAbstractSocket.SocketError.RemoteHostClosedError:
            self._schedule_retry(_LINK_ERRORS.get(error, self._socket.errorString()))

    def _schedule_retry(self, why: str) -> None:
        if self._target is None or self._retry.waiting:
            return
        state = LinkState.RETRYING if self._reached else LinkState.UNREACHED
        self._set_state(state, f"{why}; {self._retry.schedule()}")

    def _on_socket_ready_read(self) -> None:
        """A slice at a time, so a flood never holds the window; the rest on the next turn."""
        if self._recording.is_full:
            return  # the disk is full and much waits: the timing system holds the rest
        readable = self._socket.isReadable()  # not after an abort
        data = bytes(self._socket.read(READ_SLICE).data()) if readable else b""
        if data:
            self.bytes_received += len(data)
            self.bytes_read.emit(len(data))
            for piece in runs_apart(data):
                self.take(piece)
                self._recording.keep_raw(piece)
            self._recording.write()
        if readable and self._socket.bytesAvailable():
            if not self._drain.isActive():
                self._drain.start()
        elif self._closing:
            self._on_stream_closed()

    def take(self, data: bytes) -> None:
        """Bytes from the feed: parse, map, and write to the session they belong to."""
        self._take(self._parser.feed(data), len(data))

    def _take(self, records: list[Record | Skipped], size: int) -> None:
        mapper = self._mapper
        before, resent_before = mapper.skipped_count, mapper.resent_count
        mapper.take(records)
        self._recording.write()
        self._judge(records, size)
        if mapper.skipped_count > before:
            self.lines_skipped.emit(mapper.skipped_count)
        if mapper.resent_count > resent_before:
            self.resent_counted.emit(mapper.resent_count)
        if any(isinstance(r, RacePosition | PracticePosition) for r in records):
            self.official_order_changed.emit()
        self._follow_clock(records)

    def _judge(self, records: list[Record | Skipped], size: int) -> None:
        """Say so when the port sends bytes but no RMonitor record at all."""
        self._bytes_seen += size
        if any(not isinstance(r, Skipped) for r in records):
            self._records_seen = True
            if self.unreadable:
                self.unreadable = ""
                self.unreadable_changed.emit("")
        elif not self._records_seen and not self.unreadable and self._bytes_seen >= NOT_RMONITOR:
            self.unreadable = (
                f"{self._target_text()} does not speak RMonitor "
                f"({self._bytes_seen // 1024} KiB received, not one record)"
            )
            self.unreadable_changed.emit(self.unreadable)

    def _target_text(self) -> str:
        return f"port {self._target[1]}" if self._target else "the feed"

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
            self._controller.follow_clock(last.race_time_ms)

    def _end_of_stream(self) -> None:
        """The link closed: the last line, and the session brought to the timing system's counts."""
        self._take(self._parser.flush(), 0)
        self._recording.settle()

    def _on_recording_waiting_changed(self, passings: int, why: str) -> None:
        self.waiting_changed.emit(passings, why)
        if not why and (self._socket.bytesAvailable() or self._closing):
            self._drain.start()  # reading again


def runs_apart(data: bytes) -> list[bytes]:
    """``data`` cut before each line that starts a run or resets the board (``$B``, ``$I``).

    Each piece's raw bytes then go to the file of the session they belong to.
    """
    cuts = [0]
    for match in _RUN_START.finditer(data):
        if match.start() > cuts[-1]:
            cuts.append(match.start())
    cuts.append(len(data))
    return [data[a:b] for a, b in itertools.pairwise(cuts) if b > a]
