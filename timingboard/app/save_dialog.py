"""A Save dialog that refuses a name up front: before Qt asks whether to replace the file.

Qt's save dialog asks "replace it?" for any existing name, also a session file that is never
written over; the answer "Yes" then led to a file written under another name, or a refusal
after the question. Here the name is checked when Save is pressed: a refused one is said in a
message over the dialog, which stays open for another name; any other existing file is still
asked about by Qt.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

Refusal = Callable[[Path], str]  # why a name is refused, "" when it may be written


class SaveDialog(QFileDialog):
    """A QFileDialog in save mode whose Save first asks ``refusal`` about the name chosen."""

    def __init__(self, parent: QWidget, title: str, refusal: Refusal) -> None:
        super().__init__(parent, title)
        self.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        self.setFileMode(QFileDialog.FileMode.AnyFile)
        self.setOption(QFileDialog.Option.DontUseNativeDialog)  # a native one skips accept()
        self._refusal = refusal
        self.message_box: QMessageBox | None = None

    def accept(self) -> None:
        chosen = self.selectedFiles()
        path = Path(chosen[0]) if chosen else None
        said = self._refusal(path) if path is not None and not path.is_dir() else ""
        if not said:  # a folder typed: Qt goes into it
            super().accept()
            return
        box = QMessageBox(QMessageBox.Icon.Warning, "timingboard", said, parent=self)
        box.finished.connect(box.deleteLater)
        self.message_box = box
        box.open()
