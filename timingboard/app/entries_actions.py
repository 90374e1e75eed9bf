"""The Entries editor's wiring: its dock, CSV import and export, and withdrawing a car.

A CSV whose headers it does not know opens the mapping dialog once; the answer is kept in the
settings for every later list with those headers. Bad rows are listed and the operator chooses
to import all the good rows or none.
"""

from __future__ import annotations

import io
from pathlib import Path

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QDialog, QFileDialog, QMainWindow, QMessageBox, QWidget

from timingboard.app.entry_import import (
    ImportCancelled,
    known_mapping,
    read_entry_list,
    take_good_rows,
)
from timingboard.app.file_folders import (
    remember_folder,
    session_folder,
    shown_file,
    working_folder,
)
from timingboard.app.save_dialog import SaveDialog
from timingboard.engine.events import CompetitorSet, Retire
from timingboard.qt.class_colours import ClassColours
from timingboard.qt.correction_desk import CorrectionDesk
from timingboard.qt.entries_model import EntriesModel
from timingboard.qt.entry_desk import EntryDesk
from timingboard.qt.session_controller import SessionController
from timingboard.store.atomic import UnsafeOutput, unsafe_output, write_text
from timingboard.store.entry_list import (
    Column,
    CsvImport,
    EntryList,
    EntryListError,
    changes,
    plural,
    write_csv,
)
from timingboard.store.errors import SessionFileError
from timingboard.store.event_folder import (
    EventFolderError,
    read_classes,
    write_classes,
)
from timingboard.text.file_text import refusal_text
from timingboard.widgets.classes_dialog import ClassesDialog
from timingboard.widgets.entries_editor import EntriesEditor

CSV_FILTER = "Entry lists (*.csv *.txt);;All files (*)"
EXPORTED_SHOWN_MS = 15000


def csv_name(path: Path) -> Path:
    """The file Export CSV writes for a name typed: it ends ``.csv`` (added otherwise)."""
    return path if path.suffix.lower() == ".csv" else path.with_name(path.name + ".csv")


