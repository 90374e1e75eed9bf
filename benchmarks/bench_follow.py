"""What following a session another process writes costs the read-only window's thread.

A 24-hour session (120k events) is written but for its last events; a second recorder opens it
read-only (the first holds it) and, as the window's follower does every 500 ms, takes what the
writer appended since: one crossing, ten, and a catch-up batch of 2,000; plus the look at the
writer's lock. Each figure is the wall time of ``take_appended`` (read ``seq > last``, check
the chain, decode, apply) or ``holder_of``.

Run:  python benchmarks/bench_follow.py [--workload 24h] [--runs 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from timingboard.demo.endurance import generate, workload_named
from timingboard.qt.log_follow import BATCH
from timingboard.store import SessionRecorder
from timingboard.store.session_lock import holder_of


def ms(values: list[float]) -> str:
    values = sorted(values)
    p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
    return f"p50 {statistics.median(values):.3f} ms  p99 {p99:.3f} ms  max {values[-1]:.3f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workload", default="24h")
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    settings, events = generate(workload_named(args.workload))
    tail = args.runs * 11 + BATCH
    folder = Path(tempfile.mkdtemp(prefix="bench-follow-"))
    path = folder / "long.tbs"
    writer = SessionRecorder.create(path, settings)
    for start in range(0, len(events) - tail, 5000):
        writer.submit(events[start : min(start + 5000, len(events) - tail)])
    rest = events[len(events) - tail :]
    reader = SessionRecorder.open(path)
    assert reader.file.read_only, "the reader must be locked out by the writer"
    print(f"{args.workload}: {reader.file.last_seq} events in the log, pid {os.getpid()}")
    one: list[float] = []
    ten: list[float] = []
    lock: list[float] = []
    for _ in range(args.runs):
        writer.submit(rest[:1])
        rest = rest[1:]
        started = time.perf_counter()
        _change, taken, damage = reader.take_appended(BATCH)
        one.append((time.perf_counter() - started) * 1000)
        assert taken == 1 and damage is None
        writer.submit(rest[:10])
        rest = rest[10:]
        started = time.perf_counter()
        _change, taken, damage = reader.take_appended(BATCH)
        ten.append((time.perf_counter() - started) * 1000)
        assert taken == 10 and damage is None
        started = time.perf_counter()
        holder = holder_of(path)
        lock.append((time.perf_counter() - started) * 1000)
        assert holder is not None
    writer.submit(rest[:BATCH])
    started = time.perf_counter()
    _change, taken, damage = reader.take_appended(BATCH)
    batch_ms = (time.perf_counter() - started) * 1000
    assert taken == BATCH and damage is None
    print(f"1 new event a poll:   {ms(one)}")
    print(f"10 new events a poll: {ms(ten)}")
    print(f"the writer's lock:    {ms(lock)}")
    print(f"a batch of {BATCH} (catching up): {batch_ms:.1f} ms")
    assert reader.engine.seq == writer.engine.seq
    reader.close()
    writer.close()


if __name__ == "__main__":
    main()
