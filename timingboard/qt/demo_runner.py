"""Plays the built-in demo: a whole Clash evening, each session in its own file.

Qualifying is shown fast (racing starts within seconds), then the four heats from the qualifying
order (P1 leads heat 1, P2 heat 2, …) and the feature from the heats' transfers, in real time
times the chosen speed. The line-ups come from the event's own progression, so the demo's folder
is an event like any other: one session file each, and ``event.json`` saying which came from which.
"""

from __future__ import annotations

import json
import os
import time
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from timingboard.demo.clash import (
    EVENT_NAME,
    FEATURE_LAPS,
    HEAT_LAPS,
    HEATS,
    TRANSFERS_A_HEAT,
    ScriptedSession,
    heat_race,
    qualifying,
)
from timingboard.engine.engine import TimingEngine
from timingboard.engine.lineups import LineupRequest, LineupRule
from timingboard.engine.settings import SessionKind
from timingboard.qt.session_controller import SessionController
from timingboard.qt.session_source import ProducerKind, SessionSource
from timingboard.store.names import free_path, slug
from timingboard.store.progression import MANIFEST, write_next
from timingboard.store.recorder import SessionRecorder
from timingboard.store.session_file import SessionFileError

PAUSE_BETWEEN_SESSIONS_MS = 4000  # the results stand on the board a moment
QUALIFYING_SPEEDUP = 20.0  # 200 s of single-car runs shown in 10 s at 1x
HEAT_NAME = "Busch Light Clash - Heat"
FEATURE_NAME = "Busch Light Clash - Feature"


def qualifying_path(folder: Path) -> Path:
    """Where the evening's first session (qualifying) is kept."""
    return folder / f"{slug(qualifying().settings.name)}.tbs"


def first_session(folder: Path, seed: int = 31) -> SessionRecorder:
    """The evening's qualifying file, with its entry list, for the window to open on."""
    folder.mkdir(parents=True, exist_ok=True)
    script = qualifying(seed)
    recorder = SessionRecorder.create(qualifying_path(folder), script.settings)
    recorder.submit(list(script.competitors))
    return recorder


def fresh_folder(folder: Path) -> Path:
    """``folder`` if it holds no event yet, else a new sub-folder of it (nothing is overwritten)."""
    if not (folder / MANIFEST).exists() and not qualifying_path(folder).exists():
        return folder
    target = free_path(folder / "clash")
    target.mkdir(parents=True)
    return target


