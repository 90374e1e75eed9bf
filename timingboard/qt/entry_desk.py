"""Entry-list edits as undoable commands: each edit, and each undo, is a logged CompetitorSet.

An edit submits the changed entry; its undo submits the entry as it was before. After a restart
the stack is made again from the log (:func:`entry_edits`), so an edit made before it can still
be undone, and the undo is itself logged. A car cannot leave an append-only log: it is withdrawn
(retired) through the correction desk instead, which is audited and undoable there.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from timingboard.engine.entry_edits import EntryEdit, entry_edits
from timingboard.engine.events import CompetitorSet
from timingboard.qt.session_controller import SessionController
from timingboard.store.recorder import SessionRecorder


class EntryEditCommand(QUndoCommand):
    """One edit (or one import) of registered cars: the entries before and after."""

    def __init__(
        self,
        desk: EntryDesk,
        pairs: Sequence[tuple[CompetitorSet, CompetitorSet]],
        text: str,
        logged: bool = False,
    ) -> None:
        super().__init__(text)
        self._desk_ref = weakref.ref(desk)  # no cycle desk -> stack -> command -> desk
        self._pairs = list(pairs)
        self._skip_redo = logged  # already in the log (rebuilt after a restart)

    def redo(self) -> None:
        desk = self._desk_ref()
        if self._skip_redo or desk is None:
            self._skip_redo = False
            return
        if not desk.submit([after for _, after in self._pairs]):
            self.setObsolete(True)

    def undo(self) -> None:
        desk = self._desk_ref()
        if desk is not None:
            desk.submit([before for before, _ in self._pairs])


class EntryDesk(QObject):
    """Adds and edits the session's entries for the operator, on a QUndoStack of its own.

    Signals
    -------
    refused(str)
        An edit was not taken; the message says why, for the operator.
    """

    refused = Signal(str)

    def __init__(self, controller: SessionController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.undo_stack = QUndoStack(self)
        self._built = False
        controller.session_reset.connect(self._on_controller_session_reset)

    @property
    def editable(self) -> bool:
        return isinstance(self.controller.recorder, SessionRecorder)

    def submit(self, entries: Sequence[CompetitorSet]) -> bool:
        return bool(entries) and self.controller.submit(list(entries))

    def problem(self, entry: CompetitorSet) -> str:
        """Why this entry cannot be taken ("" if it can)."""
        if not self.editable:
            return "A replay cannot be changed; branch a copy to edit its entries."
        car = entry.car.strip()
        if not car or not car.isalnum() or len(car) > 8:
            return f"{car!r} is not a car number (letters and digits, at most 8)."
        for key, other in self.controller.engine.competitors.items():
            if key != entry.key and other.car == car:
                return f"Car {car} is already on the list ({other.driver or 'no driver'})."
        return ""

    def set_entry(self, entry: CompetitorSet) -> bool:
        """Add a car, or change one (undoable); False, with ``refused`` said, if not taken."""
        problem = self.problem(entry)
        if problem:
            self.refused.emit(problem)
            return False
        before = self.controller.engine.competitors.get(entry.key)
        if before == entry:
            return True
        if before is None:
            return self.submit([entry])
        return self.apply([(before, entry)], EntryEdit(0, before, entry).describe())

    def apply(self, pairs: Sequence[tuple[CompetitorSet, CompetitorSet]], text: str) -> bool:
        """Changes of registered cars as one undoable step."""
        self.ensure_history()
        command = EntryEditCommand(self, pairs, text)
        count = self.undo_stack.count()
        self.undo_stack.push(command)
        return self.undo_stack.count() > count or not command.isObsolete()

    def ensure_history(self) -> None:
        """The edits already in the log, as commands already done (read once a session)."""
        if self._built:
            return
        self._built = True
        self.undo_stack.clear()
        recorder = self.controller.recorder
        if isinstance(recorder, SessionRecorder):
            for edit in entry_edits(recorder.file.entries()):
                self.undo_stack.push(
                    EntryEditCommand(self, [(edit.before, edit.after)], edit.describe(), True)
                )
        self.undo_stack.setClean()

    def undo(self) -> None:
        self.ensure_history()
        self.undo_stack.undo()

    def redo(self) -> None:
        self.ensure_history()
        self.undo_stack.redo()

    def _on_controller_session_reset(self) -> None:
        self._built = False
        self.undo_stack.clear()
