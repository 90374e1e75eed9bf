"""Asks how the next session is lined up from the results shown."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from timingboard.engine.lineups import LineupRequest, LineupRule
from timingboard.engine.settings import SessionKind
from timingboard.widgets.form_dialog import ok_cancel

RULE_TEXT = {
    LineupRule.STRAIGHT: "Straight-up (as they finished)",
    LineupRule.SPLIT: "Split across heats (P1 to heat 1, P2 to heat 2, …)",
    LineupRule.INVERT: "Invert the top N",
}


class LineupDialog(QDialog):
    def __init__(self, session_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Next session from these results")
        self.rule = QComboBox(self)
        for rule, text in RULE_TEXT.items():
            self.rule.addItem(text, rule)
        self.count = QSpinBox(self, minimum=1, maximum=60, value=4)
        self.name = QLineEdit("Heat", self)
        self.kind = QComboBox(self)
        for kind in SessionKind:
            self.kind.addItem(kind.value.capitalize(), kind)
        self.kind.setCurrentIndex(list(SessionKind).index(SessionKind.RACE))  # a grid is for a race
        self.laps = QSpinBox(self, minimum=0, maximum=10000, value=25)
        self.laps.setSpecialValueText("not set")
        buttons = ok_cancel(self)
        form = QFormLayout(self)
        form.addRow(QLabel(f"From: {session_name}", self))
        form.addRow("Line-up", self.rule)
        form.addRow("Heats / cars", self.count)
        form.addRow("New session", self.name)
        form.addRow("Kind", self.kind)
        form.addRow("Race laps", self.laps)
        form.addRow(buttons)

    def request(self) -> LineupRequest:
        return LineupRequest(self.rule.currentData(), self.count.value())
