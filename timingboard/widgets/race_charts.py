"""The race charts beside the lap-time chart: positions lap by lap, and the gap to the leader.

The position chart is the classic lap chart (P1 at the top, a line a car); the gap chart is the
race trace (seconds behind whoever completed each lap first). Both chart the cars picked in the
table, or the scope chosen above them, in the colours the lap-time chart gives them.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg  # type: ignore[import-untyped]
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from timingboard.qt.lap_series import SCOPES, LapSeries
from timingboard.qt.theme import DARK, Theme
from timingboard.widgets.chart_parts import (
    CautionShading,
    ChartCurve,
    LapTimeAxis,
    WholeNumberAxis,
    add_legend,
    label_legend,
    no_data,
    redraws_held,
    restart_curves,
    style_plot,
)
from timingboard.widgets.lap_chart import LOADING_TEXT, VIEW_PADDING, LapChart

Data = Callable[[str], tuple[np.ndarray, np.ndarray]]


class TraceChart(pg.PlotWidget):
    """A line a charted car, its data by lap from ``data``."""

    def __init__(
        self,
        series: LapSeries,
        data: Data,
        title: str,
        left_axis: pg.AxisItem,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, axisItems={"bottom": WholeNumberAxis("bottom"), "left": left_axis})
        self._series = series
        self._data = data
        self._title = title
        self._curves: dict[str, pg.PlotDataItem] = {}
        self._spares: list[pg.PlotDataItem] = []  # hidden, for cars charted next
        self._stale: set[str] = set()  # cars whose data changed while the chart was hidden
        plot = self.getPlotItem()
        plot.showGrid(x=True, y=True, alpha=0.15)
        for axis in ("left", "bottom"):
            plot.getAxis(axis).setStyle(maxTickLevel=0)
        plot.getViewBox().setDefaultPadding(VIEW_PADDING)
        plot.setClipToView(True)
        self._legend = add_legend(plot)
        self.shading = CautionShading(plot)
        series.selection_changed.connect(self._on_series_selection_changed)
        series.series_changed.connect(self._on_series_series_changed)
        series.cautions_changed.connect(self._on_series_cautions_changed)
        series.restarted.connect(self._on_series_restarted)
        # a long session's laps are charted a turn after its board: said, as the lap chart
        # says it (this tab was blank meanwhile)
        self.loading_label = QLabel(LOADING_TEXT, self)
        self.loading_label.setObjectName("chartLoading")
        self.loading_label.setVisible(series.loading)
        self.set_theme(DARK)
        self._on_series_selection_changed(series.cars)
        self._on_series_cautions_changed()

    def set_theme(self, theme: Theme) -> None:
        self.setBackground(theme.base)
        style_plot(self.getPlotItem(), theme, self._title)
        self.loading_label.setStyleSheet(f"color: {theme.text}; background: transparent;")

    def _place_loading_label(self) -> None:
        label = self.__dict__.get("loading_label")  # not yet made: resized while being built
        if isinstance(label, QLabel) and not label.isHidden():
            label.adjustSize()
            label.move((self.width() - label.width()) // 2, (self.height() - label.height()) // 2)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_loading_label()

    @property
    def charted(self) -> list[str]:
        return list(self._curves)

    def curve_data(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """What the chart shows for a car: lap numbers and its values."""
        x, y = self._curves[key].getOriginalDataset()  # all of it, not what is in view
        return (np.asarray(x), np.asarray(y)) if x is not None else (np.array([]), np.array([]))

    def _on_series_selection_changed(self, keys: list[str]) -> None:
        self._refresh(self._assign(keys))

    def _assign(self, keys: list[str], restyle: bool = False) -> list[str]:
        """Curves of cars no longer charted go to the cars now charted (see the lap chart)."""
        spare = [self._curves.pop(k) for k in [k for k in self._curves if k not in keys]]
        added = [k for k in keys if k not in self._curves]
        for key in added:
            self._curves[key] = spare.pop(0) if spare else self._spare_curve()
        for key in self._curves if restyle else added:
            colour = self._series.colour(key)
            self._curves[key].opts.update(
                pen=pg.mkPen(colour, width=2),
                symbol="o",
                symbolSize=4,
                symbolBrush=pg.mkBrush(colour),
                symbolPen=None,
                name=self._series.label(key),
            )
        for curve in spare:
            curve.setVisible(False)  # kept for the next car charted (see the lap chart)
            self._spares.append(curve)
        if added or spare or restyle:
            label_legend(self._legend, self._curves, self._series.label)
        return added

    def _spare_curve(self) -> pg.PlotDataItem:
        if self._spares:
            curve = self._spares.pop()
            curve.setVisible(True)
            return curve
        curve = ChartCurve(connect="finite")
        self.getPlotItem().addItem(curve)
        return curve

    def _on_series_series_changed(self, keys: list[str]) -> None:
        self._refresh([key for key in keys if key in self._curves])

    def _refresh(self, keys: list[str]) -> None:
        """Worked out only while the chart is seen (a 24 h race: ~12 ms a car); else later."""
        if not self.isVisible():
            self._stale.update(keys)
            return
        for key in keys:
            self._curves[key].setData(*self._data(key))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        stale, self._stale = self._stale, set()
        self._refresh([key for key in self._curves if key in stale])

    def _on_series_cautions_changed(self) -> None:
        self.shading.show(self._series.cautions())

    def _on_series_restarted(self) -> None:
        """A new session (or another moment of a replay): its own data for a car of the same
        number (once seen), no range, its bands; each drawn once. A long one's first restart
        has no car: "Loading laps…" until the next."""
        self.loading_label.setVisible(self._series.loading)
        self._place_loading_label()
        self._assign(self._series.cars, restyle=True)
        shown = self.isVisible()
        self._stale = set() if shown else set(self._curves)
        data = self._data if shown else no_data
        with redraws_held(self._curves.values()):
            restart_curves(self.getPlotItem(), self._curves, self._series.cars, data)
            label_legend(self._legend, self._curves, self._series.label)  # this session's names
        self._on_series_cautions_changed()


class PositionChart(TraceChart):
    """Position at the end of every lap; P1 at the top."""

    def __init__(self, series: LapSeries, parent: QWidget | None = None) -> None:
        super().__init__(series, series.positions, "Position", WholeNumberAxis("left"), parent)
        self.setObjectName("positionChart")
        self.setToolTip("Each picked car's position at the end of every lap (P1 at the top)")
        self.getPlotItem().invertY(True)


class GapChart(TraceChart):
    """Seconds behind the first car to complete each lap: the race trace."""

    def __init__(self, series: LapSeries, parent: QWidget | None = None) -> None:
        super().__init__(series, series.gaps, "Gap to the leader", LapTimeAxis("left"), parent)
        self.setObjectName("gapChart")
        self.setToolTip("How far each picked car was behind the leader at the end of every lap")
        self.getPlotItem().invertY(True)  # the leader's line on top, the field below
        self.getPlotItem().getViewBox().setLimits(yMin=-0.1)  # no one is ahead of the leader


class _ChartPage(QWidget):
    """A tab's page whose chart is made when it is first shown (or first asked for): a chart
    never looked at costs nothing, not even on a replay seek."""

    def __init__(self, make: Callable[[], TraceChart], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._make = make
        self._chart: TraceChart | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    @property
    def built(self) -> bool:
        return self._chart is not None

    @property
    def chart(self) -> TraceChart:
        if self._chart is None:
            self._chart = self._make()
            self._layout.addWidget(self._chart)
        return self._chart

    def showEvent(self, event: QShowEvent) -> None:
        self.chart.setVisible(True)  # made now if it was not: shown with the page
        super().showEvent(event)


class RaceCharts(QWidget):
    """The three charts as tabs, with the choice of which cars they follow."""

    def __init__(self, lap_chart: LapChart, series: LapSeries, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("raceCharts")
        self._series = series
        self._theme = DARK
        self.lap_chart = lap_chart
        self._positions = _ChartPage(lambda: self._themed(PositionChart(series)))
        self._gaps = _ChartPage(lambda: self._themed(GapChart(series)))
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(lap_chart, "Lap times")
        self.tabs.addTab(self._positions, "Positions")
        self.tabs.addTab(self._gaps, "Gaps")
        self.scope = QComboBox(self)
        self.scope.setObjectName("chartScope")
        self.scope.setToolTip("The cars charted when none is picked in the table")
        for name, text in SCOPES.items():
            self.scope.addItem(text, name)
        self.scope.currentIndexChanged.connect(self._on_scope_current_index_changed)
        corner = QWidget(self)
        row = QHBoxLayout(corner)
        row.setContentsMargins(0, 0, 6, 0)
        row.addWidget(QLabel("Chart:"))
        row.addWidget(self.scope)
        self.tabs.setCornerWidget(corner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    @property
    def positions(self) -> TraceChart:
        """The Positions chart (made now if its tab was never shown)."""
        return self._positions.chart

    @property
    def gaps(self) -> TraceChart:
        """The Gaps chart (made now if its tab was never shown)."""
        return self._gaps.chart

    def built_charts(self) -> list[pg.PlotWidget]:
        """The charts made so far: the lap-time chart, and those whose tab was shown."""
        pages = (self._positions, self._gaps)
        return [self.lap_chart, *(page.chart for page in pages if page.built)]

    def series_colour(self, key: str) -> str:
        """The colour a car is charted in (all three charts)."""
        return self._series.colour(key)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        for chart in self.built_charts():
            chart.set_theme(theme)

    def _themed(self, chart: TraceChart) -> TraceChart:
        chart.set_theme(self._theme)
        return chart

    def _on_scope_current_index_changed(self, index: int) -> None:
        self._series.set_scope(str(self.scope.itemData(index)))
