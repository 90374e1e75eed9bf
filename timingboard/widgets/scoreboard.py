"""The wall scoreboard: a flag band in the flag's colour over the field in large type, paging.

Read from across a room: the band says the flag, the session, its clock and what remains; a
field taller than the screen shows one page after another, each for a set dwell ("page 2/3").
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QStyleOptionHeader,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from timingboard.engine.events import Flag
from timingboard.engine.flag_shown import shown_flag
from timingboard.engine.standings import Standing
from timingboard.qt.leaderboard_model import Column, LeaderboardModel, Role
from timingboard.qt.session_controller import SessionController
from timingboard.qt.theme import DARK, Theme
from timingboard.text.board_text import (
    CLASS_BEST_MARK,
    WALL_SHORT_TITLES,
    short_class,
    wall_class_cell,
    wall_status,
)
from timingboard.text.session_text import (
    BAND_FLAG_TEXT,
    STOPPED_SUFFIX,
    clock_text,
    remaining_text,
)
from timingboard.widgets.board_delegate import (
    DRIVER_MARGIN_PX,
    DriverNameDelegate,
    ShortClassDelegate,
    WallStatusDelegate,
)
from timingboard.widgets.changed_cells import ChangedCells
from timingboard.widgets.elided_label import broken_lines
from timingboard.widgets.entry_band import EntryBand

BOARD_POINT_SIZE = 24
MIN_POINT_SIZE = 12
MAX_POINT_SIZE = 40  # a big field's type, at most
ROWS_AT_FULL_SIZE = 20  # a screen's height holds about this many rows at the largest type
# a small field grows to fill the height (a 9-car heat filled the top 45% of a 1920x1080 wall
# in 40 px rows), up to the type about this many rows would have, and never past this size
FEWEST_ROWS_SIZED = 8
LARGEST_POINT_SIZE = 96
ROW_SPACING = 1.3  # a row's height over the type's
SHRINK_TO_FIT = 0.8  # a field just over a page is shown whole at type this much smaller
MAX_ROW_STRETCH = 1.25  # rows share out the height left over up to this much of their own
BAND_POINT_SIZE = 26
MAX_BAND_POINT_SIZE = MAX_POINT_SIZE + 2  # the band stays as a big field has it
STALE_PADDING_PX = 16
STALE_STYLE = f"background:#b71c1c; color:#ffffff; padding:4px {STALE_PADDING_PX}px;"
STALE_LINES = 2  # the lost feed's banner: its start ("FEED LOST — …") always whole, cut at the end
PAGE_DWELL_MS = 10_000
CLOCK_REFRESH_MS = 250
FIT_COLUMNS_MS = 1000
CHECKER_PX = 18
# read from across the room: fewer, larger columns (the class only when the field has classes)
SCOREBOARD_COLUMNS = (
    Column.POSITION,
    Column.CAR,
    Column.DRIVER,
    Column.CLASS,
    Column.LAPS,
    Column.LAST_LAP,
    Column.BEST_LAP,
    Column.GAP,
    Column.INTERVAL,
    Column.STATUS,
)


BOX_PADDING_PX = 10  # each side of a text boxed over the checkered flag's checks


class FlagBand(QFrame):
    """Across the top: painted in the flag's colour (checks for the checkered flag)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("flagBand")
        self.flag_label = self._label("bandFlag", bold=True)
        self.session = self._label("bandSession")
        self.clock = self._label("bandClock", bold=True)
        self.remaining = self._label("bandRemaining")
        self.page = self._label("bandPage")
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 8, 16, 8)
        row.setSpacing(28)
        self._row = row
        row.addWidget(self.flag_label)
        row.addWidget(self.session, 1)  # shortened with "…" first when the band is narrow
        self.session.setMinimumWidth(1)
        for label in (self.clock, self.remaining, self.page):
            row.addWidget(label)
        self._session_name = ""
        self._flag: Flag | None = None
        self._colours = DARK.flags[None]
        self.stale = False  # the feed is lost: the flag is the last known, marked "?"

    def _label(self, name: str, bold: bool = False) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        font = QFont(label.font())
        font.setPointSize(BAND_POINT_SIZE)
        font.setBold(bold)
        label.setFont(font)
        return label

    @property
    def flag(self) -> Flag | None:
        return self._flag

    def set_point_size(self, size: int) -> None:
        """The band's type, a little larger than the table's."""
        for label in self.findChildren(QLabel):
            font = QFont(label.font())
            font.setPointSize(size)
            label.setFont(font)
        self._fit_session()

    def set_session(self, name: str) -> None:
        self._session_name = name
        self._fit_session()

    def _fit_session(self) -> None:
        """The name as it fits, inside the white box the checkered flag puts it in (its padding
        was counted as room: the name ran under the checks)."""
        boxed = self._flag is Flag.CHECKERED
        room = max(0, self.session.contentsRect().width() - (2 * BOX_PADDING_PX if boxed else 0))
        metrics = self.session.fontMetrics()
        self.session.setText(
            metrics.elidedText(self._session_name, Qt.TextElideMode.ElideRight, room)
        )
        self.session.setToolTip(self._session_name)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_session()

    def needs(self, size: int) -> int:
        """The width the band needs at type ``size`` for every text whole, the session's name
        too (a small field's type grown to fill the height cut it: "Busch Light Clas…")."""
        margins = self._row.contentsMargins()
        spacing = self._row.spacing()
        labels = (self.flag_label, self.session, self.clock, self.remaining, self.page)
        width = margins.left() + margins.right() + spacing * (len(labels) - 1)
        for label in labels:
            font = QFont(label.font())
            font.setPointSize(size)
            metrics = QFontMetrics(font)
            text = self._session_name if label is self.session else label.text()
            # boxed on the checkered flag; room for a clock's or a count's digits to grow
            width += metrics.horizontalAdvance(text + ("0" if text else "")) + 2 * BOX_PADDING_PX
        return width

    def background(self) -> QColor:
        """The band's colour: the flag's."""
        return QColor(self._colours[0])

    def set_flag(self, flag: Flag | None, theme: Theme) -> None:
        self._flag = flag
        self._colours = theme.flags[flag]
        self.flag_label.setText(BAND_FLAG_TEXT[flag] + (" ?" if self.stale else ""))
        background, text = self._colours
        boxed = flag is Flag.CHECKERED  # text on white boxes, readable over the checks
        style = f"color:{text};" + (
            f"background:{background}; padding:2px {BOX_PADDING_PX}px; border-radius:4px;"
            if boxed
            else ""
        )
        for label in self.findChildren(QLabel):
            label.setStyleSheet(style)
        self._fit_session()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(self._colours[0]))
        if self._flag is Flag.CHECKERED:
            painter.fillRect(self.rect(), QColor("#111111"))
            white = QColor("#f4f4f4")
            for x in range(0, self.width(), CHECKER_PX):
                for y in range(0, self.height(), CHECKER_PX):
                    if (x // CHECKER_PX + y // CHECKER_PX) % 2:
                        painter.fillRect(x, y, CHECKER_PX, CHECKER_PX, white)
        painter.end()
        super().paintEvent(event)


class WallHeader(QHeaderView):
    """The column titles, shortened with their cells where the names need the room."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.titles: dict[int, str] = {}  # a column's title shown instead of the model's

    def initStyleOptionForIndex(self, option: QStyleOptionHeader, logical_index: int) -> None:
        super().initStyleOptionForIndex(option, logical_index)
        if logical_index in self.titles:
            option.text = self.titles[logical_index]  # type: ignore[attr-defined]


class ScoreboardTable(QTableView):
    """The field in type sized to the screen; one page of rows at a time, never a scroll bar.

    The type is as large as the height allows (about ``ROWS_AT_FULL_SIZE`` rows), smaller when
    the columns would leave the driver's name no room; rows share out the height exactly, so
    no row is ever cut at the bottom.

    Signals
    -------
    page_size_changed()
        The rows a page changed (a new size, type size or column set).
    """

    page_size_changed = Signal()

    def __init__(self, model: LeaderboardModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scoreboardTable")
        rows = self.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # every row the same: pages
        rows.setMinimumSectionSize(8)
        self.setModel(model)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setCornerButtonEnabled(False)
        rows.hide()
        self._titles = WallHeader(self)
        self.setHorizontalHeader(self._titles)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(Column.DRIVER, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        header.moveSection(header.visualIndex(Column.CLASS), header.visualIndex(Column.DRIVER) + 1)
        self._names = DriverNameDelegate(self)
        self._classes = ShortClassDelegate(self)
        self._statuses = WallStatusDelegate(self)
        self.setItemDelegateForColumn(Column.DRIVER, self._names)
        self.setItemDelegateForColumn(Column.CLASS, self._classes)
        self.setItemDelegateForColumn(Column.STATUS, self._statuses)
        self._short = False  # class and status shortened: the names need the room
        self.reserve: Callable[[int], int] = lambda _size: 0  # px kept under the rows, by size
        # the width the line above the rows needs at a type size (the scoreboard's band)
        self.band_needs: Callable[[int], int] = lambda _size: 0
        self._grown = False  # the type grown past the usual for a small field: all reads whole
        self._reserved = 0
        self._with_class = False
        self._point_size = 0
        self._rows_for = -1  # the field's size the type was chosen for
        for column in Column:
            self.setColumnHidden(column, column not in SCOREBOARD_COLUMNS or column == Column.CLASS)
        self._set_point_size(BOARD_POINT_SIZE)

    @property
    def shows_class(self) -> bool:
        return self._with_class

    @property
    def point_size(self) -> int:
        return self._point_size

    @property
    def grown(self) -> bool:
        """The type grown past the usual for a small field (every text read whole)."""
        return self._grown

    def show_class_column(self, shown: bool) -> None:
        self._with_class = shown
        self.setColumnHidden(Column.CLASS, not shown)
        self.relayout()

    def _set_point_size(self, size: int) -> None:
        self._point_size = size
        font = QFont(self.font())
        font.setPointSize(size)
        self.setFont(font)
        self.horizontalHeader().setFont(font)
        metrics = QFontMetrics(font)
        self.horizontalHeader().setMinimumSectionSize(metrics.horizontalAdvance("WW"))
        self.fit_columns()

    def _base_row_height(self) -> int:
        return int(QFontMetrics(self.font()).height() * ROW_SPACING)

    def _size_for_field(self, usual: int) -> int:
        """The largest type at which every row of the field fits the height with its titles
        and the room kept under it: larger than ``usual`` for a small field (read across the
        room), a little smaller (to :data:`SHRINK_TO_FIT` of it) for one that would just page
        (20 cars at 1080 px: 16 and 4); else ``usual``, and the field pages."""
        count = self.model().rowCount()
        room = self.height() - 2 * self.frameWidth()
        most = max(usual, min(LARGEST_POINT_SIZE, int(room / FEWEST_ROWS_SIZED * 0.55)))
        least = max(MIN_POINT_SIZE, int(usual * SHRINK_TO_FIT))
        font = QFont(self.font())

        def fits(size: int) -> bool:
            font.setPointSize(size)
            row = int(QFontMetrics(font).height() * ROW_SPACING)
            return (count + 1) * row + self.reserve(size) <= room  # the titles: one row more

        if not fits(least):
            return usual  # it pages: no search through the sizes (a 60-car field)
        while least < most:  # the largest that fits: larger type, taller rows
            middle = (least + most + 1) // 2
            least, most = (middle, most) if fits(middle) else (least, middle - 1)
        return least

    def _reads_whole(self, size: int) -> bool:
        """Whether at type ``size`` every column reads whole at this width: every name, the
        status and class unshortened ("Finished", not "Fin"), the titles, the band's line."""
        self._set_point_size(size)
        if self._short or self._driver_room() < self._names_need(self._field_names()):
            return False
        return self.band_needs(size) <= self.width()

    def _widest_whole(self, least: int, most: int) -> int:
        """The largest type from ``least`` (reads whole) to ``most`` (fills the height) at
        which everything still reads whole: the width bounds a small field's growth (9 cars
        at 1920 px grew to 38 pt and read "St", "Fin", "Busch Light Clas…"). Found by halving."""
        while least < most:
            middle = (least + most + 1) // 2
            least, most = (middle, most) if self._reads_whole(middle) else (least, middle - 1)
        return least

    def _rows_room(self) -> int:
        """The height rows have: the table less its frame and the column titles."""
        titles = self.horizontalHeader().sizeHint().height()
        return max(1, self.height() - 2 * self.frameWidth() - titles)

    def relayout(self) -> None:
        """Type size, columns and row height for the table's size now."""
        room = self._rows_room() + self.horizontalHeader().sizeHint().height()
        size = max(MIN_POINT_SIZE, min(MAX_POINT_SIZE, int(room / ROWS_AT_FULL_SIZE * 0.55)))
        grown = self._size_for_field(size)
        self._grown = False
        if grown > size and self._reads_whole(size):
            grown = self._widest_whole(size, grown)
            self._grown = grown > size
        self._set_point_size(grown)
        while self._driver_room() < self._driver_needs() and self._point_size > MIN_POINT_SIZE:
            self._set_point_size(self._point_size - 1)
        self._reserved = self.reserve(self._point_size)
        rows_room = max(1, self._rows_room() - self._reserved)
        base = self._base_row_height()
        per_page = max(1, rows_room // base)
        count = self.model().rowCount()
        if 0 < count <= per_page:  # one page: the rows share out what is left, within reason
            per_page = max(count, math.ceil(rows_room / (base * MAX_ROW_STRETCH)))
        self._rows_for = count
        self.verticalHeader().setDefaultSectionSize(max(1, rows_room // per_page))
        self.page_size_changed.emit()

    def sized_for(self, count: int) -> bool:
        """Whether the type and rows are those of a field of ``count`` cars (a car joining or
        leaving a field that fits one page changes them)."""
        per_page = self.rows_per_page()
        return self._rows_for == count or min(count, self._rows_for) > per_page  # both paged

    def paintEvent(self, event: QPaintEvent) -> None:
        """What whole rows leave over at the bottom stays empty: never a sliver of the next
        page's first row."""
        super().paintEvent(event)
        row_height = max(1, self.verticalHeader().defaultSectionSize())
        below = self.rows_per_page() * row_height
        viewport = self.viewport()
        if below < viewport.height():
            painter = QPainter(viewport)
            painter.fillRect(
                0, below, viewport.width(), viewport.height() - below, self.palette().base()
            )
            painter.end()

    def driver_has_room(self) -> bool:
        """Room for a name ("M. Wwwwwwww"); with the type grown for a small field, room for
        every column whole (a status grown to "Finished +5.000s" takes the type back down)."""
        if self._grown:
            names = self._names_need(self._field_names())
            whole = not self._short and self._driver_room() >= names
            return whole and self.band_needs(self._point_size) <= self.width()
        return self._driver_room() >= self._driver_needs()

    def _field_names(self) -> list[str]:
        model = self.model()
        return [str(model.index(r, Column.DRIVER).data() or "") for r in range(model.rowCount())]

    def _driver_room(self) -> int:
        used = sum(
            self.columnWidth(c)
            for c in SCOREBOARD_COLUMNS
            if c != Column.DRIVER and not self.isColumnHidden(c)
        )
        return self.width() - 2 * self.frameWidth() - used

    def _driver_needs(self) -> int:
        """Room for "J. Surname" and the column's title."""
        metrics = QFontMetrics(self.font())
        return max(metrics.horizontalAdvance("M. Wwwwwwww"), metrics.horizontalAdvance("Driver"))

    @property
    def short_columns(self) -> bool:
        """Class and status shortened ("GTU◆", "Fin", titled "Cl", "St") for the names."""
        return self._short

    def fit_columns(self) -> None:
        """Every column as wide as its widest text, the driver taking what is left; where that
        cuts a name, class and status are shortened first (they took the room: "Roberts…",
        "AE Victory…" beside "GTU ◆" and "Finished" at 1280 px)."""
        names = self._field_names()
        self._names.set_field(names)
        self._set_short(False)
        if self._driver_room() < self._names_need(names):
            self._set_short(True)

    def _set_short(self, short: bool) -> None:
        self._short = short
        self._classes.short = self._statuses.short = short
        self._titles.titles = {int(c): t for c, t in WALL_SHORT_TITLES.items()} if short else {}
        self._fit(None)
        self._titles.viewport().update()

    def _names_need(self, names: list[str]) -> int:
        """Room for every name whole."""
        metrics = QFontMetrics(self.font())
        return max(map(metrics.horizontalAdvance, names), default=0) + DRIVER_MARGIN_PX

    def widen_for(self, changed: dict[int, set[int] | None] | None) -> bool:
        """Widen at once the columns a changed text no longer fits ("Finished +5.000 s" read
        "Finishe…" until the next fit, a second later); measures the changed cells only.
        Whether any column was widened."""
        return self._fit(changed, widen_only=True)

    def _fit(self, changed: dict[int, set[int] | None] | None, widen_only: bool = False) -> bool:
        model = self.model()
        plain = QFontMetrics(self.font())
        bold = QFontMetrics(QFont(self.font().family(), self.font().pointSize(), QFont.Weight.Bold))
        margin = plain.horizontalAdvance("M")
        widened = False
        for column in SCOREBOARD_COLUMNS:
            if column == Column.DRIVER or self.isColumnHidden(column):
                continue
            rows = range(model.rowCount()) if changed is None else changed.get(column, set())
            if rows is None:
                rows = range(model.rowCount())
            if widen_only and not rows:
                continue
            measure = bold if column in (Column.POSITION, Column.CAR) else plain
            texts = [str(model.index(r, column).data() or "") for r in rows]
            if column == Column.CLASS:
                mark = CLASS_BEST_MARK  # room for it on every row, whoever holds the best lap
                short = [short_class(t.removesuffix(mark)) + mark for t in texts]
                texts = [wall_class_cell(t, self._short) for t in short]
            elif column == Column.STATUS:
                texts = [wall_status(t, self._short) for t in texts]
            title = self._titles.titles.get(column) or str(
                model.headerData(column, Qt.Orientation.Horizontal)
            )
            widest = max([plain.horizontalAdvance(title), *map(measure.horizontalAdvance, texts)])
            if not widen_only or widest + margin > self.columnWidth(column):
                widened = widened or widest + margin > self.columnWidth(column)
                self.setColumnWidth(column, widest + margin)
        return widened

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.relayout()

    def rows_per_page(self) -> int:
        """Whole rows that fit the screen."""
        row_height = max(1, self.verticalHeader().defaultSectionSize())
        return max(1, (self.viewport().height() - self._reserved) // row_height)

    def page_count(self) -> int:
        return max(1, math.ceil(self.model().rowCount() / self.rows_per_page()))

    def show_page(self, page: int) -> None:
        """Rows from ``page`` times the rows a page; the last page ends with the last car.

        The rows before the page are hidden and the view stays at its top: scrolled instead,
        a page scrolled to the end (the last one, or one the view's room made last) had its
        last row put at the bottom, and the rows' left-over pixels cut its top row."""
        count = self.model().rowCount()
        per_page = self.rows_per_page()
        first = max(0, min(page * per_page, count - per_page))
        for row in range(count):
            if self.isRowHidden(row) != (row < first):
                self.setRowHidden(row, row < first)
        self.verticalScrollBar().setValue(0)

    def first_row_shown(self) -> int:
        return self.rowAt(0)

    def rows_shown(self) -> list[int]:
        """The rows wholly on screen now (above the room kept for the entry band)."""
        height = self.rows_per_page() * max(1, self.verticalHeader().defaultSectionSize())
        first = self.rowAt(0)
        if first < 0:
            return []
        rows = []
        for row in range(first, self.model().rowCount()):
            if self.rowViewportPosition(row) + self.rowHeight(row) > height:
                break
            rows.append(row)
        return rows


class Scoreboard(QWidget):
    """Flag band and the field, paging by itself while it is shown.

    Signals
    -------
    page_changed(int, int)
        Another page is shown (from 0), or the page count changed.
    """

    page_changed = Signal(int, int)

    def __init__(
        self,
        controller: SessionController,
        model: LeaderboardModel,
        parent: QWidget | None = None,
        dwell_ms: int = PAGE_DWELL_MS,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("scoreboard")
        self.setMinimumSize(1, 1)  # beside the desk in the window: it must not widen the desk
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # keys have somewhere to go on the wall
        self._controller = controller
        self._model = model
        self._theme = DARK
        self._page = 0
        self._shown = (-1, 0)  # the page and page count last announced
        self._stale = ""
        self._stale_ms = 0  # the clock shown when the feed was lost: it stands there
        self.band = FlagBand(self)
        self.stale = QLabel(self)  # under the band, across the screen, while the feed is lost
        self.stale.setObjectName("scoreboardStale")
        self.stale.setStyleSheet(STALE_STYLE)
        self.stale.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stale.setTextFormat(Qt.TextFormat.PlainText)  # its lines broken by :meth:`_show_stale`
        self.stale.setMinimumWidth(1)  # its lines follow the board's width, never set it
        self.stale.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.stale.setVisible(False)
        self.table = ScoreboardTable(model, self)
        self._changed = ChangedCells(model, self)  # the cells a board update changed
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.band)
        layout.addWidget(self.stale)
        layout.addWidget(self.table, 1)
        self.entry_band = EntryBand(self)  # what the operator types, over the field's bottom
        # its room kept under the rows: it covers none, and the pages stay as they are
        self.table.reserve = lambda size: self.entry_band.least_height(size + 2)
        self.table.band_needs = lambda size: self.band.needs(min(MAX_BAND_POINT_SIZE, size + 2))
        self.table.relayout()
        self._dwell = QTimer(self, interval=dwell_ms)
        self._dwell.timeout.connect(self._on_dwell_timeout)
        self._clock = QTimer(self, interval=CLOCK_REFRESH_MS)
        self._clock.timeout.connect(self._refresh_clock)
        self._fit = QTimer(self, singleShot=True, interval=FIT_COLUMNS_MS)
        self._fit.timeout.connect(self._refit)
        self._rows_seen = -1
        self._band_lengths = (0, 0)  # the clock's and what remains's lengths last measured
        self._refit_due = False  # columns to measure again when next shown
        controller.board_changed.connect(self._on_controller_board_changed)
        controller.session_reset.connect(self._on_controller_session_reset)
        model.board_updated.connect(self._on_model_board_updated)
        self.table.page_size_changed.connect(self._on_table_page_size_changed)
        self._on_controller_session_reset()

    @property
    def page(self) -> int:
        return self._page

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._show_flag()

    def set_stale(self, text: str) -> None:
        """Feed lost: the band says so ("" when the feed is fresh again); the clock stands where
        it was shown."""
        if text and not self._stale:
            self._stale_ms = self._controller.clock_ms()
        self._stale = text
        self._show_stale()
        self.stale.setVisible(bool(text))
        self.band.stale = bool(text)
        self._show_flag()
        self._refresh_clock()

    def _show_stale(self) -> None:
        """The banner in at most :data:`STALE_LINES` lines at this width, cut at its end only:
        "FEED LOST" and what follows it first; the whole in the tooltip."""
        room = self.width() - 2 * STALE_PADDING_PX - 4
        shown = broken_lines(self._stale, self.stale.font(), room, STALE_LINES)
        self.stale.setText(shown)
        whole = shown.replace("\n", " ") == self._stale
        self.stale.setToolTip("" if whole else self._stale)

    def _now(self) -> int:
        return self._stale_ms if self._stale else self._controller.clock_ms()

    def _flag_now(self) -> Flag | None:
        told = self._controller.reported_laps_to_go
        return shown_flag(self._controller.engine, self._now(), told)

    def _show_flag(self) -> None:
        self.band.set_flag(self._flag_now(), self._theme)

    def set_dwell(self, ms: int) -> None:
        """How long each page stays up."""
        self._dwell.setInterval(ms)

    def next_page(self) -> None:
        self._page = (self._page + 1) % self.table.page_count()
        self._show_page()

    def _show_page(self) -> None:
        pages = self.table.page_count()
        self._page = min(self._page, pages - 1)
        self.table.show_page(self._page)
        self.band.page.setText(f"page {self._page + 1}/{pages}" if pages > 1 else "")
        if (self._page, pages) != self._shown:
            self._shown = (self._page, pages)
            self.page_changed.emit(self._page, pages)

    def _on_table_page_size_changed(self) -> None:
        size = min(MAX_BAND_POINT_SIZE, self.table.point_size + 2)
        self.band.set_point_size(size)
        font = QFont(self.stale.font())
        font.setPointSize(size)
        font.setBold(True)
        self.stale.setFont(font)
        self._show_stale()
        self.entry_band.set_point_size(size)
        self._show_page()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._show_stale()
        self.entry_band.place()

    def _on_dwell_timeout(self) -> None:
        self.next_page()

    def _refresh_clock(self) -> None:
        engine = self._controller.engine
        now = self._now()
        if self._flag_now() is not self.band.flag:
            self._show_flag()  # white when a timed race's time runs out
        stale = " (stale)" if self._stale else ""
        if not stale and self._controller.recorded_origin() is not None:
            stale = STOPPED_SUFFIX  # a record of the past: its clock stands at its last event
        self.band.clock.setText(clock_text(engine, now) + stale)
        self.band.remaining.setText(remaining_text(engine, now))
        lengths = (len(self.band.clock.text()), len(self.band.remaining.text()))
        if lengths != self._band_lengths:  # "Lap 25/25" to "Finished": the band may need more
            self._band_lengths = lengths
            if self.table.grown and not self.table.driver_has_room():
                self.table.relayout()

    def _on_controller_board_changed(self, change: object) -> None:
        if getattr(change, "flag_changed", True) or self._flag_now() is not self.band.flag:
            self._show_flag()  # thrown, or white and checkered as the leader crosses

    def _on_controller_session_reset(self) -> None:
        engine = self._controller.engine
        self.band.set_session(engine.settings.name)
        self._show_flag()
        self._page = 0
        self._rows_seen = self._model.rowCount()
        self._refit_when_seen()
        self._refresh_clock()

    def _on_model_board_updated(self) -> None:
        """Pages follow at once; columns are measured again at most once a second (measuring
        every text of a 60-car field costs ~30 ms: not every frame)."""
        if self._model.rowCount() != self._rows_seen:
            self._rows_seen = self._model.rowCount()
            self._refit_when_seen()
        else:
            changed = self._changed.take()
            widened = self.isVisible() and self.table.widen_for(changed)
            if widened and not self.table.driver_has_room():
                self.table.relayout()  # texts grew: a size smaller
            if not self._fit.isActive() and self.isVisible():
                self._fit.start()  # and narrowed again where texts shrank, within a second
        self._show_page()

    def _refit_when_seen(self) -> None:
        """Measured now if shown, else when shown: not on each replay seek unseen (~10 ms)."""
        if self.isVisible():
            self._refit()
        else:
            self._refit_due = True
            self._show_page()

    def _refit(self) -> None:
        classes = {s.car_class for s in self._model_rows() if s.car_class}
        if (len(classes) > 1) != self.table.shows_class:
            self.table.show_class_column(len(classes) > 1)
        elif not self.table.sized_for(self._model.rowCount()):
            self.table.relayout()  # a field of another size: another type size
        else:
            self.table.fit_columns()
            if not self.table.driver_has_room():
                self.table.relayout()  # texts grew: a size smaller
        self._show_page()

    def _model_rows(self) -> list[Standing]:
        return [self._model.index(r, 0).data(Role.STANDING) for r in range(self._model.rowCount())]

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show:
            if self._refit_due:
                self._refit_due = False
                self._refit()
            self._dwell.start()
            self._clock.start()
            self._refresh_clock()  # the flag and clock as they are now, not a tick later
        elif event.type() == QEvent.Type.Hide:
            self._dwell.stop()
            self._clock.stop()
            self._fit.stop()
        return super().event(event)
