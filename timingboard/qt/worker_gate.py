"""The window's thread lets a paced worker run (:mod:`timingboard.store.pacing`) when it is
free: a timer of its event loop, which fires only between turns, allows the next slice.

A turn of the window's own work (a session's views reset, a paint) then has the GIL to itself;
the worker's slices run while the event loop waits. The timer ticks only while paced work
runs.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer

from timingboard.store.pacing import Pacer

__all__ = ["WorkerGate"]

TICK_MS = 1  # how often a free event loop allows a slice


class WorkerGate(QObject):
    """Holds a :class:`Pacer` for workers started from the window's thread, and allows their
    slices from its event loop while any of them works."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pacer = Pacer()
        self._timer = QTimer(self, interval=TICK_MS)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._on_timer_timeout)

    def begin(self) -> Pacer:
        """Paced work is about to start (its thread calls ``pacer.release()`` when it ends):
        the pacer to give it."""
        self.pacer.hold()
        if not self._timer.isActive():
            self._timer.start()
        return self.pacer

    def _on_timer_timeout(self) -> None:
        if self.pacer.busy:
            self.pacer.allow()
        else:
            self._timer.stop()
            self.pacer.allow()  # nothing waits; none left waiting either way
