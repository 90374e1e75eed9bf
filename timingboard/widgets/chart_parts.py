"""What the race charts share: axes that read as laps and lap times, caution shading, themes."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager

import numpy as np
import pyqtgraph as pg  # type: ignore[import-untyped]
from pyqtgraph.graphicsItems.ScatterPlotItem import SymbolAtlas  # type: ignore[import-untyped]
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QSizePolicy

from timingboard.engine.events import Flag
from timingboard.qt.theme import Theme

AXIS_POINT_SIZE = 10
CAUTION_ALPHA = {Flag.YELLOW: 45, Flag.FULL_COURSE_YELLOW: 55, Flag.RED: 60}
CAUTION_COLOURS = {Flag.YELLOW: "#f2c200", Flag.FULL_COURSE_YELLOW: "#ff8f00", Flag.RED: "#d32f2f"}
LEGEND_BRUSH = (20, 24, 30, 190)  # the lines behind the legend still show through


class WholeNumberAxis(pg.AxisItem):
    """Ticks on whole numbers only (laps, positions): never "12.5"."""

    def __init__(self, orientation: str) -> None:
        super().__init__(orientation)
        self.enableAutoSIPrefix(False)  # never "(x0.001)" after the title

    def tickValues(self, low: float, high: float, size: float) -> list:
        low, high = min(low, high), max(low, high)  # an inverted axis gives them the other way
        levels = super().tickValues(low, high, size)
        if not levels:
            return levels
        spacing = max(1, math.ceil(levels[0][0]))
        first = math.ceil(low / spacing) * spacing
        values = [float(v) for v in range(int(first), math.floor(high) + 1, spacing)]
        return [(float(spacing), values)]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return [str(round(v)) for v in values]


class LapTimeAxis(pg.AxisItem):
    """Seconds as a timing board writes them: "14.5", and "1:45.500" over a minute."""

    def __init__(self, orientation: str) -> None:
        super().__init__(orientation)
        self.enableAutoSIPrefix(False)  # never "(x0.001)" after the title

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return lap_time_ticks(values, spacing)


def lap_time_ticks(values: list[float], spacing: float) -> list[str]:
    """One style for the whole axis: once a tick is a minute or more, every tick reads m:ss
    ("0:20, 0:40, 1:00"; the gap chart read "20, 40, 1:00.000"), with as many decimals as the
    spacing needs and no more."""
    # as many decimals as the spacing has (0.25 apart: "59.75", not "59.8"), at most three
    decimals = next(
        (d for d in range(3) if abs(spacing * 10**d - round(spacing * 10**d)) < 1e-6), 3
    )
    if not any(abs(v) >= 60 for v in values):
        return [f"{v:.{decimals}f}" for v in values]
    width = 2 + (decimals + 1 if decimals else 0)
    ticks = []
    for value in values:
        sign = "-" if value < 0 else ""
        minutes, seconds = divmod(round(abs(value), decimals), 60)
        ticks.append(f"{sign}{int(minutes)}:{seconds:0{width}.{decimals}f}")
    return ticks


def style_plot(plot: pg.PlotItem, theme: Theme, left: str, bottom: str = "Lap") -> None:
    """Axis titles in the text colour at a size that reads; tick labels a little dimmer."""
    font = QFont()
    font.setPointSize(AXIS_POINT_SIZE)
    for name, title in (("left", left), ("bottom", bottom)):
        axis = plot.getAxis(name)
        axis.setTextPen(theme.dim_text)
        axis.setPen(theme.grid)
        axis.setTickFont(font)
        plot.setLabel(name, title, color=theme.text, **{"font-size": f"{AXIS_POINT_SIZE + 1}pt"})


class BandLegend(pg.LegendItem):
    """A legend laid out by the plot's layout, in its band above the plot: pyqtgraph's own
    places itself (its top left at the plot's) on every row added."""

    def updateSize(self) -> None:
        self.updateGeometry()  # its size is its rows' (its own layout's hint)


def add_legend(plot: pg.PlotItem) -> pg.LegendItem:
    """A chart's legend, in a band above the plot (inside it, top right, it hid the newest
    points of a curve there, and ten cars' rows did not fit a chart a few rows tall): as many
    columns as the plot's width takes, the band as tall as its rows; hidden until it has a car
    (an empty box said nothing)."""
    legend = BandLegend(brush=LEGEND_BRUSH, horSpacing=LEGEND_SPACING)
    legend.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Maximum)  # at the right
    legend.setParentItem(plot)
    plot.legend = legend  # where pyqtgraph's own addLegend keeps it
    plot.layout.removeItem(plot.titleLabel)  # the charts have no title: the band is its row
    plot.layout.addItem(legend, 0, 1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)
    legend.setVisible(False)
    plot.getViewBox().sigResized.connect(lambda _view: fit_legend(plot, legend))
    fit_legend(plot, legend)
    return legend


LEGEND_SPACING = 4  # between a row's line sample and its name
LEGEND_GAP = 16  # between one car's name and the next car's line


