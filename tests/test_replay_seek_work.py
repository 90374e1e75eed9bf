"""The work a replay seek does, counted: what the window draws again must not silently grow.

A seek used to draw every chart several times over (once per signal of the restart: curves,
selection, best lap, cautions, twice each band set made of one item a band) and to build charts
no one looked at. These counts are of the real window replaying a saved session, seeking as the
replay bar does; each is what one seek needs, not a timing. The passings log, ordered once
for the session and filtered at each seek, shows the rows a log made afresh shows.
"""

from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg  # type: ignore[import-untyped]
import pytest
from PySide6.QtCore import QEvent, QObject, QSettings
from PySide6.QtWidgets import QApplication

from timingboard.app.run import build_replay_window
from timingboard.demo.endurance import Workload, generate
from timingboard.engine import Flag
from timingboard.qt import lap_series
from timingboard.qt.passings_model import PassingRole, PassingsModel
from timingboard.store import SessionRecorder
from timingboard.store.replay_source import ReplaySource

RACE = Workload("seek work", 12, 60, 60_000, 2.5)


@pytest.fixture
def race_file(tmp_path: Path) -> Path:
    settings, events = generate(RACE)
    path = tmp_path / "race.tbs"
    recorder = SessionRecorder.create(path, settings)
    for start in range(0, len(events), 500):
        recorder.submit(events[start : start + 500])
    recorder.close()
    return path


class Counts:
    """Calls of a few pyqtgraph methods, by name."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: dict[str, int] = {}
        for cls, name in (
            (pg.PlotDataItem, "setData"),
            (pg.PlotDataItem, "updateItems"),
            (pg.ScatterPlotItem, "setData"),
        ):
            self._count(monkeypatch, cls, name)

    def _count(self, monkeypatch: pytest.MonkeyPatch, cls: type, name: str) -> None:
        method = getattr(cls, name)
        key = f"{cls.__name__}.{name}"

        def counted(item: object, *args: object, **kwargs: object) -> object:
            self.calls[key] = self.calls.get(key, 0) + 1
            return method(item, *args, **kwargs)

        monkeypatch.setattr(cls, name, counted)

    def take(self) -> dict[str, int]:
        taken, self.calls = self.calls, {}
        return taken


class Paints(QObject):
    """Counts the paints of a widget."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def _log_ids(model: PassingsModel) -> list[int]:
    """The passings log's rows, top to bottom, by passing id."""
    return [model.index(r, 0).data(PassingRole.PASSING_ID) for r in range(model.rowCount())]


def _painted(qtbot, window, paints: Paints) -> None:
    """Until the seek reached the screen: the board painted, then the whole window."""
    before = paints.count
    qtbot.waitUntil(lambda: paints.count > before)
    window.grab()  # the rest of the window painted now, as its frame would


