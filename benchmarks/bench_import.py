"""``timingboard import`` and ``results`` of a long RMonitor stream, beside a bare loop: prints
figures. Not a test.

Run:  python benchmarks/bench_import.py                       (60 cars x 2,000 laps, 24 h)
      python benchmarks/bench_import.py --workload 200x600    (any key of endurance.py)
      python benchmarks/bench_import.py --profile             (where import spends its time)
      python benchmarks/bench_import.py --stages              (each stage of import on its own)
      python benchmarks/bench_import.py --import-only --runs 7 (import beside the bare loop only)

The stream is a seeded session written as a timing system sends it
(:mod:`timingboard.demo.rmonitor_stream`: the cars, one ``$J`` a counted crossing, a heartbeat
a minute and at each flag, the final order) to a file in a temporary folder. The bare loop is
what the least a tool can do with it: read the file, parse each ``$J`` line (car, lap time,
race time) and insert one JSON row per passing into SQLite in one transaction (WAL,
synchronous=FULL). ``import`` and ``results`` are the commands' own code (``timingboard.cli``),
run in this process, interleaved with the bare loop run by run so that a busy machine slows
them alike; the median of each is shown, wall clock and CPU time, and the ratios (import's
also run by run, with the worst pair: the bare loop's own spread, its synced commits, moves
the ratio from run to run, so a goal must hold in the worst pair, not only the median). ``results``
is also set beside merely reading and decoding the session's log (opening the file read-only
and taking every event of it, checked against its chain), run by run (the goal: no slower).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import json
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from timingboard import cli
from timingboard.demo.endurance import WORKLOADS, generate, workload_keys, workload_named
from timingboard.demo.rmonitor_stream import rmonitor_stream


def bare_loop(stream: Path, target: Path) -> int:
    """Parse the ``$J`` lines; one JSON row per passing, one transaction. Rows written."""
    db = sqlite3.connect(target, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("CREATE TABLE events (seq INTEGER PRIMARY KEY, payload TEXT NOT NULL)")
    rows = []
    with stream.open("rb") as handle:
        for line in handle:
            if not line.startswith(b"$J,"):
                continue
            reg, lap, total = line.decode().rstrip().split(",")[1:4]
            payload = {"key": reg.strip('"'), "lap_ms": _ms(lap), "time_ms": _ms(total)}
            rows.append((len(rows) + 1, json.dumps(payload)))
    db.execute("BEGIN IMMEDIATE")
    db.executemany("INSERT INTO events VALUES (?, ?)", rows)
    db.execute("COMMIT")
    db.close()
    return len(rows)


def _ms(text: str) -> int:
    hours, minutes, seconds = text.strip('"').split(":")
    return (int(hours) * 60 + int(minutes)) * 60_000 + round(float(seconds) * 1000)


def read_log(session: Path) -> int:
    """Merely read and decode a session's log: every event, each checked against the chain."""
    from timingboard.store.session_file import SessionFile

    file = SessionFile.open(session, read_only=True)
    try:
        return len(list(file.entries()))
    finally:
        file.close()


def command(*args: str) -> None:
    """A sub-command as ``timingboard`` runs it, its printing kept."""
    with contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(list(args))
    if code != 0:
        raise SystemExit(f"timingboard {' '.join(args)} failed ({code})")


def timed(action: Callable[..., object], *args: Any) -> tuple[float, float]:
    """Wall clock and CPU seconds of ``action(*args)``, from a clean collector."""
    gc.unfreeze()
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    action(*args)
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workload", choices=workload_keys(), default=WORKLOADS[2].key)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="profile one import instead")
    parser.add_argument(
        "--import-only", action="store_true", help="import beside the bare loop, no results"
    )
    parser.add_argument(
        "--stages", action="store_true", help="CPU of each stage of import beside the bare loop"
    )
    args = parser.parse_args()
    workload = workload_named(args.workload)
    folder = Path(tempfile.mkdtemp(prefix="timingboard-bench-import-"))
    try:  # its files (~100 MB a run of three) are not left behind on a shared disk
        measure(args, workload, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def measure(args: argparse.Namespace, workload: Any, folder: Path) -> None:
    stream = folder / "stream.txt"
    stream.write_bytes(rmonitor_stream(*generate(workload)))
    text = stream.read_bytes()
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load "
        f"{os.getloadavg()[0]:.1f}; [{workload.name}] stream {len(text) / 1e6:.1f} MB, "
        f"{text.count(b'$J,'):,} $J, {text.count(b'$F,'):,} $F"
    )
    if args.profile:
        profile(stream, folder)
        return
    if args.stages:
        stages(workload.name, stream, folder, args.runs)
        return
    figures: dict[str, list[tuple[float, float]]] = {
        "bare": [],
        "import": [],
        "results": [],
        "read": [],
    }
    for run in range(args.runs):
        bare, session = folder / f"bare-{run}", folder / f"import-{run}"
        sheet = folder / f"sheet-{run}.csv"  # CSV, as results wrote under any name before da771df
        figures["bare"].append(timed(bare_loop, stream, bare))
        figures["import"].append(timed(command, "import", str(stream), "-o", str(session)))
        if args.import_only:
            continue
        figures["results"].append(timed(command, "results", str(session), "-o", str(sheet)))
        figures["read"].append(timed(read_log, session))
    report(workload.name, figures, args.runs)


