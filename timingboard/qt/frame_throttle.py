"""Runs a callback at most once a frame, at once when a frame has passed since the last run.

A lone crossing reaches the screen on the next turn of the event loop; a burst is gathered and
shown at the display's pace (leading-edge throttle).

Every throttle shares one frame: the board, the passings log and the chart are brought up to the
session together, and before a watched window paints (:func:`flush_before_paint`). With a frame
of their own each, a paint could fall between them: the header (updated at once) gave #31
Haley's session best while the board still had #20 Bell in purple at P1.

Not superqt's ``qthrottled``: each of its throttled callables has a QTimer of its own (no one
frame shared by the views, which is the point here), its leading edge runs the callback inside
the call (here the run waits for the next turn of the loop, so one batch of events is shown
once), and it has no way to run everything pending before a window paints
(:func:`flush_before_paint`) nor to let a callback's request for another's run land in the same
frame. It would also bring ``qtpy`` in beside PySide6.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

FRAME_MS = 16
# a window paints on its update request, and at once after it was resized (the paint comes
# through its native window, which is not watched: watching it met windows half destroyed)
_BEFORE_PAINT = (QEvent.Type.UpdateRequest, QEvent.Type.Resize)
_PASSES = 4  # a callback may ask for another's run: those run in the same frame


class _FrameClock(QObject):
    """The one frame of the GUI thread: runs every throttle that asked, all in one turn."""

    def __init__(self) -> None:
        super().__init__()
        self._pending: list[FrameThrottle] = []
        self._last = 0.0
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self.run)

    def request(self, throttle: FrameThrottle) -> None:
        if throttle not in self._pending:
            self._pending.append(throttle)
        if not self._timer.isActive():
            since_ms = (time.monotonic() - self._last) * 1000
            self._timer.start(0 if since_ms >= FRAME_MS else int(FRAME_MS - since_ms) + 1)

    def cancel(self, throttle: FrameThrottle) -> None:
        if throttle in self._pending:
            self._pending.remove(throttle)
        if not self._pending:
            self._timer.stop()

    def pending(self, throttle: FrameThrottle) -> bool:
        return throttle in self._pending

    def run(self) -> None:
        """Every throttle that asked runs now (a deleted one is skipped)."""
        self._timer.stop()
        self._last = time.monotonic()
        for _ in range(_PASSES):
            if not self._pending:
                return
            due, self._pending = self._pending, []
            for throttle in due:
                if shiboken6.isValid(throttle):
                    throttle.fire()
        if self._pending:  # still asking after all passes: the next frame
            self._timer.start(FRAME_MS)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._pending and event.type() in _BEFORE_PAINT:
            self.run()  # what is about to be painted is the session as it stands
        return False


_clock: _FrameClock | None = None


def frame_clock() -> _FrameClock:
    global _clock
    if _clock is None or not shiboken6.isValid(_clock):
        _clock = _FrameClock()
    return _clock


def flush_before_paint(window: QWidget) -> None:
    """Before ``window`` (a top-level widget) paints, bring every waiting view up to date.

    On its update request, and on its resize: a resized window is painted at once, before any
    update request (under load one paint in about 60 came that way, the window growing to a
    longer header, and showed the header ahead of the board)."""
    window.installEventFilter(frame_clock())


class FrameThrottle(QObject):
    def __init__(self, callback: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._callback = callback

    def request(self) -> None:
        """Ask for a run: next turn of the loop, or when this frame is over."""
        frame_clock().request(self)

    def cancel(self) -> None:
        frame_clock().cancel(self)

    def ran(self) -> None:
        """The callback ran by other means (an explicit flush): count it as this frame's."""
        frame_clock().cancel(self)

    def fire(self) -> None:
        self._callback()


DRAWN_LATER_FROM = 20_000
"""Passings: a session this long newly shown has its panes (the lap chart, the passings log)
filled after its board's first paint, each in a turn of its own, "Loading…" until then: all in
the turn of the switch held the GUI thread ~0.1 s."""

AFTER_PAINT_WAIT_MS = 200  # no window painted by then (hidden, minimised): run all the same


_after_paint: list[AfterPaint] = []  # waiting, in the order asked: one runs after each paint
log = logging.getLogger(__name__)


