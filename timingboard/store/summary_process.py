"""Big session files summarised in a child process, so the window's process shares no GIL with it.

The Event view's worker thread rebuilt each session's board from its log in pure Python: for a
24-hour session, seconds of bytecode holding the GIL in turns of 5 ms, and every call the GUI
thread makes into Python (each cell painted asks the model) waited its turn behind it
(``benchmarks/bench_gui_stall.py --only event``: stalls of 60-150 ms). A child process has
its own interpreter: the thread here only waits on a pipe. Small files are still read in the
thread (a child costs ~0.3 s to start, more than they take).

The child reads the plans (JSON) on stdin and answers each with one pickled
:class:`SessionSummary` (4-byte length first), in the plans' order; it is this process's own
child, started from this package, so what it sends back is trusted as what it read.
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import subprocess
import sys
from collections.abc import Callable, Generator, Sequence
from dataclasses import replace
from pathlib import Path

from timingboard.store import closing, event_folder
from timingboard.store.event_folder import Planned, SessionSummary, Status, being_read

__all__ = ["BIG_FILE_BYTES", "main", "read_in_child", "wants_child"]

BIG_FILE_BYTES = 4 << 20  # a session of ~20k events (more than ~0.5 s to rebuild) or more


def wants_child(plan: Planned) -> bool:
    """Whether ``plan``'s file is big enough to be read in a child process."""
    if getattr(sys, "frozen", False):  # a packaged app: no interpreter to start
        return False
    try:
        return plan[0].stat().st_size >= BIG_FILE_BYTES
    except OSError:
        return False


def read_in_child(
    plans: Sequence[Planned], started: Callable[[subprocess.Popen[bytes]], None]
) -> Generator[SessionSummary, None, None]:
    """The summaries of ``plans``, in turn, read by a child process; ``started`` is handed the
    child (to be killed when the read is given up). A child that dies says so in the rows
    left (the read is never lost silently)."""
    for path, _made_from, _rule in plans:
        closing.wait_for(path)  # closing here (its snapshot being kept): read when it is one file
    package = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([package, *filter(None, [env.get("PYTHONPATH")])])
    child = subprocess.Popen(
        [sys.executable, "-c", "from timingboard.store.summary_process import main; main()"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    started(child)
    try:
        assert child.stdin is not None and child.stdout is not None
        with contextlib.suppress(OSError):
            child.stdin.write(json.dumps([[str(p), list(m), r] for p, m, r in plans]).encode())
            child.stdin.close()
        for path, made_from, rule in plans:
            size = child.stdout.read(4)
            data = child.stdout.read(int.from_bytes(size, "big")) if len(size) == 4 else b""
            if not data:
                why = f"the reader of {path.name} ended before it was read"
                yield replace(
                    being_read(path, made_from, rule), status=Status.SCHEDULED, problem=why
                )
                continue
            yield pickle.loads(data)
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()
        for pipe in (child.stdin, child.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()


def main() -> None:
    """The child: summarise each plan read on stdin, answer each on stdout at once."""
    plans = json.loads(sys.stdin.buffer.read())
    out = sys.stdout.buffer
    for path, made_from, rule in plans:
        plan = (Path(path), tuple(made_from), rule)
        try:
            summary = event_folder.summarise_session(*plan)
        except Exception as exc:  # a file that cannot be read says why in its row
            summary = replace(being_read(*plan), status=Status.SCHEDULED, problem=str(exc))
        data = pickle.dumps(summary)
        out.write(len(data).to_bytes(4, "big") + data)
        out.flush()
    os._exit(0)  # what was read need not be freed: the process ends
