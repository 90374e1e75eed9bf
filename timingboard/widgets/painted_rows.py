"""A table's rows kept as they were painted, drawn again from there while nothing in them changed.

A passing inserted at the top of the passings log moves every row in view down one, and Qt
repaints the whole log: each cell asked again for seven roles and passed through the delegates,
~3 ms of Python a crossing (a 60-car field crosses ~15 times a second). A row's pixels depend
only on its own data, its stripe, the columns' geometry and the view's look, so a row painted
once is kept as a pixmap and a repaint draws it back; only rows not seen before (the newcomer,
and a row's other stripe) are painted, cell by cell as ``QTableView.paintEvent`` paints them
(the row panel with its stripe, then the delegate), into the pixmap that is kept. The log then
paints ~0.1 ms where it took ~3.5 ms (60 cars, a 413x369 dock).

Not kept, painted by the view's own ``paintEvent`` each time: the selected row, the current row
(its focus frame) and the row under the mouse. Forgotten: a row whose data changed, every row
when the columns, the view's size or its look (palette, font, style, window activation) changed,
or rows came and went other than by insertion.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QRect, Qt
from PySide6.QtGui import QCursor, QPainter, QPaintEvent, QPalette, QPixmap, QRegion
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem, QTableView

_FORGET_ON = frozenset(
    {
        QEvent.Type.PaletteChange,
        QEvent.Type.FontChange,
        QEvent.Type.StyleChange,
        QEvent.Type.EnabledChange,
        QEvent.Type.ActivationChange,
        QEvent.Type.LayoutDirectionChange,
    }
)


_ALTERNATE = QStyleOptionViewItem.ViewItemFeature.Alternate
_ENABLED = QStyle.StateFlag.State_Enabled
_Key = tuple[int, int, int]  # the row's id, its stripe, its height


class PaintedRows:
    """The pixmaps of a table view's rows, keyed by what identifies a row across insertions
    (``row_id``: a passing id) and its stripe.

    The view calls :meth:`paint` from its ``paintEvent`` and :meth:`view_changed` from its
    ``changeEvent``."""

    def __init__(self, view: QTableView, row_id: Callable[[int], int]) -> None:
        self._view = view
        self._row_id = row_id
        self._kept: OrderedDict[_Key, QPixmap] = OrderedDict()
        self._geometry: tuple[object, ...] = ()
        model = view.model()
        model.dataChanged.connect(self._on_model_data_changed)
        for signal in (
            model.modelReset,
            model.layoutChanged,
            model.rowsRemoved,
            model.rowsMoved,
            model.columnsInserted,
            model.columnsRemoved,
            model.columnsMoved,
        ):
            signal.connect(self.forget)

    def forget(self, *_args: object) -> None:
        self._kept.clear()

    def view_changed(self, event: QEvent) -> None:
        if event.type() in _FORGET_ON:
            self.forget()

    def paint(self, event: QPaintEvent, paint_by_qt: Callable[[QPaintEvent], None]) -> None:
        """Paint ``event``'s rows: kept ones drawn back, new ones painted into a pixmap first;
        the rows never kept (and anything unusual) by ``paint_by_qt``, the view's own."""
        view = self._view
        model = view.model()
        if view.showGrid() or view.isRightToLeft() or model.rowCount() == 0:
            paint_by_qt(event)
            return
        geometry = self._geometry_now()
        if geometry != self._geometry:
            self._geometry = geometry
            self._kept.clear()
        area = event.rect()
        first = view.rowAt(area.top())
        if first < 0:
            paint_by_qt(event)  # below the last row: only background there
            return
        last = view.rowAt(area.bottom())
        if last < 0:
            last = model.rowCount() - 1
        unkept = self._unkept_rows()
        stripes = view.alternatingRowColors()
        width = view.viewport().width()
        kept: list[tuple[int, int, int, _Key]] = []
        by_qt = QRegion()
        for row in range(first, last + 1):
            top, height = view.rowViewportPosition(row), view.rowHeight(row)
            if height <= 0:
                continue
            if row in unkept:
                by_qt += QRect(0, top, width, height)
            else:
                kept.append(
                    (row, top, height, (self._row_id(row), row & 1 if stripes else 0, height))
                )
        painter = QPainter(view.viewport())
        for row, top, height, key in kept:
            pixmap = self._kept.get(key)
            if pixmap is None:
                pixmap = self._kept[key] = self._painted(row, width, height)
            else:
                self._kept.move_to_end(key)
            painter.drawPixmap(0, top, pixmap)
        painter.end()
        self._trim(view.viewport().height() // max(1, view.rowHeight(first)) + 2)
        if not by_qt.isEmpty():
            paint_by_qt(QPaintEvent(by_qt & event.region()))

    def _painted(self, row: int, width: int, height: int) -> QPixmap:
        """A row painted into a pixmap as ``QTableView`` paints it: the viewport's background,
        then each cell's row panel (its stripe) and its delegate."""
        view = self._view
        viewport = view.viewport()
        ratio = viewport.devicePixelRatioF()
        header = view.horizontalHeader()
        model = view.model()
        style = view.style()
        base = QStyleOptionViewItem()
        view.initViewItemOption(base)
        pixmap = QPixmap(round(width * ratio), round(height * ratio))
        pixmap.setDevicePixelRatio(ratio)
        painter = QPainter(pixmap)
        palette = viewport.palette()
        painter.fillRect(QRect(0, 0, width, height), palette.brush(viewport.backgroundRole()))
        painter.setFont(viewport.font())
        painter.setPen(palette.color(viewport.foregroundRole()))
        row_option = QStyleOptionViewItem(base)  # what every cell of the row starts from
        if view.alternatingRowColors():
            if row & 1:
                row_option.features |= _ALTERNATE
            else:
                row_option.features &= ~_ALTERNATE
        enabled = bool(row_option.state & _ENABLED)
        if enabled:
            cell_palette = row_option.palette
            cell_palette.setCurrentColorGroup(QPalette.ColorGroup.Normal)
            row_option.palette = cell_palette
        for visual in range(header.count()):
            column = header.logicalIndex(visual)
            if header.isSectionHidden(column):
                continue
            index = model.index(row, column)
            if not index.isValid():
                continue
            option = QStyleOptionViewItem(row_option)
            option.rect = QRect(
                view.columnViewportPosition(column), 0, view.columnWidth(column), height
            )
            if enabled and not model.flags(index) & Qt.ItemFlag.ItemIsEnabled:
                option.state &= ~_ENABLED
                cell_palette = option.palette
                cell_palette.setCurrentColorGroup(QPalette.ColorGroup.Disabled)
                option.palette = cell_palette
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewRow, option, painter, view)
            view.itemDelegateForIndex(index).paint(painter, option, index)
        painter.end()
        return pixmap

    def _unkept_rows(self) -> set[int]:
        """Rows Qt paints each time: selected, current (a focus frame), under the mouse."""
        view = self._view
        rows = {index.row() for index in view.selectionModel().selectedIndexes()}
        rows.add(view.currentIndex().row())
        viewport = view.viewport()
        if viewport.underMouse():
            rows.add(view.rowAt(viewport.mapFromGlobal(QCursor.pos()).y()))
        return rows

    def _geometry_now(self) -> tuple[object, ...]:
        view = self._view
        header = view.horizontalHeader()
        columns = tuple(
            (header.sectionViewportPosition(c), header.sectionSize(c), header.isSectionHidden(c))
            for c in range(header.count())
        )
        viewport = view.viewport()
        return (viewport.width(), viewport.devicePixelRatioF(), columns)

    def _trim(self, shown: int) -> None:
        """Both stripes of as many rows as the view shows, and a few more; the oldest forgotten
        first (not the rows of this paint: a paint of one changed row would forget the rest)."""
        room = 2 * shown + 8
        while len(self._kept) > room:
            self._kept.popitem(last=False)

    def _on_model_data_changed(
        self, top_left: QModelIndex, bottom_right: QModelIndex, _roles: object = None
    ) -> None:
        if not self._kept:
            return
        ids = {self._row_id(row) for row in range(top_left.row(), bottom_right.row() + 1)}
        for key in [k for k in self._kept if k[0] in ids]:
            del self._kept[key]
