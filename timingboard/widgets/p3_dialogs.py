"""Where the P3 decoder is, and what each of its loops times."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from timingboard.engine.settings import SessionKind
from timingboard.feeds.p3_session import TimingLine, parse_lines, parse_p3_address
from timingboard.widgets.dialog_width import wide_enough
from timingboard.widgets.form_dialog import check_fields, ok_cancel

LINES_HELP = "decoder id=line, … e.g. 0x00041813=finish, 0x00041814=pit in (others: finish)"


class P3ConnectDialog(QDialog):
    """The decoder's address, the folder of the session file, and the timing lines."""

    def __init__(
        self, address: str, folder: Path, lines: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Connect to a MYLAPS / AMB P3 decoder")
        wide_enough(self)
        self.setObjectName("p3ConnectDialog")
        self.address = QLineEdit(address, self)
        self.address.setPlaceholderText("p3://192.168.1.30:5403")
        self.folder = QLineEdit(str(folder), self)
        self.lines = QLineEdit(lines, self)
        self.lines.setPlaceholderText(LINES_HELP)
        self.lines.setToolTip(LINES_HELP)
        self.kind = QComboBox(self)
        for kind in SessionKind:
            self.kind.addItem(kind.value.capitalize(), kind)
        self.problem = QLabel(self)
        self.buttons = ok_cancel(self)
        form = QFormLayout(self)
        form.addRow("Decoder", self.address)
        form.addRow("Save the session in", self.folder)
        form.addRow("Timing lines", self.lines)
        form.addRow("Session", self.kind)
        form.addRow(self.problem)
        form.addRow(self.buttons)
        for field in (self.address, self.lines, self.folder):
            field.textChanged.connect(self._check)
        self._check()

    def target(self) -> tuple[str, int]:
        return parse_p3_address(self.address.text())

    def session_kind(self) -> SessionKind:
        return SessionKind(self.kind.currentData())

    def timing_lines(self) -> dict[int, TimingLine]:
        return parse_lines(self.lines.text())

    def _check(self) -> None:
        check_fields(self.buttons, self.problem, self._read)

    def _read(self) -> None:
        self.target()
        self.timing_lines()
        if not self.folder.text().strip():
            raise ValueError("choose a folder for the session file")
