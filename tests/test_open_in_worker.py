"""A long session file opened from the window (File ▸ Open) is read in a worker: the board before
stays whole until the new one is, the status bar says it is opening, ``session_opened`` says when
it is shown; a file that cannot be read is explained; a window closed meanwhile leaves no thread
and no open file."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from race_scripts import QUARTER_MILE_RACE, three_car_race
from test_session_snapshot import board, corrected_race, rebuilt

from timingboard.app import background_open
from timingboard.store import SessionRecorder, closing


@pytest.fixture(autouse=True)
def _every_file_is_long(monkeypatch):
    """Files of 4 MB and more are read in a worker; these stand in for them."""
    monkeypatch.setattr(background_open, "IN_WORKER_FROM", 1)


def _cell(window, row: int, column: int) -> str:
    model = window.board.model()
    return str(model.data(model.index(row, column)))


def _no_opening_thread() -> bool:
    return not any(t.name == "open-session" for t in threading.enumerate())


def test_file_open_shows_the_whole_board_once_read(
    make_controller, show_window, tmp_path: Path, qtbot
) -> None:
    path = tmp_path / "race.tbs"
    corrected_race(path)
    controller = make_controller(QUARTER_MILE_RACE, "live.tbs")
    controller.submit(three_car_race()[:2])
    window = show_window(controller)
    before = _cell(window, 0, 1)
    with qtbot.waitSignal(window.session_actions.session_opened, timeout=20_000) as opened:
        assert window.session_actions.open_session(path)
        assert window.session_actions.opening
        assert window.statusBar().currentMessage() == "Opening race.tbs…"
        assert _cell(window, 0, 1) == before  # the board before, whole, until then
    assert opened.args == [str(path)]
    assert not window.session_actions.opening
    assert board(controller.engine) == board(rebuilt(path))
    assert "race.tbs" in window.windowTitle()
    assert [_cell(window, row, 1) for row in range(3)] != ["None"] * 3
    log = window.passings_model  # sorted in the worker, handed over before it was shown
    assert log.rowCount() == controller.engine.passing_count()
    assert log._ordered._source is controller.recorder
    qtbot.waitUntil(_no_opening_thread)


def test_only_the_latest_file_asked_for_is_shown(
    make_controller, show_window, tmp_path: Path, qtbot
) -> None:
    first, second = tmp_path / "first.tbs", tmp_path / "second.tbs"
    corrected_race(first)
    recorder = SessionRecorder.create(second, QUARTER_MILE_RACE)
    recorder.submit(three_car_race()[:4])
    recorder.close()
    window = show_window(make_controller(QUARTER_MILE_RACE, "live.tbs"))
    shown: list[str] = []
    window.session_actions.session_opened.connect(shown.append)
    assert window.session_actions.open_session(first)
    with qtbot.waitSignal(window.session_actions.session_opened, timeout=20_000):
        assert window.session_actions.open_session(second)
    assert shown == [str(second)]
    assert board(window.controller.engine) == board(rebuilt(second))
    qtbot.waitUntil(lambda: not closing.pending())  # the first one's file closed
    qtbot.waitUntil(_no_opening_thread)


def test_a_file_that_is_no_session_is_explained(
    make_controller, show_window, tmp_path: Path, qtbot, monkeypatch
) -> None:
    window = show_window(make_controller(QUARTER_MILE_RACE, "live.tbs"))
    explained: list[str] = []
    monkeypatch.setattr(window.session_actions, "_explain", explained.append)
    foreign = tmp_path / "notes.tbs"
    foreign.write_text("not a session")
    with qtbot.waitSignal(window.session_actions.background.failed, timeout=20_000):
        assert window.session_actions.open_session(foreign)
    assert explained and "not a timingboard session" in explained[0]
    assert window.controller.engine.settings == QUARTER_MILE_RACE  # still on the one before
    assert window.statusBar().currentMessage() == ""
    qtbot.waitUntil(_no_opening_thread)


def test_a_window_closed_while_opening_leaves_no_thread_nor_file_open(
    make_controller, show_window, tmp_path: Path, qtbot
) -> None:
    path = tmp_path / "race.tbs"
    corrected_race(path)
    window = show_window(make_controller(QUARTER_MILE_RACE, "live.tbs"))
    shown: list[str] = []
    window.session_actions.session_opened.connect(shown.append)
    assert window.session_actions.open_session(path)
    window.close()
    assert _no_opening_thread()
    assert not window.session_actions.opening
    QApplication.processEvents()  # the worker's late word, if any, shows nothing
    assert shown == []
    assert window.controller.engine.settings == QUARTER_MILE_RACE
    reopened = SessionRecorder.open(path)  # nobody holds it
    assert not reopened.file.read_only
    reopened.close()


def test_file_replay_of_a_long_file_is_read_in_the_worker(
    make_controller, show_window, tmp_path: Path, qtbot
) -> None:
    path = tmp_path / "race.tbs"
    corrected_race(path)
    window = show_window(make_controller(QUARTER_MILE_RACE, "live.tbs"))
    with qtbot.waitSignal(window.replay.opened, timeout=20_000) as opened:
        assert window.replay.replay(path)
        assert window.replay.opening and not window.controller.is_replay
        assert window.statusBar().currentMessage() == "Opening race.tbs for replay…"
    assert opened.args == [str(path)]
    assert window.controller.is_replay and not window.replay.opening
    assert window.replay.toolbar.isVisibleTo(window)
    qtbot.waitUntil(_no_opening_thread)


def test_a_replay_of_a_file_that_is_no_session_is_explained(
    make_controller, show_window, tmp_path: Path, qtbot, monkeypatch
) -> None:
    from timingboard.app import replay_actions

    window = show_window(make_controller(QUARTER_MILE_RACE, "live.tbs"))
    warned: list[str] = []
    monkeypatch.setattr(
        replay_actions.QMessageBox, "warning", lambda _w, _t, text: warned.append(text)
    )
    missing = tmp_path / "gone.tbs"
    missing.write_bytes(b"no capture, no session")
    with qtbot.waitSignal(window.replay.background.failed, timeout=20_000):
        assert window.replay.replay(missing)
    assert warned and not window.controller.is_replay
    qtbot.waitUntil(_no_opening_thread)


def test_the_same_file_asked_for_twice_while_read_is_read_once_and_writable(
    make_controller, show_window, tmp_path: Path, qtbot
) -> None:
    path = tmp_path / "race.tbs"
    corrected_race(path)
    window = show_window(make_controller(QUARTER_MILE_RACE, "live.tbs"))
    shown: list[str] = []
    window.session_actions.session_opened.connect(shown.append)
    with qtbot.waitSignal(window.session_actions.session_opened, timeout=20_000):
        assert window.session_actions.open_session(path)
        assert window.session_actions.open_session(path)  # a double click in the Event tab
    assert shown == [str(path)]
    assert not window.controller.recorder.file.read_only
    qtbot.waitUntil(_no_opening_thread)


def test_opens_dropped_revived_and_asked_again_each_keep_a_worker_of_their_own(qtbot) -> None:
    """A, then B, then the open dropped (another shown), A again (its worker still reads it:
    revived, no second reader), then D: D alone is shown, every other file closed once."""
    door = threading.Event()
    closed: list[str] = []
    readers: list[str] = []

    class Opened:
        def __init__(self, path: str) -> None:
            self.path = path

        def close(self, in_background: bool = False) -> None:
            closed.append(self.path)

        def abandon(self) -> None:
            closed.append(self.path)

    def opener(path: str) -> Opened:
        readers.append(path)
        door.wait(30)
        return Opened(path)

    opens = background_open.BackgroundOpen(opener=opener)
    shown: list[str] = []
    opens.opened.connect(lambda _opened, path: shown.append(path))
    dropped: list[str] = []
    opens.dropped.connect(dropped.append)
    try:
        opens.start("A")
        opens.start("B")
        opens.drop()
        assert dropped == ["B"] and not opens.busy
        opens.start("A")  # still read by its first worker: that one's result is the one
        assert opens.busy
        opens.start("D")
        qtbot.waitUntil(lambda: len(readers) == 3, timeout=10_000)
        assert sorted(readers) == ["A", "B", "D"]  # A read once
    finally:
        door.set()
    qtbot.waitUntil(lambda: not opens._threads, timeout=10_000)
    assert shown == ["D"]
    assert sorted(closed) == ["A", "B"]
    opens.deleteLater()
