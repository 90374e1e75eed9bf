"""The decoders' health as a table: one row a decoder, its STATUS, clock and warnings."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QColor

from timingboard.feeds.p3_session import DecoderHealth, TimingLine
from timingboard.qt.column_table import ColumnTable, Index
from timingboard.text.feed_status import HEADER_TIPS, HEADERS, HealthColumn, health_texts

WARNING_COLOUR = QColor("#e05050")


class DecoderHealthModel(ColumnTable):
    """Rows follow ``source()`` (decoder id → health) when :meth:`refresh` is called."""

    columns = HealthColumn
    headers = HEADERS
    header_tips = HEADER_TIPS

    def __init__(
        self,
        source: Callable[[], dict[int | None, DecoderHealth]],
        line_of: Callable[[int | None], TimingLine],
        parent: QObject | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._line_of = line_of
        self._clock = clock
        self._ids: list[int | None] = []
        self._texts: list[dict[HealthColumn, str]] = []

    def refresh(self) -> None:
        health = self._source()
        now = self._clock()
        if any(i not in health for i in self._ids):  # another link, or none
            self.beginResetModel()
            self._ids, self._texts = [], []
            self.endResetModel()
        new = [i for i in health if i not in self._ids]
        if new:
            first = len(self._ids)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self._ids += new
            self._texts += [{} for _ in new]
            self.endInsertRows()
        for row, ident in enumerate(self._ids):
            texts = health_texts(health[ident], self._line_of(ident), now)
            if texts != self._texts[row]:
                changed = [c for c in HealthColumn if texts[c] != self._texts[row].get(c)]
                self._texts[row] = texts
                self.dataChanged.emit(
                    self.index(row, min(changed)),
                    self.index(row, max(changed)),
                    [
                        Qt.ItemDataRole.DisplayRole,
                        Qt.ItemDataRole.ForegroundRole,
                        Qt.ItemDataRole.ToolTipRole,
                    ],
                )

    def warnings(self) -> list[str]:
        """Every decoder's warnings, for the status bar."""
        return [
            f"decoder {texts[HealthColumn.DECODER]}: {texts[HealthColumn.WARNING]}"
            for texts in self._texts
            if texts.get(HealthColumn.WARNING, "OK") != "OK"
        ]

    def row_total(self) -> int:
        return len(self._ids)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.holds(index):
            return None
        texts = self._texts[index.row()]
        column = HealthColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return texts.get(column, "")
        if role == Qt.ItemDataRole.ToolTipRole and column == HealthColumn.WARNING:
            return texts.get(column, "")  # whole, where the column is too narrow for it
        if role == Qt.ItemDataRole.ForegroundRole and column == HealthColumn.WARNING:
            return WARNING_COLOUR if texts.get(column, "OK") != "OK" else None
        return None
