"""The corrections of the session for the audit view: who, when, what, why, still in force.

While a long session is opened (its board shown ahead of it, :meth:`AuditModel.hold_rows`) the
list has no row: the corrections of the session leaving stayed listed as if the new one's.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from timingboard.engine.audit import AuditRecord, audit_trail
from timingboard.engine.standings import BoardChange
from timingboard.qt.session_controller import SessionController

_DR = Qt.ItemDataRole
Index = QModelIndex | QPersistentModelIndex


class AuditColumn(IntEnum):
    NUMBER = 0
    AT = 1
    OPERATOR = 2
    ACTION = 3
    REASON = 4
    STATE = 5


HEADERS = {
    AuditColumn.NUMBER: "#",
    AuditColumn.AT: "When",
    AuditColumn.OPERATOR: "Operator",
    AuditColumn.ACTION: "Correction",
    AuditColumn.REASON: "Reason",
    AuditColumn.STATE: "State",
}

LONG_TEXTS = (AuditColumn.ACTION, AuditColumn.REASON)  # whole in their tooltips


class AuditModel(QAbstractTableModel):
    """Corrections in log order; new ones are appended, undone ones change state."""

    def __init__(self, controller: SessionController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._rows: list[AuditRecord] = audit_trail(controller.engine)
        self._held = False  # another session's board shown ahead of it: no row (hold_rows)
        controller.board_changed.connect(self._on_controller_board_changed)
        controller.session_reset.connect(self._on_controller_session_reset)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(AuditColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = _DR.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == _DR.DisplayRole:
            return HEADERS[AuditColumn(section)]
        return None

    def data(self, index: Index, role: int = _DR.DisplayRole) -> Any:
        if role not in (_DR.DisplayRole, _DR.ToolTipRole) or not index.isValid():
            return None
        if role == _DR.ToolTipRole and index.column() not in LONG_TEXTS:
            return None  # the long texts only: the view may cut them with "…"
        record = self._rows[index.row()]
        return {
            AuditColumn.NUMBER: str(record.number),  # 1, 2, 3: not the event's seq
            AuditColumn.AT: record.at.replace("T", " ").replace("+00:00", " UTC"),
            AuditColumn.OPERATOR: record.operator,
            AuditColumn.ACTION: record.action,
            AuditColumn.REASON: record.reason,
            AuditColumn.STATE: "in force" if record.in_force else "undone",
        }[AuditColumn(index.column())]

    def records(self) -> list[AuditRecord]:
        return list(self._rows)

    @property
    def loading(self) -> bool:
        """Another session is being opened (:meth:`hold_rows`): its corrections come once it
        is."""
        return self._held

    def hold_rows(self) -> None:
        """The board shows another session's rows ahead of it (read in a worker): the
        corrections of the session before go now, until the new one's come with its reset."""
        if self._held:
            return
        self.beginResetModel()
        self._held = True
        self._rows = []
        self.endResetModel()

    def release_rows(self) -> None:
        """The session being opened was not (failed, or dropped for another): the corrections
        of the session shown again."""
        if self._held:
            self._on_controller_session_reset()

    def _on_controller_board_changed(self, _change: BoardChange) -> None:
        if self._held:
            return  # the session leaving's: listed again, whole, if it stays
        if len(self._controller.engine.logged_corrections()) == len(self._rows):
            return  # what is in force changes only when a correction or an undo is logged
        fresh = audit_trail(self._controller.engine)
        for row, (old, new) in enumerate(zip(self._rows, fresh, strict=False)):
            if old != new:
                self._rows[row] = new
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(AuditColumn) - 1))
        if len(fresh) > len(self._rows):
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, len(fresh) - 1)
            self._rows.extend(fresh[first:])
            self.endInsertRows()

    def _on_controller_session_reset(self) -> None:
        self.beginResetModel()
        self._held = False
        self._rows = audit_trail(self._controller.engine)
        self.endResetModel()
