"""Columns sized to their contents that follow their rows as the rows come and change."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QTableView


def keep_fitted(view: QTableView) -> None:
    """Re-measure ``view``'s ResizeToContents columns whenever its rows come or change.

    Qt measures them again on a relayout only, and rows added under a scroll bar bring none:
    the Event view's Status column kept the width of "stopped" and cut the new sessions'
    "scheduled" to "sched…".
    """
    model = view.model()

    def refit(*_args: object) -> None:
        header = view.horizontalHeader()
        last = header.logicalIndex(header.count() - 1)
        for column in range(header.count()):
            stretched = header.stretchLastSection() and column == last
            mode = header.sectionResizeMode(column)
            if mode is QHeaderView.ResizeMode.ResizeToContents and not stretched:
                view.resizeColumnToContents(column)

    for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
        signal.connect(refit)
    model.dataChanged.connect(refit)
