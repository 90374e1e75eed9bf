"""The walk: the charts' legend sat inside the plot, top right, over the newest points of the
curves there, and the top ten's rows ran off a chart a few rows tall. It is now a band above
the plot: as many columns as the width takes, never over a point."""

from __future__ import annotations

import pytest
from journey import User, open_window
from race_scripts import QUARTER_MILE_RACE, field

from timingboard.engine import Flag, FlagChanged, Passing
from timingboard.store.recorder import SessionRecorder

CARS = [str(n) for n in range(1, 11)]


def legend_above_plot(chart) -> bool:
    """The legend's band above the plot, every car's name in it, all on screen."""
    plot = chart.getPlotItem()
    view = plot.getViewBox().sceneBoundingRect()
    band = plot.legend.sceneBoundingRect()
    return (
        band.height() > 0
        and view.height() > 0
        and band.bottom() <= view.top() + 1  # above the plot, not over its points
        and all(band.contains(label.sceneBoundingRect()) for _s, label in plot.legend.items)
        and chart.rect().contains(chart.mapFromScene(band).boundingRect())
    )


@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")
def test_the_legend_of_the_top_ten_is_above_the_plot_not_over_its_points(qtbot, tmp_path) -> None:
    path = tmp_path / "heat.tbs"
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    events = [*field(CARS), FlagChanged(time_ms=0, flag=Flag.GREEN)]
    for lap in range(6):
        for i, car in enumerate(CARS):
            events.append(Passing(time_ms=lap * 14_000 + i * 300 + (lap * i * 37) % 200, car=car))
    recorder.submit(events)
    recorder.close()
    user = User(qtbot, open_window(path, tmp_path / "settings.ini"))
    user.window.showNormal()  # shown by `open` (maximized on the small test screen)
    user.window.resize(1400, 900)
    user.show()
    charts = user.window.charts
    charts.scope.setCurrentIndex(charts.scope.findText("Top ten"))  # the Chart: choice
    for tab in range(2):  # lap times, positions
        charts.tabs.setCurrentIndex(tab)
        chart = charts.tabs.currentWidget()
        chart = getattr(chart, "chart", chart)  # the positions page builds its chart when shown
        plot = chart.getPlotItem()
        legend = plot.legend
        qtbot.waitUntil(lambda legend=legend: len(legend.items) == 10 and legend.isVisible())
        qtbot.waitUntil(lambda chart=chart: chart.isVisible())
        qtbot.waitUntil(lambda chart=chart: legend_above_plot(chart))
    user.window.close()
    user.window.controller.close()
