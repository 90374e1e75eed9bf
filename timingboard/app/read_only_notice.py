"""Says on the window, for as long as it is so, that the session shown takes no entries, and why.

A session opens read-only when another board holds it, when its file or folder cannot be
written, or when its log is damaged (up to the first damaged event). The window's title and a
status-bar line say so, and the entry panel is disabled; a replay has its own bar and is left
to it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from timingboard.qt.session_controller import SessionController

TITLE = "timingboard"


def read_only_reason(controller: SessionController) -> str | None:
    """Why the live session shown takes no events, or None (a replay is not a live session)."""
    if controller.is_replay:
        return None
    reason = getattr(controller.recorder, "read_only_reason", None)
    return reason if isinstance(reason, str) else None


class ReadOnlyNotice(QObject):
    """The window's read-only line, title and entry panel, kept in step with the session."""

    def __init__(
        self, controller: SessionController, window: QMainWindow, entry_panel: QWidget
    ) -> None:
        super().__init__(window)
        self._controller = controller
        self._window = window
        self._entry_panel = entry_panel
        self.label = QLabel()
        self.label.setObjectName("readOnlyNotice")
        self.label.setWordWrap(False)
        self.label.setStyleSheet(
            "QLabel { color: #1a1a1a; background: #f2c200; padding: 1px 6px; font-weight: bold; }"
        )
        self.label.hide()
        self._entry_message = ""
        controller.session_reset.connect(self._on_controller_session_reset)
        self._on_controller_session_reset()

    @property
    def shown(self) -> str | None:
        return self.label.text() if not self.label.isHidden() else None

    def _on_controller_session_reset(self) -> None:
        reason = read_only_reason(self._controller)
        self._entry_panel.setEnabled(reason is None)
        message = getattr(self._entry_panel, "message", None)
        if reason is None:
            self.label.hide()
            self.label.clear()
            self._window.setWindowTitle(TITLE)
            if isinstance(message, QLabel) and self._entry_message:
                message.setText(self._entry_message)
                self._entry_message = ""
            return
        if isinstance(message, QLabel):  # the panel says why it takes nothing
            self._entry_message = self._entry_message or message.text()
            message.setText("Read-only: entries are not taken (see the status bar).")
        self.label.setText(f"READ-ONLY: {reason}")
        self.label.setToolTip(reason)
        self.label.show()
        self._window.setWindowTitle(f"{TITLE} — read-only")
