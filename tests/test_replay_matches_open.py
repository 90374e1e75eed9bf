"""Replay to a moment shows the board the file shows (issue: replay ≠ open).

A car that took the checkered flag on the leader's lap count, the leader then completing one more
lap, read its gap in time on a replay played to the end ("+1:24.086" on the Road America GP
race) and "+1 lap" on the same file opened, and on the results sheet: its row, built while the
leader was on its lap, was not worked out again when the leader completed the next. The board
kept up as a replay plays must be the board worked out from scratch, cell by cell.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import SHARED_FEEDS
from journey import FakeTime, open_window, settings_at
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionViewItem
from race_scripts import field

from timingboard.app.run import build_replay_window
from timingboard.demo.clash import HEAT_LAPS, HEATS, heat_race, qualifying
from timingboard.engine import Flag, FlagChanged, Passing, SessionKind, SessionSettings
from timingboard.engine.lineups import LineupRequest, LineupRule
from timingboard.qt.demo_runner import HEAT_NAME
from timingboard.qt.leaderboard_model import CROSSED_HIGHLIGHT_MS
from timingboard.qt.replay_driver import SPEEDS
from timingboard.store import SessionRecorder, closing
from timingboard.store.progression import write_next
from timingboard.store.replay_source import ReplaySource
from timingboard.text.board_columns import Column

GP_RACE = SHARED_FEEDS / "redmist_roadamerica_2025-04-25_fullday.txt"
OUTPUT = "imp/ra-09-gp1-gp2-gp3.tbs"  # as the walk typed it
RACE = SessionKind.RACE
EARLY_CHECKERED = SessionSettings(name="Early flag", kind=SessionKind.RACE, min_lap_ms=20_000)


def early_checkered_events() -> list:
    """Car 1 leads on 60 s laps; the checkered is shown at 2:05, before it comes round again;
    cars 3 and 2, on its lap count, take it at 2:06 and 2:07 (finished, 6 and 7 s behind on
    that lap); car 1 then completes lap 3 at 3:00: cars 3 and 2 are a lap down, their laps
    final. Car 2 is not the row below the leader's (that one is worked out again anyway)."""
    passings = [(0, "1"), (200, "3"), (500, "2"), (60_000, "1"), (61_000, "3"), (63_000, "2")]
    passings += [(120_000, "1"), (126_000, "3"), (127_000, "2"), (180_000, "1")]
    events: list = [*field(["1", "3", "2"]), FlagChanged(time_ms=0, flag=Flag.GREEN)]
    for time_ms, car in passings:
        if time_ms == 126_000:
            events.append(FlagChanged(time_ms=125_000, flag=Flag.CHECKERED))
        events.append(Passing(time_ms=time_ms, car=car))
    return events


@pytest.fixture
def early_checkered_file(tmp_path: Path) -> Path:
    path = tmp_path / "early-checkered.tbs"
    recorder = SessionRecorder.create(path, EARLY_CHECKERED)
    for event in early_checkered_events():
        recorder.submit([event])  # one at a time, as they were timed
    recorder.close()
    return path


class Cell(NamedTuple):
    """A cell as it reads: its text, and the colours of its text and its background."""

    text: str
    foreground: str
    background: str


def _colour(value: object) -> str:
    return value.name() if isinstance(value, QColor) else ("" if value is None else str(value))


def board_cells(window) -> list[tuple[Cell, ...]]:
    """Every cell of the board, as it reads: text and colours (green, purple, a class's...)."""
    model = window.board_model
    model.flush()
    return [
        tuple(
            Cell(
                str(model.index(row, column).data() or ""),
                _colour(model.index(row, column).data(Qt.ItemDataRole.ForegroundRole)),
                _colour(model.index(row, column).data(Qt.ItemDataRole.BackgroundRole)),
            )
            for column in Column
        )
        for row in range(model.rowCount())
    ]


def gap_of(cells: list[tuple[Cell, ...]], car: str) -> str:
    return next(row[Column.GAP].text for row in cells if row[Column.CAR].text == car)


