"""The scoreboard on a screen of its own, remembered, while the desk keeps working."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from race_scripts import QUARTER_MILE_RACE, three_car_race

from timingboard.app.main_window import MainWindow
from timingboard.engine import Flag
from timingboard.qt.screen_choice import choose_screen, screen_label


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


def test_the_scoreboard_window_shows_while_the_desk_works(make_controller, tmp_path, qtbot) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    controller = make_controller(QUARTER_MILE_RACE)
    controller.submit(three_car_race())
    window = _window(controller, settings, qtbot)
    menu = window.scoreboard_actions.menu
    menu.aboutToShow.emit()  # as the menu opens
    screens = [a for a in menu.actions() if a.text().startswith("Screen")]
    assert len(screens) == len(QGuiApplication.screens()) == 1
    screens[0].trigger()
    wall = window.scoreboard_actions.scoreboard_window
    assert wall is not None and wall.isVisible() and wall.isFullScreen()
    assert wall.screen() is QGuiApplication.screens()[0]
    assert wall.scoreboard.table.model().rowCount() == 3
    assert not window.board_mode.is_on  # the desk stays the desk
    field = window.entry_panel.car_field
    field.setFocus()
    qtbot.keyClicks(QApplication.focusWidget(), "2")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert len(controller.engine.passings) == 16  # typed on the desk, the wall shows it
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F6)
    assert wall.scoreboard.band.flag is Flag.YELLOW
    window.close()
    assert not wall.isVisible()
    again = _window(controller, settings, qtbot)  # remembered: shown again on its screen
    shown = again.scoreboard_actions.scoreboard_window
    assert shown is not None and shown.isVisible()
    menu = again.scoreboard_actions.menu
    menu.aboutToShow.emit()
    again.scoreboard_actions.off_action.trigger()
    assert not shown.isVisible()
    again.close()
    assert settings.value("scoreboard/shown", type=bool) is False
