"""The settings of a new session, asked of the operator."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from timingboard.engine.settings import (
    NEW_SESSION_MIN_LAP_MS,
    LengthUnit,
    SessionKind,
    SessionSettings,
)
from timingboard.text.typed import stage_laps
from timingboard.widgets.form_dialog import check_fields, ok_cancel

KINDS = tuple(SessionKind)
UNITS = (LengthUnit.MILES, LengthUnit.KILOMETRES)


class NewSessionDialog(QDialog):
    """Kind and unit are read by position, as enum members: ``currentData`` turns them into str."""

    def __init__(
        self,
        parent: QWidget | None = None,
        folder: Path | None = None,
        sessions_in: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("New session")
        self._folder = folder  # where Choose… starts for a CSV: the folder the user works in
        self._sessions_in = sessions_in or folder  # for an earlier session: the shown one's
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
        self.min_lap = QDoubleSpinBox(
            self, decimals=1, minimum=0.0, maximum=600.0, value=NEW_SESSION_MIN_LAP_MS / 1000
        )
        self.stages = QLineEdit(self)
        self.stages.setPlaceholderText("e.g. 60, 140 (laps where stages end)")
        self.first_lap = QCheckBox("First crossing after the green completes lap 1", self)
        self.entries_from = QComboBox(self)
        for label, source in ENTRY_SOURCES.items():
            self.entries_from.addItem(label, source)
        self.entries_path = QLineEdit(self)
        self.entries_path.setPlaceholderText("the CSV or session file")
        self.entries_path.setEnabled(False)
        browse = QPushButton("Choose…", self)
        browse.clicked.connect(self._on_browse_clicked)
        self.entries_from.currentIndexChanged.connect(
            lambda _i: self.entries_path.setEnabled(self.entries_from.currentData() != "none")
        )
        entries_row = QHBoxLayout()
        entries_row.addWidget(self.entries_from)
        entries_row.addWidget(self.entries_path, 1)
        entries_row.addWidget(browse)
        self.problem = QLabel(self)  # why OK is off: a field that does not read
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.buttons = buttons = ok_cancel(self)
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
        form.addRow("Entries from", entries_row)
        form.addRow(self.problem)
        form.addRow(buttons)
        self.stages.textChanged.connect(self._on_stages_text_changed)

    def prefill_track(self, name: str, length: float, unit: LengthUnit) -> None:
        """The event's track, as the session will get it (it read "0.250 miles" with Track
        empty while the session took the event's 2.76 mi: 1419 mph on 7 s laps)."""
        self.track.setText(name)
        self.length.setValue(length)
        self.unit.setCurrentIndex(UNITS.index(unit))

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

    def _on_stages_text_changed(self, _text: str) -> None:
        """OK only once the stage laps read; the ⚠ line says what does not."""
        check_fields(self.buttons, self.problem, lambda: stage_laps(self.stages.text()))
        if self.problem.text():
            self.problem.setText(f"⚠ {self.problem.text()}.")

    def entries_source(self) -> tuple[str, str]:
        """("none" | "csv" | "session", the file named) for the new session's entries."""
        source = str(self.entries_from.currentData())
        return source, self.entries_path.text().strip() if source != "none" else ""

    def _on_browse_clicked(self) -> None:
        source = self.entries_from.currentData()
        if source == "none":
            self.entries_from.setCurrentIndex(1)
            source = "csv"
        filters = CSV_FILTER if source == "csv" else SESSION_FILTER
        folder = self._folder if source == "csv" else self._sessions_in
        start = str(folder) if folder is not None else ""
        path, _ = QFileDialog.getOpenFileName(self, "Entries from", start, filters)
        if path:
            self.entries_path.setText(path)


ENTRY_SOURCES = {
    "none": "none",
    "a CSV entry list": "csv",
    "an earlier session of the event": "session",
}
CSV_FILTER = "Entry lists (*.csv *.txt);;All files (*)"
SESSION_FILTER = "timingboard sessions (*.tbs);;All files (*)"
