"""Lap time against lap number for the picked cars, with the session best as a line.

Whole lap numbers on the axis, times as a timing board writes them, caution and red laps
shaded, no line across laps not seen, and ranges that start again for a new session. The time
axis holds every lap of the cars picked; a pit or caution lap far off the pace is marked ▲ at
the top edge instead (the rule: :mod:`timingboard.qt.lap_range`), until the user zooms: its
car's line breaks there, and each car's ▲ shows, side by side where cars were slow on the same
lap (a caution: every car's).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg  # type: ignore[import-untyped]
from PySide6.QtCore import QEvent, QPointF, QTimer
from PySide6.QtWidgets import QLabel, QWidget

from timingboard.engine.formatting import format_lap
from timingboard.qt.frame_throttle import AfterPaint
from timingboard.qt.lap_range import LapRange, lap_range, on_scale
from timingboard.qt.lap_series import CAR_COLOURS, LapSeries
from timingboard.qt.theme import DARK, Theme
from timingboard.widgets.chart_parts import (
    CautionShading,
    ChartCurve,
    LapTimeAxis,
    WholeNumberAxis,
    add_legend,
    give_laps,
    label_legend,
    redraws_held,
    restart_curves,
    restart_range,
    style_plot,
)

HOVER_PIXELS = 12
MARKER_SIZE = 10
MARKER_GAP_PX = 1  # between the ▲ of cars off the scale on the same lap
MAX_MARKER_SPREAD = 0.9  # laps: the ▲ of one lap never reach the next lap's
VIEW_PADDING = 0.04  # the first and last points sit inside the frame, not on its edge
LAPS_A_TURN = 1_500  # a long session's laps given to its curves a turn (one car at least): a
# 24 h car's 2,000 ~3-5 ms

__all__ = ["CAR_COLOURS", "LapChart"]


LOADING_TEXT = "Loading laps…"


class LapChart(pg.PlotWidget):
    """One kept curve per charted car, updated with ``setData``; thin pens."""

    def __init__(self, series: LapSeries, parent: QWidget | None = None) -> None:
        super().__init__(
            parent,
            axisItems={"bottom": WholeNumberAxis("bottom"), "left": LapTimeAxis("left")},
        )
        self.setObjectName("lapChart")
        self.setToolTip(
            "Lap times of the cars picked in the table; shaded laps: yellow, full-course yellow"
            " or red; ▲ at the top: a pit or caution lap off the scale (hover for its time)"
        )
        self._series = series
        self._theme = DARK
        self._curves: dict[str, pg.PlotDataItem] = {}
        self._laps: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # every lap, off scale too
        self._spares: list[pg.PlotDataItem] = []  # hidden, for cars charted next
        self._range: LapRange | None = None
        self._zoomed = False  # the user zoomed or panned: the range is theirs until a new pick
        plot = self.getPlotItem()
        plot.showGrid(x=True, y=True, alpha=0.15)
        for axis in ("left", "bottom"):  # major lines only: minor ones cost ~25 ms a frame
            plot.getAxis(axis).setStyle(maxTickLevel=0)
        plot.getViewBox().setDefaultPadding(VIEW_PADDING)
        plot.setClipToView(True)
        plot.setDownsampling(auto=True, mode="peak")
        self._legend = add_legend(plot)
        self._best_line = pg.InfiniteLine(angle=0, movable=False)
        self._best_line.setVisible(False)
        plot.addItem(self._best_line, ignoreBounds=True)
        self._hover = pg.TextItem(anchor=(0, 1))
        self._hover.setVisible(False)
        plot.addItem(self._hover, ignoreBounds=True)
        self.shading = CautionShading(plot)
        self._markers = pg.ScatterPlotItem(size=MARKER_SIZE, symbol="t1", pen=None)
        self._markers.setZValue(5)
        plot.addItem(self._markers, ignoreBounds=True)
        self._marked: list[tuple[str, int, float]] = []  # car, lap, real seconds of each marker
        self._marker_xs = np.array([], dtype=float)  # where each is drawn (side by side)
        self._marker_y = 0.0
        self._marks_drawn: tuple[list[tuple[str, int, float]], float, list[float]] | None = None
        plot.getViewBox().sigRangeChangedManually.connect(self._on_view_range_changed_manually)
        plot.getViewBox().sigXRangeChanged.connect(self._on_view_x_range_changed)
        self.scene().sigMouseMoved.connect(self._on_scene_mouse_moved)
        series.selection_changed.connect(self._on_series_selection_changed)
        series.series_changed.connect(self._on_series_series_changed)
        series.session_best_changed.connect(self._on_series_session_best_changed)
        series.cautions_changed.connect(self._on_series_cautions_changed)
        series.restarted.connect(self._on_series_restarted)
        # a long session's laps are drawn a turn after its board: said meanwhile, not blank
        self.loading_label = QLabel(LOADING_TEXT, self)
        self.loading_label.setObjectName("chartLoading")
        self.loading_label.hide()
        # a long session's laps are drawn transparent (hidden, they were left out of the
        # range: no curve in sight once shown) after its legend, a car or so a turn, and
        # painted after that: the legend, the laps and their first paint of 2,000-lap curves
        # in one or two turns held the GUI thread 35-50 ms (more with more cars charted)
        self._to_draw: list[str] = []  # the cars whose laps are still to be given
        self._ranged = True  # the range was fitted to the laps to give (the first turn's work)
        self._slices = QTimer(self, singleShot=True, interval=0)  # the next turn's car
        self._slices.timeout.connect(self._on_slices_timeout)
        self._reveal = AfterPaint(self._on_reveal_timeout, self)  # before the next pane's fill
        self.set_theme(DARK)
        self._on_series_selection_changed(series.cars)
        self._on_series_session_best_changed()
        self._on_series_cautions_changed()

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.setBackground(theme.base)
        style_plot(self.getPlotItem(), theme, "Lap time")
        self._best_line.setPen(pg.mkPen(theme.session_best, width=1, style=pg.QtCore.Qt.DashLine))
        self._hover.setColor(theme.text)
        self.loading_label.setStyleSheet(f"color: {theme.text}; background: transparent;")

    def curve_data(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """What the chart's line shows for a car: lap numbers and lap times (s), NaN where a
        lap is off the scale (marked ▲ instead) or not seen."""
        x, y = self._curves[key].getOriginalDataset()  # all of it, not what is in view
        return (np.asarray(x), np.asarray(y)) if x is not None else (np.array([]), np.array([]))

    def point_colour(self, key: str) -> str:
        """The fill of a charted car's points: its class colour, or its own."""
        return pg.mkBrush(self._curves[key].opts["symbolBrush"]).color().name()

    def laps(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """Every lap of a charted car as the series gave it, off the scale too."""
        return self._laps.get(key, (np.array([]), np.array([])))

    @property
    def off_scale(self) -> list[tuple[str, int, float]]:
        """The laps marked at the top edge: car, lap number and lap time (s)."""
        return list(self._marked)

    def markers(self) -> list[tuple[float, float]]:
        """Where each ▲ of :attr:`off_scale` is drawn (x, y), in the same order."""
        x, y = self._markers.getData()
        return [(float(a), float(b)) for a, b in zip(x, y, strict=True)]

    def time_range(self) -> tuple[float, float]:
        """The lap times in view, bottom to top (s)."""
        low, high = self.getPlotItem().getViewBox().viewRange()[1]
        return float(low), float(high)

    @property
    def charted(self) -> list[str]:
        return list(self._curves)

    @property
    def hover_text(self) -> str | None:
        return self._hover.toPlainText() if self._hover.isVisible() else None

    @property
    def session_best_line(self) -> float | None:
        return float(self._best_line.value()) if self._best_line.isVisible() else None

    def _on_series_selection_changed(self, keys: list[str]) -> None:
        if set(keys) == set(self._curves) and not self._zoomed:
            return  # the same cars in another order (the leader and the best lap's holder)
        with redraws_held(self._curves.values()):
            for key in self._assign(keys):
                self._curves[key].setData(*self._drawn(key))
                if key in self._to_draw:  # a long session's laps being given: given now
                    self._to_draw.remove(key)
            self._zoomed = False  # a new pick: all its laps in view
            self._fit_times()

    def _assign(self, keys: list[str], restyle: bool = False) -> list[str]:
        """Curves of cars no longer charted are given to the cars now charted (restyled)
        rather than removed and made again; the legend is made again only when the set of cars
        changed (or ``restyle``: another session's names and classes). A leader change on a
        24 h chart: ~4 ms instead of ~40 ms. Returns the cars given a curve: they need data."""
        dropped = [k for k in self._curves if k not in keys]
        spare = [self._curves.pop(k) for k in dropped]
        for key in dropped:
            self._laps.pop(key, None)
        added = [k for k in keys if k not in self._curves]
        if restyle:
            for key, curve in self._curves.items():
                self._style_curve(curve, key)
        for key in added:
            curve = spare.pop(0) if spare else self._spare_curve()
            self._style_curve(curve, key)
            self._curves[key] = curve
        for curve in spare:
            curve.setVisible(False)  # kept for the next car charted: made again, ~5 redraws
            self._spares.append(curve)
        if added or spare or restyle:
            label_legend(self._legend, self._curves, self._series.label)
        return added

    def _spare_curve(self) -> pg.PlotDataItem:
        if self._spares:
            curve = self._spares.pop()
            curve.setVisible(True)
            return curve
        curve = ChartCurve(connect="finite")  # no line across laps not seen
        self.getPlotItem().addItem(curve)
        return curve

    def _style_curve(self, curve: pg.PlotDataItem, key: str) -> None:
        """Square points in the class colour; else round ones in the car's own colour. Set as
        options, drawn by the ``setData`` that follows (each setter would redraw the curve)."""
        colour = self._series.colour(key)
        class_colour = self._series.class_colour(key)
        curve.opts.update(
            pen=pg.mkPen(colour, width=1),
            symbol="s" if class_colour else "o",
            symbolSize=6 if class_colour else 5,
            symbolBrush=pg.mkBrush(class_colour or colour),
            symbolPen=pg.mkPen(colour, width=1) if class_colour else None,
            name=self._series.label(key),
        )

    def _on_series_series_changed(self, keys: list[str]) -> None:
        charted = [key for key in keys if key in self._curves]
        if not charted:
            return
        self._to_draw = [key for key in self._to_draw if key not in charted]  # given now
        with redraws_held(self._curves.values()):
            for key in charted:
                self._curves[key].setData(*self._drawn(key))
            self._fit_times()

    def _drawn(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """A car's laps for its line: off-scale laps are no points of it (the line breaks)."""
        x, y = self._series.laps(key)
        self._laps[key] = (x, y)
        return x, on_scale(y)

    def _on_view_range_changed_manually(self, *_args: object) -> None:
        self._zoomed = True

    def _on_view_x_range_changed(self, *_args: object) -> None:
        self._draw_marks(self._marker_y)  # side by side by pixels: the laps' width changed

    def _fit_times(self) -> None:
        """Every lap of the cars charted in view, outliers marked at the top edge."""
        keys = list(self._curves)
        data = [self.laps(key) for key in keys]
        best = self._series.session_best()
        fitted = lap_range([y for _x, y in data], best[2] if best else None)
        self._range = fitted
        self._marked = []
        if fitted is not None:
            for key, (x, y), mask in zip(keys, data, fitted.outliers, strict=True):
                laps, seconds = x[mask].astype(int).tolist(), y[mask].tolist()
                self._marked += [(key, lap, s) for lap, s in zip(laps, seconds, strict=True)]
        self._draw_marks(fitted.marker_y if fitted is not None else 0.0)
        left = self.getPlotItem().getAxis("left")
        if left.style["showValues"] != (fitted is not None):  # no lap: no times (not 0.2-0.8)
            left.setStyle(showValues=fitted is not None)
        if not self._zoomed:
            if fitted is None:
                self.getPlotItem().enableAutoRange(axis="y")
            else:
                self.getPlotItem().setYRange(fitted.low, fitted.high, padding=0)

    def _draw_marks(self, marker_y: float) -> None:
        """The ▲ markers, given again only when they moved (each one is an item's point).
        Cars off the scale on the same lap stand side by side, centred on it: drawn on one
        spot, only the last car's showed."""
        self._marker_y = marker_y
        # a car no longer charted has no ▲ (its curve went before the range was fitted again,
        # and a range change between the two drew its marks: the demo's pick raised KeyError)
        self._marked = [mark for mark in self._marked if mark[0] in self._curves]
        pixel_w = self.getPlotItem().getViewBox().viewPixelSize()[0] or 0.0
        step = (MARKER_SIZE + MARKER_GAP_PX) * pixel_w
        on_lap: dict[int, int] = {}
        for _key, lap, _s in self._marked:
            on_lap[lap] = on_lap.get(lap, 0) + 1
        xs: list[float] = []
        placed: dict[int, int] = {}
        for _key, lap, _s in self._marked:
            n, i = on_lap[lap], placed.get(lap, 0)
            placed[lap] = i + 1
            xs.append(lap + (i - (n - 1) / 2) * min(step, MAX_MARKER_SPREAD / n) if n > 1 else lap)
        drawn = (list(self._marked), marker_y, xs)
        if drawn == self._marks_drawn:
            return  # a lap's ▲ alone on it stays put whatever the range
        self._marks_drawn = drawn
        self._marker_xs = np.array(xs, dtype=float)
        brushes = {key: pg.mkBrush(self._series.colour(key)) for key in self._curves}
        self._markers.setData(
            x=self._marker_xs,
            y=np.full(len(self._marked), marker_y),
            brush=[brushes[key] for key, _lap, _s in self._marked],
        )

    def _on_series_cautions_changed(self) -> None:
        self.shading.show(self._series.cautions())

    def _on_series_restarted(self) -> None:
        """A new session (or another moment of a replay): no zoom, range or lap is kept from
        the last one; everything is drawn again once (each curve's data, the best line, the
        bands, the range), not once for each thing that changed.

        A car of the same number in the next session keeps its curve (the selection is the
        same), so its laps are set again here: the last session's car 5 is not drawn as this
        one's. The range starts empty again, not at the last session's laps.
        """
        self._hover.setVisible(False)
        came = self.loading_label.isVisible() and not self._series.loading and self.isVisible()
        self._reveal.stop()
        self._slices.stop()
        self._to_draw = []
        self._drawings().setOpacity(0.0 if came else 1.0)  # in the range, not painted
        self.loading_label.setVisible(self._series.loading or came)
        if self._series.loading:
            self.loading_label.adjustSize()
            self.loading_label.move(
                (self.width() - self.loading_label.width()) // 2,
                (self.height() - self.loading_label.height()) // 2,
            )
        self._zoomed = False
        self._assign(self._series.cars, restyle=True)  # and the legend: this session's names
        if came:  # its laps drawn on the turns after, painted then: "Loading" until then
            self._laps.clear()
            self._to_draw, self._ranged = list(self._curves), False
            self.getPlotItem().disableAutoRange()  # worked out once, with every car's laps
            self._slices.start()
            # first in the line of work after a paint from now: the next pane's fill (the
            # passings log's rows, its first paint and measure) waited for a paint only, and
            # came between these turns, a turn holding both (~35 ms of the GUI thread)
            self._reveal.start(first=True)
            return
        self._draw_all()

    def _draw_all(self) -> None:
        """Every curve's laps, the best line, the bands and the range, drawn once."""
        with redraws_held(self._curves.values()):
            self._laps.clear()
            restart_curves(self.getPlotItem(), self._curves, self._series.cars, self._drawn)
            self._draw_rest()

    def _draw_rest(self) -> None:
        """After the laps: the best line, the bands and the range."""
        self._show_best()
        self._on_series_cautions_changed()
        self._marks_drawn = None  # the colours may be others'
        self._fit_times()

    def _settle_range(self) -> None:
        """The range the laps drawn ask (auto), worked out now rather than in the paint: there
        each new range moved the curves, and asked another paint of the whole chart (the
        reveal of a 24 h session's laps was painted twice, ~10 ms each)."""
        self.getPlotItem().getViewBox().prepareForPaint()

    def _drawings(self) -> pg.ItemGroup:
        return self.getPlotItem().getViewBox().childGroup

    def _on_slices_timeout(self) -> None:
        """First every car's laps read and the range fitted to them (each curve is then
        drawn once, clipped to that range: fitted last, it drew them all again); the next
        cars' laps given (still transparent), a car or so a turn; after the last, the best
        line, the bands and the marks, painted after the next paint."""
        if not self._ranged:
            self._ranged = True
            keys = [key for key in self._to_draw if key in self._series.cars]
            lap_numbers = [self._drawn(key)[0] for key in keys]  # kept in self._laps
            seen = [x for x in lap_numbers if len(x)]
            self._fit_times()  # the lap times' range, from those laps
            if seen:
                low = min(float(np.nanmin(x)) for x in seen)
                high = max(float(np.nanmax(x)) for x in seen)
                self.getPlotItem().setXRange(low, high, padding=VIEW_PADDING)
        with redraws_held(self._curves.values()):
            given = 0
            while self._to_draw and given < LAPS_A_TURN:
                key = self._to_draw.pop(0)
                if key in self._curves:  # not dropped meanwhile (a new leader)
                    given += give_laps({key: self._curves[key]}, self._series.cars, self._given)
            if self._to_draw:
                self._slices.start()
                return
            if any(len(self.laps(key)[0]) for key in self._curves):
                self.getPlotItem().enableAutoRange(axis="x")  # as a restart leaves it
                self._show_best()
                self._on_series_cautions_changed()
                self._marks_drawn = None  # the colours may be others'
                self._draw_marks(self._marker_y)
            else:
                restart_range(self.getPlotItem(), 0)
                self._draw_rest()
        self._settle_range()
        self._reveal.start(first=True)

    def _given(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """A car's laps for its line as read for the range (:meth:`_drawn`), else read now."""
        if key not in self._laps:
            return self._drawn(key)
        x, y = self._laps[key]
        return x, on_scale(y)

    def _on_reveal_timeout(self) -> None:
        if self._to_draw or self._slices.isActive():
            self._reveal.start(first=True)  # laps still given: the line waits for them
            return
        self._settle_range()
        self._drawings().setOpacity(1.0)
        self.loading_label.hide()

    def _on_series_session_best_changed(self) -> None:
        """Move the best line; it stays in the frame."""
        self._show_best()
        with redraws_held(self._curves.values()):
            self._fit_times()

    def _show_best(self) -> None:
        best = self._series.session_best()
        self._best_line.setVisible(best is not None)
        if best is not None:
            self._best_line.setValue(best[2])

    def leaveEvent(self, event: QEvent) -> None:
        self._hover.setVisible(False)  # no stale reading left behind
        super().leaveEvent(event)

    def _on_scene_mouse_moved(self, position: QPointF) -> None:
        found = self.nearest_point(position)
        self._hover.setVisible(found is not None)
        if found is not None:
            key, lap, seconds = found
            self._hover.setText(
                f"{self._series.label(key)}\nLap {lap}: {format_lap(round(seconds * 1000))}"
            )
            shown_at = min(seconds, self._range.marker_y) if self._range else seconds
            self._hover.setPos(lap, shown_at)  # an off-scale lap reads at its marker
            self._keep_hover_inside(lap)

    def _keep_hover_inside(self, lap: float) -> None:
        """Near the right edge the reading opens to the left, not off the chart."""
        (left, right), _ = self.getPlotItem().getViewBox().viewRange()
        self._hover.setAnchor((1, 1) if lap > (left + right) / 2 else (0, 1))

    def nearest_point(self, scene_pos: QPointF) -> tuple[str, int, float] | None:
        """The charted lap nearest to a scene position, within a few pixels."""
        view = self.getPlotItem().getViewBox()
        target = view.mapSceneToView(scene_pos)
        pixel_w, pixel_h = view.viewPixelSize()
        if not pixel_w or not pixel_h:
            return None
        best: tuple[float, str, int, float] | None = None
        for key, curve in self._curves.items():
            xs, ys = curve.getData()
            if xs is None or len(xs) == 0:
                continue
            distance = np.abs(xs - target.x()) / pixel_w + np.abs(ys - target.y()) / pixel_h
            distance = np.where(np.isnan(distance), np.inf, distance)
            i = int(np.argmin(distance))
            if distance[i] <= HOVER_PIXELS and (best is None or distance[i] < best[0]):
                best = (float(distance[i]), key, int(xs[i]), float(ys[i]))
        if self._range is not None:  # a marker at the top edge reads as the lap it stands for
            for (key, lap, seconds), x in zip(self._marked, self._marker_xs, strict=True):
                distance = abs(x - target.x()) / pixel_w
                distance += abs(self._range.marker_y - target.y()) / pixel_h
                if distance <= HOVER_PIXELS and (best is None or distance < best[0]):
                    best = (distance, key, lap, seconds)
        return best[1:] if best else None
