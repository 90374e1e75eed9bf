"""What the desk board shows cell by cell: the text a user reads and whether it was cut.

Also run as a script (``python tests/board_probe.py``) to probe under QT_SCALE_FACTOR=2.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem, QTableView

CUT = "…"


def shown_text(view: QTableView, row: int, column: int) -> str:
    """The text the delegate paints in a cell, with "…" where it does not fit."""
    index = view.model().index(row, column)
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = view.visualRect(index)
    option.font = view.font()
    option.fontMetrics = QFontMetrics(view.font())
    view.itemDelegateForIndex(index).initStyleOption(option, index)
    metrics = QFontMetrics(option.font)
    return metrics.elidedText(option.text, Qt.TextElideMode.ElideRight, _room(view, option.rect))


def _room(view: QTableView, rect) -> int:
    """What a cell leaves for its text: the style keeps a margin either side."""
    margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    return rect.width() - 2 * margin


def cut_cells(view: QTableView) -> list[str]:
    """Every visible cell (and title) whose text does not fit its column."""
    model = view.model()
    cut = []
    for column in range(model.columnCount()):
        if view.isColumnHidden(column):
            continue
        title = str(model.headerData(column, Qt.Orientation.Horizontal))
        room = view.columnWidth(column) - 8
        if QFontMetrics(view.horizontalHeader().font()).horizontalAdvance(title) > room + 6:
            cut.append(f"title {title!r}")
        for row in range(model.rowCount()):
            text = shown_text(view, row, column)
            if CUT in text:
                cut.append(text)
    return cut


def demo_heat_window(folder: Path, width: int = 1280, height: int = 800):
    """The real window on the demo's heat at lap 17, at a given size, columns fitted."""
    from PySide6.QtCore import QSettings

    from timingboard.app.main_window import MainWindow
    from timingboard.demo.clash import heat_lineups, heat_race, qualifying
    from timingboard.engine import TimingEngine
    from timingboard.engine.events import LogEntry
    from timingboard.qt.session_controller import SessionController
    from timingboard.store import SessionRecorder

    quali = qualifying()
    log = [*quali.competitors, *(e for _, e in quali.events)]
    order = TimingEngine.from_log(
        quali.settings, [LogEntry(i + 1, e) for i, e in enumerate(log)]
    ).order()
    heat = heat_race(heat_lineups(order)[0])
    controller = SessionController(SessionRecorder.create(folder / "heat.tbs", heat.settings))
    controller.submit(list(heat.competitors))
    controller.submit([e for t, e in heat.events if t <= 262_000])
    settings = QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(controller, settings)
    window.resize(width, height)
    window.show()
    window.board_model.flush()
    window.board._on_fit_timeout()
    return window, controller


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from timingboard.app.run import application

    app = application()
    window, controller = demo_heat_window(Path(tempfile.mkdtemp(prefix="timingboard-probe-")))
    app.processEvents()
    cut = cut_cells(window.board)
    print(f"ratio {window.devicePixelRatio():g} width {window.width()} cut {cut}")
    window.close()
    controller.close()
    return 1 if cut else 0


if __name__ == "__main__":
    sys.exit(main())
