"""Client and server on loopback with real sockets: two boards, dropped links, garbage, bursts."""

from __future__ import annotations

from pathlib import Path

import pytest
from race_scripts import QUARTER_MILE_RACE, three_car_race

from timingboard.qt.rmonitor_client import LinkState, RMonitorClient
from timingboard.qt.rmonitor_server import RMonitorServer
from timingboard.qt.session_controller import SessionController
from timingboard.store import SessionRecorder

HEADER = (
    b'$B,7,"Feature"\r\n$E,"TRACKNAME","Coliseum"\r\n$E,"TRACKLENGTH","0.250"\r\n'
    b'$A,"31","31",1031,"Justin","Haley","USA",1\r\n'
    b'$A,"18","18",1018,"Kyle","Busch","USA",1\r\n'
    b'$F,9999,"00:00:00","12:00:00","00:00:00","Green "\r\n'
)


def _j(reg: str, lap_ms: int, total_ms: int) -> bytes:
    def t(ms: int) -> str:
        s, f = divmod(ms, 1000)
        m, s = divmod(s, 60)
        h, m = divmod(m, 60)
        return f"{h:02d}:{m:02d}:{s:02d}.{f:03d}"

    return f'$J,"{reg}","{t(lap_ms)}","{t(total_ms)}"\r\n'.encode()


def _laps(reg: str, count: int, lap_ms: int, offset: int) -> list[bytes]:
    return [_j(reg, lap_ms if i else 0, offset + i * lap_ms) for i in range(count + 1)]


@pytest.fixture
def follower(tmp_path: Path, qapp):
    controller = SessionController(
        SessionRecorder.create(tmp_path / "blank.tbs", QUARTER_MILE_RACE)
    )
    client = RMonitorClient(controller, tmp_path, first_retry_ms=50)
    yield controller, client
    client.disconnect_from_feed()
    controller.close()


def test_two_of_our_boards_one_feeding_the_other(make_controller, follower, qtbot) -> None:
    upstream = make_controller(QUARTER_MILE_RACE, "upstream.tbs")
    server = RMonitorServer(upstream)
    assert server.listen(0)
    downstream, client = follower
    with qtbot.waitSignal(server.clients_changed, timeout=3000):
        client.connect_to("127.0.0.1", server.port)
    upstream.submit(three_car_race()[:8])  # some laps before, the rest while connected
    for event in three_car_race()[8:]:
        upstream.submit([event])

    def shown(controller: SessionController) -> list[tuple]:
        return [(s.car, s.position, s.laps, s.best_lap_ms) for s in controller.engine.standings()]

    qtbot.waitUntil(lambda: shown(downstream) == shown(upstream), timeout=5000)
    assert shown(downstream)[0] == ("2", 1, 4, 13900)
    server.close()


def test_dropped_link_is_restored_without_double_counting(timing_system, follower, qtbot) -> None:
    controller, client = follower
    states: list[str] = []
    client.link_changed.connect(states.append)
    client.connect_to("127.0.0.1", timing_system.port)
    qtbot.waitUntil(lambda: client.state is LinkState.UP, timeout=3000)
    passings = _laps("31", 6, 13500, 1000)
    timing_system.send(HEADER + b"".join(passings[:4]))
    qtbot.waitUntil(
        lambda: "31" in controller.engine.entries and controller.engine.standing("31").laps == 3,
        timeout=3000,
    )
    timing_system.drop()
    qtbot.waitUntil(lambda: client.state is LinkState.RETRYING, timeout=3000)
    qtbot.waitUntil(
        lambda: len(timing_system.sockets) == 2 and client.state is LinkState.UP, timeout=5000
    )
    timing_system.send(b"".join(passings[2:]))  # the timing system repeats the last two
    qtbot.waitUntil(lambda: controller.engine.standing("31").laps == 6, timeout=3000)
    assert controller.engine.standing("31").best_lap_ms == 13500
    assert any(s.startswith("link lost, retrying") for s in states)


def test_garbage_between_records_is_skipped_and_reported(timing_system, follower, qtbot) -> None:
    controller, client = follower
    client.connect_to("127.0.0.1", timing_system.port)
    qtbot.waitUntil(lambda: client.state is LinkState.UP, timeout=3000)
    noisy = HEADER
    for line in _laps("18", 3, 14000, 500):
        noisy += b"\x00\xff junk !!\r\n" + line + b"$RMCA,1\r\n"
    timing_system.send(noisy)
    qtbot.waitUntil(
        lambda: "18" in controller.engine.entries and controller.engine.standing("18").laps == 3,
        timeout=3000,
    )
    assert len(client.skipped) >= 8
    recorder = controller.recorder
    assert recorder.file.raw_feed() == noisy  # every byte received is kept


