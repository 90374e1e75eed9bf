"""The corrections made in this session, for stewards and the results."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from timingboard.qt.audit_model import AuditColumn, AuditModel
from timingboard.widgets.loading_label import LoadingLabel

CELL_MARGIN_PX = 12  # the style's margins either side of a text, and a little air
SHARED = (AuditColumn.ACTION, AuditColumn.REASON)  # the long texts: they share what is left
LOADING_TEXT = "Loading corrections…"  # a long session being opened: the list before's gone

Index = QModelIndex | QPersistentModelIndex


class AuditView(QTableView):
    """One line a correction; every column as wide as its widest text, measured here as rows
    come (Qt's ResizeToContents waits for a relayout that rows added under a scroll bar never
    get: the Reason column stayed as narrow as its first reason, its texts wrapped and cut).
    Where Correction and Reason cannot both be whole, the shorter is (if it takes at most half
    the room) and the other is cut with "…"; the cell's tooltip has the whole text."""

    def __init__(self, model: AuditModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditView")
        self.setModel(model)
        self._audit = model
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)  # a second line would be cut by the row: "…" says it instead
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(AuditColumn.ACTION, QHeaderView.ResizeMode.Stretch)
        self._widest: dict[AuditColumn, int] = {}
        self.loading_label = LoadingLabel(LOADING_TEXT, self)
        self.loading_label.setObjectName("auditLoading")
        model.modelReset.connect(self._on_model_reset)
        model.rowsInserted.connect(self._on_model_rows_inserted)
        model.dataChanged.connect(self._on_model_data_changed)
        self._on_model_reset()

    def _on_model_reset(self) -> None:
        self.loading_label.show_if(self._audit.loading)
        titles = self.horizontalHeader().fontMetrics()
        self._widest = {
            c: titles.horizontalAdvance(str(self.model().headerData(c, Qt.Orientation.Horizontal)))
            for c in AuditColumn
        }
        self._measure(range(self.model().rowCount()))

    def _on_model_rows_inserted(self, _parent: Index, first: int, last: int) -> None:
        self._measure(range(first, last + 1))

    def _on_model_data_changed(self, top_left: Index, bottom_right: Index, *_roles) -> None:
        self._measure(range(top_left.row(), bottom_right.row() + 1))

    def _measure(self, rows: range) -> None:
        """The widest text of each column, with these rows' texts (a column never narrows
        while its rows stay: texts come and go, the columns do not shiver)."""
        advance = self.fontMetrics().horizontalAdvance
        model = self.model()
        for column in AuditColumn:
            texts = (str(model.index(row, column).data() or "") for row in rows)
            self._widest[column] = max([self._widest[column], *map(advance, texts)])
        self._fit()

    def _fit(self) -> None:
        for column in AuditColumn:
            if column not in SHARED:
                self.setColumnWidth(column, self._widest[column] + CELL_MARGIN_PX)
        fixed = sum(self.columnWidth(c) for c in AuditColumn if c not in SHARED)
        left = self.viewport().width() - fixed
        action, reason = (self._widest[c] + CELL_MARGIN_PX for c in SHARED)
        if action + reason > left:  # both cannot be whole: the shorter is, if in half of it
            if reason > left // 2:
                reason = left - action if action <= left // 2 else left // 2
            reason = max(reason, self._widest_title(AuditColumn.REASON))
        self.setColumnWidth(AuditColumn.REASON, reason)  # Correction stretches over the rest

    def _widest_title(self, column: AuditColumn) -> int:
        title = str(self.model().headerData(column, Qt.Orientation.Horizontal))
        return self.horizontalHeader().fontMetrics().horizontalAdvance(title) + CELL_MARGIN_PX

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The viewport's new size: Correction and Reason share it afresh."""
        super().resizeEvent(event)
        self._fit()
