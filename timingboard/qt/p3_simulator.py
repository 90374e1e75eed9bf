"""A fake P3 decoder on a TCP port: replays a capture in time, answers RESEND and GET_TIME.

Like a real decoder it keeps timing while nobody is connected: passings that fall while the link
is down are not sent live, only on a RESEND. The replay begins when the first client connects,
at the capture's first passing (what came before it is sent at once).
The capture's clock is moved to now (its first record is timed at the moment the replay
begins), so the decoder's clock agrees with ours at ``speed`` 1; at other speeds it runs that
many times as fast, as the health panel then says. ``speed`` 0 replays as fast as possible.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtNetwork import QHostAddress, QTcpServer, QTcpSocket

from timingboard.feeds.p3_parser import (
    DECODER_ID_TAG,
    P3Record,
    P3StreamDecoder,
    PassingTag,
    RecordType,
    ResendTag,
    decode_record,
    encode_record,
    u,
)

TICK_MS = 20
AS_FAST_AS_POSSIBLE_BATCH = 40  # records a tick at speed 0
STATUS_SPACING_US = 4_000_000  # records after the last passing, spread this far apart


@dataclass(frozen=True, slots=True)
class _Timed:
    rtc_us: int  # on the capture's own clock
    record: P3Record | None  # None: bytes that are not a record, sent as they are
    wire: bytes


def _timeline(wires: list[bytes]) -> list[_Timed]:
    """Each record at its time: passings at theirs, the others spread between them."""
    records = [decode_record(w) for w in wires]
    known: list[tuple[int, int]] = []
    for i, r in enumerate(records):
        if isinstance(r, P3Record) and r.type == RecordType.PASSING:
            rtc = r.number(PassingTag.RTC_TIME)
            if rtc:
                known.append((i, rtc))
    times: list[int] = []
    for i in range(len(records)):
        before = [(j, t) for j, t in known if j <= i][-1:]
        after = [(j, t) for j, t in known if j > i][:1]
        if before and after:
            (j0, t0), (j1, t1) = before[0], after[0]
            times.append(t0 + (t1 - t0) * (i - j0) // (j1 - j0))
        elif before:
            times.append(before[0][1] + STATUS_SPACING_US * (i - before[0][0]))
        elif after:  # before the first passing: sent at once when the replay begins
            times.append(after[0][1])
        else:
            times.append(STATUS_SPACING_US * i)
    times = [max(t, times[k - 1]) if k else t for k, t in enumerate(times)]  # never backwards
    return [
        _Timed(t, r if isinstance(r, P3Record) else None, w)
        for t, r, w in zip(times, records, wires, strict=True)
    ]


class P3Simulator(QObject):
    """Serves a capture (a list of records as on the wire) as a decoder would.

    Signals
    -------
    clients_changed(int)
        How many clients are connected now.
    finished()
        The last record of the capture was played.
    """

    clients_changed = Signal(int)
    finished = Signal()

    def __init__(
        self,
        wires: list[bytes],
        speed: float = 1.0,
        parent: QObject | None = None,
        drop_after: int | None = None,
    ) -> None:
        """``drop_after``: close every link once, after that many records were played (to
        rehearse a dropped link and the RESEND that follows)."""
        super().__init__(parent)
        self._drop_after = drop_after
        self._timeline = _timeline(wires)
        self._speed = speed
        self._server = QTcpServer(self)
        self._server.newConnection.connect(self._on_server_new_connection)
        self._clients: dict[QTcpSocket, P3StreamDecoder] = {}
        self._order: dict[QTcpSocket, int] = {}
        self._tick = QTimer(self, interval=0 if speed == 0 else TICK_MS)
        self._tick.timeout.connect(self._on_tick_timeout)
        self._begun: float | None = None
        self._shift_us = 0
        self.played = 0
        self._passings: dict[int, bytes] = {}  # played, by passing number, as sent
        self.resends_answered = 0
        self.sent: dict[int, bytearray] = {}  # every byte written, by client (in connection order)

    @property
    def port(self) -> int:
        return self._server.serverPort()

    def listen(self, port: int, host: str = "127.0.0.1") -> bool:
        return self._server.listen(QHostAddress(host), port)

    def error(self) -> str:
        return self._server.errorString()

    def drop_links(self) -> None:
        """Close every client's link (as a cable pulled out would)."""
        for socket in list(self._clients):
            socket.abort()
            self._forget(socket)

    def close(self) -> None:
        self._tick.stop()
        self.drop_links()
        self._server.close()

    def decoder_now_us(self) -> int:
        """The fake decoder's clock (µs since the epoch)."""
        if self._begun is None or not self._timeline:
            return int(time.time() * 1_000_000)
        if self._speed == 0:
            index = min(self.played, len(self._timeline) - 1)
            return self._timeline[index].rtc_us + self._shift_us
        elapsed = time.monotonic() - self._begun
        return self._timeline[0].rtc_us + self._shift_us + int(elapsed * self._speed * 1e6)

    # --- clients ---------------------------------------------------------------------------------

    def _on_server_new_connection(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._clients[socket] = P3StreamDecoder()
            self._order[socket] = len(self.sent)
            self.sent[len(self.sent)] = bytearray()
            socket.readyRead.connect(lambda s=socket: self._on_client_ready_read(s))
            socket.disconnected.connect(lambda s=socket: self._forget(s))
            self.clients_changed.emit(len(self._clients))
        if self._begun is None and self._timeline:
            self._begun = time.monotonic()
            self._shift_us = int(time.time() * 1_000_000) - self._timeline[0].rtc_us
            self._tick.start()

    def _write(self, socket: QTcpSocket, data: bytes) -> None:
        socket.write(data)
        self.sent[self._order[socket]] += data

    def _forget(self, socket: QTcpSocket) -> None:
        self._order.pop(socket, None)
        if self._clients.pop(socket, None) is not None:
            socket.disconnected.disconnect()
            socket.readyRead.disconnect()
            socket.deleteLater()
            self.clients_changed.emit(len(self._clients))

    def _on_client_ready_read(self, socket: QTcpSocket) -> None:
        decoder = self._clients.get(socket)
        if decoder is None:
            return
        for record in decoder.feed(bytes(socket.readAll().data())):
            if not isinstance(record, P3Record):
                continue
            if record.type == RecordType.RESEND:
                self._resend(socket, record)
            elif record.type == RecordType.GET_TIME:
                answer = P3Record(
                    RecordType.GET_TIME,
                    ((0x01, u(self.decoder_now_us(), 8)), *self._decoder_id_field()),
                )
                self._write(socket, encode_record(answer))

    def _resend(self, socket: QTcpSocket, record: P3Record) -> None:
        first = record.number(ResendTag.FROM) or 0
        last = record.number(ResendTag.UNTIL)
        last = 0xFFFFFFFF if last is None else last
        for number in sorted(n for n in self._passings if first <= n <= last):
            self._write(socket, self._passings[number])
        self.resends_answered += 1

    def _decoder_id_field(self) -> tuple[tuple[int, bytes], ...]:
        for item in self._timeline:
            if item.record is not None and item.record.raw(DECODER_ID_TAG) is not None:
                return ((DECODER_ID_TAG, item.record.raw(DECODER_ID_TAG) or b""),)
        return ()

    # --- the replay ------------------------------------------------------------------------------

    def _on_tick_timeout(self) -> None:
        if self._speed == 0:
            due = min(len(self._timeline), self.played + AS_FAST_AS_POSSIBLE_BATCH)
            if self._drop_after is not None and self.played < self._drop_after:
                due = min(due, self._drop_after)
        else:
            now = self.decoder_now_us() - self._shift_us
            due = self.played
            while due < len(self._timeline) and self._timeline[due].rtc_us <= now:
                due += 1
        if due == self.played:
            return
        out = bytearray()
        for item in self._timeline[self.played : due]:
            wire = self._retimed(item)
            out += wire
            if item.record is not None and item.record.type == RecordType.PASSING:
                number = item.record.number(PassingTag.PASSING_NUMBER)
                if number is not None:
                    self._passings[number] = wire
        self.played = due
        for socket in self._clients:
            self._write(socket, bytes(out))
        if self._drop_after is not None and self.played >= self._drop_after:
            self._drop_after = None
            self.drop_links()
        if self.played == len(self._timeline):
            self._tick.stop()
            self.finished.emit()

    def _retimed(self, item: _Timed) -> bytes:
        """A passing with its RTC time moved to now's clock; anything else as captured."""
        record = item.record
        if record is None or record.type != RecordType.PASSING:
            return item.wire
        fields = tuple(
            (tag, u(int.from_bytes(value, "little") + self._shift_us, len(value)))
            if tag in (PassingTag.RTC_TIME, PassingTag.UTC_TIME) and len(value) == 8
            else (tag, value)
            for tag, value in record.fields
        )
        return encode_record(P3Record(record.type, fields, record.flags, record.version))
