"""A session open read-only while another process writes it follows its file.

The writer commits each event before showing it, so its board is what its log says; a second
window on the same file (told who holds it, so read-only) reads the events appended since, a
batch every ``FOLLOW_MS``, checks their hash chain and applies them in order as a submit does:
its board is then the same function of the same log, a moment later. Reading the new end of the
log is an index look-up (``seq`` is the table's key), a fraction of a millisecond even on a
24-hour log (benchmarks/bench_follow.py), so it is done on the window's thread.

It also watches the writer's lock (:mod:`timingboard.store.session_lock`): released, the
writer closed the session; left behind unheld, the writer stopped without closing it (a crash);
taken again, a writer goes on with it and is followed. A damaged event is never applied:
following stops there, and the window says where.
"""

from __future__ import annotations

import datetime
from enum import StrEnum
from pathlib import Path
from typing import Protocol, cast

from PySide6.QtCore import QObject, QTimer, Signal, SignalInstance

from timingboard.engine.standings import BoardChange
from timingboard.qt.session_source import SessionSource
from timingboard.store.session_file import SessionFileError
from timingboard.store.session_lock import holder_of, lock_path


class FollowedBoard(Protocol):
    """What the follower asks of the controller (:class:`SessionController`)."""

    session_reset: SignalInstance

    def announce(self, change: BoardChange) -> None: ...
    def stop_clock(self) -> None: ...
    def run_wall_clock(self) -> None: ...


FOLLOW_MS = 500
BATCH = 1000  # events applied at a time (~15 ms); more waiting: the next batch straight after


class FollowState(StrEnum):
    FOLLOWING = "following"  # another process holds the session; its events come in
    CLOSED = "closed"  # its writer closed it (released its lock)
    LOST = "lost"  # its writer stopped without closing it (its lock left, unheld)
    DAMAGED = "damaged"  # an event was damaged: following stopped before it


MARKS = {  # the window title's word for the session shown
    FollowState.FOLLOWING: "LIVE (read-only)",
    FollowState.CLOSED: "CLOSED BY ITS WRITER (read-only)",
    FollowState.LOST: "WRITER STOPPED (read-only)",
    FollowState.DAMAGED: "STOPPED (read-only, damaged log)",
}


class LogFollower(QObject):
    """Follows the file of the session shown while it is open read-only and undamaged.

    Signals
    -------
    state_changed()
        The writer was found to hold, close, lose or take again the session, or a damaged
        event stopped the following; :attr:`state` and the file's read-only reason say it.
    """

    state_changed = Signal()

    def __init__(self, controller: QObject) -> None:
        super().__init__(controller)
        self._controller = cast(FollowedBoard, controller)
        self._recorder: SessionSource | None = None
        self.state: FollowState | None = None
        self._holder: str | None = None
        self._before_unreadable: str | None = None  # what was said before a read failed
        self._timer = QTimer(self)
        self._timer.setInterval(FOLLOW_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def watch(self, recorder: SessionSource) -> None:
        """Follow ``recorder``'s file if it is a live session open read-only (else stop)."""
        self._timer.stop()
        self._recorder = None
        self.state = None
        self._holder = None
        self._before_unreadable = None
        file = recorder.file
        if recorder.replayed or file is None or not file.read_only or file.damage is not None:
            return  # only a live session's file, read-only, can be written by another
        self._recorder = recorder
        self._holder = holder_of(file.path)
        if self._holder is not None:
            self.state = FollowState.FOLLOWING
            file.read_only_reason = _following(self._holder)
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._recorder = None

    def poll(self) -> None:
        """Take what the writer appended, then look at its lock (the timer's work)."""
        recorder = self._recorder
        file = recorder.file if recorder is not None else None
        if recorder is None or file is None:
            self.stop()
            return
        if recorder.checking:
            return  # the log opened is still being checked: its verdict first
        if file.damage is not None:  # found by that check: said as on opening
            self.stop()
            self.state = None
            self.state_changed.emit()
            return
        try:
            change, taken, damage = recorder.take_appended(BATCH)
        except SessionFileError as exc:  # not there a moment, or busy: said, and read again
            if self._before_unreadable is None:
                self._before_unreadable = file.read_only_reason or ""
                self._say(self.state, f"{exc} — reading it again every {FOLLOW_MS} ms")
            return
        if self._before_unreadable is not None:
            self._say(self.state, self._before_unreadable or None)
            self._before_unreadable = None
        self._controller.announce(change)
        if damage is not None:
            self._timer.stop()
            self._say(FollowState.DAMAGED, f"{damage} — following stopped: shown up to before it")
            self._recorder = None
            self._controller.session_reset.emit()
            return
        if taken == BATCH:
            QTimer.singleShot(0, self, self.poll)  # more waiting: the next batch at once
        self._look_at_lock(file.path)

    def _look_at_lock(self, path: Path) -> None:
        holder = holder_of(path)
        if holder is not None:
            if holder != self._holder or self.state is not FollowState.FOLLOWING:
                resumed = self.state in (FollowState.CLOSED, FollowState.LOST)
                self._holder = holder
                self._say(FollowState.FOLLOWING, _following(holder))
                if resumed:
                    self._controller.run_wall_clock()
            return
        if self.state is not FollowState.FOLLOWING:
            return  # nobody held it when opened (a read-only file): nothing to say
        at = datetime.datetime.now().strftime("%H:%M:%S")
        self._controller.stop_clock()
        if not lock_path(path.resolve()).exists():  # released: its writer closed the session
            self._say(
                FollowState.CLOSED,
                f"the session was closed by its writer at {at} — shown as it was left",
            )
        else:  # the kernel dropped the lock of a writer that died
            self._say(
                FollowState.LOST,
                f"its writer stopped without closing the session at {at} (it was {self._holder})"
                " — shown as it was left; followed again if it is opened again",
            )

    def _say(self, state: FollowState | None, reason: str | None) -> None:
        self.state = state
        file = self._recorder.file if self._recorder is not None else None
        if file is not None:
            file.read_only_reason = reason
        self.state_changed.emit()

    def _on_timer_timeout(self) -> None:
        self.poll()


def _following(holder: str) -> str:
    return f"following the board writing it, {holder}"  # what it does first: read whole
