"""A word in the middle of a list while its rows are to come (a long session being opened)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QAbstractItemView, QLabel


class LoadingLabel(QLabel):
    """ "Loading entries…" over an empty view's rows, centred in its viewport as it resizes: an
    empty list alone read as a session without any."""

    def __init__(self, text: str, view: QAbstractItemView) -> None:
        super().__init__(text, view.viewport())
        self.hide()
        view.viewport().installEventFilter(self)

    def show_if(self, shown: bool) -> None:
        self.setVisible(shown)
        self._place()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._place()
        return False

    def _place(self) -> None:
        if self.isHidden():
            return
        self.adjustSize()
        port = self.parentWidget()
        if port is not None:
            self.move((port.width() - self.width()) // 2, (port.height() - self.height()) // 2)
