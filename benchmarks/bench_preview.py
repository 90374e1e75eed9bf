"""The correction dialog's cost per key typed, on a big session. Prints figures; not a test.

Run:  QT_QPA_PLATFORM=offscreen python benchmarks/bench_preview.py            (the 24 h race)
      QT_QPA_PLATFORM=offscreen python benchmarks/bench_preview.py --workload 1 (60 x 400 laps)
      QT_QPA_PLATFORM=offscreen python benchmarks/bench_preview.py --workload 200x600

Each key goes through the real dialog (typed with QTest into its field): a key that changes the
correction works out its effect on the board from a copy of the live engine; a key typed into the
reason or operator field works out nothing. For comparison, the old way (the whole session rebuilt
from its log) is timed once.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from timingboard.demo.endurance import WORKLOADS, generate, workload_named
from timingboard.engine import LogEntry, TimePenalty, TimingEngine
from timingboard.engine.events import InsertPassing
from timingboard.engine.formatting import parse_lap
from timingboard.widgets.correction_dialog import CorrectionDialog, Field


def per_key(field: QLineEdit, text: str) -> list[float]:
    """Milliseconds each key of ``text`` took, typed into ``field`` of a shown dialog."""
    times = []
    for char in text:
        started = time.perf_counter()
        QTest.keyClicks(field, char)
        times.append((time.perf_counter() - started) * 1000)
    return times


def report(what: str, times: list[float], dialog: CorrectionDialog, previews: int) -> None:
    ordered = sorted(times)
    print(
        f"  {what}: median {ordered[len(ordered) // 2]:.1f} ms, max {ordered[-1]:.1f} ms per key"
        f" ({len(times)} keys, {dialog.preview_count - previews} previews)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--workload", default="2", help="a key of endurance.py (24h-classes…) or an index"
    )
    args = parser.parse_args()
    if args.workload.isdigit():
        workload = WORKLOADS[int(args.workload)]
    else:
        workload = workload_named(args.workload)
    app = QApplication.instance() or QApplication([])
    settings, events = generate(workload)
    log = [LogEntry(i + 1, e) for i, e in enumerate(events)]
    engine = TimingEngine.from_log(settings, log)
    print(f"[{workload.name}] {engine.seq:,} events, {len(engine.cars())} cars")
    leader = engine.order()[0]
    last = engine.crossings(leader)[-1][0]

    def insert(values: list[str]) -> InsertPassing:
        return InsertPassing(time_ms=last + parse_lap(values[0]), key=leader)

    dialog = CorrectionDialog(
        "Insert", engine, insert, fields=[Field("Lap time")], operator="Bench", default_reason=""
    )
    dialog.show()
    app.processEvents()
    lap_field = dialog.inputs[0]
    assert isinstance(lap_field, QLineEdit)
    previews = dialog.preview_count
    report("lap time typed (42.512)", per_key(lap_field, "42.512"), dialog, previews)
    previews = dialog.preview_count
    report("reason typed", per_key(dialog.reason_field, "missed read"), dialog, previews)
    dialog.close()

    def penalty(values: list[str]) -> TimePenalty:
        return TimePenalty(key=leader, ms=parse_lap(values[0] or "x"))

    dialog = CorrectionDialog(
        "Penalty", engine, penalty, fields=[Field("Seconds")], operator="Bench"
    )
    dialog.show()
    previews = dialog.preview_count
    field = dialog.inputs[0]
    assert isinstance(field, QLineEdit)
    report("time penalty typed (12.5)", per_key(field, "12.5"), dialog, previews)
    dialog.close()

    extra = LogEntry(engine.seq + 1, InsertPassing(time_ms=last + 42_512, key=leader))
    started = time.perf_counter()
    TimingEngine.from_log(engine.settings, [*log, extra])
    rebuilt_ms = (time.perf_counter() - started) * 1000
    print(f"  for comparison, the session rebuilt from its log: {rebuilt_ms:.0f} ms")


if __name__ == "__main__":
    main()
