"""The board with its window (offscreen): crossing-to-painted latency, frame cost, open, soak.

Run:  python benchmarks/bench_window.py                 (latency, frame cost, open 24 h file)
      python benchmarks/bench_window.py --only paced    (crossings spaced as a field crosses)
      python benchmarks/bench_window.py --only paced --profile out.prof   (cProfile of it)
      python benchmarks/bench_window.py --only replay [--profile out.prof]  (seeks in a replay)
      python benchmarks/bench_window.py --soak 3        (3 simulated hours at 100x)
      python benchmarks/bench_window.py --cold-start    (process start to first painted window)
      python benchmarks/bench_window.py --open          (only: open the 24 h file, painted)
      python benchmarks/bench_window.py --workload 200x600  (every figure for one workload)
"""

from __future__ import annotations

import argparse
import cProfile
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QObject, QSettings
from PySide6.QtWidgets import QApplication
from this_tree import child_env

from timingboard.app.main_window import MainWindow
from timingboard.demo.endurance import WORKLOADS, Workload, generate, workload_keys, workload_named
from timingboard.engine import FlagChanged, Passing, SessionSettings
from timingboard.qt.session_controller import SessionController
from timingboard.store import SessionRecorder
from timingboard.store.bulk import freeze_survivors
from timingboard.store.names import free_path

LATENCY_SAMPLES = 1500
PACED_SAMPLES = 1200
PACED_FROM = 0.5  # the paced run starts half-way through the race: long laps, a long log
LONGEST_WAIT_S = 0.05  # a gap between crossings longer than this is cut to it (nothing happens)


class PaintWatch(QObject):
    """Notes when a widget was last painted."""

    def __init__(self) -> None:
        super().__init__()
        self.painted_at = 0.0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted_at = time.perf_counter()
        return False


