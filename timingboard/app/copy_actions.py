"""File ▸ Save a copy…: the session as it stands, complete, in one new file.

The copy is made with SQLite's backup API from the open session, so it holds every event the
board shows, also those still in the write-ahead log, and is consistent even while a feed
writes. It is never made over an existing file.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QMainWindow, QMessageBox

from timingboard.app.file_folders import remember_folder, session_folder
from timingboard.app.save_dialog import SaveDialog
from timingboard.qt.action_registry import ActionId, make_action
from timingboard.qt.session_controller import SessionController
from timingboard.store.atomic import UnsafeOutput, unsafe_output
from timingboard.store.session_file import SessionFile, SessionFileError
from timingboard.text.file_text import exists_text, refusal_text

FILE_FILTER = "timingboard sessions (*.tbs);;All files (*)"
SHOWN_MS = 15000


class CopyActions(QObject):
    """Signals
    -------
    copy_saved(str)
        The path of a copy just written.
    """

    copy_saved = Signal(str)

    def __init__(
        self, controller: SessionController, window: QMainWindow, settings: QSettings
    ) -> None:
        super().__init__(window)
        self._controller = controller
        self._settings = settings
        self._window = window
        self.save_copy_action = make_action(
            ActionId.SAVE_COPY, window, self._on_save_copy_action_triggered
        )
        self.dialog: SaveDialog | None = None

    def _file(self) -> SessionFile | None:
        return self._controller.recorder.file

    def save_copy(self, target: str | Path) -> Path:
        """Copy the open session to ``target`` (new); raises SessionFileError."""
        file = self._file()
        if file is None:
            raise SessionFileError("a replay is not a session being recorded: use Branch a copy")
        made = file.save_copy(target)
        self._window.statusBar().showMessage(f"Saved a copy to {made}", SHOWN_MS)
        self.copy_saved.emit(str(made))
        return made

    def refusal(self, path: Path) -> str:
        """Why ``path`` cannot take the copy, in the desk's words ("" if it can): a copy is
        never made over a session, nor over any file (so Qt never asks to replace one)."""
        target = _copy_name(path)
        file = self._file()
        refused = unsafe_output(target, [file.path] if file else [])
        if refused is not None:
            return refusal_text(refused)
        return exists_text(target, "a copy") if target.exists() else ""

    def _on_save_copy_action_triggered(self) -> None:
        file = self._file()
        folder = session_folder(self._settings, file.path if file else None)
        dialog = SaveDialog(self._window, "Save a copy of the session", self.refusal)
        dialog.setObjectName("saveCopyDialog")
        dialog.setNameFilters(FILE_FILTER.split(";;"))
        dialog.setDirectory(str(folder))
        if file is not None:
            dialog.selectFile(f"{file.path.stem}-copy.tbs")
        dialog.fileSelected.connect(self._on_dialog_file_selected)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()

    def _on_dialog_file_selected(self, path: str) -> None:
        remember_folder(self._settings, path)
        try:
            self.save_copy(_copy_name(Path(path)))
        except UnsafeOutput as refused:
            QMessageBox.warning(self._window, "timingboard", refusal_text(refused))
        except SessionFileError as exc:
            QMessageBox.warning(self._window, "timingboard", str(exc))


def _copy_name(path: Path) -> Path:
    """The name typed, ending ``.tbs`` (added when it ends otherwise)."""
    return path if path.name.endswith(".tbs") else path.with_name(path.name + ".tbs")
