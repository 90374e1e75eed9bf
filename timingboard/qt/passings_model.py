"""Every passing of the session, newest first, with what the engine made of it."""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Callable, Iterable
from enum import IntEnum
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QModelIndex,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from timingboard.engine.car import PassingStatus
from timingboard.engine.standings import BoardChange
from timingboard.qt import frame_throttle
from timingboard.qt.column_table import ColumnTable, Index
from timingboard.qt.frame_throttle import AfterPaint, FrameThrottle
from timingboard.qt.gui_thread import release_when_idle
from timingboard.qt.passing_order import PassingOrder
from timingboard.qt.session_controller import SessionController
from timingboard.qt.session_source import SessionSource
from timingboard.store.replay_source import ReplaySource
from timingboard.text.board_text import transponder_named
from timingboard.text.passing_text import (
    HEADER_TIPS,
    HEADERS,
    PASSING_COLUMNS,
    PassingColumn,
    PassingRow,
    cell_look,
    cell_text,
    cell_tip,
    invalidate_label,
    passing_row,
)

_DR = Qt.ItemDataRole


class PassingRole(IntEnum):
    PASSING_ID = _DR.UserRole + 1
    OWNER = _DR.UserRole + 2
    ROW = _DR.UserRole + 3


class PassingsModel(ColumnTable):
    """The passings log; rows are inserted where their time puts them and refreshed precisely.

    Signals
    -------
    log_updated()
        After pending changes reached the rows (once a frame at most).

    A long session newly shown (``frame_throttle.DRAWN_LATER_FROM`` passings) is reset twice:
    at once with no row and :attr:`loading` true, then with its rows once the window painted
    (its board first): its log's first paint and measure (~40 ms) held the board's.
    """

    columns = PassingColumn
    headers = HEADERS
    header_tips = HEADER_TIPS
    log_updated = Signal()

    def __init__(self, controller: SessionController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._order = array("q")  # order keys (see _order_key): newest first
        self._rows: dict[int, PassingRow] = {}  # the rows the view has asked for
        self._texts: dict[int, tuple[str, ...]] = {}  # their cells' texts, column by column
        self._listed = _Listed()
        self._pending: set[int] = set()
        self._frame = FrameThrottle(self.flush, self)
        self._ordered = PassingOrder(_order_key)  # sorted once a session, filtered at a seek
        self._source = controller.recorder  # the session listed
        self._later = AfterPaint(self._on_later_run, self)  # a long session's rows
        self._held = False  # another session's board shown ahead of it: no row (hold_rows)
        controller.board_changed.connect(self._on_controller_board_changed)
        controller.session_reset.connect(self._on_controller_session_reset)
        self._load()

    @property
    def loading(self) -> bool:
        """A long session was just shown (or its board ahead of it, :meth:`hold_rows`): its
        rows come once the window painted."""
        return self._later.pending or self._held

    @property
    def shown_session(self) -> SessionSource:
        """The session whose passings the log lists (a correction offered on a row is for it)."""
        return self._source

    def hold_rows(self) -> None:
        """The board shows another session's rows ahead of it (read in a worker): the rows of
        the session before go now, "Loading passings…" until the new one's come (they stayed,
        and their corrections reached the new session once it was shown)."""
        if self._held:
            return
        self.beginResetModel()
        self._held = True
        self._frame.cancel()
        self._pending.clear()
        self._later.stop()
        self._unload()
        self.endResetModel()

    def release_rows(self) -> None:
        """The session whose board was shown ahead was not opened (failed, or dropped for
        another): the rows of the session shown again."""
        if self._held:
            self._held = False
            if self._controller.recorder is self._source:  # else its reset is on its way
                self._on_later_run()

    def row_total(self) -> int:
        return len(self._order)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._order)  # asked twice a cell painted

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else _COLUMN_TOTAL

    def driver_names(self) -> set[str]:
        """Every entered driver's whole name: what the log's Driver column must have room for
        (a car known by its transponder: its number, said in its Driver cell)."""
        engine = self._controller.engine
        labels = ((key, engine.driver_label(key, "")) for key in engine.cars())
        return {name or transponder_named(engine.car_label(key)) for key, name in labels} - {""}

    def invalidate_text(self, row: PassingRow) -> str | None:
        """The menu's words for invalidating the lap ``row`` completed (None: it completed
        none), :func:`text.passing_text.invalidate_label`."""
        return invalidate_label(self._controller.engine, row)

    def data(self, index: Index, role: int = _DR.DisplayRole) -> Any:
        if role not in _SERVED_ROLES:
            return None  # most of what a view asks of each cell (decoration, colours, size)
        if role == _DR.TextAlignmentRole:  # asked of every cell painted or measured
            return _RIGHT if index.column() in _RIGHT_ALIGNED else None
        if not index.isValid() or not 0 <= index.row() < len(self._order):
            return None
        pid = _passing_of(self._order[index.row()])
        if role == _DR.DisplayRole:  # asked of every cell at each paint: its row's texts kept
            texts = self._texts.get(pid)
            if texts is None:
                row = self._row(pid)
                texts = self._texts[pid] = tuple(cell_text(row, c) for c in PASSING_COLUMNS)
            return texts[index.column()]
        row = self._row(pid)
        if role == _DR.ToolTipRole:
            return cell_tip(row, PassingColumn(index.column()))
        if role == _DR.FontRole:
            return _struck_font() if row.status is PassingStatus.DELETED else None
        if role == PassingRole.PASSING_ID:
            return row.passing_id
        if role == PassingRole.OWNER:
            return row.owner
        if role == PassingRole.ROW:
            return row
        return None

    def passing_id_at(self, row: int) -> int:
        """The passing a row shows (its ``PassingRole.PASSING_ID``), read without Qt."""
        return _passing_of(self._order[row])

    def row_of(self, passing_id: int) -> int:
        record = self._controller.engine.passing(passing_id)
        key = _order_key(record.time_ms, passing_id)
        row = bisect.bisect_left(self._order, key)
        return row if row < len(self._order) and self._order[row] == key else -1

    def flush(self) -> None:
        """New passings get their rows; rows the view has shown are refreshed if they changed."""
        self._frame.ran()
        engine = self._controller.engine
        pending, self._pending = self._pending, set()
        new = [pid for pid in pending if engine.has_passing(pid) and pid not in self._listed]
        self._insert(sorted(_order_key(engine.passing(pid).time_ms, pid) for pid in new))
        for pid in sorted(pending):
            if pid in self._rows and engine.has_passing(pid):
                self._refresh(pid, passing_row(engine, pid))
        self.log_updated.emit()

    def _row(self, pid: int) -> PassingRow:
        """Rows are made when the view first asks for them: a 24 h log has 120k."""
        row = self._rows.get(pid)
        if row is None:
            row = self._rows[pid] = passing_row(self._controller.engine, pid)
        return row

    def _insert(self, keys: list[int]) -> None:
        """New rows, by sorted order keys: each run that lands in one place goes in at once
        (a replay seek forward brings a thousand at the top of a 120k-row log)."""
        runs: list[tuple[int, list[int]]] = []
        for key in keys:
            position = bisect.bisect_left(self._order, key)
            if runs and runs[-1][0] == position:
                runs[-1][1].append(key)
            else:
                runs.append((position, [key]))
        inserted = 0
        for position, run in runs:
            first = position + inserted
            self.beginInsertRows(QModelIndex(), first, first + len(run) - 1)
            self._order[first:first] = array("q", run)
            self._listed.update(_passing_of(key) for key in run)
            self.endInsertRows()
            inserted += len(run)

    def _refresh(self, pid: int, row: PassingRow) -> None:
        """One dataChanged for the row: the columns whose look changed (text, tooltip, the
        Status cell's words for a correction), with the roles that changed."""
        old = self._rows[pid]
        if old == row:
            return
        self._rows[pid] = row
        self._texts.pop(pid, None)
        position = self.row_of(pid)
        before = [cell_look(old, c) for c in PassingColumn]
        after = [cell_look(row, c) for c in PassingColumn]
        changed = [c for c in PassingColumn if before[c] != after[c]]
        roles: list[int] = [PassingRole.ROW]  # the row itself (the Status cell's delegate reads it)
        if any(before[c].texts != after[c].texts for c in changed):
            roles.append(_DR.DisplayRole)
        if any(before[c].tip != after[c].tip for c in changed):
            roles.append(_DR.ToolTipRole)
        if old.owner != row.owner:
            roles.append(PassingRole.OWNER)
        struck = (old.status is PassingStatus.DELETED) != (row.status is PassingStatus.DELETED)
        if struck:
            roles.append(_DR.FontRole)
        if struck or not changed:  # struck through or no more: the font of every cell
            first, last = 0, len(PassingColumn) - 1
        else:
            first, last = min(changed), max(changed)
        self.dataChanged.emit(self.index(position, first), self.index(position, last), roles)

    def _on_controller_board_changed(self, change: BoardChange) -> None:
        if self.loading:
            return  # its rows are all read once it is loaded
        if change.competitors_changed:  # a name imported, fixed or undone: rows shown say it
            self._pending |= set(self._rows)
        if change.passings_touched or change.competitors_changed:
            self._pending |= change.passings_touched
            self._frame.request()

    def prepared_for(self, recorder: SessionSource) -> Callable[[], None]:
        """In a worker, a session about to be shown: its passings sorted there (~0.2 s of the
        window's thread with a 24 h log); the call returned, on the window's thread before the
        session is shown, hands the order over (the reset then finds it sorted)."""
        order = PassingOrder(_order_key)
        order.of(recorder, recorder.engine)

        def hand_over() -> None:
            self._ordered = order

        return hand_over

    def prepared_for_replay(self, source: ReplaySource) -> Callable[[], None]:
        """In a worker, a replay about to be shown: the order of its whole log sorted there;
        handed over on the window's thread as :meth:`prepared_for`'s is."""
        order = PassingOrder(_order_key)
        order.of_log(source, source.timeline.log)

        def hand_over() -> None:
            self._ordered = order

        return hand_over

    def _on_controller_session_reset(self) -> None:
        self._held = False
        new = self._controller.recorder is not self._source
        self._source = self._controller.recorder
        later = new and self._controller.engine.passing_count() >= frame_throttle.DRAWN_LATER_FROM
        self.beginResetModel()
        self._frame.cancel()
        self._pending.clear()
        if later:  # no row until the board is painted: the log says it is loading
            self._unload()
            self._later.start()
        else:
            self._later.stop()
            self._load()
        self.endResetModel()

    def _on_later_run(self) -> None:
        self.beginResetModel()
        self._load()
        self.endResetModel()

    def _unload(self) -> None:
        if self._rows or self._texts:
            release_when_idle([self._rows, self._texts])
        self._rows = {}
        self._texts = {}
        self._order, self._listed = array("q"), _Listed()

    def _load(self) -> None:
        # the rows and texts made for the previous session (a 24 h log's 120k of each, ~45 ms
        # to free at once) are freed in slices between events, not in the switch
        self._unload()
        order, ids = self._ordered.of(self._controller.recorder, self._controller.engine)
        self._order, self._listed = order, _Listed.of_array(ids)