def current_rss_mb() -> float:
    """Resident size now (Linux), not the peak."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def spread(values: list[float]) -> str:
    """p50, p95 and p99 in ms."""
    if not values:
        return "none"
    return "p50 {:.1f}, p95 {:.1f}, p99 {:.1f} ms".format(
        *(percentile(values, share) * 1000 for share in (0.5, 0.95, 0.99))
    )


class AnyPaint(QObject):
    """Notes whether any widget of the application was painted."""

    def __init__(self) -> None:
        super().__init__()
        self.painted = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted = True
        return False


def window_for(path: Path, settings, app: QApplication) -> tuple[MainWindow, SessionController]:
    """A desk-sized window (1920x1080)."""
    controller = SessionController(SessionRecorder.create(free_path(path), settings))
    ini = QSettings(str(path.with_suffix(".ini")), QSettings.Format.IniFormat)
    window = MainWindow(controller, ini)
    window.resize(1920, 1080)
    window.show()
    app.processEvents()
    return window, controller


def latency(workload: Workload, app: QApplication, folder: Path) -> None:
    """Each crossing submitted alone; time until the leaderboard has been painted with it."""
    settings, events = generate(workload)
    window, controller = window_for(folder / "latency.tbs", settings, app)
    setup = [e for e in events if not isinstance(e, Passing | FlagChanged)]
    controller.submit(setup)
    watch = PaintWatch()
    window.board.viewport().installEventFilter(watch)
    passings = [e for e in events if isinstance(e, Passing | FlagChanged)][:LATENCY_SAMPLES]
    latencies, frames, unpainted = [], [], 0
    for event in passings:
        if not isinstance(event, Passing):
            controller.submit([event])
            continue
        sent = time.perf_counter()
        controller.submit([event])
        key = controller.engine.passing_owner(controller.engine.seq)
        row = controller.engine.order().index(key) if key else -1
        rect = window.board.visualRect(window.board_model.index(row, 0))
        if (
            row < 0
            or row >= window.board_model.rowCount()
            or not rect.intersects(window.board.viewport().rect())
        ):
            app.processEvents()  # its row is scrolled out of view: nothing to paint
            continue
        while watch.painted_at < sent:
            turn = time.perf_counter()
            app.processEvents()
            if watch.painted_at >= sent:
                frames.append(time.perf_counter() - turn)  # the turn that flushed and painted
            if time.perf_counter() - sent > 1.0:
                unpainted += 1
                break
        latencies.append(watch.painted_at - sent)
    print(
        f"[{workload.name}] with the window, crossings back to back: crossing-to-painted "
        f"{spread(latencies)}; cost of the frame that painted it {spread(frames)} "
        f"({len(latencies):,} crossings of cars on screen, {unpainted} not painted in 1 s)"
    )
    window.close()
    controller.close()


def paced(workload: Workload, app: QApplication, folder: Path, profile: str | None) -> None:
    """Crossings spaced as the field crosses them, from half-way through the race.

    Each crossing is submitted alone, as long after the one before as the field crossed them
    (gaps over ``LONGEST_WAIT_S`` cut to it: a quiet board waits the same either way), and
    never before the event loop has turned at least once; the loop runs in between as it
    would. Crossing-to-painted: until the board's viewport has been painted with it. Frame:
    every turn of the event loop in which anything of the window was painted. ``--profile``:
    the figures printed then are the profiler's, not the board's.
    """
    settings, events = generate(workload)
    window, controller = window_for(folder / "paced.tbs", settings, app)
    timed_from = next(i for i, e in enumerate(events) if isinstance(e, Passing | FlagChanged))
    start = timed_from + int((len(events) - timed_from) * PACED_FROM)
    for first in range(0, start, 500):  # the race so far, as a burst
        controller.submit(events[first : min(first + 500, start)])
        app.processEvents()
    window.board_model.flush()
    app.processEvents()
    watch, any_paint = PaintWatch(), AnyPaint()
    window.board.viewport().installEventFilter(watch)
    app.installEventFilter(any_paint)
    sample = events[start:]
    passings = [e for e in sample if isinstance(e, Passing)][:PACED_SAMPLES]
    sample = sample[: sample.index(passings[-1]) + 1]
    latencies: list[float] = []
    frames: list[float] = []
    cpu_latencies: list[float] = []  # the same in CPU time: what a loaded machine cannot inflate
    cpu_frames: list[float] = []
    longest = 0.0
    profiler = cProfile.Profile() if profile else None

    def turn() -> None:
        nonlocal longest
        any_paint.painted = False
        t0, c0 = time.perf_counter(), time.thread_time()
        app.processEvents()
        spent = time.perf_counter() - t0
        longest = max(longest, spent)
        if any_paint.painted:
            frames.append(spent)
            cpu_frames.append(time.thread_time() - c0)

    if profiler:
        profiler.enable()
    previous_ms, sent = sample[0].time_ms, time.perf_counter()
    for event in sample:
        due = sent + min(LONGEST_WAIT_S, max(0, event.time_ms - previous_ms) / 1000)
        previous_ms = max(previous_ms, event.time_ms)
        turn()  # a crossing comes as an event of its own (a socket read): the loop turns
        while time.perf_counter() < due:
            time.sleep(0.0002)  # the benchmark's own idling, not the board's
            turn()
        sent, cpu_sent = time.perf_counter(), time.thread_time()
        controller.submit([event])
        if not isinstance(event, Passing):
            continue
        key = controller.engine.passing_owner(controller.engine.seq)
        row = controller.engine.order().index(key) if key else -1
        rect = window.board.visualRect(window.board_model.index(row, 0))
        if row < 0 or not rect.intersects(window.board.viewport().rect()):
            continue  # scrolled out of view: nothing of the board to paint
        while watch.painted_at < sent and time.perf_counter() - sent < 1.0:
            turn()
        latencies.append(watch.painted_at - sent)
        cpu_latencies.append(time.thread_time() - cpu_sent)
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
    app.removeEventFilter(any_paint)
    print(
        f"[{workload.name}] with the window, crossings spaced as the field crosses "
        f"({len(latencies)} of {len(passings)} on screen, from {PACED_FROM:.0%} of the race): "
        f"crossing-to-painted {spread(latencies)}; frame (a turn that painted) {spread(frames)}"
        f", longest turn {longest * 1000:.1f} ms; in CPU time: crossing-to-painted "
        f"{spread(cpu_latencies)}, frame {spread(cpu_frames)}"
    )
    window.close()
    controller.close()


def burst(workload: Workload, app: QApplication, folder: Path) -> None:
    """Everything at once in batches of 500: how fast the window keeps up."""
    settings, events = generate(workload)
    window, controller = window_for(folder / "burst.tbs", settings, app)
    started = time.perf_counter()
    for start in range(0, len(events), 500):
        controller.submit(events[start : start + 500])
        app.processEvents()
    window.board_model.flush()
    app.processEvents()
    elapsed = time.perf_counter() - started
    passings = sum(isinstance(e, Passing) for e in events)
    print(f"[{workload.name}] burst into the window: {passings / elapsed:,.0f} passings/s")
    window.close()
    controller.close()


def saved_session(workload: Workload, path: Path) -> tuple[Path, SessionSettings]:
    """The workload written to a session file, as a recorder writes it."""
    settings, events = generate(workload)
    recorder = SessionRecorder.create(path, settings)
    for start in range(0, len(events), 5000):
        recorder.submit(events[start : start + 5000])
    recorder.close()
    return path, settings


def in_new_process(code: str, *args: str) -> str:
    """What ``code`` prints, run by a new interpreter that can import this file."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        check=True,
        capture_output=True,
        text=True,
        env=child_env(),
    )
    return done.stdout


