"""The passings log table, with the corrections an operator makes from it."""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QContextMenuEvent, QHelpEvent, QKeyEvent, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSlider,
    QHeaderView,
    QLabel,
    QMenu,
    QScrollBar,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionSlider,
    QStyleOptionViewItem,
    QTableView,
    QToolTip,
    QWidget,
)

from timingboard.engine import PassingStatus
from timingboard.engine.events import Source
from timingboard.qt.passings_model import PassingRole, PassingsModel
from timingboard.text.passing_text import (
    NOTES,
    SHOWN_WIDEST,
    STATUS_TEXT,
    PassingColumn,
    PassingRow,
    status_shown,
    status_tip,
)
from timingboard.widgets.board_delegate import DriverNameDelegate, readable_names_width
from timingboard.widgets.correction_actions import (
    DOUBLE_READ_DELETE,
    PASSING_MENU,
    Offered,
    PassingAction,
    with_mnemonic,
)
from timingboard.widgets.keyboard_menu import (
    PICK_A_PASSING_FIRST,
    highlighted_index,
    is_keyboard,
    is_menu_key,
    menu_place,
    send_keyboard_menu,
)
from timingboard.widgets.painted_rows import PaintedRows

TIME_TEXT = "00:00:00.000  "  # the widest clock a passing shows, and the cell's margins
CELL_MARGIN_PX = 10
DRIVER_TEXT = "M. McDowell    "  # room for "K. Larson"; longer names shorten by rule
LOADING_TEXT = "Loading passings…"  # a long session's rows come after its board's paint
SHORT_DRIVER_TEXT = "J. Haley"  # the least room the Driver column is left before any car

PASSING_ACTIONS = PASSING_MENU


class StatusDelegate(QStyledItemDelegate):
    """Status, or the correction made to the passing; the tooltip says both in full."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        row = index.data(PassingRole.ROW)
        if isinstance(row, PassingRow):
            option.text = status_shown(row)  # type: ignore[attr-defined]

    def helpEvent(self, event, view, option, index) -> bool:  # type: ignore[override]
        row = index.data(PassingRole.ROW)
        if isinstance(event, QHelpEvent) and event.type() == QEvent.Type.ToolTip and row:
            QToolTip.showText(event.globalPos(), status_tip(row), view)
            return True
        return super().helpEvent(event, view, option, index)


class SteadyScrollBar(QScrollBar):
    """Repaints when its range changes only if that moved or resized its handle: a log of
    thousands of passings grows a row at each crossing with the handle where it was, and each
    repaint (the dock and the window beneath it too) was ~1 ms of the crossing's frame."""

    def __init__(self, orientation: Qt.Orientation, parent: QWidget | None = None) -> None:
        super().__init__(orientation, parent)
        self._painted: tuple[object, ...] | None = None  # how it looked when last painted

    def _look(self) -> tuple[object, ...]:
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        handle = self.style().subControlRect(
            QStyle.ComplexControl.CC_ScrollBar, option, QStyle.SubControl.SC_ScrollBarSlider, self
        )
        at = self.value()
        return (handle, at == self.minimum(), at == self.maximum(), self.size())

    def paintEvent(self, event: QPaintEvent) -> None:
        self._painted = self._look()
        super().paintEvent(event)

    def sliderChange(self, change: QAbstractSlider.SliderChange) -> None:
        steady = change == QAbstractSlider.SliderChange.SliderRangeChange
        if steady and self._painted is not None and self._look() == self._painted:
            return  # drawn as it would be drawn now
        super().sliderChange(change)


