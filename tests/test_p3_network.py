"""The P3 client against the fake decoder over real loopback sockets: drops, RESEND, raw bytes."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from p3_captures import LONG, needs_captures, wires

from timingboard.engine import TimingEngine
from timingboard.feeds.p3_session import TimingLine
from timingboard.qt.p3_client import LinkState, P3Client, new_p3_session
from timingboard.qt.p3_simulator import P3Simulator
from timingboard.qt.session_controller import SessionController
from timingboard.store.p3_import import import_p3
from timingboard.store.session_file import SessionFile

PASSINGS = 84


def _board(engine: TimingEngine) -> list[tuple]:
    return [(s.car, s.laps, s.best_lap_ms, s.last_lap_ms, s.total_ms) for s in engine.standings()]


@pytest.fixture
def follow(tmp_path: Path, qapp):
    made: list = []

    def start(simulator: P3Simulator) -> tuple[SessionController, P3Client]:
        recorder = new_p3_session(tmp_path, "127.0.0.1", simulator.port)
        controller = SessionController(recorder)
        client = P3Client(controller, recorder, first_retry_ms=20)
        made.append((controller, client))
        client.connect_to("127.0.0.1", simulator.port)
        return controller, client

    yield start
    for controller, client in made:
        client.disconnect_from_decoder()
        client.deleteLater()
        controller.close()
        controller.deleteLater()


def _simulator(qapp, **options) -> P3Simulator:
    simulator = P3Simulator(wires(), speed=0, **options)
    assert simulator.listen(0)
    return simulator


@needs_captures
def test_a_link_dropped_mid_session_gives_the_same_board_as_no_drop(qtbot, follow, tmp_path):
    steady = _simulator(qtbot)
    dropped = _simulator(qtbot, drop_after=700)
    try:
        calm, calm_client = follow(steady)
        hit, hit_client = follow(dropped)
        qtbot.waitUntil(lambda: len(calm.engine.passings) == PASSINGS, timeout=20_000)
        qtbot.waitUntil(lambda: len(hit.engine.passings) == PASSINGS, timeout=20_000)
        qtbot.waitUntil(lambda: steady.played == dropped.played == len(wires()), timeout=20_000)
        qtbot.waitUntil(lambda: dropped.resends_answered == 1)
    finally:
        steady.close()
        dropped.close()
    assert calm_client.resends == []
    (asked,) = hit_client.resends
    assert asked[0] > 157777  # from after the last passing it had
    assert _board(hit.engine) == _board(calm.engine)
    imported = import_p3(LONG, tmp_path / "imported.tbs")
    file = SessionFile.open(imported.path, read_only=True)
    try:
        assert _board(TimingEngine.from_log(file.settings, file.entries())) == _board(hit.engine)
    finally:
        file.close()
    assert hit_client.state == LinkState.UP


@needs_captures
def test_every_byte_received_is_kept_in_the_session_file(qtbot, follow):
    simulator = _simulator(qtbot)
    try:
        controller, client = follow(simulator)
        qtbot.waitUntil(lambda: len(controller.engine.passings) == PASSINGS, timeout=20_000)
        qtbot.waitUntil(lambda: simulator.played == len(wires()), timeout=20_000)
        qtbot.waitUntil(
            lambda: controller.recorder.file.raw_feed() == bytes(simulator.sent[0]),
            timeout=20_000,
        )  # every byte, in order, nothing else
    finally:
        simulator.close()
    kept = controller.recorder.file.raw_feed()
    statuses = [w for w in wires() if w[8:10] == b"\x02\x00"]
    assert all(w in kept for w in statuses[:50])  # as captured
    assert client.skipped == []
    assert client.health[0x00041813].status is not None


def test_a_decoder_that_is_not_there_is_retried(qtbot, follow):
    gone = P3Simulator([], speed=0)
    assert gone.listen(0)
    port = gone.port
    gone.close()  # nobody listens on that port any more
    states: list[str] = []
    controller, client = follow(SimpleNamespace(port=port))
    client.link_changed.connect(states.append)
    qtbot.waitUntil(lambda: any(s.startswith(LinkState.UNREACHED) for s in states))
    assert client.state == LinkState.UNREACHED  # never up: not reached yet, not lost
    assert len(controller.engine.passings) == 0


@needs_captures
def test_a_board_restarted_on_its_session_file_asks_for_what_it_missed(qtbot, tmp_path, qapp):
    from timingboard.store import SessionRecorder

    simulator = _simulator(qtbot, drop_after=500)
    recorder = new_p3_session(tmp_path, "127.0.0.1", simulator.port)
    path = recorder.file.path
    controller = SessionController(recorder)
    client = P3Client(controller, recorder, {0x00041813: TimingLine()}, first_retry_ms=60_000)
    try:
        client.connect_to("127.0.0.1", simulator.port)
        qtbot.waitUntil(lambda: client.state == LinkState.RETRYING, timeout=20_000)
        taken = len(controller.engine.passings)
        assert 0 < taken < PASSINGS
        client.disconnect_from_decoder()  # the board stops here
        controller.close()
        qtbot.waitUntil(lambda: simulator.played == len(wires()), timeout=20_000)
        reopened = SessionRecorder.open(path)  # … and starts again on its file
        controller = SessionController(reopened)
        client = P3Client(controller, reopened, first_retry_ms=20)  # lines: the file's own
        assert client.mapper.lines == {0x00041813: TimingLine()}
        client.connect_to("127.0.0.1", simulator.port)
        qtbot.waitUntil(lambda: len(controller.engine.passings) == PASSINGS, timeout=20_000)
    finally:
        client.disconnect_from_decoder()
        client.deleteLater()
        controller.close()
        simulator.close()
    ((first, _until),) = client.resends
    assert first == 157777 + taken  # the passing after the last one in the file
    imported = import_p3(LONG, tmp_path / "imported.tbs")
    file = SessionFile.open(imported.path, read_only=True)
    try:
        reference = _board(TimingEngine.from_log(file.settings, file.entries()))
    finally:
        file.close()
    assert _board(controller.engine) == reference


@needs_captures
def test_a_burst_is_scored_a_slice_a_turn_and_nothing_is_lost(qtbot, follow):
    from PySide6.QtNetwork import QHostAddress, QTcpServer

    from timingboard.qt.p3_client import TURN_BYTES

    server = QTcpServer()
    assert server.listen(QHostAddress.SpecialAddress.LocalHost, 0)
    burst = b"".join(wires())
    sockets: list = []

    def send_all() -> None:
        socket = server.nextPendingConnection()
        sockets.append(socket)
        socket.write(burst)  # the whole session in one go, as a RESEND answer may come

    server.newConnection.connect(send_all)
    try:
        controller, client = follow(SimpleNamespace(port=server.serverPort()))
        slices: list[int] = []
        taken = client.take
        client.take = lambda data, now=None: (slices.append(len(data)), taken(data, now))  # type: ignore[method-assign]
        qtbot.waitUntil(lambda: len(controller.engine.passings) == PASSINGS, timeout=20_000)
        qtbot.waitUntil(lambda: not client.busy)
    finally:
        for socket in sockets:
            socket.abort()
        server.close()
    assert max(slices) <= TURN_BYTES and sum(slices) == len(burst)
    assert len(slices) >= len(burst) // TURN_BYTES
    assert client.skipped == []
