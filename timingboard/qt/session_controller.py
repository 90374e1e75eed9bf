"""The engine as a QObject: events go in through :meth:`submit`, changes come out as signals."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal

from timingboard.engine.engine import TimingEngine
from timingboard.engine.events import Event
from timingboard.engine.long_past import long_past, settle_record
from timingboard.engine.session_end import over_at
from timingboard.engine.standings import BoardChange
from timingboard.engine.validation import InvalidEvent
from timingboard.qt import session_clock
from timingboard.qt.gui_thread import release_when_idle
from timingboard.qt.idle_checkpoint import IdleCheckpoint
from timingboard.qt.log_follow import LogFollower
from timingboard.qt.session_clock import SessionClock
from timingboard.qt.session_source import SessionProducer, SessionSource
from timingboard.store import closing
from timingboard.store.bulk import freeze_survivors
from timingboard.store.session_file import DECODER_RAW, SessionFile, SessionFileError


class SessionController(QObject):
    """Owns the open session; manual entry, feeds and replay all submit here.

    The session shown is a :class:`SessionSource`. One session has one producer: the operator
    (None) or a :class:`SessionProducer` (the demo, a feed, a decoder, a followed board or a
    replay). Whoever loads a session or claims the controller becomes it; the one before hears
    it from ``producer_changed`` and stops writing (it must not touch the new session or its
    clock).

    Signals
    -------
    board_changed(BoardChange)
        After a batch of events was committed and applied.
    laps_completed(list[str])
        Keys of the cars whose laps changed in that batch.
    order_changed()
        The running order changed.
    best_lap_set()
        The session best lap changed hands or improved.
    flag_changed(object)
        The current flag (a ``Flag`` or None).
    loaded()
        A session was put in the window by :meth:`load` (another, or the one shown afresh; not
        a replay's seek): ``session_reset`` follows.
    session_reset()
        Another session was loaded; views start again from the engine. Also when the log of a
        session shown from its snapshot was found damaged (it is then read-only, on what is
        intact).
    log_checked()
        The log of the session shown from its snapshot was read and checked (in a worker;
        queued here).
    error_reported(str)
        An event could not be taken; the message is for the operator.
    producer_changed(SessionProducer | None, SessionProducer | None)
        The producer before and the one now (None: the operator at the keyboard).
    """

    board_changed = Signal(BoardChange)
    laps_completed = Signal(list)
    order_changed = Signal()
    best_lap_set = Signal()
    flag_changed = Signal(object)
    loaded = Signal()
    session_reset = Signal()
    error_reported = Signal(str)
    producer_changed = Signal(object, object)
    log_checked = Signal()

    def __init__(
        self,
        recorder: SessionSource,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.recorder = recorder
        self.producer: SessionProducer | None = None
        self.reported_laps_to_go: int | None = None  # as the timing system last said it
        self._clock = SessionClock()
        self.idle_checkpoint = IdleCheckpoint(self, lambda: self.recorder.file)  # -wal, quiet
        self.log_follow = LogFollower(self)  # read-only: the writer's new events come in
        self._checked_in_worker.connect(
            self._on_self_checked_in_worker, Qt.ConnectionType.QueuedConnection
        )
        self._watch_log_check(recorder)
        self.log_follow.watch(recorder)
        self._settle_record()

    @property
    def engine(self) -> TimingEngine:
        return self.recorder.engine

    @property
    def is_replay(self) -> bool:
        return self.recorder.replayed

    def load(
        self,
        recorder: SessionSource,
        producer: SessionProducer | None = None,
    ) -> None:
        """Show another session, made by ``producer`` (None: the operator); the previous closes."""
        old = self.recorder
        self.recorder = recorder
        self._clock = SessionClock()
        self.reported_laps_to_go = None
        if old is not recorder:
            _close(old)
        self._watch_log_check(recorder)
        self.log_follow.watch(recorder)
        freeze_survivors(full=True)  # the loaded session lives long
        self.claim(producer)
        self._settle_record()
        self.loaded.emit()
        self.session_reset.emit()

    _checked_in_worker = Signal()  # emitted by the log check's worker thread

    def _watch_log_check(self, recorder: SessionSource) -> None:
        if recorder.checking:
            recorder.when_checked(self._checked_in_worker.emit)

    def _on_self_checked_in_worker(self) -> None:
        recorder = self.recorder
        if not recorder.check_finished:
            return  # another session is shown since, its own log still being checked
        damaged = recorder.settle()
        if damaged:
            self._settle_record()  # an engine of the intact log: told again
            self.session_reset.emit()
        self.log_checked.emit()

    def claim(self, producer: SessionProducer | None) -> None:
        """From now on ``producer`` alone writes into the sessions shown here."""
        before, self.producer = self.producer, producer
        if before is not producer:
            self.reported_laps_to_go = None  # only a feed says it, and only while it is followed
            self.producer_changed.emit(before, producer)

    def release(self, producer: SessionProducer) -> None:
        """``producer`` stops; the session shown is the operator's from now on.

        A clock the producer kept running (a feed's heartbeats, a decoder's time) runs on at
        real pace from where it stands: the later of its reading and the producer's latest
        event (a feed replayed fast outruns its heartbeats), so a car typed next is stamped
        after the feed's last crossing, not at it, and the clock shown does not stand still.
        """
        if self.producer is producer:
            self.claim(None)
            if not self.is_replay and self._clock.running:
                self._clock.run(self.stamp_ms())

    def show_engine(self, engine: TimingEngine) -> None:
        """Replay: show another state of the same session (after a seek)."""
        self.recorder.engine = engine
        self.session_reset.emit()

    def announce(self, change: BoardChange) -> None:
        """Replay, or a file followed: the engine moved on by itself; tell the views."""
        self._announce(change)

    def hold_clock(self, session_ms: int) -> None:
        """The clock shows this moment and stands still (a paused replay)."""
        self._clock.hold(session_ms)

    def submit(self, events: Sequence[Event]) -> bool:
        """Commit and apply events; on a bad event report it and take none of them."""
        return self.submit_why(events) is None

    def submit_why(self, events: Sequence[Event]) -> str | None:
        """:meth:`submit`, saying why the events were not taken (None: they were), for a
        caller that tells the operator more than the status bar's "Not taken: …"."""
        try:
            change = self.recorder.submit(events)
        except (InvalidEvent, SessionFileError) as exc:
            self.error_reported.emit(str(exc))
            return str(exc)
        self._announce(change)
        return None

    def run_clock(self, session_ms: int, speed: float = 1.0) -> None:
        """Let the session clock run from ``session_ms`` now, at ``speed`` times real time."""
        self._clock.run(session_ms, speed)

    def follow_clock(self, session_ms: int) -> None:
        """A timing system says its session time is ``session_ms`` now: the clock runs on from
        there at real pace, but never back from what it shows (a decoder or feed back after a
        drop, or restarted, may say an earlier time; its own passings still count as stamped)."""
        shown = self._clock.read()
        if shown is not None and self._clock.running:
            session_ms = max(session_ms, shown)
        self._clock.run(session_ms)

    def run_wall_clock(self) -> None:
        """A live session: its clock is the wall clock since the session file's time zero.

        One the operator opens whose last timed event is long past (:mod:`engine.long_past`:
        a capture imported, a session of another day) is a record: its clock stands at that
        event (:meth:`clock_ms`), and :meth:`recorded_origin` says so (typing is refused)."""
        file = self.recorder.file
        if file is None:
            return
        if self._is_record(file):
            self._clock.stop()
            return
        self._clock.run_from_origin(file.origin)

    def recorded_origin(self) -> float | None:
        """The time zero (epoch seconds) of the session shown when it is a record of the past
        (:meth:`run_wall_clock`: its clock stands at its last event); None for one timed now
        (its clock runs) or to be timed. Also so between a session's load and its clock's
        start, so what the views say on ``session_reset`` is already right."""
        file = self.recorder.file
        if file is None or self._clock.read() is not None or self.is_replay:
            return None
        return file.origin if self._is_record(file) else None

    def branched_from(self) -> str | None:
        """The name of the session file the one shown is a copy of, made to correct it (File ▸
        Branch a copy to correct…): a record (:meth:`recorded_origin`) whatever its day. None
        for any other, and while a producer writes into it."""
        file = self.recorder.file
        if file is None or file.branched_from is None or self.is_replay or self.producer:
            return None
        return Path(file.branched_from).name

    def _settle_record(self) -> None:
        """Tell the engine whether the session shown is a record of the past
        (:func:`engine.long_past.settle_record`: how its results read), before the views read it."""
        file = self.recorder.file
        record = file is not None and self.producer is None and not self.is_replay
        origin = file.origin if record and file else None
        branched = file is not None and file.branched_from is not None
        flagless = origin is not None and file is not None and file.has_raw(DECODER_RAW)
        settle_record(self.engine, origin, session_clock.wall(), branched, flagless)

    def _is_record(self, file: SessionFile) -> bool:
        """A record of the past: a copy branched to correct a session, or one whose last timed
        event is long past (:mod:`engine.long_past`); never while a producer writes it."""
        if self.producer is not None:
            return False
        if file.branched_from is not None:
            return True
        engine = self.engine
        timed = bool(engine.passing_count() or engine.flag_changes())
        now = session_clock.wall()
        return long_past(file.origin, engine.clock_ms, now, timed)

    def stop_clock(self) -> None:
        self._clock.stop()

    @property
    def clock_running(self) -> bool:
        return self._clock.running and not self._damaged

    def clock_ms(self) -> int:
        """The session clock: running if started, else the time of the latest event.

        A running clock stops once the session is over (the finish, and the last car still out
        classified): it stands at that car's crossing while the finish stands. A damaged file
        is shown as its intact log left it, never to be written again: its clock stands at its
        last event (it ticked on from the file's time zero, "GREEN since 0:10:18" over data
        ending at 0:00:37).
        """
        shown = self._clock.read()
        if shown is None or self._damaged:
            return self.engine.clock_ms
        if self._clock.held:
            return shown
        latest = self.engine.clock_ms
        over = over_at(self.engine)
        if over is not None:
            shown = min(shown, max(over, latest))
        return max(latest, shown)

    @property
    def _damaged(self) -> bool:
        file = self.recorder.file
        return file is not None and file.damage is not None

    def stamp_ms(self) -> int:
        """The time an event typed now is stamped with: the running clock's true reading.

        The clock shown stands once the session is over (:meth:`clock_ms`); a car crossing
        after that is still stamped when it crossed, not at the standing clock.
        """
        shown = self._clock.read()
        if shown is None or self._clock.held:
            return self.clock_ms()
        return max(self.engine.clock_ms, shown)

    def close(self) -> None:
        self.idle_checkpoint.stop()
        self.log_follow.stop()
        _close(self.recorder)

    def _announce(self, change: BoardChange) -> None:
        if change.is_empty:
            return
        self.board_changed.emit(change)
        if change.laps_changed:
            self.laps_completed.emit(sorted(change.laps_changed))
        if change.ops:
            self.order_changed.emit()
        if change.session_best_changed:
            self.best_lap_set.emit()
        if change.flag_changed:
            self.flag_changed.emit(self.engine.flag)


def _close(recorder: SessionSource) -> None:
    """Close a session; its snapshot is written in a worker (about a second for a 24-hour
    session, which the window's thread must not spend).

    It was written here for a while: with the worker, the full suite crashed in a timer of a
    QObject freed while a close ran. The collector ran in the worker then, freeing the window's
    garbage there; it runs on the GUI thread only now (timingboard.qt.gui_thread).

    Then what it held is freed in slices between events once the worker is done with it:
    dropped at once, a 24-hour session's engine held the GUI thread ~200 ms (in the worker too,
    where it held the GIL as long)."""
    recorder.close(in_background=True)
    path = recorder.path
    release_when_idle(recorder, lambda: path is None or not closing.pending(path))