class PassingsLogView(QTableView):
    """Every passing, newest first; right-click (the Menu key, Shift+F10 on the highlighted
    passing) offers the corrections.

    Signals
    -------
    correction_requested(PassingAction, int, Offered)
        The correction asked for (a ``str`` enum), the passing id it is for, and the session
        the log listed when its menu was offered (:class:`Offered`); from the context menu or
        Edit ▸ Selected passing.
    menu_key_missed(str)
        The Menu key (Shift+F10) pressed with no passing highlighted: no menu; the words saying
        how to pick one (:data:`PICK_A_PASSING_FIRST`), for the status bar.
    """

    correction_requested = Signal(PassingAction, int, object)
    menu_key_missed = Signal(str)

    def __init__(self, model: PassingsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("passingsLog")
        self._model = model
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setResizeContentsPrecision(0)  # the rows in view, not the first 1,000 of 100k
        # the time never cut ("0:…"): as wide as the longest clock; the driver shortens by
        # rule ("K. Larson", "LARSON"): time, car, driver, lap and status fit a narrow dock
        header.setSectionResizeMode(PassingColumn.TIME, QHeaderView.ResizeMode.Fixed)
        self.setColumnWidth(PassingColumn.TIME, self.fontMetrics().horizontalAdvance(TIME_TEXT))
        # the driver has the room the others leave (shortened by rule), and the log is never
        # narrower than its other columns and a short name: no scroll bar across the dock (its
        # columns ran 24 px off a dock of 290 px in a 1280x800 window)
        header.setSectionResizeMode(PassingColumn.DRIVER, QHeaderView.ResizeMode.Stretch)
        header.sectionResized.connect(self._on_header_section_resized)
        self.setColumnWidth(PassingColumn.DRIVER, self.fontMetrics().horizontalAdvance(DRIVER_TEXT))
        header.setStretchLastSection(False)  # notes are rare: they may run on to the right
        self.setItemDelegateForColumn(PassingColumn.DRIVER, DriverNameDelegate(self))
        self.setItemDelegateForColumn(PassingColumn.STATUS, StatusDelegate(self))
        for column, texts in (
            (PassingColumn.STATUS, [*STATUS_TEXT.values(), *NOTES, *SHOWN_WIDEST]),
            (PassingColumn.SOURCE, [str(s) for s in Source]),
        ):  # a known few texts: as wide as the widest, whichever rows are in view
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            widest = max(self.fontMetrics().horizontalAdvance(t) for t in [*texts, "Status"])
            self.setColumnWidth(column, widest + CELL_MARGIN_PX)
        self.setColumnHidden(PassingColumn.SOURCE, True)  # decoder or feed: rarely asked in a dock
        self.setColumnHidden(PassingColumn.NOTE, True)  # said in the Status cell instead
        # the rest fit their contents; set last: a width set while a section fits its contents
        # measured that section over every row of a view not yet shown (120k rows of a 24-hour
        # session: ~10M data() calls, minutes, before the window first painted)
        for column in (PassingColumn.CAR, PassingColumn.LAP, PassingColumn.LAP_TIME):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBar(SteadyScrollBar(Qt.Orientation.Vertical, self))
        # contextMenuEvent: the mouse's menu and the keyboard's are told apart there
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.DefaultContextMenu)
        self._driver_names: set[str] = set()
        model.log_updated.connect(self._on_model_log_updated)
        model.modelReset.connect(self._on_model_log_updated)
        model.modelReset.connect(self._on_model_model_reset)
        self._on_model_log_updated()
        self._painted_rows = PaintedRows(self, model.passing_id_at)
        # a long session's rows are listed a turn after its board: said meanwhile, not blank
        self.loading_label = QLabel(LOADING_TEXT, self.viewport())
        self.loading_label.setObjectName("passingsLoading")
        self.loading_label.hide()

    def _on_model_model_reset(self) -> None:
        if self.isVisible() and self._model.rowCount():
            # its rows laid out now, not on the view's timer after the paint: the scroll bar
            # the rows bring narrowed the viewport then, and every row in view was painted
            # again (a long session's rows listed: ~10 ms more of the GUI thread in a turn)
            self.executeDelayedItemsLayout()
        self.loading_label.setVisible(self._model.loading)
        self._place_loading_label()

    def _place_loading_label(self) -> None:
        if self.loading_label.isVisible():
            self.loading_label.adjustSize()
            port = self.viewport()
            self.loading_label.move(
                (port.width() - self.loading_label.width()) // 2,
                (port.height() - self.loading_label.height()) // 2,
            )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_loading_label()

    def paintEvent(self, event: QPaintEvent) -> None:
        """Rows painted before are drawn back (see ``PaintedRows``): a passing at the top moves
        every row down one, and Qt repaints them all."""
        self._painted_rows.paint(event, super().paintEvent)

    def changeEvent(self, event: QEvent) -> None:
        self._painted_rows.view_changed(event)
        super().changeEvent(event)

    def sizeHintForColumn(self, column: int) -> int:
        """A column fitting its contents measures the rows a screen shows. Qt measures every
        row of a view not shown (``resizeContentsPrecision`` counts only once it is): a 24 h
        log's 120k rows, each made for it and kept, ~0.3 s at the window's start and 45 ms
        more to free at the next session switch; a hidden log at each session shown."""
        if self.isVisible():
            return super().sizeHintForColumn(column)
        model = self.model()
        height = max(self.viewport().height(), self.sizeHint().height())
        rows = min(model.rowCount(), height // max(1, self.verticalHeader().defaultSectionSize()))
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        widest = 0
        for row in range(rows + 1):
            index = model.index(row, column)
            if index.isValid():
                widest = max(
                    widest, self.itemDelegateForIndex(index).sizeHint(option, index).width()
                )
        return widest + (1 if self.showGrid() else 0)

    def minimumSizeHint(self) -> QSize:
        """As wide as the columns other than Driver, every driver's whole surname (as the
        board), and the scroll bar."""
        header = self.horizontalHeader()
        others = sum(
            header.sectionSize(c)
            for c in PassingColumn
            if c is not PassingColumn.DRIVER and not header.isSectionHidden(c)
        )
        advance = self.fontMetrics().horizontalAdvance
        driver = max(
            advance(SHORT_DRIVER_TEXT) + CELL_MARGIN_PX,
            readable_names_width(self._driver_names, advance),  # the board's rule: no "ALL"
        )
        chrome = self.verticalScrollBar().sizeHint().width() + 2 * self.frameWidth()
        return QSize(others + driver + chrome, super().minimumSizeHint().height())

    def _on_model_log_updated(self) -> None:
        if self._model.loading:  # the dock's room for the names once its rows come, not in
            return  # the switch's paint (the board resized and painted twice in it)
        names = self._model.driver_names()
        if names != self._driver_names:
            self._driver_names = names
            self.updateGeometry()  # a longer name entered: the dock makes room for it

    def _on_header_section_resized(self, column: int, old: int, new: int) -> None:
        if column != PassingColumn.DRIVER and old != new:
            self.updateGeometry()  # a wider car or lap time: the dock makes room for it

    def passing_at(self, row: int) -> int:
        return self.model().index(row, 0).data(PassingRole.PASSING_ID)

    @staticmethod
    def offered(
        invalidate: str | None = None, double_read: bool = False
    ) -> list[tuple[PassingAction, str, bool]]:
        """Each correction of a passing's menu: (action, text, offered?). A lap is
        invalidated only where one was completed (``invalidate``: the item's words naming that
        lap; None at a double read, a start or a deleted passing: greyed out); a deletion says
        "double read" only where the board flagged one (``double_read``). The context menu and
        Edit ▸ Selected passing offer the same."""
        items = []
        for name, text in PASSING_ACTIONS.items():
            lap = name is PassingAction.INVALIDATE
            if name is PassingAction.DELETE and double_read:
                text = DOUBLE_READ_DELETE
            shown = with_mnemonic(invalidate) if lap and invalidate else text
            items.append((name, shown, not lap or invalidate is not None))
        return items

    def offered_at(self, row: int) -> list[tuple[PassingAction, str, bool]]:
        """:meth:`offered` for the passing listed in ``row``."""
        passing = self.model().index(row, 0).data(PassingRole.ROW)
        invalidate = self._model.invalidate_text(passing) if passing is not None else None
        double_read = passing is not None and passing.status is PassingStatus.DOUBLE_READ
        return self.offered(invalidate, double_read)

    def menu_for(
        self, passing_id: int, invalidate: str | None = None, double_read: bool = False
    ) -> QMenu:
        """The corrections for one passing (:meth:`offered`)."""
        return self._menu(passing_id, self.offered(invalidate, double_read))

    def _menu(self, passing_id: int, items: list[tuple[PassingAction, str, bool]]) -> QMenu:
        menu = QMenu(self)
        offered = Offered.on(self._model.shown_session)  # its passing ids are that session's
        for name, text, enabled in items:
            action = menu.addAction(text)
            action.setObjectName(name)
            action.setEnabled(enabled)
            action.triggered.connect(
                lambda _=False, n=name: self.correction_requested.emit(n, passing_id, offered)
            )
        return menu

    def highlighted_row(self) -> int | None:
        """The row of the passing highlighted (None: none is)."""
        index = highlighted_index(self)
        return None if index is None else index.row()

    def ask_for_highlighted(self, action: PassingAction) -> bool:
        """Edit ▸ Selected passing's item: the correction of the passing highlighted now
        (False: none is)."""
        row = self.highlighted_row()
        if row is None:
            return False
        offered = Offered.on(self._model.shown_session)  # the passing is highlighted on it
        self.correction_requested.emit(action, self.passing_at(row), offered)
        return True

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """A right-click: the passing under the pointer. The Menu key (Shift+F10): the one
        highlighted, keyed when the key is pressed (new passings come in above it), its menu
        under its row (:mod:`widgets.keyboard_menu`)."""
        place = menu_place(self, event)
        if place is None:
            if is_keyboard(event):
                self.menu_key_missed.emit(PICK_A_PASSING_FIRST)
            return
        row, where = place
        self._menu(self.passing_at(row), self.offered_at(row)).popup(
            self.viewport().mapToGlobal(where)
        )
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if is_menu_key(event):  # Shift+F10: as the Menu key
            send_keyboard_menu(self)
            return
        super().keyPressEvent(event)
