"""timingboard benchmarks: prints figures, one line each, with the workload. Not a test.

Run:  python benchmarks/bench.py            (the three usual workloads)
      python benchmarks/bench.py --quick    (the two smaller workloads)
      python benchmarks/bench.py --workload 200x600 --workload 24h-classes   (the scale ones;
      any key of timingboard/demo/endurance.py, with --only as ever)
"""

from __future__ import annotations

import argparse
import gc
import itertools
import os
import random
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from this_tree import child_env

from timingboard.demo.endurance import WORKLOADS, Workload, generate, workload_keys, workload_named
from timingboard.engine import LogEntry, Passing, TimingEngine
from timingboard.engine.replay import ReplayTimeline, stamps_of
from timingboard.store import SessionRecorder
from timingboard.store.bulk import CollectorPacer, freeze_survivors
from timingboard.store.recorder import CHECK_LATER_FROM

BASELINE_PASSINGS = 5000
SEEKS = 200


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def engine_ingest(workload: Workload, log: list[LogEntry], settings, size: int = 1) -> float:
    """Feeds the log ``size`` events a batch: one at a time as a quiet live feed, or every event
    a socket read brings as a busy one; returns passings per second.

    The collector is paced as the session recorder paces it (``CollectorPacer``).
    """
    engine = TimingEngine(settings)
    pacer = CollectorPacer()
    times = []
    started = time.perf_counter()
    for start in range(0, len(log), size):
        batch = log[start : start + size]
        t0 = time.perf_counter()
        engine.apply(batch)
        times.append(time.perf_counter() - t0)
        pacer.note(len(batch))
    total = time.perf_counter() - started
    gc.unfreeze()
    passings = sum(isinstance(e.event, Passing) for e in log)
    if size == 1:
        print(
            f"[{workload.name}] engine ingest: {passings / total:,.0f} passings/s, "
            f"p50 {percentile(times, 0.5) * 1e6:.1f} us, p99 {percentile(times, 0.99) * 1e6:.1f}"
            f" us per event ({len(log):,} events)"
        )
    else:
        print(
            f"[{workload.name}] engine ingest in batches of {size} (a feed read under load): "
            f"{passings / total:,.0f} passings/s"
        )
    return passings / total


def baseline(workload: Workload, log: list[LogEntry], engine_rate: float) -> None:
    """What simple tools do: after each passing, recompute and re-sort the whole board."""
    lap_times: dict[str, list[int]] = {}
    crossings: dict[str, list[int]] = {}
    count = 0
    started = time.perf_counter()
    for entry in log:
        event = entry.event
        if not isinstance(event, Passing):
            continue
        crossings.setdefault(event.transponder, []).append(event.time_ms)
        board = []
        for car, times in crossings.items():
            times.sort()
            laps = [b - a for a, b in itertools.pairwise(times)]
            lap_times[car] = laps
            board.append((-len(laps), times[-1], min(laps) if laps else 0, car))
        board.sort()
        count += 1
        if count >= BASELINE_PASSINGS:
            break
    rate = count / (time.perf_counter() - started)
    print(
        f"[{workload.name}] from-scratch baseline (first {count:,} passings): {rate:,.0f} "
        f"passings/s; the engine is {engine_rate / rate:,.1f}x faster"
    )


def written_at(log: list[LogEntry], origin: float = 1.7e9) -> list[float]:
    """The wall clock a live session file keeps for each event: when it was timed (a replay
    stamps corrections by it; every event is stamped by it here, the slowest way)."""
    return [origin + stamp / 1000 for stamp in stamps_of(log)]


