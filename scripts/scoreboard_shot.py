"""Render the wall scoreboard (and the desk) on a generated 60-car race, to look at.

Run: python scripts/scoreboard_shot.py --size 1920x1080 --out shot.png [--desk] [--flag yellow]
(offscreen by default; under Xvfb set QT_QPA_PLATFORM=xcb and DISPLAY).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings

from timingboard.app.main_window import MainWindow
from timingboard.app.run import application
from timingboard.demo.endurance import Workload, generate
from timingboard.engine import CompetitorSet, Flag, FlagChanged
from timingboard.qt.session_controller import SessionController
from timingboard.store import SessionRecorder


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--out", required=True)
    parser.add_argument("--desk", action="store_true")
    parser.add_argument("--flag", default="")
    parser.add_argument("--page", type=int, default=0)
    parser.add_argument("--classes", action="store_true", help="the field in three classes")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    app = application()
    settings, events = generate(Workload("GT Open - Race 2", 60, 12, 104_000, 3.7), seed=3)
    if args.classes:
        names = ("GT3 Pro", "GT3 Pro-Am", "GT4")
        events = [
            dataclasses.replace(e, car_class=names[int(e.car) % 3])
            if isinstance(e, CompetitorSet)
            else e
            for e in events
        ]
    folder = Path(tempfile.mkdtemp(prefix="timingboard-shot-"))
    controller = SessionController(SessionRecorder.create(folder / "race.tbs", settings))
    controller.submit(sorted(events, key=lambda e: getattr(e, "time_ms", -1))[:2500])
    if args.flag:
        controller.submit([FlagChanged(time_ms=controller.engine.clock_ms, flag=Flag(args.flag))])
    window = MainWindow(controller, QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat))
    window.resize(width, height)
    window.show()
    window.board_model.flush()
    if not args.desk:
        window.set_board_mode(True)
        window.resize(width, height)
        for _ in range(args.page):
            window.scoreboard.next_page()
    window.series.flush()
    for _ in range(5):
        app.processEvents()
    window.board._on_fit_timeout()
    app.processEvents()
    window.grab().save(args.out)
    print(f"saved {args.out} ({window.width()}x{window.height()})")
    window.close()
    controller.close()


if __name__ == "__main__":
    main()
