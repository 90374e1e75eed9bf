"""Flag ▸ End session…: the operator ends a session no timing system will end (a hand-timed
one), as RMonitor's end of session does: from then every car's result is final.

Asked first (what happens to the cars still out is said), then logged as a correction
(:class:`~timingboard.engine.events.EndSession`) on the desk's undo stack: signed, in the
Corrections list, undone with Ctrl+Z.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMainWindow, QMessageBox

from timingboard.engine.events import EndSession
from timingboard.qt.action_registry import ActionId, make_action
from timingboard.qt.correction_desk import CorrectionDesk
from timingboard.qt.session_controller import SessionController
from timingboard.qt.session_source import ProducerKind, kind_of
from timingboard.text.end_text import ENDED_REASON, end_question, ended_message

END = "End session"  # the confirmation's button


class EndSessionActions(QObject):
    """The End session command: asks, then logs the end through the correction desk."""

    def __init__(
        self, controller: SessionController, desk: CorrectionDesk, window: QMainWindow
    ) -> None:
        super().__init__(window)
        self._controller = controller
        self._desk = desk
        self._window = window
        self.box: QMessageBox | None = None
        self._at_ms = 0
        self.action = make_action(ActionId.END_SESSION, window, self._on_action_triggered)
        controller.session_reset.connect(self._on_controller_session_reset)
        controller.board_changed.connect(self._on_controller_board_changed)
        controller.producer_changed.connect(self._on_controller_producer_changed)
        self.refresh()

    def refresh(self) -> None:
        """Only a session written here, not ended yet, can be ended (a feed's own end, a
        replay or a followed board are not the operator's to end)."""
        controller = self._controller
        file = controller.recorder.file
        writable = file is not None and not file.read_only
        kind = kind_of(controller.producer)
        others = kind in (ProducerKind.REPLAY, ProducerKind.FOLLOW)
        self.action.setEnabled(
            writable
            and not controller.is_replay
            and not others
            and controller.engine.ended_ms is None
        )

    def _on_action_triggered(self) -> None:
        engine = self._controller.engine
        self._at_ms = self._controller.stamp_ms()
        question, explained = end_question(engine, self._at_ms)
        box = QMessageBox(QMessageBox.Icon.Question, "End session", question, parent=self._window)
        box.setInformativeText(explained)
        end = box.addButton(END, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(end)
        box.setObjectName("endSessionQuestion")
        box.finished.connect(self._on_box_finished)
        self.box = box
        box.open()

    def _on_box_finished(self, _result: int) -> None:
        box = self.box
        if box is None:
            return
        self.box = None
        chosen = box.clickedButton()
        box.deleteLater()
        if chosen is None or box.buttonRole(chosen) != QMessageBox.ButtonRole.AcceptRole:
            self._window.statusBar().showMessage("The session goes on: not ended")
            return
        at = self._at_ms
        if self._desk.correct(EndSession(time_ms=at), ENDED_REASON):
            self._window.statusBar().showMessage(ended_message(self._controller.engine, at))
        self.refresh()

    def _on_controller_session_reset(self) -> None:
        self.refresh()

    def _on_controller_board_changed(self, _change: object) -> None:
        self.refresh()

    def _on_controller_producer_changed(self, _before: object, _now: object) -> None:
        self.refresh()
