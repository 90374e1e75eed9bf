"""Where the P3 decoder is, what each of its loops times, and the session it times into."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from timingboard.engine.settings import SessionKind
from timingboard.feeds.p3_session import TimingLine, parse_lines, parse_p3_address
from timingboard.widgets.dialog_width import wide_enough
from timingboard.widgets.form_dialog import check_fields, ok_cancel

LINES_HELP = "decoder id=line, … e.g. 0x00041813=finish, 0x00041814=pit in (others: finish)"
ENTRIES_HELP = "optional: a CSV of car,driver,transponder, or a saved session (.tbs)"
RESUME_HELP = (
    "optional: a session file that followed this decoder before a restart, to go on in "
    "(the decoder is asked for every passing since); empty: a new session"
)
ENTRIES_FILTER = "Entry lists (*.csv *.txt);;timingboard sessions (*.tbs);;All files (*)"
SESSION_FILTER = "timingboard sessions (*.tbs);;All files (*)"
CHOOSE = "Choose…"  # the word of the other dialogs' buttons that open a file dialog


class P3ConnectDialog(QDialog):
    """The decoder's address, the folder of the session file, the timing lines, the session's
    kind, its entry list and the file to go on in: what ``connect p3://`` takes (``--entries``,
    ``--resume``, ``--kind``), the last ones given filled in."""

    def __init__(
        self,
        address: str,
        folder: Path,
        lines: str,
        parent: QWidget | None = None,
        kind: SessionKind = SessionKind.PRACTICE,
        entries: str = "",
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
        for each in SessionKind:
            self.kind.addItem(each.value.capitalize(), each)
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))  # it read Practice each time
        self.entries = QLineEdit(entries, self)
        self.entries.setPlaceholderText(ENTRIES_HELP)
        self.entries.setToolTip(ENTRIES_HELP)
        self.resume = QLineEdit(self)
        self.resume.setPlaceholderText(RESUME_HELP)
        self.resume.setToolTip(RESUME_HELP)
        # the files were typed whole (a path to an entry list, to the session to go on in):
        # each has its button to pick it, as the New session and Connect dialogs have
        self.folder_choose = QPushButton(CHOOSE, self)
        self.entries_choose = QPushButton(CHOOSE, self)
        self.resume_choose = QPushButton(CHOOSE, self)
        self.folder_choose.clicked.connect(self._on_folder_choose_clicked)
        self.entries_choose.clicked.connect(self._on_entries_choose_clicked)
        self.resume_choose.clicked.connect(self._on_resume_choose_clicked)
        self.problem = QLabel(self)
        self.buttons = ok_cancel(self)
        form = QFormLayout(self)
        form.addRow("Decoder", self.address)
        form.addRow("Save the session in", _with(self.folder, self.folder_choose))
        form.addRow("Timing lines", self.lines)
        form.addRow("Session", self.kind)
        form.addRow("Entry list", _with(self.entries, self.entries_choose))
        form.addRow("Go on in", _with(self.resume, self.resume_choose))
        form.addRow(self.problem)
        form.addRow(self.buttons)
        for field in (self.address, self.lines, self.folder, self.entries, self.resume):
            field.textChanged.connect(self._check)
        self.resume.textChanged.connect(self._on_resume_text_changed)
        self._check()

    def target(self) -> tuple[str, int]:
        return parse_p3_address(self.address.text())

    def session_kind(self) -> SessionKind:
        return SessionKind(self.kind.currentData())

    def timing_lines(self) -> dict[int, TimingLine]:
        return parse_lines(self.lines.text())

    def entries_path(self) -> str:
        return self.entries.text().strip()

    def resume_path(self) -> str:
        return self.resume.text().strip()

    def _on_resume_text_changed(self, text: str) -> None:
        """Going on in a file: its folder and kind are its own."""
        fresh = not text.strip()
        self.folder.setEnabled(fresh)
        self.folder_choose.setEnabled(fresh)
        self.kind.setEnabled(fresh)

    def _start_in(self, field: QLineEdit) -> str:
        """Where a file dialog opens: the folder of the file named, else the session's."""
        named = field.text().strip()
        if named:
            return str(Path(named).expanduser().parent)
        return self.folder.text().strip()

    def _on_folder_choose_clicked(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, "Save the session in", self.folder.text().strip()
        )
        if chosen:
            self.folder.setText(chosen)

    def _on_entries_choose_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Entry list", self._start_in(self.entries), ENTRIES_FILTER
        )
        if path:  # cancelled: what was typed stays
            self.entries.setText(path)

    def _on_resume_choose_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Go on in a session file", self._start_in(self.resume), SESSION_FILTER
        )
        if path:
            self.resume.setText(path)

    def _check(self) -> None:
        check_fields(self.buttons, self.problem, self._read)

    def _read(self) -> None:
        self.target()
        self.timing_lines()
        resume = self.resume_path()
        if not resume and not self.folder.text().strip():
            raise ValueError("choose a folder for the session file")
        entries = self.entries_path()
        if entries and not Path(entries).is_file():
            raise ValueError(f"the entry list {entries} does not exist")
        if resume and not Path(resume).is_file():
            raise ValueError(f"the session file {resume} does not exist")


def _with(field: QLineEdit, button: QPushButton) -> QHBoxLayout:
    """A field and its button on one row of the form."""
    row = QHBoxLayout()
    row.addWidget(field, 1)
    row.addWidget(button)
    return row
