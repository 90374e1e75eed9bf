"""The desk's first-start layout: the board gets the room, the window fits the screen.

Only when nothing was saved: a layout the operator made (window/geometry, window/state and
window/splitter in the settings) is restored as it was left.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QMainWindow, QSplitter, QTableView, QWidget

DESK_SIZE = QSize(1600, 1000)  # enough for a 40-car field and its charts at 100 %
SMALLEST_DESK = QSize(1280, 800)
SCREEN_SHARE = 0.9
BOARD_SHARE = 0.62  # of the central splitter: the board above, the charts below
BOTTOM_DOCK_SHARE = 0.2  # the entries and event docks under the board
ENTRY_DOCK_SHARE = 0.5  # of the right column: the car field and flags above the passings


def first_start_size(available: QRect) -> QSize | None:
    """The window's size on a screen with this much room; None: take it all (maximized)."""
    width = min(DESK_SIZE.width(), int(available.width() * SCREEN_SHARE))
    height = min(DESK_SIZE.height(), int(available.height() * SCREEN_SHARE))
    if width < SMALLEST_DESK.width() or height < SMALLEST_DESK.height():
        return None
    return QSize(width, height)


def place_on_screen(window: QMainWindow) -> QSize | None:
    """Centred on its screen at a desk size, or maximized where the screen is small (a laptop
    at 1280x800 would cut a 1280x800 window's status bar under its title bar and panel)."""
    available = window.screen().availableGeometry()
    size = first_start_size(available)
    if size is None:
        window.resize(available.size())
        return available.size()  # to be maximized when shown
    window.resize(size)
    frame = QRect(available.topLeft(), size)
    frame.moveCenter(available.center())
    window.move(frame.topLeft())
    return None


def share_the_room(
    window: QMainWindow,
    splitter: QSplitter,
    bottom: list[QDockWidget],
    right: tuple[QDockWidget, QDockWidget],
) -> None:
    """Give the board most of the height: docks under it are kept short, and the passings log
    as tall as the entry panel."""
    height = window.height()
    if bottom:
        window.resizeDocks(
            bottom, [int(height * BOTTOM_DOCK_SHARE)] * len(bottom), Qt.Orientation.Vertical
        )
    window.resizeDocks(
        list(right),
        [int(height * ENTRY_DOCK_SHARE), int(height * (1 - ENTRY_DOCK_SHARE))],
        Qt.Orientation.Vertical,
    )
    central = max(1, splitter.height() or int(height * (1 - BOTTOM_DOCK_SHARE)))
    splitter.setSizes([int(central * BOARD_SHARE), central - int(central * BOARD_SHARE)])


SIDE_AREAS = (Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea)


def needed_width(widget: QWidget) -> int:
    """How wide a dock's contents must be to show without cutting: a table its columns
    (and a scroll bar) wide, anything else as it would like."""
    if isinstance(widget, QTableView):
        side = widget.verticalHeader()
        return (
            widget.horizontalHeader().length()
            + (side.width() if side.isVisible() else 0)
            + widget.verticalScrollBar().sizeHint().width()
            + 2 * widget.frameWidth()
        )
    return widget.sizeHint().width()


def give_side_docks_room(window: QMainWindow) -> None:
    """Side docks narrower than their contents (a layout saved while a long text squeezed them,
    restored in every window after) are widened to them, as far as the centre keeps its own
    minimum width."""
    centre = window.centralWidget()
    spare = centre.width() - centre.minimumSizeHint().width() if centre is not None else 0
    for area in SIDE_AREAS:
        docks = [
            d
            for d in window.findChildren(QDockWidget)
            if d.isVisible() and not d.isFloating() and window.dockWidgetArea(d) == area
        ]
        short = [
            needed_width(inside) - inside.width()
            for d in docks
            if (inside := d.widget()) is not None and inside.width() < needed_width(inside)
        ]
        wider = min(max(short, default=0), spare)
        if wider > 0:
            window.resizeDocks(docks[:1], [docks[0].width() + wider], Qt.Orientation.Horizontal)
            spare -= wider


class FirstShow(QObject):
    """When the window is first shown: maximized if it was placed to be (unless it was sized
    since: a caller that asks for 1280x800 gets 1280x800; a window maximized before it is shown
    takes later resizes as its normal size), then its docks and splitter shared for the size it
    has then, not the size it had when built."""

    def __init__(
        self,
        window: QMainWindow,
        maximize_at: QSize | None,
        arrange: Callable[[], None] | None,
    ) -> None:
        super().__init__(window)
        self._maximize_at = maximize_at
        self._arrange = arrange
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QMainWindow):
            watched.removeEventFilter(self)
            if watched.size() == self._maximize_at and not watched.isFullScreen():
                watched.setWindowState(watched.windowState() | Qt.WindowState.WindowMaximized)
            if self._arrange is not None:
                self._arrange()
            window = watched  # laid out once shown: the docks' widths are known then
            QTimer.singleShot(0, window, lambda: give_side_docks_room(window))
            self.deleteLater()
        return False
