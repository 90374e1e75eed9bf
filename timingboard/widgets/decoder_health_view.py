"""The decoder health panel: one row a decoder, warnings in red."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from timingboard.qt.decoder_health_model import DecoderHealthModel


class DecoderHealthView(QTableView):
    def __init__(self, model: DecoderHealthModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("decoderHealth")
        self.setModel(model)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
