"""A hand-timed race taken on past its finish, walked through the real window: File ▸ New
session (a race to 2 laps, no entries), F5, the numbers typed until the leader completed the
laps and every car took the flag (FINISHED), then F5 again. The walk: the header turned GREEN,
but the title still said FINISHED, the cars "Finished", and F6 was refused ("the session is
finished… every car took the flag"), though the refusal itself said Green (F5) reopens the race.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from journey import FakeTime, User, file_dialog_answer, new_session_window, ok_button
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFileDialog
from race_scripts import QUARTER_MILE_QUALIFYING

from timingboard.app.run import build_replay_window
from timingboard.qt.leaderboard_model import Column
from timingboard.qt.passings_model import PassingColumn
from timingboard.store.replay_source import ReplaySource
from timingboard.widgets.session_dialog import NewSessionDialog

SHOTS = Path(__file__).resolve().parents[1] / "build" / "journeys"
JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")
LAP_S = 20.0  # each car's lap, typed as it crosses


def _mark(user: User) -> str:
    """What the title says of the session's state: between the file's name and the app's."""
    return user.window.windowTitle().rsplit(" · ", 1)[0].rsplit(" — ", 1)[-1]


def _lap(user: User, *cars: str) -> None:
    """One lap: the cars typed as they cross, a second apart, the first a lap after the last."""
    user.clock.advance(LAP_S - len(cars) + 1)
    for at, car in enumerate(cars):
        if at:
            user.clock.advance(1.0)
        user.enter(car)


@pytest.fixture
def race(qtbot, tmp_path: Path, dialogs, monkeypatch):
    """File ▸ New session: Heat 1, a race to 2 laps, no entries; its window, the test's clock."""
    clock = FakeTime().install(monkeypatch)
    user = new_session_window(qtbot, tmp_path, QUARTER_MILE_QUALIFYING, "practice.tbs")

    def fill(dialog) -> None:
        assert isinstance(dialog, NewSessionDialog)
        user.fill(dialog.name, "Heat 1")
        user.tab_to(dialog.kind)
        user.type("R")
        user.fill(dialog.laps, "2")
        assert dialog.entries_from.currentText() == "none"
        user.click(ok_button(dialog))

    dialogs.expect(NewSessionDialog, fill)
    dialogs.expect(QFileDialog, file_dialog_answer(user, tmp_path / "heat-1.tbs"))
    user.choose("File", "New session")
    assert dialogs.unexpected == [] and dialogs.expected == []
    qtbot.waitUntil(lambda: user.header()["session"].startswith("Heat 1"))
    user.activate()
    qtbot.waitUntil(lambda: user.focused() is user.window.entry_panel.car_field)
    user.clock = clock
    yield user
    user.window.close()
    user.window.controller.close()


def _finished(user: User) -> None:
    """F5, the start and two laps of cars 7 and 12: the leader's second lap is the distance
    (the board's checkered), 12's the flag taken: FINISHED."""
    qtbot = user.qtbot
    user.press(Qt.Key.Key_F5)
    user.clock.advance(1.0)
    user.enter("7")
    user.clock.advance(1.0)
    user.enter("12")
    _lap(user, "7", "12")
    _lap(user, "7")
    qtbot.waitUntil(lambda: _mark(user) == "CHECKERED")
    _lap(user, "12")
    qtbot.waitUntil(lambda: _mark(user) == "FINISHED")
    assert user.header()["flag"] == "CHECKERED"
    assert user.header()["remaining"] == "Finished"
    qtbot.waitUntil(lambda: user.column(Column.STATUS) == ["Finished", "Finished"])
    qtbot.waitUntil(lambda: user.column(Column.LAPS) == ["2", "2"])
    user.clock.advance(3.0)  # the field slows on its cool-down lap


