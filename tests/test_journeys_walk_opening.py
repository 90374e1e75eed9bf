"""A new-user walk through opening sessions (issue of the walk's faults 1-5): a long File ▸ Open
left the passings log and the charts on the session before, their corrections reaching the new
one; a replay kept a number typed while it opened; a flag key went into a finished session; a
second board on a finished session said LIVE.

The thresholds that make a session "long" are lowered where a test needs one, and its worker
waits at a gate the test opens: "while it is being opened" is a state the test holds.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest
from journey import (
    FakeTime,
    User,
    close_session_window,
    file_dialog_answer,
    new_session_window,
    open_window,
)
from PySide6.QtWidgets import QApplication, QFileDialog
from PySide6.QtCore import Qt
from race_scripts import QUARTER_MILE_RACE, field, laps_at

from timingboard.engine.events import Flag, FlagChanged
from timingboard.app import background_open, replay_actions, session_actions
from timingboard.app.read_only_notice import REPLAY_MESSAGE
from timingboard.store import SessionRecorder
from timingboard.store.replay_source import ReplaySource

JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


def _finished_race(path: Path) -> None:
    """A two-lap race run to its end: both cars took the flag (FINISHED)."""
    made = SessionRecorder.create(path, replace(QUARTER_MILE_RACE, name="End test", race_laps=2))
    crossings = sorted(
        [*laps_at("1", 0, 20_000, 2), *laps_at("2", 500, 20_500, 2)], key=lambda p: p.time_ms
    )
    made.submit([*field(["1", "2"]), FlagChanged(time_ms=0, flag=Flag.GREEN), *crossings])
    made.close()


def _flags(path: Path) -> list[Flag]:
    session = SessionRecorder.open(path, read_only=True)
    try:
        return [flag for _s, _t, flag in session.engine.flag_changes()]
    finally:
        session.close()


def _mark(user: User) -> str:
    """What the title says of the session's state: between the file's name and the app's."""
    title = user.window.windowTitle()
    return title.rsplit(" · ", 1)[0].rsplit(" — ", 1)[-1]