def replay_seek(workload: Workload, log: list[LogEntry], settings) -> None:
    logged_at = written_at(log)
    started = time.perf_counter()
    timeline = ReplayTimeline(settings, log, logged_at=logged_at)
    timeline.final()
    built = time.perf_counter() - started
    gc.collect()
    gc.freeze()
    rng = random.Random(5)
    times, cpu, refills = [], [], []
    for _ in range(SEEKS):
        moment = rng.randint(0, timeline.duration_ms)
        t0, c0 = time.perf_counter(), time.thread_time()
        engine = timeline.engine_at(timeline.prefix_at(moment))
        times.append(time.perf_counter() - t0)
        cpu.append(time.thread_time() - c0)  # what a shared, loaded machine inflates less
        del engine  # freeing the board shown before belongs to the painted seek, not to this
        t0 = time.perf_counter()  # the idle time after a seek, as the replay driver uses it
        while not timeline.build_next():
            pass
        freeze_survivors()
        refills.append(time.perf_counter() - t0)
    gc.unfreeze()
    gaps = [b - a for a, b in itertools.pairwise(timeline.starts)]
    print(
        f"[{workload.name}] replay seek (state, {SEEKS} random): p50 "
        f"{percentile(times, 0.5) * 1000:.1f} ms, p99 {percentile(times, 0.99) * 1000:.1f} ms "
        f"(CPU time p50 {percentile(cpu, 0.5) * 1000:.1f}, p99 {percentile(cpu, 0.99) * 1000:.1f} "
        f"ms); {len(gaps) + 1} checkpoints, {min(gaps, default=0):,}-{max(gaps, default=0):,} "
        f"events apart, built in {built:.2f} s; idle work after a seek (none since a seek "
        f"keeps its checkpoint) p50 {percentile(refills, 0.5) * 1000:.0f} ms, "
        f"p99 {percentile(refills, 0.99) * 1000:.0f} ms"
    )


def replay_memory(workload: Workload, log: list[LogEntry], settings) -> None:
    """What a replay holds, counted by tracemalloc (the same on a loaded machine): the timeline
    with every checkpoint built, beside one board of the whole session."""
    gc.collect()
    tracemalloc.start()
    engine = TimingEngine.from_log(settings, log)
    board = tracemalloc.get_traced_memory()[0]
    del engine
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
    timeline = ReplayTimeline(settings, log)
    while not timeline.build_next():
        pass
    gc.collect()
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    count = len(timeline.checkpoints())
    print(
        f"[{workload.name}] replay memory (tracemalloc): {held / 1e6:.1f} MB with its {count} "
        f"checkpoints built; one board of the whole session {board / 1e6:.1f} MB, so "
        f"{(held - board) / count / 1e3:.0f} kB a checkpoint beyond it"
    )


def session_file(workload: Workload, settings, events) -> None:
    folder = Path(tempfile.mkdtemp(prefix="timingboard-bench-"))
    path = folder / "session.tbs"
    recorder = SessionRecorder.create(path, settings)
    started = time.perf_counter()
    for start in range(0, len(events), 1000):
        recorder.submit(events[start : start + 1000])
    written = time.perf_counter() - started
    recorder.close()
    started = time.perf_counter()
    reopened = SessionRecorder.open(path)
    opened = time.perf_counter() - started
    reopened.close()
    size = path.stat().st_size / 1e6
    print(
        f"[{workload.name}] session file: written in {written:.2f} s (batches of 1,000), "
        f"{size:.1f} MB; opened to a full board in {opened:.2f} s"
    )


def _saved(settings, events, folder: Path) -> tuple[Path, Path]:
    """The session as the recorder leaves it when closed (with its snapshot), and a copy of it
    without one, as a file from before snapshots, or one closed by a crash, is."""
    path = folder / "session.tbs"
    recorder = SessionRecorder.create(path, settings)
    for start in range(0, len(events), 1000):
        recorder.submit(events[start : start + 1000])
    started = time.perf_counter()
    recorder.close()
    closed = time.perf_counter() - started
    bare = folder / "bare.tbs"
    shutil.copyfile(path, bare)
    db = sqlite3.connect(bare)
    db.execute("DROP TABLE snapshot")
    db.commit()
    db.execute("VACUUM")
    db.close()
    kept = path.stat().st_size - bare.stat().st_size
    print(
        f"    (closing it kept the board in the file in {closed:.2f} s, "
        f"{kept / 1e6:.1f} MB beside a {bare.stat().st_size / 1e6:.1f} MB log)"
    )
    return path, bare


def _read_and_decode(path: Path) -> float:
    """Merely reading the log and decoding it (every event checked against the chain)."""
    from timingboard.store.session_file import SessionFile

    started = time.perf_counter()
    file = SessionFile.open(path, read_only=True)
    log = list(file.entries())
    took = time.perf_counter() - started
    file.close()
    del log
    return took


def _timed(runs: int, once) -> list[float]:
    times = []
    for _ in range(runs):
        gc.unfreeze()
        gc.collect()
        times.append(once())
    return sorted(times)


def _fresh_copy(bare: Path) -> Path:
    """A copy of the file without a snapshot for each run (closing one keeps a snapshot)."""
    copy = bare.with_name("bare-run.tbs")
    shutil.copyfile(bare, copy)
    return copy


