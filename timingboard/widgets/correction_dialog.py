"""One dialog for every correction: what it needs, what it would change, and why it is made."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from timingboard.engine.audit import describe, preview
from timingboard.engine.engine import TimingEngine
from timingboard.engine.events import Correction, Event
from timingboard.engine.validation import InvalidEvent

Builder = Callable[[str], Correction]  # raises ValueError with a message for bad input


class CorrectionDialog(QDialog):
    """Opened non-modally; ``accepted`` means ``event()``, ``reason()`` and ``operator()`` hold."""

    def __init__(
        self,
        title: str,
        engine: TimingEngine,
        build: Builder,
        *,
        input_label: str | None = None,
        default_input: str = "",
        choices: list[tuple[str, str]] | None = None,
        default_reason: str = "",
        operator: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("correctionDialog")
        self._engine = engine
        self._build = build
        self._event: Correction | None = None
        form = QFormLayout()
        self.input: QLineEdit | QComboBox | None = None
        if choices is not None:
            combo = QComboBox(self)
            for text, value in choices:
                combo.addItem(text, value)
            combo.currentIndexChanged.connect(self._update)
            self.input = combo
        elif input_label is not None:
            self.input = QLineEdit(default_input, self)
            self.input.textChanged.connect(self._update)
        if self.input is not None:
            form.addRow(input_label or "Car", self.input)
        self.operator_field = QLineEdit(operator, self)
        self.operator_field.setPlaceholderText("your name, for the audit")
        self.operator_field.textChanged.connect(self._update)
        form.addRow("Operator", self.operator_field)
        self.reason_field = QLineEdit(default_reason, self)
        self.reason_field.setPlaceholderText("why (required)")
        self.reason_field.textChanged.connect(self._update)
        form.addRow("Reason", self.reason_field)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.effect = QListWidget(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel("Effect on the board:", self))
        layout.addWidget(self.effect)
        layout.addWidget(self.buttons)
        self.resize(520, 360)
        self._update()

    def event_(self) -> Correction | None:
        return self._event

    def reason(self) -> str:
        return self.reason_field.text().strip()

    def operator(self) -> str:
        return self.operator_field.text().strip()

    def set_input(self, text: str) -> None:
        if isinstance(self.input, QComboBox):
            self.input.setCurrentIndex(max(0, self.input.findData(text)))
        elif self.input is not None:
            self.input.setText(text)

    def _input_text(self) -> str:
        if isinstance(self.input, QComboBox):
            return str(self.input.currentData() or "")
        return self.input.text() if self.input is not None else ""

    def _update(self) -> None:
        self._event = None
        self.effect.clear()
        try:
            event = self._build(self._input_text())
            self._engine.validate(event)
        except (ValueError, InvalidEvent) as exc:
            self.summary.setText(f"⚠ {exc}")
            self._set_ok(False)
            return
        self._event = event
        self.summary.setText(describe(self._engine, event))
        changes = preview(self._engine, [cast(Event, event)])
        for change in changes:
            before = f"P{change.before}" if change.before else "—"
            after = f"P{change.after}" if change.after else "—"
            laps = (
                ""
                if change.laps_before == change.laps_after
                else (f", laps {change.laps_before} → {change.laps_after}")
            )
            status = (
                "" if change.status_before == change.status_after else f", {change.status_after}"
            )
            self.effect.addItem(f"Car {change.car}: {before} → {after}{laps}{status}")
        if not changes:
            self.effect.addItem("No position changes.")
        self._set_ok(bool(self.reason()) and bool(self.operator()))

    def _set_ok(self, enabled: bool) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(enabled)
