"""Run as a script: View ▸ Scoreboard window on a desk with a second screen, as a user does it.

The offscreen platform's screens come from a config file (a QApplication has one set of
screens, so the two-screen desk runs in a process of its own). Prints one JSON line of what
the user sees: the menu's items, where the wall went, which window has the keyboard.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from race_scripts import QUARTER_MILE_RACE

from timingboard.app.main_window import MainWindow
from timingboard.qt.session_controller import SessionController
from timingboard.store import SessionRecorder


def wait_until(condition, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        QApplication.processEvents()
    return bool(condition())


def desk(controller: SessionController, settings: QSettings) -> MainWindow:
    window = MainWindow(controller, settings)
    window.resize(1280, 800)
    window.show()
    window.windowHandle().requestActivate()  # offscreen windows are not activated by show()
    assert wait_until(lambda: QApplication.activeWindow() is window)
    return window


def items(window: MainWindow) -> list:
    menu = window.scoreboard_actions.menu
    menu.aboutToShow.emit()  # as the menu opens
    return [a for a in menu.actions() if a.text().startswith("Screen")]


def focus_name() -> str:
    widget: QWidget | None = QApplication.focusWidget()
    return widget.objectName() if widget is not None else ""


def main() -> None:
    folder = Path(sys.argv[1])
    app = QApplication([])
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    controller = SessionController(SessionRecorder.create(folder / "s.tbs", QUARTER_MILE_RACE))
    window = desk(controller, settings)
    window.entry_panel.car_field.setFocus()
    shown = items(window)
    seen: dict[str, object] = {"items": [a.text() for a in shown]}
    shown[1].trigger()
    wall = window.scoreboard_actions.scoreboard_window
    assert wall is not None
    wait_until(wall.isVisible)
    for _ in range(20):
        app.processEvents()
    seen |= {
        "wall_screen": wall.screen().name(),
        "wall_full_screen": wall.isFullScreen(),
        "active": "desk" if QApplication.activeWindow() is window else "other",
        "focus": focus_name(),
        "hint": wall.hint.isVisible(),
    }
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_F6)
    band = wall.scoreboard.band.flag
    seen["flag_on_wall"] = band.name if band is not None else None
    window.close()  # shown when the desk closed: shown again on its screen
    again = desk(controller, settings)
    restored = again.scoreboard_actions.scoreboard_window
    seen["restored_on"] = restored.screen().name() if restored and restored.isVisible() else None
    wall_item = items(again)[1]
    assert wall_item.isChecked()
    wall_item.trigger()  # the same item again: closed
    seen["after_same_item"] = {
        "wall_shown": restored is not None and restored.isVisible(),
        "shown_setting": settings.value("scoreboard/shown", type=bool),
    }
    again.close()
    controller.close()
    print(json.dumps(seen))


if __name__ == "__main__":
    main()