_COLUMN_TOTAL = len(PassingColumn)
_SERVED_ROLES = frozenset(
    {_DR.DisplayRole, _DR.FontRole, _DR.TextAlignmentRole, _DR.ToolTipRole, *PassingRole}
)
_RIGHT_ALIGNED = frozenset({PassingColumn.LAP, PassingColumn.LAP_TIME})
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def _struck_font() -> QFont:
    font = QFont()
    font.setStrikeOut(True)
    return font


_ID_SPAN = 1 << 32  # passing ids are sequence numbers, far below this


def _order_key(time_ms: int, passing_id: int) -> int:
    """Where a passing sorts: latest time first, then the later id. A plain int rather than a
    tuple: a 24 h log has 120k of them, and ints are not tracked by the garbage collector
    (building the tuples set off full collections of ~50 ms on a replay seek). Kept packed,
    8 bytes each (``array``), not as int objects (40 bytes each with the list's slot: 4 MB for
    a 24 h log): session times are checked to be at most ten days (2^31 ms would not fit)."""
    return -(time_ms * _ID_SPAN + passing_id)


def _passing_of(key: int) -> int:
    return -key % _ID_SPAN


class _Listed:
    """The passing ids that have a row: one bit each, by id (ids are sequence numbers), where
    a set of 120k ids took 4 MB."""

    __slots__ = ("_bits",)

    def __init__(self, ids: Iterable[int] = ()) -> None:
        self._bits = bytearray()
        self.update(ids)

    @classmethod
    def of_array(cls, ids: np.ndarray) -> _Listed:
        """The ids of a whole log at once, as numpy sets their bits (a 24 h log's 120k ids one
        at a time took ~20 ms of each replay seek)."""
        listed = cls()
        if ids.size:
            mask = np.zeros(int(ids.max()) + 1, dtype=bool)
            mask[ids] = True
            listed._bits = bytearray(np.packbits(mask, bitorder="little").tobytes())
        return listed

    def update(self, ids: Iterable[int]) -> None:
        bits = self._bits
        for pid in ids:
            byte = pid >> 3
            if byte >= len(bits):
                bits.extend(bytes(byte + 1 - len(bits) + 4096))
            bits[byte] |= 1 << (pid & 7)

    def __contains__(self, pid: int) -> bool:
        byte = pid >> 3
        return 0 <= byte < len(self._bits) and bool(self._bits[byte] & (1 << (pid & 7)))
