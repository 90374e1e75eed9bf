"""Entry-list changes for the operator: a new car is registered, a change is a correction.

A car added is a :class:`CompetitorSet`, as a timing system registers one. A change of a car
already registered is an :class:`EditEntry` made through the :class:`CorrectionDesk`: signed with
the operator's name, listed with the corrections, and undone with Ctrl+Z like any of them, also
after a restart. A car cannot leave an append-only log: it is withdrawn (retired) instead.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal

from timingboard.engine.events import CompetitorSet, EditEntry
from timingboard.qt.correction_desk import CorrectionDesk
from timingboard.qt.session_controller import SessionController
from timingboard.text.entry_text import what_changed
from timingboard.text.opening_text import ENTRY_OPENING_STATUS


class EntryDesk(QObject):
    """Adds and changes the session's entries for the operator.

    Signals
    -------
    refused(str)
        An edit was not taken; the message says why, for the operator.
    """

    refused = Signal(str)

    def __init__(self, corrections: CorrectionDesk, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.corrections = corrections
        self.controller: SessionController = corrections.controller

    @property
    def editable(self) -> bool:
        """The session shown is written to a file here (not a replay or a followed board)."""
        return self.controller.recorder.file is not None

    def submit(self, entries: Sequence[CompetitorSet]) -> bool:
        """Register new cars (one batch); refused, said, while another session is opened."""
        if self.corrections.opening is not None:
            self.refused.emit(ENTRY_OPENING_STATUS)
            return False
        return bool(entries) and self.controller.submit(list(entries))

    def problem(self, entry: CompetitorSet) -> str:
        """Why this entry cannot be taken ("" if it can)."""
        if self.corrections.opening is not None:  # the list shown is the session leaving's
            return ENTRY_OPENING_STATUS
        if not self.editable:
            return "A replay cannot be changed; branch a copy to edit its entries."
        car = entry.car.strip()
        if not car or not car.isalnum() or len(car) > 8:
            return f"{car!r} is not a car number (letters and digits, at most 8)."
        for key, other in self.controller.engine.entry_list().items():
            if key != entry.key and other.car == car:
                return f"Car {car} is already on the list ({other.driver or 'no driver'})."
        return ""

    def set_entry(self, entry: CompetitorSet) -> bool:
        """Add a car, or change one (a correction); False, with ``refused`` said, if not taken."""
        problem = self.problem(entry)
        if problem:
            self.refused.emit(problem)
            return False
        before = self.controller.engine.entry_list().get(entry.key)
        if before == entry:
            return True
        if before is None:
            return self.submit([entry])
        return self.apply([(before, entry)], "changed in the Entries editor")

    def apply(self, pairs: Sequence[tuple[CompetitorSet, CompetitorSet]], reason: str) -> bool:
        """Changes of registered cars as one undoable step, each an audited correction."""
        stack = self.corrections.undo_stack
        many = len(pairs) > 1
        if many:
            stack.beginMacro(f"{reason}: {len(pairs)} entries")
        taken = 0
        for before, after in pairs:
            why = f"{what_changed(before, after)} {reason}"
            taken += self.corrections.correct(EditEntry.of(after), why)
        if many:
            stack.endMacro()
        return taken == len(pairs)
