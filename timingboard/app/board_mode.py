"""Board mode: the window becomes the wall scoreboard, and the desk comes back as it was.

Every operator key keeps working while the menus and docks are out of sight (their actions are
also the window's own), Esc or F11 leaves, and the geometry saved is always the desk's. Esc is
the car field's first (a number typed, a crossing held: as on the desk), then leaves.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from timingboard.qt.action_registry import ActionId, make_action
from timingboard.widgets.scoreboard import Scoreboard


def actions_with_shortcuts(menu: QMenu | QWidget) -> list[QAction]:
    """Every action of a menu bar or menu, its sub-menus too, that has a key."""
    found: list[QAction] = []
    for action in menu.actions():
        sub = action.menu()
        if isinstance(sub, QMenu):
            found += actions_with_shortcuts(sub)
        elif not action.shortcut().isEmpty():
            found.append(action)
    return found


class WindowKeysFirst(QObject):
    """An event filter: in a text field, the window's undo and redo keys still reach the window.

    A line edit takes Ctrl+Z for its own undo; the car field's few digits need none, and the
    operator's Ctrl+Z is for the last correction.
    """

    KEYS = (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        overrides = event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
        if overrides and any(event.matches(key) for key in self.KEYS):  # type: ignore[attr-defined]
            event.ignore()
            return True  # not the field's: the window's action gets it
        return False


class BoardMode(QObject):
    """Switches the window between the desk and the scoreboard; F11 in and out, Esc out.

    Signals
    -------
    toggled(bool)
        Board mode went on or off (after the window changed).
    """

    toggled = Signal(bool)

    def __init__(self, window: QMainWindow, desk: QWidget, scoreboard: Scoreboard) -> None:
        super().__init__(window)
        self._window = window
        self.desk = desk
        self.scoreboard = scoreboard
        self.stack = QStackedWidget(window)
        self.stack.setObjectName("deskOrBoard")
        self.stack.addWidget(desk)
        self.stack.addWidget(scoreboard)
        window.setCentralWidget(self.stack)
        self.action = make_action(ActionId.BOARD_MODE, window)
        self.action.toggled.connect(self._on_action_toggled)
        self.leave_action = make_action(ActionId.LEAVE_BOARD_MODE, window, self._on_leave)
        self._esc_first: Callable[[], bool] | None = None
        window.addActions([self.action, self.leave_action])
        self._desk_geometry: QByteArray | None = None
        self._desk_state: QByteArray | None = None
        self._focus: QWidget | None = None
        self._keys_first = WindowKeysFirst(self)
        self._desk_rect = window.geometry()
        self._desk_window_state = window.windowState()

    @property
    def is_on(self) -> bool:
        return self.action.isChecked()

    def keep_keys(self, actions: list[QAction]) -> None:
        """These actions' keys work with the menus and docks hidden: the window holds them."""
        self._window.addActions([a for a in actions if a not in self._window.actions()])

    def keep_keys_from(self, field: QWidget) -> None:
        """Undo and redo typed in this field are the window's (see :class:`WindowKeysFirst`)."""
        field.installEventFilter(self._keys_first)

    def esc_first(self, handler: Callable[[], bool]) -> None:
        """Esc on the wall goes to ``handler`` first; board mode is left only when it returns
        False (nothing of its own to clear). The leave key took Esc from the car field: a held
        number could not be retyped or dropped without leaving the wall."""
        self._esc_first = handler

    def _on_leave(self) -> None:
        if self._esc_first is not None and self._esc_first():
            return
        self.set_on(False)

    def set_on(self, on: bool) -> None:
        self.action.setChecked(on)

    def desk_geometry(self) -> QByteArray:
        """The desk window's geometry, also while the scoreboard fills the screen."""
        if self.is_on and self._desk_geometry is not None:
            return self._desk_geometry
        return self._window.saveGeometry()

    def desk_state(self) -> QByteArray:
        """Docks and toolbars as the desk has them."""
        if self.is_on and self._desk_state is not None:
            return self._desk_state
        return self._window.saveState()

    def _on_action_toggled(self, on: bool) -> None:
        window = self._window
        if on:
            self._desk_geometry = window.saveGeometry()
            self._desk_rect = window.geometry()
            self._desk_window_state = window.windowState()
            self._desk_state = window.saveState()
            self._focus = QApplication.focusWidget()
            for bar in (window.menuBar(), window.statusBar()):
                bar.setVisible(False)
            for child in window.findChildren(QDockWidget) + window.findChildren(QToolBar):
                if child.parent() is window:
                    child.setVisible(False)
            self.stack.setCurrentWidget(self.scoreboard)
            window.showFullScreen()
            self.scoreboard.setFocus()
        else:
            self.stack.setCurrentWidget(self.desk)
            for bar in (window.menuBar(), window.statusBar()):
                bar.setVisible(True)
            window.setWindowState(self._desk_window_state)
            if self._desk_state is not None:
                window.restoreState(self._desk_state)
            if not self._desk_window_state & Qt.WindowState.WindowMaximized:
                window.setGeometry(self._desk_rect)  # as it was: restoreGeometry would clamp it
            if self._focus is not None and self._focus.isVisible():
                self._focus.setFocus()
            self._desk_geometry = self._desk_state = None
        self.leave_action.setEnabled(on)
        self.toggled.emit(on)