OPEN_CODE = """
import os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from pathlib import Path
from PySide6.QtCore import QEventLoop, QSettings, QTimer
from bench_window import PaintWatch
from timingboard.app.main_window import MainWindow
from timingboard.app.run import application
from timingboard.qt.session_controller import SessionController
from timingboard.store import SessionRecorder
app = application()
path = Path(sys.argv[1])
watch = PaintWatch()
started = time.perf_counter()
controller = SessionController(SessionRecorder.open(path, check_later=True))
checked = []
controller.log_checked.connect(lambda: checked.append(time.perf_counter()))
ini = QSettings(str(path.with_suffix(".ini")), QSettings.Format.IniFormat)
window = MainWindow(controller, ini)
window.board.viewport().installEventFilter(watch)
window.resize(1600, 900)
window.show()
while watch.painted_at == 0.0:
    app.processEvents()
painted = watch.painted_at
ticks = [time.perf_counter()]  # a timer every 5 ms while the log is checked: how late it runs
timer = QTimer(interval=5)
timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
loop = QEventLoop()
controller.log_checked.connect(loop.quit)
if controller.recorder.checking and not checked:
    timer.start()
    loop.exec()
    timer.stop()
ticks.append(time.perf_counter())
turn = max(b - a for a, b in zip(ticks, ticks[1:]))
print(painted - started, (checked[0] if checked else painted) - started, turn)
"""


def open_file(workload: Workload, folder: Path, runs: int = 5) -> None:
    """A running application opens the file: from the call to the board painted with it."""
    path, _ = saved_session(workload, folder / "open.tbs")
    times, checks, turns = [], [], []
    for _ in range(runs):
        painted, checked, turn = map(float, in_new_process(OPEN_CODE, str(path)).split()[-3:])
        times.append(painted)
        checks.append(checked)
        turns.append(turn)
    print(
        f"[{workload.name}] open the session file to a painted board (a running application, "
        f"{runs} runs): median {sorted(times)[runs // 2]:.2f} s, worst {max(times):.2f} s; "
        f"its log read and checked in the worker by {sorted(checks)[runs // 2]:.2f} s "
        f"(median), a 5 ms timer's longest gap meanwhile {max(turns) * 1000:.0f} ms"
    )


