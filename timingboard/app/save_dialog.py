"""A Save dialog that refuses a name up front: before Qt asks whether to replace the file.

Qt's save dialog asks "replace it?" for any existing name, also a session file that is never
written over; the answer "Yes" then led to a file written under another name, or a refusal
after the question. Here the name is checked when Save is pressed: a refused one is said in a
message over the dialog, which stays open for another name; any other existing file is still
asked about by Qt. A dialog whose writer adds an extension (``named``: ``bh2.tbs`` written as
``bh2.tbs.csv``) puts that name in the field before Qt's question, so "replace it?" is asked
about the file that would be written, and the refusal judged on it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

Refusal = Callable[[Path], str]  # why a name is refused, "" when it may be written
Naming = Callable[[Path], Path]  # the file written for a name typed


def as_typed(path: Path) -> Path:
    return path


class SaveDialog(QFileDialog):
    """A QFileDialog in save mode whose Save first asks ``refusal`` about the name chosen."""

    def __init__(
        self, parent: QWidget, title: str, refusal: Refusal, named: Naming = as_typed
    ) -> None:
        super().__init__(parent, title)
        self.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        self.setFileMode(QFileDialog.FileMode.AnyFile)
        self.setOption(QFileDialog.Option.DontUseNativeDialog)  # a native one skips accept()
        self._refusal = refusal
        self._named = named
        self.message_box: QMessageBox | None = None

    def accept(self) -> None:
        chosen = self.selectedFiles()
        path = Path(chosen[0]) if chosen else None
        if path is not None and not path.is_dir():  # a folder typed: Qt goes into it
            written = self._named(path)
            if written != path:
                self.selectFile(str(written))  # Qt asks "replace?" of the file written
            path = written
        said = self._refusal(path) if path is not None and not path.is_dir() else ""
        if not said:
            super().accept()
            return
        box = QMessageBox(QMessageBox.Icon.Warning, "timingboard", said, parent=self)
        box.finished.connect(box.deleteLater)
        self.message_box = box
        box.open()