class AfterPaint(QObject):
    """Runs a callback once after the next paint of any window, or after
    ``AFTER_PAINT_WAIT_MS`` if none paints: work that would hold a first paint (a long
    session's charts) waits until what is painted first (its board) is on screen.

    Several waiting run one after each paint, in the order they were started: each one's work
    and the paint of what it changed take a turn of their own (a long session's passings log
    and lap chart filled, then painted, in one turn held the GUI thread ~0.1 s).

    ``then``: a second step, run on the turn after ``callback`` (one that paints nothing,
    then one that does); the next waiting runs after the paint of what ``then`` changed.

    A zero timer ran before the paint: a window paints on its update request, which the
    platform sends up to a frame after ``update()``. With a widget to wait for
    (:meth:`wait_for`), after that widget's own paint: a window's first update request after
    a replay's seek painted its clock and timeline, the board a turn later (its items laid
    out on a timer of their own), so the charts' restart ran before the board's paint.
    """

    def __init__(
        self,
        callback: Callable[[], None],
        parent: QObject | None = None,
        then: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._callback = callback
        self._then = then
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._then_timer = QTimer(self, singleShot=True, interval=0)
        self._then_timer.timeout.connect(self._on_then_timer_timeout)
        self._watched: QObject | None = None
        self._first: QWidget | None = None
        self._painted_yet: Callable[[], bool] = lambda: False

    def wait_for(
        self, widget: QWidget | None, painted_yet: Callable[[], bool] | None = None
    ) -> None:
        """Run after this widget's paint (while it is visible), not any window's.
        ``painted_yet``: whether it shows already what was to be painted first (no paint of
        it comes: a long session's board kept as shown ahead), asked when the wait starts;
        then any window's paint is waited for (its own was waited for 0.2 s in vain)."""
        self._first = widget
        self._painted_yet = painted_yet or (lambda: False)

    @property
    def pending(self) -> bool:
        return self in _after_paint

    def start(self, first: bool = False) -> None:
        """Wait for the next paint; ``first``: ahead of any other waiting (the last step of
        the work just done, to be shown before the next one's)."""
        _drop_deleted()  # one deleted while first in line would hold every other for ever
        if self in _after_paint:
            if not first:
                return  # in line already, where it was
            _after_paint.remove(self)
        if first and _after_paint:
            _after_paint[0]._hold()  # it waits behind this one now
        _after_paint.insert(0 if first else len(_after_paint), self)
        if _after_paint[0] is self:
            self._wait()

    def _hold(self) -> None:
        self._timer.stop()
        self._unwatch()

    def stop(self) -> None:
        self._timer.stop()
        self._then_timer.stop()
        self._unwatch()
        if self in _after_paint:
            first = _after_paint[0] is self
            _after_paint.remove(self)
            if first:
                _next_after_paint()

    def _wait(self) -> None:
        self._unwatch()
        first = self._first
        if (
            first is not None
            and shiboken6.isValid(first)
            and first.isVisible()
            and not self._painted_yet()
        ):
            self._watched = first
        else:
            self._watched = QCoreApplication.instance()
        if self._watched is not None:
            self._watched.installEventFilter(self)
        self._timer.start(AFTER_PAINT_WAIT_MS)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        painted = (
            event.type() == QEvent.Type.Paint
            if self._watched is self._first
            else event.type() == QEvent.Type.UpdateRequest and watched.isWidgetType()
        )
        if painted:
            self._unwatch()
            self._timer.start(0)  # the turn after this paint
        return False

    def _unwatch(self) -> None:
        watched, self._watched = self._watched, None
        if watched is not None and shiboken6.isValid(watched):
            watched.removeEventFilter(self)

    def _on_timer_timeout(self) -> None:
        self._unwatch()
        if self._then is not None:  # still first in line until its second step ran
            try:
                self._callback()
            except Exception as exc:  # it stood first in line for ever: every other waited
                _failed(self._callback, exc)
                self.stop()  # out of the line, its second step dropped: the next one runs
                return
            self._then_timer.start()
            return
        self._on_then_timer_timeout()

    def _on_then_timer_timeout(self) -> None:
        if self in _after_paint:
            _after_paint.remove(self)
        step = self._then or self._callback
        try:
            step()
        except Exception as exc:  # said, not raised out of the event loop
            _failed(step, exc)
        finally:  # the next waits for the paint of what this one changed
            _next_after_paint()


def _failed(step: Callable[[], None], exc: Exception) -> None:
    """A job's step raised: logged in a line (the traceback at debug level), the line goes on."""
    name = getattr(step, "__qualname__", repr(step))
    log.error("work after a paint failed in %s (%s: %s)", name, type(exc).__name__, exc)
    log.debug("the failure in %s", name, exc_info=exc)


def _drop_deleted() -> None:
    """Those deleted while they waited (their window closed) leave the line; a new first one
    waits for its paint (a deleted first one's timer never fires: the line stood still)."""
    if all(shiboken6.isValid(job) for job in _after_paint):
        return
    head = _after_paint[0]
    _after_paint[:] = [job for job in _after_paint if shiboken6.isValid(job)]
    if _after_paint and _after_paint[0] is not head:
        _after_paint[0]._wait()


def _next_after_paint() -> None:
    while _after_paint and not shiboken6.isValid(_after_paint[0]):
        _after_paint.pop(0)  # deleted while it waited
    if _after_paint:
        _after_paint[0]._wait()
