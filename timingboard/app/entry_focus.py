"""A car number typed anywhere in the window reaches the Entry field, unless a dialog is open
or a cell's editor is.

The operator's eyes are on the track: after a click on the board, the chart or the log, or after
a dialog closed, the next car crossing must still be recorded by typing its number and Enter.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDockWidget,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

COMMAND_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


def takes_text(widget: QWidget) -> bool:
    """A field of its own that the operator is typing into (a spin box, a search box)."""
    if isinstance(widget, QComboBox):
        return widget.isEditable()
    return isinstance(widget, QLineEdit | QAbstractSpinBox | QTextEdit | QPlainTextEdit)


KEEPS_KEYS = "keepsKeys"  # a widget property: letters typed in it (or its children) stay there


def keeps_keys(widget: QWidget, text: str) -> bool:
    """Inside a view whose typed letters are its own (a letter on an Entries cell edits it).

    A digit is a car crossing unless a cell's editor is open: after an edit committed with
    Enter the table still has the focus, and the next car's number must not become a team name.
    """
    shown: QWidget | None = widget
    while shown is not None:
        if shown.property(KEEPS_KEYS):
            return not text.isdigit() or _editing(widget)
        shown = shown.parentWidget()
    return False


def _editing(widget: QWidget) -> bool:
    shown: QWidget | None = widget
    while shown is not None:
        if (
            isinstance(shown, QAbstractItemView)
            and shown.state() == QAbstractItemView.State.EditingState
        ):
            return True
        shown = shown.parentWidget()
    return False


def _is_stray_alt(event: QKeyEvent) -> bool:
    """Alt+a letter no menu has (a mnemonic guessed: Alt+L for Flag) reaches the car field as
    its letter, typed into Car #; it is eaten instead (AltGr's characters, Ctrl+Alt, pass)."""
    alt = event.modifiers() & COMMAND_MODIFIERS == Qt.KeyboardModifier.AltModifier
    return bool(alt) and len(event.text()) == 1 and event.text().isalnum()


class EntryFocus(QObject):
    """Watches the key presses of whatever in the window has the focus, for the car field.

    The filter goes on each widget of the window as it takes the focus (and on the window
    itself, which has the keys when nothing else does), not on the application: every event of
    the program would cross into Python.
    """

    def __init__(
        self,
        window: QMainWindow,
        field: QLineEdit,
        dock: QDockWidget,
        dock_kept_hidden: Callable[[], bool] = lambda: False,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._field = field
        self._dock = dock
        self._dock_kept_hidden = dock_kept_hidden  # board mode: the wall keeps the window
        self._watched: set[int] = set()
        self._watch(window)
        field.installEventFilter(self)  # for its Alt+letters only (see _is_stray_alt)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_app_focus_changed)

    def _on_app_focus_changed(self, _old: QWidget | None, now: QWidget | None) -> None:
        if now is not None and now is not self._field and now.window() is self._window:
            self._watch(now)

    def _watch(self, widget: QWidget) -> None:
        key = id(widget)
        if key not in self._watched:
            self._watched.add(key)
            widget.installEventFilter(self)
            widget.destroyed.connect(lambda _=None: self._watched.discard(key))

    def focus_field(self, reveal: bool = False) -> None:
        """The car field takes the focus; ``reveal`` shows the Entry dock if it was closed
        (never on the wall: a window not full screen there had the dock come up at the first
        digit, the wall narrowed and its pages flipped, 1/2 to 2/3, as the band came and went)."""
        shown = self._window.isVisible() and not self._dock_kept_hidden()
        if reveal and shown and not self._field.isVisible() and not self._window.isFullScreen():
            self._dock.show()
            self._dock.raise_()
        self._field.setFocus(Qt.FocusReason.OtherFocusReason)

    def on_session_shown(self) -> None:
        """Another session is on the board (not a replay seek): ready for its first car."""
        if QApplication.activeModalWidget() is None:
            self.focus_field()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if watched is self._field:
            return _is_stray_alt(event)
        if not self._is_car_key(watched, event):
            return False
        self.focus_field(reveal=True)
        if not self._field.hasFocus():
            return False
        self._field.insert(event.text())
        return True

    def _is_car_key(self, watched: QObject, event: QKeyEvent) -> bool:
        text = event.text()
        if len(text) != 1 or not text.isalnum() or event.modifiers() & COMMAND_MODIFIERS:
            return False
        if watched is self._field or not isinstance(watched, QWidget):
            return False
        if QApplication.activeModalWidget() is not None or QApplication.activePopupWidget():
            return False  # the user is in a dialog or a menu
        if watched.window() is not self._window or takes_text(watched):
            return False
        focus = QApplication.focusWidget()  # a key passed up from a view that keeps its keys
        if keeps_keys(watched, text) or (focus is not None and keeps_keys(focus, text)):
            return False
        return self._field.isEnabled() and self._field.maxLength() > len(self._field.text())