RESIDENT_CODE = """
import os, sys, tempfile
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from pathlib import Path
from PySide6.QtCore import QSettings
from bench_window import current_rss_mb
from timingboard.app.main_window import MainWindow
from timingboard.app.run import application
from timingboard.demo.clash import qualifying
from timingboard.qt.session_controller import SessionController
from timingboard.store import SessionRecorder
app = application()
folder = Path(tempfile.mkdtemp())
ini = QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat)
controller = SessionController(SessionRecorder.create(folder / "s.tbs", qualifying().settings))
window = MainWindow(controller, ini)
window.show()
app.processEvents()
empty = current_rss_mb()
if sys.argv[2] == "open":
    window.close()
    controller.close()
    controller = SessionController(SessionRecorder.open(sys.argv[1]))
    window = MainWindow(controller, ini)
    window.show()
elif sys.argv[2] == "file-open":  # as File > Open does: the board from the snapshot, the log
    from PySide6.QtCore import QEventLoop  # read and checked in a worker, then joined to it
    loop = QEventLoop()
    controller.log_checked.connect(loop.quit)
    assert window.session_actions.open_session(sys.argv[1])
    while window.session_actions.opening:  # a long file is read in a worker first
        app.processEvents()
    if controller.recorder.checking:
        loop.exec()
else:  # every checkpoint built as the window builds them, while idle
    window.replay.replay(sys.argv[1])
    while window.replay.opening or window.replay.driver.building:  # a long file: a worker
        app.processEvents()
app.processEvents()
figures = [empty, current_rss_mb()]
if sys.argv[2] == "seeks":  # then seeks spread over the session, each let refill when idle
    import random
    driver, rng, done = window.replay.driver, random.Random(23), 0
    for count in map(int, sys.argv[3].split(",")):
        for _ in range(count - done):
            driver.seek(rng.randint(0, driver.duration_ms))
            while driver.building:  # idle time after it (main made its checkpoint again)
                app.processEvents()
        done = count
        app.processEvents()
        figures.append(current_rss_mb())
print(*figures)
"""


RESIDENT_SEEKS = (10, 40, 120)  # resident after this many seeks (one process, cumulative)


def resident(workload: Workload, folder: Path) -> None:
    """The application's resident size (a new process each): empty, then the session open (in
    a new window; in the window shown, as File > Open does, its log checked) or replayed with
    every checkpoint built; then replayed after :data:`RESIDENT_SEEKS` seeks (a replay must
    not grow with each one)."""
    path, _ = saved_session(workload, folder / "resident.tbs")
    figures = {}
    for how in ("open", "file-open", "replay"):
        figures[how] = [
            float(x) for x in in_new_process(RESIDENT_CODE, str(path), how).split()[-2:]
        ]
    empty = figures["open"][0]
    print(
        f"[{workload.name}] the application's resident size: {empty:.0f} MB with an empty "
        f"window; {figures['open'][1]:.0f} MB with the session open; "
        f"{figures['file-open'][1]:.0f} MB opened as File > Open does (log checked); "
        f"{figures['replay'][1]:.0f} MB replaying it"
    )
    counts = ",".join(map(str, RESIDENT_SEEKS))
    printed = in_new_process(RESIDENT_CODE, str(path), "seeks", counts).split()
    built, *after = printed[-1 - len(RESIDENT_SEEKS) :]
    print(
        f"[{workload.name}] resident replaying it, then after seeks (spread at random over the "
        "session, each followed by the idle time the window builds checkpoints in): "
        f"{float(built):.0f} MB built, "
        + ", ".join(
            f"{float(mb):.0f} MB after {n}" for n, mb in zip(RESIDENT_SEEKS, after, strict=True)
        )
    )


SETTLED_S = 0.05  # a window that painted nothing for this long after a seek is done with it


