"""The sessions of an event as a table: kind, status, start, laps, winner, made from what."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QColor

from timingboard.qt.column_table import ColumnTable, Index
from timingboard.qt.summary_reader import SummaryReader
from timingboard.store.event_folder import (
    Known,
    Planned,
    SessionSummary,
    Status,
    being_read,
    planned,
)
from timingboard.text.event_text import EVENT_HEADERS, EventColumn, cell

PATH_ROLE = Qt.ItemDataRole.UserRole + 1


STATUS_COLOURS = {
    Status.SCHEDULED: "#9aa0a6",
    Status.LIVE: "#4cd964",
    Status.STOPPED: "#f29b38",
    Status.FINISHED: "#f2f2f2",
    Status.NO_LAPS: "#9aa0a6",
    Status.OFFICIAL: "#f2c200",
    Status.READING: "#9aa0a6",
}


class EventModel(ColumnTable):
    """One row a session file of the event folder, in the order the event made them.

    The files are read in a worker (:class:`SummaryReader`); a row says "reading…" until its
    file is read, then changes (one dataChanged).

    Signals
    -------
    reading_finished()
        Every file of the last listing or refresh has been read.
    """

    columns = EventColumn
    headers = EVENT_HEADERS
    reading_finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.folder: Path | None = None
        self._rows: list[SessionSummary] = []
        self.known: Known | None = None  # a session's summary at hand (the open one), not read
        self._reader = SummaryReader(self)
        self._reader.summary_read.connect(self._on_reader_summary_read)
        self._reader.finished.connect(self._on_reader_finished)
        self._read = 0  # the number of the read whose rows are taken

    @property
    def reading(self) -> bool:
        """Whether some rows still wait for their file to be read."""
        return self._read != 0

    def stop_reading(self) -> None:
        """Give up reading (the window closes): the worker ends before this returns."""
        self._reader.stop()
        self._read = 0

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
        """List another event's sessions (or none), their files read in the worker."""
        plans = planned(folder) if folder else []
        rows, unread = self._rows_for(plans, {})
        self.beginResetModel()
        self.folder = folder
        self._rows = rows
        self.endResetModel()
        self._read_files(unread)

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
        rows, unread = self._rows_for(planned(self.folder), {s.path: s for s in self._rows})
        self._read_files(unread)
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

    def _rows_for(
        self, plans: list[Planned], shown: dict[Path, SessionSummary]
    ) -> tuple[list[SessionSummary], list[Planned]]:
        """The rows for ``plans`` (at hand, else as shown, else "reading…") and the files to
        read."""
        rows, unread = [], []
        for plan in plans:
            at_hand = self.known(*plan) if self.known is not None else None
            if at_hand is None:
                unread.append(plan)
            rows.append(at_hand or shown.get(plan[0]) or being_read(*plan))
        return rows, unread

    def _read_files(self, plans: list[Planned]) -> None:
        if plans:
            self._read = self._reader.read(plans)
        else:
            self._reader.give_up()
            self._read = 0

    def _on_reader_summary_read(self, read: int, summary: SessionSummary) -> None:
        if read != self._read:
            return  # a read given up for a newer listing
        for row, shown in enumerate(self._rows):
            if shown.path == summary.path:
                if shown != summary:
                    self._rows[row] = summary
                    self.whole_row_changed(row)
                return

    def _on_reader_finished(self, read: int) -> None:
        if read == self._read:
            self._reader.give_up()  # its worker was joined as it said so
            self._read = 0
            self.reading_finished.emit()
