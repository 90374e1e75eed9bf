"""The leaderboard table at the operator's desk (the wall has :mod:`widgets.scoreboard`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QEvent, QItemSelection, QObject, Qt, QTimer, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QStyledItemDelegate,
    QTableView,
    QToolTip,
    QWidget,
)

from timingboard.qt.leaderboard_model import (
    HEADERS,
    OPTIONAL_COLUMNS,
    Column,
    LeaderboardModel,
    Role,
)
from timingboard.text.board_columns import HEADER_TIPS, give_way_order, given_way_line
from timingboard.widgets.board_delegate import (
    DRIVER_MARGIN_PX,
    BoardCellDelegate,
    DriverNameDelegate,
    readable_names_width,
)
from timingboard.widgets.changed_cells import ChangedCells
from timingboard.widgets.correction_actions import CAR_MENU, CarAction, Offered
from timingboard.widgets.keyboard_menu import (
    PICK_A_CAR_FIRST,
    highlighted_index,
    is_keyboard,
    is_menu_key,
    menu_place,
    send_keyboard_menu,
)
from timingboard.widgets.text_widths import DeviceKey, TextWidths, device_key, metrics

SHORTEST_DRIVER_TEXT = "WW"  # no column, the driver's either, narrower than this

CAR_ACTIONS = CAR_MENU
DESK_POINT_SIZE = 11
CELL_MARGIN_PX = 10  # the style's margins either side of a text, and a little air
MEASURED_TEXTS_KEPT = 20_000  # text widths kept for fits to come (a few MB at most)


class LeaderboardView(QTableView):
    """Shows a :class:`LeaderboardModel`; selecting rows picks cars for the chart.

    Signals
    -------
    cars_picked(list[str])
        The keys of the selected rows, after the selection changed.
    car_action_requested(CarAction, str, Offered)
        The correction asked for (a ``str`` enum) and the car's key, from the context menu
        (or Edit ▸ Selected car), and the session the board showed when the menu was offered
        (:class:`Offered`).
    gave_way(list[Column])
        The columns hidden for lack of room changed: all of them now, in give-way order.
    menu_held()
        A right-click on a car (the Menu key, Edit ▸ Selected car) while the board shows a
        session being opened: no menu (its cars are not the session's yet), said by whoever
        knows why.
    menu_key_missed(str)
        The Menu key (Shift+F10) pressed with no car highlighted: no menu; the words saying
        how to pick one (:data:`PICK_A_CAR_FIRST`), for the status bar.
    """

    cars_picked = Signal(list)
    car_action_requested = Signal(CarAction, str, object)
    gave_way = Signal(list)
    menu_held = Signal()
    menu_key_missed = Signal(str)

    def __init__(self, model: LeaderboardModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self._board_model = model
        self._changed = ChangedCells(model, self)  # the cells a fit of the columns measures
        self._text_widths, self._bold_text_widths = TextWidths(), TextWidths()  # each measured once
        self.horizontalHeader().sectionResized.connect(self._on_header_section_resized)
        self.setObjectName("leaderboard")
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setCornerButtonEnabled(False)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.DRIVER, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        for column, after in (
            (Column.CLASS_POSITION, Column.CLASS),
            (Column.CLASS_GAP, Column.CLASS_POSITION),
            (Column.PITS, Column.STATUS),
            (Column.LAST_PIT_LAP, Column.PITS),
            (Column.PIT_TIME, Column.LAST_PIT_LAP),
        ):  # class and pit columns beside their kin, whatever their number in the model
            header.moveSection(header.visualIndex(column), header.visualIndex(after) + 1)
        # shown when there is room; the optional ones and TS while they are asked for
        self._wanted = set(Column) - {*OPTIONAL_COLUMNS, Column.OFFICIAL}
        self._given_way: list[Column] = []
        self._driver_needs = 0
        self._sharing = False
        self._metrics: tuple[DeviceKey, QFontMetrics, QFontMetrics, QFontMetrics] | None = None
        self._driver_fit: tuple[set[str], int] | None = None  # the names, the room they need
        self._widths: dict[Column, dict[str, int]] = {}  # each car's text width, by column
        self._advances: dict[tuple[bool, str], int] = {}  # a text's width (bold?), this font
        for column in (*OPTIONAL_COLUMNS, Column.OFFICIAL):
            self.setColumnHidden(column, True)
        header.viewport().installEventFilter(self)  # its tooltips say what gave way
        self.setItemDelegate(BoardCellDelegate(self))  # a picked car keeps its colours
        for column in (Column.CLASS, Column.CLASS_POSITION):  # text for the class colour: Qt's
            self.setItemDelegateForColumn(column, QStyledItemDelegate(self))  # selection look
        self.setItemDelegateForColumn(Column.DRIVER, DriverNameDelegate(self))
        self.set_type_size(DESK_POINT_SIZE)
        self.selectionModel().selectionChanged.connect(self._on_selection_changed)
        # contextMenuEvent: the mouse's menu and the keyboard's are told apart there
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.DefaultContextMenu)
        self._class = ""
        model.board_updated.connect(self._on_model_board_updated)
        model.modelReset.connect(self._on_model_reset)

    @property
    def class_filter(self) -> str:
        return self._class

    def set_class_filter(self, car_class: str) -> None:
        """Show one class only ("" for every car); positions stay those of the whole field."""
        self._class = car_class
        self._apply_class_filter()

    def _apply_class_filter(self) -> None:
        model = self._board_model
        for row in range(model.rowCount()):
            standing = model.standing_at(row)
            hidden = bool(self._class) and standing.car_class != self._class
            if self.isRowHidden(row) != hidden:
                self.setRowHidden(row, hidden)

    def fit_columns(self) -> None:
        """Fit the columns now (after a replay's seek: a board far from the last one), not at
        the next board update: cells read "+…" until then."""
        self._fit_columns()

    def _on_model_reset(self) -> None:
        # the rows laid out now, not on the view's timer: there the scroll bar they bring came
        # just before the first paint, and its layout after it painted the board again (a long
        # session's board shown ahead: ~10 ms more in the GUI thread's turn)
        self.executeDelayedItemsLayout()
        self._apply_class_filter()
        # another board whole: measured whole, at once
        self._fit_columns(every_cell=True)

    def _on_model_board_updated(self) -> None:
        if self._class:
            self._apply_class_filter()  # rows move as cars cross: once a frame at most
        self._fit_columns()  # at once: a grown text was cut ("+10.…", "Finis…") until a fit

    def _fit_columns(self, every_cell: bool = False) -> None:
        """Widen columns whose text grew (a gap of 10.123 after 1.234); never narrow them, but
        for a whole new board (``every_cell``: another session, a seek), where a column widened
        for the last one's texts gives its room back.
        Done with each board update (once a frame at most), measuring the changed cells only.

        Measured from the display texts alone: asking the delegate for every cell's size hint
        (and repainting after every resize) cost tens of ms a second on a 60-car board. Only
        the cells whose text changed since are measured (every cell measured: ~8 ms a second).
        """
        with self._resized_quietly():
            self._fit_columns_now(every_cell)

    @contextmanager
    def _resized_quietly(self) -> Iterator[None]:
        """Columns resized (or hidden) within are repainted once, with the paint that comes:
        told of each resize, the table repainted the board from it rightwards a turn after
        that paint (a replay seek's board, painted whole at its new widths, was painted whole
        again: ~8-15 ms at 24 h). Its geometry (scroll bars) is set here, once."""
        header = self.horizontalHeader()
        if header.signalsBlocked():
            yield
            return
        header.blockSignals(True)  # before asking: a header asked lays out (and tells) what
        try:  # a reset left pending
            before = [(header.sectionSize(c), header.isSectionHidden(c)) for c in Column]
            yield
            after = [(header.sectionSize(c), header.isSectionHidden(c)) for c in Column]
        finally:
            header.blockSignals(False)
        if before != after:
            self.updateGeometries()
            self.viewport().update()
            header.viewport().update()

    def _fit_columns_now(self, every_cell: bool) -> None:
        changed = self._changed.take()
        if every_cell or changed is None or Column.DRIVER in changed:
            self._driver_needs = self._driver_width_needed()
        for column in Column:
            if column == Column.DRIVER or self.isColumnHidden(column):
                continue
            rows = None if every_cell or changed is None else changed.get(column, set())
            if rows is not None and not rows:
                continue  # no text of it changed: it fits as it did
            needed = self._text_width(column, rows) + CELL_MARGIN_PX
            if needed > self.columnWidth(column) or (
                every_cell and needed != self.columnWidth(column)
            ):
                self.setColumnWidth(column, needed)  # a whole new board: as wide as it needs
        self._share_room()

    # --- sharing the room: the driver's name readable, no scroll bar across --------------------

    def _driver_width_needed(self) -> int:
        """The Driver column's least width: every driver's whole surname ("J. Haley", "HALEY";
        not "HAL") and the title, whatever else must give way for it."""
        model = self._board_model
        self._measures()  # the font and DPI as they are now (a fit kept at another forgotten)
        advance = self._text_widths.of(self.font(), self.viewport()).width
        names = set(model.column_texts(Column.DRIVER))
        if self._driver_fit is not None and self._driver_fit[0] == names:
            return self._driver_fit[1]  # the same names (a change next to them in the row)
        title = self._measures()[3].horizontalAdvance(HEADERS[Column.DRIVER])
        needed = max(title + DRIVER_MARGIN_PX, readable_names_width(names, advance))
        self._driver_fit = (names, needed)
        return needed

    def _share_room(self) -> None:
        """Columns that matter less (:func:`give_way_order`) give way while the others would
        leave Driver less than it needs; they come back, the most needed first, with the room.

        Before any gives way, columns widened for texts they no longer hold narrow to fit again.
        """
        if self._sharing:
            return  # a column hidden or shown here resized the viewport: shared again below
        before = list(self._given_way)
        for _ in range(3):  # the scroll bars a change brings or takes may narrow the room
            width = self.viewport().width()
            with self._resized_quietly():  # its scroll bars set at the end of each round
                self._share_room_of(width - self._driver_needs)
            if self.viewport().width() == width:
                break
        if self._given_way != before:
            self.gave_way.emit(list(self._given_way))

    def _share_room_of(self, room: int) -> None:
        self._sharing = True
        try:
            order = give_way_order(self._board_model.ranks_by_best_lap())
            for kept in [c for c in self._given_way if c not in order]:  # the session changed
                self._given_way.remove(kept)
                self.setColumnHidden(kept, False)
            shown: list[Column] = [
                c for c in Column if c != Column.DRIVER and not self.isColumnHidden(c)
            ]
            used = sum(self.columnWidth(c) for c in shown)
            if used > room:
                for column in shown:  # measured afresh: narrower where texts got shorter
                    self.setColumnWidth(column, self._whole_width(column) + CELL_MARGIN_PX)
                used = sum(self.columnWidth(c) for c in shown)
            gave = False
            for given in order:
                if used <= room:
                    break
                if given in shown:
                    used -= self.columnWidth(given)
                    self._given_way.append(given)
                    self.setColumnHidden(given, True)
                    gave = True
            self._given_way.sort(key=order.index)
            least = self.horizontalHeader().minimumSectionSize()
            while self._given_way and not gave:  # back, the most needed first, while it fits
                back = self._given_way[-1]
                width = max(least, self._text_width(back) + CELL_MARGIN_PX)
                if used + width > room:
                    break
                self._given_way.pop()
                self.setColumnHidden(back, False)
                self.setColumnWidth(back, width)
                used += self.columnWidth(back)
        finally:
            self._sharing = False

    def given_way(self) -> list[Column]:
        """The columns asked for but hidden now for lack of room."""
        return list(self._given_way)

    def given_way_note(self) -> str:
        """What the header's tooltips add while columns are hidden for lack of room."""
        if not self._given_way:
            return ""
        return (
            f"{given_way_line(self._given_way)}. They come back when the board is wider "
            "(or uncheck other columns in View ▸ Columns)."
        )

    def event(self, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.ScreenChangeInternal, QEvent.Type.DevicePixelRatioChange):
            QTimer.singleShot(0, self, self._on_screen_changed)  # once the move is done
        return super().event(event)

    def _on_screen_changed(self) -> None:
        """The window moved to another screen: its texts are painted at that screen's DPI, so
        every cell is measured again (the columns stood as the screen before had them)."""
        self._fit_columns(every_cell=True)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The viewport's new size (a window resized, the splitter or a dock moved)."""
        super().resizeEvent(event)
        self._share_room()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        header = self.horizontalHeader()
        is_tip = event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent)
        if is_tip and watched is header.viewport():
            column = header.logicalIndexAt(event.pos())  # type: ignore[attr-defined]
            tip = HEADER_TIPS.get(Column(column), "") if column >= 0 else ""
            text = "\n\n".join(t for t in (tip, self.given_way_note()) if t)
            if text:
                QToolTip.showText(event.globalPos(), text, header)  # type: ignore[attr-defined]
            else:
                QToolTip.hideText()
            return True
        return super().eventFilter(watched, event)

    def _on_header_section_resized(self, column: int, old: int, new: int) -> None:
        if new < old and column != Column.DRIVER:  # narrowed by hand: measured whole next fit
            self._changed.mark_column(column)  # (Driver takes the room left: not measured so)

    def _text_width(self, column: Column, rows: set[int] | None = None) -> int:
        """The widest of the column's title and texts (of ``rows`` only, if given)."""
        model = self._board_model
        _key, bold, plain, titles = self._measures()
        is_bold = column in (Column.POSITION, Column.CAR)
        measure = bold if is_bold else plain
        title = str(model.headerData(column, Qt.Orientation.Horizontal))
        count = model.rowCount()
        measured = range(count) if rows is None else [r for r in rows if 0 <= r < count]
        if rows is None:
            self._widths[column] = {}  # measured whole: what was kept of it is forgotten
        kept = self._widths.setdefault(column, {})
        widest = titles.horizontalAdvance(title)
        advances = self._advances
        if len(advances) > MEASURED_TEXTS_KEPT:
            advances.clear()  # a long replay's texts: not kept without end
        # read in bulk and each text measured once a font (a seek's board measured whole: the
        # same lap counts, gaps and statuses on many rows and from one seek to the next)
        for row, text in zip(measured, model.column_texts(column, measured), strict=True):
            width = advances.get((is_bold, text))
            if width is None:
                width = advances[(is_bold, text)] = measure.horizontalAdvance(text)
            kept[model.key_at(row)] = width
            widest = max(widest, width)
        return widest

    def _measures(self) -> tuple[DeviceKey, QFontMetrics, QFontMetrics, QFontMetrics]:
        """The cells' metrics (bold, plain) and the titles', in the font and at the DPI the
        board is painted with now: made once a font and screen, not each fit. They were kept
        by the font alone, so a window moved to a screen of another DPI measured its texts as
        the first screen painted them (cut, or columns too wide)."""
        font, viewport = self.font(), self.viewport()
        key = device_key(font, viewport)
        if self._metrics is None or self._metrics[0] != key:
            bold_font = QFont(font.family(), font.pointSize(), QFont.Weight.Bold)
            header = self.horizontalHeader()  # titles are drawn plain, not bold
            titles = metrics(header.font(), header.viewport())
            self._metrics = (key, metrics(bold_font, viewport), metrics(font, viewport), titles)
            self._driver_fit, self._widths = None, {}  # widths in another font, or DPI
            self._advances.clear()
        return self._metrics

    def _whole_width(self, column: Column) -> int:
        """The widest of the column's title and every car's text, from the widths kept as its
        cells were measured (each fit measures the changed ones): a board too narrow even with
        columns given way measured every cell of every column shown at each fit (~10 ms)."""
        titles = self._measures()[3]  # first: widths kept at another DPI are forgotten
        kept = self._widths.get(column)
        if kept is None or len(kept) != self._board_model.rowCount():
            return self._text_width(column)  # never measured whole, or cars came or went
        title = str(self._board_model.headerData(column, Qt.Orientation.Horizontal))
        return max([titles.horizontalAdvance(title), *kept.values()])

    def offered_for(self, key: str) -> list[tuple[CarAction, str, bool, str]]:
        """Each correction of the car's menu: (action, text, offered?, why not): Into the pit
        lane greyed out while the car is in it, Out of it while it is not; Assign this
        transponder only for an unknown transponder's car, else saying why not. The context
        menu and Edit ▸ Selected car offer the same."""
        row = self._board_model.row_of(key)
        in_pit = row >= 0 and self._board_model.index(row, 0).data(Role.STANDING).in_pit
        offered = []
        for name, text in CAR_ACTIONS.items():
            item = (name, text, name is not (CarAction.PIT_IN if in_pit else CarAction.PIT_OUT), "")
            if name is CarAction.ASSIGN_TRANSPONDER:
                refusal = self._board_model.assign_refusal(key)
                if refusal is not None:  # disabled, and says why (the menu shows its tips)
                    item = (name, f"{text} ({refusal[0]})", False, refusal[1])
                else:
                    item = (name, text, True, "")
            offered.append(item)
        return offered

    def menu_for(self, key: str) -> QMenu:
        menu = QMenu(self)
        menu.setToolTipsVisible(True)
        offered = Offered.on(self._board_model.shown_session)  # its car keys are that session's
        for name, text, enabled, why_not in self.offered_for(key):
            if name in (CarAction.PIT_IN, CarAction.ASSIGN_TRANSPONDER):
                menu.addSeparator()
            action = menu.addAction(text)
            action.setObjectName(name)
            action.setEnabled(enabled)
            if why_not:
                action.setToolTip(why_not)
                action.setStatusTip(why_not)
            action.triggered.connect(
                lambda _=False, n=name: self.car_action_requested.emit(n, key, offered)
            )
        return menu

    def highlighted_car(self) -> str | None:
        """The key of the car highlighted (the keyboard's row: the current one if it is
        picked, else the one picked); None if none is, or many without the current one."""
        index = highlighted_index(self)
        return None if index is None else self._board_model.key_at(index.row())

    def ask_for_highlighted(self, action: CarAction) -> bool:
        """Edit ▸ Selected car's item: the correction of the car highlighted now (False: no
        car is, or the board shows a session being opened: :attr:`menu_held`)."""
        key = self.highlighted_car()
        if key is None:
            return False
        if self._board_model.ahead:
            self.menu_held.emit()
            return False
        offered = Offered.on(self._board_model.shown_session)  # the car is highlighted on it
        self.car_action_requested.emit(action, key, offered)
        return True

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """A right-click: the car under the pointer. The Menu key (Shift+F10): the car
        highlighted, keyed when the key is pressed (the board may reorder while it is open),
        its menu under its row (:mod:`widgets.keyboard_menu`)."""
        place = menu_place(self, event)
        if place is None:
            if is_keyboard(event):
                self.menu_key_missed.emit(PICK_A_CAR_FIRST)
            return
        row, where = place
        if self._board_model.ahead:  # a session being opened
            self.menu_held.emit()
            return
        key = self._board_model.key_at(row)
        self.menu_for(key).popup(self.viewport().mapToGlobal(where))
        event.accept()

    def set_type_size(self, point_size: int) -> None:
        """The type size of cells and titles; rows and columns are measured afresh for it."""
        font = QFont(self.font())
        font.setPointSize(point_size)
        self.setFont(font)
        self.horizontalHeader().setFont(font)
        self._metrics, self._driver_fit, self._widths = None, None, {}  # the new size
        self._advances.clear()
        row_height = int(QFontMetrics(font).height() * 1.5)
        header = self.verticalHeader()
        header.setMinimumSectionSize(min(row_height, header.minimumSectionSize()))
        header.setDefaultSectionSize(row_height)
        header.setMinimumSectionSize(row_height)
        driver = QFontMetrics(font).horizontalAdvance(SHORTEST_DRIVER_TEXT) + CELL_MARGIN_PX
        self.horizontalHeader().setMinimumSectionSize(driver)
        for column in Column:  # new type size: every column is measured afresh
            if column != Column.DRIVER:
                self.setColumnWidth(column, 0)
        self._fit_columns(every_cell=True)

    def visible_optional_columns(self) -> list[Column]:
        """The optional columns asked for (shown, or hidden now for lack of room)."""
        return [c for c in OPTIONAL_COLUMNS if c in self._wanted]

    def show_official_column(self, shown: bool) -> None:
        """The timing system's own position (TS), while a feed is followed."""
        self.show_optional_column(Column.OFFICIAL, shown)

    def show_optional_column(self, column: Column, shown: bool) -> None:
        """Asked for or not; one asked for is shown if there is room (else it gives way)."""
        if shown:
            self._wanted.add(column)
        else:
            self._wanted.discard(column)
        if column in self._given_way and not shown:
            self._given_way.remove(column)
            self.gave_way.emit(list(self._given_way))
        elif column not in self._given_way:
            self.setColumnHidden(column, not shown)
        if shown:
            self._fit_columns(every_cell=True)  # at once: not squashed until the next fit
        else:
            self._share_room()  # the room it leaves may bring back another

    def picked_cars(self) -> list[str]:
        rows = sorted(index.row() for index in self.selectionModel().selectedRows())
        return [self._board_model.key_at(row) for row in rows]

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self.cars_picked.emit(self.picked_cars())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.clearSelection()
            return
        if is_menu_key(event):  # Shift+F10: as the Menu key
            send_keyboard_menu(self)
            return
        super().keyPressEvent(event)
