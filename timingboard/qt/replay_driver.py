"""Plays a replay: play, pause, speed, seek, step; the board shows the session as it stood.

Playing forward applies the log in batches to the shown engine (precise view updates); a seek
backwards or far ahead starts from the nearest checkpoint and resets the views once.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from PySide6.QtCore import QObject, QTimer, Signal

from timingboard.qt import session_clock
from timingboard.qt.session_controller import SessionController
from timingboard.qt.session_source import ProducerKind
from timingboard.store import heap
from timingboard.store.bulk import freeze_survivors
from timingboard.store.replay_source import ReplaySource

FRAME_MS = 16  # one tick of playback
AS_FAST_AS_POSSIBLE = 0.0  # as a speed: apply this many events a frame
EVENTS_A_FRAME_FLAT_OUT = 400
# events replayed into a checkpoint between two of the window's events (~5-15 ms at 24 h; a
# whole stretch at once held the window 40-90 ms)
EVENTS_A_BUILD_STEP = 250
REFILL_AFTER_SEEK_MS = 250  # the board is painted first; dragging the slider waits (and the
# first checkpoints of a replay opened wait for its first board)
SPEEDS = (0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, AS_FAST_AS_POSSIBLE)


class ReplayDriver(QObject):
    """Drives the controller's engine through a :class:`ReplaySource` timeline.

    Signals
    -------
    loaded(int, list)
        A replay was opened: its length in ms and its flag periods (from, to, flag).
    position_changed(int)
        The session time now shown.
    playing_changed(bool)
        Play or pause.
    seeked(int)
        The board was moved to this session time at once (a seek, a step), not played to it.
    not_stepped(str)
        A step asked for went nowhere (no later lap of the leader, no earlier passing): why.
    built()
        Every checkpoint of the replay is built (also when a seek stopped their building for a
        while): its end is at hand.
    """

    loaded = Signal(int, list)
    position_changed = Signal(int)
    playing_changed = Signal(bool)
    seeked = Signal(int)
    not_stepped = Signal(str)
    built = Signal()

    def __init__(self, controller: SessionController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._source: ReplaySource | None = None
        self.position_ms = 0
        self.speed = 1.0
        self._anchor = (0.0, 0)
        self._tick = QTimer(self, interval=FRAME_MS)
        self._tick.timeout.connect(self._on_tick_timeout)
        self._pending_seek: int | None = None
        self._seek_frame = QTimer(self, singleShot=True, interval=FRAME_MS)
        self._seek_frame.timeout.connect(self._on_seek_frame_timeout)
        self._builder = QTimer(self, interval=0)
        self._builder.timeout.connect(self._on_builder_timeout)
        self._refill = QTimer(self, singleShot=True, interval=REFILL_AFTER_SEEK_MS)
        self._refill.timeout.connect(self._builder.start)

    producer_kind = ProducerKind.REPLAY

    @property
    def session_shown(self) -> bool:
        return self._source is not None and self._controller.recorder is self._source

    def hand_timing_refusal(self) -> None:
        """None here: the replay itself refuses what is typed (it is never changed), and says
        so."""

    @property
    def source(self) -> ReplaySource | None:
        return self._source

    @property
    def building(self) -> bool:
        """Whether checkpoints are still being built (or one a seek took filled) while idle."""
        return self._builder.isActive() or self._refill.isActive()

    @property
    def playing(self) -> bool:
        return self._tick.isActive()

    @property
    def duration_ms(self) -> int:
        return self._source.timeline.duration_ms if self._source else 0

    def open(self, source: ReplaySource) -> None:
        """Show a replay from its start, paused."""
        self.pause()
        self._source = source
        self._controller.load(source, producer=self)
        self.position_ms = 0
        self._controller.hold_clock(0)
        timeline = source.timeline
        self.loaded.emit(timeline.duration_ms, timeline.flag_periods())
        self.position_changed.emit(0)
        # the checkpoints built once the first board is painted: a slice of them shared the
        # turn of File > Replay's first seek and its paint (the longest of its stalls)
        self._refill.start()

    def close(self) -> None:
        """Stop driving; the clock is left alone (it may be another session's by now)."""
        if self.playing:
            self._tick.stop()
            self.playing_changed.emit(False)
        self._seek_frame.stop()
        self._pending_seek = None
        self._builder.stop()
        self._refill.stop()
        self._source = None
        self._controller.release(self)

    # --- transport -------------------------------------------------------------------------------

    def play(self) -> None:
        if self._source is None or self.playing:
            return
        if self.position_ms >= self.duration_ms:
            self.seek(0)
        self._anchor = (session_clock.monotonic(), self.position_ms)
        self._tick.start()
        self.playing_changed.emit(True)

    def pause(self) -> None:
        if self.playing:
            self._tick.stop()
            self.playing_changed.emit(False)
        self._controller.hold_clock(self.position_ms)

    def toggle(self) -> None:
        self.pause() if self.playing else self.play()

    def set_speed(self, speed: float) -> None:
        """Times real time; ``AS_FAST_AS_POSSIBLE`` (0) plays as fast as the board can."""
        self.speed = speed
        self._anchor = (session_clock.monotonic(), self.position_ms)

    def seek(self, time_ms: int) -> None:
        """Show the session as it stood at ``time_ms``."""
        if self._source is None:
            return
        time_ms = max(0, min(time_ms, self.duration_ms))
        timeline = self._source.timeline
        target = timeline.prefix_at(time_ms)
        engine = self._controller.engine
        self.position_ms = time_ms
        self._anchor = (session_clock.monotonic(), time_ms)
        self._controller.hold_clock(time_ms)  # before the views hear of the change
        if engine.seq <= target <= engine.seq + timeline.interval:
            self._advance_to(target)
        else:
            self._controller.show_engine(timeline.engine_at(target))
            self._builder.stop()
            self._refill.start()  # those not built yet are built on once idle
        self.position_changed.emit(time_ms)
        self.seeked.emit(time_ms)

    def scrub(self, time_ms: int) -> None:
        """Seek while dragging: the last position asked for, once a frame."""
        self._pending_seek = time_ms
        if not self._seek_frame.isActive():
            self._seek_frame.start()

    def step_passing(self, direction: int) -> None:
        """To the next (1) or previous (-1) passing."""
        if self._source is None:
            return
        times = self._source.timeline.passing_times()
        if not self._step_to(times, direction):
            self.not_stepped.emit(f"No {'later' if direction > 0 else 'earlier'} passing.")

    def step_leader_lap(self, direction: int) -> None:
        """To the moment the current leader completed its next (1) or previous (-1) lap; after
        its last, the session's end when one was logged later."""
        if self._source is None:
            return
        order = self._controller.engine.order()
        if not order:
            self.not_stepped.emit("No leader yet: no lap to step to.")
            return
        final = self._source.timeline.final()
        leader = order[0]
        times = list(final.lap_completion_times(leader) if final.has_car(leader) else [])
        if final.ended_ms is not None:  # the end logged after the last lap: the last step
            end = self._source.timeline.end_time(final.ended_ms)
            if not times or end > times[-1]:
                times.append(end)
        if not self._step_to(times, direction):
            which = "later" if direction > 0 else "earlier"
            self.not_stepped.emit(f"The leader, car {leader}, completes no {which} lap.")

    # --- internals -------------------------------------------------------------------------------

    def _step_to(self, times: Sequence[int], direction: int) -> bool:
        """Seek to the next (1) or previous (-1) of ``times``; False when there is none."""
        if direction > 0:
            index = bisect.bisect_right(times, self.position_ms)
            if index < len(times):
                self.seek(times[index])
                return True
        else:
            index = bisect.bisect_left(times, self.position_ms) - 1
            if index >= 0:
                self.seek(times[index])
                return True
        return False

    def _advance_to(self, count: int) -> None:
        assert self._source is not None
        engine = self._controller.engine
        if count <= engine.seq:
            return
        change = engine.apply(self._source.timeline.log[engine.seq : count])
        self._controller.announce(change)

    def _on_tick_timeout(self) -> None:
        assert self._source is not None
        timeline = self._source.timeline
        if self.speed == AS_FAST_AS_POSSIBLE:
            count = min(len(timeline.log), self._controller.engine.seq + EVENTS_A_FRAME_FLAT_OUT)
            time_ms = timeline.stamps[count - 1] if count else 0
        else:
            started, from_ms = self._anchor
            time_ms = from_ms + int((session_clock.monotonic() - started) * 1000 * self.speed)
            count = timeline.prefix_at(time_ms)
        time_ms = min(time_ms, self.duration_ms)
        self.position_ms = time_ms
        self._controller.hold_clock(time_ms)
        self._advance_to(count)
        self.position_changed.emit(time_ms)
        if count >= len(timeline.log) and time_ms >= self.duration_ms:
            self.pause()

    def _on_seek_frame_timeout(self) -> None:
        if self._pending_seek is not None:
            target, self._pending_seek = self._pending_seek, None
            self.seek(target)

    def _on_builder_timeout(self) -> None:
        """Checkpoints are built, or filled after a seek, a slice at a time while idle."""
        if self._source is None:
            self._builder.stop()
            return
        timeline = self._source.timeline
        made = timeline.made
        built = timeline.build_next(EVENTS_A_BUILD_STEP)
        if timeline.made != made:
            freeze_survivors()  # each checkpoint lives as long as the replay: out of the
            # collector's sight at once (all of them frozen at the end held the window ~0.1 s)
        if built:
            self._builder.stop()
            heap.trim()  # what building them used on the way (9 MB resident at 24 h)
            self.built.emit()
