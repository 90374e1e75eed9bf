"""The settings of a new session, asked of the operator."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from timingboard.engine.settings import LengthUnit, SessionKind, SessionSettings

KINDS = tuple(SessionKind)
UNITS = (LengthUnit.MILES, LengthUnit.KILOMETRES)


class NewSessionDialog(QDialog):
    """Kind and unit are read by position, as enum members: ``currentData`` turns them into str."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New session")
        self.name = QLineEdit("Practice", self)
        self.kind = QComboBox(self)
        for kind in KINDS:
            self.kind.addItem(kind.value.capitalize())
        self.track = QLineEdit(self)
        self.length = QDoubleSpinBox(self, decimals=3, minimum=0.0, maximum=100.0, value=0.25)
        self.unit = QComboBox(self)
        self.unit.addItems(["miles", "kilometres"])
        self.laps = QSpinBox(self, minimum=0, maximum=10000)
        self.minutes = QSpinBox(self, minimum=0, maximum=24 * 60)
        for spin in (self.laps, self.minutes):
            spin.setSpecialValueText("not set")
        self.min_lap = QDoubleSpinBox(self, decimals=1, minimum=0.0, maximum=600.0, value=5.0)
        self.stages = QLineEdit(self)
        self.stages.setPlaceholderText("e.g. 60, 140 (laps where stages end)")
        self.first_lap = QCheckBox("First crossing after the green completes lap 1", self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Name", self.name)
        form.addRow("Kind", self.kind)
        form.addRow("Track", self.track)
        form.addRow("Track length", self.length)
        form.addRow("Unit", self.unit)
        form.addRow("Race laps", self.laps)
        form.addRow("Race minutes", self.minutes)
        form.addRow("Minimum lap (s)", self.min_lap)
        form.addRow("Stages end at laps", self.stages)
        form.addRow(self.first_lap)
        form.addRow(buttons)

    def settings(self) -> SessionSettings:
        return SessionSettings(
            name=self.name.text().strip() or "Session",
            kind=KINDS[self.kind.currentIndex()],
            track_name=self.track.text().strip(),
            track_length=self.length.value(),
            length_unit=UNITS[self.unit.currentIndex()],
            race_laps=self.laps.value() or None,
            race_duration_ms=self.minutes.value() * 60_000 or None,
            min_lap_ms=round(self.min_lap.value() * 1000),
            first_crossing_completes_lap=self.first_lap.isChecked(),
            stage_laps=stage_laps(self.stages.text()),
        )


def stage_laps(text: str) -> tuple[int, ...]:
    """``60, 140`` as (60, 140); what is not a positive whole number is left out."""
    laps = {int(part) for part in text.replace(";", ",").split(",") if part.strip().isdigit()}
    return tuple(sorted(lap for lap in laps if lap > 0))
