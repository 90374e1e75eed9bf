"""One dialog for every correction: what it needs, what it would change, and why it is made."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
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

from timingboard.engine.audit import Preview, preview_all
from timingboard.engine.engine import TimingEngine
from timingboard.engine.events import AssignTransponder, Correction, Event
from timingboard.engine.validation import InvalidEvent
from timingboard.text.passing_text import change_text, correction_summary, placed_text

# the values of the dialog's fields, in order, to a correction; ValueError with a message if bad
Builder = Callable[[list[str]], Correction]
FIELD_MIN_WIDTH_PX = 220  # "0:05:12.345" and a driver's name read whole


@dataclass(frozen=True, slots=True)
class Field:
    """One input of a correction: a text to type, or a choice (text shown, value built from)."""

    label: str
    default: str = ""
    choices: Sequence[tuple[str, str]] | None = None
    placeholder: str = ""


class CorrectionDialog(QDialog):
    """Opened non-modally; ``accepted`` means ``event_()``, ``reason()`` and ``operator()`` hold.

    The effect on the board is worked out again only when the correction itself changes, not on
    every key typed into the operator or reason fields.
    """

    def __init__(
        self,
        title: str,
        engine: TimingEngine,
        build: Builder,
        *,
        fields: Sequence[Field] = (),
        explain: Callable[[list[str]], str] | None = None,
        default_reason: str = "",
        operator: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("correctionDialog")
        self._engine = engine
        self._build = build
        self._explain = explain
        self._event: Correction | None = None
        self._previewed: Correction | None = None
        self.preview_count = 0  # how often the effect was worked out (the benchmark reads it)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.inputs: list[QLineEdit | QComboBox] = [self._make_input(f) for f in fields]
        for spec, widget in zip(fields, self.inputs, strict=True):
            form.addRow(spec.label, widget)
        self.help = QLabel(self)
        self.help.setObjectName("correctionHelp")
        self.help.setWordWrap(True)
        self.help.setVisible(explain is not None)
        form.addRow(self.help)
        self.operator_field = QLineEdit(operator, self)
        self.operator_field.setPlaceholderText("your name, for the audit")
        self.operator_field.textChanged.connect(self._refresh_ok)
        form.addRow("Operator", self.operator_field)
        self.reason_field = QLineEdit(default_reason, self)
        self.reason_field.setPlaceholderText("why (required)")
        self.reason_field.textChanged.connect(self._refresh_ok)
        form.addRow("Reason", self.reason_field)
        self.summary = QLabel(self)
        self.summary.setObjectName("correctionSummary")
        self.summary.setWordWrap(True)
        self.effect = QListWidget(self)
        self.missing = QLabel(self)
        self.missing.setObjectName("correctionMissing")
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
        layout.addWidget(self.missing)
        layout.addWidget(self.buttons)
        self.resize(560, 400)
        self._on_correction_edited()
        self._first_to_fill().setFocus()

    def _first_to_fill(self) -> QWidget:
        """The correction's own first field, else the first required one still empty: OK waits
        on it (no operator name in the settings yet: the operator's)."""
        if self.inputs:
            return self.inputs[0]
        empty = [f for f in (self.operator_field, self.reason_field) if not f.text().strip()]
        return empty[0] if empty else self.reason_field

    @property
    def input(self) -> QLineEdit | QComboBox | None:
        """The first input (the one that has the focus when the dialog opens)."""
        return self.inputs[0] if self.inputs else None

    def event_(self) -> Correction | None:
        return self._event

    def reason(self) -> str:
        return self.reason_field.text().strip()

    def operator(self) -> str:
        return self.operator_field.text().strip()

    def set_input(self, text: str, index: int = 0) -> None:
        widget = self.inputs[index]
        if isinstance(widget, QComboBox):
            widget.setCurrentIndex(max(0, widget.findData(text)))
        else:
            widget.setText(text)

    def effect_texts(self) -> list[str]:
        return [self.effect.item(row).text() for row in range(self.effect.count())]

    def accept(self) -> None:
        if self._event is not None and self._missing() == "":
            super().accept()
        else:
            self.reject()  # forced or raced: nothing is logged without a whole correction

    # --- keeping the preview and OK up to date ---------------------------------------------------

    def _make_input(self, spec: Field) -> QLineEdit | QComboBox:
        widget: QLineEdit | QComboBox
        if spec.choices is not None:
            widget = QComboBox(self)
            for text, value in spec.choices:
                widget.addItem(text, value)
            widget.setCurrentIndex(max(0, widget.findData(spec.default)))
            widget.currentIndexChanged.connect(self._on_correction_edited)
        else:
            widget = QLineEdit(spec.default, self)
            widget.setPlaceholderText(spec.placeholder)
            widget.textChanged.connect(self._on_correction_edited)
        widget.setMinimumWidth(FIELD_MIN_WIDTH_PX)
        return widget

    def _values(self) -> list[str]:
        return [
            str(w.currentData() or "") if isinstance(w, QComboBox) else w.text()
            for w in self.inputs
        ]

    def _on_correction_edited(self) -> None:
        values = self._values()
        if self._explain is not None:
            self.help.setText(self._explain(values))
        self._event = None
        try:
            event = self._build(values)
            self._engine.validate(event)
        except (ValueError, InvalidEvent) as exc:
            self.summary.setText(f"⚠ {exc}")
            self._show_effect(None)
            self._refresh_ok()
            return
        self._event = event
        self.summary.setText(correction_summary(self._engine, event))
        if event != self._previewed:
            self._previewed = event
            self.preview_count += 1
            self._show_effect(preview_all(self._engine, [cast(Event, event)]))
        self._refresh_ok()

    def _show_effect(self, effect: Preview | None) -> None:
        """The cars whose place, laps or status would change; first, a passing it would put
        where it is not counted (after the car's finish: "No position changes." alone read as
        if it counted)."""
        if effect is None:
            self._previewed = None
        self.effect.clear()
        if effect is None:
            return
        for placed in effect.placed:
            text = placed_text(placed)
            if text is not None:
                self.effect.addItem(text)
        for change in effect.changes:
            self.effect.addItem(change_text(change, self._gone_to()))
        if not effect.changes:
            self.effect.addItem("No position changes.")

    def _gone_to(self) -> str:
        """Where the passings of a car taken off the board go: the car a transponder is
        assigned to ("car 7's"), else another car's (a reassigned passing, its car's only)."""
        event = self._event
        if isinstance(event, AssignTransponder) and self._engine.has_car(event.key):
            return f"car {self._engine.car_label(event.key)}'s"
        return "another car's"

    def _missing(self) -> str:
        if self._event is None:
            return "Nothing to confirm yet: see the message above."
        if not self.operator():
            return "Your name is required for the audit."
        if not self.reason():
            return "A reason is required."
        return ""

    def _refresh_ok(self) -> None:
        missing = self._missing()
        self.missing.setText(missing)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not missing)
