"""Faults left from the last stop, walked through the real window as ``timingboard open``
builds it: the Event tab on a link whose target is gone, an export pointed at ``event.json``,
the status bar's refusals at 1280 px, and the collector's frozen objects across opens."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from journey import User, file_dialog_answer, open_window
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from race_scripts import QUARTER_MILE_RACE, three_car_race

from timingboard.qt.gui_thread import idle_releaser
from timingboard.store.recorder import SessionRecorder
from timingboard.text.event_text import EventColumn

JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


def _race(path: Path) -> Path:
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit(three_car_race())
    recorder.close()
    return path


def _event_rows(user: User) -> list[tuple[str, str]]:
    model = user.window.event_actions.model
    return [
        (
            str(model.index(r, EventColumn.SESSION).data()),
            str(model.index(r, EventColumn.STATUS).data()),
        )
        for r in range(model.rowCount())
    ]


@JOURNEY_LOG
def test_the_event_tab_lists_a_link_whose_session_is_gone_and_says_so(
    qtbot, tmp_path, dialogs
) -> None:
    """``session_files`` called ``stat`` on every ``.tbs`` of the folder: a link whose target
    was moved away raised FileNotFoundError, and the Event tab listed nothing. Its row opened
    says what is gone (it said "…/event/heat.tbs does not exist", the file listed there)."""
    from test_journeys_entries import double_click_session, show_dock

    folder = tmp_path / "event"
    folder.mkdir()
    path = _race(folder / "race.tbs")
    (folder / "heat.tbs").symlink_to(tmp_path / "moved" / "heat.tbs")
    user = User(qtbot, open_window(path, tmp_path / "settings.ini"))
    user.show()
    qtbot.waitUntil(lambda: len(_event_rows(user)) == 2, timeout=5000)
    gone = tmp_path / "moved" / "heat.tbs"
    qtbot.waitUntil(lambda: dict(_event_rows(user))["heat"] != "reading…", timeout=5000)
    rows = dict(_event_rows(user))
    assert rows["heat"] == f"unreadable: the link's target {gone} is gone", rows
    assert [status for name, status in rows.items() if name != "heat"] == ["live"], rows
    said: list[str] = []

    def read(box) -> None:
        said.append(box.text())
        box.accept()

    dialogs.expect(QMessageBox, read)
    show_dock(qtbot, user.window, "event")
    double_click_session(qtbot, user.window, "heat.tbs")
    qtbot.waitUntil(lambda: bool(said) or bool(dialogs.unexpected), timeout=5000)
    assert said == [f"{folder / 'heat.tbs'} is a link to {gone}, which does not exist"]
    assert "race.tbs" in user.window.windowTitle()  # the session shown stays
    user.window.close()
    user.window.controller.close()


@JOURNEY_LOG
def test_a_feeds_refusals_read_whole_in_the_status_bar_at_1280_px(
    qtbot, tmp_path, timing_system
) -> None:
    """Following a timing system whose order differs from ours (the link and order lines
    beside the message): a car typed, a flag key and Ctrl+Z with nothing to undo each say why
    in words the status bar draws whole."""
    from test_rmonitor_network import HEADER, _laps

    user = User(qtbot, open_window(_race(tmp_path / "hand.tbs"), tmp_path / "settings.ini"))
    user.show()
    user.window.resize(1280, 800)
    qtbot.waitUntil(lambda: user.window.statusBar().width() == 1280)
    user.window.feed.follow("127.0.0.1", timing_system.port, tmp_path / "feed")
    qtbot.waitUntil(lambda: len(timing_system.sockets) == 1)
    timing_system.send(HEADER + b"".join(_laps("31", 3, 14_000, 0) + _laps("18", 2, 15_000, 0)))
    timing_system.send(b'$G,1,"18",2,"00:00:30.000"\r\n$G,2,"31",3,"00:00:42.000"\r\n')
    order = user.window.feed.order_label
    qtbot.waitUntil(lambda: order.text().startswith("Timing system order differs"), timeout=5000)
    user.activate()
    said = []
    for act in (
        lambda: user.enter("31"),
        lambda: user.press(Qt.Key.Key_F6),
        lambda: user.press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier),
    ):
        act()
        said.append(user.status())
        assert said[-1] and user.status_cut() == "", said
    assert "times this session" in said[0] and "Nothing to undo" in said[2], said
    user.window.close()
    user.window.controller.close()


def _frozen_garbage() -> int:
    """How many frozen objects (``gc.freeze``) are garbage: collected once they are thawed.
    What is not frozen is collected first; everything is frozen again after."""
    gc.collect()
    gc.unfreeze()
    try:
        return gc.collect()
    finally:
        gc.freeze()


@JOURNEY_LOG
@pytest.mark.parametrize("in_worker", [True, False], ids=["read in a worker", "read at once"])
def test_opening_sessions_one_after_another_freezes_no_garbage(
    qtbot, tmp_path, dialogs, monkeypatch, in_worker: bool
) -> None:
    """File ▸ Open freezes what it read out of the collector's sight (``gc.freeze``): a
    session read in a worker is frozen without a collection, so any garbage cycle made while
    it was read was frozen with it and never freed (the corrections' look-up made one at
    every read: 18 objects an open of a three-car race, for as long as the board ran)."""
    from timingboard.app import background_open

    monkeypatch.setattr(background_open, "IN_WORKER_FROM", 1 if in_worker else 1 << 40)
    first, second = _race(tmp_path / "first.tbs"), _race(tmp_path / "second.tbs")
    user = User(qtbot, open_window(first, tmp_path / "settings.ini"))
    user.show()

    def file_open(path: Path) -> None:
        dialogs.expect(QFileDialog, file_dialog_answer(user, path))
        user.choose("File", "Open session")
        qtbot.waitUntil(lambda: user.window.windowTitle().startswith(f"Heat 1 — {path.name}"))
        recorder = user.window.controller.recorder
        qtbot.waitUntil(lambda: not recorder.checking and not idle_releaser().busy)

    file_open(second)
    file_open(first)
    _frozen_garbage()  # what the test's start left
    file_open(second)
    file_open(first)
    assert _frozen_garbage() == 0
    assert dialogs.unexpected == []
    user.window.close()
    user.window.controller.close()


@JOURNEY_LOG
def test_replaying_sessions_one_after_another_freezes_no_garbage(
    qtbot, tmp_path, dialogs, monkeypatch
) -> None:
    """File ▸ Replay reads the file in a worker, which freezes the checkpoint it takes back
    without a collection: the same garbage cycle was frozen at each replay."""
    from timingboard.app import background_open

    monkeypatch.setattr(background_open, "IN_WORKER_FROM", 1)
    first, second = _race(tmp_path / "first.tbs"), _race(tmp_path / "second.tbs")
    user = User(qtbot, open_window(first, tmp_path / "settings.ini"))
    user.show()
    driver = user.window.replay.driver

    def replay(path: Path) -> None:
        dialogs.expect(QFileDialog, file_dialog_answer(user, path))
        user.choose("File", "Replay a session or capture")
        qtbot.waitUntil(lambda: path.name in user.window.windowTitle() and not driver.building)
        qtbot.waitUntil(lambda: not idle_releaser().busy)

    replay(second)
    replay(first)
    _frozen_garbage()  # what the test's start left
    replay(second)
    replay(first)
    assert _frozen_garbage() == 0
    assert dialogs.unexpected == []
    user.window.close()
    user.window.controller.close()
