"""The decoder health panel: one row a decoder, warnings in red.

Its columns fit a narrow dock beside the Entries (short titles with the unit, numbers alone
in the cells): the warning column takes what room is left and elides, its text whole in the
tooltip, so the panel never scrolls sideways.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from timingboard.qt.decoder_health_model import DecoderHealthModel
from timingboard.text.feed_status import WIDEST_TEXTS, HealthColumn

CELL_MARGIN_PX = 12  # the padding a cell and a title add to their text


class DecoderHealthView(QTableView):
    def __init__(self, model: DecoderHealthModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("decoderHealth")
        self.setModel(model)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(HealthColumn.WARNING, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(24)

    def fitted_width(self) -> int:
        """How wide the panel must be to show every column whole, before any decoder is
        heard too: each column as wide as its title or its usual widest text."""
        total = sum(self._room_for(column) for column in HealthColumn)
        return total + self.verticalScrollBar().sizeHint().width() + 2 * self.frameWidth()

    def width_short(self) -> int:
        """How much wider the panel must be for its columns to show whole and the warning's
        title and a short warning too, without scrolling sideways (numbers grow: a decoder's
        passing number, a clock far off); 0 if none."""
        header = self.horizontalHeader()
        shown = [
            c for c in HealthColumn if c != HealthColumn.WARNING and not header.isSectionHidden(c)
        ]
        warning = self._room_for(HealthColumn.WARNING)
        return max(0, sum(header.sectionSize(c) for c in shown) + warning - self.viewport().width())

    def _room_for(self, column: HealthColumn) -> int:
        title = str(self.model().headerData(column, Qt.Orientation.Horizontal))
        text = WIDEST_TEXTS.get(column, "")
        width = max(
            self.horizontalHeader().fontMetrics().horizontalAdvance(title),
            self.fontMetrics().horizontalAdvance(text),
        )
        return width + CELL_MARGIN_PX
