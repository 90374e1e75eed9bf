"""File ▸ Export results, and Event ▸ Next session from these results."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QMainWindow, QMessageBox, QWidget

from timingboard.app.file_folders import remember_folder, session_folder, shown_file
from timingboard.app.save_dialog import SaveDialog
from timingboard.app.scratch import is_scratch
from timingboard.engine.session_end import unfinished
from timingboard.engine.settings import SessionKind
from timingboard.qt.action_registry import ActionId, make_action
from timingboard.qt.pdf_report import write_pdf
from timingboard.qt.session_controller import SessionController
from timingboard.reports.formats import format_of_name
from timingboard.reports.html import sheet_html
from timingboard.reports.results import write_csv, write_json
from timingboard.reports.sheet import ResultsSheet, SheetOptions, build_sheet
from timingboard.store.atomic import (
    UnsafeOutput,
    refuse_unsafe_output,
    replaced,
    unsafe_output,
    write_text,
)
from timingboard.store.names import free_path
from timingboard.store.progression import finishing_order, write_next
from timingboard.store.session_file import SessionFileError
from timingboard.text.event_text import lineup_made_text
from timingboard.text.file_text import refusal_text
from timingboard.widgets.lineup_dialog import LineupDialog

EXPORTED_SHOWN_MS = 15000


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """One choice of the export dialog's file types: what is written, with which extension."""

    label: str
    suffix: str
    paper: str = "a4"

    @property
    def name_filter(self) -> str:
        return f"{self.label} (*{self.suffix})"


EXPORT_FORMATS = (
    ExportFormat("PDF, A4", ".pdf", "a4"),
    ExportFormat("PDF, Letter", ".pdf", "letter"),
    ExportFormat("HTML", ".html"),
    ExportFormat("CSV", ".csv"),
    ExportFormat("JSON", ".json"),
)
EXPORT_FILTER = ";;".join(f.name_filter for f in EXPORT_FORMATS)
_BY_FILTER = {f.name_filter: f for f in EXPORT_FORMATS}
_NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def default_export_name(session_name: str, export_format: ExportFormat) -> str:
    """``Heat 1 results.pdf``: the session's name, made safe for a file name."""
    name = _NOT_IN_FILE_NAMES.sub("-", session_name).strip(" .-") or "session"
    return f"{name} results{export_format.suffix}"


def with_suffix_of(path: Path, export_format: ExportFormat) -> Path:
    """The path ending with the chosen format's extension (added when it ends otherwise)."""
    if path.suffix.lower() == export_format.suffix:
        return path
    return path.with_name(path.name + export_format.suffix)


