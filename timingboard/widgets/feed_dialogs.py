"""Dialogs of the Feed menu: where the timing system is, and where to publish our board."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from timingboard.text.typed import parse_address
from timingboard.widgets.dialog_width import wide_enough
from timingboard.widgets.form_dialog import check_fields, ok_cancel


class ConnectDialog(QDialog):
    def __init__(self, address: str, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Connect to a timing feed (RMonitor)")
        wide_enough(self)
        self.address = QLineEdit(address, self)
        self.address.setPlaceholderText("host:port, e.g. 192.168.1.20:50000")
        self.folder = QLineEdit(str(folder), self)
        browse = QPushButton("Choose…", self)
        browse.clicked.connect(self._on_browse_clicked)
        self.problem = QLabel(self)
        self.buttons = ok_cancel(self)
        row = QHBoxLayout()
        row.addWidget(self.folder)
        row.addWidget(browse)
        form = QFormLayout(self)
        form.addRow("Timing system", self.address)
        form.addRow("Save sessions in", row)
        form.addRow(self.problem)
        form.addRow(self.buttons)
        self.address.textChanged.connect(self._check)
        self._check()

    def target(self) -> tuple[str, int]:
        return parse_address(self.address.text())

    def _check(self) -> None:
        check_fields(self.buttons, self.problem, self.target)

    def _on_browse_clicked(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Save feed sessions in", self.folder.text())
        if chosen:
            self.folder.setText(chosen)


class PublishDialog(QDialog):
    def __init__(self, port: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Publish standings (RMonitor)")
        wide_enough(self)
        self.port = QSpinBox(self, minimum=1, maximum=65535, value=port)
        self.everyone = QCheckBox("Let other computers connect (not only this one)", self)
        buttons = ok_cancel(self)
        form = QFormLayout(self)
        form.addRow("Port", self.port)
        form.addRow(self.everyone)
        form.addRow(buttons)

    def host(self) -> str:
        return "0.0.0.0" if self.everyone.isChecked() else "127.0.0.1"
