"""What opens before the window (the start chooser) opens on the desk's screen.

A dialog with no parent opened where the pointer was: on two screens the chooser came up on
the wall, across the room from the operator. The desk is where the window was last closed,
else the primary screen, never the one the wall scoreboard is kept on when there is another
(:func:`timingboard.qt.screen_choice.desk_screen`).
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

from timingboard.qt import user_settings
from timingboard.qt.screen_choice import desk_screen


def screen_of_desk(settings: QSettings) -> QScreen | None:
    screens = list(QGuiApplication.screens())
    primary = QGuiApplication.primaryScreen()
    if not screens or primary is None:
        return None
    names = [s.name() for s in screens]
    wall = user_settings.SCOREBOARD_SCREEN.read(settings)
    return screens[desk_screen(names, primary.name(), wall, _window_screen(settings))]


def _window_screen(settings: QSettings) -> str:
    """The screen the window's saved geometry is on ("" when none is saved)."""
    geometry = user_settings.WINDOW_GEOMETRY.read(settings)
    if geometry is None:
        return ""
    probe = QWidget()  # never shown: reads the geometry as the window will restore it
    try:
        if not probe.restoreGeometry(geometry):
            return ""
        screen = QGuiApplication.screenAt(probe.geometry().center())
        return screen.name() if screen is not None else ""
    finally:
        probe.deleteLater()


def place_on_desk(dialog: QWidget, settings: QSettings) -> None:
    """``dialog`` centred on the desk's screen (before it is shown)."""
    screen = screen_of_desk(settings)
    if screen is None:
        return
    area = screen.availableGeometry()
    size = dialog.size().boundedTo(area.size())
    dialog.resize(size)
    dialog.move(area.center().x() - size.width() // 2, area.center().y() - size.height() // 2)
