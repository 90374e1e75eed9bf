"""The sessions of an event as a table: kind, status, start, laps, winner, made from what."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QColor

from timingboard.qt.column_table import ColumnTable, Index
from timingboard.store.event_folder import Known, SessionSummary, Status, summarise
from timingboard.text.event_text import EVENT_HEADERS, EventColumn, cell

PATH_ROLE = Qt.ItemDataRole.UserRole + 1


STATUS_COLOURS = {
    Status.SCHEDULED: "#9aa0a6",
    Status.LIVE: "#4cd964",
    Status.STOPPED: "#f29b38",
    Status.FINISHED: "#f2f2f2",
    Status.OFFICIAL: "#f2c200",
}


class EventModel(ColumnTable):
    """One row a session file of the event folder, in the order the event made them."""

    columns = EventColumn
    headers = EVENT_HEADERS

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.folder: Path | None = None
        self._rows: list[SessionSummary] = []
        self.known: Known | None = None  # a session's summary at hand (the open one), not read

    def row_total(self) -> int:
        return len(self._rows)

    def rows(self) -> list[SessionSummary]:
        return list(self._rows)

    def summary(self, row: int) -> SessionSummary:
        return self._rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.holds(index):
            return None
        summary = self._rows[index.row()]
        column = EventColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return cell(summary, column)
        if role == PATH_ROLE:
            return str(summary.path)
        if role == Qt.ItemDataRole.ForegroundRole and column is EventColumn.STATUS:
            return QColor(STATUS_COLOURS[summary.status])
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(summary.path)
        return None

    def show_folder(self, folder: Path | None) -> None:
        """List another event's sessions (or none)."""
        self.beginResetModel()
        self.folder = folder
        self._rows = summarise(folder, self.known) if folder else []
        self.endResetModel()

    def update(self, summary: SessionSummary) -> None:
        """One session's row as it now stands (the open session, as its laps go by)."""
        for row, shown in enumerate(self._rows):
            if shown.path == summary.path and shown != summary:
                self._rows[row] = summary
                self.whole_row_changed(row)

    def refresh(self) -> None:
        """Read the folder again: new sessions are inserted rows, changed ones changed rows."""
        if self.folder is None:
            return
        rows = summarise(self.folder, self.known)
        old = [s.path for s in self._rows]
        new = [s.path for s in rows]
        if new[: len(old)] != old:
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()
            return
        for row, (was, now) in enumerate(zip(self._rows, rows, strict=False)):
            if was != now:
                self._rows[row] = now
                self.whole_row_changed(row)
        if len(rows) > len(old):
            self.beginInsertRows(QModelIndex(), len(old), len(rows) - 1)
            self._rows.extend(rows[len(old) :])
            self.endInsertRows()
