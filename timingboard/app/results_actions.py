"""File ▸ Export results, and Event ▸ Next session from these results."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from timingboard.engine.settings import SessionKind
from timingboard.qt.pdf_report import write_pdf
from timingboard.qt.session_controller import SessionController
from timingboard.reports.html import results_html
from timingboard.reports.results import write_csv, write_json
from timingboard.store.atomic import refuse_unsafe_output, replaced, write_text
from timingboard.store.progression import write_next
from timingboard.store.session_file import SessionFileError
from timingboard.widgets.lineup_dialog import LineupDialog

EXPORT_FILTER = "PDF, A4 (*.pdf);;PDF, Letter (*.pdf);;HTML (*.html);;CSV (*.csv);;JSON (*.json)"


class ResultsActions(QObject):
    """Signals
    -------
    sessions_created(list[str])
        New session files lined up from the results shown.
    """

    sessions_created = Signal(list)

    def __init__(self, controller: SessionController, window: QWidget) -> None:
        super().__init__(window)
        self._controller = controller
        self._window = window
        self.export_action = QAction("&Export results…", window)
        self.export_action.triggered.connect(self._on_export_action_triggered)
        self.lineup_action = QAction("&Next session from these results…", window)
        self.lineup_action.triggered.connect(self._on_lineup_action_triggered)

    def export(self, path: str | Path, paper: str = "a4") -> None:
        """Write the results shown, in the format the file name ends with."""
        path = Path(path)
        engine = self._controller.engine
        suffix = path.suffix.lower()
        session = getattr(self._controller.recorder, "path", None) or getattr(
            getattr(self._controller.recorder, "file", None), "path", None
        )
        reads = [session] if session is not None else []  # never written over
        refuse_unsafe_output(path, reads)
        if suffix == ".pdf":
            write_pdf(results_html(engine), path, engine.settings.name, paper, reads)
        elif suffix in (".html", ".htm"):
            write_text(path, results_html(engine), reads)
        elif suffix in (".csv", ".json"):
            with replaced(path, reads=reads, encoding="utf-8", newline="") as out:
                (write_csv if suffix == ".csv" else write_json)(engine, out)
        else:
            raise ValueError(
                f"cannot tell the format of {path.name}: use .pdf, .html, .csv or .json"
            )

    def line_up(self, dialog: LineupDialog, folder: Path) -> list[Path]:
        source = getattr(self._controller.recorder, "file", None)
        source_path = source.path if source is not None else Path("session.tbs")
        laps = dialog.laps.value() or None
        return write_next(
            [(source_path, self._controller.engine)],
            dialog.request(),
            dialog.name.text().strip() or "Session",
            folder,
            SessionKind(dialog.kind.currentData()),
            laps,
        )

    def _on_export_action_triggered(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(
            self._window, "Export results", "", EXPORT_FILTER
        )
        if not path:
            return
        try:
            self.export(path, "letter" if "Letter" in chosen else "a4")
        except (OSError, ValueError, SessionFileError) as exc:
            QMessageBox.warning(self._window, "timingboard", str(exc))

    def _on_lineup_action_triggered(self) -> None:
        dialog = LineupDialog(self._controller.engine.settings.name, self._window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        folder = QFileDialog.getExistingDirectory(self._window, "Folder of the event")
        if not folder:
            return
        try:
            made = self.line_up(dialog, Path(folder))
        except (SessionFileError, ValueError) as exc:
            QMessageBox.warning(self._window, "timingboard", str(exc))
            return
        self.sessions_created.emit([str(p) for p in made])
