"""Help ▸ Keyboard shortcuts (F1), About, the icon and the desktop entry."""

from __future__ import annotations

import configparser
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from race_scripts import QUARTER_MILE_RACE

from timingboard.qt.app_icon import resource_path

REPO = Path(__file__).resolve().parents[1]


def test_f1_lists_every_key_of_the_window(make_controller, show_window, qtbot) -> None:
    window = show_window(make_controller(QUARTER_MILE_RACE))
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_F1)
    dialog = window.help.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "Keyboard shortcuts"
    keys = dict(dialog.rows())
    for key in ("F1", "F5", "F9", "F11", "Esc", "Ctrl+Z", "Ctrl+Q", "Ctrl+N"):
        assert key in keys, key
    assert keys["F11"].startswith("Board mode") and keys["Ctrl+Z"] == "Undo correction"
    assert [key for key, what in dialog.rows() if not what.strip()] == []  # each says what it does
    assert keys["F5"] == "Green flag" and keys["Space"] == "Replay: play or pause"
    dialog.close()
    window.close()


def test_about_says_the_version_and_licence(make_controller, show_window, qtbot) -> None:
    from timingboard.app.help_actions import app_version

    window = show_window(make_controller(QUARTER_MILE_RACE))
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    next(a for a in help_menu.actions() if a.text() == "&About timingboard").trigger()
    box = window.help.dialog
    assert box is not None and box.isVisible()
    assert f"timingboard {app_version()}" in box.text() and "Licence: MIT" in box.text()
    assert app_version()[0].isdigit()
    box.close()
    window.close()


def test_the_window_has_the_icon_and_linux_a_desktop_entry(make_controller, show_window):
    window = show_window(make_controller(QUARTER_MILE_RACE))
    assert not window.windowIcon().isNull()
    assert resource_path("timingboard.svg").is_file()  # where the installed package has it
    assert (REPO / "resources" / "timingboard.png").is_file()
    entry = configparser.ConfigParser(interpolation=None)
    entry.read(REPO / "resources" / "timingboard.desktop")
    desktop = entry["Desktop Entry"]
    assert desktop["Exec"] == "timingboard" and desktop["Icon"] == "timingboard"
    assert desktop["Type"] == "Application"
    window.close()


def test_every_control_says_what_it_does(make_controller, show_window) -> None:
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QMenu

    window = show_window(make_controller(QUARTER_MILE_RACE))
    buttons = [b for b in window.findChildren(QAbstractButton) if b.text().strip()]
    assert buttons and all(b.toolTip() for b in buttons)
    assert all(c.toolTip() for c in window.findChildren(QComboBox))
    menus = [a.menu() for a in window.menuBar().actions()]
    assert menus and all(isinstance(m, QMenu) and m.toolTipsVisible() for m in menus)
    undo = next(a for a in menus[2].actions() if a.text() == "&Undo correction")
    assert undo.toolTip() == "Undo correction (Ctrl+Z)"
    assert window.entry_panel.flag_buttons  # e.g. "Green: F5"
    green = next(iter(window.entry_panel.flag_buttons.values()))
    assert green.toolTip() == "Green: F5"
    assert window.header.flag.toolTip().startswith("The flag out now")
    model = window.board_model
    assert model.headerData(10, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    window.close()


def test_the_flag_keys_are_commands_of_the_table(make_controller, show_window, qtbot) -> None:
    """F5 to F9 are in the action registry like every command: F1 lists them in the table's
    order (the Flag menu's, before Help's keys), and the Flag menu holds the very actions the
    Entry panel's keys trigger."""
    from timingboard.qt.action_registry import FLAG_ACTIONS, ActionId, find_action

    window = show_window(make_controller(QUARTER_MILE_RACE))
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_F1)
    dialog = window.help.dialog
    assert dialog is not None
    keys = [key for key, _ in dialog.rows()]
    flags = ["F5", "F6", "Shift+F6", "F7", "F8", "F9"]
    start = keys.index("F5")
    assert keys[start : start + len(flags)] == flags and start < keys.index("F1")
    assert dict(dialog.rows())["Shift+F6"] == "Full-course yellow flag"
    dialog.close()
    flag_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "F&lag")
    for flag, action_id in FLAG_ACTIONS.items():
        action = find_action(window, action_id)
        assert action is not None and action.objectName() == f"flag.{flag.value}"
        assert action in flag_menu.actions() and action in window.entry_panel.actions()
    checkered = find_action(window, ActionId.FLAG_CHECKERED)
    assert checkered is not None and checkered.shortcut().toString() == "F9"
    window.close()