class EntriesActions(QObject):
    """Owns the entry desk, its model and the editor; imports and exports CSV for it."""

    def __init__(
        self,
        controller: SessionController,
        corrections: CorrectionDesk,
        settings: QSettings,
        window: QWidget,
        class_colours: ClassColours,
    ) -> None:
        super().__init__(window)
        self._controller = controller
        self._corrections = corrections
        self._settings = settings
        self._window = window
        self._colours = class_colours
        self.desk = EntryDesk(corrections, self)
        self.model = EntriesModel(self.desk, class_colours.colour, self)
        class_colours.changed.connect(self.model.refresh_classes)
        self.editor = EntriesEditor(self.model)
        self.import_action = self.editor.import_action
        self.export_action = self.editor.export_action
        self.editor.import_requested.connect(self._on_editor_import_requested)
        self.editor.export_requested.connect(self._on_editor_export_requested)
        self.editor.withdraw_requested.connect(self._on_editor_withdraw_requested)
        self.editor.classes_requested.connect(self._on_editor_classes_requested)
        self._recorder_shown = controller.recorder
        self.export_dialog: SaveDialog | None = None
        controller.session_reset.connect(self._on_controller_session_reset)

    # --- the event's classes -------------------------------------------------------------------

    def _folder(self) -> Path | None:
        file = self._controller.recorder.file  # None: a replay or a followed board
        return file.path.parent if file is not None else None

    def _on_controller_session_reset(self) -> None:
        if self._controller.recorder is not self._recorder_shown:
            self._recorder_shown = self._controller.recorder
            self.editor.say("")  # what was said of the last session's list is moot

    def _add_classes(self, names: list[str]) -> None:
        folder = self._folder()
        if folder is None:
            return
        try:
            listed = EntryList(classes=read_classes(folder))
            if listed.add_classes(names):
                write_classes(folder, listed.classes)
        except (EventFolderError, OSError) as exc:
            self.editor.say(f"The classes were not saved in event.json: {exc}", "warn")
            return
        self._colours.reload()

    def _on_editor_classes_requested(self) -> None:
        """The event's classes (those of the session's cars too), their colours and order."""
        folder = self._folder()
        if folder is None:
            return
        try:
            listed = EntryList(classes=read_classes(folder))
        except EventFolderError as exc:
            self._explain(str(exc))
            return
        listed.add_classes(c.car_class for c in self._competitors())  # as the board has them
        dialog = ClassesDialog(listed.classes, self._window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            write_classes(folder, dialog.classes())
        except (EventFolderError, OSError) as exc:
            self._explain(f"The classes were not saved: {exc}")
            return
        self._colours.reload()
        self.editor.say("Classes saved in event.json.")

    def _competitors(self) -> list[CompetitorSet]:
        return list(self._controller.engine.entry_list().values())

    # --- import --------------------------------------------------------------------------------

    def mapping(self) -> dict[str, Column]:
        return known_mapping(self._settings)

    def read(self, path: str) -> CsvImport | None:
        """The list in a CSV, its unknown headers asked about once; None if not to be imported."""
        try:
            return read_entry_list(path, self._settings, self._window)
        except ImportCancelled as exc:
            self.editor.say(str(exc), "warn")
        except (EntryListError, OSError) as exc:
            self._explain(f"{Path(path).name}: {exc}. Nothing was imported.")
        return None

    def import_csv(self, path: str) -> bool:
        """Bring the session's entries to the CSV's: new cars added, changed ones undoable."""
        if not self.desk.editable:
            self._explain("A replay cannot be changed; branch a copy to import entries.")
            return False
        found = self.read(path)
        if found is None:
            return False
        if found.problems and not self._take_good_rows(found, Path(path).name):
            self.editor.say("Nothing imported.", "warn")
            return False
        competitors = self._controller.engine.entry_list()
        events = changes(competitors, found.entries, found.columns.values())
        added = [e for e in events if e.key not in competitors]
        pairs = [(competitors[e.key], e) for e in events if e.key in competitors]
        for event in events:
            problem = self.desk.problem(event)
            if problem:
                self._explain(f"{Path(path).name}: {problem} Nothing was imported.")
                return False
        if added and not self.desk.submit(added):
            return False
        if pairs:
            self.desk.apply(pairs, f"imported from {Path(path).name}")
        self._add_classes(found.class_names)
        unchanged = len(found.entries) - len(events)
        # the rows left out are counted too (their reasons were listed before they were)
        left_out = f"; {plural(len(found.problems), 'bad row')} left out" if found.problems else ""
        self.editor.say(
            f"{Path(path).name}: {len(added)} new, {len(pairs)} changed, {unchanged} as they "
            f"were{left_out}."
        )
        return True

    def _take_good_rows(self, found: CsvImport, name: str) -> bool:
        return take_good_rows(found, name, self._window, "Import none")

    # --- export and withdraw -------------------------------------------------------------------

    def export_csv(self, path: str | Path) -> bool:
        """Write the entry list to ``path`` whole (never over a session, the open one's files
        or what a link leads to there); said in the Entries tab and the status bar."""
        path = Path(path)
        entries = list(self._controller.engine.entry_list().values())
        text = io.StringIO()
        write_csv(entries, text)
        try:
            write_text(path, text.getvalue(), self._reads())  # whole, through a temporary file
        except UnsafeOutput as refused:  # said in the desk's words, not the command's
            self._explain(f"Entries not exported: {refusal_text(refused)}")
            return False
        except SessionFileError as exc:
            self._explain(f"Entries not exported: {exc}")
            return False
        self.editor.say(f"{plural(len(entries), 'entry', 'entries')} written to {path}.")
        if isinstance(self._window, QMainWindow):
            self._window.statusBar().showMessage(f"Entries exported to {path}", EXPORTED_SHOWN_MS)
        return True

    def _reads(self) -> list[Path]:
        """The open session: never written over."""
        session = self._controller.recorder.path
        return [session] if session is not None else []

    def refusal(self, path: Path) -> str:
        """Why the export dialog refuses ``path`` (a session, the open one's files), "" if not."""
        refused = unsafe_output(csv_name(path), self._reads())
        return refusal_text(refused) if refused is not None else ""

    def _on_editor_import_requested(self) -> None:
        start = str(working_folder(self._settings, shown_file(self._controller)))
        path, _ = QFileDialog.getOpenFileName(self._window, "Import entry list", start, CSV_FILTER)
        if path:
            remember_folder(self._settings, path)
            self.import_csv(path)

    def _on_editor_export_requested(self) -> None:
        folder = session_folder(self._settings, shown_file(self._controller))
        dialog = SaveDialog(self._window, "Export entry list", self.refusal, csv_name)
        dialog.setObjectName("exportEntriesDialog")
        dialog.setNameFilters(CSV_FILTER.split(";;"))
        dialog.setDirectory(str(folder))
        dialog.selectFile("entries.csv")
        dialog.fileSelected.connect(self._on_export_dialog_file_selected)
        dialog.finished.connect(dialog.deleteLater)
        self.export_dialog = dialog
        dialog.open()

    def _on_export_dialog_file_selected(self, path: str) -> None:
        remember_folder(self._settings, path)
        self.export_csv(csv_name(Path(path)))

    def _on_editor_withdraw_requested(self, key: str) -> None:
        entry = self._controller.engine.entry_list().get(key)
        if entry is None or not self.desk.editable:
            return
        answer = QMessageBox.question(
            self._window,
            "Withdraw car",
            f"Withdraw car {entry.car} ({entry.driver or 'no driver'}) from the session? "
            "It stays in the log as retired; Ctrl+Z takes it back.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        if self._corrections.correct(Retire(key=key), "withdrawn from the entry list"):
            self.editor.say(f"Car {entry.car} withdrawn.")

    def _explain(self, message: str) -> None:
        self.editor.say(message, "bad")
        QMessageBox.warning(self._window, "timingboard", message)
