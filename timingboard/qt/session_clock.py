"""The session clock: running from an anchor at a speed, held still, or not started.

Each session that is shown gets its own clock from whoever shows it (the operator's wall clock,
the demo's scripted time, the timing system's heartbeat, a replay's position); nothing that
stops one session's clock can reach the next one's, because loading a session starts afresh.
"""

from __future__ import annotations

import time


def monotonic() -> float:
    """Seconds on a clock that never goes back (tests replace this to let time pass)."""
    return time.monotonic()


def wall() -> float:
    """Seconds since the epoch: session files count their time zero on this clock."""
    return time.time()


class SessionClock:
    """Where the clock stands; :meth:`read` is the time in ms from session time zero, or None."""

    def __init__(self) -> None:
        self._anchor: tuple[float, int, float] | None = None

    @property
    def running(self) -> bool:
        return self._anchor is not None and self._anchor[2] != 0

    @property
    def held(self) -> bool:
        return self._anchor is not None and self._anchor[2] == 0

    def run(self, session_ms: int, speed: float = 1.0) -> None:
        """From ``session_ms`` now, at ``speed`` times real time."""
        self._anchor = (monotonic(), session_ms, speed)

    def run_from_origin(self, origin: float) -> None:
        """The wall clock since ``origin`` (epoch seconds): a live session's own time."""
        self.run(max(0, int((wall() - origin) * 1000)))

    def hold(self, session_ms: int) -> None:
        """Show this moment and stand still (a paused replay)."""
        self._anchor = (monotonic(), session_ms, 0.0)

    def stop(self) -> None:
        self._anchor = None

    def read(self) -> int | None:
        if self._anchor is None:
            return None
        started, session_ms, speed = self._anchor
        # to the nearest ms: 44.4 s of float steps is 44.3999…, which truncated read a 0.2 s
        # double read as 0.201 s, by where the monotonic clock happened to stand
        return session_ms + round((monotonic() - started) * 1000 * speed)
