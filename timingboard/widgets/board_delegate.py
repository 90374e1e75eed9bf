"""Cells that shorten by rule instead of being cut: a driver's name, a class on the wall."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QFont, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from timingboard.text.board_text import (
    distinct_forms,
    fitting_form,
    name_forms,
    readable_forms,
    shared_forms,
    wall_class_cell,
    wall_status,
)

TEXT_MARGIN_PX = 8  # what the style keeps either side of a cell's text
DRIVER_MARGIN_PX = 10  # the style's margins either side of a name, and a little air

Index = QModelIndex | QPersistentModelIndex
MIDDLE = "\0"  # before a form kept: the name is cut in the middle, its end tells it apart


class BoardCellDelegate(QStyledItemDelegate):
    """A board's cell keeps its own colour when its row is selected.

    Qt paints a selected cell's text in the palette's highlighted-text colour (white), whatever
    the model's foreground: a car picked for the chart lost its green and purple (#31 Haley's
    personal best read white live while the same lap was green on the replay, where no row was
    picked). The colours are the log's (see ``text.board_text.time_mark``), not the desk's."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        if not option.state & QStyle.StateFlag.State_Selected:  # type: ignore[attr-defined]
            return
        foreground = index.data(Qt.ItemDataRole.ForegroundRole)
        if foreground is not None:
            palette = option.palette  # type: ignore[attr-defined]
            palette.setBrush(QPalette.ColorRole.HighlightedText, QBrush(foreground))
            option.palette = palette  # type: ignore[attr-defined]


class DriverNameDelegate(BoardCellDelegate):
    """Shows "Justin Haley", "J. Haley", "HALEY" or "HAL": the longest that fits the cell."""

    _KEPT = 4096  # forms kept (names x widths x fonts), forgotten all at once beyond

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._forms: dict[tuple[str, int, str], str] = {}  # the form each name fitted
        self._font: QFont | None = None  # the font last asked with, and its key: QFont.key()
        self._font_key = ""  # costs ~20 us, asked of every Driver cell painted
        self._shared: set[str] = set()  # forms two different names of the field have
        self._field: frozenset[str] = frozenset()

    def set_field(self, names: Iterable[str]) -> None:
        """The names of the field: a shortened form two of them share is not shown ("FPRS…"
        for two different teams), so no two cars read alike."""
        field = frozenset(n for n in names if n)
        if field != self._field:
            self._field = field
            self._shared = shared_forms(field)
            self._forms.clear()

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        text = option.text  # type: ignore[attr-defined]
        if text:
            room = option.rect.width() - TEXT_MARGIN_PX  # type: ignore[attr-defined]
            font = option.font  # type: ignore[attr-defined]
            if font != self._font:
                self._font, self._font_key = QFont(font), font.key()  # the option's own dies
            asked = (text, room, self._font_key)  # each paint asks again for the same few
            form = self._forms.get(asked)
            if form is None:
                if len(self._forms) >= self._KEPT:
                    self._forms.clear()
                metrics = option.fontMetrics  # type: ignore[attr-defined]
                forms = distinct_forms(text, self._shared)
                form = fitting_form(forms, room, metrics.horizontalAdvance)
                if metrics.horizontalAdvance(form) > room and len(forms) < len(name_forms(text)):
                    form = MIDDLE + text  # its cuts that fit are another's: "Bruce…Alpha Blue"
                self._forms[asked] = form
            if form.startswith(MIDDLE):
                option.textElideMode = Qt.TextElideMode.ElideMiddle  # type: ignore[attr-defined]
            option.text = form.removeprefix(MIDDLE)  # type: ignore[attr-defined]


class _WallShortened(QStyledItemDelegate):
    """A wall cell's text in its wall form, closer still (``short``) where the names need the
    room: one home for the class's and the status's delegates."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.short = False

    def shortened(self, text: str) -> str:
        raise NotImplementedError

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        option.text = self.shortened(str(option.text))  # type: ignore[attr-defined]


class ShortClassDelegate(_WallShortened):
    """A class in at most five characters, for the wall scoreboard (closer still, ``short``,
    where the names need the room)."""

    def shortened(self, text: str) -> str:
        return wall_class_cell(text, self.short)

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        option.displayAlignment = Qt.AlignmentFlag.AlignCenter  # type: ignore[attr-defined]


class WallStatusDelegate(_WallShortened):
    """The status on the wall: "Fin" for "Finished" where the names need the room."""

    def shortened(self, text: str) -> str:
        return wall_status(text, self.short)


def shortest_name_width(forms: list[str], advance) -> int:
    """How wide a cell must be for the shortest form of a name."""
    return advance(forms[-1]) + TEXT_MARGIN_PX


def readable_names_width(names: Iterable[str], advance: Callable[[str], int]) -> int:
    """The one rule for a Driver column's least width (board and passings log alike): every
    driver's whole surname ("A. Allmendinger" or "ALLMENDINGER"; never "ALL"), margins in."""
    widest = max((min(map(advance, readable_forms(n))) for n in names if n), default=0)
    return widest + DRIVER_MARGIN_PX