def _figures(label: str, times: list[float], read: list[float]) -> str:
    runs = len(times)
    median, bar = times[runs // 2], read[runs // 2]
    return f"{label} median {median:.3f} s (best {times[0]:.3f} s), {median / bar:.2f}x read+decode"


def open_file(workload: Workload, settings, events, runs: int = 5) -> None:
    """Opening a saved session for editing: read and check the log, build the board (from the
    snapshot kept in the file when it was closed; and, for comparison, without one)."""
    folder = Path(tempfile.mkdtemp(prefix="timingboard-bench-"))
    print(f"[{workload.name}] open for editing ({runs} runs each, {len(events):,} events):")
    path, bare = _saved(settings, events, folder)

    def opened(what: Path) -> float:
        started = time.perf_counter()
        reopened = SessionRecorder.open(what)
        took = time.perf_counter() - started
        reopened.close()
        return took

    shown_at: list[float] = []

    def opened_as_the_window_does() -> float:
        started = time.perf_counter()
        reopened = SessionRecorder.open(path, check_later=True)
        shown_at.append(time.perf_counter() - started)
        reopened.settle()  # the worker's verdict: the log read and checked
        took = time.perf_counter() - started
        reopened.close()
        return took

    read = _timed(runs, lambda: _read_and_decode(path))
    fast = _timed(runs, lambda: opened(path))
    slow = _timed(runs, lambda: opened(_fresh_copy(bare)))
    later = _timed(runs, opened_as_the_window_does)
    print(f"    in this process: read+decode alone median {read[runs // 2]:.3f} s")
    print("    " + _figures("opened from its snapshot:", fast, read))
    if len(events) >= CHECK_LATER_FROM:
        print(
            "    "
            + _figures("as the window opens it, board ready:", sorted(shown_at), read)
            + "; "
            + _figures("its log checked in the worker by", later, read).lower()
        )
    print("    " + _figures("opened without one (rebuilt):", slow, read) + _chain_cost(path, runs))
    new_read = sorted(_in_a_new_process(READ_ONCE, path) for _ in range(runs))
    new_fast = sorted(_in_a_new_process(OPEN_ONCE, path) for _ in range(runs))
    new_slow = sorted(_in_a_new_process(OPEN_ONCE, _fresh_copy(bare)) for _ in range(runs))
    print(f"    in a new process each time: read+decode alone median {new_read[runs // 2]:.3f} s")
    print(
        "    " + _figures("opened from its snapshot (as `timingboard open`):", new_fast, new_read)
    )
    print("    " + _figures("opened without one (rebuilt):", new_slow, new_read))


def results(workload: Workload, settings, events, runs: int = 5) -> None:
    """`timingboard results` of a saved session beside merely reading and decoding its log."""
    from timingboard import cli

    folder = Path(tempfile.mkdtemp(prefix="timingboard-bench-"))
    print(f"[{workload.name}] results ({runs} runs each, {len(events):,} events):")
    path, bare = _saved(settings, events, folder)
    sheet = folder / "results.csv"

    def made(what: Path) -> float:
        sheet.unlink(missing_ok=True)  # results -o makes a new file, never one over a file
        started = time.perf_counter()
        assert cli.main(["results", str(what), "-o", str(sheet)]) == 0
        return time.perf_counter() - started

    read = _timed(runs, lambda: _read_and_decode(path))
    fast = _timed(runs, lambda: made(path))
    slow = _timed(runs, lambda: made(bare))
    print(f"    in this process: read+decode alone median {read[runs // 2]:.3f} s")
    print("    " + _figures("results from its snapshot:", fast, read))
    print("    " + _figures("results without one (rebuilt):", slow, read))
    command = [sys.executable, "-m", "timingboard", "results"]
    new_read = sorted(_in_a_new_process(READ_ONCE, path) for _ in range(runs))
    new_fast = sorted(_whole_run([*command, str(path), "-o", str(sheet)]) for _ in range(runs))
    new_slow = sorted(_whole_run([*command, str(bare), "-o", str(sheet)]) for _ in range(runs))
    new_bare = sorted(_whole_run([sys.executable, "-c", READ_ONCE, str(path)]) for _ in range(runs))
    print(
        f"    in a new process each time: read+decode alone median {new_read[runs // 2]:.3f} s "
        f"({new_bare[runs // 2]:.3f} s with starting Python and the imports)"
    )
    print(
        "    "
        + _figures("`timingboard results` from its snapshot (whole run):", new_fast, new_bare)
    )
    print("    " + _figures("`timingboard results` without one (whole run):", new_slow, new_bare))


OPEN_ONCE = (
    "import sys, time; from timingboard.store import SessionRecorder; "
    "t = time.perf_counter(); r = SessionRecorder.open(sys.argv[1]); "
    "print(time.perf_counter() - t); r.close()"
)
READ_ONCE = (
    "import sys, time; from timingboard.store.session_file import SessionFile; "
    "t = time.perf_counter(); f = SessionFile.open(sys.argv[1], read_only=True); "
    "log = list(f.entries()); print(time.perf_counter() - t); f.close()"
)


def _in_a_new_process(code: str, path: Path) -> float:
    import subprocess

    run = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        check=True,
        env=child_env(),
    )
    return float(run.stdout)


