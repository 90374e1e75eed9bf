"""The scoreboard on a screen of its own, remembered, while the desk keeps working."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import home_env
from journey import close_session_window, new_session_window
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from race_scripts import QUARTER_MILE_QUALIFYING, QUARTER_MILE_RACE, three_car_race

from timingboard.app.main_window import MainWindow
from timingboard.engine import Flag
from timingboard.qt.passings_model import PassingColumn
from timingboard.qt.screen_choice import choose_screen, desk_screen, screen_label
from timingboard.store import SessionRecorder

SHOTS = Path(__file__).resolve().parents[1] / "build" / "journeys"


def test_the_screen_chosen_is_the_remembered_one_else_not_the_desks() -> None:
    assert choose_screen(["DP-1", "HDMI-1"], "HDMI-1", "DP-1") == 1
    assert choose_screen(["DP-1", "HDMI-1", "HDMI-2"], "", "DP-1") == 1
    assert choose_screen(["DP-1", "HDMI-2"], "HDMI-1", "DP-1") == 1  # the wall moved
    assert choose_screen(["HDMI-1", "DP-1"], "", "DP-1") == 0
    assert choose_screen(["DP-1"], "HDMI-1", "DP-1") == 0  # one screen: the desk's
    with pytest.raises(ValueError):
        choose_screen([], "", "")
    assert screen_label(1, "HDMI-1", 1920, 1080, False) == "Screen 2: HDMI-1 (1920 x 1080)"
    assert screen_label(0, "", 800, 600, True).endswith("— the desk's")


def _window(controller, settings, qtbot) -> MainWindow:
    window = MainWindow(controller, settings)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def _screen_items(window: MainWindow) -> list:
    menu = window.scoreboard_actions.menu
    menu.aboutToShow.emit()  # as the menu opens
    return [a for a in menu.actions() if a.text().startswith("Screen")]


def test_with_one_screen_the_scoreboard_comes_over_the_desk_and_esc_brings_the_desk_back(
    make_controller, tmp_path, qtbot
) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    controller = make_controller(QUARTER_MILE_RACE)
    controller.submit(three_car_race())
    window = _window(controller, settings, qtbot)
    field = window.entry_panel.car_field
    field.setFocus()
    screens = _screen_items(window)
    assert len(screens) == len(QGuiApplication.screens()) == 1
    assert "Esc brings the desk back" in screens[0].toolTip()
    screens[0].trigger()
    wall = window.scoreboard_actions.scoreboard_window
    assert wall is not None and wall.isVisible() and wall.isFullScreen()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wall)  # in front, not behind
    assert wall.hint.isVisible() and "Esc brings the desk back" in wall.hint.text()
    assert wall.scoreboard.isVisible() and wall.scoreboard.table.model().rowCount() == 3
    assert not window.board_mode.is_on  # a window of its own, not board mode
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F6)  # the operator's keys work there
    assert wall.scoreboard.band.flag is Flag.YELLOW
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert not wall.isVisible()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    assert QApplication.focusWidget() is field  # the keyboard where the operator left it
    assert window.statusBar().currentMessage() == "Scoreboard window closed"
    qtbot.keyClicks(QApplication.focusWidget(), "2")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert len(controller.engine.passings) == 16
    _screen_items(window)[0].trigger()  # shown again, whole
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wall)
    assert wall.scoreboard.isVisible()
    checked = _screen_items(window)[0]
    assert checked.isChecked()
    checked.trigger()  # the same item again closes it
    assert not wall.isVisible()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    assert settings.value("scoreboard/shown", type=bool) is False
    window.close()


def test_a_board_started_again_with_one_screen_does_not_cover_the_desk(
    make_controller, tmp_path, qtbot
) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("scoreboard/shown", True)  # shown on the wall when the board last closed
    settings.setValue("scoreboard/screen", "HDMI-1")  # a screen that is not there now
    controller = make_controller(QUARTER_MILE_RACE)
    window = _window(controller, settings, qtbot)
    wall = window.scoreboard_actions.scoreboard_window
    assert wall is None or not wall.isVisible()
    assert QApplication.activeWindow() is window
    window.close()
    assert settings.value("scoreboard/shown", type=bool) is True  # back once the wall is


def test_on_a_second_screen_the_wall_goes_full_screen_there_and_the_desk_keeps_the_keys(
    tmp_path: Path,
) -> None:
    screens = [
        {"name": "DESK-1", "x": 0, "y": 0, "width": 1280, "height": 800},
        {"name": "WALL-1", "x": 1280, "y": 0, "width": 1920, "height": 1080},
    ]
    config = tmp_path / "screens.json"
    dpi = {"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
    config.write_text(json.dumps({"screens": [s | dpi for s in screens]}))
    env = {**os.environ, **home_env(tmp_path)} | {
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}"
    }
    done = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("wall_probe.py")), str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["items"] == [
        "Screen 1: DESK-1 (1280 x 800) — the desk's",
        "Screen 2: WALL-1 (1920 x 1080)",
    ]
    assert seen["wall_screen"] == "WALL-1" and seen["wall_full_screen"], seen
    assert seen["active"] == "desk" and seen["focus"] == "carField", seen
    assert seen["hint"] is False, seen
    assert seen["flag_on_wall"] == "YELLOW", seen  # typed on the desk, the wall shows it
    assert seen["after_same_item"] == {"wall_shown": False, "shown_setting": False}, seen
    assert seen["restored_on"] == "WALL-1", seen


@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")
def test_a_number_typed_on_the_wall_over_the_desk_is_logged_and_shown_there(
    tmp_path: Path, qtbot
) -> None:
    """The wall over the desk has the keyboard: a number typed and Entered there was dropped
    unsaid. It goes to the car field as in board mode; Esc clears it before closing the wall."""
    user = new_session_window(qtbot, tmp_path, QUARTER_MILE_QUALIFYING, "wall.tbs")
    user.choose("View", "Scoreboard window", "Screen 1")
    wall = user.window.scoreboard_actions.scoreboard_window
    assert wall is not None
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wall)
    band = wall.scoreboard.entry_band
    user.type("48")
    assert user.focused() is wall  # the keys stay on the wall, which shows them
    assert band.isVisible() and band.typed.text() == "48"
    user.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: user.passings(PassingColumn.CAR) == ["48"])
    assert band.isVisible() and "48" in band.message.text()
    assert user.window.header.passings.text().startswith("1 passing")
    user.type("57")
    user.press(Qt.Key.Key_Backspace)
    assert band.typed.text() == "5"
    user.press(Qt.Key.Key_Escape)  # first the half-typed number
    assert wall.isVisible() and user.window.entry_panel.car_field.text() == ""
    assert band.message.text() == "Cleared."
    user.press(Qt.Key.Key_Escape)  # nothing to clear: the desk comes back
    assert not wall.isVisible()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is user.window)
    assert user.focused() is user.window.entry_panel.car_field
    assert user.passings(PassingColumn.CAR) == ["48"]
    user.screenshot(SHOTS / "wall_typed_desk.png")
    close_session_window(user.window)


def test_the_desks_screen_is_where_the_window_was_else_the_primary_not_the_walls() -> None:
    assert desk_screen(["DP-1", "HDMI-1"], "DP-1", "HDMI-1") == 0
    assert desk_screen(["HDMI-1", "DP-1"], "HDMI-1", "HDMI-1") == 1  # the wall is the primary
    assert desk_screen(["HDMI-1", "DP-1"], "HDMI-1", "HDMI-1", "DP-1") == 1
    assert desk_screen(["DP-1", "HDMI-1"], "DP-1", "HDMI-1", "HDMI-1") == 0  # left on the wall
    assert desk_screen(["DP-1", "HDMI-1"], "DP-1", "", "HDMI-1") == 1  # where it was closed
    assert desk_screen(["DP-1"], "DP-1", "DP-1") == 0  # one screen: the desk's and the wall's
    with pytest.raises(ValueError):
        desk_screen([], "", "")


def test_with_two_screens_the_start_chooser_opens_on_the_desk_not_the_wall(tmp_path) -> None:
    """On two screens plain ``timingboard`` put its chooser on the wall (the primary screen,
    where the pointer was), across the room from the operator."""
    screens = [  # the wall is the primary screen; the scoreboard was last shown there
        {"name": "WALL-1", "x": 0, "y": 0, "width": 1920, "height": 1080},
        {"name": "DESK-1", "x": 1920, "y": 0, "width": 1280, "height": 800},
    ]
    config = tmp_path / "screens.json"
    dpi = {"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
    config.write_text(json.dumps({"screens": [s | dpi for s in screens]}))
    session = tmp_path / "heat.tbs"
    SessionRecorder.create(session, QUARTER_MILE_RACE).close()
    conf = tmp_path / ".config" / "timingboard" / "timingboard.conf"
    conf.parent.mkdir(parents=True)
    conf.write_text(f"[scoreboard]\nscreen=WALL-1\nshown=true\n\n[sessions]\nrecent={session}\n")
    root = str(Path(__file__).resolve().parents[1])  # this tree's timingboard, not another
    env = {**os.environ, **home_env(tmp_path)} | {
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
        "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("chooser_probe.py"))],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["screen"] == "DESK-1", seen
    x, y = seen["centre"]
    assert 1920 <= x < 1920 + 1280 and 0 <= y < 800, seen
