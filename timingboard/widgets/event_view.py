"""The Event view: the sessions of the event folder; double-click (or Enter) opens one."""

from __future__ import annotations

from PySide6.QtCore import QDate, QSize, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from timingboard.engine.settings import LengthUnit
from timingboard.qt.event_model import PATH_ROLE, EventModel
from timingboard.store.event_folder import EventInfo
from timingboard.widgets.fitted_columns import keep_fitted
from timingboard.widgets.form_dialog import ok_cancel

PREFERRED_HEIGHT = 250  # px: about six rows


class EventView(QWidget):
    """The event's name, date and track above its sessions.

    Signals
    -------
    open_requested(str)
        A session was double-clicked (or Enter pressed on it): its path.
    details_requested()
        Event details… was chosen.
    refresh_requested()
        Refresh was chosen.
    """

    open_requested = Signal(str)
    details_requested = Signal()
    refresh_requested = Signal()

    def __init__(self, model: EventModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("eventView")
        self.model = model
        self.title = QLabel("No event", self)
        self.title.setObjectName("eventTitle")
        font = self.title.font()
        font.setPointSize(font.pointSize() + 3)
        font.setBold(True)
        self.title.setFont(font)
        self.table = QTableView(self)
        self.table.setObjectName("eventTable")
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        keep_fitted(self.table)  # a new session's "scheduled" is not cut to "sched…"
        self.toolbar = QToolBar("Event", self)
        self.details_action = QAction("Event &details…", self)
        self.refresh_action = QAction("&Refresh", self)
        self.toolbar.addActions([self.details_action, self.refresh_action])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addStretch(0)  # a reason in place of the table stays at the top
        # a double-click (or Enter) activates a row; doubleClicked as well opened it twice
        self.table.activated.connect(self._on_table_activated)
        self.details_action.triggered.connect(self.details_requested)
        self.refresh_action.triggered.connect(self.refresh_requested)

    def sizeHint(self) -> QSize:
        """Low under the board: the board comes first."""
        return QSize(640, PREFERRED_HEIGHT)

    def show_event(self, info: EventInfo, folder_name: str) -> None:
        self.table.show()
        self.details_action.setEnabled(True)
        self.title.setWordWrap(False)
        parts = [info.name or folder_name]
        if info.date:
            parts.append(info.date)
        if info.track_name or info.track_length:
            parts.append(f"{info.track_name} {info.track_length:g} {info.length_unit}".strip())
        self.title.setText(" · ".join(parts))

    def show_no_event(self, reason: str) -> None:
        """No event folder to list: ``reason`` in place of the (empty) table."""
        self.title.setText(reason)
        self.title.setWordWrap(True)
        self.table.hide()
        self.details_action.setEnabled(False)  # nowhere to keep them

    def _on_table_activated(self, index) -> None:
        if index.isValid():
            self.open_requested.emit(str(index.siblingAtColumn(0).data(PATH_ROLE)))


class EventDetailsDialog(QDialog):
    """The event's name, date and track, which new sessions inherit."""

    def __init__(self, info: EventInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Event details")
        self.name = QLineEdit(info.name, self)
        self.date = QDateEdit(self)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setDate(
            QDate.fromString(info.date, "yyyy-MM-dd") if info.date else QDate.currentDate()
        )
        self.track = QLineEdit(info.track_name, self)
        self.length = QDoubleSpinBox(self, decimals=3, minimum=0.0, maximum=100.0)
        self.length.setValue(float(info.track_length))
        self.unit = QComboBox(self)
        self.unit.addItem("miles", LengthUnit.MILES)
        self.unit.addItem("kilometres", LengthUnit.KILOMETRES)
        self.unit.setCurrentIndex(0 if info.length_unit is LengthUnit.MILES else 1)
        buttons = ok_cancel(self)
        form = QFormLayout(self)
        form.addRow("Event", self.name)
        form.addRow("Date", self.date)
        form.addRow("Track", self.track)
        form.addRow("Track length", self.length)
        form.addRow("Unit", self.unit)
        form.addRow(buttons)

    def info(self) -> EventInfo:
        return EventInfo(
            name=self.name.text().strip(),
            date=self.date.date().toString("yyyy-MM-dd"),
            track_name=self.track.text().strip(),
            track_length=self.length.value(),
            length_unit=LengthUnit(self.unit.currentData()),
        )
