"""Whether the feed is alive: data in the last few seconds, or a banner that says it is not.

A timing system sends a heartbeat every second even when no car crosses, so a few seconds of
silence means the link is gone, whatever the socket says. The clock is injectable: tests move
it instead of waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from timingboard.text.feed_status import STALE_AFTER_MS, banner_text

CHECK_EVERY_MS = 500


class FeedHealth(QObject):
    """Watches the time since the feed last sent anything, while a feed is followed.

    Signals
    -------
    changed(str)
        The banner text changed ("" when the feed is fresh again, or no longer followed).
    checked(int)
        Looked again, while following: the milliseconds of silence so far.
    """

    changed = Signal(str)
    checked = Signal(int)

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
        lost: str = "FEED LOST",
    ) -> None:
        super().__init__(parent)
        self.clock = clock
        self.lost = lost  # what the banner calls the link lost (a feed, a decoder, a broker)
        self.stale_after_ms = STALE_AFTER_MS  # silence longer than this: lost
        self._since: float | None = None  # following since, or data last seen at
        self._heard = False
        self._problem = ""
        self._reached = True
        self._up = False  # the link is up (told by its owner): silence then is no data, not lost
        self._banner = ""
        self._timer = QTimer(self, interval=CHECK_EVERY_MS)
        self._timer.timeout.connect(self.check)

    @property
    def following(self) -> bool:
        return self._since is not None

    @property
    def banner(self) -> str:
        return self._banner

    @property
    def is_fresh(self) -> bool:
        """Following a feed that spoke within the last few seconds."""
        return self.following and not self._banner

    def silent_ms(self) -> int | None:
        since = self._since  # read once: a stop() in between must not leave None to subtract
        if since is None:
            return None
        return int((self.clock() - since) * 1000)

    def start(self) -> None:
        """A feed is followed from now: its silence is counted from here."""
        self._since = self.clock()
        self._heard = False
        self._up = False
        self._timer.start()
        self.check()

    def stop(self) -> None:
        self._since = None
        self._problem = ""
        self._reached = True
        self._timer.stop()
        self.check()

    def set_problem(self, problem: str, reached: bool = True) -> None:
        """Why the link is down ("" once it is up again): the banner says it at once; a link
        never up (``reached`` false) is said not reached rather than lost."""
        if (problem, reached) != (self._problem, self._reached):
            self._problem, self._reached = problem, reached
            self.check()

    def set_link_up(self, up: bool) -> None:
        """The link came up (or went down). Until the feed first speaks, its silence is counted
        from the link coming up: "connected 0:12 ago, no data yet" means 12 s connected."""
        if up == self._up or self._since is None:
            return
        self._up = up
        if up and not self._heard:
            self._since = self.clock()
        self.check()

    def touch(self) -> None:
        """Data arrived."""
        if self._since is None:
            return
        self._since = self.clock()
        self._heard = True
        if self._banner:
            self.check()

    def check(self) -> None:
        silent = self.silent_ms()
        text = banner_text(
            silent,
            self._heard,
            self._problem,
            self.lost,
            self._reached,
            self.stale_after_ms,
            self._up,
        )
        if text != self._banner:
            self._banner = text
            self.changed.emit(text)
        if silent is not None:
            self.checked.emit(silent)
