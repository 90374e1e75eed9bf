"""Render the real main window on the demo's heat race to docs/screenshot.png.

Run: QT_QPA_PLATFORM=offscreen python scripts/screenshot.py [--at SECONDS] [--board]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QItemSelectionModel, QSettings

from timingboard.app.main_window import MainWindow
from timingboard.app.run import application
from timingboard.demo.clash import heat_lineups, heat_race, qualifying
from timingboard.engine import TimingEngine
from timingboard.engine.events import LogEntry
from timingboard.qt.session_controller import SessionController
from timingboard.store import SessionRecorder


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--at", type=float, default=262.0)
    parser.add_argument("--board", action="store_true")
    parser.add_argument("--out", default="docs/screenshot.png")
    parser.add_argument("--chart", type=int, default=0, help="0 lap times, 1 positions, 2 gaps")
    args = parser.parse_args()
    app = application()
    quali = qualifying()
    log = [*quali.competitors, *(e for _, e in quali.events)]
    order = TimingEngine.from_log(
        quali.settings, [LogEntry(i + 1, e) for i, e in enumerate(log)]
    ).order()
    heat = heat_race(heat_lineups(order)[0])
    folder = Path(tempfile.mkdtemp(prefix="timingboard-shot-"))
    controller = SessionController(SessionRecorder.create(folder / "heat.tbs", heat.settings))
    controller.submit(list(heat.competitors))
    controller.submit([e for t, e in heat.events if t <= args.at * 1000])
    window = MainWindow(controller, QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat))
    window.resize(1280, 820)
    window.show()
    window.board_model.flush()
    if args.board:
        window.set_board_mode(True)
        window.resize(1600, 900)
    else:
        selection = window.board.selectionModel()
        for row in (0, 1, 2):
            selection.select(
                window.board_model.index(row, 0),
                QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
            )
    window.charts.tabs.setCurrentIndex(args.chart)
    window.series.flush()
    app.processEvents()
    window.grab().save(args.out)
    print(f"saved {args.out}")
    controller.close()


if __name__ == "__main__":
    main()
