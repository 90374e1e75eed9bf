"""Corrections as undoable commands: every one is an event in the log, and so is every undo.

Undo of a correction logs a ``Revert`` of it; redo logs a ``Revert`` of that revert. After a restart
the stack holds the corrections still in force, so undoing one made before the restart is itself
a new correction event.
"""

from __future__ import annotations

import dataclasses
import weakref
from datetime import UTC, datetime
from typing import cast

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from timingboard.engine.audit import describe
from timingboard.engine.corrections import by_timing_system, in_force
from timingboard.engine.events import Correction, Event, Revert
from timingboard.qt.session_controller import SessionController
from timingboard.text.passing_text import correction_summary


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class CorrectionCommand(QUndoCommand):
    """One correction on the undo stack.

    It reaches its desk through a weak reference: the desk owns the stack, the stack owns the
    commands, and a strong reference back made a cycle that the garbage collector broke in an
    order Qt does not survive (a segfault in ``gc.collect()`` while the stack was destroyed).
    """

    def __init__(self, desk: CorrectionDesk, correction: Correction, seq: int | None = None):
        # made now: named as the operator sees it ("the passing of car 8 at 0:05:12.345 (lap
        # 3)", as its dialog said); rebuilt from the log: the audit's words, which do not change
        engine = desk.controller.engine
        super().__init__(
            correction_summary(engine, correction) if seq is None else describe(engine, correction)
        )
        self._desk_ref = weakref.ref(desk)
        self._correction = correction
        self.seq = seq  # set once the correction is in the log
        self._skip_redo = seq is not None  # already in the log (rebuilt after a restart)
        self._reverts: list[int] = []

    @property
    def correction(self) -> Correction:
        return self._correction

    def redo(self) -> None:
        desk = self._desk_ref()
        if self._skip_redo or desk is None:
            self._skip_redo = False
            return
        if self.seq is None:
            self.seq = desk.log(self._correction)
            if self.seq is None:
                self.setObsolete(True)
        elif self._reverts:
            desk.log(desk.stamp(Revert(correction_id=self._reverts[-1]), "redo"))

    def undo(self) -> None:
        desk = self._desk_ref()
        if self.seq is None or desk is None:
            return
        seq = desk.log(desk.stamp(Revert(correction_id=self.seq), "undo"))
        if seq is not None:
            self._reverts.append(seq)


class CorrectionDesk(QObject):
    """Makes corrections for the operator, with name, time and reason, on a QUndoStack.

    Signals
    -------
    correction_logged(int)
        The sequence number of a correction (or undo/redo) that reached the log.
    refused(str)
        A correction was not logged because a session is being opened: why.
    """

    correction_logged = Signal(int)
    refused = Signal(str)

    def __init__(self, controller: SessionController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.operator = ""
        self.undo_stack = QUndoStack(self)
        self.rebuilding = False  # the stack is being filled from the log, not by the operator
        self.opening: str | None = None  # a session being opened: no correction taken (why)
        controller.session_reset.connect(self._on_controller_session_reset)
        self._rebuild()

    def stamp(self, correction: Correction, reason: str) -> Correction:
        """The correction signed with the operator's name, the time and the reason."""
        return dataclasses.replace(correction, operator=self.operator, reason=reason, at=now_iso())

    def correct(self, correction: Correction, reason: str) -> bool:
        """Log a correction as an undoable command; False if it was refused."""
        command = CorrectionCommand(self, self.stamp(correction, reason))
        self.undo_stack.push(command)
        return command.seq is not None

    def log(self, correction: Correction) -> int | None:
        if self.opening is not None:  # the session still the controller's is not the one shown
            self.refused.emit(self.opening)
            return None
        if not self.controller.submit([cast(Event, correction)]):
            return None
        seq = self.controller.engine.seq
        self.correction_logged.emit(seq)
        return seq

    def _on_controller_session_reset(self) -> None:
        self._rebuild()

    def _rebuild(self) -> None:
        """The operator's corrections in force, oldest first, as undoable commands already done
        (a timing system's own re-timing is not the operator's to undo)."""
        self.rebuilding = True  # what is pushed here was done before: nothing to say "Done:" of
        try:
            self.undo_stack.clear()
            engine = self.controller.engine
            standing = in_force(engine.logged_corrections())
            for seq, correction in sorted(engine.logged_corrections().items()):
                if seq not in standing or isinstance(correction, Revert):
                    continue
                if not by_timing_system(correction):
                    self.undo_stack.push(CorrectionCommand(self, correction, seq))
            self.undo_stack.setClean()
        finally:
            self.rebuilding = False
