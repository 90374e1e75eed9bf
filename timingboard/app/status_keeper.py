"""The status bar keeps its message while the operator looks through the menus.

Qt clears a temporary status message whenever the mouse passes over a menu item (the item's
status tip, empty for most, replaces it), so "Exported results.pdf" or "Results declared
OFFICIAL" vanished before anyone read them. A tip is still shown while its item is hovered; the
window's own message comes back once the mouse moves off.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QStatusTipEvent
from PySide6.QtWidgets import QMainWindow


class StatusKeeper(QObject):
    """Filters the window's status-tip events (installed on the window itself)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._bar = window.statusBar()
        self._message = self._bar.currentMessage()
        self._quiet = False  # the bar changes because of us: a tip, or the message back
        self._bar.messageChanged.connect(self._on_bar_message_changed)
        window.installEventFilter(self)

    def _on_bar_message_changed(self, message: str) -> None:
        if not self._quiet:
            self._message = message  # the window's own (a message that timed out: "")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.StatusTip or not isinstance(event, QStatusTipEvent):
            return False
        self._quiet = True
        try:
            if event.tip():
                self._bar.showMessage(event.tip())
            elif self._message:
                self._bar.showMessage(self._message)
            else:
                self._bar.clearMessage()
        finally:
            self._quiet = False
        return True
