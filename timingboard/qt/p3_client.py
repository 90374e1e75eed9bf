"""Reads a MYLAPS / AMB P3 decoder over TCP: passings to the board, every byte to the file.

A ``QTcpSocket`` on the GUI thread (reads never block). A dropped link is retried with back-off;
once it is back, the client asks the decoder to RESEND every passing after the last one it took,
and passings it already took are recognised by their number, so a drop loses nothing and counts
nothing twice. The whole follow is one session file; the bytes received are written to it before
what they mean is applied. (The link handling follows ``qt/rmonitor_client.py``.)
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtNetwork import QAbstractSocket, QTcpSocket

from timingboard.engine.events import CompetitorSet, Passing
from timingboard.engine.settings import SessionKind, SessionSettings
from timingboard.feeds.p3_parser import (
    P3Record,
    P3Skipped,
    P3StreamDecoder,
    RecordType,
    encode_record,
    resend,
)
from timingboard.feeds.p3_session import (
    P3_MIN_LAP_MS,
    DecoderHealth,
    P3Mapper,
    TimingLine,
    format_lines,
    parse_lines,
)
from timingboard.qt.link_retry import FIRST_RETRY_MS, LONGEST_RETRY_MS, Backoff, LinkState
from timingboard.qt.session_controller import SessionController
from timingboard.qt.session_source import ProducerKind
from timingboard.store.names import free_path, slug
from timingboard.store.p3_import import RAW_SOURCE
from timingboard.store.recorder import SessionRecorder
from timingboard.store.session_file import SessionFileError

WATCH_MS = 5000  # how often the decoder's clock is asked and its silence checked
# A first clock reading that stepped is read again this soon: rate or jump is known then, not
# at the next watch (the first jump was said ~5 s late)
SETTLE_MS = 500
LAST_PASSING_NUMBER = 0xFFFFFFFF  # RESEND until: whatever the decoder has
# Bytes taken a turn of the event loop: a RESEND burst is parsed and scored a slice at a time
# (about 125 records), so the window keeps painting: p99 30-49 ms a turn on the loaded 2-core
# build machine (benchmarks/bench_p3.py).
TURN_BYTES = 4096
LINES_NOTE = "p3/lines"  # the timing lines, kept in the session file for a restart


class P3Client(QObject):
    """Follows one decoder into one session file (made by :func:`new_p3_session`), shown on the
    controller.

    Signals
    -------
    link_changed(str)
        The link state and, when it dropped, why.
    records_skipped(int)
        How many parts of the stream could not be used so far (each with a reason in
        :attr:`skipped`). A passing sent again is not one (``mapper.resent`` counts them).
    health_changed()
        A decoder reported its status or clock, or went silent; see :attr:`health`.
    """

    link_changed = Signal(str)
    records_skipped = Signal(int)
    health_changed = Signal()

    def __init__(
        self,
        controller: SessionController,
        recorder: SessionRecorder,
        lines: dict[int, TimingLine] | None = None,
        entries: list[CompetitorSet] | None = None,
        parent: QObject | None = None,
        first_retry_ms: int = FIRST_RETRY_MS,
        watch_ms: int = WATCH_MS,
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        controller.producer_changed.connect(self._on_controller_producer_changed)
        self._socket = QTcpSocket(self)
        self._socket.connected.connect(self._on_socket_connected)
        self._socket.readyRead.connect(self._on_socket_ready_read)
        self._socket.disconnected.connect(self._on_socket_disconnected)
        self._socket.errorOccurred.connect(self._on_socket_error_occurred)
        self._retry = Backoff(self._connect, first_retry_ms, LONGEST_RETRY_MS, self)
        self._watch = QTimer(self, interval=watch_ms)
        self._watch.timeout.connect(self._on_watch_timeout)
        self._settle = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._settle.timeout.connect(self._ask_time)
        self._drain = QTimer(self, singleShot=True, interval=0)
        self._drain.timeout.connect(self._on_drain_timeout)
        self._backlog = b""
        self._target: tuple[str, int] | None = None
        self._decoder = P3StreamDecoder()
        stored = recorder.file.note(LINES_NOTE)
        if lines is None and stored is not None:  # a restarted board: the lines it had
            lines = parse_lines(stored)
        settings = recorder.engine.settings
        # its kind, or a race went green by itself at the first passing (a practice's rule)
        self._mapper = P3Mapper(
            settings.name, lines, entries or (), key_of=self._key_of, kind=settings.kind
        )
        try:
            recorder.file.set_note(LINES_NOTE, format_lines(lines or {}))
        except SessionFileError as exc:
            controller.error_reported.emit(str(exc))
        self._recorder = recorder
        self._resume_from(recorder.file.raw_feed())
        self.state = LinkState.OFF
        self._reached = False  # up at least once since connect_to: a drop is a lost link
        self.skipped: list[P3Skipped] = []
        self.resends: list[tuple[int, int]] = []  # (from, until) asked, in order

    def _resume_from(self, raw: bytes) -> None:
        """A session file that already followed this decoder (the board was restarted): its
        bytes tell which passings were taken, so the first connection asks for the rest."""
        if raw:
            self._mapper.take(self._decoder.feed(raw))  # events already in the log
            self._mapper.skipped.clear()
            self._mapper.resent = 0
            self._mapper.health.clear()  # heard then, not now

    @property
    def mapper(self) -> P3Mapper:
        return self._mapper

    @property
    def health(self) -> dict[int | None, DecoderHealth]:
        """Each decoder heard on this link, by decoder id."""
        return self._mapper.health

    producer_kind = ProducerKind.DECODER

    @property
    def session_shown(self) -> bool:
        return self._controller.recorder is self._recorder

    def hand_timing_refusal(self) -> None:
        """None: a decoder only sees crossings; the operator times beside it (a car it missed,
        the flags)."""

    @property
    def recorder(self) -> SessionRecorder:
        return self._recorder

    @property
    def path(self) -> Path:
        return self._recorder.file.path

    @property
    def address(self) -> str:
        """``host:port`` of the decoder followed ("" when none)."""
        return f"{self._target[0]}:{self._target[1]}" if self._target else ""

    def connect_to(self, host: str, port: int) -> None:
        self._target = (host, port)
        self._reached = False
        self._retry.reset()
        if self._controller.recorder is not self._recorder:
            self._controller.load(self._recorder, producer=self)
        else:
            self._controller.claim(self)
        self._submit(self._mapper.take([]))  # the entry list, once
        self._watch.start()
        self._connect()

    def _on_controller_producer_changed(self, _before: object, now: object) -> None:
        if now is not self and self._target is not None:
            self.disconnect_from_decoder()  # another session took the board

    def reconnect_now(self) -> None:
        """Feed ▸ Reconnect now: drop the link and connect again at once (the retries start
        fast again); back up, the decoder is asked for every passing since the last taken."""
        if self._target is None:
            return
        self._retry.stop()
        self._retry.reset()
        self._connect()

    def disconnect_from_decoder(self) -> None:
        self._target = None
        self._retry.stop()
        self._watch.stop()
        self._settle.stop()
        self._socket.abort()
        while self._backlog:  # what was received (and kept) is scored, not dropped
            self._on_drain_timeout()
        self._drain.stop()
        self._set_state(LinkState.OFF)
        if self._controller.producer is self:
            self._controller.release(self)

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
        self._reached = True
        self._retry.reset()
        self._set_state(LinkState.UP)
        last = self._mapper.last_passing_number
        if last is not None:  # back after a drop: whatever came meanwhile
            self._send(resend(last + 1, LAST_PASSING_NUMBER))
            self.resends.append((last + 1, LAST_PASSING_NUMBER))
        self._ask_time()

    def _on_socket_disconnected(self) -> None:
        self._schedule_retry("the decoder closed the link")

    def _on_socket_error_occurred(self, error: QAbstractSocket.SocketError) -> None:
        if error != QAbstractSocket.SocketError.RemoteHostClosedError:
            self._schedule_retry(self._socket.errorString())

    def _schedule_retry(self, why: str) -> None:
        if self._target is None or self._retry.waiting:
            return
        state = LinkState.RETRYING if self._reached else LinkState.UNREACHED
        self._set_state(state, f"{why}; {self._retry.schedule()}")

    def _send(self, record: P3Record) -> None:
        if self._socket.state() == QAbstractSocket.SocketState.ConnectedState:
            self._socket.write(encode_record(record))

    def _ask_time(self) -> None:
        self._send(P3Record(RecordType.GET_TIME))

    def _on_watch_timeout(self) -> None:
        self._ask_time()
        self.health_changed.emit()  # silence shows as time goes by

    def _on_socket_ready_read(self) -> None:
        data = bytes(self._socket.readAll().data())
        self._keep_raw(data)  # on disk before anything is made of it
        self._backlog += data
        if not self._drain.isActive():
            self._on_drain_timeout()

    def _on_drain_timeout(self) -> None:
        chunk, self._backlog = self._backlog[:TURN_BYTES], self._backlog[TURN_BYTES:]
        self.take(chunk)
        if self._backlog:
            self._drain.start()

    @property
    def busy(self) -> bool:
        """Bytes received are still waiting to be scored."""
        return bool(self._backlog)

    def take(self, data: bytes, now: float | None = None) -> None:
        """Bytes from the decoder: parse, map, submit."""
        records = self._decoder.feed(data)
        before = len(self._mapper.skipped)
        events: list = []
        for group in self._mapper.take_in_turn(records, time.time() if now is None else now):
            self._submit(group)
            events += group
        new_skips = self._mapper.skipped[before:]
        if new_skips:
            self.skipped += new_skips
            self.records_skipped.emit(len(self.skipped))
        if any(isinstance(r, P3Record) and r.type != RecordType.PASSING for r in records):
            self.health_changed.emit()
        if any(h.clock_unsettled for h in self.health.values()) and self._target is not None:
            self._settle.start()  # rate or jump: read its clock again now, not in 5 s
        self._follow_clock(records, events)

    def _follow_clock(self, records: list, events: list) -> None:
        """The session clock runs on from the decoder's latest time: its answer to GET_TIME, or
        else its latest passing (what the operator's flags are timed by)."""
        asked = [r for r in records if isinstance(r, P3Record) and r.type == RecordType.GET_TIME]
        told = self._mapper.session_ms(self._mapper.decoder_clock_us) if asked else None
        times = [e.time_ms for e in events if isinstance(e, Passing)]
        if told is not None:
            self._controller.follow_clock(told)
        elif times and max(times) >= self._controller.engine.clock_ms:
            self._controller.follow_clock(max(times))

    def _submit(self, events: list) -> None:
        """Into the decoder's own session only: another session shown is another producer's
        (the bytes still go into this session's file, so nothing is lost)."""
        mine = self._controller.recorder is self._recorder and self._controller.producer is self
        if events and mine:
            self._controller.submit(events)

    def _keep_raw(self, data: bytes) -> None:
        try:
            self._recorder.file.append_raw(RAW_SOURCE, data)
        except SessionFileError as exc:
            self._controller.error_reported.emit(str(exc))

    def _key_of(self, transponder: str) -> str | None:
        return self._controller.engine.transponder_owner(transponder)


def new_p3_session(
    folder: Path, host: str, port: int, kind: SessionKind = SessionKind.PRACTICE
) -> SessionRecorder:
    """A new session file for following the decoder at ``host:port``; never an existing one."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    path = free_path(folder / f"p3-{slug(host, 'decoder')}-{port}-{stamp}.tbs")
    settings = SessionSettings(
        name=f"P3 decoder {host}:{port}", kind=kind, min_lap_ms=P3_MIN_LAP_MS
    )
    return SessionRecorder.create(path, settings)
