"""The lap-time chart's data: lap time against lap number for the cars the user picked.

With no pick, the chart follows the leader and the session-best holder.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal

from timingboard.engine.classes import class_names
from timingboard.qt.frame_throttle import FrameThrottle
from timingboard.qt.session_controller import SessionController
from timingboard.qt.theme import CLASS_COLOURS


class LapSeries(QObject):
    """Which cars are charted, and their laps as arrays.

    Signals
    -------
    selection_changed(list[str])
        The charted cars, in the order they were picked.
    series_changed(list[str])
        Charted cars whose laps changed (once a frame at most).
    session_best_changed()
        The session best lap changed.
    """

    selection_changed = Signal(list)
    series_changed = Signal(list)
    session_best_changed = Signal()

    def __init__(self, controller: SessionController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._picked: list[str] = []
        self._class = ""
        self._shown: list[str] = self._automatic()
        self._dirty: set[str] = set()
        self._best_dirty = False
        self._frame = FrameThrottle(self.flush, self)
        controller.laps_completed.connect(self._on_controller_laps_completed)
        controller.order_changed.connect(self._on_controller_order_changed)
        controller.best_lap_set.connect(self._on_controller_best_lap_set)
        controller.session_reset.connect(self._on_controller_session_reset)

    @property
    def cars(self) -> list[str]:
        """Keys of the charted cars."""
        return list(self._shown)

    def pick(self, keys: list[str]) -> None:
        """Chart these cars; an empty pick goes back to the leader and session-best holder."""
        self._picked = [k for k in keys if k in self._controller.engine.entries]
        self._update_shown()

    def laps(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """Lap numbers and lap times in seconds of a car: the laps timed here only."""
        laps = [lap for lap in self._controller.engine.entries[key].timing.laps if lap.seen]
        numbers = np.fromiter((lap.number for lap in laps), dtype=float, count=len(laps))
        seconds = np.fromiter(
            (lap.duration_ms / 1000 for lap in laps), dtype=float, count=len(laps)
        )
        return numbers, seconds

    def label(self, key: str) -> str:
        entry = self._controller.engine.entries.get(key)
        if entry is None:
            return key
        driver = entry.competitor.driver if entry.competitor else "unknown car"
        return f"#{entry.label} {driver}"

    def class_colour(self, key: str) -> str | None:
        """The car's class colour, as the board paints it (classes in entry-list order)."""
        entry = self._controller.engine.entries.get(key)
        car_class = entry.competitor.car_class if entry and entry.competitor else ""
        if not car_class:
            return None
        competitors = self._controller.engine.competitors.values()
        slot = class_names(c.car_class for c in competitors).index(car_class)
        return CLASS_COLOURS[slot % len(CLASS_COLOURS)]

    def session_best(self) -> tuple[str, int, float] | None:
        """Holder, lap number and seconds of the session best lap."""
        best = self._controller.engine.session_best
        if best is None:
            return None
        return best[0], best[1].number, best[1].duration_ms / 1000

    def flush(self) -> None:
        self._frame.ran()
        dirty = [k for k in self._shown if k in self._dirty]
        self._dirty.clear()
        if dirty:
            self.series_changed.emit(dirty)
        if self._best_dirty:
            self._best_dirty = False
            self.session_best_changed.emit()

    def set_class(self, car_class: str) -> None:
        """Follow one class (its leader and best lap) when nothing is picked; "" for all."""
        self._class = car_class
        self._update_shown()

    def _automatic(self) -> list[str]:
        engine = self._controller.engine
        if self._class:
            places = engine.class_places
            members = [k for k in engine.order() if self._in_class(k)]
            keys = members[:1]
            holder = places[members[0]].best_holder if members else None
            if holder and holder not in keys:
                keys.append(holder)
            return keys
        keys = engine.order()[:1]
        best = engine.session_best
        if best and best[0] not in keys:
            keys.append(best[0])
        return keys

    def _in_class(self, key: str) -> bool:
        competitor = self._controller.engine.entries[key].competitor
        return competitor is not None and competitor.car_class == self._class

    def _update_shown(self) -> None:
        shown = self._picked if self._picked else self._automatic()
        if shown != self._shown:
            self._shown = list(shown)
            self.selection_changed.emit(self.cars)

    def _schedule(self) -> None:
        self._frame.request()

    def _on_controller_laps_completed(self, keys: list[str]) -> None:
        self._dirty.update(keys)
        self._schedule()

    def _on_controller_order_changed(self) -> None:
        self._picked = [k for k in self._picked if k in self._controller.engine.entries]
        self._update_shown()

    def _on_controller_best_lap_set(self) -> None:
        self._best_dirty = True
        if not self._picked:
            self._update_shown()
        self._schedule()

    def _on_controller_session_reset(self) -> None:
        self._picked = []
        self._class = ""
        self._dirty.clear()
        self._shown = self._automatic()
        self.selection_changed.emit(self.cars)
        self.session_best_changed.emit()
