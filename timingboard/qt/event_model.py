"""The sessions of an event as a table: kind, status, start, laps, winner, made from what."""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from timingboard.store.event_folder import Known, SessionSummary, Status, summarise

Index = QModelIndex | QPersistentModelIndex
PATH_ROLE = Qt.ItemDataRole.UserRole + 1


class EventColumn(IntEnum):
    SESSION = 0
    KIND = 1
    STATUS = 2
    STARTED = 3
    LAPS = 4
    WINNER = 5
    MADE_FROM = 6


EVENT_HEADERS = {
    EventColumn.SESSION: "Session",
    EventColumn.KIND: "Kind",
    EventColumn.STATUS: "Status",
    EventColumn.STARTED: "Started",
    EventColumn.LAPS: "Laps",
    EventColumn.WINNER: "Winner / leader",
    EventColumn.MADE_FROM: "Made from",
}
STATUS_COLOURS = {
    Status.SCHEDULED: "#9aa0a6",
    Status.LIVE: "#4cd964",
    Status.STOPPED: "#f29b38",
    Status.FINISHED: "#f2f2f2",
    Status.OFFICIAL: "#f2c200",
}


def cell(summary: SessionSummary, column: EventColumn) -> str:
    match column:
        case EventColumn.SESSION:
            return summary.name
        case EventColumn.KIND:
            return summary.kind.value.capitalize()
        case EventColumn.STATUS:
            return f"unreadable: {summary.problem}" if summary.problem else summary.status.value
        case EventColumn.STARTED:
            return summary.started
        case EventColumn.LAPS:
            return "" if summary.laps is None else str(summary.laps)
        case EventColumn.WINNER:
            return summary.winner
        case EventColumn.MADE_FROM:
            made = ", ".join(Path(name).stem for name in summary.made_from)
            rule = summary.rule if summary.rule not in ("", "new", "entries") else ""
            if made and rule:
                return f"{made} ({rule})"
            return made or ("entries of it" if summary.rule == "entries" else "")


class EventModel(QAbstractTableModel):
    """One row a session file of the event folder, in the order the event made them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.folder: Path | None = None
        self._rows: list[SessionSummary] = []
        self.known: Known | None = None  # a session's summary at hand (the open one), not read

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(EventColumn)

    def rows(self) -> list[SessionSummary]:
        return list(self._rows)

    def summary(self, row: int) -> SessionSummary:
        return self._rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
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

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(EventColumn)
        ):
            return EVENT_HEADERS[EventColumn(section)]
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
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(EventColumn) - 1))

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
        last = len(EventColumn) - 1
        for row, (was, now) in enumerate(zip(self._rows, rows, strict=False)):
            if was != now:
                self._rows[row] = now
                self.dataChanged.emit(self.index(row, 0), self.index(row, last))
        if len(rows) > len(old):
            self.beginInsertRows(QModelIndex(), len(old), len(rows) - 1)
            self._rows.extend(rows[len(old) :])
            self.endInsertRows()