def test_a_burst_of_a_thousand_passings(timing_system, follower, qtbot) -> None:
    controller, client = follower
    client.connect_to("127.0.0.1", timing_system.port)
    qtbot.waitUntil(lambda: client.state is LinkState.UP, timeout=3000)
    burst = (
        HEADER + b"".join(_laps("31", 499, 13500, 1000)) + b"".join(_laps("18", 499, 13600, 1100))
    )
    timing_system.send(burst)
    qtbot.waitUntil(lambda: len(controller.engine.passings) == 1000, timeout=10000)
    assert [(s.car, s.laps) for s in controller.engine.standings()] == [("31", 499), ("18", 499)]


def test_a_board_joining_in_the_middle_of_qualifying(tmp_path, follower, qtbot) -> None:
    from timingboard.demo.clash import qualifying
    from timingboard.qt.demo_runner import DemoRunner

    (tmp_path / "up").mkdir()
    upstream = SessionController(
        SessionRecorder.create(tmp_path / "up" / "setup.tbs", qualifying().settings)
    )
    server = RMonitorServer(upstream)
    assert server.listen(0)
    runner = DemoRunner(upstream, tmp_path / "up", speed=60)
    runner.start()
    qtbot.waitUntil(lambda: len(upstream.engine.passings) > 30, timeout=10000)
    downstream, client = follower
    client.connect_to("127.0.0.1", server.port)

    def board(controller: SessionController) -> list[tuple]:
        engine = controller.engine
        return [(s.car, s.best_lap_ms) for s in engine.standings()] + [len(engine.passings)]

    qtbot.waitUntil(
        lambda: len(downstream.engine.passings) > 60 and board(downstream) == board(upstream),
        timeout=10000,
    )
    runner.stop()
    server.close()
    upstream.close()


def test_the_window_shows_where_the_timing_system_disagrees(
    make_controller, timing_system, tmp_path, qtbot
) -> None:
    from PySide6.QtCore import QSettings

    from timingboard.app.main_window import MainWindow
    from timingboard.qt.leaderboard_model import Column

    controller = make_controller(QUARTER_MILE_RACE)
    window = MainWindow(controller, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(1280, 800)  # the desk on a laptop screen: room for the TS column
    window.show()
    window.feed.follow("127.0.0.1", timing_system.port, tmp_path / "feed")
    qtbot.waitUntil(lambda: timing_system.sockets != [], timeout=3000)
    # 31 leads on the line, but the timing system (a penalty we do not know of) says 18
    data = HEADER + b"".join(_laps("31", 2, 13500, 1000)) + b"".join(_laps("18", 2, 13600, 1100))
    data += b'$G,1,"18",2,"00:00:28.300"\r\n$G,2,"31",2,"00:00:28.000"\r\n'
    timing_system.send(data)
    qtbot.waitUntil(lambda: "differs" in window.feed.order_label.text(), timeout=3000)
    assert "#18 ours P2 / TS P1" in window.feed.order_label.text()
    assert not window.board.isColumnHidden(Column.OFFICIAL)
    window.board_model.flush()
    assert window.board_model.index(0, Column.OFFICIAL).data() == "2"
    assert window.feed.link_label.text() == "Feed: connected"
    window.close()


def test_simulate_serves_rmonitor_until_interrupted() -> None:
    import signal
    import socket
    import subprocess
    import sys

    process = subprocess.Popen(
        [sys.executable, "-m", "timingboard", "simulate", "--port", "0", "--speed", "50"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = process.stdout.readline()
        assert first.startswith("Serving the simulated Clash as RMonitor on 127.0.0.1:")
        port = int(first.split(":")[1].split()[0])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.settimeout(10)
            received = b""
            while b"$J" not in received:
                received += conn.recv(65536)
        assert b'$A,"31","31"' in received and b"Justin" in received
    finally:
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "Traceback" not in err


def test_the_session_clock_follows_the_timing_systems_heartbeat(timing_system, follower, qtbot):
    controller, client = follower
    client.connect_to("127.0.0.1", timing_system.port)
    qtbot.waitUntil(lambda: client.state is LinkState.UP, timeout=3000)
    timing_system.send(HEADER + b'$F,9999,"00:00:00","12:10:00","00:10:00","Green "\r\n')
    qtbot.waitUntil(lambda: controller.clock_ms() >= 600_000, timeout=3000)
    assert controller.clock_ms() < 660_000
