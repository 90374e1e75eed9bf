"""A timing system on loopback, and a stream fed through the live client compared with import.

Used by the tests and by ``scripts/fuzz_feeds.py`` (which runs many more mutations).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtNetwork import QHostAddress, QTcpServer, QTcpSocket

from timingboard.engine import SessionSettings, TimingEngine
from timingboard.engine.events import Event
from timingboard.engine.standings import Standing
from timingboard.qt.rmonitor_client import LinkState, RMonitorClient
from timingboard.qt.session_controller import SessionController
from timingboard.store import SessionRecorder
from timingboard.store.feed_import import import_stream
from timingboard.store.session_file import SessionFile, SessionFileError

Wait = Callable[..., None]  # qtbot.waitUntil(condition, timeout=ms)


class FakeTimingSystem:
    """A timing system on loopback that sends what it is told to."""

    def __init__(self) -> None:
        self.server = QTcpServer()
        assert self.server.listen(QHostAddress.SpecialAddress.LocalHost, 0)
        self.sockets: list[QTcpSocket] = []
        self.server.newConnection.connect(self._accept)

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            self.sockets.append(self.server.nextPendingConnection())

    @property
    def port(self) -> int:
        return self.server.serverPort()

    def send(self, data: bytes) -> None:
        self.sockets[-1].write(data)
        self.sockets[-1].flush()

    def drop(self) -> None:
        self.sockets[-1].disconnectFromHost()

    def close(self) -> None:
        for socket in self.sockets:
            socket.abort()
            socket.deleteLater()
        self.server.close()
        self.server.deleteLater()


@dataclass(frozen=True)
class SessionImage:
    """What a session file holds: its settings, its log (events only) and its board."""

    settings: SessionSettings
    events: list[Event]
    board: list[Standing]


def image(path: Path) -> SessionImage:
    file = SessionFile.open(path, read_only=True)
    try:
        entries = list(file.entries())
    finally:
        file.close()
    engine = TimingEngine.from_log(file.settings, entries)
    return SessionImage(engine.settings, [e.event for e in entries], list(engine.standings()))


def chunks(data: bytes, rng: random.Random, largest: int = 64 * 1024) -> list[bytes]:
    """``data`` cut at random places: single bytes, a line's worth, whole batches."""
    out, at = [], 0
    while at < len(data):
        size = rng.choice((1, rng.randint(1, 100), rng.randint(1, largest)))
        out.append(data[at : at + size])
        at += size
    return out


def imported(data: bytes, folder: Path) -> list[SessionImage]:
    """``timingboard import`` of ``data``; no session at all is an empty list."""
    folder.mkdir(parents=True, exist_ok=True)
    capture = folder / "RMonitor feed.txt"  # import names a run without a name after its file
    capture.write_bytes(data)
    try:
        report = import_stream(capture, folder / "imported.tbs")
    except SessionFileError as exc:
        if "holds no RMonitor session" in str(exc):
            return []
        raise
    return [image(item.path) for item in report.sessions]


def live(data: bytes, folder: Path, rng: random.Random, wait: Wait) -> list[SessionImage]:
    """``data`` sent in random chunks to the live client over loopback; the link then closes."""
    folder.mkdir(parents=True, exist_ok=True)
    feed = folder / "live"
    feed.mkdir()
    fake = FakeTimingSystem()
    blank = SessionRecorder.create(folder / "blank.tbs", SessionSettings(name="waiting"))
    controller = SessionController(blank)
    client = RMonitorClient(controller, feed, first_retry_ms=60_000)
    try:
        client.connect_to("127.0.0.1", fake.port)
        wait(lambda: bool(fake.sockets) and client.state is LinkState.UP, timeout=5000)
        sent = 0
        for chunk in chunks(data, rng):
            fake.send(chunk)
            sent += len(chunk)
            wait(lambda: client.bytes_received == sent, timeout=20000)  # noqa: B023
        fake.drop()
        wait(lambda: client.state is LinkState.RETRYING, timeout=5000)
    finally:
        client.disconnect_from_feed()
        fake.close()
        controller.close()
        client.deleteLater()
    return [image(path) for path in sorted(feed.glob("*.tbs"))]
