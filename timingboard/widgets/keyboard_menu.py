"""A table's context menu from the keyboard: the Menu key, and Shift+F10 as on Windows and Linux
desktops, open it for the highlighted row, where that row is.

Qt sends the Menu key's :class:`QContextMenuEvent` to the focus widget (the table, not its
viewport) at the centre of the current cell *in the table's coordinates*: the header's height
below where the row is in the viewport's. Read as a mouse's position (``indexAt``) it named the
row under the highlighted one: Time penalty asked for car 8 (P10) with #99 (P9) highlighted. A
keyboard's menu is the highlighted row's, whatever the event's position says.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, QRect, QRectF, Qt
from PySide6.QtGui import QContextMenuEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QTableView, QWidget

MENU_KEYS_TEXT = "Menu, Shift+F10"  # as Help ▸ Keyboard shortcuts lists them
# The status bar's words for the Menu key (Shift+F10) pressed with no row highlighted: it opens
# nothing, and once said nothing either (the key seemed not to work)
_PICK_FIRST = (
    "No {what} highlighted: pick one with the arrow keys or a click, then press the Menu key"
    " (or Shift+F10)"
)
PICK_A_CAR_FIRST = _PICK_FIRST.format(what="car")
PICK_A_PASSING_FIRST = _PICK_FIRST.format(what="passing")
PICK_FIRST_SHOWN_MS = 8000  # long enough to read; gone before it misleads


def is_menu_key(event: QKeyEvent) -> bool:
    """Shift+F10: the context menu's key where there is no Menu key (Qt opens none for it)."""
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return event.key() == Qt.Key.Key_F10 and modifiers == Qt.KeyboardModifier.ShiftModifier


def cursor_centre(widget: QWidget) -> QPoint:
    """Where Qt puts the Menu key's event: the centre of the widget's cursor rectangle (a
    table's: its current cell, in the table's coordinates), or of the widget."""
    rect = widget.inputMethodQuery(Qt.InputMethodQuery.ImCursorRectangle)
    if isinstance(rect, QRectF):
        rect = rect.toRect()
    return rect.center() if isinstance(rect, QRect) and rect.isValid() else widget.rect().center()


def send_keyboard_menu(widget: QWidget) -> None:
    """The context-menu event Qt sends ``widget`` for the Menu key (the focus widget's cursor
    rectangle's centre, in its own coordinates), sent now: Shift+F10 opens what the Menu key
    opens, through the widget's own context-menu handling."""
    where = cursor_centre(widget)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, where, widget.mapToGlobal(where))
    QApplication.sendEvent(widget, event)


def highlighted_index(view: QTableView) -> QModelIndex | None:
    """The row the keyboard is on: the current cell if its row is highlighted (selected) and
    shown, else the one highlighted row shown; None when no row, or many without the current
    one among them, are highlighted."""
    selection = view.selectionModel()
    current = view.currentIndex()
    hidden = view.isRowHidden  # another class's, while the board shows one class
    if (
        current.isValid()
        and selection.isRowSelected(current.row(), QModelIndex())
        and not hidden(current.row())
    ):
        return current
    rows = [index for index in selection.selectedRows() if not hidden(index.row())]
    return rows[0] if len(rows) == 1 else None


def is_keyboard(event: QContextMenuEvent) -> bool:
    """The Menu key's (or Shift+F10's) event, not a right-click's."""
    return event.reason() == QContextMenuEvent.Reason.Keyboard


def menu_place(view: QTableView, event: QContextMenuEvent) -> tuple[int, QPoint] | None:
    """The row a context menu is for and where it pops up (the viewport's coordinates). The
    mouse's: the row under the pointer, at the pointer. The keyboard's: the highlighted row
    (:func:`highlighted_index`), scrolled into view, the menu under its cell."""
    if is_keyboard(event):
        index = highlighted_index(view)
        if index is None:
            return None
        view.scrollTo(index)
        cell = view.visualRect(index)
        return index.row(), QPoint(cell.center().x(), cell.bottom())
    index = view.indexAt(event.pos())
    return (index.row(), event.pos()) if index.isValid() else None
