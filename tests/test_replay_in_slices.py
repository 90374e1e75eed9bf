"""A long replay as a user takes it while its checkpoints are still being built, a slice at a
time between the window's events: File ▸ Replay (read in a worker) and ``timingboard replay``,
seeks by the keys and the timeline, the board's cells then, and the Event tab's row of the file
once its end is at hand."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from timingboard.app import background_open
from timingboard.app.run import build_replay_window
from timingboard.demo.endurance import Workload, generate
from timingboard.engine import TimingEngine
from timingboard.qt.leaderboard_model import Column
from timingboard.qt.passings_model import PassingsModel
from timingboard.store import SessionRecorder
from timingboard.store.event_folder import Status, summarise_session
from timingboard.store.replay_source import ReplaySource

# 12 cars x 150 laps: 1,800 passings, five stretches of checkpoints
ENDURO = Workload("12 cars x 150 laps", 12, 150, 40_000, 1.2)


@pytest.fixture(scope="module")
def enduro_log(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("enduro") / "enduro.tbs"
    settings, events = generate(ENDURO)
    recorder = SessionRecorder.create(path, settings)
    for start in range(0, len(events), 500):
        recorder.submit(events[start : start + 500])
    recorder.close()
    return path


@pytest.fixture
def enduro(enduro_log: Path, tmp_path: Path) -> Path:
    """A copy of its own: a replay's Event tab lists the file's folder."""
    path = tmp_path / "event" / "enduro.tbs"
    path.parent.mkdir()
    path.write_bytes(enduro_log.read_bytes())
    return path


@pytest.fixture(autouse=True)
def _small_slices(monkeypatch):
    """Slices of 20 events: the checkpoints are still being built while the user seeks."""
    from timingboard.qt import replay_driver

    monkeypatch.setattr(replay_driver, "EVENTS_A_BUILD_STEP", 20)


def _cells(window) -> list[tuple[str, str, str]]:
    """(position, car, laps) of each row, as the board shows them."""
    model = window.board_model
    return [
        tuple(str(model.index(r, c).data()) for c in (Column.POSITION, Column.CAR, Column.LAPS))
        for r in range(model.rowCount())
    ]


def _expected(path: Path, at_ms: int) -> list[tuple[str, str, str]]:
    timeline = ReplaySource.open(path).timeline
    engine = TimingEngine.from_log(timeline.settings, timeline.log[: timeline.prefix_at(at_ms)])
    return [(str(s.position), s.car, str(s.laps)) for s in engine.standings()]


def _press(qtbot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    if QApplication.focusWidget() is None:  # the window shown may not be active yet
        window = QApplication.activeWindow() or next(
            w for w in QApplication.topLevelWidgets() if w.isVisible() and hasattr(w, "board")
        )
        window.activateWindow()
        window.board.setFocus()  # as a user clicks the board
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=3000)
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def _drag_timeline_to(window, qtbot, share: float) -> int:
    slider = window.replay.bar.timeline
    y = slider.height() // 2
    x = int(slider.width() * share)
    qtbot.mousePress(slider, Qt.MouseButton.LeftButton, pos=QPoint(slider.width() // 8, y))
    qtbot.mouseMove(slider, QPoint(x, y))
    moment = slider.time_at(x)
    qtbot.waitUntil(lambda: window.replay.driver.position_ms == moment, timeout=3000)
    qtbot.mouseRelease(slider, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
    return moment


def _row_as_on_disk(window, path: Path) -> bool:
    (row,) = window.event_actions.model.rows()
    disk = summarise_session(path)
    return (row.status, row.started, row.laps, row.winner) == (
        disk.status,
        disk.started,
        disk.laps,
        disk.winner,
    )


def test_file_replay_read_in_the_worker_then_seeks_while_checkpoints_build(
    enduro, tmp_path, show_window, qtbot, monkeypatch
) -> None:
    from timingboard.qt.session_controller import SessionController

    monkeypatch.setattr(background_open, "IN_WORKER_FROM", 1)  # stands in for a long file
    live = SessionRecorder.create(tmp_path / "live.tbs", ReplaySource.open(enduro).settings)
    window = show_window(SessionController(live))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(enduro), ""))
    with qtbot.waitSignal(window.replay.opened, timeout=20_000):
        window.replay.open_action.trigger()
        assert window.replay.opening
    driver = window.replay.driver
    assert window.controller.is_replay and driver.position_ms == 0
    assert _cells(window) == _expected(enduro, 0)
    assert driver.building  # the checkpoints are still being built, between events
    (row,) = window.event_actions.model.rows()
    assert row.status is Status.READING  # the file's row waits for its end, not read again
    _press(qtbot, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)  # the leader's lap
    at = driver.position_ms
    assert at > 0 and _cells(window) == _expected(enduro, at)
    moment = _drag_timeline_to(window, qtbot, 0.8)  # beyond the checkpoints built so far
    assert _cells(window) == _expected(enduro, moment)
    qtbot.waitUntil(lambda: not driver.building, timeout=20_000)
    qtbot.waitUntil(lambda: _row_as_on_disk(window, enduro), timeout=5000)
    _press(qtbot, Qt.Key.Key_Left)  # a passing back, from the checkpoints all built
    assert _cells(window) == _expected(enduro, driver.position_ms)
    assert driver.position_ms < moment
    window.replay.driver.close()


def _log_cells(window) -> list[tuple[str, ...]]:
    """Every row of the passings log, top to bottom, as it reads (each cell's text)."""
    model = window.passings_model
    columns = range(model.columnCount())
    return [tuple(str(model.index(r, c).data()) for c in columns) for r in range(model.rowCount())]


def _log_as_it_stood(path: Path, at_ms: int, qtbot) -> list[tuple[str, ...]]:
    """The passings log of a window showing the session's state at ``at_ms`` afresh."""
    from timingboard.qt.session_controller import SessionController

    timeline = ReplaySource.open(path).timeline
    engine = TimingEngine.from_log(timeline.settings, timeline.log[: timeline.prefix_at(at_ms)])
    controller = SessionController(ReplaySource(path.name, timeline, path))
    controller.show_engine(engine)
    model = PassingsModel(controller)
    columns = range(model.columnCount())
    rows = [tuple(str(model.index(r, c).data()) for c in columns) for r in range(model.rowCount())]
    controller.close()
    return rows


def test_file_replay_read_in_the_worker_lists_the_passings_as_they_stood_at_each_seek(
    enduro, tmp_path, show_window, qtbot, monkeypatch
) -> None:
    """Its log sorted in the worker: each seek (far ahead first, then back, then ahead) lists
    the passings logged by then, newest first, as a log made afresh at that moment does."""
    from timingboard.qt.session_controller import SessionController

    monkeypatch.setattr(background_open, "IN_WORKER_FROM", 1)  # stands in for a long file
    live = SessionRecorder.create(tmp_path / "live.tbs", ReplaySource.open(enduro).settings)
    window = show_window(SessionController(live))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(enduro), ""))
    with qtbot.waitSignal(window.replay.opened, timeout=20_000):
        window.replay.open_action.trigger()
    driver = window.replay.driver
    assert _log_cells(window) == []  # at its start: nothing crossed yet
    for share in (0.8, 0.3, 0.95, 0.5):
        moment = _drag_timeline_to(window, qtbot, share)
        qtbot.waitUntil(lambda: not window.passings_model.loading)
        listed = _log_cells(window)
        assert listed and listed == _log_as_it_stood(enduro, moment, qtbot)
        assert _cells(window) == _expected(enduro, moment)
    driver.close()