@JOURNEY_LOG
def test_a_second_board_on_a_session_another_writes_says_its_state_as_the_writer_does(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    """The walk: the writer said FINISHED, the second board "End test — end-test.tbs — LIVE
    (read-only)"."""
    clock = FakeTime().install(monkeypatch)
    writer = new_session_window(qtbot, tmp_path, QUARTER_MILE_RACE, "end-test.tbs")
    writer.press(Qt.Key.Key_F5)  # green
    for car in ("1", "2"):
        clock.advance(0.5)
        writer.enter(car)
    reader = User(qtbot, open_window(tmp_path / "end-test.tbs", tmp_path / "reader.ini"))
    reader.show()
    try:
        assert _mark(reader) == "LIVE (read-only)"
        writer.activate()
        for car in ("1", "2"):  # lap 1 each
            clock.advance(10)
            writer.enter(car)
        writer.press(Qt.Key.Key_F9)  # checkered
        for car in ("1", "2"):  # each takes it
            clock.advance(10)
            writer.enter(car)
            shown = f"{_mark(writer)} (read-only)"  # CHECKERED, then FINISHED
            qtbot.waitUntil(lambda shown=shown: _mark(reader) == shown, timeout=3000)
        assert _mark(writer) == "FINISHED"
        assert "following the board writing it" in (reader.window.read_only_notice.shown or "")
        # and a board opening it once it is finished says so at once
        third = User(qtbot, open_window(tmp_path / "end-test.tbs", tmp_path / "third.ini"))
        third.show()
        try:
            assert third.window.windowTitle() == (
                "Heat 1 — end-test.tbs — FINISHED (read-only) · timingboard"
            )
        finally:
            close_session_window(third.window)
    finally:
        close_session_window(reader.window)
        close_session_window(writer.window)


@JOURNEY_LOG
def test_a_flag_thrown_in_a_finished_session_is_refused_and_said(qtbot, tmp_path: Path) -> None:
    """The walk: F6 just after opening a FINISHED session showed "YELLOW … Finished" in the
    header, was written into the file for good, and Ctrl+Z said "Nothing to undo"."""
    path = tmp_path / "end-test.tbs"
    _finished_race(path)
    user = User(qtbot, open_window(path, tmp_path / "settings.ini"))
    user.show()
    user.window.resize(1280, 800)
    qtbot.waitUntil(lambda: user.window.statusBar().width() == 1280)
    assert _mark(user) == "FINISHED"
    flag = user.header()["flag"]
    said = (
        "The yellow flag was not taken: the session is finished. "
        "Green (F5) reopens the race if it goes on."
    )
    user.press(Qt.Key.Key_F6)
    assert user.status() == said
    assert user.status_cut() == ""  # read whole at the window's width
    told = user.entry_message()[0]
    assert told.startswith("The yellow flag was not taken: the session is finished"), told
    user.window.statusBar().clearMessage()
    user.choose("Flag", "Red flag")  # the menu's way
    assert user.status().startswith("The red flag was not taken: the session is finished")
    assert user.header()["flag"] == flag  # not YELLOW, not RED
    assert _mark(user) == "FINISHED"
    close_session_window(user.window)
    assert _flags(path) == [Flag.GREEN]  # nothing written


@JOURNEY_LOG
def test_a_number_typed_while_a_replay_opens_is_let_go_and_said_once_it_is_shown(
    qtbot, tmp_path: Path, dialogs, monkeypatch
) -> None:
    """The walk: once the title said REPLAY (read-only), the Entry panel said "Car 9 was typed
    while it was opening and is not logged: press Enter to log it now"; Enter did nothing (a
    replay takes no number) and the words stayed."""
    heat, race = tmp_path / "heat-a.tbs", tmp_path / "day2.tbs"
    _finished_race(race)
    SessionRecorder.create(heat, QUARTER_MILE_RACE).close()
    monkeypatch.setattr(replay_actions, "opens_in_worker", lambda _p: True)
    monkeypatch.setattr(session_actions, "opens_in_worker", lambda _p: False)
    door = threading.Event()
    opened = ReplaySource.open

    def gated(path: str | Path) -> ReplaySource:
        source = opened(path)
        door.wait(30)
        return source

    monkeypatch.setattr(ReplaySource, "open", staticmethod(gated))
    user = User(qtbot, open_window(heat, tmp_path / "settings.ini"))
    user.show()
    field_ = user.window.entry_panel.car_field
    dialogs.expect(QFileDialog, file_dialog_answer(user, race))
    try:
        user.choose("File", "Replay a session or capture")
        assert user.entry_message()[0].startswith("Opening day2.tbs for replay…")
        user.activate()
        user.type("9")
        assert field_.text() == "9"
    finally:
        door.set()
    qtbot.waitUntil(lambda: "REPLAY (read-only)" in user.window.windowTitle(), timeout=20_000)
    assert field_.text() == ""  # let go, not kept for an Enter that does nothing
    said = user.entry_message()[0]
    assert said == f"{REPLAY_MESSAGE} Car 9, typed while it was opening, is not logged.", said
    qtbot.keyClick(QApplication.focusWidget() or user.window, Qt.Key.Key_Return)
    assert field_.text() == "" and user.entry_message()[0] == said
    # back to a live session (opened on the spot): the prompt, not the replay's words
    dialogs.expect(QFileDialog, file_dialog_answer(user, heat))
    user.choose("File", "Open session")
    qtbot.waitUntil(lambda: "heat-a.tbs — LIVE" in user.window.windowTitle(), timeout=20_000)
    shown = user.entry_message()[0]
    assert "Opening" not in shown and "not logged" not in shown and "Replay" not in shown, shown
    user.window.replay.driver.close()
    close_session_window(user.window)
    assert dialogs.unexpected == []
