"""The session's entry list as a table: one row a registered car, in car-number order.

Rows follow the log: a car added is one inserted row, a changed car one ``dataChanged`` over its
row, a renumbered car one move. Edits go through the :class:`EntryDesk`, so they are logged.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from timingboard.engine.events import CompetitorSet
from timingboard.qt.entry_desk import EntryDesk
from timingboard.store.entry_list import (
    driver_name,
    number_order,
    parse_grid,
    split_driver,
    split_transponders,
)

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


class EntryColumn(IntEnum):
    NUMBER = 0
    FIRST = 1
    LAST = 2
    TEAM = 3
    MAKE = 4
    CLASS = 5
    TRANSPONDERS = 6
    GRID = 7


ENTRY_HEADERS = {
    EntryColumn.NUMBER: "No",
    EntryColumn.FIRST: "First name",
    EntryColumn.LAST: "Last name",
    EntryColumn.TEAM: "Team",
    EntryColumn.MAKE: "Make",
    EntryColumn.CLASS: "Class",
    EntryColumn.TRANSPONDERS: "Transponders",
    EntryColumn.GRID: "Grid",
}


def cell_text(entry: CompetitorSet, column: EntryColumn) -> str:
    first, last = split_driver(entry.driver)
    match column:
        case EntryColumn.NUMBER:
            return entry.car
        case EntryColumn.FIRST:
            return first
        case EntryColumn.LAST:
            return last
        case EntryColumn.TEAM:
            return entry.team
        case EntryColumn.MAKE:
            return entry.make
        case EntryColumn.CLASS:
            return entry.car_class
        case EntryColumn.TRANSPONDERS:
            return " ".join(entry.transponders)
        case EntryColumn.GRID:
            return "" if entry.grid is None else str(entry.grid)


def edited(entry: CompetitorSet, column: EntryColumn, text: str) -> CompetitorSet | str:
    """The entry with one cell typed anew, or why the text cannot go there."""
    text = text.strip()
    first, last = split_driver(entry.driver)
    match column:
        case EntryColumn.NUMBER:
            return dataclasses.replace(entry, car=text)
        case EntryColumn.FIRST:
            return dataclasses.replace(entry, driver=driver_name(text, last))
        case EntryColumn.LAST:
            return dataclasses.replace(entry, driver=driver_name(first, text))
        case EntryColumn.TEAM:
            return dataclasses.replace(entry, team=text)
        case EntryColumn.MAKE:
            return dataclasses.replace(entry, make=text)
        case EntryColumn.CLASS:
            return dataclasses.replace(entry, car_class=text)
        case EntryColumn.TRANSPONDERS:
            return dataclasses.replace(entry, transponders=split_transponders(text))
        case EntryColumn.GRID:
            if not text:
                return dataclasses.replace(entry, grid=None)
            slot = parse_grid(text)
            if slot is None:
                return f"{text!r} is not a grid slot (1 to 999)."
            return dataclasses.replace(entry, grid=slot)


class EntriesModel(QAbstractTableModel):
    """The registered cars of the session shown, editable through the desk."""

    def __init__(
        self,
        desk: EntryDesk,
        class_colour: Callable[[str], str | None] = lambda _name: None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._class_colour = class_colour
        self._rows: list[str] = []
        self._shown: dict[str, CompetitorSet] = {}
        controller = desk.controller
        controller.board_changed.connect(self._on_controller_board_changed)
        controller.session_reset.connect(self._on_controller_session_reset)
        self._load()

    # --- reading -------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(EntryColumn)

    def entry(self, row: int) -> CompetitorSet:
        return self._shown[self._rows[row]]

    def row_of(self, car: str) -> int | None:
        for row, key in enumerate(self._rows):
            if self._shown[key].car == car:
                return row
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        entry = self.entry(index.row())
        column = EntryColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return cell_text(entry, column)
        if role == SORT_ROLE:
            if column is EntryColumn.NUMBER:
                number, length, text = number_order(entry.car)
                return f"{number:010d}{length:02d}{text}"
            if column is EntryColumn.GRID:
                return entry.grid if entry.grid is not None else 1 << 20
            return cell_text(entry, column).casefold()
        if role == Qt.ItemDataRole.DecorationRole and column is EntryColumn.CLASS:
            colour = self._class_colour(entry.car_class) if entry.car_class else None
            return QColor(colour) if colour else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            EntryColumn.NUMBER,
            EntryColumn.GRID,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(EntryColumn)
        ):
            return ENTRY_HEADERS[EntryColumn(section)]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._desk.editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    # --- editing -------------------------------------------------------------------------------

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        entry = self.entry(index.row())
        change = edited(entry, EntryColumn(index.column()), str(value))
        if isinstance(change, str):
            self._desk.refused.emit(change)
            return False
        return self._desk.set_entry(change)

    def refresh_classes(self) -> None:
        """The class colours changed: the class cells are drawn again."""
        if self._rows:
            self.dataChanged.emit(
                self.index(0, EntryColumn.CLASS),
                self.index(len(self._rows) - 1, EntryColumn.CLASS),
                [Qt.ItemDataRole.DecorationRole],
            )

    # --- following the log ---------------------------------------------------------------------

    def _order(self) -> list[str]:
        competitors = self._desk.controller.engine.competitors
        return sorted(competitors, key=lambda key: number_order(competitors[key].car))

    def _load(self) -> None:
        self._shown = dict(self._desk.controller.engine.competitors)
        self._rows = self._order()

    def _on_controller_session_reset(self) -> None:
        self.beginResetModel()
        self._load()
        self.endResetModel()

    def _on_controller_board_changed(self, change: object) -> None:
        if getattr(change, "competitors_changed", False):
            self._follow()

    def _follow(self) -> None:
        competitors = self._desk.controller.engine.competitors
        changed = [k for k in self._rows if competitors.get(k) != self._shown[k]]
        self._shown.update({k: competitors[k] for k in changed})
        target = self._order()
        for i, key in enumerate(target):
            if i < len(self._rows) and self._rows[i] == key:
                continue
            if key in self._rows:
                j = self._rows.index(key)
                self.beginMoveRows(QModelIndex(), j, j, QModelIndex(), i)
                self._rows.insert(i, self._rows.pop(j))
                self.endMoveRows()
            else:
                self.beginInsertRows(QModelIndex(), i, i)
                self._rows.insert(i, key)
                self._shown[key] = competitors[key]
                self.endInsertRows()
        last = len(EntryColumn) - 1
        for key in changed:
            row = self._rows.index(key)
            self.dataChanged.emit(self.index(row, 0), self.index(row, last))
