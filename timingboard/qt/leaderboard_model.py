"""The leaderboard as a table model, updated precisely and at the screen's pace.

Changes from the engine are gathered and applied once a frame: the model moves its own rows
one ``beginMoveRows`` at a time (persistent indexes follow the cars) and sends one
``dataChanged`` per changed row covering exactly the columns that changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont

from timingboard.engine.standings import (
    BoardChange,
    CarStatus,
    RowOp,
    Standing,
    changed_fields,
    order_ops,
)
from timingboard.qt import session_clock
from timingboard.qt.board_columns import Role
from timingboard.qt.class_colours import ClassColours
from timingboard.qt.frame_throttle import FrameThrottle
from timingboard.qt.session_controller import SessionController
from timingboard.qt.session_source import SessionSource
from timingboard.qt.theme import DARK, Theme
from timingboard.text.board_columns import (
    CLASS_COLUMNS,
    COLUMN_FIELDS,
    COLUMNS,
    FIELD_COLUMNS,
    HEADER_TIPS,
    HEADERS,
    OPTIONAL_COLUMNS,
    PIT_COLUMNS,
    SECTOR_COLUMNS,
    SECTOR_OF,
    Column,
)
from timingboard.text.board_text import (
    ASSIGN_NO_ENTRIES,
    ASSIGN_NOT_UNKNOWN,
    SESSION_BEST,
    display_text,
    time_mark,
    tooltip_text,
)

CROSSED_HIGHLIGHT_MS = 1500
_DR = Qt.ItemDataRole

Index = QModelIndex | QPersistentModelIndex


DATA_ROLES = [
    _DR.DisplayRole,
    _DR.ForegroundRole,
    _DR.BackgroundRole,
    _DR.ToolTipRole,
    Role.STANDING,
]
SHIFTED_ROLES = [*DATA_ROLES, Role.KEY]  # a row that holds another car: its key too
SERVED_ROLES = frozenset(
    int(r)
    for r in (
        _DR.DisplayRole,
        _DR.ForegroundRole,
        _DR.BackgroundRole,
        _DR.TextAlignmentRole,
        _DR.ToolTipRole,
        _DR.FontRole,
        Role.KEY,
        Role.STANDING,
    )
)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_ALIGN = {Column.DRIVER: _LEFT, Column.TEAM: _LEFT, Column.MAKE: _LEFT, Column.CLASS: _CENTER}
_ALIGN |= {Column.CAR: _CENTER, Column.POSITION: _CENTER, Column.STATUS: _CENTER}
_ALIGN |= {Column.CLASS_POSITION: _CENTER}
_CLASS_CELLS = (Column.CLASS, Column.CLASS_POSITION)
_TIME_CELLS = frozenset((Column.LAST_LAP, Column.BEST_LAP, *SECTOR_OF))  # marked by time_mark
_COLUMN_TOTAL = len(Column)


class LeaderboardModel(QAbstractTableModel):
    """Rows in board order, one per car.

    Signals
    -------
    board_updated()
        After pending engine changes reached the rows (once a frame at most).
    """

    board_updated = Signal()

    def __init__(
        self,
        controller: SessionController,
        parent: QObject | None = None,
        class_colours: ClassColours | None = None,
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self.class_colours = class_colours or ClassColours(controller, self)
        self.class_colours.changed.connect(self._on_class_colours_changed)
        self._theme: Theme = DARK
        self._rows: list[Standing] = list(controller.engine.standings())
        # car: its standing and what its cells answered for it (role by role): a paint asks
        # every cell of a row again though only the crossing car's changed
        self._answers: dict[str, tuple[Standing, dict[tuple[int, int], Any]]] = {}
        self._pending: set[str] = set()
        self._crossed: dict[str, int] = {}  # car: session time it crossed
        self._lit_at: dict[str, float] = {}  # car: real (monotonic) time it was lit
        self._official: dict[str, int] = {}
        self._ahead = False  # rows of a session being opened, shown before it (show_ahead)
        # the last session shown kept the rows shown ahead of it, as painted: no paint follows
        self.kept_as_painted = False
        self._frame = FrameThrottle(self.flush, self)
        self._fade = QTimer(self, interval=200)
        self._fade.timeout.connect(self._on_fade_timeout)
        controller.board_changed.connect(self._on_controller_board_changed)
        controller.session_reset.connect(self._on_controller_session_reset)

    # --- Qt model interface ------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else _COLUMN_TOTAL  # asked of every cell painted

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = _DR.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(Column):
            if role == _DR.DisplayRole:
                return HEADERS[Column(section)]
            if role == _DR.TextAlignmentRole:
                return int(_ALIGN.get(Column(section), _RIGHT))
            if role == _DR.ToolTipRole:
                return HEADER_TIPS.get(Column(section))
        return None

    def data(self, index: Index, role: int = _DR.DisplayRole) -> Any:
        if role not in SERVED_ROLES or not index.isValid():
            return None  # most of what a delegate asks for per cell, answered at once
        row = self._rows[index.row()]
        if role == _DR.BackgroundRole:  # lit for a moment after a crossing: not remembered
            return self._background(row, COLUMNS[index.column()])
        memo = self._answers.get(row.key)
        if memo is None or memo[0] is not row:  # a new standing of the car: answered afresh
            memo = self._answers[row.key] = (row, {})
        cell = (index.column(), role)
        answers = memo[1]
        if cell in answers:
            return answers[cell]
        answer = answers[cell] = self._answer(row, COLUMNS[index.column()], role)
        return answer

    def _answer(self, row: Standing, column: Column, role: int) -> Any:
        """What a cell of ``row`` holds for ``role`` (not its background)."""
        if column == Column.OFFICIAL:
            return self._official_data(row, role)
        if role == _DR.DisplayRole:
            return display_text(row, column)
        if role == _DR.ForegroundRole:
            return self._foreground(row, column)
        if role == _DR.BackgroundRole:
            return self._background(row, column)
        if role == _DR.TextAlignmentRole:
            return int(_ALIGN.get(column, _RIGHT))
        if role == _DR.ToolTipRole:
            return tooltip_text(row, column)
        if role == _DR.FontRole and column in (Column.POSITION, Column.CAR):
            font = QFont()
            font.setBold(True)
            return font
        if role == Role.KEY:
            return row.key
        if role == Role.STANDING:
            return row
        return None

    # flags: QAbstractTableModel's own (enabled, selectable, no children), not a Python
    # override: a view asks it of every cell it paints

    # --- the board's own API -----------------------------------------------------------------

    def ranks_by_best_lap(self) -> bool:
        """Whether the best lap decides this session's order (practice, qualifying)."""
        return not self._controller.engine.settings.is_race

    def key_at(self, row: int) -> str:
        return self._rows[row].key

    def standing_at(self, row: int) -> Standing:
        """The standing a row shows (its ``Role.STANDING``)."""
        return self._rows[row]

    def column_texts(self, column: Column, rows: Iterable[int] | None = None) -> list[str]:
        """The display texts of a column's cells (of ``rows`` only, if given), as ``data``
        gives them: what fitting the columns measures. Read here, not cell by cell through
        ``index().data()``, which costs ~6x as much (~7 ms a whole board, on every seek)."""
        shown = self._rows
        standings = shown if rows is None else [shown[r] for r in rows if 0 <= r < len(shown)]
        if column == Column.OFFICIAL:
            return [self._official_data(s, _DR.DisplayRole) or "" for s in standings]
        return [display_text(s, column) for s in standings]

    def assign_refusal(self, key: str) -> tuple[str, str] | None:
        """Why the car's transponder cannot be assigned to an entered car (a few words for the
        menu, a sentence for its tip); None when it can."""
        engine = self._controller.engine
        if engine.unknown_transponder(key) is None:
            return ASSIGN_NOT_UNKNOWN
        return None if engine.entry_list() else ASSIGN_NO_ENTRIES

    def row_of(self, key: str) -> int:
        for row, standing in enumerate(self._rows):
            if standing.key == key:
                return row
        return -1

    def set_official_positions(self, positions: dict[str, int]) -> None:
        """The timing system's own order, shown beside ours in the TS column."""
        old, self._official = self._official, dict(positions)
        self._answers.clear()
        for row, standing in enumerate(self._rows):
            if old.get(standing.key) != positions.get(standing.key):
                index = self.index(row, Column.OFFICIAL)
                self.dataChanged.emit(index, index, DATA_ROLES)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._answers.clear()
        if self._rows:
            last = self.index(len(self._rows) - 1, len(Column) - 1)
            self.dataChanged.emit(self.index(0, 0), last, [_DR.ForegroundRole, _DR.BackgroundRole])

    @property
    def shown_session(self) -> SessionSource:
        """The session whose cars the board shows (not while :attr:`ahead`: it shows a session
        being opened): a correction offered on a row is for it."""
        return self._controller.recorder

    @property
    def ahead(self) -> bool:
        """The rows are those of a session being opened, not yet shown (:meth:`show_ahead`)."""
        return self._ahead

    def show_ahead(self, rows: list[Standing]) -> None:
        """Show the board's rows of a session being opened, as its snapshot kept them, before
        the session itself is read (~0.4 s more at 24 hours): ``session_reset`` brings the
        rows up to it when it is shown, :meth:`drop_ahead` back to the session shown if it
        cannot be. Meanwhile the session shown no longer moves the rows."""
        self.beginResetModel()
        self._frame.cancel()
        self._pending.clear()
        self._crossed.clear()
        self._lit_at.clear()
        self._rows = list(rows)
        self._answers.clear()
        self._ahead = True
        self.endResetModel()
        self.board_updated.emit()

    def prepared_for(self, recorder: SessionSource) -> Callable[[], None]:
        """In a worker, a session about to be shown: its rows worked out there (a snapshot's
        engine has every row to work out: ~4 ms of the window's thread at 24 hours, in the
        views' reset, the longest turn of the open); the reset then reads them as they are."""
        recorder.engine.standings()
        return lambda: None

    def drop_ahead(self) -> None:
        """The session whose rows were shown ahead could not be opened: the session shown's
        rows again."""
        if self._ahead:
            self._on_controller_session_reset()

    def flush(self) -> None:
        """Bring the rows up to the engine now (normally done once a frame)."""
        if self._ahead:
            return  # the rows are another session's: the one shown moves them no more
        self._frame.ran()
        engine = self._controller.engine
        shifted = self._apply_order(engine.order())
        pending, self._pending = self._pending, set()
        for row, old in enumerate(self._rows):
            if row in shifted:  # another car in the row: its cells that differ, told below
                self._rows[row] = engine.standing(old.key)
            elif old.key in pending:
                self._refresh_row(row, old, engine.standing(old.key))
        for row, before in sorted(shifted.items()):
            self._emit_shifted(row, before)
        self.board_updated.emit()

    # --- applying changes ----------------------------------------------------------------------

    def _on_controller_board_changed(self, change: BoardChange) -> None:
        if self._ahead:
            return  # see show_ahead
        self._pending |= change.changed
        for key in change.crossed:
            self._crossed[key] = self._crossing_time(key)
            self._lit_at[key] = session_clock.monotonic()
            self._pending.add(key)
        if change.crossed and not self._fade.isActive():
            self._fade.start()
        if change.ops or self._pending:
            self._frame.request()

    def _on_controller_session_reset(self) -> None:
        rows = list(self._controller.engine.standings())
        if self._ahead and rows == self._rows:  # shown ahead as they are: kept as painted
            self._ahead = False
            self.kept_as_painted = True
            self._frame.cancel()
            self._pending.clear()
            self.board_updated.emit()
            return
        self.beginResetModel()
        self._ahead = False
        self.kept_as_painted = False
        self._frame.cancel()
        self._pending.clear()
        self._crossed.clear()
        self._lit_at.clear()
        self._rows = rows
        self._answers.clear()
        self.endResetModel()
        self.board_updated.emit()

    def _apply_order(self, target: list[str]) -> dict[int, Standing]:
        """The rows in ``target``'s order; the rows that now hold another car, with the
        standing each showed before, when they were reordered in place (see
        ``_reorder_in_place``), else none."""
        engine = self._controller.engine
        ops = order_ops([row.key for row in self._rows], target)
        shifted = self._reorder_in_place(ops)
        if shifted is not None:
            return shifted
        for op in ops:
            if op.kind == "remove":
                self.beginRemoveRows(QModelIndex(), op.row, op.row)
                del self._rows[op.row]
                self.endRemoveRows()
            elif op.kind == "insert":
                self.beginInsertRows(QModelIndex(), op.row, op.row)
                self._rows.insert(op.row, engine.standing(op.key))
                self.endInsertRows()
            else:
                below = op.dest + 1 if op.dest > op.row else op.dest
                self.beginMoveRows(QModelIndex(), op.row, op.row, QModelIndex(), below)
                self._rows.insert(op.dest, self._rows.pop(op.row))
                self.endMoveRows()
        return {}

    def _reorder_in_place(self, ops: list[RowOp]) -> dict[int, Standing] | None:
        """Cars that only changed places, with no persistent index on the rows between them
        (no car picked there, no current cell): the rows they crossed hold other cars, told
        as a change of those rows' cells (the caller's ``dataChanged``), not as row moves.

        A view lays out and repaints every row on any move (Qt's delayed items layout: a
        60-car board repainted whole at each overtake, ~8 ms a pass); a change of cells
        repaints those rows only. Nothing follows the rows that changed cars (no persistent
        index there), so nothing is misled. Else (a car picked or the cursor between, a car
        added or removed): None, and the rows are moved one ``beginMoveRows`` at a time.
        """
        if not ops or any(op.kind != "move" for op in ops):
            return None
        first = min(min(op.row, op.dest) for op in ops)
        last = max(max(op.row, op.dest) for op in ops)
        for index in self.persistentIndexList():
            if first <= index.row() <= last or not index.isValid():
                return None
        before = list(self._rows)
        for op in ops:
            self._rows.insert(op.dest, self._rows.pop(op.row))
        return {r: before[r] for r in range(first, last + 1) if self._rows[r].key != before[r].key}

    def _emit_shifted(self, row: int, before: Standing) -> None:
        """A row that holds another car: the columns whose cells differ between the two (its
        key and standing too), every column if either car is lit."""
        now = self._rows[row]
        columns = [c for f in changed_fields(before, now) for c in FIELD_COLUMNS.get(f, ())]
        if self._official.get(before.key) != self._official.get(now.key):
            columns.append(Column.OFFICIAL)  # the timing system's place: by car, not by row
        lit = before.key in self._crossed or now.key in self._crossed
        first, last = (0, len(Column) - 1) if lit or not columns else (min(columns), max(columns))
        self.dataChanged.emit(self.index(row, first), self.index(row, last), SHIFTED_ROLES)

    def _refresh_row(self, row: int, old: Standing, new: Standing) -> None:
        fields = changed_fields(old, new)
        crossed = old.key in self._crossed
        if not fields and not crossed:
            return
        self._rows[row] = new
        columns = [c for f in fields for c in FIELD_COLUMNS.get(f, ())]
        if columns:
            self.dataChanged.emit(
                self.index(row, min(columns)), self.index(row, max(columns)), DATA_ROLES
            )
        if crossed:
            self._emit_background(row)

    def _crossing_time(self, key: str) -> int:
        """When the car last crossed, in session time (the clock if it is not known)."""
        engine = self._controller.engine
        seen = engine.last_seen_ms(key) if engine.has_car(key) else None
        return seen if seen is not None else self._controller.clock_ms()

    def _is_lit(self, key: str) -> bool:
        """Crossed within the last moments of *session* time: a replay at 10x lights a row a
        tenth as long, and a seek that jumps over many crossings lights only the last ones.
        Nor longer than those moments of real time: a clock that stands (the finish, a paused
        replay) would keep a row lit for ever."""
        when = self._crossed.get(key)
        if when is None or self._controller.clock_ms() - when >= CROSSED_HIGHLIGHT_MS:
            return False
        lit = self._lit_at.get(key)
        return lit is None or (session_clock.monotonic() - lit) * 1000 < CROSSED_HIGHLIGHT_MS

    def _on_fade_timeout(self) -> None:
        for key in list(self._crossed):
            if not self._is_lit(key):
                del self._crossed[key]
                self._lit_at.pop(key, None)
                row = self.row_of(key)
                if row >= 0:
                    self._emit_background(row)
        if not self._crossed:
            self._fade.stop()

    def _emit_background(self, row: int) -> None:
        self.dataChanged.emit(
            self.index(row, 0), self.index(row, len(Column) - 1), [_DR.BackgroundRole]
        )

    # --- presentation ----------------------------------------------------------------------------

    def class_colour(self, car_class: str) -> QColor | None:
        """The colour of a class on the board, the scoreboard and the chart (the event's)."""
        colour = self.class_colours.colour(car_class)
        return QColor(colour) if colour else None

    def _on_class_colours_changed(self) -> None:
        self._answers.clear()
        for row, standing in enumerate(self._rows):
            if standing.car_class:
                for column in _CLASS_CELLS:
                    index = self.index(row, column)
                    self.dataChanged.emit(index, index, [_DR.BackgroundRole, _DR.ForegroundRole])

    def _foreground(self, row: Standing, column: Column) -> Any:
        theme = self._theme
        if column in _CLASS_CELLS and row.car_class:
            return QColor(self.class_colours.text_colour(row.car_class))  # on the class colour
        if column == Column.STATUS and row.in_pit:
            return theme.color("pit")
        if column == Column.LAPS and row.unseen_laps:
            return theme.color("dim_text")
        mark = time_mark(row, column) if column in _TIME_CELLS else ""
        if mark:
            return theme.color("session_best" if mark == SESSION_BEST else "personal_best")
        if column == Column.GAINED and row.gained:
            return theme.color("gained" if row.gained > 0 else "lost")
        if column == Column.STATUS and row.status in (CarStatus.DSQ, CarStatus.DNF):
            return theme.color("lost")
        if not row.known and column in (Column.CAR, Column.DRIVER):
            return theme.color("lost")
        return None

    def _official_data(self, row: Standing, role: int) -> Any:
        theirs = self._official.get(row.key)
        if theirs is None:
            return None
        if role == _DR.DisplayRole:
            return str(theirs)
        if role == _DR.ForegroundRole:
            return self._theme.color("lost" if theirs != row.position else "dim_text")
        if role == _DR.ToolTipRole and theirs != row.position:
            return f"The timing system has this car P{theirs}; we have it P{row.position}"
        if role == _DR.TextAlignmentRole:
            return int(_CENTER)
        return None

    def _background(self, row: Standing, column: Column) -> Any:
        if column in _CLASS_CELLS:
            return self.class_colour(row.car_class)
        if row.key in self._crossed and self._is_lit(row.key):
            return self._theme.color("crossed")
        return None


__all__ = [
    "CLASS_COLUMNS",
    "COLUMN_FIELDS",
    "HEADERS",
    "OPTIONAL_COLUMNS",
    "PIT_COLUMNS",
    "SECTOR_COLUMNS",
    "Column",
    "LeaderboardModel",
    "Role",
    "display_text",
    "tooltip_text",
]
