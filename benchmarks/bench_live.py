"""Live timing figures: passings a second the broker path carries, and crossing to page latency.

    python benchmarks/bench_live.py            # all three, 60 cars
    python benchmarks/bench_live.py --only broker|page|follow

The broker path is the whole of it: the session controller, the publisher gathering changes
(100 ms), paho, a real Mosquitto on loopback, and a subscriber applying the deltas; the figure is
passings submitted / time until the subscriber's board equals the desk's. The page figure is
from a crossing submitted to the page's table changing in headless Chromium (its own clock and
ours are the same machine's wall clock), over the board's own WebSocket. The follow figure is
from a crossing submitted on the publishing board to the row of that car changing in the model
of a ``timingboard follow`` window (built as the command builds it, offscreen, in this process)
reading the same Mosquitto; crossings are spaced wider than the publisher's 100 ms gathering.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from live_helpers import broker, chromium_driver
from PySide6.QtWidgets import QApplication

from timingboard.app.live_timing import LiveOptions, LiveTiming
from timingboard.engine import CompetitorSet, Flag, FlagChanged, Passing
from timingboard.engine.settings import SessionKind, SessionSettings
from timingboard.feeds.live_json import Follower, row_of
from timingboard.qt.session_controller import SessionController
from timingboard.store import SessionRecorder
from timingboard.store.names import free_path

CARS = [str(n) for n in range(1, 61)]
SETTINGS = SessionSettings(name="Bench", kind=SessionKind.RACE, track_length=2.5, min_lap_ms=30_000)


def _pump(app: QApplication, seconds: float, until=lambda: False) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        if until():
            return True
    return until()


def _controller(folder: Path) -> SessionController:
    controller = SessionController(
        SessionRecorder.create(free_path(folder / "bench.tbs"), SETTINGS)
    )
    controller.submit([CompetitorSet(key=c, car=c, driver=f"Driver {c}") for c in CARS])
    controller.submit([FlagChanged(time_ms=0, flag=Flag.GREEN)])
    return controller


def bench_broker(app: QApplication, folder: Path, laps: int, batch: int) -> None:
    import paho.mqtt.client as mqtt

    with broker(folder) as mosquitto:
        controller = _controller(folder)
        timing = LiveTiming(controller, LiveOptions(mqtt=("127.0.0.1", mosquitto.port)))
        timing.start()
        assert timing.mqtt is not None
        _pump(app, 5, timing.mqtt.connected.is_set)
        follower, received = Follower(), []
        sub = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        sub.on_message = lambda _c, _u, msg: received.append(json.loads(msg.payload))
        sub.connect("127.0.0.1", mosquitto.port)
        sub.subscribe("timingboard/event/#", qos=1)
        sub.loop_start()
        _pump(app, 1)
        passings = [
            Passing(time_ms=1000 + lap * 60_000 + i * 500, car=car)
            for lap in range(laps)
            for i, car in enumerate(CARS)
        ]
        started = time.perf_counter()
        for start in range(0, len(passings), batch):
            controller.submit(passings[start : start + batch])
            app.processEvents()
        want = [row_of(s) for s in controller.engine.standings()]

        def caught_up() -> bool:
            while received:
                follower.apply(received.pop(0))
            return follower.board() == want

        done = _pump(app, 120, caught_up)
        took = time.perf_counter() - started
        sub.loop_stop()
        sub.disconnect()
        timing.close()
        controller.close()
    print(
        f"broker path: {len(passings):,} passings in batches of {batch} "
        f"({len(CARS)} cars), follower caught up: {done}, {took:.2f} s, "
        f"{len(passings) / took:,.0f} passings/s"
    )


def bench_page(app: QApplication, folder: Path, samples: int) -> None:
    controller = _controller(folder)
    timing = LiveTiming(controller, LiveOptions(web_port=0))
    timing.start()
    assert timing.web is not None
    driver = chromium_driver()
    try:
        driver.get(timing.web.address)
        _pump(app, 3)
        driver.execute_script(
            "window.changedAt = [];"
            "new MutationObserver(() => window.changedAt.push(Date.now()))"
            ".observe(document.querySelector('#board tbody'), {childList: true});"
        )
        latencies = []
        for n in range(samples):
            car = CARS[n % len(CARS)]
            seen = len(driver.execute_script("return window.changedAt"))
            sent = time.time() * 1000
            controller.submit([Passing(time_ms=1000 + n * 2000, car=car)])
            got: list = []

            def painted(seen: int = seen, got: list = got) -> bool:
                times = driver.execute_script("return window.changedAt")
                if len(times) > seen:
                    got.append(times[seen])
                    return True
                return False

            if _pump(app, 5, painted):
                latencies.append(got[0] - sent)
        ordered = sorted(latencies)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        print(
            f"crossing to page (Chromium, the board's WebSocket, {len(CARS)} cars): "
            f"{len(latencies)} crossings, p50 {statistics.median(latencies):.0f} ms, "
            f"p99 {p99:.0f} ms (the publisher gathers changes for up to 100 ms)"
        )
    finally:
        driver.quit()
        timing.close()
        controller.close()


def bench_follow(app: QApplication, folder: Path, samples: int, spacing_ms: int) -> None:
    from PySide6.QtCore import QSettings

    from timingboard.app.follow_run import build_follow_window
    from timingboard.feeds.live_follow import parse_follow_url
    from timingboard.text.board_columns import Column

    with broker(folder) as mosquitto:
        controller = _controller(folder)
        timing = LiveTiming(controller, LiveOptions(mqtt=("127.0.0.1", mosquitto.port)))
        timing.start()
        assert timing.mqtt is not None
        _pump(app, 5, timing.mqtt.connected.is_set)
        settings = QSettings(str(folder / "follow.ini"), QSettings.Format.IniFormat)
        url = parse_follow_url(f"mqtt://127.0.0.1:{mosquitto.port}/timingboard/event")
        window, client, _mode = build_follow_window(url, settings)
        model = window.board_model
        _pump(app, 10, lambda: model.rowCount() == len(CARS))
        latencies: list[float] = []
        seen: dict[str, float] = {}

        def on_board_updated() -> None:
            for car, sent in list(seen.items()):
                row = model.row_of(car)
                if row >= 0 and model.index(row, Column.LAPS).data() == wanted[car]:
                    latencies.append((time.perf_counter() - sent) * 1000)
                    del seen[car]

        wanted: dict[str, str] = {}
        model.board_updated.connect(on_board_updated)
        for n in range(samples):
            car = CARS[n % len(CARS)]
            seen[car] = time.perf_counter()
            controller.submit([Passing(time_ms=1000 + n * 2000, car=car)])
            wanted[car] = str(controller.engine.standing(car).laps)
            sent = time.monotonic()
            _pump(app, 5, lambda c=car: c not in seen)
            _pump(app, max(0.0, spacing_ms / 1000 - (time.monotonic() - sent)))  # the cadence
        took = len(latencies)
        client.close()
        window.close()
        window.controller.close()
        timing.close()
        controller.close()
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(
        f"crossing to a following board's model (timingboard follow, Mosquitto, {len(CARS)} "
        f"cars): {took}/{samples} crossings, p50 {statistics.median(latencies):.0f} ms, "
        f"p99 {p99:.0f} ms, max {ordered[-1]:.0f} ms (one crossing every {spacing_ms} ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=["broker", "page", "follow"])
    parser.add_argument("--laps", type=int, default=50)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--samples", type=int, default=60)
    parser.add_argument("--follow-samples", type=int, default=300)
    parser.add_argument("--spacing-ms", type=int, default=150)
    args = parser.parse_args()
    app = QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        if args.only in (None, "broker"):
            bench_broker(app, Path(folder), args.laps, args.batch)
        if args.only in (None, "page"):
            bench_page(app, Path(folder), args.samples)
        if args.only in (None, "follow"):
            bench_follow(app, Path(folder), args.follow_samples, args.spacing_ms)


if __name__ == "__main__":
    main()
