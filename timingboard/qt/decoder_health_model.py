"""The decoders' health as a table: one row a decoder, its STATUS, clock and warnings."""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from timingboard.feeds.p3_session import DecoderHealth, TimingLine

Index = QModelIndex | QPersistentModelIndex
WARNING_COLOUR = QColor("#e05050")


class HealthColumn(IntEnum):
    DECODER = 0
    LINE = 1
    NOISE = 2
    LOOP = 3
    GPS = 4
    TEMPERATURE = 5
    VOLTAGE = 6
    CLOCK = 7
    PASSINGS = 8
    HEARD = 9
    WARNING = 10


HEADERS = {
    HealthColumn.DECODER: "Decoder",
    HealthColumn.LINE: "Line",
    HealthColumn.NOISE: "Noise",
    HealthColumn.LOOP: "Loop",
    HealthColumn.GPS: "GPS",
    HealthColumn.TEMPERATURE: "Temp",
    HealthColumn.VOLTAGE: "Volts",
    HealthColumn.CLOCK: "Clock offset",
    HealthColumn.PASSINGS: "Passings",
    HealthColumn.HEARD: "Last heard",
    HealthColumn.WARNING: "Warning",
}


def _or_dash(value: object) -> str:
    return "—" if value is None else str(value)


def health_texts(health: DecoderHealth, line: TimingLine, now: float) -> dict[HealthColumn, str]:
    """What the panel shows for one decoder (Qt-free, so it is tested without a window)."""
    status = health.status
    ident = health.decoder_id
    offset = health.clock_offset_ms
    texts = {
        HealthColumn.DECODER: f"0x{ident:08X}" if ident is not None else "—",
        HealthColumn.LINE: str(line),
        HealthColumn.NOISE: _or_dash(status.noise if status else None),
        HealthColumn.LOOP: _or_dash(status.loop_triggers if status else None),
        HealthColumn.GPS: {None: "—", 0: "no fix"}.get(
            status.gps if status else None, f"fix ({status.gps if status else ''})"
        ),
        HealthColumn.TEMPERATURE: (
            f"{status.temperature} °C" if status and status.temperature is not None else "—"
        ),
        HealthColumn.VOLTAGE: (
            f"{status.input_voltage / 10:.1f} V"
            if status and status.input_voltage is not None
            else "—"
        ),
        HealthColumn.CLOCK: f"{offset / 1000:+.3f} s" if offset is not None else "—",
        HealthColumn.PASSINGS: f"{health.passings}"
        + (f" (last #{health.last_passing_number})" if health.last_passing_number else ""),
        HealthColumn.HEARD: (
            f"{now - health.heard_at:.0f} s ago" if health.heard_at is not None else "never"
        ),
        HealthColumn.WARNING: "; ".join(health.warnings(now)) or "OK",
    }
    return texts


class DecoderHealthModel(QAbstractTableModel):
    """Rows follow ``source()`` (decoder id → health) when :meth:`refresh` is called."""

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
                    [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole],
                )

    def warnings(self) -> list[str]:
        """Every decoder's warnings, for the status bar."""
        return [
            f"decoder {texts[HealthColumn.DECODER]}: {texts[HealthColumn.WARNING]}"
            for texts in self._texts
            if texts.get(HealthColumn.WARNING, "OK") != "OK"
        ]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HealthColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(HealthColumn)
        ):
            return HEADERS[HealthColumn(section)]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        texts = self._texts[index.row()]
        column = HealthColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return texts.get(column, "")
        if role == Qt.ItemDataRole.ForegroundRole and column == HealthColumn.WARNING:
            return WARNING_COLOUR if texts.get(column, "OK") != "OK" else None
        return None
