"""The race charts' data for the cars the user picked: lap times, positions, gaps by lap.

With no pick, the charts follow the leader and the session-best holder, or the scope chosen
(class leaders, the top ten, every car). With one class shown (View ▸ Class), only the picks of
that class are charted, or its leader and best lap (or the scope's cars of that class: its leader,
its top ten, every car of it).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from timingboard.engine.events import Flag
from timingboard.qt import frame_throttle
from timingboard.qt.class_colours import ClassColours
from timingboard.qt.frame_throttle import AfterPaint, FrameThrottle
from timingboard.qt.session_controller import SessionController

CAR_COLOURS = ("#4fc3f7", "#ffb74d", "#81c784", "#f06292", "#ba68c8", "#fff176", "#4db6ac")
RECHECKED_LAPS = 3  # positions of a car's last laps are worked out again: late crossings land
SEEK_DRAWN_LATER_FROM = 5_000  # a replay's seek to a moment this far in is charted after its board
SCOPES = {
    "picked": "Picked cars (else leader and best lap)",
    "top10": "Top ten",
    "class_leaders": "Class leaders",
    "all": "Every car",
}


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
    cautions_changed()
        The laps run under yellow or red changed.
    restarted()
        Another session (or another moment of a replay): the charted cars, their laps, the
        session best and the cautions are all new (no other signal says so); charts draw
        everything again once and start their ranges again. A long session newly shown
        (``frame_throttle.DRAWN_LATER_FROM`` passings) restarts twice: at once with no car
        charted and :attr:`loading` true, then with its cars once the window painted (its
        board first; its cautions on the turn before); another moment of a replay (a seek to
        ``SEEK_DRAWN_LATER_FROM`` passings or more) restarts once, after that paint (the charts
        show the moment before until then: a seek's board is painted ~12-50 ms sooner).
    """

    selection_changed = Signal(list)
    series_changed = Signal(list)
    session_best_changed = Signal()
    cautions_changed = Signal()
    restarted = Signal()

    def __init__(
        self,
        controller: SessionController,
        parent: QObject | None = None,
        class_colours: ClassColours | None = None,
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._class_colours = class_colours or ClassColours(controller, self)
        self._class_colours.changed.connect(self._on_class_colours_changed)
        self._picked: list[str] = []
        self._class = ""
        self._scope = "picked"
        self._colours: dict[str, str] = {}
        self._cautions: list[tuple[int, int, Flag]] = []
        self._traces: dict[str, tuple[list[tuple[int, int]], list[int], list[int]]] = {}
        self._caution_key: tuple[int, int, int | None] | None = None
        self._laps_led_known = 0
        self._source = controller.recorder  # the session charted
        # a long session's cautions after its board's paint, its cars charted a turn later
        self._later = AfterPaint(self._on_later_run, self, then=self._on_later_then)
        self._held = False  # another session's board shown ahead of it: nothing charted

        self._refresh_cautions()
        self._shown: list[str] = self._automatic()
        self._dirty: set[str] = set()
        self._best_dirty = False
        self._reselect = False  # the automatic pick is looked at again on the next frame
        self._frame = FrameThrottle(self.flush, self)
        controller.laps_completed.connect(self._on_controller_laps_completed)
        controller.order_changed.connect(self._on_controller_order_changed)
        controller.best_lap_set.connect(self._on_controller_best_lap_set)
        controller.session_reset.connect(self._on_controller_session_reset)
        controller.flag_changed.connect(self._on_controller_flag_changed)

    @property
    def loading(self) -> bool:
        """A long session was just shown (or a replay of one seeked): its cars are charted
        on the next turn; or the board shows another session ahead of it (:meth:`hold`)."""
        return self._later.pending or self._held

    def hold(self) -> None:
        """The board shows another session's rows ahead of it (read in a worker): the charts
        of the session before go now ("Loading laps…"), restarted empty, until it is shown."""
        if self._held:
            return
        self._held = True
        self._later.stop()
        self._frame.cancel()
        self._dirty.clear()
        self._best_dirty = False
        self._shown = []
        self._cautions = []
        self.restarted.emit()

    def release(self) -> None:
        """The session whose board was shown ahead was not opened: the session shown's charts
        again."""
        if self._held:
            self._held = False
            if self._controller.recorder is self._source:  # else its reset is on its way
                self._caution_key = None
                self._restart()

    def chart_after(self, widget: QWidget, painted_yet: Callable[[], bool] | None = None) -> None:
        """A long session's charts are drawn after this widget's paint (the board's), or
        after the next paint when ``painted_yet`` says it shows its rows already."""
        self._later.wait_for(widget, painted_yet)

    @property
    def cars(self) -> list[str]:
        """Keys of the charted cars."""
        return list(self._shown)

    def pick(self, keys: list[str]) -> None:
        """Chart these cars; an empty pick goes back to the leader and session-best holder."""
        self._picked = [k for k in keys if self._controller.engine.has_car(k)]
        self._update_shown()

    def laps(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """Lap numbers and lap times in seconds of a car: the laps timed here only.

        Where laps were not seen a NaN parts the line: nothing is drawn across them.
        """
        laps = [lap for lap in self._controller.engine.car_laps(key) if lap.seen]
        return _parted([lap.number for lap in laps], [lap.duration_ms / 1000 for lap in laps])

    def positions(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """Lap numbers and the car's position at the end of each, for the laps seen here
        (a NaN parts the line where laps were not)."""
        laps, positions, _gaps = self._trace(key)
        return _parted([n for n, _ in laps], positions)

    def gaps(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """Lap numbers and seconds behind the first car to complete each lap, for the laps
        seen here."""
        laps, _positions, gaps = self._trace(key)
        return _parted([n for n, _ in laps], [g / 1000 for g in gaps])

    def _trace(self, key: str) -> tuple[list[tuple[int, int]], list[int], list[int]]:
        """A car's laps with its positions and gaps, worked out again only from where they may
        have changed: its own laps from the first that differs, and the last few laps (where
        others' crossings still arrive). A 24 h race: ~0.1 ms a lap instead of ~20 ms a car."""
        laps = self._lap_times(key)
        old = self._traces.get(key)
        keep = 0
        if old is not None:
            keep = min(len(old[0]), len(laps))
            if old[0][:keep] != laps[:keep]:  # its own laps changed: from the start
                keep = 0
            keep = max(0, keep - RECHECKED_LAPS)
        engine = self._controller.engine
        fresh = laps[keep:]
        positions = (old[1][:keep] if old else []) + engine.lap_positions(fresh)
        gaps = (old[2][:keep] if old else []) + engine.lap_gaps(fresh)
        self._traces[key] = (laps, positions, gaps)
        return laps, positions, gaps

    def cautions(self) -> list[tuple[int, int, Flag]]:
        """Runs of laps (first, last, flag) under yellow or red."""
        return list(self._cautions)

    def colour(self, key: str) -> str:
        """A charted car's own colour, the same on every chart while it stays charted."""
        if key not in self._colours:
            used = {self._colours[k] for k in self._shown if k in self._colours}
            free = [c for c in CAR_COLOURS if c not in used] or list(CAR_COLOURS)
            self._colours[key] = free[0]
        return self._colours[key]

    @property
    def scope(self) -> str:
        return self._scope

    def set_scope(self, scope: str) -> None:
        """Which cars to chart when none is picked: see ``SCOPES``."""
        if scope not in SCOPES:
            raise ValueError(f"no such chart scope: {scope}")
        self._scope = scope
        self._update_shown()

    def _lap_times(self, key: str) -> list[tuple[int, int]]:
        """(number, completion time) of the car's laps seen here: a lap the timing system
        counted while this board did not see it has no time of its own (it is placed at the
        crossing that ended the last of them), so a position or gap worked out from it would be
        invented (a leader joined on lap 15 read P45 and 33:20 behind over laps 1 to 14)."""
        laps = self._controller.engine.car_laps(key)
        return [(lap.number, lap.time_ms) for lap in laps if lap.seen]

    def label(self, key: str) -> str:
        engine = self._controller.engine
        if not engine.has_car(key):
            return key
        return f"#{engine.car_label(key)} {engine.driver_label(key)}"

    def class_colour(self, key: str) -> str | None:
        """The car's class colour, as the board paints it (the event's)."""
        engine = self._controller.engine
        car_class = engine.car_class(key) if engine.has_car(key) else ""
        return self._class_colours.colour(car_class)

    def _on_class_colours_changed(self) -> None:
        self.selection_changed.emit(self.cars)  # the points are painted again

    def session_best(self) -> tuple[str, int, float] | None:
        """Holder, lap number and seconds of the session best lap."""
        best = None if self._held else self._controller.engine.session_best_lap()
        if best is None:
            return None
        return best[0], best[1].number, best[1].duration_ms / 1000

    def flush(self) -> None:
        self._frame.ran()
        if self._held:
            return  # the session before's changes: charted again only if it stays (release)
        if self._reselect:  # a new leader or best lap: charted from the frame, not the submit
            self._reselect = False
            before = set(self._shown)
            self._update_shown()
            self._dirty -= set(self._shown) - before  # new curves were given their laps
        dirty = [k for k in self._shown if k in self._dirty]
        if self._dirty:
            self._refresh_cautions()
        self._dirty.clear()
        if dirty:
            self.series_changed.emit(dirty)
        if self._best_dirty:
            self._best_dirty = False
            self.session_best_changed.emit()

    def set_class(self, car_class: str) -> None:
        """Follow one class: the cars picked in it, or its leader and best lap when none of it
        is picked; "" for all (every pick charted again)."""
        self._class = car_class
        self._update_shown()

    def _refresh_cautions(self, force: bool = False, quiet: bool = False) -> None:
        """Again only when a flag came or the leader completed another lap (~5 ms at 24 h);
        ``quiet``: ``cautions_changed`` is not emitted (a restart says it)."""
        engine = self._controller.engine
        led = self._laps_led_known
        while led > 0 and engine.leader_time_of_lap(led) is None:
            led -= 1  # a correction took laps away
        while engine.leader_time_of_lap(led + 1) is not None:
            led += 1
        key = (len(engine.flag_changes()), led, engine.start_ms)
        if key == self._caution_key and not force:
            return
        self._caution_key, self._laps_led_known = key, led
        cautions = engine.caution_laps()
        if cautions != self._cautions:
            self._cautions = cautions
            if not quiet:
                self.cautions_changed.emit()

    def _automatic(self) -> list[str]:
        engine = self._controller.engine
        order = engine.order()
        if self._scope == "all":
            return [k for k in order if not self._class or self._in_class(k)]
        if self._scope == "top10":
            return [k for k in order if not self._class or self._in_class(k)][:10]
        if self._scope == "class_leaders":  # with one class shown, its leader (as top10/all)
            leaders: dict[str, str] = {}
            for key in order:
                if not self._class or self._in_class(key):
                    leaders.setdefault(engine.car_class(key), key)
            return list(leaders.values())
        if self._class:
            members = [k for k in engine.order() if self._in_class(k)]
            keys = members[:1]
            holder = engine.class_place(members[0]).best_holder if members else None
            if holder and holder not in keys:
                keys.append(holder)
            return keys
        keys = engine.order()[:1]
        best = engine.session_best_lap()
        if best and best[0] not in keys:
            keys.append(best[0])
        return keys

    def _picked_in_class(self) -> list[str]:
        """The cars picked in the table that are of the class followed (every pick with no
        class): a pick of another class is not charted while one class is shown (#9, a PRO car
        picked before View ▸ Class ▸ GT, stayed on the GT chart), and is again for all classes."""
        if not self._class:
            return self._picked
        return [k for k in self._picked if self._in_class(k)]

    def _charted(self) -> list[str]:
        """The cars to chart: the picks in the class followed, else the automatic ones."""
        return list(self._picked_in_class()) or self._automatic()

    def _in_class(self, key: str) -> bool:
        engine = self._controller.engine
        return engine.competitor_of(key) is not None and engine.car_class(key) == self._class

    def _update_shown(self) -> None:
        if self.loading:
            return  # the restart to come charts the pick or the automatic cars
        shown = self._charted()
        if shown != self._shown:
            self._shown = list(shown)
            for key in [k for k in self._colours if k not in shown]:
                del self._colours[key]  # its colour is free for the next car charted
            self.selection_changed.emit(self.cars)

    def _schedule(self) -> None:
        self._frame.request()

    def _on_controller_laps_completed(self, keys: list[str]) -> None:
        self._dirty.update(keys)
        for key in keys:
            trace = self._traces.get(key)
            if trace is not None and self._lap_times(key)[: len(trace[0])] != trace[0]:
                self._traces.clear()  # a car's past changed (a correction): everyone's may
                break
        self._schedule()

    def _on_controller_order_changed(self) -> None:
        self._picked = [k for k in self._picked if self._controller.engine.has_car(k)]
        self._reselect = True
        self._schedule()

    def _on_controller_best_lap_set(self) -> None:
        self._best_dirty = True
        self._reselect = self._reselect or not self._picked_in_class()
        self._schedule()

    def _on_controller_session_reset(self) -> None:
        self._held = False
        self._picked = []
        self._class = ""
        self._reselect = False
        self._dirty.clear()
        self._colours.clear()
        self._traces.clear()
        self._cautions = []
        self._laps_led_known = 0
        new = self._controller.recorder is not self._source
        self._source = self._controller.recorder
        passings = self._controller.engine.passing_count()
        if passings >= (frame_throttle.DRAWN_LATER_FROM if new else SEEK_DRAWN_LATER_FROM):
            # the lap chart's restart and first paint of 2,000-lap curves (~60 ms) would hold
            # the board's first paint: charted on the turns after it
            self._later.stop()  # its steps from the first, for this session or moment
            self._later.start()
            if new:  # another session: emptied now ("Loading laps…"), not the last one's laps
                self._shown = []
                self.restarted.emit()
            return  # a replay's seek: the last moment's curves stay until then (one frame)
        self._later.stop()
        self._restart()

    def _on_later_run(self) -> None:
        """A long session's cautions (~15 ms at 24 h) in a turn of their own: its charts'
        restart and their paint (~35 ms) take the next."""
        self._refresh_cautions(force=True, quiet=True)

    def _on_later_then(self) -> None:
        self._shown = self._charted()
        self.restarted.emit()

    def _restart(self) -> None:
        self._shown = self._charted()
        self._refresh_cautions(force=True, quiet=True)
        self.restarted.emit()

    def _on_controller_flag_changed(self, _flag: object) -> None:
        self._dirty.add("")  # the cautions are looked at again on the next frame
        self._schedule()


def _parted(numbers: list[int], values: list[float] | list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Arrays for a chart line, with a NaN wherever lap numbers skip (no line across them)."""
    xs = np.asarray(numbers, dtype=float)
    ys = np.asarray(values, dtype=float)
    breaks = np.flatnonzero(np.diff(xs) != 1) + 1
    if breaks.size:
        xs = np.insert(xs, breaks, np.nan)
        ys = np.insert(ys, breaks, np.nan)
    return xs, ys