def cell_of(cells: list[tuple[Cell, ...]], car: str, column: Column) -> Cell:
    return next(row[column] for row in cells if row[Column.CAR].text == car)


def unlit(clock: FakeTime) -> None:
    """Real time past a crossing's light (it is the moment's, not the log's): the boards
    compared read as the log has them."""
    clock.advance(CROSSED_HIGHLIGHT_MS / 1000 + 0.5)


def _close_replay(window) -> None:
    window.replay.driver.close()
    window.close()
    window.controller.close()


def play_to(qtbot, window, clock: FakeTime, until_ms: int | None = None) -> None:
    """Pick 100 times and press Space, as a user does; let it play to ``until_ms`` (or the end)."""
    window.replay.bar.speed.setCurrentIndex(SPEEDS.index(100.0))
    driver = window.replay.driver
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=3000)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert driver.playing
    while driver.playing and (until_ms is None or driver.position_ms < until_ms):
        clock.advance(0.016)  # a frame of real time: 1.6 s of the session at 100 times
        qtbot.wait(1)
    if driver.playing:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert not driver.playing


def opened_cells(qtbot, path: Path, tmp_path: Path) -> list[tuple[Cell, ...]]:
    """The board of ``timingboard open`` on a copy of the file."""
    copy = tmp_path / f"copy-of-{path.name}"
    shutil.copy(path, copy)
    window = open_window(copy, tmp_path / "open-settings.ini")
    qtbot.addWidget(window)
    window.show()
    cells = board_cells(window)
    window.close()
    window.controller.close()
    return cells


def replay_matches_open(qtbot, monkeypatch, path: Path, tmp_path: Path, points: int) -> list:
    """Plays the replay to the end, stopping at ``points`` moments on the way to compare its
    board with ``replay --at`` there; returns the board at the end, checked against ``open``."""
    clock = FakeTime().install(monkeypatch)
    settings = settings_at(tmp_path / "replay-settings.ini")
    window = build_replay_window(ReplaySource.open(path), 0, False, settings)
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    duration = window.replay.driver.duration_ms
    for n in range(1, points + 1):
        play_to(qtbot, window, clock, duration * n // (points + 1))
        at = window.replay.driver.position_ms
        seeked = build_replay_window(ReplaySource.open(path), at, False, settings)
        qtbot.addWidget(seeked)
        unlit(clock)
        assert board_cells(window) == board_cells(seeked), f"played and --at differ at {at} ms"
        _close_replay(seeked)
        window.activateWindow()
    play_to(qtbot, window, clock)
    assert window.replay.driver.position_ms == duration
    unlit(clock)
    played = board_cells(window)
    _close_replay(window)
    opened = opened_cells(qtbot, path, tmp_path)
    for mine, theirs in zip(played, opened, strict=True):
        assert mine == theirs, f"car {mine[Column.CAR].text}: replayed {mine} != opened {theirs}"
    return played


def test_replay_played_to_the_end_shows_the_opened_files_board(
    early_checkered_file, tmp_path, qtbot, monkeypatch
) -> None:
    played = replay_matches_open(qtbot, monkeypatch, early_checkered_file, tmp_path, points=2)
    assert gap_of(played, "2") == "+1 lap"  # was "+7.000": taken on the lap it finished


@pytest.mark.feeds
@pytest.mark.skipif(not GP_RACE.exists(), reason="shared captures absent")
def test_the_road_america_gp_race_replayed_to_the_end_reads_as_opened(
    tmp_path, qtbot, monkeypatch, command_env
) -> None:
    (tmp_path / "imp").mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "timingboard", "import", str(GP_RACE), "-o", OUTPUT],
        cwd=tmp_path,
        env=command_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    race = tmp_path / "imp" / "ra-09-gp1-gp2-gp3-09-gp1-gp2-gp3.tbs"
    played = replay_matches_open(qtbot, monkeypatch, race, tmp_path, points=3)
    assert gap_of(played, "22") == "+1 lap"  # was "+1:24.086"


