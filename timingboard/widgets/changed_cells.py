"""Which cells of a table model changed their text since last asked, to measure only those."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex


class ChangedCells(QObject):
    """Collects the rows whose display text changed, by column, from the model's signals.

    A reset, or rows coming or going, counts as every cell changed; rows moving do not (their
    texts are the same). Fitting columns to their texts then measures a few cells, not all.
    """

    def __init__(self, model: QAbstractItemModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns: dict[int, set[int] | None] = {}  # None: every row of the column
        self._everything = True
        model.dataChanged.connect(self._on_model_data_changed)
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved):
            signal.connect(self._on_model_reshaped)
        model.layoutChanged.connect(self._on_model_reshaped)

    def take(self) -> dict[int, set[int] | None] | None:
        """The changed rows of each column since the last call (None for a column: all its
        rows); None: every cell."""
        columns = None if self._everything else self._columns
        self._columns, self._everything = {}, False
        return columns

    def _on_model_data_changed(
        self,
        top_left: Index,
        bottom_right: Index,
        roles: list[int] = (),  # type: ignore[assignment]
    ) -> None:
        if self._everything or (roles and Qt.ItemDataRole.DisplayRole not in roles):
            return
        rows = range(top_left.row(), bottom_right.row() + 1)
        for column in range(top_left.column(), bottom_right.column() + 1):
            changed = self._columns.setdefault(column, set())
            if changed is not None:
                changed.update(rows)

    def mark_column(self, column: int) -> None:
        """Every cell of a column counts as changed (it was made narrower than its texts)."""
        self._columns[column] = None

    def _on_model_reshaped(self, *_args: object) -> None:
        self._everything = True
        self._columns = {}
