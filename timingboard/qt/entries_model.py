"""The session's entry list as a table: one row a registered car, in car-number order.

Rows follow the log: a car added is one inserted row, a changed car one ``dataChanged`` over its
row, a renumbered car one move. Edits go through the :class:`EntryDesk`, so they are logged.
While a long session is opened (its board shown ahead of it, :meth:`EntriesModel.hold_rows`)
the list has no row: the cars of the session leaving stayed listed, not to be changed. A long
session newly shown (``frame_throttle.DRAWN_LATER_FROM`` passings) lists its cars after the
window painted (its board first), in a turn of their own: listed and measured in the turn of
the switch, they held the GUI thread ~8 ms more in its longest stall, and their paint with it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from timingboard.engine.events import CompetitorSet
from timingboard.qt import frame_throttle
from timingboard.qt.column_table import ColumnTable, Index
from timingboard.qt.entry_desk import EntryDesk
from timingboard.qt.frame_throttle import AfterPaint
from timingboard.store.entry_list import (
    number_order,
)
from timingboard.text.entry_text import ENTRY_HEADERS, EntryColumn, cell_text, edited

SORT_ROLE = Qt.ItemDataRole.UserRole + 1


RESET_FROM = 8  # cars added at once (an entry list imported, a replay's start): a reset


class EntriesModel(ColumnTable):
    """The registered cars of the session shown, editable through the desk."""

    columns = EntryColumn
    headers = ENTRY_HEADERS

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
        self._held = False  # another session's board shown ahead of it: no row (hold_rows)
        self._later = AfterPaint(self.release_rows, self)  # a long session's cars
        controller = desk.controller
        controller.board_changed.connect(self._on_controller_board_changed)
        controller.session_reset.connect(self._on_controller_session_reset)
        self._load()

    # --- reading -------------------------------------------------------------------------------

    @property
    def loading(self) -> bool:
        """Another session is being opened (:meth:`hold_rows`): its cars come once it is (a
        long one's after the window's next paint)."""
        return self._held

    def hold_rows(self) -> None:
        """The board shows another session's rows ahead of it (read in a worker): the cars of
        the session before go now, until the new one's come with its reset."""
        self._later.stop()  # another is opened: its reset lists what is shown then
        if self._held:
            return
        self.beginResetModel()
        self._held = True
        self._rows, self._shown = [], {}
        self.endResetModel()

    def release_rows(self) -> None:
        """The session being opened was not (failed, or dropped for another): the cars of the
        session shown again (another shown meanwhile: its reset has listed them)."""
        self._later.stop()
        if not self._held:
            return
        self.beginResetModel()
        self._held = False
        self._load()
        self.endResetModel()

    def row_total(self) -> int:
        return len(self._rows)

    def entry(self, row: int) -> CompetitorSet:
        return self._shown[self._rows[row]]

    def column_texts(self, column: EntryColumn) -> list[str]:
        """Every row's text in ``column`` (to fit the column to them)."""
        return [self._text(key, column) for key in self._rows]

    def _text(self, key: str, column: EntryColumn) -> str:
        """A cell as shown: the Transponders cell with those assigned to the car since."""
        if column is EntryColumn.TRANSPONDERS:
            return " ".join(self._desk.controller.engine.transponders_of(key))
        return cell_text(self._shown[key], column)

    def row_of(self, car: str) -> int | None:
        for row, key in enumerate(self._rows):
            if self._shown[key].car == car:
                return row
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.holds(index):
            return None
        entry = self.entry(index.row())
        column = EntryColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(self._rows[index.row()], column)
        if role == Qt.ItemDataRole.EditRole:  # the entry's own: an assignment is a correction
            return cell_text(entry, column)
        if role == SORT_ROLE:
            if column is EntryColumn.NUMBER:
                number, length, text = number_order(entry.car)
                return f"{number:010d}{length:02d}{text}"
            if column is EntryColumn.GRID:
                return entry.grid if entry.grid is not None else 1 << 20
            return self._text(self._rows[index.row()], column).casefold()
        if role == Qt.ItemDataRole.DecorationRole and column is EntryColumn.CLASS:
            colour = self._class_colour(entry.car_class) if entry.car_class else None
            return QColor(colour) if colour else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            EntryColumn.NUMBER,
            EntryColumn.GRID,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
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
        competitors = self._desk.controller.engine.entry_list()
        return sorted(competitors, key=lambda key: number_order(competitors[key].car))

    def _load(self) -> None:
        self._source = self._desk.controller.recorder  # the session the rows are of
        self._shown = dict(self._desk.controller.engine.entry_list())
        self._rows = self._order()
        self._assigned = dict(self._desk.controller.engine.assigned_transponders())

    def _on_controller_session_reset(self) -> None:
        controller = self._desk.controller
        source = controller.recorder
        new = source is not self._source
        if new and controller.engine.passing_count() >= frame_throttle.DRAWN_LATER_FROM:
            self.hold_rows()  # none of the session before's meanwhile, not to be changed
            self._later.start()  # listed once the window painted (its board first)
            return
        if self._held:
            self.release_rows()  # the session shown now, whichever it is
            return
        if source is self._source and self._shown == dict(
            self._desk.controller.engine.entry_list()
        ):
            self._follow_assignments()  # a seek to before an assignment, or after it
            return  # a replay's seek, the same entries: no reset (it measured every row again)
        self.beginResetModel()
        self._load()
        self.endResetModel()

    def _on_controller_board_changed(self, change: object) -> None:
        if self._held:
            return  # the session leaving's: listed again, whole, if it stays
        if getattr(change, "competitors_changed", False):
            self._follow()
        self._follow_assignments()

    def _follow_assignments(self) -> None:
        """A transponder assigned to a car (or the assignment undone): the Transponders cells
        of the cars it left and went to, one ``dataChanged`` each."""
        assigned = self._desk.controller.engine.assigned_transponders()
        if assigned == self._assigned:
            return
        before, self._assigned = self._assigned, dict(assigned)
        moved = {t for t in before.keys() | assigned.keys() if before.get(t) != assigned.get(t)}
        keys = {before.get(t) for t in moved} | {assigned.get(t) for t in moved}
        keys |= {k for k, c in self._shown.items() if moved & set(c.transponders)}
        column = EntryColumn.TRANSPONDERS
        for row, key in enumerate(self._rows):
            if key in keys:
                cell = self.index(row, column)
                self.dataChanged.emit(cell, cell, [Qt.ItemDataRole.DisplayRole])

    def _follow(self) -> None:
        competitors = self._desk.controller.engine.entry_list()
        if len(competitors) - len(self._rows) > RESET_FROM:  # an entry list read in at once
            self.beginResetModel()  # one reset, not a row inserted (and measured) each car:
            self._load()  # 60 inserts were ~50 ms of a replay's first seek at 24 h
            self.endResetModel()
            return
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
        for key in changed:
            self.whole_row_changed(self._rows.index(key))


class EntriesProxy(QSortFilterProxyModel):
    """The entries as the list sorts and filters them (by :data:`SORT_ROLE`).

    By car number upwards (the list's first order) it keeps the model's own order, which is
    that one: sorted by Qt, every reset compared the rows through two ``data()`` calls each
    (~500 for 60 cars: the longest part of a long session's views' reset)."""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column == EntryColumn.NUMBER and order == Qt.SortOrder.AscendingOrder:
            column = -1  # the model's rows as they stand
        super().sort(column, order)
