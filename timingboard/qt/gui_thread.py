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
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

from timingboard.store.bulk import collection_is_paused

__all__ = ["GuiThreadCollector", "collect_on_gui_thread"]

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
