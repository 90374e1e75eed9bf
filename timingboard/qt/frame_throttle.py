"""Runs a callback at most once a frame, at once when a frame has passed since the last run.

A lone crossing reaches the screen on the next turn of the event loop; a burst is gathered and
shown at the display's pace (leading-edge throttle).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

FRAME_MS = 16


class FrameThrottle(QObject):
    def __init__(self, callback: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._callback = callback
        self._last = 0.0
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self._on_timer_timeout)

    def request(self) -> None:
        """Ask for a run: next turn of the loop, or when this frame is over."""
        if self._timer.isActive():
            return
        since_ms = (time.monotonic() - self._last) * 1000
        self._timer.start(0 if since_ms >= FRAME_MS else int(FRAME_MS - since_ms) + 1)

    def cancel(self) -> None:
        self._timer.stop()

    def ran(self) -> None:
        """The callback ran by other means (an explicit flush): count it as this frame's."""
        self._timer.stop()
        self._last = time.monotonic()

    def _on_timer_timeout(self) -> None:
        self._last = time.monotonic()
        self._callback()
