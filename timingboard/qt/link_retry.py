"""A dropped link to a timing system, tried again: the link's states and the back-off.

Both feeds (RMonitor, P3) follow one rule: the first retry comes ``first_ms`` (by default
:data:`FIRST_RETRY_MS`) after the drop,
each next one waits twice as long up to ``longest_ms``, and a link that came up starts fast
again. The states are what the status bar says.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from PySide6.QtCore import QObject, QTimer

# The one policy of both feeds (the README's "retries start at 0.25 s and never wait more than
# 10 s"): the P3 client's own 1 s to 30 s left a lost decoder untried for half a minute.
FIRST_RETRY_MS = 250
LONGEST_RETRY_MS = 10_000


class LinkState(StrEnum):
    OFF = "not connected"
    CONNECTING = "connecting"
    UP = "connected"
    RETRYING = "link lost, retrying"
    UNREACHED = "not reached yet, retrying"  # never up since the operator asked for it


class Backoff(QObject):
    """Calls ``retry`` after a wait that doubles from ``first_ms`` to ``longest_ms``."""

    def __init__(
        self, retry: Callable[[], None], first_ms: int, longest_ms: int, parent: QObject
    ) -> None:
        super().__init__(parent)
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(retry)
        self.first_ms = first_ms
        self._longest_ms = longest_ms
        self._delay_ms = first_ms

    @property
    def waiting(self) -> bool:
        return self._timer.isActive()

    def reset(self) -> None:
        """The link came up (or the operator asked anew): the next drop is retried fast."""
        self._delay_ms = self.first_ms

    def schedule(self) -> str:
        """Wait before the next try; what the status bar says of it ("next try in 0.5 s")."""
        said = f"next try in {self._delay_ms / 1000:g} s"
        self._timer.start(self._delay_ms)
        self._delay_ms = min(self._delay_ms * 2, self._longest_ms)
        return said

    def soon(self) -> None:
        """Try again after the shortest wait, without lengthening the next ones."""
        self._timer.start(self.first_ms)

    def stop(self) -> None:
        self._timer.stop()
