"""A status message stays while the operator looks through the menus (Qt's status tips once
wiped "Results declared OFFICIAL" as soon as the mouse crossed a menu item)."""

from __future__ import annotations

from pathlib import Path

import pytest
from journey import new_session_window
from PySide6.QtCore import QPoint
from race_scripts import QUARTER_MILE_RACE

JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


@JOURNEY_LOG
def test_hovering_the_menus_keeps_the_status_message(qtbot, tmp_path: Path) -> None:
    user = new_session_window(qtbot, tmp_path, QUARTER_MILE_RACE, "heat-1.tbs")
    user.window.statusBar().showMessage("Exported /tmp/heat-1.pdf (PDF)")
    menu = user.menu_action("File").menu()
    assert menu is not None
    menu.popup(user.window.mapToGlobal(QPoint(10, 10)))
    qtbot.waitUntil(menu.isVisible)
    for action in menu.actions():
        if not action.isSeparator() and action.isEnabled():
            menu.setActiveAction(action)  # the mouse passes over each item
    tip = "Leave the board (the session is on disk)"
    menu.actions()[-1].setStatusTip(tip)
    menu.setActiveAction(menu.actions()[-1])
    assert user.status() == tip  # an item's own tip shows while it is hovered
    menu.setActiveAction(menu.actions()[0])
    menu.hide()
    assert user.status() == "Exported /tmp/heat-1.pdf (PDF)"
    user.window.close()
    user.window.controller.close()