def demo_heat(folder: Path) -> tuple[Path, list]:
    """Heat 1 of the demo's evening as ``timingboard demo`` makes it: its file, made by the
    event's progression from the qualifying (entries and grid), and the events of its race."""
    folder.mkdir(parents=True, exist_ok=True)
    script = qualifying(31)
    first = folder / "qualifying.tbs"
    recorder = SessionRecorder.create(first, script.settings)
    recorder.submit([*script.competitors, *(event for _, event in script.events)])
    request = LineupRequest(LineupRule.SPLIT, HEATS)
    paths = write_next([(first, recorder.engine)], request, HEAT_NAME, folder, RACE, HEAT_LAPS)
    recorder.close()
    opened = SessionRecorder.open(paths[0])
    grid = [c.key for c in sorted(opened.engine.entry_list().values(), key=lambda c: c.grid or 0)]
    opened.close()
    return paths[0], [event for _, event in heat_race(grid, 31, HEAT_LAPS, 1).events]


def painted_colour(view, row: int, column: int) -> str:
    """The colour the style paints a cell's text in: the highlighted-text one on a selected
    row (Qt's white, whatever the model says, unless the delegate keeps the cell's own)."""
    index = view.model().index(row, column)
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = view.visualRect(index)
    if view.selectionModel().isSelected(index):
        option.state |= QStyle.StateFlag.State_Selected
    view.itemDelegateForIndex(index).initStyleOption(option, index)
    selected = option.state & QStyle.StateFlag.State_Selected
    role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
    return option.palette.color(role).name()


def test_the_demo_heat_built_live_reads_and_paints_as_opened_and_replayed(
    tmp_path, qtbot, monkeypatch
) -> None:
    """The walk: live, #31 Haley's 14.128 read white beside #42 Gragson's green 14.128, and his
    13.827 (his best) white too; the replay of the file had them green. Haley's row was picked
    for the chart (selected): Qt paints a selected cell's text white. And a lap equal to the
    car's best was no personal best. Built live through the window, as the demo feeds it, the
    board must read, cell by cell with its colours, as the file opened and replayed does."""
    clock = FakeTime().install(monkeypatch)
    path, events = demo_heat(tmp_path / "evening")
    window = open_window(path, tmp_path / "live-settings.ini")
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    board, model = window.board, window.board_model
    picked = False
    green = "#4cd964"
    for event in events:  # one batch a crossing, as the demo's runner submits them
        assert window.controller.submit([event])
        clock.advance(0.05)
        qtbot.wait(1)
        if not picked and model.rowCount() and model.index(0, Column.LAST_LAP).data():
            rect = board.visualRect(model.index(0, Column.DRIVER))  # the user picks #31
            qtbot.mouseClick(board.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            picked = True
        if model.rowCount() and model.index(0, Column.CAR).data() == "31":
            colour = model.index(0, Column.LAST_LAP).data(Qt.ItemDataRole.ForegroundRole)
            if colour is not None:  # green or purple on the board is green or purple painted
                assert painted_colour(board, 0, Column.LAST_LAP) == colour.name()
    assert picked and board.selectionModel().selectedRows()
    unlit(clock)
    live = board_cells(window)
    window.close()
    window.controller.close()
    closing.wait_for(path)  # as the command waits for it on its way out
    gragson = cell_of(live, "42", Column.LAST_LAP)
    assert gragson.text == cell_of(live, "42", Column.BEST_LAP).text == "13.767"
    assert gragson.foreground == green  # as fast as his best: his best (was white)
    opened = opened_cells(qtbot, path, tmp_path)
    replayed = replay_matches_open(qtbot, monkeypatch, path, tmp_path, points=2)
    for mine, theirs, again in zip(live, opened, replayed, strict=True):
        car = mine[Column.CAR].text
        assert mine == theirs, f"car {car}: live {mine} != opened {theirs}"
        assert mine == again, f"car {car}: live {mine} != replayed {again}"