@JOURNEY_LOG
def test_green_after_every_car_took_the_flag_reopens_the_race(race, qtbot) -> None:
    user = race
    window = user.window
    _finished(user)
    user.press(Qt.Key.Key_F5)  # race control: the race goes on
    qtbot.waitUntil(lambda: _mark(user) == "LIVE")
    assert window.windowTitle() == "Heat 1 — heat-1.tbs — LIVE · timingboard"
    assert user.header()["flag"] == "GREEN"
    # the distance run, the race going on: not "Finished", nor "0 laps to go" (a lap still due)
    assert user.header()["remaining"] == "Distance run (2 laps)"
    # running, as every car in a race going on (the board says nothing of it)
    qtbot.waitUntil(lambda: user.column(Column.STATUS) == ["", ""])
    qtbot.waitUntil(lambda: user.column(Column.LAPS) == ["2", "2"])
    assert user.entry_message()[0] == "Green flag shown."

    user.press(Qt.Key.Key_F6)  # taken now: the session is not finished
    assert "not taken" not in user.status()
    assert user.entry_message()[0] == "Yellow flag shown."
    qtbot.waitUntil(lambda: user.header()["flag"] == "YELLOW")
    user.press(Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: user.header()["flag"] == "GREEN")

    _lap(user, "7", "12")  # laps, not "after finish"
    qtbot.waitUntil(lambda: user.column(Column.LAPS) == ["3", "3"])
    assert user.header()["remaining"] == "1 lap past distance (2 laps)"
    user.window.resize(1280, 800)
    remaining = user.window.header.remaining
    assert remaining.isVisible() and remaining.text() == "1 lap past distance (2 laps)"
    width = remaining.fontMetrics().horizontalAdvance(remaining.text())
    qtbot.waitUntil(lambda: remaining.contentsRect().width() >= width)  # read whole at 1280
    user.screenshot(SHOTS / "past-distance.png")
    assert user.passings(PassingColumn.STATUS)[:2] == ["accepted", "accepted"]
    assert user.entry_message()[0] == "Car 12: lap 3"
    assert _mark(user) == "LIVE"
    qtbot.waitUntil(lambda: user.column(Column.STATUS) == ["", ""])

    user.clock.advance(5.0)
    user.press(Qt.Key.Key_F9)  # a checkered now finishes it again
    qtbot.waitUntil(lambda: _mark(user) == "CHECKERED")
    # each has yet to take it
    qtbot.waitUntil(lambda: user.column(Column.STATUS) == ["Running", "Running"])
    _lap(user, "7", "12")
    qtbot.waitUntil(lambda: _mark(user) == "FINISHED")
    assert user.header()["remaining"] == "Finished"
    qtbot.waitUntil(lambda: user.column(Column.STATUS) == ["Finished", "Finished"])
    qtbot.waitUntil(lambda: user.column(Column.LAPS) == ["4", "4"])
    user.press(Qt.Key.Key_F6)  # and a flag is refused again, as before the green
    assert user.status().startswith("The yellow flag was not taken: the session is finished.")


@JOURNEY_LOG
def test_the_green_is_no_correction_to_undo_and_a_replay_reads_each_side_of_it(
    race, qtbot, tmp_path: Path
) -> None:
    """Ctrl+Z takes back corrections, and a flag is none: the reopened race stays as it is and
    the status bar says so. ``timingboard replay FILE --at T`` reads the board as it stood."""
    user = race
    _finished(user)
    user.press(Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: _mark(user) == "LIVE")
    user.press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert user.status().startswith("Nothing to undo: Ctrl+Z takes back corrections.")
    assert _mark(user) == "LIVE" and user.header()["flag"] == "GREEN"
    green_ms = user.window.controller.engine.flag_changes()[-1][0]
    user.window.close()
    user.window.controller.close()

    settings = QSettings(str(tmp_path / "replay.ini"), QSettings.Format.IniFormat)
    moments = [
        (green_ms - 1, "CHECKERED", "Finished", "Finished"),
        (green_ms, "GREEN", "Distance run (2 laps)", ""),
    ]
    for at_ms, flag, remaining, status in moments:
        window = build_replay_window(
            ReplaySource.open(tmp_path / "heat-1.tbs"), at_ms, False, settings
        )
        qtbot.addWidget(window)
        try:
            replayed = User(qtbot, window)
            replayed.show()
            window.board_model.flush()
            assert replayed.column(Column.LAPS) == ["2", "2"], at_ms
            assert replayed.column(Column.STATUS) == [status, status]
            assert (replayed.header()["flag"], replayed.header()["remaining"]) == (flag, remaining)
        finally:
            window.replay.driver.close()
            window.close()
            window.controller.close()
