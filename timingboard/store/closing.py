"""Sessions closing in a worker thread: keeping a snapshot of a 24-hour board takes about a
second (pickling the engine, writing 15 MB with ``synchronous=FULL``), which the window's
thread must not spend (it never stalls over 50 ms).

A closed recorder's engine is no longer changed by anyone, so the worker pickles it as it is,
with no copy; the file's connection and lock go with it and are released when it is done.
Whatever this process opens of the same file waits for its close first (:func:`wait_for`),
and the process waits for every close before it ends (the threads are not daemons;
:func:`wait_for_all` says so explicitly). A crash mid-write leaves the snapshot that was
there before, or none: the snapshot is one row written in one transaction, and it is checked
against the log's hash chain whenever it is read (:func:`timingboard.store.snapshot.fitting`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

__all__ = ["close_in_background", "pending", "wait_for", "wait_for_all"]

_lock = threading.Lock()
_closing: dict[Path, list[threading.Thread]] = {}
_hurry: dict[threading.Thread, threading.Event] = {}  # set: begin now, someone waits for it

START_AFTER_S = 0.3  # a close waits this long before it begins (unless waited for): the
# window's switch to the next session (opened, its views reset, painted) is done by then, and
# does not share the GIL with the pickling (measured: the switch's ~40 ms of GUI-thread CPU
# took 150-450 ms while the worker pickled, benchmarks/bench_gui_stall.py --only close)


def _key(path: Path) -> Path:
    return path.resolve()


def close_in_background(path: Path, close: Callable[[], None]) -> None:
    """Run ``close`` (which closes the file at ``path``) in a worker thread."""
    key = _key(path)
    job = [close]  # let go of in the worker before its close is said to be done: whoever
    del close  # frees the closed session next (the GUI thread, in slices) holds it alone then

    def run() -> None:
        try:
            hurry.wait(START_AFTER_S)
            job.pop()()
        finally:
            with _lock:
                _hurry.pop(thread, None)
                threads = _closing.get(key, [])
                if thread in threads:
                    threads.remove(thread)
                if not threads:
                    _closing.pop(key, None)

    thread = threading.Thread(target=run, name=f"timingboard-close {key.name}")
    hurry = threading.Event()
    with _lock:
        _closing.setdefault(key, []).append(thread)
        _hurry[thread] = hurry
    thread.start()


def pending(path: Path | None = None) -> bool:
    """Whether a close (of ``path``; None: of any file) is still running."""
    with _lock:
        return bool(_closing) if path is None else _key(path) in _closing


def wait_for(path: Path) -> None:
    """Wait until every close of the file at ``path`` begun in this process is done."""
    with _lock:
        threads = list(_closing.get(_key(path), []))
    _join(threads)


def wait_for_all() -> None:
    """Wait until every close begun in this process is done."""
    with _lock:
        threads = [thread for group in _closing.values() for thread in group]
    _join(threads)


def _join(threads: list[threading.Thread]) -> None:
    with _lock:
        for thread in threads:
            if thread in _hurry:
                _hurry[thread].set()
    for thread in threads:
        thread.join()
