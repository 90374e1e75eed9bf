"""Fuzz the feed path and print the counts. Not a test (the suite runs a few thousand).

Run:  python scripts/fuzz_feeds.py parser --count 1000000
      python scripts/fuzz_feeds.py captures --count 500

``parser``: random bytes, made-up records and mutated lines of the shared captures through the
parser, the mapper and a session's checks; any exception is counted (and the first shown).
``captures``: windows of the shared captures, mutated (lines dropped, repeated, swapped,
damaged, resets, cp1252), each sent in random chunks to the live client over loopback and
imported; counts the ones whose sessions, logs and boards are not identical.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
TESTS = Path(__file__).resolve().parents[1] / "tests"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "feeds" / "rmonitor"
sys.path.insert(0, str(TESTS))

from feed_fuzz import ParserFuzz, inputs, mutated_capture  # noqa: E402


def captures() -> list[Path]:
    return sorted(SHARED.glob("*")) if SHARED.is_dir() else []


def parser(count: int, seed: int) -> int:
    rng = random.Random(seed)
    lines = [line for path in captures() for line in path.read_bytes().splitlines(keepends=True)]
    fuzz = ParserFuzz()
    started = time.monotonic()
    for data in inputs(rng, lines):
        fuzz.take(data, rng)
        if fuzz.count.inputs >= count:
            break
        if fuzz.count.inputs % 100_000 == 0:
            print(f"  {fuzz.count.inputs:,}…", file=sys.stderr, flush=True)
    for failure in fuzz.count.first_failures:
        print(failure, file=sys.stderr)
    print(f"{fuzz.count.line()} ({time.monotonic() - started:.0f} s, seed {seed})")
    return 1 if fuzz.count.exceptions else 0


def live_vs_import(count: int, seed: int) -> int:
    from feed_harness import imported, live
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    paths = captures()
    if not paths:
        print("../shared/feeds is not here", file=sys.stderr)
        return 2
    data = {path: path.read_bytes() for path in paths}
    rng = random.Random(seed)

    def wait(condition, timeout: int = 5000) -> None:
        deadline = time.monotonic() + timeout / 1000
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("the live client did not get there")
            app.processEvents()

    same = differ = failed = 0
    started = time.monotonic()
    for i in range(count):
        path = rng.choice(paths)
        stream = mutated_capture(data[path], rng)
        with tempfile.TemporaryDirectory() as folder:
            try:
                ours = live(stream, Path(folder) / "live", rng, wait)
                theirs = imported(stream, Path(folder) / "import")
            except Exception as exc:
                failed += 1
                print(f"  {i}: {path.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
                continue
        if ours == theirs:
            same += 1
        else:
            differ += 1
            print(f"  {i}: {path.name}: live and import differ", file=sys.stderr)
    print(
        f"{count} mutated captures through the live client over loopback: {same} end as import, "
        f"{differ} differ, {failed} failed ({time.monotonic() - started:.0f} s, seed {seed})"
    )
    return 1 if differ or failed else 0


def main() -> int:
    args = argparse.ArgumentParser()
    args.add_argument("what", choices=["parser", "captures"])
    args.add_argument("--count", type=int, default=None)
    args.add_argument("--seed", type=int, default=1)
    ns = args.parse_args()
    if ns.what == "parser":
        return parser(ns.count or 1_000_000, ns.seed)
    return live_vs_import(ns.count or 500, ns.seed)


if __name__ == "__main__":
    sys.exit(main())
