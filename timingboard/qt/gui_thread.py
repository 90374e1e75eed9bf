"""Python's cyclic garbage collector runs on the GUI thread only, between events.

Left to itself the collector runs wherever an allocation crosses its threshold: in any thread
(the session-close worker, the log check, the live page's server, the MQTT client's loop) and
in the middle of any call. Garbage cycles in a window hold Qt objects that Python owns (pyqtgraph's
menus and view boxes, a closed window's parts), so collecting one deletes the C++ object then
and there. In a worker thread that deletes GUI objects off the GUI thread; on the GUI thread it
can happen inside PySide's conversion of a list of pointers it has just taken from Qt (a
segfault: ``QApplication.topLevelWidgets()`` in the tests' teardown met a menu freed by a
collection that ran while its result list was being made).

So while a QApplication runs, automatic collection is off (``gc.disable``) and a GUI-thread
timer collects what the collector would have, generation by generation as its thresholds say,
from the event loop, where no Qt call is half done. No thread of its own, nothing to stop: the
timer belongs to the application.

Freeing works the same way (:class:`IdleReleaser`): what a closed session held (a 24-hour
engine frees ~600k objects, 150 to 270 ms in one go) is taken apart a few milliseconds at a time
between events, here, where it would otherwise have been freed at once.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer

from timingboard.store.bulk import collection_is_paused
from timingboard.store.piecemeal import pieces

__all__ = [
    "GuiThreadCollector",
    "IdleReleaser",
    "collect_on_gui_thread",
    "idle_releaser",
    "release_when_idle",
]

INTERVAL_MS = 100  # young garbage waits at most this long; a gen-0 pass costs well under 1 ms


class GuiThreadCollector(QObject):
    """Does the cyclic collector's work on a timer of the GUI thread (see the module)."""

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self.setObjectName("guiThreadCollector")
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._timer.start()

    def collect_due(self) -> int | None:
        """Collect the oldest generation whose threshold is passed, as the collector would
        have on its own; the generation collected (None: nothing was due)."""
        if gc.isenabled():
            gc.disable()  # someone turned automatic collection back on: this thread's alone
        if collection_is_paused():  # a session loads: the collector stays out of its way
            return None
        counts, thresholds = gc.get_count(), gc.get_threshold()
        if not thresholds[0] or counts[0] <= thresholds[0]:
            return None
        generation = 0
        for older in (1, 2):
            if counts[older] > thresholds[older]:
                generation = older
        gc.collect(generation)
        return generation

    def _on_timer_timeout(self) -> None:
        self.collect_due()


def collect_on_gui_thread(app: QCoreApplication | None = None) -> GuiThreadCollector:
    """The application's collector, made the first time (automatic collection off from then)."""
    app = app or QCoreApplication.instance()
    assert app is not None, "a QApplication first"
    found = app.findChild(GuiThreadCollector, "guiThreadCollector")
    if isinstance(found, GuiThreadCollector):
        return found
    return GuiThreadCollector(app)


SLICE_S = 0.003  # the releaser's work at a time, at most (about)
PAUSE_MS = 10  # between two slices: a thread kept busy is the first to lose its core to other
# processes on a loaded machine (measured: longer stalls freeing flat out than in slices)
WAIT_MS = 20  # how often it looks whether what it waits for (a close in its worker) is done


class IdleReleaser(QObject):
    """Frees large object graphs in slices between events (:mod:`timingboard.store.piecemeal`).

    What is handed over is taken apart once ``ready`` says nothing else works on it any more
    (a session's close in its worker), and only the parts that nothing else holds; a part still
    held elsewhere is freed whole when its last holder lets go, as it would have been.
    """

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self.setObjectName("idleReleaser")
        self._waiting: list[tuple[list[Any], Callable[[], bool]]] = []
        self._steps: list[Iterator[None]] = []
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._on_timer_timeout)

    @property
    def busy(self) -> bool:
        """Whether something handed over is still waiting or being freed."""
        return bool(self._waiting or self._steps)

    def release(self, held: Any, ready: Callable[[], bool] = lambda: True) -> None:
        """Free ``held`` (the caller lets go of it) in slices, beginning when ``ready()``."""
        self._waiting.append(([held], ready))
        if not self._timer.isActive():
            self._timer.start(WAIT_MS)  # after the turn that let go of it (a switch paints)

    def _on_timer_timeout(self) -> None:
        still = []
        for box, ready in self._waiting:
            if ready():
                self._steps.append(pieces(box))
            else:
                still.append((box, ready))
        self._waiting = still
        end = time.perf_counter() + SLICE_S
        while self._steps and time.perf_counter() < end:
            try:
                next(self._steps[0])
            except StopIteration:
                del self._steps[0]
        if self._steps:
            self._timer.start(PAUSE_MS)
        elif self._waiting:
            self._timer.start(WAIT_MS)
        else:
            self._timer.stop()


def idle_releaser(app: QCoreApplication | None = None) -> IdleReleaser:
    """The application's releaser, made the first time."""
    app = app or QCoreApplication.instance()
    assert app is not None, "a QApplication first"
    found = app.findChild(IdleReleaser, "idleReleaser")
    return found if isinstance(found, IdleReleaser) else IdleReleaser(app)


def release_when_idle(held: Any, ready: Callable[[], bool] = lambda: True) -> None:
    """Have the application's :class:`IdleReleaser` free ``held`` (see there); with no
    application, it is freed as ever when the caller lets go."""
    if QCoreApplication.instance() is not None:
        idle_releaser().release(held, ready)
