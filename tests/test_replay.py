"""Replay in the window: the board at T is the log up to T; the file is never written."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from race_scripts import QUARTER_MILE_RACE, three_car_race

from timingboard.app.main_window import MainWindow
from timingboard.engine import Flag, FlagChanged, Passing, TimingEngine
from timingboard.qt.leaderboard_model import Role
from timingboard.qt.session_controller import SessionController
from timingboard.store import SessionRecorder
from timingboard.store.replay_source import ReplaySource


@pytest.fixture
def saved_race(tmp_path: Path) -> Path:
    from timingboard.demo.clash import FIELD, heat_race

    heat = heat_race([row[0] for row in FIELD[:9]])
    path = tmp_path / "heat.tbs"
    recorder = SessionRecorder.create(path, heat.settings)
    recorder.submit(list(heat.competitors))
    for _, event in heat.events:
        recorder.submit([event])
    recorder.close()
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def window(saved_race: Path, tmp_path: Path, qtbot):
    source = ReplaySource.open(saved_race)
    controller = SessionController(source)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(controller, settings)
    qtbot.addWidget(window)
    window.show()
    window.replay.driver.open(source)
    yield window
    window.replay.driver.close()
    window.close()


def _model_rows(window: MainWindow) -> list:
    model = window.board_model
    model.flush()
    return [model.index(r, 0).data(Role.STANDING) for r in range(model.rowCount())]


def test_board_at_random_moments_after_seeking_any_way(window, saved_race) -> None:
    driver = window.replay.driver
    timeline = driver.source.timeline
    log = timeline.log
    rng = random.Random(7)
    for _ in range(25):
        moment = rng.randint(0, driver.duration_ms)
        driver.seek(moment)
        expected = TimingEngine.from_log(timeline.settings, log[: timeline.prefix_at(moment)])
        assert window.controller.engine.standings() == expected.standings()
        assert _model_rows(window) == expected.standings()
        assert window.controller.clock_ms() == moment
    assert window.replay.toolbar.isVisible()


def test_playing_moves_the_board_on_and_pause_holds_it(window, qtbot, monkeypatch) -> None:
    from journey import FakeTime

    clock = FakeTime().install(monkeypatch)
    driver = window.replay.driver
    driver.seek(60_000)
    driver.set_speed(100.0)
    driver.play()
    clock.advance(0.6)  # 0.6 s of real time at 100x: a minute of the race
    with qtbot.waitSignal(driver.position_changed):
        pass  # the next frame
    assert 119_000 < driver.position_ms <= 120_000
    clock.advance(0.3)
    with qtbot.waitSignal(driver.position_changed):
        pass
    assert 149_000 < driver.position_ms <= 150_000
    driver.pause()
    held = driver.position_ms
    timeline = driver.source.timeline
    expected = TimingEngine.from_log(timeline.settings, timeline.log[: timeline.prefix_at(held)])
    assert window.controller.engine.standings() == expected.standings()
    assert window.controller.clock_ms() == held
    assert not driver.playing and window.replay.bar.play_button.property("playing") is False


def test_as_fast_as_possible_reaches_the_end(window, qtbot) -> None:
    driver = window.replay.driver
    driver.set_speed(0.0)
    driver.play()
    qtbot.waitUntil(lambda: not driver.playing, timeout=10000)
    assert driver.position_ms == driver.duration_ms
    assert window.controller.engine.standing(window.controller.engine.order()[0]).laps == 25


def test_steps_by_passing_and_by_leader_lap(window) -> None:
    driver = window.replay.driver
    times = driver.source.timeline.passing_times()
    driver.seek(times[10])
    driver.step_passing(1)
    assert driver.position_ms == next(t for t in times if t > times[10])
    driver.step_passing(-1)
    assert driver.position_ms == times[10]
    driver.seek(100_000)
    leader = window.controller.engine.order()[0]
    lap_times = driver.source.timeline.final().entries[leader].timing.lap_times
    driver.step_leader_lap(1)
    assert driver.position_ms == next(t for t in lap_times if t > 100_000)


def test_flag_periods_are_on_the_timeline(window) -> None:
    periods = window.replay.bar.timeline.periods
    assert [flag for _, _, flag in periods][:2] == [Flag.GREEN, Flag.YELLOW]
    assert periods[-1][2] is Flag.CHECKERED


def test_replay_never_writes_and_says_how_to_correct(window, saved_race, qtbot) -> None:
    before = _digest(saved_race)
    driver = window.replay.driver
    driver.seek(200_000)
    assert not window.controller.submit([Passing(time_ms=1, car="31")])
    assert "Branch a copy" in window.statusBar().currentMessage()
    assert _digest(saved_race) == before


def test_branching_a_copy_opens_it_for_correcting(window, saved_race, tmp_path) -> None:
    before = _digest(saved_race)
    copy = tmp_path / "corrected.tbs"
    assert window.replay.branch(str(copy))
    assert not window.controller.is_replay
    assert not window.replay.toolbar.isVisible()
    assert window.controller.submit([FlagChanged(time_ms=999_000, flag=Flag.RED)])
    assert _digest(saved_race) == before
    reopened = SessionRecorder.open(copy)
    assert reopened.engine.flag is Flag.RED
    reopened.close()


def test_replaying_a_recorded_stream(tmp_path: Path, qtbot) -> None:
    from test_rmonitor_parser import STREAM

    capture = tmp_path / "capture.txt"
    capture.write_bytes(STREAM + b'$J,"31","00:00:13.413","00:00:15.464"\n')
    source = ReplaySource.open(capture)
    assert source.path is None and "Test Race" in source.name
    controller = SessionController(source)
    from timingboard.qt.replay_driver import ReplayDriver

    driver = ReplayDriver(controller)
    driver.open(source)
    driver.seek(driver.duration_ms)
    assert controller.engine.standing("31").laps == 1
    driver.close()


def test_a_foreign_file_is_refused_before_any_window(tmp_path: Path) -> None:
    import subprocess
    import sys

    noise = tmp_path / "noise.bin"
    noise.write_bytes(bytes(range(256)))
    run = subprocess.run(
        [sys.executable, "-m", "timingboard", "replay", str(noise)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2, run.stderr
    assert run.stderr == (
        f"timingboard: {noise} is not a text file: not a timingboard session file, nor an "
        "RMonitor or P3 capture to replay\n"
    )


def test_replay_starts_from_a_race_script(tmp_path: Path) -> None:
    path = tmp_path / "r.tbs"
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit(three_car_race())
    recorder.close()
    source = ReplaySource.open(path)
    assert source.engine.standings() == []  # the start: nothing has happened yet
    assert source.timeline.final().order() == ["2", "1", "3"]


def test_dragging_the_timeline_scrubs_the_board(window, qtbot) -> None:
    from PySide6.QtCore import QPoint, Qt

    slider = window.replay.bar.timeline
    driver = window.replay.driver
    y = slider.height() // 2
    qtbot.mousePress(slider, Qt.MouseButton.LeftButton, pos=QPoint(slider.width() // 4, y))
    qtbot.mouseMove(slider, QPoint(slider.width() // 2, y))
    expected = slider.time_at(slider.width() // 2)
    qtbot.waitUntil(lambda: driver.position_ms == expected, timeout=2000)
    qtbot.mouseRelease(slider, Qt.MouseButton.LeftButton, pos=QPoint(slider.width() // 2, y))
    timeline = driver.source.timeline
    board = TimingEngine.from_log(timeline.settings, timeline.log[: timeline.prefix_at(expected)])
    assert window.controller.engine.standings() == board.standings()


def test_a_failed_branch_leaves_no_half_made_copy(saved_race, tmp_path, monkeypatch) -> None:
    import sqlite3

    from timingboard.store import replay_source
    from timingboard.store.session_file import SessionFileError

    real_connect = sqlite3.connect

    class FailingSource:
        """The replayed file, whose copy runs out of disk half-way."""

        def __init__(self, connection: sqlite3.Connection) -> None:
            self.connection = connection

        def backup(self, target: sqlite3.Connection) -> None:
            target.execute("CREATE TABLE half (x)")  # something was written already
            raise sqlite3.OperationalError("disk full")

        def close(self) -> None:
            self.connection.close()

    def connect(database, *args, **kwargs):
        connection = real_connect(database, *args, **kwargs)
        return FailingSource(connection) if kwargs.get("uri") else connection

    source = replay_source.ReplaySource.open(saved_race)
    monkeypatch.setattr(replay_source.sqlite3, "connect", connect)
    target = tmp_path / "copy.tbs"
    with pytest.raises(SessionFileError, match="disk full"):
        source.branch(target)
    assert not target.exists()


def test_branching_onto_a_link_to_a_session_is_refused(saved_race, tmp_path) -> None:
    from timingboard.store.atomic import UnsafeOutput

    other = tmp_path / "other.tbs"
    SessionRecorder.create(other, QUARTER_MILE_RACE).close()
    kept = {p: _digest(p) for p in (saved_race, other)}
    source = ReplaySource.open(saved_race)
    for name, target in (("mine.tbs", saved_race), ("theirs.tbs", other)):
        link = tmp_path / name
        link.symlink_to(target)
        with pytest.raises(UnsafeOutput, match="session"):
            source.branch(link)
    assert {p: _digest(p) for p in kept} == kept
    source.branch(tmp_path / "copy.tbs")  # a new name: made whole, no temporary file left
    copy, original = (SessionRecorder.open(p) for p in (tmp_path / "copy.tbs", saved_race))
    assert copy.engine.standings() == original.engine.standings()
    copy.close()
    original.close()
    assert not list(tmp_path.glob("*.tbpart")) and not list(tmp_path.glob(".*.tbpart"))


def test_branch_onto_a_link_to_the_replayed_session_is_refused_in_the_desks_words(
    window, saved_race, tmp_path, monkeypatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: said.append(text))
    link = tmp_path / "mine.tbs"
    link.symlink_to(saved_race.name)
    before = _digest(saved_race)
    assert not window.replay.branch(str(link))
    assert said == [
        "mine.tbs (a link to heat.tbs) is the session open on this board: it is never "
        "written over. Type another file name."
    ]
    assert _digest(saved_race) == before and window.controller.is_replay