def _whole_run(command: list[str]) -> float:
    """A command's whole run, from starting Python to its exit."""
    import subprocess

    started = time.perf_counter()
    subprocess.run(command, capture_output=True, check=True, env=child_env())
    return time.perf_counter() - started


def _chain_cost(path: Path, runs: int) -> str:
    """The hash chain's share of reading the log: the same read with and without the check."""
    from timingboard.store.session_file import SessionFile

    file = SessionFile.open(path, read_only=True)
    if not getattr(file, "chained", False):
        file.close()
        return ""
    checked, unchecked = [], []
    for _ in range(runs):
        for chained, times in ((True, checked), (False, unchecked)):
            file.chained = chained
            started = time.perf_counter()
            for _entry in file.entries():
                pass
            times.append(time.perf_counter() - started)
    file.close()
    cost = min(checked) - min(unchecked)
    return f"; the hash chain's check: {cost * 1000:.0f} ms of a {min(checked):.3f} s log read"


def recorder_one_by_one(workload: Workload, settings, events, count: int = 1000) -> None:
    """Through the session recorder, one event a submit: committed to disk, then applied."""
    folder = Path(tempfile.mkdtemp(prefix="timingboard-bench-"))
    recorder = SessionRecorder.create(folder / "single.tbs", settings)
    times = []
    count = min(count, len(events))
    for event in events[:count]:
        started = time.perf_counter()
        recorder.submit([event])
        times.append(time.perf_counter() - started)
    recorder.close()
    print(
        f"[{workload.name}] through the recorder, one event a submit (committed to disk first): "
        f"p50 {percentile(times, 0.5) * 1e6:,.0f} us, p99 {percentile(times, 0.99) * 1e6:,.0f} us "
        f"({count:,} events)"
    )


def memory(workload: Workload, settings, log) -> None:
    before = _rss_mb()
    engine = TimingEngine.from_log(settings, log)
    after = _rss_mb()
    print(
        f"[{workload.name}] resident size: {after:.0f} MB with the session loaded "
        f"({after - before:+.0f} MB for it; peak RSS of this process)"
    )
    del engine


def _rss_mb() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return usage / 1024 if sys.platform != "darwin" else usage / 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--only",
        choices=["engine", "replay", "file", "open", "results", "memory"],
        default=None,
    )
    parser.add_argument(
        "--workload", action="append", choices=workload_keys(), help="instead of the usual ones"
    )
    args = parser.parse_args()
    print(
        f"python {sys.version.split()[0]} on {os.uname().machine}, {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.1f}"
    )
    workloads = WORKLOADS[:2] if args.quick else WORKLOADS
    if args.workload:
        workloads = tuple(workload_named(key) for key in args.workload)
    for workload in workloads:
        settings, events = generate(workload)
        log = [LogEntry(i + 1, e) for i, e in enumerate(events)]
        if args.only in (None, "engine"):
            baseline(workload, log, engine_ingest(workload, log, settings))
            for size in (10, 100):
                engine_ingest(workload, log, settings, size)
        if args.only in (None, "replay"):
            replay_seek(workload, log, settings)
            replay_memory(workload, log, settings)
        if args.only in (None, "file"):
            session_file(workload, settings, events)
            recorder_one_by_one(workload, settings, events)
        if args.only == "open":
            open_file(workload, settings, events)
        if args.only == "results":
            results(workload, settings, events)
        if args.only == "memory":
            memory(workload, settings, log)


if __name__ == "__main__":
    main()
