"""The publishing server over real loopback sockets: long sessions, stalled scoreboards, IPv6."""

from __future__ import annotations

import logging
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtNetwork import QTcpSocket

from timingboard.demo.endurance import Workload, generate
from timingboard.engine import SessionSettings
from timingboard.engine.car import PassingStatus
from timingboard.qt.rmonitor_client import RMonitorClient
from timingboard.qt.rmonitor_server import LOW_WATER, RMonitorServer
from timingboard.qt.session_controller import SessionController
from timingboard.store import SessionRecorder

LONG = Workload("40 cars x 250 laps", 40, 250, 42_000, 1.5)


@pytest.fixture
def long_session(tmp_path: Path, qapp):
    settings, events = generate(LONG)
    recorder = SessionRecorder.create(tmp_path / "long.tbs", settings)
    recorder.submit(events)
    controller = SessionController(recorder)
    yield controller
    controller.close()


class Reader:
    """A scoreboard of someone else's: reads everything, keeps the bytes."""

    def __init__(self, port: int, host: str = "127.0.0.1") -> None:
        self.data = bytearray()
        self.socket = QTcpSocket()
        self.socket.readyRead.connect(lambda: self.data.extend(self.socket.readAll().data()))
        self.socket.connectToHost(host, port)

    def close(self) -> None:
        self.socket.abort()
        self.socket.deleteLater()


def _sent_passings(controller: SessionController) -> int:
    engine = controller.engine
    shown = (PassingStatus.LAP, PassingStatus.START)
    return sum(engine.passing_status(pid) in shown for pid in engine.passings)


def test_scoreboards_joining_a_long_session_get_all_of_it_as_they_read(
    long_session, tmp_path, qtbot
) -> None:
    server = RMonitorServer(long_session)
    assert server.listen(0)
    readers = [Reader(server.port) for _ in range(5)]
    blank = SessionRecorder.create(tmp_path / "blank.tbs", SessionSettings(name="waiting"))
    downstream = SessionController(blank)
    (tmp_path / "down").mkdir()
    board = RMonitorClient(downstream, tmp_path / "down")
    try:
        board.connect_to("127.0.0.1", server.port)
        qtbot.waitUntil(lambda: server.client_count == 6, timeout=5000)
        # what the server holds for them at once stays small: the rest goes as they read
        assert server.queued_bytes() <= 6 * (LOW_WATER + 128 * 1024)
        expected = _sent_passings(long_session)
        assert expected > 9000
        qtbot.waitUntil(
            lambda: all(r.data.count(b"$J,") == expected for r in readers), timeout=60000
        )

        def shown(controller: SessionController) -> list[tuple]:
            return [(s.car, s.laps, s.best_lap_ms) for s in controller.engine.standings()]

        qtbot.waitUntil(lambda: shown(downstream) == shown(long_session), timeout=30000)
        assert len(set(bytes(r.data[: r.data.rfind(b"$J,")]) for r in readers)) == 1
    finally:
        board.disconnect_from_feed()
        for reader in readers:
            reader.close()
        server.close()
        downstream.close()
        board.deleteLater()


def test_a_scoreboard_that_stops_reading_is_dropped_and_freed(long_session, qtbot, caplog):
    server = RMonitorServer(long_session, stall_ms=300, max_queue=1 << 30)
    assert server.listen(0)
    stalled = socket.socket()
    stalled.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    reader = None
    try:
        stalled.connect(("127.0.0.1", server.port))  # and never reads
        qtbot.waitUntil(lambda: server.client_count == 1, timeout=5000)
        assert server.queued_bytes() <= LOW_WATER + 128 * 1024  # not the whole session at once
        reader = Reader(server.port)  # another one, reading, is not disturbed
        qtbot.waitUntil(lambda: server.client_count == 2, timeout=5000)
        qtbot.waitUntil(lambda: all(c.live for c in server._clients), timeout=30000)
        line = "$F,9999," + "x" * 1000 + "\r\n"
        with caplog.at_level(logging.WARNING):
            for _ in range(8000):  # an hour of a busy session, more than the kernel holds
                server._send_live(line)
            qtbot.waitUntil(lambda: server.client_count == 1, timeout=10000)
        assert "dropped: it has read nothing for 0.3 s" in caplog.text
        qtbot.waitUntil(lambda: server.queued_bytes() == 0, timeout=10000)  # the reader's went
        assert reader.data.count(b"$J,") == _sent_passings(long_session)
        qtbot.waitUntil(lambda: reader.data.count(line.encode()) == 8000, timeout=30000)
    finally:
        stalled.close()
        if reader is not None:
            reader.close()
        server.close()


