"""Dialogs of the Feed menu: where the timing system is, and where to publish our board."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from timingboard.qt.user_settings import DEFAULT_RMONITOR_PORT
from timingboard.widgets.dialog_width import wide_enough

_HOST = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?)+$|^\[[0-9A-Fa-f:.]+\]$")


def parse_address(text: str) -> tuple[str, int]:
    """``host:port`` (or just ``host``, on the usual RMonitor port); ValueError if not one."""
    text = text.strip()
    if ":" in text and not text.endswith("]"):
        host, _, port = text.rpartition(":")
    else:
        host, port = text, str(DEFAULT_RMONITOR_PORT)
    if not _HOST.match(host) or ".." in host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"{text!r} is not host:port (for example 192.168.1.20:50000)")
    return host.strip("[]"), int(port)


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
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
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
        try:
            self.target()
            self.problem.setText("")
            ok = True
        except ValueError as exc:
            self.problem.setText(str(exc))
            ok = False
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

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
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Port", self.port)
        form.addRow(self.everyone)
        form.addRow(buttons)

    def host(self) -> str:
        return "0.0.0.0" if self.everyone.isChecked() else "127.0.0.1"