def replay_seek(
    workload: Workload, app: QApplication, folder: Path, seeks: int = 60, profile: str | None = None
) -> None:
    """Replay a saved session; seek at random: time until the board is painted as it stood.

    Board: until the leaderboard's viewport is painted (the paint starts). Window: until the
    last turn of the event loop that painted anything of the window (charts, logs, header)
    ended, the window then painting nothing for ``SETTLED_S``. CPU: the GUI thread's CPU time
    from the seek to the end of the board's paint (what a loaded machine does not inflate as
    much); and to the end of the turn of the event loop that painted it (which counts what
    ran after the board's paint in that turn: other widgets' paints, work waiting for it).
    ``--profile``: cProfile of the seeks (not of the idle checkpoint building between them).
    """
    path, settings = saved_session(workload, folder / "replay.tbs")
    window, controller = window_for(folder / "blank.tbs", settings, app)
    watch, any_paint = PaintWatch(), AnyPaint()
    window.board.viewport().installEventFilter(watch)
    board_paint = window.board.paintEvent
    painted_cpu = [0.0]

    def timed_paint(event: QEvent) -> None:  # the board's paint, its CPU time noted at its end
        board_paint(event)
        painted_cpu[0] = time.thread_time()

    window.board.paintEvent = timed_paint  # type: ignore[method-assign]
    before = current_rss_mb()
    assert window.replay.replay(path)
    while window.replay.opening:  # a long file is read in a worker (File > Replay's way)
        app.processEvents()
    timeline = window.replay.driver.source.timeline
    while not timeline.build_next():  # the checkpoints, as idle time builds them
        pass
    freeze_survivors()
    app.processEvents()
    loaded = current_rss_mb()
    app.installEventFilter(any_paint)
    profiler = cProfile.Profile() if profile else None
    rng = random.Random(7)
    times, whole, cpu, cpu_turn = [], [], [], []
    for _ in range(seeks):
        moment = rng.randint(0, timeline.duration_ms)
        started, cpu_started = time.perf_counter(), time.thread_time()
        if profiler:
            profiler.enable()
        window.replay.driver.seek(moment)
        while watch.painted_at < started:
            app.processEvents()
        times.append(watch.painted_at - started)
        cpu_turn.append(time.thread_time() - cpu_started)
        cpu.append(painted_cpu[0] - cpu_started)
        last_paint = time.perf_counter()
        while time.perf_counter() - last_paint < SETTLED_S:
            any_paint.painted = False
            app.processEvents()
            if any_paint.painted:
                last_paint = time.perf_counter()
        whole.append(last_paint - started)
        if profiler:
            profiler.disable()
        while not timeline.build_next():  # the idle time between two seeks
            pass
        freeze_survivors()  # as the replay driver does when they are all built
    app.removeEventFilter(any_paint)
    if profiler:
        profiler.dump_stats(profile)

    def p50_p99(values: list[float]) -> str:
        p50, p99 = (percentile(values, share) * 1000 for share in (0.5, 0.99))
        return f"p50 {p50:.0f} ms, p99 {p99:.0f} ms"

    print(
        f"[{workload.name}] replay: seek to a painted board ({seeks} random) {p50_p99(times)}; "
        f"to the whole window painted {p50_p99(whole)}; GUI-thread CPU to the painted board "
        f"{p50_p99(cpu)} (to the end of the turn that painted it {p50_p99(cpu_turn)}); "
        f"resident {loaded:.0f} MB with the replay open "
        f"({loaded - before:+.0f} MB for it)"
    )
    window.close()
    controller.close()


