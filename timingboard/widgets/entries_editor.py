"""The Entries editor: the session's entry list, to add to, edit, sort, search and withdraw from.

Keyboard first: type a number in "Add car" and Enter adds it and opens its first-name cell;
a letter typed on a cell (or F2, a double-click) edits it, a digit is a car crossing (see
app/entry_focus.py); Ctrl+F searches; Delete withdraws the car. A change of a car already on the
list is a correction, signed and undone with Ctrl+Z like any other.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyle,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from timingboard.engine.events import CompetitorSet
from timingboard.qt.entries_model import SORT_ROLE, EntriesModel, EntriesProxy
from timingboard.text.entry_text import EntryColumn
from timingboard.text.typed_passing import too_long_text
from timingboard.widgets.loading_label import LoadingLabel
from timingboard.widgets.text_widths import TextWidths

MESSAGE_COLOURS = {"ok": "#4cd964", "warn": "#f2c200", "bad": "#ff6b6b"}

PREFERRED_HEIGHT = 250  # px: about six rows
LOADING_TEXT = "Loading entries…"  # a long session being opened: the list before's gone
EDIT_TRIGGERS = (
    QAbstractItemView.EditTrigger.AnyKeyPressed
    | QAbstractItemView.EditTrigger.EditKeyPressed
    | QAbstractItemView.EditTrigger.DoubleClicked
)
NO_EDIT = QAbstractItemView.EditTrigger.NoEditTriggers


class EntriesEditor(QWidget):
    """The entry list as an editable table, with its toolbar.

    Signals
    -------
    import_requested()
        Import CSV… was chosen.
    export_requested()
        Export CSV… was chosen.
    classes_requested()
        Classes… was chosen.
    withdraw_requested(str)
        Delete on a car: the registration key of the car to withdraw.
    """

    classes_requested = Signal()
    import_requested = Signal()
    export_requested = Signal()
    withdraw_requested = Signal(str)

    def __init__(self, model: EntriesModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("entriesEditor")
        self.setProperty("keepsKeys", True)  # typing on a cell edits it (see app/entry_focus.py)
        self.model = model
        self.desk = model._desk
        self.proxy = EntriesProxy(self)
        self.proxy.setSourceModel(model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.table = QTableView(self)
        self.table.setObjectName("entriesTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(EntryColumn.NUMBER, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(EDIT_TRIGGERS)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        # fitted here from the texts (Qt's ResizeToContents asked every cell for every role
        # through the proxy: ~8,000 calls of data(), 40-80 ms of the window's thread at each
        # reset, the longest part of a replay's first paint)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(False)
        self._widths = TextWidths()
        self.loading_label = LoadingLabel(LOADING_TEXT, self.table)
        self.loading_label.setObjectName("entriesLoading")
        model.modelReset.connect(self._on_model_model_reset)
        self.add_field = QLineEdit(self)
        self.add_field.setObjectName("addCarField")
        self.add_field.setPlaceholderText("Add car #")
        # no length limit: a ninth digit was cut off unsaid, and the first eight added as
        # another car; Enter refuses a number too long, and says why (as the Entry panel does)
        self.add_field.setMaximumWidth(110)
        self.search = QLineEdit(self)
        self.search.setObjectName("entriesSearch")
        self.search.setPlaceholderText("Search (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        self.read_only_line = QLabel("", self)  # why nothing here changes the list, if so
        self.read_only_line.setObjectName("entriesReadOnly")
        self.read_only_line.setStyleSheet(f"color: {MESSAGE_COLOURS['warn']};")
        self.read_only_line.hide()
        self.toolbar = QToolBar("Entries", self)
        self.import_action = QAction("&Import CSV…", self)
        self.export_action = QAction("&Export CSV…", self)
        self.classes_action = QAction("&Classes…", self)
        self.withdraw_action = QAction("Withdraw car", self, shortcut=QKeySequence("Delete"))
        self.withdraw_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find = QAction(self, shortcut=QKeySequence(QKeySequence.StandardKey.Find))
        find.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.triggered.connect(self._on_find_triggered)
        self.addActions([find, self.withdraw_action])
        for action in (self.import_action, self.export_action):
            self.toolbar.addAction(action)
        self.toolbar.addAction(self.withdraw_action)
        self.toolbar.addAction(self.classes_action)
        top = QHBoxLayout()
        top.addWidget(self.add_field)
        top.addWidget(self.search, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.read_only_line)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self.add_field.returnPressed.connect(self._on_add_field_return_pressed)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.import_action.triggered.connect(self.import_requested)
        self.export_action.triggered.connect(self.export_requested)
        self.classes_action.triggered.connect(self.classes_requested)
        self.withdraw_action.triggered.connect(self._on_withdraw_action_triggered)
        self.desk.refused.connect(lambda text: self.say(text, "bad"))
        self._hint_shown = False  # "type the driver's first name", cleared once it is typed
        self._fit_when_shown = False  # rows came or changed while the list was not in sight
        model.dataChanged.connect(self._on_model_data_changed)
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.dataChanged):
            signal.connect(self._fit_columns)
        self._fit_columns()

    def _fit_columns(self, *_args: object) -> None:
        """Each column as wide as its widest text or its header, as Qt's ResizeToContents
        made it: the texts measured in bulk, each once (:class:`TextWidths`). A list not in
        sight (its tab behind another) is fitted when shown: a long session opened behind
        it measured its rows in the views' reset, the open's longest turn."""
        if not self.table.isVisible():
            self._fit_when_shown = True
            return
        self._fit_when_shown = False
        table = self.table
        header = table.horizontalHeader()
        style = table.style()
        margin = 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1)
        icon = style.pixelMetric(QStyle.PixelMetric.PM_SmallIconSize, None, table) + margin
        widths = self._widths.of(table.font())
        grid = 1 if table.showGrid() else 0
        for column in EntryColumn:
            width = widths.widest(self.model.column_texts(column)) + margin + grid
            if column is EntryColumn.CLASS:
                width += icon
            header.resizeSection(column, max(width, header.sectionSizeHint(column)))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._fit_when_shown:
            self._fit_columns()

    def set_read_only(self, reason: str | None) -> None:
        """A replay, or a session another board holds: the list is read, searched and
        exported, not changed; ``reason`` says why on a line of its own and on each control
        that is off (Import CSV looked enabled in a replay and did nothing)."""
        editable = reason is None
        for action in (self.import_action, self.withdraw_action, self.classes_action):
            action.setEnabled(editable)
            action.setToolTip(reason or action.text().replace("&", "").rstrip("…"))
        self.add_field.setEnabled(editable)
        self.add_field.setToolTip(reason or "")
        self.table.setEditTriggers(EDIT_TRIGGERS if editable else NO_EDIT)
        self.read_only_line.setText(reason or "")
        self.read_only_line.setVisible(not editable)

    def sizeHint(self) -> QSize:
        """Low under the board: the board comes first, the list scrolls."""
        return QSize(640, PREFERRED_HEIGHT)

    def say(self, text: str, tone: str = "ok") -> None:
        self._hint_shown = False
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {MESSAGE_COLOURS[tone]};")

    def rows_shown(self) -> list[list[str]]:
        """The table as the operator reads it, row by row (sorted and searched)."""
        return [
            [str(self.proxy.index(r, c).data() or "") for c in range(self.proxy.columnCount())]
            for r in range(self.proxy.rowCount())
        ]

    def focus_cell(self, car: str, column: EntryColumn, edit: bool = False) -> None:
        row = self.model.row_of(car)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, column))
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        self.table.setFocus()
        if edit:
            self.table.edit(index)

    def _on_model_model_reset(self) -> None:
        self.loading_label.show_if(self.model.loading)

    def _on_model_data_changed(self) -> None:
        if self._hint_shown:
            self._hint_shown = False
            self.say("")

    def _on_find_triggered(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _on_add_field_return_pressed(self) -> None:
        car = self.add_field.text().strip()
        too_long = too_long_text(car, "Nothing added")
        if too_long is not None:
            self.say(too_long, "bad")
            self.add_field.selectAll()  # the number stays, to be seen and retyped
            return
        if self.model.row_of(car) is not None:
            self.say(f"Car {car} is already on the list.", "warn")
            self.focus_cell(car, EntryColumn.FIRST)
            return
        if self.desk.set_entry(CompetitorSet(key=car, car=car)):
            self.add_field.clear()
            self.search.clear()
            self.say(f"Car {car} added; type the driver's first name.")
            self._hint_shown = True
            self.focus_cell(car, EntryColumn.FIRST, edit=True)

    def _on_withdraw_action_triggered(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            entry = self.model.entry(self.proxy.mapToSource(index).row())
            self.withdraw_requested.emit(entry.key)
