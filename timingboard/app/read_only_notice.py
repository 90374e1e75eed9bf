"""Says on the window, for as long as it is so, that the session shown takes no entries, and why.

A session opens read-only when another board holds it, when its file or folder cannot be
written, or when its log is damaged (up to the first damaged event). The window's title and a
status-bar line say so, and the entry panel is disabled. A replay is never written either: the
same controls are disabled (its own bar says what it shows, so no read-only line).

A session another board writes is followed (:mod:`timingboard.qt.log_follow`); the line then
says so, and says it when its writer closes it, stops without closing it, or an event is damaged.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from timingboard.qt.session_controller import SessionController
from timingboard.qt.session_source import ProducerKind, kind_of
from timingboard.widgets.elided_label import SHARE_PROPERTY, refit_status_labels

TITLE = "timingboard"
REPLAY_MESSAGE = "Replay (read-only): entries are not taken."
READ_ONLY_MESSAGE = "Read-only: entries are not taken (see the status bar)."
REPLAY_LIST = "Replay (read-only): the entry list is shown, not changed."
READ_ONLY_LIST = "Read-only: the entry list is shown, not changed (see the status bar)."


def is_replay(controller: SessionController) -> bool:
    """A replay is shown: a saved session or stream, or a live one replayed in place."""
    return controller.is_replay or kind_of(controller.producer) is ProducerKind.REPLAY


def read_only_reason(controller: SessionController) -> str | None:
    """Why the live session shown takes no events, or None (a replay is not a live session)."""
    if controller.is_replay:
        return None
    return controller.recorder.read_only_reason


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
        self.label.setProperty(SHARE_PROPERTY, 2)  # why nothing can be typed: read whole
        self.label.setWordWrap(False)
        self.label.setStyleSheet(
            "QLabel { color: #1a1a1a; background: #f2c200; padding: 1px 6px; font-weight: bold; }"
        )
        self.label.hide()
        self._saved: str | None = None  # the panel's message before it said why it takes nothing
        self._also: list[QWidget | QAction] = []
        self._told: list[Callable[[str | None], None]] = []
        controller.session_reset.connect(self._on_controller_session_reset)
        controller.producer_changed.connect(self._on_controller_session_reset)
        controller.log_follow.state_changed.connect(self._on_controller_session_reset)
        self._on_controller_session_reset()

    def also_disable(self, *controls: QWidget | QAction) -> None:
        """More of what takes entries (the entries editor, Import entries), off with the panel."""
        self._also += controls
        self._on_controller_session_reset()

    def also_tell(self, set_read_only: Callable[[str | None], None]) -> None:
        """A view that stays usable read-only (the entries editor: read, searched, exported)
        is told why it cannot change anything, or None when it can."""
        self._told.append(set_read_only)
        self._on_controller_session_reset()

    @property
    def shown(self) -> str | None:
        return self.label.text() if not self.label.isHidden() else None

    def _on_controller_session_reset(self, *_: object) -> None:
        reason = read_only_reason(self._controller)
        replay = is_replay(self._controller)
        for control in [self._entry_panel, *self._also]:
            control.setEnabled(reason is None and not replay)
        why = REPLAY_LIST if replay else READ_ONLY_LIST if reason is not None else None
        for tell in self._told:
            tell(why)
        message = getattr(self._entry_panel, "message", None)
        if reason is None:
            self.label.hide()
            self.label.clear()
            if not replay:
                self._window.setWindowTitle(TITLE)
        if reason is None and not replay:
            if isinstance(message, QLabel) and self._saved is not None:
                message.setText(self._saved)
            self._saved = None
            return
        if isinstance(message, QLabel):  # the panel says why it takes nothing
            if self._saved is None:
                self._saved = message.text()
            message.setText(REPLAY_MESSAGE if replay else READ_ONLY_MESSAGE)
        if reason is None:
            return
        self.label.setText(f"READ-ONLY: {reason}")
        self.label.setToolTip(reason)
        refit_status_labels(self._window.statusBar())  # read whole, up to half the bar
        self.label.show()
        self._window.setWindowTitle(f"{TITLE} — read-only")