def test_a_live_scoreboard_that_falls_behind_is_dropped(make_controller, qtbot, caplog):
    from race_scripts import QUARTER_MILE_RACE, three_car_race

    upstream = make_controller(QUARTER_MILE_RACE)
    server = RMonitorServer(upstream, max_queue=64 * 1024)
    assert server.listen(0)
    stalled = socket.socket()
    stalled.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    dropped: list[str] = []
    server.client_dropped.connect(dropped.append)
    try:
        stalled.connect(("127.0.0.1", server.port))
        qtbot.waitUntil(lambda: server.client_count == 1, timeout=5000)
        upstream.submit(three_car_race()[:3])
        with caplog.at_level(logging.WARNING):
            for _ in range(20000):  # live updates it never reads
                server._send_live("$F,9999," + "x" * 200 + "\r\n")
                if dropped:
                    break
        assert dropped and "KiB waiting to be read" in dropped[0]
        assert "dropped" in caplog.text
        assert server.client_count == 0 and server.queued_bytes() == 0
    finally:
        stalled.close()
        server.close()


def test_publishing_serves_both_loopbacks_and_says_who_can_connect(
    make_controller, show_window, qtbot
) -> None:
    window = show_window(make_controller(SessionSettings(name="Heat 1")))
    assert window.feed.publish(0, warn=False)
    server = window.feed.server
    assert server.addresses == ["127.0.0.1", "::1"]
    label = window.feed.publish_label.text()
    assert "(127.0.0.1 and ::1; this computer only)" in label
    reader = Reader(server.port, "::1")
    try:
        qtbot.waitUntil(lambda: b'$B,1,"Heat 1"' in reader.data, timeout=5000)
    finally:
        reader.close()
    assert window.feed.publish(0, "0.0.0.0", warn=False)
    assert "open to the network" in window.feed.publish_label.text()
    window.feed.stop_publishing()
    window.close()


@pytest.mark.parametrize("command", ["open", "demo", "connect"])
def test_publish_from_the_command_line(command, tmp_path: Path, command_env) -> None:
    import signal

    args = [sys.executable, "-m", "timingboard", command, "--publish", "0"]
    if command == "open":
        path = tmp_path / "s.tbs"
        SessionRecorder.create(path, SessionSettings(name="Heat 1")).close()
        args.insert(4, str(path))
    elif command == "demo":
        args += ["--dir", str(tmp_path / "demo"), "--speed", "20"]
    else:  # to a timing system that is not there yet: the board still serves
        args.insert(4, "127.0.0.1:9")
        args += ["--dir", str(tmp_path / "feed")]
    process = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=command_env
    )
    try:
        first = process.stdout.readline()
        assert first.startswith("Publishing on port "), process.stderr.read()
        port = int(first.split()[3])
        assert "this computer only" in first
        with socket.create_connection(("::1", port), timeout=20) as conn:
            conn.settimeout(20)
            received = b""
            while b"$B," not in received:
                received += conn.recv(65536)
    finally:
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "Traceback" not in err


def test_publish_on_a_taken_port_says_so(tmp_path: Path, command_env) -> None:
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    path = tmp_path / "s.tbs"
    SessionRecorder.create(path, SessionSettings(name="Heat 1")).close()
    try:
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "timingboard",
                "open",
                str(path),
                "--publish",
                str(holder.getsockname()[1]),
            ],
            capture_output=True,
            text=True,
            timeout=60,
            env=command_env,
        )
    finally:
        holder.close()
    assert run.returncode == 2
    assert run.stderr.startswith("timingboard: cannot publish on 127.0.0.1:")
    assert "Traceback" not in run.stderr
