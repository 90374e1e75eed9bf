"""Crossings typed for unknown numbers are never lost by leaving the session: Ctrl+Q, File ▸
Open or New session with one held asks first whether to add and log them, discard them, or go
back (they were dropped without a word)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from timingboard.qt.manual_entry import ManualEntry
from timingboard.text.typed_passing import held_on_leaving

ADD, DISCARD = "Add and log them", "Discard them"


def settle_held(parent: QWidget, entry: ManualEntry) -> bool:
    """True when the session may be left: nothing was held, or the operator added or discarded
    what was; False when they chose to go back to it."""
    pending = entry.pending()
    if not pending:
        return True
    question, answers = held_on_leaving(pending, entry.start_ms())
    box = QMessageBox(QMessageBox.Icon.Warning, "timingboard", question, parent=parent)
    box.setInformativeText(answers)
    add = box.addButton(ADD, QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton(DISCARD, QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(add)
    box.exec()
    if box.clickedButton() is add:
        entry.log_pending()
        return True
    if box.clickedButton() is discard:
        entry.drop_pending()
        return True
    return False