def soak(hours: float, app: QApplication, folder: Path) -> None:
    """Simulated racing at 100x: memory and frame cost per simulated hour should stay flat."""
    lap_ms = 90_000
    workload = Workload("soak", 40, int(hours * 3_600_000 / lap_ms) + 5, lap_ms, 2.5)
    settings, events = generate(workload)
    window, controller = window_for(folder / "soak.tbs", settings, app)
    controller.submit([e for e in events if not isinstance(e, Passing | FlagChanged)])
    timed = [e for e in events if isinstance(e, Passing | FlagChanged)]
    speed, hour_ms = 100.0, 3_600_000
    started = time.perf_counter()
    index, next_report, frames = 0, hour_ms, []
    while index < len(timed):
        session_ms = (time.perf_counter() - started) * 1000 * speed
        batch = []
        while index < len(timed) and timed[index].time_ms <= session_ms:
            batch.append(timed[index])
            index += 1
        if batch:
            controller.submit(batch)
        t0 = time.perf_counter()
        app.processEvents()
        frames.append(time.perf_counter() - t0)
        if session_ms >= next_report:
            print(
                f"[soak] simulated hour {next_report // hour_ms}: RSS {current_rss_mb():.0f} MB, "
                f"{len(controller.engine.passings):,} passings, event-loop turn p95 "
                f"{percentile(frames, 0.95) * 1000:.1f} ms",
                flush=True,
            )
            frames = []
            next_report += hour_ms
            if next_report > hours * hour_ms:
                break
        time.sleep(0.002)  # the benchmark's own pacing, like a feed arriving over time
    window.close()
    controller.close()


def cold_start() -> None:
    code = (
        "import os, time; os.environ['QT_QPA_PLATFORM']='offscreen'\n"
        "from timingboard.app.run import application\n"
        "from timingboard.app.main_window import MainWindow\n"
        "from timingboard.demo.clash import qualifying\n"
        "from timingboard.qt.session_controller import SessionController\n"
        "from timingboard.store import SessionRecorder\n"
        "from PySide6.QtCore import QSettings\n"
        "import tempfile, pathlib\n"
        "d = pathlib.Path(tempfile.mkdtemp())\n"
        "app = application()\n"
        "c = SessionController(SessionRecorder.create(d / 's.tbs', qualifying().settings))\n"
        "w = MainWindow(c, QSettings(str(d / 's.ini'), QSettings.Format.IniFormat))\n"
        "w.show(); app.processEvents(); w.grab()\n"
    )
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, env=child_env()
        )
        runs.append(time.perf_counter() - started)
    print(f"cold start to a painted window (new process, 5 runs): median {sorted(runs)[2]:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--soak", type=float, metavar="HOURS")
    parser.add_argument("--cold-start", action="store_true")
    parser.add_argument("--open", action="store_true", help="only: open the 24 h session")
    parser.add_argument(
        "--only", choices=["latency", "paced", "burst", "open", "replay", "resident"]
    )
    parser.add_argument(
        "--workload", choices=workload_keys(), help="every figure for this one (or --only's)"
    )
    parser.add_argument(
        "--profile", metavar="FILE", help="cProfile the paced run (or --only replay's) into FILE"
    )
    args = parser.parse_args()
    if args.cold_start:
        cold_start()
        return
    if args.open:
        open_file(WORKLOADS[2], Path(tempfile.mkdtemp(prefix="timingboard-bench-window-")))
        return
    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="timingboard-bench-window-"))
    if args.soak:
        soak(args.soak, app, folder)
        return
    only = args.only
    named = workload_named(args.workload) if args.workload else None
    if only in ("paced", "latency", "burst"):
        workload = named or WORKLOADS[1]
        {
            "paced": lambda: paced(workload, app, folder, args.profile),
            "latency": lambda: latency(workload, app, folder),
            "burst": lambda: burst(workload, app, folder),
        }[only]()
        return
    live, saved = ((named,), named) if named else (tuple(WORKLOADS[:2]), WORKLOADS[2])
    if only is None:
        for workload in live:
            latency(workload, app, folder)
            paced(workload, app, folder, None)
            burst(workload, app, folder)
    if only in (None, "open"):
        open_file(saved, folder)
    if only in (None, "replay"):
        replay_seek(saved, app, folder, profile=args.profile if only == "replay" else None)
    if only in (None, "resident"):
        resident(saved, folder)


if __name__ == "__main__":
    main()
