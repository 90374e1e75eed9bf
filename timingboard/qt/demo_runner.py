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
from timingboard.engine.events import CompetitorSet
from timingboard.engine.lineups import LineupRequest, LineupRule
from timingboard.engine.settings import SessionKind
from timingboard.qt.session_controller import SessionController
from timingboard.qt.session_source import ProducerKind, SessionSource
from timingboard.store.names import free_path, slug
from timingboard.store.progression import MANIFEST, plan_next, write_next
from timingboard.store.recorder import SessionRecorder
from timingboard.store.session_file import DEMO_TIMED, SessionFileError

PAUSE_BETWEEN_SESSIONS_MS = 4000  # the results stand on the board a moment
QUALIFYING_SPEEDUP = 20.0  # 200 s of single-car runs shown in 10 s at 1x
HEAT_NAME = "Busch Light Clash - Heat"
FEATURE_NAME = "Busch Light Clash - Feature"


def qualifying_path(folder: Path) -> Path:
    """Where the evening's first session (qualifying) is kept."""
    return folder / f"{slug(qualifying().settings.name)}.tbs"


def first_session(folder: Path, seed: int = 31, speed: float = 1.0) -> SessionRecorder:
    """The evening's qualifying file, with its entry list, for the window to open on (shown
    fast at ``speed``: :func:`shown_fast_origin`)."""
    folder.mkdir(parents=True, exist_ok=True)
    script = qualifying(seed)
    origin = shown_fast_origin(script, speed * QUALIFYING_SPEEDUP)
    recorder = SessionRecorder.create(qualifying_path(folder), script.settings, origin)
    recorder.submit(list(script.competitors))
    return recorder


def shown_fast_origin(script: ScriptedSession, rate: float) -> float:
    """The time zero (epoch s) of a session about to be shown ``rate`` times fast: it runs its
    whole length on the evening's clock all the same, so it is set back to end as it ends here
    (the qualifying's 3:19 in 10 s), and the heats after it start on the wall clock."""
    last_ms = script.events[-1][0] if script.events else 0
    return time.time() - last_ms / 1000 * (1 - 1 / rate) if rate > 1 else time.time()


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
        self._next_origin = time.time()  # the next session's time zero (epoch s)
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
        """Heats from qualifying, the feature from the heats: the event's own progression.

        Each session's time zero is the end of the one before and the pause between them, on
        the evening's own clock (the qualifying shown fast took its 3:19 all the same): the
        sheets and the Event view give each its own start, one after another, as the real
        evening ran (the four heats, made at once, all read the qualifying's start)."""
        folder = self._evening_folder
        if len(self._finished) == 1:
            request = LineupRequest(LineupRule.SPLIT, HEATS)
            sources, laps = self._finished, HEAT_LAPS
            plans = plan_next([e for _, e in sources], request, HEAT_NAME, SessionKind.RACE, laps)
            scripts = [
                heat_race(_keys(field), self._seed, laps, number)
                for number, (_, field) in enumerate(plans, start=1)
            ]
            name = HEAT_NAME
        elif len(self._finished) == 1 + HEATS:
            request = LineupRequest(LineupRule.TRANSFER, TRANSFERS_A_HEAT)
            sources, laps = self._finished[1:], FEATURE_LAPS
            plans = plan_next(
                [e for _, e in sources], request, FEATURE_NAME, SessionKind.RACE, laps
            )
            scripts = [heat_race(_keys(plans[0][1]), self._seed, laps, 99, FEATURE_NAME)]
            name = FEATURE_NAME
        else:
            return
        origins = _one_after_another(self._next_origin, scripts)[:-1]
        paths = write_next(sources, request, name, folder, SessionKind.RACE, laps, origins)
        self.files.update(paths)
        self._queue = [(path, script, 1.0) for path, script in zip(paths, scripts, strict=True)]

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
        if self._recorder.file is not None:  # opened later, its title says the demo timed it
            self._recorder.file.mark_timed_by(DEMO_TIMED)
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
        origin = shown_fast_origin(script, self._rate)  # the qualifying of a next evening
        recorder = SessionRecorder.create(path, script.settings, origin)
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
            file = self._recorder.file
            if file is not None:  # the next session begins after this one, on the evening's clock
                self._next_origin = _one_after_another(file.origin, [self._script])[-1]
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


def _keys(field: list[CompetitorSet]) -> list[str]:
    """The grid a line-up planned, front row first (as the session file will hold it)."""
    return [c.key for c in sorted(field, key=lambda c: c.grid or 0)]


def _one_after_another(first: float, scripts: list[ScriptedSession]) -> list[float]:
    """The time zeros (epoch s) of sessions run one after another from ``first``, each after
    the one before's last event and the pause between sessions, then the time zero of the
    session after them (one more than ``scripts``)."""
    origins = [first]
    for script in scripts:
        last_ms = script.events[-1][0] if script.events else 0
        origins.append(origins[-1] + (last_ms + PAUSE_BETWEEN_SESSIONS_MS) / 1000)
    return origins


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
