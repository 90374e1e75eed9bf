"""What every flat table of the board answers alike: its row and column counts and headers.

A table's columns are an ``IntEnum`` with a header text each (and a tooltip, for some); the
subclass says how many rows it has and what each cell holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import IntEnum
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
_DR = Qt.ItemDataRole


class ColumnTable(QAbstractTableModel):
    """A table model over ``columns``, headed by ``headers`` (tooltips from ``header_tips``)."""

    columns: ClassVar[type[IntEnum]]
    headers: ClassVar[Mapping[Any, str]]
    header_tips: ClassVar[Mapping[Any, str]] = {}

    def row_total(self) -> int:
        """How many rows the table has."""
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.row_total()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = _DR.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == _DR.DisplayRole:
            return self.headers[self.columns(section)]
        if role == _DR.ToolTipRole:
            return self.header_tips.get(self.columns(section))
        return None

    def holds(self, index: Index) -> bool:
        """Whether ``index`` is a cell of the table as it stands."""
        return index.isValid() and 0 <= index.row() < self.row_total()

    def whole_row_changed(self, row: int) -> None:
        """Every cell of ``row`` changed (one ``dataChanged`` over the row)."""
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))
