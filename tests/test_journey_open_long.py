"""A long session opened as an operator opens it: File ▸ Open shows its board first, from the rows
its snapshot kept, while the rest of it is read in a worker; then the charts and the passings log
fill in. ``timingboard open FILE`` shows the same board, charts and log.

A 24-hour session's figures are in ``benchmarks/bench_gui_stall.py --only open`` (and
``--only command``); here a short race stands in for it: the thresholds that make a session
"long" are lowered.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from journey import User, file_dialog_answer, new_session_window, settings_at
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from race_scripts import QUARTER_MILE_QUALIFYING, QUARTER_MILE_RACE, three_car_race

from timingboard.app import background_open
from timingboard.app.main_window import MainWindow
from timingboard.app.run import build_opening_window, build_session_window
from timingboard.qt import frame_throttle
from timingboard.qt.leaderboard_model import Column
from timingboard.store import SessionRecorder, recorder
from timingboard.store.session_file import SessionFileError
from timingboard.text.board_text import display_text
from timingboard.widgets.lap_chart import LOADING_TEXT
from timingboard.widgets.passings_log import LOADING_TEXT as PASSINGS_LOADING

JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")
SHOWN = (Column.POSITION, Column.CAR, Column.LAPS, Column.LAST_LAP)


@pytest.fixture(autouse=True)
def _every_session_is_long(monkeypatch):
    """The paths a 24-hour session takes (read in a worker, shown from its snapshot with the
    log checked after, its lap chart drawn after its board), for a short race."""
    monkeypatch.setattr(background_open, "IN_WORKER_FROM", 1)
    monkeypatch.setattr(recorder, "CHECK_LATER_FROM", 1)
    monkeypatch.setattr(frame_throttle, "DRAWN_LATER_FROM", 1)


def _race(path: Path) -> list[list[str]]:
    """A three-car race saved (its snapshot kept on close); its board's rows as the cells
    rebuilt from its log show them."""
    made = SessionRecorder.create(path, QUARTER_MILE_RACE)
    made.submit(three_car_race())
    made.close()
    return [[row[c] for c in SHOWN] for row in _texts(SessionRecorder.open(path, read_only=True))]


def _texts(source: SessionRecorder) -> list[dict[Column, str]]:
    try:
        return [{c: display_text(s, c) for c in SHOWN} for s in source.engine.standings()]
    finally:
        source.close()


def _board(user: User) -> list[list[str]]:
    rows = user.window.board.model().rowCount()
    return [[user.cell(row, column) for column in SHOWN] for row in range(rows)]


def _charts_and_log_filled(user: User) -> bool:
    window = user.window
    series, chart = window.series, window.chart
    if series.loading or chart.loading_label.isVisible() or not series.cars:
        return False
    drawn = all(len(chart.curve_data(key)[0]) > 0 for key in series.cars)
    passings = window.controller.engine.passing_count()
    return drawn and passings > 0 and window.passings_model.rowCount() == passings


@JOURNEY_LOG
def test_file_open_paints_the_board_first_then_fills_the_charts_and_log(
    qtbot, tmp_path: Path, dialogs
) -> None:
    path = tmp_path / "race.tbs"
    expected = _race(path)
    user = new_session_window(qtbot, tmp_path, QUARTER_MILE_QUALIFYING, "practice.tbs")
    assert _board(user) == []  # a new session: no car yet
    seen: dict[str, object] = {}

    def on_board_read(*_: object) -> None:  # what the window shows the moment the rows came
        seen["board"] = _board(user)
        seen["passings"] = user.window.controller.engine.passing_count()
        seen["status"] = user.status()
        seen["header"] = user.window.header.session.text()
        seen["clock shown"] = user.window.header.clock.isVisible()

    def on_session_opened(_path: str) -> None:
        seen["loading"] = user.window.chart.loading_label.isVisible()
        seen["loading text"] = user.window.chart.loading_label.text()

    user.window.session_actions.background.board_read.connect(on_board_read)
    user.window.session_actions.session_opened.connect(on_session_opened)
    dialogs.expect(QFileDialog, file_dialog_answer(user, path))
    with qtbot.waitSignal(user.window.session_actions.session_opened, timeout=20_000):
        user.choose("File", "Open session")
    assert dialogs.unexpected == []
    # the board's rows came before the session itself: the practice was still in the engine
    assert seen["board"] == expected
    assert seen["passings"] == 0
    assert seen["status"] == "Opening race.tbs…"
    assert seen["header"] == "Opening race.tbs…"  # not the practice's name over the race's board
    assert seen["clock shown"] is False
    # the lap chart said it was loading while the board was painted first
    assert seen["loading"] is True
    assert seen["loading text"] == LOADING_TEXT
    qtbot.waitUntil(lambda: _charts_and_log_filled(user), timeout=10_000)
    assert _board(user) == expected
    assert "race.tbs" in user.window.windowTitle()
    assert user.window.header.session.text() == QUARTER_MILE_RACE.name
    assert user.window.header.clock.isVisible()
    qtbot.waitUntil(lambda: not user.window.controller.recorder.checking, timeout=10_000)
    user.window.close()


class _Resizes(QObject):
    """Counts the resizes of a widget (each one paints it whole again)."""

    def __init__(self) -> None:
        super().__init__()
        self.sizes: list[tuple[int, int]] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.sizes.append(event.size().toTuple())  # type: ignore[attr-defined]
        return False


@JOURNEY_LOG
def test_the_board_shown_ahead_keeps_its_size_when_the_session_comes(
    qtbot, tmp_path: Path, dialogs
) -> None:
    """The header says "Opening…" over the board shown ahead, as high as before, and its
    labels come back before it lets go of that height: the board is not resized (and painted
    whole again) in the turn the session is shown, the open's longest (from the rows shown
    ahead to the session shown, ``session_opened``)."""
    path = tmp_path / "race.tbs"
    expected = _race(path)
    user = new_session_window(qtbot, tmp_path, QUARTER_MILE_QUALIFYING, "practice.tbs")
    resizes = _Resizes()
    viewport = user.window.board.viewport()
    actions = user.window.session_actions
    actions.background.board_read.connect(lambda *_: viewport.installEventFilter(resizes))
    actions.session_opened.connect(lambda _path: viewport.removeEventFilter(resizes))
    dialogs.expect(QFileDialog, file_dialog_answer(user, path))
    with qtbot.waitSignal(actions.session_opened, timeout=20_000):
        user.choose("File", "Open session")
    qtbot.waitUntil(lambda: _charts_and_log_filled(user), timeout=10_000)
    assert _board(user) == expected
    assert user.window.header.clock.isVisible()
    assert resizes.sizes == []
    qtbot.waitUntil(lambda: not user.window.controller.recorder.checking, timeout=10_000)
    user.window.close()


@JOURNEY_LOG
def test_a_file_whose_board_came_but_not_the_rest_puts_the_board_back(
    qtbot, tmp_path: Path, dialogs, monkeypatch
) -> None:
    """The rows shown ahead are never left standing for a session that was not opened."""
    path = tmp_path / "race.tbs"
    expected = _race(path)
    user = new_session_window(qtbot, tmp_path, QUARTER_MILE_QUALIFYING, "practice.tbs")
    opened = background_open._session

    def board_then_fail(path: str, on_board=None) -> SessionRecorder:
        def told(rows: list) -> None:
            assert on_board is not None
            on_board(rows)
            raise SessionFileError(f"{path} could not be read (the disk went away)")

        return opened(path, told)

    monkeypatch.setattr(background_open, "_session", board_then_fail)
    seen: list[list[list[str]]] = []
    user.window.session_actions.background.board_read.connect(lambda *_: seen.append(_board(user)))
    explained: list[str] = []
    dialogs.expect(QFileDialog, file_dialog_answer(user, path))
    dialogs.expect(QMessageBox, lambda box: (explained.append(box.text()), box.accept()))
    user.choose("File", "Open session")
    qtbot.waitUntil(lambda: bool(explained), timeout=20_000)
    assert seen == [expected]
    assert "the disk went away" in explained[0]
    assert _board(user) == []  # the practice's board again: nothing of the race left
    assert "practice.tbs" in user.window.windowTitle()
    assert user.window.header.session.text() == QUARTER_MILE_QUALIFYING.name
    assert dialogs.unexpected == []
    user.window.close()


@JOURNEY_LOG
def test_timingboard_open_shows_the_window_at_once_then_the_board_charts_and_log(
    qtbot, tmp_path: Path
) -> None:
    """``timingboard open`` of a long file: the window first, on an empty session named for the
    file, the file read as File ▸ Open reads it (its board from its snapshot's rows first)."""
    path = tmp_path / "race.tbs"
    expected = _race(path)
    folder = tmp_path / "scratch"
    folder.mkdir()
    seen: list[tuple[str, bool, list[list[str]]]] = []
    windows: list[MainWindow] = []

    def on_board_read(*_: object) -> None:  # what the window shows the moment the rows came
        window = windows[0]
        seen.append((window.header.session.text(), window.isVisible(), _board(User(qtbot, window))))

    built = MainWindow.__init__

    def watched(self: MainWindow, *args: object) -> None:  # the window the command builds
        built(self, *args)
        windows.append(self)
        self.session_actions.background.board_read.connect(on_board_read)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(MainWindow, "__init__", watched)
        window = build_opening_window(str(path), settings_at(tmp_path / "settings.ini"), folder)
    assert isinstance(window, MainWindow)
    user = User(qtbot, window)
    qtbot.addWidget(window)
    assert seen == [("Opening race.tbs…", True, expected)]  # the window up before the session
    assert _board(user) == expected
    assert "race.tbs" in window.windowTitle()
    qtbot.waitUntil(lambda: _charts_and_log_filled(user), timeout=10_000)
    qtbot.waitUntil(lambda: not window.controller.recorder.checking, timeout=10_000)
    window.close()
    window.controller.close()


def test_timingboard_open_of_a_long_file_that_cannot_be_read_says_so(
    qtbot, tmp_path: Path, monkeypatch, capsys
) -> None:
    path = tmp_path / "race.tbs"
    _race(path)

    def fail(path: str, on_board=None) -> SessionRecorder:
        raise SessionFileError(f"{path} could not be read (the disk went away)")

    monkeypatch.setattr(background_open, "_session", fail)
    folder = tmp_path / "scratch"
    folder.mkdir()
    window = build_opening_window(str(path), settings_at(tmp_path / "settings.ini"), folder)
    assert window == 2
    assert "the disk went away" in capsys.readouterr().err
    assert QApplication.topLevelWidgets() == [] or not any(
        w.isVisible() for w in QApplication.topLevelWidgets()
    )


@JOURNEY_LOG
def test_timingboard_open_of_a_short_file_shows_the_board_charts_and_log(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(background_open, "IN_WORKER_FROM", 1 << 40)  # read before the window
    path = tmp_path / "race.tbs"
    expected = _race(path)
    # as ``run_session`` builds it
    window = build_session_window(
        SessionRecorder.open(path, check_later=True), settings_at(tmp_path / "settings.ini")
    )
    user = User(qtbot, window)
    user.show()
    assert _board(user) == expected
    qtbot.waitUntil(lambda: _charts_and_log_filled(user), timeout=10_000)
    qtbot.waitUntil(lambda: not window.controller.recorder.checking, timeout=10_000)
    window.close()
    window.controller.close()


def _panes(user: User) -> dict[str, tuple[bool, str, int]]:
    """Each pane filled after the board: whether it says it is loading, what, and what it
    shows (the log's rows; the lap chart's cars with their laps drawn and shown)."""
    window = user.window
    chart, log = window.chart, window.passings_log
    drawn = chart.getPlotItem().getViewBox().childGroup.opacity() > 0
    cars = [k for k in window.series.cars if drawn and len(chart.curve_data(k)[0]) > 0]
    return {
        "passings": (
            log.loading_label.isVisible(),
            log.loading_label.text(),
            log.model().rowCount(),
        ),
        "laps": (chart.loading_label.isVisible(), chart.loading_label.text(), len(cars)),
    }


@JOURNEY_LOG
def test_each_pane_says_it_is_loading_until_it_fills_in_never_the_session_before(
    qtbot, tmp_path: Path, dialogs
) -> None:
    """From one long session to another: the passings log and the lap chart each fill in on
    a turn of their own after the new board's paint, saying "Loading…" until then; no paint
    of either shows the session before's rows or laps under the new board."""
    first, second = tmp_path / "race.tbs", tmp_path / "final.tbs"
    _race(first)
    made = SessionRecorder.create(second, QUARTER_MILE_RACE)
    made.submit(three_car_race()[:-3])  # fewer passings than the first: told apart
    made.close()
    user = new_session_window(qtbot, tmp_path, QUARTER_MILE_QUALIFYING, "practice.tbs")
    dialogs.expect(QFileDialog, file_dialog_answer(user, first))
    user.choose("File", "Open session")
    qtbot.waitUntil(lambda: _charts_and_log_filled(user), timeout=10_000)
    before = user.window.passings_model.rowCount()
    painted: dict[str, list[tuple[bool, str, int]]] = {"passings": [], "laps": []}
    at_open: dict[str, tuple[bool, str, int]] = {}

    class Paints(QObject):  # what each pane shows at each of its paints from the switch on
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if at_open and event.type() == QEvent.Type.Paint:
                pane = "passings" if watched is user.window.passings_log.viewport() else "laps"
                painted[pane].append(_panes(user)[pane])
            return False

    paints = Paints()
    for viewport in (user.window.passings_log.viewport(), user.window.chart.viewport()):
        viewport.installEventFilter(paints)
    user.window.session_actions.session_opened.connect(lambda _path: at_open.update(_panes(user)))
    dialogs.expect(QFileDialog, file_dialog_answer(user, second))
    user.choose("File", "Open session")
    qtbot.waitUntil(lambda: bool(at_open), timeout=20_000)
    passings = user.window.controller.engine.passing_count()
    assert 0 < passings < before
    assert at_open == {"passings": (True, PASSINGS_LOADING, 0), "laps": (True, LOADING_TEXT, 0)}
    qtbot.waitUntil(lambda: _panes(user)["passings"][::2] == (False, passings), timeout=10_000)
    qtbot.waitUntil(lambda: _panes(user)["laps"][0] is False, timeout=10_000)
    assert _panes(user)["laps"][2] == len(user.window.series.cars) > 0
    chart = user.window.chart
    low, high = chart.getPlotItem().getViewBox().viewRange()[0]
    for key in user.window.series.cars:  # in sight: the range made for its laps, not for none
        laps = chart.curve_data(key)[0]
        assert low <= laps.min() and laps.max() <= high, (key, low, high)
    assert _charts_and_log_filled(user)
    for pane, text in (("passings", PASSINGS_LOADING), ("laps", LOADING_TEXT)):
        # each paint: its loading text over nothing, or the new session whole
        assert painted[pane], pane
        for loading, said, shown in painted[pane]:
            assert (loading, said, shown) == (True, text, 0) or not loading, (pane, painted)
    assert set(painted["passings"]) <= {
        (True, PASSINGS_LOADING, 0),
        (False, PASSINGS_LOADING, passings),
    }
    qtbot.waitUntil(lambda: not user.window.controller.recorder.checking, timeout=10_000)
    user.window.close()


@JOURNEY_LOG
def test_a_pane_whose_fill_fails_leaves_the_passings_log_to_fill_in(
    qtbot, tmp_path: Path, dialogs, monkeypatch, caplog
) -> None:
    """The lap chart's first step after the board's paint raised: it stood first in the line of
    work after the paint for ever, and the Passings log said "Loading…" until the window closed.
    Now the failure is logged, the chart's work dropped, and the log fills in."""
    from timingboard.qt.lap_series import LapSeries

    def broken(self: LapSeries) -> None:
        raise RuntimeError("a chart that cannot be drawn")

    monkeypatch.setattr(LapSeries, "_on_later_run", broken)
    path = tmp_path / "race.tbs"
    expected = _race(path)
    user = new_session_window(qtbot, tmp_path, QUARTER_MILE_QUALIFYING, "practice.tbs")
    dialogs.expect(QFileDialog, file_dialog_answer(user, path))
    with qtbot.waitSignal(user.window.session_actions.session_opened, timeout=20_000):
        user.choose("File", "Open session")
    window = user.window
    passings = window.controller.engine.passing_count()
    qtbot.waitUntil(lambda: window.passings_model.rowCount() == passings > 0, timeout=10_000)
    assert user.passings(0)[0] != PASSINGS_LOADING
    assert _board(user) == expected
    assert "a chart that cannot be drawn" in caplog.text  # said, not swallowed
    assert not window.series.loading  # out of the line
    assert dialogs.unexpected == []
    qtbot.waitUntil(lambda: not window.controller.recorder.checking, timeout=10_000)
    window.close()
