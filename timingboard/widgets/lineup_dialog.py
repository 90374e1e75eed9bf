"""Asks how the next session is lined up from the results shown.

The rules and their refusals are the ``lineup`` command's (engine/lineups.py): the dialog says
what OK will make (the sessions, their files and grids) and holds OK back while the field
cannot fill them (more heats than cars) or the new session has no name.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from timingboard.engine.lineups import COUNTED, LineupRequest, LineupRule, build, misfit
from timingboard.engine.settings import SessionKind
from timingboard.store.progression import file_name, session_names
from timingboard.widgets.form_dialog import check_fields, ok_cancel

RULE_TEXT = {
    LineupRule.STRAIGHT: "Straight-up (as they finished)",
    LineupRule.SPLIT: "Split across heats (P1 to heat 1, P2 to heat 2, …)",
    LineupRule.INVERT: "Invert the top N",
}
COUNT_LABEL = {LineupRule.SPLIT: "Heats", LineupRule.INVERT: "Cars inverted"}
SHOWN_CARS = 12  # of a grid in the preview; the rest as "…"
SHOWN_SESSIONS = 8  # in the preview; the others counted


class LineupDialog(QDialog):
    """``cars``: the car numbers of the results, in finishing order (the registered ones: the
    cars a grid can hold), for the preview and the refusals."""

    def __init__(
        self, session_name: str, cars: Sequence[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Next session from these results")
        self._cars = list(cars)
        self.rule = QComboBox(self)
        for rule, text in RULE_TEXT.items():
            self.rule.addItem(text, rule)
        self.count = QSpinBox(self, minimum=1, maximum=999, value=4)
        self.name = QLineEdit("Heat", self)
        self.kind = QComboBox(self)
        for kind in SessionKind:
            self.kind.addItem(kind.value.capitalize(), kind)
        self.kind.setCurrentIndex(list(SessionKind).index(SessionKind.RACE))  # a grid is for a race
        self.laps = QSpinBox(self, minimum=0, maximum=10000, value=25)
        self.laps.setSpecialValueText("not set")
        self.makes = QLabel(self)
        self.makes.setObjectName("makes")
        self.makes.setWordWrap(True)
        self.problem = QLabel(self)
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.buttons = ok_cancel(self)
        form = QFormLayout(self)
        form.addRow(QLabel(f"From: {session_name} ({len(self._cars)} cars)", self))
        form.addRow("Line-up", self.rule)
        form.addRow("Heats", self.count)
        form.addRow("New session", self.name)
        form.addRow("Kind", self.kind)
        form.addRow("Race laps", self.laps)
        form.addRow("Makes", self.makes)
        form.addRow(self.problem)
        form.addRow(self.buttons)
        self._form = form
        self.rule.currentIndexChanged.connect(self._on_rule_current_index_changed)
        self.count.valueChanged.connect(self._on_count_value_changed)
        self.name.textChanged.connect(self._on_name_text_changed)
        self._on_rule_current_index_changed(self.rule.currentIndex())

    def request(self) -> LineupRequest:
        """The rule chosen, with its number (none for straight-up, as ``lineup --rule``)."""
        rule = LineupRule(self.rule.currentData())
        return LineupRequest(rule, self.count.value() if rule in COUNTED else 0)

    def session_name(self) -> str:
        return self.name.text().strip()

    def planned(self) -> list[tuple[str, list[str]]]:
        """The sessions OK makes (their names), each with its grid of car numbers; a ValueError
        says what is wrong."""
        request = self.request()
        refused = misfit(request, len(self._cars))
        if refused:
            raise ValueError(refused)
        if not self.session_name():
            raise ValueError("name the new session (Heat: its heats are Heat 1, Heat 2, …)")
        grids = build(request, [self._cars])
        return list(zip(session_names(self.session_name(), len(grids)), grids, strict=True))

    def _check(self) -> None:
        if check_fields(self.buttons, self.problem, self.planned):
            planned = self.planned()
            lines = [_preview(name, grid) for name, grid in planned[:SHOWN_SESSIONS]]
            if len(planned) > SHOWN_SESSIONS:  # the dialog stays on the screen
                lines.append(f"… and {len(planned) - SHOWN_SESSIONS} more, to {planned[-1][0]}")
            self.makes.setText("\n".join(lines))
            return
        self.makes.setText("")
        self.problem.setText(f"⚠ {self.problem.text()}.")

    def _on_rule_current_index_changed(self, _index: int) -> None:
        """The number field says what it counts, and is greyed for straight-up (none)."""
        rule = LineupRule(self.rule.currentData())
        label = self._form.labelForField(self.count)
        if isinstance(label, QLabel):
            label.setText(COUNT_LABEL.get(rule, "Heats / cars"))
        self.count.setEnabled(rule in COUNTED)
        self._check()

    def _on_count_value_changed(self, _value: int) -> None:
        self._check()

    def _on_name_text_changed(self, _text: str) -> None:
        self._check()


def _preview(name: str, grid: Sequence[str]) -> str:
    """``Heat 1 (heat-1.tbs): 5, 2, 6``: a session, its file and its grid, front row first."""
    shown = ", ".join(grid[:SHOWN_CARS]) + (", …" if len(grid) > SHOWN_CARS else "")
    return f"{name} ({file_name(name)}): {shown or 'no cars'}"
