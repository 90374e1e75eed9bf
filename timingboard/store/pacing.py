"""A worker's long read, done in slices while the window's thread has nothing to do.

A worker thread shares the GIL with the window's thread. Reading a 24-hour session in a worker
(its snapshot's engine, then its log for the chain's check) kept the GIL busy for ~1 s: each
time the window's thread wanted it back (every Qt call it makes gives it up) it waited for
the worker's switch interval, and a turn of 40 ms of its own work took 200 to 370 ms
(``benchmarks/bench_gui_stall.py --only open``). A worker given a :class:`Pacer` works in
slices of a few milliseconds and, between them, waits for the window's thread to say it is
free (:meth:`Pacer.allow`, from a timer of its event loop: ``timingboard.qt.worker_gate``): a
turn of the window's own then runs with the GIL to itself.

The reading code says where it may stop (:func:`pause_point`, between pieces of its work); a
thread without a pacer (a command, a test, the store on its own) runs straight through. A
thread that waits for paced work (the window's thread taking a log check's verdict) opens the
gate while it waits (:meth:`Pacer.waited_for`): else the worker would wait for the waiter.

Paced work given a ``cancelled`` event (:func:`paced`) ends at its next pause point once the
event is set (:class:`Cancelled` is raised there): a window closed while a 24-hour session was
still being read waited for the whole read (seconds) before it could go.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["Cancelled", "Pacer", "current", "held", "paced", "pause_point"]

SLICE_S = 0.003  # a worker's work at a time, at most (about): what it may add to a turn
LONGEST_WAIT_S = 0.05  # a worker waits no longer than this for a free moment (one comes
# between any two turns; a window busy for longer lets the work go on meanwhile)

_local = threading.local()


class Cancelled(BaseException):
    """Raised at a pause point of paced work whose ``cancelled`` event is set: the reading
    stops there. A BaseException, so that the reading's own ``except Exception`` (a snapshot
    that does not fit, read the long way instead) lets it through; whoever opened a file on
    the way closes it on the way out."""


class Pacer:
    """Lets paced work run a slice at a time, each once :meth:`allow` says the thread it yields
    to is free. Threads may share one; :attr:`busy` says whether any still works with it."""

    def __init__(self, slice_s: float = SLICE_S, longest_wait_s: float = LONGEST_WAIT_S) -> None:
        self.slice_s = slice_s
        self.longest_wait_s = longest_wait_s
        self._free = threading.Event()
        self._lock = threading.Lock()
        self._holds = 0  # paced work begun and not ended
        self._waiters = 0  # threads waiting for paced work: it runs straight through
        self.waits = 0  # times paced work waited for a free moment (for tests, benchmarks)

    @property
    def busy(self) -> bool:
        """Whether paced work is begun and not ended (the yielded-to thread keeps allowing)."""
        with self._lock:
            return self._holds > 0

    def hold(self) -> None:
        """Paced work begins (:meth:`release` when it ends): said before its thread starts, so
        that :attr:`busy` is true from then on."""
        with self._lock:
            self._holds += 1

    def release(self) -> None:
        with self._lock:
            self._holds = max(0, self._holds - 1)

    def allow(self) -> None:
        """The yielded-to thread is free now: the next slice may run."""
        self._free.set()

    def pause(self) -> None:
        """At a pause point: once the slice is used up, wait for a free moment."""
        now = time.perf_counter()
        ends = getattr(_local, "slice_ends", 0.0)
        if now < ends:
            return
        with self._lock:
            waited_for = self._waiters > 0
        if not waited_for:
            self._free.clear()
            self.waits += 1
            self._free.wait(self.longest_wait_s)
        _local.slice_ends = time.perf_counter() + self.slice_s

    @contextmanager
    def waited_for(self) -> Iterator[None]:
        """The calling thread waits for paced work: it runs straight through meanwhile."""
        with self._lock:
            self._waiters += 1
        self._free.set()
        try:
            yield
        finally:
            with self._lock:
                self._waiters -= 1


def held(pacer: Pacer | None) -> Callable[[], None]:
    """Paced work begun with ``pacer`` (None: unpaced); the call returned ends it, once
    however often it is made (its end, and a finalizer for work dropped before it ran)."""
    if pacer is None:
        return lambda: None
    pacer.hold()
    once = threading.Lock()  # taken by the first call, never given back

    def release() -> None:
        if once.acquire(blocking=False):
            pacer.release()

    return release


def current() -> Pacer | None:
    """The pacer of the calling thread's work (None: unpaced)."""
    return getattr(_local, "pacer", None)


@contextmanager
def paced(pacer: Pacer | None, cancelled: threading.Event | None = None) -> Iterator[None]:
    """The calling thread's work is paced by ``pacer`` (None: not paced) until the end; once
    ``cancelled`` is set, its next pause point raises :class:`Cancelled`."""
    before, cancelled_before = current(), getattr(_local, "cancelled", None)
    _local.pacer = pacer
    _local.cancelled = cancelled
    _local.slice_ends = time.perf_counter() + (pacer.slice_s if pacer else 0.0)
    try:
        yield
    finally:
        _local.pacer = before
        _local.cancelled = cancelled_before


def pause_point() -> None:
    """Where the calling thread's reading may wait for a free moment (paced work only), or
    stop (:class:`Cancelled`) once its work is cancelled."""
    cancelled = getattr(_local, "cancelled", None)
    if cancelled is not None and cancelled.is_set():
        raise Cancelled
    pacer = getattr(_local, "pacer", None)
    if pacer is not None:
        pacer.pause()
