"""A long session opened in the window shows its board from the snapshot at once; its log is read
and checked in a worker, and damage found there is named as when it is found at opening: the
session goes read-only on what is intact before it, nothing is written."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from race_scripts import QUARTER_MILE_RACE, three_car_race
from test_session_snapshot import board, corrected_race, rebuilt

from timingboard.engine import Passing
from timingboard.store import SessionFileError, SessionRecorder, recorder


@pytest.fixture(autouse=True)
def _long_logs_are_short(monkeypatch):
    """The worker reads logs of 20,000 events and more; these sessions stand in for them."""
    monkeypatch.setattr(recorder, "CHECK_LATER_FROM", 1)


def _change_a_lap_time(path: Path, seq: int) -> None:
    db = sqlite3.connect(path)
    (payload,) = db.execute("SELECT payload FROM events WHERE seq = ?", (seq,)).fetchone()
    event = json.loads(payload)
    event["time_ms"] += 1
    db.execute("UPDATE events SET payload = ? WHERE seq = ?", (json.dumps(event), seq))
    db.commit()
    db.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cell(window, row: int, column: int) -> str:
    model = window.board.model()
    return str(model.data(model.index(row, column)))


def test_the_window_shows_the_board_then_takes_the_checked_log(
    make_controller, show_window, tmp_path: Path, qtbot
) -> None:
    path = tmp_path / "race.tbs"
    corrected_race(path)
    window = show_window(make_controller(QUARTER_MILE_RACE, "live.tbs"))
    with qtbot.waitSignal(window.controller.log_checked, timeout=20_000):
        assert window.session_actions.open_session(path)
        shown = [_cell(window, row, 1) for row in range(3)]
        assert window.controller.recorder.checking or window.controller.engine.log
    engine = window.controller.engine
    assert not window.controller.recorder.checking
    assert board(engine) == board(rebuilt(path))
    assert shown == [_cell(window, row, 1) for row in range(3)]
    assert window.read_only_notice.shown is None and window.entry_panel.isEnabled()
    assert window.controller.submit([Passing(time_ms=99_000, car="2")])
    window.close()


def test_damage_found_by_the_worker_is_named_and_the_intact_part_shown(
    make_controller, show_window, tmp_path: Path, qtbot
) -> None:
    path = tmp_path / "race.tbs"
    corrected_race(path)
    _change_a_lap_time(path, 7)
    before = _digest(path)
    window = show_window(make_controller(QUARTER_MILE_RACE, "live.tbs"))
    with qtbot.waitSignal(window.controller.log_checked, timeout=20_000):
        assert window.session_actions.open_session(path)
    assert "event #7 is damaged" in (window.read_only_notice.shown or "")
    assert not window.entry_panel.isEnabled()
    assert window.controller.engine.seq == 6
    assert not window.controller.submit([Passing(time_ms=99_000, car="2")])
    window.close()
    window.controller.close()
    assert _digest(path) == before


def test_what_is_written_before_the_verdict_waits_for_it(tmp_path: Path) -> None:
    path = tmp_path / "race.tbs"
    corrected_race(path)
    opened = SessionRecorder.open(path, check_later=True)
    assert opened.checking
    opened.submit([Passing(time_ms=99_000, car="2")])  # the log joins the engine first
    assert not opened.checking
    after = board(opened.engine)
    opened.close()
    assert after == board(rebuilt(path))


def test_a_damaged_log_takes_nothing_written_before_its_verdict(tmp_path: Path) -> None:
    path = tmp_path / "race.tbs"
    corrected_race(path)
    _change_a_lap_time(path, 9)
    before = _digest(path)
    opened = SessionRecorder.open(path, check_later=True)
    assert opened.checking
    with pytest.raises(SessionFileError, match="reading only"):
        opened.submit([Passing(time_ms=99_000, car="2")])
    assert "event #9 is damaged" in (opened.read_only_reason or "")
    with pytest.raises(SessionFileError, match="reading only"):
        opened.file.append_raw("rmonitor", b"$F")
    assert opened.engine.seq == 8
    opened.close()
    assert _digest(path) == before


def test_a_short_log_or_one_without_a_fitting_snapshot_is_checked_at_opening(
    tmp_path: Path, monkeypatch
) -> None:
    path = tmp_path / "race.tbs"
    recorded = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorded.submit(three_car_race())
    recorded.close()
    monkeypatch.setattr(recorder, "CHECK_LATER_FROM", 10_000)
    reader = SessionRecorder.open(path, check_later=True, read_only=True)
    assert not reader.checking
    reader.close()
    monkeypatch.setattr(recorder, "CHECK_LATER_FROM", 1)
    opened = SessionRecorder.open(path)
    opened.submit([Passing(time_ms=99_000, car="2")])
    opened.file.close()  # the snapshot is now of an earlier event: opened the usual way
    again = SessionRecorder.open(path, check_later=True)
    assert not again.checking
    assert board(again.engine) == board(rebuilt(path))
    again.close()