class ResultsActions(QObject):
    """Signals
    -------
    sessions_created(list[str], str)
        New session files lined up from the results shown, and what was made, in words.
    """

    sessions_created = Signal(list, str)

    def __init__(self, controller: SessionController, window: QWidget, settings: QSettings) -> None:
        super().__init__(window)
        self._controller = controller
        self._settings = settings
        self.sheet_options: Callable[[], SheetOptions] | None = None  # set by the window
        self._window = window
        self.export_action = make_action(
            ActionId.EXPORT_RESULTS, window, self._on_export_action_triggered
        )
        self.lineup_action = make_action(
            ActionId.NEXT_SESSION, window, self._on_lineup_action_triggered
        )
        self.export_dialog: QFileDialog | None = None
        self.message_box: QMessageBox | None = None

    def export(self, path: str | Path, paper: str = "a4") -> None:
        """Write the results shown, in the format the file name ends with."""
        path = Path(path)
        engine = self._controller.engine
        sheet = self.sheet()
        written = format_of_name(path)
        reads = self._reads()
        refuse_unsafe_output(path, reads)
        if written == "pdf":
            write_pdf(sheet, path, paper, reads)
        elif written == "html":
            write_text(path, sheet_html(sheet), reads)
        elif written == "csv":
            with replaced(path, reads=reads, encoding="utf-8", newline="") as out:
                write_csv(sheet, out)
        elif written == "json":
            with replaced(path, reads=reads, encoding="utf-8", newline="") as out:
                write_json(sheet, out, engine)
        else:
            raise ValueError(
                f"cannot tell the format of {path.name}: use .pdf, .html, .csv or .json"
            )

    def _reads(self) -> list[Path]:
        """The open session: never written over."""
        session = self._controller.recorder.path
        return [session] if session is not None else []

    def refusal(self, path: Path) -> str:
        """Why the export dialog refuses ``path`` (a session, the open one's files), "" if not."""
        refused = unsafe_output(path, self._reads())
        return refusal_text(refused) if refused is not None else ""

    def sheet(self) -> ResultsSheet:
        """The results sheet of the session shown, with the sheet settings of File ▸ Results
        sheet (event, weather, signature lines)."""
        engine = self._controller.engine
        file = self._controller.recorder.file
        options = self.sheet_options() if self.sheet_options else SheetOptions()
        origin = file.origin if file is not None else None
        return build_sheet(engine, replace(options, origin=origin))

    def line_up(self, dialog: LineupDialog, folder: Path) -> list[Path]:
        """The sessions the dialog asks for, written as ``timingboard lineup`` writes them (the
        same rule, names, files and event.json record: store/progression.py write_next)."""
        source = self._controller.recorder.file
        source_path = source.path if source is not None else Path("session.tbs")
        laps = dialog.laps.value() or None
        return write_next(
            [(source_path, self._controller.engine)],
            dialog.request(),
            dialog.session_name() or "Session",
            folder,
            SessionKind(dialog.kind.currentData()),
            laps,
        )

    def export_as(self, path: str | Path, export_format: ExportFormat) -> Path | None:
        """Write the results in the chosen format, the extension added if the name lacks it;
        the outcome is told in the status bar, a failure also in a message box.

        The dialog asked before replacing the file named; a name it did not see (the extension
        added) never replaces a file: the next free name is taken.
        """
        chosen = Path(path)
        target = with_suffix_of(chosen, export_format)
        if target != chosen:
            target = free_path(target)
        try:
            if not target.parent.is_dir():
                raise OSError(f"there is no folder {target.parent}")
            self.export(target, export_format.paper)
            if not target.is_file():  # Qt's PDF writer says nothing when it cannot write
                raise OSError(f"cannot write {target}")
        except UnsafeOutput as refused:  # said in the desk's words, not the command's
            self._tell(f"Results not exported: {refusal_text(refused)}", failed=True)
            return None
        except Exception as exc:  # whatever went wrong, the operator is told
            self._tell(f"Results not exported: {exc}", failed=True)
            return None
        self._tell(f"Results exported to {target}")
        return target

    def _session_folder(self) -> Path:
        """Results go beside their session, unless it is in a folder that goes (the demo's)."""
        return session_folder(self._settings, shown_file(self._controller))

    def _event_folder(self) -> Path | None:
        """Where the next sessions go: the folder of the session shown (its event), asked only
        when it has none that lasts (the demo's goes at exit); None if the operator cancels."""
        path = self._controller.recorder.path
        if path is not None and not is_scratch(path):
            return path.parent
        chosen = QFileDialog.getExistingDirectory(
            self._window, "Folder of the event", str(Path.home())
        )
        return Path(chosen) if chosen else None

    def _on_export_action_triggered(self) -> None:
        dialog = SaveDialog(self._window, "Export results", self.refusal)
        dialog.setObjectName("exportDialog")
        dialog.setNameFilters([f.name_filter for f in EXPORT_FORMATS])
        dialog.setDirectory(str(self._session_folder()))
        first = EXPORT_FORMATS[0]
        dialog.selectNameFilter(first.name_filter)
        dialog.setDefaultSuffix(first.suffix.lstrip("."))
        dialog.selectFile(default_export_name(self._controller.engine.settings.name, first))
        dialog.filterSelected.connect(self._on_export_dialog_filter_selected)
        dialog.fileSelected.connect(self._on_export_dialog_file_selected)
        dialog.finished.connect(dialog.deleteLater)
        self.export_dialog = dialog
        dialog.open()

    def _on_export_dialog_filter_selected(self, name_filter: str) -> None:
        """Another file type: the suggested name follows it, unless the operator typed one."""
        dialog, chosen = self.export_dialog, _BY_FILTER.get(name_filter)
        if dialog is None or chosen is None:
            return
        dialog.setDefaultSuffix(chosen.suffix.lstrip("."))
        session = self._controller.engine.settings.name
        typed = Path(dialog.selectedFiles()[0]).name if dialog.selectedFiles() else ""
        if typed in {default_export_name(session, f) for f in EXPORT_FORMATS} | {""}:
            dialog.selectFile(default_export_name(session, chosen))

    def _on_export_dialog_file_selected(self, path: str) -> None:
        remember_folder(self._settings, path)
        dialog = self.export_dialog
        name_filter = dialog.selectedNameFilter() if dialog is not None else ""
        chosen = _BY_FILTER.get(name_filter, EXPORT_FORMATS[0])
        typed = Path(path).suffix.lower()  # a name typed with a type of its own says the format
        if typed != chosen.suffix:
            chosen = next((f for f in EXPORT_FORMATS if f.suffix == typed), chosen)
        self.export_as(path, chosen)

    def _tell(self, message: str, failed: bool = False) -> None:
        if isinstance(self._window, QMainWindow):
            self._window.statusBar().showMessage(message, EXPORTED_SHOWN_MS)
        if failed:
            box = QMessageBox(QMessageBox.Icon.Warning, "timingboard", message, parent=self._window)
            box.finished.connect(box.deleteLater)
            self.message_box = box
            box.open()

    def _on_lineup_action_triggered(self) -> None:
        """As ``timingboard lineup``: a session not finished is lined up only when the operator
        says so (the command's --allow-unfinished); the new sessions open, the first shown."""
        engine = self._controller.engine
        reason = unfinished(engine)
        if reason and not self._line_up_anyway(reason):
            return
        entries = engine.entry_list()
        cars = [entries[key].car for key in finishing_order(engine)]
        dialog = LineupDialog(engine.settings.name, cars, self._window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        folder = self._event_folder()
        if folder is None:
            return
        try:
            made = self.line_up(dialog, folder)
        except (SessionFileError, ValueError) as exc:
            QMessageBox.warning(self._window, "timingboard", f"Nothing was made: {exc}")
            return
        planned = zip(dialog.planned(), made, strict=True)  # one name a file, in their order
        said = lineup_made_text(
            [(name, path.name, len(grid)) for (name, grid), path in planned],
            folder,
            f"{dialog.request().describe()} from {engine.settings.name}",
        )
        self.sessions_created.emit([str(p) for p in made], said)

    def _line_up_anyway(self, reason: str) -> bool:
        asked = QMessageBox.question(
            self._window,
            "timingboard",
            f"{reason}. Line up the next session from these results all the same?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return asked == QMessageBox.StandardButton.Yes