class DemoRunner(QObject):
    """Feeds the evening's scripted sessions to the controller as their events fall due.

    Signals
    -------
    session_started(str)
        A new session of the demo began; the text names it and its file.
    finished()
        The last session of the evening (the feature) ended.
    failed(str)
        The next session could not be made (its file); the demo stopped. The text says why.
    """

    session_started = Signal(str)
    finished = Signal()
    failed = Signal(str)

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
        if not speed > 0:
            raise ValueError("the demo's speed must be above 0")
        self._loop = loop
        self._controller = controller
        self._folder = folder
        self._evening_folder = folder
        self._evenings = 0
        self._seed = seed
        self._speed = speed
        self._rate = speed
        self._script: ScriptedSession | None = None
        self._recorder: SessionSource | None = None
        self._path = Path()  # the file of the session playing
        self._next = 0
        self._started = 0.0
        self._finished: list[tuple[Path, TimingEngine]] = []
        self._queue: list[tuple[Path, ScriptedSession, float]] = []
        self.files: set[Path] = set()  # every file the demo made: the only ones it may remove
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self._on_timer_timeout)
        controller.producer_changed.connect(self._on_controller_producer_changed)

    @property
    def folder(self) -> Path:
        """The folder of the evening now running."""
        return self._evening_folder

    @property
    def session_ms(self) -> int:
        """Where the demo stands in the current session's time."""
        return int((time.monotonic() - self._started) * 1000 * self._rate)

    producer_kind = ProducerKind.DEMO

    @property
    def session_shown(self) -> bool:
        return self.showing_demo

    def hand_timing_refusal(self) -> None:
        """None: the operator types passings and throws flags into the demo's session too."""

    @property
    def showing_demo(self) -> bool:
        """The controller still shows the demo's session (the operator did not take over)."""
        return self._recorder is not None and self._controller.recorder is self._recorder

    def start(self) -> None:
        self._begin_evening()

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

    # --- the evening ---------------------------------------------------------------------------

    def _begin_evening(self) -> None:
        if self._evenings:
            self._evening_folder = free_path(self._folder / f"evening-{self._evenings + 1}")
        self._evening_folder.mkdir(parents=True, exist_ok=True)
        self._evenings += 1
        self._finished = []
        path = qualifying_path(self._evening_folder)
        self.files.update({path, self._evening_folder / MANIFEST})
        _start_manifest(self._evening_folder, path)
        self._queue = [(path, qualifying(self._seed), QUALIFYING_SPEEDUP)]
        self._play_next()

    def _plan_after(self) -> None:
        """Heats from qualifying, the feature from the heats: the event's own progression."""
        folder = self._evening_folder
        if len(self._finished) == 1:
            paths = write_next(
                self._finished,
                LineupRequest(LineupRule.SPLIT, HEATS),
                HEAT_NAME,
                folder,
                SessionKind.RACE,
                HEAT_LAPS,
            )
            self.files.update(paths)
            self._queue = [
                (path, heat_race(_grid(path), self._seed, HEAT_LAPS, number), 1.0)
                for number, path in enumerate(paths, start=1)
            ]
        elif len(self._finished) == 1 + HEATS:
            (path,) = write_next(
                self._finished[1:],
                LineupRequest(LineupRule.TRANSFER, TRANSFERS_A_HEAT),
                FEATURE_NAME,
                folder,
                SessionKind.RACE,
                FEATURE_LAPS,
            )
            self.files.add(path)
            script = heat_race(_grid(path), self._seed, FEATURE_LAPS, 99, FEATURE_NAME)
            self._queue = [(path, script, 1.0)]

    def _play_next(self) -> None:
        try:
            self._play_queued()
        except SessionFileError as exc:
            self.stop()
            self.failed.emit(f"the demo stopped: {exc}")

    def _play_queued(self) -> None:
        if not self._queue:
            self._plan_after()
        if not self._queue:
            if self._loop:
                self._seed += 1
                self._begin_evening()
            else:
                self.finished.emit()
            return
        path, script, speedup = self._queue.pop(0)
        self._play(path, script, speedup)

    def _play(self, path: Path, script: ScriptedSession, speedup: float) -> None:
        self._script = script
        self._next = 0
        self._rate = self._speed * speedup
        self._path, self._recorder = path, self._recorder_for(path, script)
        self._controller.load(self._recorder, producer=self)
        self._started = time.monotonic()
        self._controller.run_clock(0, self._rate)
        fast = f" (shown {speedup:g}× fast)" if speedup != 1 else ""  # noqa: RUF001
        self.session_started.emit(f"{script.settings.name}{fast} — {path}")
        self._schedule()

    def _recorder_for(self, path: Path, script: ScriptedSession) -> SessionSource:
        """The session shown if it is written to this file, else the file opened or made."""
        shown = self._controller.recorder
        if shown.file is not None and shown.file.path == path:
            return shown
        if path.exists():
            return SessionRecorder.open(path)  # made by the progression, with its grid
        recorder = SessionRecorder.create(path, script.settings)
        recorder.submit(list(script.competitors))
        return recorder

    def _schedule(self) -> None:
        assert self._script is not None
        if self._next >= len(self._script.events):
            self._controller.stop_clock()
            self._timer.start(int(PAUSE_BETWEEN_SESSIONS_MS / self._speed))
            return
        due = self._script.events[self._next][0]
        self._timer.start(max(0, int((due - self.session_ms) / self._rate)))

    def _on_timer_timeout(self) -> None:
        assert self._script is not None and self._recorder is not None
        if not self.showing_demo:
            return  # another session is shown: the demo never writes into it
        if self._next >= len(self._script.events):
            self._finished.append((self._path, self._recorder.engine))
            self._play_next()
            return
        now = self.session_ms
        batch = []
        while self._next < len(self._script.events) and self._script.events[self._next][0] <= now:
            batch.append(self._script.events[self._next][1])
            self._next += 1
        if batch:
            self._controller.submit(batch)
        self._schedule()


def _grid(path: Path) -> list[str]:
    """The grid a progression wrote into a new session file, front row first."""
    recorder = SessionRecorder.open(path)
    try:
        field = sorted(recorder.engine.entry_list().values(), key=lambda c: c.grid or 0)
    finally:
        recorder.close()
    return [c.key for c in field]


def _event_details() -> dict[str, object]:
    """The evening's name, date and track, as an event folder keeps them (the Event view's
    heading, and what a new session made in the folder inherits)."""
    settings = qualifying().settings
    return {
        "name": EVENT_NAME,
        "date": date.today().isoformat(),  # the demo's evening is tonight
        "track_name": settings.track_name,
        "track_length": settings.track_length,
        "length_unit": settings.length_unit.value,
    }


def _start_manifest(folder: Path, first: Path) -> None:
    """The evening's ``event.json`` begins with its qualifying, which the heats are made from."""
    manifest = folder / MANIFEST
    event = {
        "event": _event_details(),
        "sessions": [{"file": first.name, "made_from": [], "rule": "qualifying"}],
    }
    partial = manifest.with_name(manifest.name + ".partial")
    with partial.open("w", encoding="utf-8") as out:
        out.write(json.dumps(event, indent=2) + "\n")
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, manifest)
