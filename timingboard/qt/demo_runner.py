"""Plays the built-in demo in real time (or faster): qualifying, then heat 1 from its order."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from timingboard.demo.clash import ScriptedSession, heat_lineups, heat_race, qualifying
from timingboard.qt.session_controller import SessionController
from timingboard.store.names import slug
from timingboard.store.recorder import SessionRecorder

PAUSE_BETWEEN_SESSIONS_MS = 8000


class DemoRunner(QObject):
    """Feeds scripted sessions to the controller as their events fall due.

    Signals
    -------
    session_started(str)
        A new session of the demo began; the text names it and its file.
    finished()
        The last session of the demo ended.
    """

    session_started = Signal(str)
    finished = Signal()

    def __init__(
        self,
        controller: SessionController,
        folder: Path,
        seed: int = 31,
        speed: float = 1.0,
        parent: QObject | None = None,
        loop: bool = False,
    ) -> None:
        super().__init__(parent)
        self._loop = loop
        self._controller = controller
        self._folder = folder
        self._seed = seed
        self._speed = max(0.1, speed)
        self._script: ScriptedSession | None = None
        self._next = 0
        self._started = 0.0
        self._stage = 0
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self._on_timer_timeout)
        controller.producer_changed.connect(self._on_controller_producer_changed)

    @property
    def session_ms(self) -> int:
        """Where the demo stands in the current session's time."""
        return int((time.monotonic() - self._started) * 1000 * self._speed)

    def start(self) -> None:
        self._play(qualifying(self._seed))

    def stop(self) -> None:
        """No more demo events; the clock stops only if the session shown is the demo's."""
        self._timer.stop()
        if self._controller.producer is self:
            self._controller.stop_clock()
            self._controller.release(self)

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def _on_controller_producer_changed(self, _before: object, now: object) -> None:
        if now is not self:
            self._timer.stop()  # another session is shown: the demo must not write into it

    def _play(self, script: ScriptedSession) -> None:
        self._script = script
        self._next = 0
        self._stage += 1
        path = self._folder / f"{self._stage:02d}-{slug(script.settings.name.split(' - ')[-1])}.tbs"
        if path.exists():
            path.unlink()
        self._controller.load(SessionRecorder.create(path, script.settings), producer=self)
        self._controller.submit(list(script.competitors))
        self._started = time.monotonic()
        self._controller.run_clock(0, self._speed)
        self.session_started.emit(f"{script.settings.name} — {path}")
        self._schedule()

    def _schedule(self) -> None:
        assert self._script is not None
        if self._next >= len(self._script.events):
            self._controller.stop_clock()
            self._timer.start(int(PAUSE_BETWEEN_SESSIONS_MS / self._speed))
            return
        due = self._script.events[self._next][0]
        self._timer.start(max(0, int((due - self.session_ms) / self._speed)))

    def _on_timer_timeout(self) -> None:
        assert self._script is not None
        if self._next >= len(self._script.events):
            self._advance()
            return
        now = self.session_ms
        batch = []
        while self._next < len(self._script.events) and self._script.events[self._next][0] <= now:
            batch.append(self._script.events[self._next][1])
            self._next += 1
        if batch:
            self._controller.submit(batch)
        self._schedule()

    def _advance(self) -> None:
        if self._stage == 1:
            order = [k for k in self._controller.engine.order() if not k.startswith("?")]
            self._play(heat_race(heat_lineups(order)[0], seed=self._seed))
        elif self._loop:
            self._stage = 0
            self._seed += 1
            self._play(qualifying(self._seed))
        else:
            self.finished.emit()