def test_a_seek_draws_each_chart_once(race_file, tmp_path, qtbot, monkeypatch) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = build_replay_window(ReplaySource.open(race_file), 0, False, settings)
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    driver = window.replay.driver
    timeline = driver.source.timeline
    assert any(flag is Flag.YELLOW for _a, _b, flag in timeline.flag_periods())
    resets: list[str] = []
    for name, model in (("board", window.board_model), ("passings", window.passings_model)):
        model.modelAboutToBeReset.connect(lambda name=name: resets.append(name))
    paints = Paints()
    window.board.viewport().installEventFilter(paints)
    counts = Counts(monkeypatch)
    chart = window.charts.lap_chart
    moments = [timeline.duration_ms * share // 8 for share in (6, 3, 7, 2, 5)]
    for moment in moments:  # once round: the curves the charts need are made (kept after)
        driver.seek(moment)
        _painted(qtbot, window, paints)
    previous, banded = moments[-1], False
    for moment in moments:
        resets.clear()
        counts.take()
        driver.seek(moment)
        _painted(qtbot, window, paints)
        work = counts.take()
        curves = len(chart.charted)
        assert 1 <= curves <= 2  # the leader and the best lap's holder
        assert work.get("PlotDataItem.setData", 0) == curves, work  # each curve its data once
        # back: drawn once held (data and ranges), not again when its lap range is fitted
        # (the same points shown); ahead (the log applied on): a frame of new laps may redraw
        # it once more
        drawn = work.get("PlotDataItem.updateItems", 0)
        assert drawn <= (1 if moment < previous else 2) * curves, work
        # each curve's points once a drawing; the ▲ markers once a pick and once new laps
        assert work.get("ScatterPlotItem.setData", 0) <= drawn + 2, work
        if moment < previous:  # back: from a checkpoint, the models reset (once each)
            assert sorted(resets) == ["board", "passings"], resets
        assert len(resets) == len(set(resets)), resets
        assert _log_ids(window.passings_model) == _log_ids(PassingsModel(window.controller))
        previous = moment
        assert len(chart.shading.shaded) == len(window.series.cautions())
        banded = banded or bool(chart.shading.shaded)
        items = chart.getPlotItem().items
        assert not [i for i in items if isinstance(i, pg.LinearRegionItem)]
    assert banded  # yellow laps were shaded: by one item, not one a band
    # the Positions and Gaps tabs were never shown: their charts were never made
    assert window.findChildren(pg.PlotWidget) == [chart]
    window.charts.tabs.tabBar().setCurrentIndex(1)  # the Positions tab, as a click picks it
    qtbot.waitUntil(lambda: window.charts.positions.isVisible())
    assert window.charts.positions.charted == chart.charted
    driver.close()
    window.close()
    window.controller.close()


def _charted(window) -> dict[str, tuple[list[float], list[float]]]:
    """What the lap chart shows: each charted car's points (NaN, a break, as None)."""
    chart = window.charts.lap_chart
    shown = {}
    for key in chart.charted:
        x, y = chart.curve_data(key)
        shown[key] = tuple([None if v != v else float(v) for v in a] for a in (x, y))
    return shown


def test_a_long_sessions_seek_paints_the_board_before_its_chart(
    race_file, tmp_path, qtbot, monkeypatch
) -> None:
    """A long session's seek: the board is painted first with the moment sought (the chart's
    restart held it ~20-50 ms at 24 h), then the chart shows what a window opened at that
    moment shows."""
    monkeypatch.setattr(lap_series, "SEEK_DRAWN_LATER_FROM", 1)  # it stands for a long one
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = build_replay_window(ReplaySource.open(race_file), 0, False, settings)
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    driver = window.replay.driver
    duration = driver.source.timeline.duration_ms
    paints = Paints()
    window.board.viewport().installEventFilter(paints)
    restarted_after: list[int] = []  # the board's paints by then
    window.series.restarted.connect(lambda: restarted_after.append(paints.count))
    for moment in (duration * 7 // 8, duration * 3 // 8):  # ahead, then back (a checkpoint)
        driver.seek(moment)
        qtbot.waitUntil(lambda: not window.series.loading and bool(restarted_after))
        window.grab()
        assert restarted_after[0] >= 1  # the board was painted before the chart restarted
        assert not window.charts.lap_chart.loading_label.isVisible()  # no "Loading laps…"
        fresh = build_replay_window(
            ReplaySource.open(race_file),
            moment,
            False,
            QSettings(str(tmp_path / "fresh.ini"), QSettings.Format.IniFormat),
        )
        qtbot.addWidget(fresh)
        qtbot.waitUntil(lambda fresh=fresh: not fresh.series.loading and bool(fresh.series.cars))
        assert window.series.cars == fresh.series.cars
        assert _charted(window) == _charted(fresh)
        assert _charted(window)  # a car charted, its laps drawn
        fresh.replay.driver.close()
        fresh.close()
        fresh.controller.close()
        restarted_after.clear()
        paints.count = 0
    driver.close()
    window.close()
    window.controller.close()


def test_a_seek_paints_the_board_once_though_its_columns_were_fitted_again(
    race_file, tmp_path, qtbot
) -> None:
    """The columns fitted to the moment sought are painted by the seek's own paint: the table,
    told of each resize, painted the whole board again a turn later (~8-15 ms a seek at 24 h)."""
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = build_replay_window(ReplaySource.open(race_file), 0, False, settings)
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    driver = window.replay.driver
    duration = driver.source.timeline.duration_ms
    board = window.board
    for _ in range(20):  # the window's first paints done with
        QApplication.processEvents()
    paints = Paints()
    board.viewport().installEventFilter(paints)
    resized = 0
    for share in (7, 1, 6, 2, 8, 3):
        widths = [board.columnWidth(c) for c in range(board.model().columnCount())]
        size, before = board.viewport().size(), paints.count
        driver.seek(duration * share // 8)
        qtbot.waitUntil(lambda before=before: paints.count > before)
        for _ in range(20):  # the turns after it: the table's own timers, any paint they ask
            QApplication.processEvents()
        if board.viewport().size() == size:  # (a board resized is painted again, rightly)
            assert paints.count == before + 1
        resized += widths != [board.columnWidth(c) for c in range(board.model().columnCount())]
        assert not board.horizontalScrollBar().isVisible()  # its geometry set with the widths
    assert resized  # columns were fitted again
    driver.close()
    window.close()
    window.controller.close()
