"""Asks once what the columns of an entry list's unknown headers hold."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QWidget,
)

from timingboard.store.entry_list import Column
from timingboard.widgets.form_dialog import ok_cancel

COLUMN_LABELS = {
    Column.IGNORE: "(not used)",
    Column.NUMBER: "Car number",
    Column.FIRST: "First name",
    Column.LAST: "Last name",
    Column.DRIVER: "Driver (full name)",
    Column.TEAM: "Team",
    Column.MAKE: "Make",
    Column.CLASS: "Class",
    Column.TRANSPONDERS: "Transponder(s)",
    Column.GRID: "Grid slot",
}


class ColumnMappingDialog(QDialog):
    """One row a header it did not know, each with what that column holds."""

    def __init__(
        self,
        headers: list[str],
        file_name: str,
        parent: QWidget | None = None,
        samples: dict[str, str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setMinimumWidth(460)
        self.setWindowTitle("Columns of the entry list")
        self.setObjectName("columnMappingDialog")
        form = QFormLayout(self)
        intro = QLabel(
            f"{file_name} has columns timingboard does not know. What does each hold? "
            "(Remembered for the next list with these headers.)",
            self,
        )
        intro.setWordWrap(True)
        form.addRow(intro)
        self.choices: dict[str, QComboBox] = {}
        for header in headers:
            combo = QComboBox(self)
            for column, label in COLUMN_LABELS.items():
                combo.addItem(label, column)
            sample = (samples or {}).get(header, "")
            form.addRow(f"{header}  (e.g. “{sample}”)" if sample else header, combo)
            self.choices[header] = combo
        self.buttons = ok_cancel(self)
        form.addRow(self.buttons)

    def mapping(self) -> dict[str, Column]:
        return {header: Column(combo.currentData()) for header, combo in self.choices.items()}
