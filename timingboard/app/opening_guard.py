"""Nothing the operator types or corrects reaches a session no longer shown.

While a long session is opened in a worker (:mod:`timingboard.app.background_open`), the
session before is still the controller's but the board may already show the new one's rows:
a number typed, a flag thrown, a correction or an undo then would land in the session leaving,
unseen. Meanwhile each is refused with why (the number kept in the field), and the title and
the Entry panel say what is being opened.

The session shown is the one asked for last: another shown meanwhile (a small file opened on the
spot, the session shown picked again) drops the open under way, and an open asked for drops the
other kind's (a replay's while a session opens): the long file, once read, replaced the session
the operator had chosen since, and typing stayed refused until then.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow

from timingboard.app.background_open import BackgroundOpen
from timingboard.app.session_title import SessionTitle
from timingboard.qt.correction_desk import CorrectionDesk
from timingboard.qt.manual_entry import ManualEntry
from timingboard.text.opening_text import (
    CORRECTION_OPENING_STATUS,
    opening_line,
    opening_undo_refusal,
)


class OpeningGuard(QObject):
    """Holds typing, flags, corrections and undo while a session is being opened."""

    def __init__(
        self,
        window: QMainWindow,
        opens: BackgroundOpen,
        replays: BackgroundOpen,
        entry: ManualEntry,
        desk: CorrectionDesk,
        title: SessionTitle,
        undo: tuple[QAction, QAction, QAction, QAction],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._backgrounds = (opens, replays)
        self._entry = entry
        self._desk = desk
        self._title = title
        self._undo, self._redo, self._nothing, self._nothing_redone = undo
        self._opening: str | None = None  # the name of the file opened (None: none is)
        opens.started.connect(lambda path: self._hold(Path(path).name))
        replays.started.connect(lambda path: self._hold(Path(path).name, replay=True))
        opens.started.connect(replays.drop)  # the latest asked for is the one shown
        replays.started.connect(opens.drop)
        for background in self._backgrounds:  # after their own handlers: the new one is shown
            background.opened.connect(self._on_background_done)
            background.failed.connect(self._on_background_done)
            background.dropped.connect(self._on_background_done)
        desk.refused.connect(self._on_desk_refused)
        desk.controller.loaded.connect(self._on_controller_loaded)

    @property
    def holding(self) -> bool:
        return self._entry.opening is not None

    def _hold(self, name: str, replay: bool = False) -> None:
        line = opening_line(name, replay)
        self._entry.hold_for_opening(line)
        self._desk.opening = CORRECTION_OPENING_STATUS  # said in the status bar: read whole
        self._opening = name
        self._title.show_opening(line)
        self._undo.setEnabled(False)  # the stack's commands are the session before's
        self._redo.setEnabled(False)
        self._nothing.setEnabled(True)  # Ctrl+Z says why
        self._nothing_redone.setEnabled(True)  # and Ctrl+Shift+Z

    def _on_background_done(self, *_: object) -> None:
        if any(background.busy for background in self._backgrounds):
            return  # another is still being opened
        self._desk.opening = None
        self._opening = None
        self._title.show_opening(None)
        stack = self._desk.undo_stack
        self._undo.setEnabled(stack.canUndo())
        self._redo.setEnabled(stack.canRedo())
        self._nothing.setEnabled(not stack.canUndo())
        self._nothing_redone.setEnabled(False)
        self._entry.hold_for_opening(None)

    def _on_controller_loaded(self) -> None:
        """The operator put a session in the window (opened, or a replay): an open still under
        way is not the one asked for last (the one a worker opened is done by now, not
        dropped). One a feed or the demo moved on to does not drop what the operator asked."""
        controller = self._desk.controller
        if controller.producer is not None and not controller.is_replay:
            return
        for background in self._backgrounds:
            background.drop()

    def _on_desk_refused(self, why: str) -> None:
        self._window.statusBar().showMessage(why)

    def undo_refusal(self, redo: bool = False) -> str | None:
        """What Ctrl+Z (``redo``: Ctrl+Shift+Z) says while a session is opened (None: it is
        not)."""
        return None if self._opening is None else opening_undo_refusal(self._opening, redo)