def test_the_event_row_of_a_replay_is_made_from_its_end_once_not_after_each_seek(
    enduro, tmp_path, show_window, qtbot, monkeypatch
) -> None:
    """After each seek the driver builds on once idle (nothing is left to build): the file's
    row, made from the end when they were first all built, stays as it reads (its end is not
    read again each time)."""
    from timingboard.engine.replay import ReplayTimeline
    from timingboard.qt.session_controller import SessionController

    monkeypatch.setattr(background_open, "IN_WORKER_FROM", 1)
    live = SessionRecorder.create(tmp_path / "live.tbs", ReplaySource.open(enduro).settings)
    window = show_window(SessionController(live))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(enduro), ""))
    with qtbot.waitSignal(window.replay.opened, timeout=20_000):
        window.replay.open_action.trigger()
    driver = window.replay.driver
    qtbot.waitUntil(lambda: not driver.building, timeout=20_000)
    qtbot.waitUntil(lambda: _row_as_on_disk(window, enduro), timeout=5000)
    finals: list[int] = []
    real_final = ReplayTimeline.final
    monkeypatch.setattr(ReplayTimeline, "final", lambda self: finals.append(1) or real_final(self))
    for share in (0.9, 0.2):
        moment = _drag_timeline_to(window, qtbot, share)
        assert _cells(window) == _expected(enduro, moment)
        qtbot.waitUntil(lambda: driver.building, timeout=3000)  # idle time after the seek
        qtbot.waitUntil(lambda: not driver.building, timeout=20_000)
        assert _row_as_on_disk(window, enduro)
    assert finals == []
    driver.close()


def test_replay_command_at_a_moment_steps_while_its_checkpoints_build(enduro, qtbot) -> None:
    settings = QSettings(str(enduro.parent / "settings.ini"), QSettings.Format.IniFormat)
    duration = ReplaySource.open(enduro).timeline.duration_ms
    window = build_replay_window(ReplaySource.open(enduro), duration // 2, False, settings)
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    driver = window.replay.driver
    assert driver.building
    assert _cells(window) == _expected(enduro, duration // 2)
    _press(qtbot, Qt.Key.Key_Right)
    assert _cells(window) == _expected(enduro, driver.position_ms)
    _press(qtbot, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert driver.position_ms < duration // 2
    assert _cells(window) == _expected(enduro, driver.position_ms)
    qtbot.waitUntil(lambda: not driver.building, timeout=20_000)
    qtbot.waitUntil(lambda: _row_as_on_disk(window, enduro), timeout=5000)
    moment = _drag_timeline_to(window, qtbot, 0.3)
    assert _cells(window) == _expected(enduro, moment)
    driver.close()
    window.close()
    window.controller.close()


def test_a_new_event_read_does_not_wait_for_the_one_given_up(qtbot, monkeypatch, tmp_path) -> None:
    """A 24-hour file still being read held the window ~2.6 s when the Event tab read again."""
    from timingboard.qt.summary_reader import SummaryReader
    from timingboard.store import event_folder

    release = threading.Event()
    real = event_folder.summarise_session

    def slow(path, *args, **kwargs):
        release.wait(10)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(event_folder, "summarise_session", slow)
    reader = SummaryReader()
    done: list[int] = []
    reader.finished.connect(done.append)
    missing = tmp_path / "none.tbs"
    first = reader.read([(missing, (), "")])
    second = reader.read([(missing, (), "")])  # returns with the first still reading
    assert not release.is_set() and second == first + 1
    release.set()
    qtbot.waitUntil(lambda: sorted(done) == [first, second], timeout=10_000)
    qtbot.waitUntil(
        lambda: not any(t.name == "timingboard-event-summaries" for t in threading.enumerate())
    )
    assert not reader.reading
