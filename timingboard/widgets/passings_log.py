"""The passings log table, with the corrections an operator makes from it."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView, QWidget

from timingboard.qt.passings_model import PassingColumn, PassingRole, PassingsModel

PASSING_ACTIONS = {
    "delete": "Delete passing (double read)",
    "insert_before": "Insert a missed passing before…",
    "insert_after": "Insert a missed passing after…",
    "reassign": "Reassign to another car…",
    "invalidate": "Invalidate this lap (best lap)",
}


class PassingsLogView(QTableView):
    """Every passing, newest first; right-click offers the corrections.

    Signals
    -------
    correction_requested(str, int)
        An action name from ``PASSING_ACTIONS`` and the passing id it is for.
    """

    correction_requested = Signal(str, int)

    def __init__(self, model: PassingsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("passingsLog")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PassingColumn.NOTE, QHeaderView.ResizeMode.Stretch)
        header.setResizeContentsPrecision(0)  # the rows in view, not the first 1,000 of 100k
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._on_context_menu_requested)

    def passing_at(self, row: int) -> int:
        return self.model().index(row, 0).data(PassingRole.PASSING_ID)

    def menu_for(self, passing_id: int) -> QMenu:
        menu = QMenu(self)
        for name, text in PASSING_ACTIONS.items():
            action = menu.addAction(text)
            action.setObjectName(name)
            action.triggered.connect(
                lambda _=False, n=name: self.correction_requested.emit(n, passing_id)
            )
        return menu

    def _on_context_menu_requested(self, position: QPoint) -> None:
        index = self.indexAt(position)
        if index.isValid():
            self.menu_for(self.passing_at(index.row())).popup(self.viewport().mapToGlobal(position))
