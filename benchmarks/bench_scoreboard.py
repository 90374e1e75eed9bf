"""Wall scoreboard and race charts: what a frame and a chart update cost. Prints figures.

Run:  QT_QPA_PLATFORM=offscreen python benchmarks/bench_scoreboard.py [--laps 400]
      QT_QPA_PLATFORM=offscreen python benchmarks/bench_scoreboard.py --workload 200x600
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from timingboard.app.run import application
from timingboard.demo.endurance import Workload, generate, workload_keys, workload_named
from timingboard.qt.lap_series import LapSeries
from timingboard.qt.leaderboard_model import LeaderboardModel
from timingboard.qt.session_controller import SessionController
from timingboard.store import SessionRecorder
from timingboard.widgets.scoreboard import Scoreboard


def per_call_ms(call, times: int) -> float:
    start = time.perf_counter()
    for _ in range(times):
        call()
    return (time.perf_counter() - start) / times * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--laps", type=int, default=400)
    parser.add_argument("--workload", choices=workload_keys(), help="instead of 60 cars x LAPS")
    args = parser.parse_args()
    app = application()
    workload = Workload(f"60 cars x {args.laps} laps", 60, args.laps, 104_000, 3.7)
    if args.workload:
        workload = workload_named(args.workload)
    settings, events = generate(workload, seed=3)
    folder = Path(tempfile.mkdtemp(prefix="timingboard-bench-"))
    controller = SessionController(SessionRecorder.create(folder / "race.tbs", settings))
    controller.submit(sorted(events, key=lambda e: getattr(e, "time_ms", -1)))
    model = LeaderboardModel(controller)
    board = Scoreboard(controller, model)
    board.resize(1920, 1080)
    board.show()
    app.processEvents()
    series = LapSeries(controller)
    key = controller.engine.order()[5]
    figures = {
        "scoreboard, a frame of board updates": per_call_ms(board._on_model_board_updated, 50),
        "scoreboard, columns measured again (once a second)": per_call_ms(board._refit, 10),
        "positions and gaps of one car, first drawn": per_call_ms(
            lambda: (series._traces.clear(), series.positions(key), series.gaps(key)), 5
        ),
        "positions and gaps of one car, after a lap": per_call_ms(
            lambda: (series.positions(key), series.gaps(key)), 10
        ),
        "caution laps (on a frame with new laps)": per_call_ms(series._refresh_cautions, 10),
    }
    print(f"workload: {workload.name}")
    for what, ms in figures.items():
        print(f"{what}: {ms:.2f} ms")
    board.close()
    controller.close()


if __name__ == "__main__":
    main()
