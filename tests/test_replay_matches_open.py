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

import pytest
from conftest import SHARED_FEEDS
from journey import FakeTime, open_window, settings_at
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from race_scripts import field

from timingboard.app.run import build_replay_window
from timingboard.engine import Flag, FlagChanged, Passing, SessionKind, SessionSettings
from timingboard.qt.replay_driver import SPEEDS
from timingboard.store import SessionRecorder
from timingboard.store.replay_source import ReplaySource
from timingboard.text.board_columns import Column

GP_RACE = SHARED_FEEDS / "redmist_roadamerica_2025-04-25_fullday.txt"
OUTPUT = "imp/ra-09-gp1-gp2-gp3.tbs"  # as the walk typed it
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


def board_cells(window) -> list[tuple[str, ...]]:
    """Every cell of the board, as it reads."""
    model = window.board_model
    model.flush()
    return [
        tuple(str(model.index(row, column).data() or "") for column in Column)
        for row in range(model.rowCount())
    ]


def gap_of(cells: list[tuple[str, ...]], car: str) -> str:
    return next(row[Column.GAP] for row in cells if row[Column.CAR] == car)


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


def opened_cells(qtbot, path: Path, tmp_path: Path) -> list[tuple[str, ...]]:
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
        assert board_cells(window) == board_cells(seeked), f"played and --at differ at {at} ms"
        _close_replay(seeked)
        window.activateWindow()
    play_to(qtbot, window, clock)
    assert window.replay.driver.position_ms == duration
    played = board_cells(window)
    _close_replay(window)
    opened = opened_cells(qtbot, path, tmp_path)
    for mine, theirs in zip(played, opened, strict=True):
        assert mine == theirs, f"car {mine[Column.CAR]}: replayed {mine} != opened {theirs}"
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
