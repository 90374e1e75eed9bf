"""The walk of a P3 decoder in the real window: a decoder that stops sending put no banner up
(the RMonitor feed's "FEED LOST" had no P3 counterpart), and a clock that jumped on its first
readings was said ~5 s late (held until the next 5-second reading)."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from PySide6.QtNetwork import QHostAddress, QTcpServer, QTcpSocket

from timingboard.feeds.p3_parser import P3Record, P3StreamDecoder, RecordType, encode_record, u
from timingboard.qt.p3_client import new_p3_session
from timingboard.qt.session_controller import SessionController
from timingboard.text.feed_status import HealthColumn

DECODER_ID = ((0x81, u(0x41813, 4)),)


class FakeDecoder:
    """A decoder on a local port: a STATUS on connecting, its clock on GET_TIME, ``shift_s``
    ahead of ours; :meth:`tell_time` sends a reading unasked, :meth:`drop` closes the link."""

    def __init__(self) -> None:
        self.server = QTcpServer()
        assert self.server.listen(QHostAddress.SpecialAddress.LocalHost, 0)
        self.port = self.server.serverPort()
        self.server.newConnection.connect(self._on_server_new_connection)
        self.sockets: list[QTcpSocket] = []
        self.shift_s = 0.0
        self.asked = 0

    def _on_server_new_connection(self) -> None:
        link = self.server.nextPendingConnection()
        self.sockets.append(link)
        decoder = P3StreamDecoder()
        link.readyRead.connect(lambda: self._on_link_ready_read(link, decoder))
        link.write(encode_record(P3Record(RecordType.STATUS, ((0x01, u(40, 2)), *DECODER_ID))))

    def _on_link_ready_read(self, link: QTcpSocket, decoder: P3StreamDecoder) -> None:
        for record in decoder.feed(bytes(link.readAll().data())):
            if isinstance(record, P3Record) and record.type == RecordType.GET_TIME:
                self.asked += 1
                self.tell_time(link)

    def tell_time(self, link: QTcpSocket | None = None) -> None:
        now_us = int((time.time() + self.shift_s) * 1_000_000)
        record = P3Record(RecordType.GET_TIME, ((0x01, u(now_us, 8)), *DECODER_ID))
        (link or self.sockets[-1]).write(encode_record(record))

    def drop(self) -> None:
        for link in self.sockets:
            link.disconnectFromHost()

    def close(self) -> None:
        for link in self.sockets:
            link.abort()
        self.server.close()


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def decoder_window(tmp_path: Path, qtbot, show_window):
    made: list = []

    def start(port: int):
        recorder = new_p3_session(tmp_path, "127.0.0.1", port)
        controller = SessionController(recorder)
        window = show_window(controller)
        clock = FakeClock()
        window.feed_watch.health.clock = clock  # the silence, counted on a clock the test moves
        window.p3.follow("127.0.0.1", port, tmp_path, {}, [], recorder=recorder)
        made.append((window, controller))
        return window, clock

    yield start
    for window, controller in made:
        window.p3.disconnect_decoder()
        window.close()
        controller.close()


def test_a_decoder_gone_silent_or_dropped_puts_decoder_lost_across_the_window(
    qtbot, decoder_window
) -> None:
    decoder = FakeDecoder()
    try:
        window, clock = decoder_window(decoder.port)
        banner = window.feed_watch.banner
        qtbot.waitUntil(lambda: window.p3.health_model.rowCount() == 1)  # its STATUS came
        assert not banner.isVisible()
        clock.now += 16  # no record for 16 s (a decoder sends its STATUS every few seconds)
        window.feed_watch.health.check()  # as its timer does, twice a second
        assert banner.isVisible() and banner.text() == "DECODER LOST — last data 0:16 ago"
        assert "(stale)" in window.header.clock.text()
        decoder.tell_time()  # it speaks again
        qtbot.waitUntil(lambda: not banner.isVisible())
        decoder.drop()
        qtbot.waitUntil(lambda: banner.isVisible())
        assert banner.text().startswith(
            f"DECODER LOST — cannot reach 127.0.0.1:{decoder.port}: the decoder closed the link"
        )
    finally:
        decoder.close()


def test_a_decoder_never_reached_is_said_so(qtbot, decoder_window) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens once it is closed
    window, _clock = decoder_window(port)
    banner = window.feed_watch.banner
    qtbot.waitUntil(lambda: banner.isVisible(), timeout=5000)
    assert banner.text().startswith(f"DECODER NOT REACHED — cannot reach 127.0.0.1:{port}: ")
    assert window.p3.link_label.text().startswith("Decoder: not reached yet, retrying")


def test_a_clock_that_jumps_on_its_first_readings_is_said_at_once(qtbot, decoder_window) -> None:
    decoder = FakeDecoder()
    try:
        window, _clock = decoder_window(decoder.port)
        model = window.p3.health_model
        qtbot.waitUntil(lambda: model.rowCount() == 1)
        offset = model.index(0, HealthColumn.CLOCK)
        qtbot.waitUntil(lambda: offset.data() != "—")  # its clock, read on connecting
        assert decoder.asked == 1
        decoder.shift_s = 30.0  # its clock steps 30 s ahead
        decoder.tell_time()
        # read again at once to tell a jump from a clock running fast: said within a second,
        # not at the next reading 5 s on
        qtbot.waitUntil(lambda: decoder.asked == 2, timeout=2000)
        label = window.p3.warning_label
        qtbot.waitUntil(lambda: "clock jumped +30.0" in label.text(), timeout=1000)
    finally:
        decoder.close()


def test_a_lost_decoder_is_retried_as_a_feed_is_and_reconnect_now_works(
    qtbot, decoder_window
) -> None:
    """The walk: a lost decoder was tried again only every 30 s ("next try in 16 s", then
    "30 s") and Feed ▸ Reconnect now was greyed out. Its retries are the feed's (from 0.25 s,
    never more than 10 s apart), and Reconnect now connects it again at once."""
    from timingboard.qt import link_retry, p3_client, rmonitor_client

    assert p3_client.LONGEST_RETRY_MS == rmonitor_client.LONGEST_RETRY_MS <= 10_000
    assert p3_client.FIRST_RETRY_MS == link_retry.FIRST_RETRY_MS == 250
    decoder = FakeDecoder()
    try:
        window, _clock = decoder_window(decoder.port)
        qtbot.waitUntil(lambda: window.p3.health_model.rowCount() == 1)
        reconnect = window.feed_watch.reconnect_action
        assert reconnect.isEnabled()
        decoder.drop()
        label = window.p3.link_label
        qtbot.waitUntil(lambda: "next try in 0.25 s" in label.text())
        qtbot.waitUntil(lambda: len(decoder.sockets) == 2)  # back by itself, a moment later
        qtbot.waitUntil(lambda: label.text() == "Decoder: connected")
        assert reconnect.isEnabled()
        reconnect.trigger()  # Feed ▸ Reconnect now, on a link that looks up
        qtbot.waitUntil(lambda: len(decoder.sockets) == 3)
        qtbot.waitUntil(lambda: label.text() == "Decoder: connected")
        window.p3.disconnect_decoder()
        assert not reconnect.isEnabled()  # nothing to reconnect
    finally:
        decoder.close()
