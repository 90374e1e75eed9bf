"""Run as a script: the demo's desk window on a screen of a given size, as a user first sees it.

Prints one JSON line of what the user sees: where the window is, how many board rows show,
whether the status bar is on the screen. The screen is the offscreen platform's, sized by a
config file, so one test process can look at several screens (a QApplication has one).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QRect, QSettings
from PySide6.QtWidgets import QApplication

from timingboard.app.run import build_demo_window

FIELD_SHOWN = 20


def fully_shown_rows(window) -> int:
    view = window.board
    viewport = view.viewport().rect()
    model = view.model()
    return sum(
        1
        for row in range(model.rowCount())
        if viewport.contains(view.visualRect(model.index(row, 0))) and not view.isRowHidden(row)
    )


def main() -> None:
    shot = Path(sys.argv[1])
    app = QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="desk-probe-"))
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    # at real speed: the qualifying (the whole field) is shown for a while before the heats
    window, runner = build_demo_window(1.0, 31, False, folder / "demo", settings)
    for _ in range(20000):
        app.processEvents()
        if window.board.model().rowCount() >= FIELD_SHOWN:
            break
    for _ in range(50):
        app.processEvents()
    runner.stop()
    screen: QRect = window.screen().availableGeometry()
    frame = window.frameGeometry()
    status = window.statusBar()
    status_rect = QRect(status.mapToGlobal(status.rect().topLeft()), status.size())
    window.grab().save(str(shot))
    print(
        json.dumps(
            {
                "screen": [screen.x(), screen.y(), screen.width(), screen.height()],
                "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
                "frame_on_screen": screen.contains(frame),
                "status_on_screen": screen.contains(status_rect),
                "rows": window.board.model().rowCount(),
                "rows_shown": fully_shown_rows(window),
            }
        )
    )
    window.close()
    app.processEvents()


if __name__ == "__main__":
    main()
