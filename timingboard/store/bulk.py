"""Reading a whole session at once."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_pause_lock = threading.Lock()
_pauses = 0  # collection_paused() sections running, in any thread
_resume = False  # whether automatic collection was on when the first of them began


def collecting_here() -> bool:
    """Whether this thread may run the collector: the main (GUI) thread only. A collection
    frees whatever garbage there is, Qt objects of the window included, in the thread that
    runs it (see timingboard.qt.gui_thread)."""
    return threading.current_thread() is threading.main_thread()


def collection_is_paused() -> bool:
    """Whether a session is being loaded (in any thread) with the collector kept out."""
    with _pause_lock:
        return _pauses > 0


@contextmanager
def collection_paused() -> Iterator[None]:
    """Keep the garbage collector out while a session loads, and off what it loaded.

    Loading makes several long-lived objects per event and no garbage cycles, so the
    collector's passes over the growing heap are wasted work: with a 24-hour session
    (121k events) they were about a fifth of the time to open it, and later passes made
    building the window after it three times slower. What was loaded is moved out of the
    collector's sight (``gc.freeze``); it is still freed by reference counting when closed.

    In a worker thread (the log check) nothing is collected nor frozen: its garbage would be
    the window's too, freed off the GUI thread; the GUI thread freezes what it takes from the
    worker. Sections may overlap across threads: automatic collection comes back (if it was
    on) when the last one ends.
    """
    here = collecting_here()
    if here:
        gc.collect()  # garbage made before would be frozen with the session and never freed
    resume = hold_collection()
    try:
        yield
    finally:
        if here:
            gc.freeze()
        resume()


def hold_collection() -> Callable[[], None]:
    """Keep the collector out (as :func:`collection_paused` does, from any thread) until the
    call returned is made, in any thread, once: a worker's load held until the GUI thread
    froze what it took (:func:`freeze_taken`). A collection on the GUI thread between the
    worker's end and that freeze walked all the worker made (~35 ms for a 24-hour session)."""
    global _pauses, _resume
    with _pause_lock:
        if _pauses == 0:
            _resume = gc.isenabled()
            gc.disable()
        _pauses += 1
    done = False

    def resume() -> None:
        global _pauses
        nonlocal done
        with _pause_lock:
            if done:
                return
            done = True
            _pauses -= 1
            if _pauses == 0 and _resume:
                gc.enable()

    return resume


def freeze_taken() -> None:
    """Move what a worker loaded out of the collector's sight, without a collection: the
    GUI thread, taking a session a worker read (:mod:`timingboard.app.background_open`).

    A collection first (:func:`freeze_survivors`) walked every object the worker made (a
    24-hour session's ~600k: ~45 ms of the GUI thread, in the switch). Loading makes no garbage
    cycles (see :func:`collection_paused`); what the window made meanwhile (a few paints' worth)
    is frozen with it and freed by reference counting as ever, only never by the collector.
    Not in a worker thread (see :func:`collecting_here`).
    """
    if collecting_here():
        gc.freeze()


FREEZE_EVERY = 20_000  # events


def freeze_survivors(full: bool = False) -> None:
    """Move what is alive out of the collector's sight, after collecting the garbage: the
    young generations only, or (``full``) all of it.

    A session's objects live as long as it is open; each full collection walks them all.
    Measured (benchmarks/bench.py): with 120k passings loaded, a full collection during a replay
    seek took it from ~40 ms to ~450 ms; with the filled replay checkpoints left to the
    collector, the 24 h seek p99 went from 30 ms to 482 ms.

    Not in a worker thread (see :func:`collecting_here`).
    """
    if not collecting_here():
        return
    if full:
        gc.collect()
    else:
        gc.collect(1)
    gc.freeze()


class CollectorPacer:
    """Keeps a growing session out of the collector's way while it is recorded.

    A session keeps several objects per event for as long as it is open, and each full
    collection walks all of them: ~80 ms with a 24-hour session, a hitch on the board, and
    more often as it grows (measured: a quarter of the engine's time at 24 hours). Every
    ``FREEZE_EVERY`` events what survived is frozen (:func:`freeze_survivors`); it is still
    freed by reference counting when the session closes.

    While the collector is paused (:func:`collection_paused`: an import, a session read at
    once; not merely automatic collection off, as it is in the window, where the GUI thread's
    timer collects instead) there is no pass to keep out of the way and nothing is frozen: the
    pause freezes what it loaded when it ends. Each freeze's pass over the young objects was a
    fifth of an import's time to no end (benchmarks/bench_import.py).
    """

    def __init__(self, every: int = FREEZE_EVERY) -> None:
        self._every = every
        self._since = 0

    def note(self, events: int) -> None:
        """``events`` more were taken in."""
        self._since += events
        if self._since >= self._every and not collection_is_paused():
            self._since = 0
            freeze_survivors()