def report(name: str, figures: dict[str, list[tuple[float, float]]], runs: int) -> None:
    """Medians; each ratio is taken run by run (the two ran side by side), then its median."""

    def median(what: str, at: int) -> float:
        return statistics.median(times[at] for times in figures[what])

    def ratios(at: int, *what: str, to: str = "bare") -> list[float]:
        runs = zip(figures[to], *(figures[w] for w in what), strict=True)
        return [sum(t[at] for t in run[1:]) / run[0][at] for run in runs]

    def ratio(at: int, *what: str, to: str = "bare") -> float:
        return statistics.median(ratios(at, *what, to=to))

    full = bool(figures["results"])  # not --import-only
    print(
        f"[{name}] medians of {runs} runs, wall (CPU): bare loop {median('bare', 0):.2f} s "
        f"({median('bare', 1):.2f} s); import {median('import', 0):.2f} s "
        f"({median('import', 1):.2f} s)"
        + (f"; results {median('results', 0):.2f} s ({median('results', 1):.2f} s)" if full else "")
    )
    print(
        f"[{name}] against the bare loop: import {ratio(0, 'import'):.1f}x "
        f"({ratio(1, 'import'):.1f}x CPU)"
        + (
            f"; import + results {ratio(0, 'import', 'results'):.1f}x "
            f"({ratio(1, 'import', 'results'):.1f}x CPU)"
            if full
            else ""
        )
    )
    print(  # the worst pair too: a goal met at the median may still be missed in some runs
        f"[{name}] import against the bare loop, run by run: wall "
        + ", ".join(
            f"{r:.2f}x ({i[0]:.2f} / {b[0]:.2f} s)"
            for r, i, b in zip(ratios(0, "import"), figures["import"], figures["bare"], strict=True)
        )
        + f" (worst {max(ratios(0, 'import')):.2f}x); CPU "
        + ", ".join(f"{r:.2f}x" for r in ratios(1, "import"))
        + f" (worst {max(ratios(1, 'import')):.2f}x)"
    )
    if full:
        print(
            f"[{name}] results against reading and decoding the log ({median('read', 0):.2f} s, "
            f"{median('read', 1):.2f} s CPU): {ratio(0, 'results', to='read'):.2f}x "
            f"({ratio(1, 'results', to='read'):.2f}x CPU)"
        )


def stages(name: str, stream: Path, folder: Path, runs: int) -> None:
    """Each stage of ``import`` on its own, run by run beside the bare loop (CPU time): finding
    the lines (a plain ``$J``'s fields), mapping them to events (its crossings from those
    fields, as import reads them), writing them to a session file in the command's
    batches (in one transaction, as the command builds its file), the engine taking them in
    those batches, and the snapshot kept on closing."""
    from timingboard.engine import TimingEngine
    from timingboard.feeds.rmonitor_parser import RMonitorParser
    from timingboard.feeds.rmonitor_session import RMonitorMapper
    from timingboard.store import snapshot
    from timingboard.store.feed_import import batches
    from timingboard.store.session_file import SessionFile

    data = stream.read_bytes()
    ratios: dict[str, list[float]] = {}
    for run in range(runs):
        bare = timed(bare_loop, stream, folder / f"stages-bare-{run}")[1]
        gc.disable()  # as import runs: its collection paused (store/bulk.py)
        mapper = RMonitorMapper()
        parsed: list[Any] = []
        got = {"parse": timed(_parse_into, parsed, RMonitorParser(), data)[1]}
        got["map"] = timed(_map_rows, mapper, parsed)[1]
        session = max(mapper.sessions, key=lambda s: len(s.events))
        file = SessionFile.create(folder / f"stages-{run}.tbs", session.settings)
        entries: list[Any] = []
        got["write"] = timed(_write_in_batches, file, batches(session.events), entries)[1]
        engine = TimingEngine(session.settings)
        got["engine"] = timed(_take_in_batches, engine, entries)[1]
        got["snapshot"] = timed(snapshot.engine_data, engine)[1]
        file.close()
        gc.enable()
        for stage, cpu in got.items():
            ratios.setdefault(stage, []).append(cpu / bare)
    medians = {stage: statistics.median(values) for stage, values in ratios.items()}
    print(
        f"[{name}] CPU of each stage against the bare loop, medians of {runs} runs: "
        + ", ".join(f"{stage} {ratio:.2f}x" for stage, ratio in medians.items())
        + f"; together {sum(medians.values()):.2f}x"
    )


def _parse_into(out: list[Any], parser: Any, data: bytes) -> None:
    out.append(parser.feed_rows(data))
    out.append(([], parser.flush()))


def _map_rows(mapper: Any, parsed: list[Any]) -> None:
    (skipped, rows), (_, last) = parsed
    mapper.read(skipped)
    mapper.read_rows(rows)
    mapper.read(last)


def _write_in_batches(file: Any, batches: Any, out: list[Any]) -> None:
    with file.built():  # as import writes its temporary file: one transaction, committed here
        for batch in batches:
            out.append(file.append(batch))


def _take_in_batches(engine: Any, batches: list[Any]) -> None:
    for batch in batches:  # as import gives them
        engine.apply(batch)


def profile(stream: Path, folder: Path) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(command, "import", str(stream), "-o", str(folder / "profiled.tbs"))
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