def fit_legend(plot: pg.PlotItem, legend: pg.LegendItem) -> None:
    """The legend's columns to the plot's width, and its band above the plot to its rows."""
    rows = legend.items
    if not rows or not legend.isVisible():
        plot.layout.setRowFixedHeight(0, 0)
        return
    per_car = max(
        sample.minimumWidth() + LEGEND_SPACING + label.minimumWidth() + LEGEND_GAP
        for sample, label in rows
    )
    room = plot.getViewBox().width() or plot.width()
    columns = max(1, min(len(rows), int(room // max(per_car, 1.0))))
    legend.setColumnCount(columns)
    for column in range(columns):
        legend.layout.setColumnSpacing(2 * column + 1, LEGEND_GAP)  # after each name
    hint = legend.layout.effectiveSizeHint(Qt.SizeHint.PreferredSize)
    plot.layout.setRowFixedHeight(0, math.ceil(hint.height()))


def label_legend(
    legend: pg.LegendItem, curves: Mapping[str, pg.PlotDataItem], label: Callable[[str], str]
) -> None:
    """One legend row per charted car, in charting order: the rows relabelled where there are
    as many as before (~1 ms), else made again (~10 ms); shown only while it has a row."""
    legend.setVisible(bool(curves))
    rows = legend.items
    if len(rows) != len(curves):
        legend.clear()
        for key, curve in curves.items():
            legend.addItem(curve, label(key))
    else:
        for (sample, text), (key, curve) in zip(rows, curves.items(), strict=True):
            sample.item = curve
            sample.update()
            text.setText(label(key))
    plot = legend.parentItem()
    if isinstance(plot, pg.PlotItem):
        fit_legend(plot, legend)


class CautionBands(pg.GraphicsObject):
    """Every caution band of a chart as one item, full height: one paint, not one item a band
    (a 24 h race has ~60: made again on each replay seek, they cost ~45 ms a chart)."""

    def __init__(self) -> None:
        super().__init__()
        self.bands: list[tuple[float, float, QColor]] = []  # first x, last x, colour
        self._bounds = QRectF()

    def set_bands(self, bands: list[tuple[float, float, QColor]]) -> None:
        self.prepareGeometryChange()
        self.bands = bands
        self._bounds = QRectF()
        self.update()

    def viewTransformChanged(self) -> None:
        super().viewTransformChanged()
        self.prepareGeometryChange()  # full height of a view that zoomed or was resized

    def boundingRect(self) -> QRectF:
        if not self.bands:
            return QRectF()
        view = self.viewRect()
        if view is None:
            return QRectF()
        left = min(first for first, _last, _colour in self.bands)
        right = max(last for _first, last, _colour in self.bands)
        bounds = QRectF(left, view.top(), right - left, view.height()).normalized()
        if bounds != self._bounds:
            self.prepareGeometryChange()
            self._bounds = bounds
        return bounds

    def paint(self, painter: QPainter, *_args: object) -> None:
        bounds = self.boundingRect()
        painter.setPen(Qt.PenStyle.NoPen)
        for first, last, colour in self.bands:
            painter.setBrush(colour)
            painter.drawRect(QRectF(first, bounds.top(), last - first, bounds.height()))


class CautionShading:
    """Yellow, full-course yellow (amber) and red bands behind the laps run under those flags."""

    def __init__(self, plot: pg.PlotItem) -> None:
        self._runs: list[tuple[int, int, Flag]] = []
        self._bands = CautionBands()
        self._bands.setZValue(-10)
        plot.addItem(self._bands, ignoreBounds=True)

    @property
    def shaded(self) -> list[tuple[float, float, str]]:
        """Each band's first and last x and its colour, as drawn."""
        return [(first, last, colour.name()) for first, last, colour in self._bands.bands]

    def show(self, runs: list[tuple[int, int, Flag]]) -> None:
        """The bands of these runs of laps; nothing is done when they are the ones shown."""
        if runs == self._runs:
            return
        self._runs = list(runs)
        bands = []
        for first, last, flag in runs:
            colour = QColor(CAUTION_COLOURS[flag])
            colour.setAlpha(CAUTION_ALPHA[flag])
            bands.append((first - 0.5, last + 0.5, colour))
        self._bands.set_bands(bands)


class SharedStyleAtlas(SymbolAtlas):
    """pyqtgraph's atlas of drawn symbols, where points all drawn alike (a curve's: one symbol,
    size, pen and brush) are placed at once: its own look-up made a key of each point in
    Python, ~0.5 ms of the ~2.5 of each ``setData`` of a 2,000-lap curve (a 24 h car's)."""

    def __getitem__(self, styles: list[tuple[object, ...]]) -> list[object]:
        if len(styles) > 1 and styles.count(styles[0]) == len(styles):
            return super().__getitem__(styles[:1]) * len(styles)
        return super().__getitem__(styles)


class ChartCurve(pg.PlotDataItem):
    """A chart's line for one car whose redraw can be held while its data and the view's range
    change together. pyqtgraph redraws a curve (its line and each of its points) on every
    ``setData`` and on every range change (clipped to the view, downsampled): a seek set the
    data, an empty range and the lap times' range, three redraws a curve where one does.

    Held, the curve's bounds are its last drawn data's: the lap range (auto) is worked out
    after it is let go (when painted), not within. A hidden curve (a spare kept for the next
    car charted) is not redrawn at all: it is given its data when it is shown again.

    Nor is it redrawn when what it shows stayed the same: a range that moved without clipping
    or thinning its points otherwise (the lap range fitted when a seek's board is painted, a
    frame's new lap widening it) gave every point again (~3 ms a 1,000-lap curve)."""

    def __init__(self, **options: object) -> None:
        self.held = False
        self.stale = False
        self._drawn: tuple[tuple[object, ...], np.ndarray, np.ndarray] | None = None
        super().__init__(**options)  # draws it (empty) once
        atlas = SharedStyleAtlas()
        atlas.setDevicePixelRatio(self.scatter.fragmentAtlas.devicePixelRatio())
        self.scatter.fragmentAtlas = atlas

    def updateItems(self, styleUpdate: bool = True) -> None:  # noqa: N803 (pyqtgraph's name)
        if self.held or not self.isVisible():
            self.stale = True  # drawn once, when let go (a spare hidden: given data first)
            return
        self.stale = False
        style = tuple(self.opts.get(key) for key in _DRAWN_OPTIONS)
        x, y = self.getData()  # what it shows: clipped to the view, downsampled
        drawn, self._drawn = self._drawn, None
        if x is None or y is None:
            super().updateItems(styleUpdate)
            return
        if drawn is not None and _same(drawn[0], style) and _same_points(drawn[1:], (x, y)):
            self._drawn = drawn  # the range moved, what it shows did not: not drawn again
            return
        super().updateItems(styleUpdate)
        self._drawn = (style, x, y)

    def clear(self) -> None:
        self._drawn = None  # its line and points emptied: drawn again whatever comes next
        super().clear()


# what a curve is drawn with: drawn again when any is another object than it was drawn with
_DRAWN_OPTIONS = (
    *("pen", "shadowPen", "fillLevel", "fillOutline", "fillBrush", "antialias", "connect"),
    *("stepMode", "skipFiniteCheck", "symbolPen", "symbolBrush", "symbol", "symbolSize"),
    *("data", "pxMode", "useCache"),
)


def _same(a: tuple[object, ...], b: tuple[object, ...]) -> bool:
    plain = str | int | float
    return all(x is y or (isinstance(x, plain) and x == y) for x, y in zip(a, b, strict=True))


def _same_points(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> bool:
    return all(
        p is q or (p.shape == q.shape and np.array_equal(p, q, equal_nan=True))
        for p, q in zip(a, b, strict=True)
    )


@contextmanager
def redraws_held(curves: Iterable[pg.PlotDataItem]) -> Iterator[None]:
    """Within: data and ranges change, no curve is redrawn; after: each changed one once."""
    held = [curve for curve in curves if isinstance(curve, ChartCurve)]
    for curve in held:
        curve.held = True
    try:
        yield
    finally:
        for curve in held:
            curve.held = False
            if curve.stale:
                curve.stale = False
                curve.updateItems()


EMPTY_RANGE = (0.0, 1.0)  # a chart with no laps yet: not the last session's axes


def no_data(_key: str) -> tuple[np.ndarray, np.ndarray]:
    return np.array([]), np.array([])


def restart_curves(
    plot: pg.PlotItem,
    curves: dict[str, pg.PlotDataItem],
    charted: list[str],
    data: Callable[[str], tuple[np.ndarray, np.ndarray]],
) -> None:
    """After another session was loaded: the kept curves get its data (a car of the same
    number keeps its curve, not its laps; none for cars not charted now, dropped next), and
    the view starts again from an empty range (none kept from the last session); a view with
    points to show goes straight to theirs (an empty range first moved the axes, every item
    and the curves once more for nothing, on every replay seek)."""
    restart_range(plot, give_laps(curves, charted, data))


def give_laps(
    curves: Mapping[str, pg.PlotDataItem],
    charted: list[str],
    data: Callable[[str], tuple[np.ndarray, np.ndarray]],
) -> int:
    """Each curve its car's laps (none for a car not charted now): the points given."""
    shown = set(charted)
    points = 0
    for key, curve in curves.items():
        x, y = data(key) if key in shown else no_data(key)
        curve.setData(x, y)
        points += len(x)
    return points


def restart_range(plot: pg.PlotItem, points: int) -> None:
    """The view's range from the laps given (``points`` of them), none kept from before."""
    if not points:
        plot.getViewBox().setRange(xRange=EMPTY_RANGE, yRange=EMPTY_RANGE, padding=0)
    plot.enableAutoRange()
