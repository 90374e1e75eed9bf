"""A session opened long after its last timed event (an imported capture, an earlier day's race)
stands at that event: its clock ran from the file's time zero ("GREEN since green 67989:14:47")
and a number typed was refused with only "Car 7: the passing was refused.". One opened the same
day to go on timing (the board closed ten minutes mid-race) runs on the wall clock as before.
The rule: :mod:`timingboard.engine.long_past` (twelve hours with nothing timed).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from journey import FakeTime, User, close_session_window, open_window
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from race_scripts import QUARTER_MILE_RACE

from timingboard.engine.events import Flag, FlagChanged, Passing, SessionEnded, Source
from timingboard.engine.long_past import LONG_PAST_MS, long_past
from timingboard.engine.validation import MAX_TIME_MS
from timingboard.qt.leaderboard_model import Column
from timingboard.qt.passings_model import PassingColumn
from timingboard.store.event_folder import Status
from timingboard.store.recorder import SessionRecorder

ROOT = Path(__file__).resolve().parents[1]
JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")
HOUR_S = 3600.0
LAST_S = 28.0  # the last crossing of the session made below, in session time


def _heat(path: Path, ended: bool = False) -> Path:
    """A heat timed by hand a moment ago: green at 0, car 31 round at 14 s and 28 s; no
    checkered (``ended``: the timing system ended it at 30 s)."""
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit([FlagChanged(time_ms=0, flag=Flag.GREEN)])
    for ms in (14_000, 28_000):
        recorder.submit([Passing(car="31", time_ms=ms, source=Source.MANUAL)])
    if ended:
        recorder.submit([SessionEnded(time_ms=30_000)])
    recorder.close()
    return path


def _typed(user: User, text: str) -> None:
    """Typed where the focus is (the car field, as the window opens), then Enter."""
    field = QApplication.focusWidget()
    assert field is user.window.entry_panel.car_field
    user.type(text)
    user.press(Qt.Key.Key_Return)


def _clock_kind(user: User) -> str:
    return user.window.header.clock_kind.text()


def _day(path: Path) -> str:
    from timingboard.store.session_file import SessionFile
    from timingboard.text.session_text import recorded_day

    file = SessionFile.open(path, read_only=True)
    try:
        return recorded_day(file.origin)
    finally:
        file.close()


def test_the_rule_at_its_boundary() -> None:
    """Twelve hours counted from the last timed event, not from the session's time zero."""
    last_ms = 60_000
    assert not long_past(0.0, last_ms, 60 + LONG_PAST_MS / 1000 - 1, timed=True)
    assert long_past(0.0, last_ms, 60 + LONG_PAST_MS / 1000 + 1, timed=True)
    assert not long_past(0.0, 20 * HOUR_S * 1000, 30 * HOUR_S, timed=True)  # a 24-hour race
    # made ahead, nothing timed: runs until no crossing could be logged in it any more
    assert not long_past(0.0, 0, 2 * 24 * HOUR_S, timed=False)
    assert long_past(0.0, 0, MAX_TIME_MS / 1000 + 1, timed=False)


@given(
    origin=st.floats(0, 2e9),
    last_ms=st.integers(1, MAX_TIME_MS),
    idle_ms=st.integers(-10_000, 3 * LONG_PAST_MS),
    shift=st.floats(-1e6, 1e6),
)
def test_the_rule_counts_only_the_idle_time(
    origin: float, last_ms: int, idle_ms: int, shift: float
) -> None:
    """Long past exactly when the time since the last timed event is over twelve hours (with
    a second's slack for float seconds), whatever the session's day or length."""
    now = origin + (last_ms + idle_ms) / 1000
    if abs(idle_ms - LONG_PAST_MS) > 1000:
        assert long_past(origin, last_ms, now, timed=True) is (idle_ms > LONG_PAST_MS)
        moved = long_past(origin + shift, last_ms, now + shift, timed=True)
        assert moved is (idle_ms > LONG_PAST_MS)


@JOURNEY_LOG
def test_a_session_of_an_earlier_day_stands_at_its_last_event(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    clock = FakeTime().install(monkeypatch)
    path = _heat(tmp_path / "heat.tbs")
    day = _day(path)
    clock.advance(2 * 24 * HOUR_S)  # opened two days later
    user = User(qtbot, open_window(path, tmp_path / "settings.ini"))
    user.window.resize(1280, 800)  # the walk's screen
    user.show()
    qtbot.waitUntil(lambda: user.window.statusBar().width() == 1280)
    assert user.header()["clock"] == "0:00:28"
    assert _clock_kind(user) == "since green, stopped at"
    title = user.window.windowTitle()
    assert title == f"Heat 1 — heat.tbs — STOPPED (recorded on {day}) · timingboard", title
    assert "began on" in user.entry_message()[0]  # said before anything is typed
    clock.advance(5.0)
    qtbot.waitSignal(user.window.header.clock_timer.timeout).wait()
    assert user.header()["clock"] == "0:00:28"  # it stands
    wall = user.window.scoreboard.band.clock
    qtbot.waitUntil(lambda: wall.text() == "0:00:28 (stopped)")

    _typed(user, "31")
    message, style = user.entry_message()
    assert message.startswith(f"Not timed: this session began on {day}; a crossing now would be")
    assert "2 days after its start" in message and "Insert a missed lap" in message
    assert "red" in style or "#" in style  # told as a refusal
    # and in the status bar, in its own words read whole there (the whole refusal was cut at
    # "a crossing now would be 2 days after its start. To ad")
    said = user.status()
    assert said.startswith(f"Not timed: this session began on {day}, 2 days ago."), said
    assert "right-click the car ▸ Insert a missed lap…" in said and user.status_cut() == ""
    assert user.window.entry_panel.car_field.text() == "31"  # the number typed is kept
    assert user.header()["passings"] == "2 passings"  # nothing logged
    assert user.column(Column.CAR) == ["31"]

    user.press(Qt.Key.Key_F6)  # a flag neither, and it says the flag was not taken
    assert user.entry_message()[0] == (
        f"The yellow flag was not taken: this session began on {day}; a flag now would be "
        "2 days after its start. File ▸ New session… times a new one."
    )
    user.press(Qt.Key.Key_F9)
    assert user.status().startswith("The checkered flag was not taken: this session began on")
    assert user.status_cut() == ""
    assert user.header()["flag"] == "GREEN"
    close_session_window(user.window)


@JOURNEY_LOG
def test_a_session_closed_ten_minutes_mid_race_runs_on_as_today(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    clock = FakeTime().install(monkeypatch)
    path = _heat(tmp_path / "heat.tbs")
    clock.advance(LAST_S + 10 * 60)  # the board closed ten minutes after the last crossing
    user = User(qtbot, open_window(path, tmp_path / "settings.ini"))
    user.show()
    assert _clock_kind(user) == "since green"
    assert user.header()["clock"].startswith("0:10:")
    assert user.window.windowTitle() == "Heat 1 — heat.tbs — LIVE · timingboard"
    _typed(user, "31")
    qtbot.waitUntil(lambda: user.header()["passings"] == "3 passings")
    assert user.window.entry_panel.car_field.text() == ""
    qtbot.waitUntil(lambda: len(user.passings(PassingColumn.TIME)) == 3)
    assert user.passings(PassingColumn.TIME)[0].startswith("0:10:")  # stamped now, 10 min on
    close_session_window(user.window)


@JOURNEY_LOG
@pytest.mark.parametrize(
    ("after_last_s", "stopped"),
    [(LONG_PAST_MS / 1000 - 60, False), (LONG_PAST_MS / 1000 + 60, True)],
    ids=["a minute inside twelve hours", "a minute past them"],
)
def test_both_sides_of_the_twelve_hours(
    qtbot, tmp_path: Path, monkeypatch, after_last_s: float, stopped: bool
) -> None:
    clock = FakeTime().install(monkeypatch)
    path = _heat(tmp_path / "heat.tbs")
    clock.advance(LAST_S + after_last_s)
    user = User(qtbot, open_window(path, tmp_path / "settings.ini"))
    user.show()
    assert ("stopped at" in _clock_kind(user)) is stopped
    assert ("STOPPED" in user.window.windowTitle()) is stopped
    assert (user.header()["clock"] == "0:00:28") is stopped
    _typed(user, "31")
    if stopped:
        assert user.window.entry_panel.car_field.text() == "31"
        assert "began on" in user.status()
    else:
        qtbot.waitUntil(lambda: user.header()["passings"] == "3 passings")
    close_session_window(user.window)


def _event_statuses(qtbot, user: User) -> dict[str, Status]:
    model = user.window.event_actions.model
    qtbot.waitUntil(lambda: model.rows() and Status.READING not in [r.status for r in model.rows()])
    return {row.path.name: row.status for row in model.rows()}


@JOURNEY_LOG
def test_the_event_tab_calls_a_stopped_or_ended_session_so(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    """Never "live" for a session nobody times: one of an earlier day is stopped, one the
    timing system ended (no checkered) is finished, as its title says."""
    clock = FakeTime().install(monkeypatch)
    old = _heat(tmp_path / "old.tbs")
    ended = _heat(tmp_path / "ended.tbs", ended=True)
    clock.advance(2 * 24 * HOUR_S)
    user = User(qtbot, open_window(old, tmp_path / "settings.ini"))
    user.show()
    statuses = _event_statuses(qtbot, user)
    assert statuses["old.tbs"] is Status.STOPPED
    assert statuses["ended.tbs"] is Status.FINISHED
    close_session_window(user.window)

    user = User(qtbot, open_window(ended, tmp_path / "settings.ini"))
    user.show()
    assert user.window.windowTitle() == "Heat 1 — ended.tbs — FINISHED · timingboard"
    assert _event_statuses(qtbot, user)["ended.tbs"] is Status.FINISHED
    close_session_window(user.window)


@JOURNEY_LOG
def test_a_session_timed_today_is_live_in_the_event_tab(qtbot, tmp_path: Path, monkeypatch) -> None:
    clock = FakeTime().install(monkeypatch)
    path = _heat(tmp_path / "heat.tbs")
    clock.advance(60.0)
    user = User(qtbot, open_window(path, tmp_path / "settings.ini"))
    user.show()
    assert _event_statuses(qtbot, user)["heat.tbs"] is Status.LIVE
    close_session_window(user.window)


def test_open_of_an_imported_capture_of_2019_stands_still(tmp_path: Path) -> None:
    """``timingboard open`` of a P3 capture imported (dated 2019 by the decoder's clock)
    shows its clock stopped at its last crossing: a script in the window's process reads
    the header as the command built it."""
    from test_import_dates import P3_START, _p3_capture

    capture = _p3_capture(tmp_path / "decoder.out", int(P3_START.timestamp() * 1_000_000))
    session = tmp_path / "practice.tbs"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path))
    run = [sys.executable, "-m", "timingboard"]
    made = subprocess.run(
        [*run, "import", str(capture), "-o", str(session)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    script = (  # the window as the command builds it, read a moment after it is shown
        "import sys\n"
        "from PySide6.QtCore import QTimer\n"
        "from timingboard.app import run\n"
        "built = run.build_session_window\n"
        "def look(w):\n"
        "    h = w.header\n"
        "    print('HEADER', h.clock_kind.text(), '|', h.clock.text(), '|', w.windowTitle())\n"
        "    w.close()\n"
        "def build(recorder, settings):\n"
        "    w = built(recorder, settings)\n"
        "    QTimer.singleShot(1000, lambda: look(w))\n"
        "    return w\n"
        "run.build_session_window = build\n"
        f"sys.exit(run.run_session({str(session)!r}))\n"
    )
    shown = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    line = next(ln for ln in shown.stdout.splitlines() if ln.startswith("HEADER"))
    kind, clock_shown, title = (part.strip() for part in line.removeprefix("HEADER").split("|"))
    assert kind.endswith("stopped at"), line
    hours = int(clock_shown.split(":")[0])
    assert hours < 24, line  # not tens of thousands of hours
    # a decoder's practice has no checkered: of an earlier day it is over (engine.long_past)
    assert title.endswith("— FINISHED · timingboard"), line


@JOURNEY_LOG
def test_a_passing_the_engine_refuses_says_why_and_adds_no_car(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    """It said "Car 7: the passing was refused." and nothing more, and the new car stood on
    the board without its passing. The engine's own reason now, and the car not added."""
    from timingboard.engine import validation

    clock = FakeTime().install(monkeypatch)
    path = _heat(tmp_path / "heat.tbs")
    clock.advance(60.0)
    monkeypatch.setattr(validation, "MAX_TIME_MS", 30_000)  # a crossing now is past the limit
    user = User(qtbot, open_window(path, tmp_path / "settings.ini"))
    user.show()
    _typed(user, "7")
    message = user.entry_message()[0]
    assert message.startswith("Car 7: the passing was refused: time "), message
    assert message.endswith(" ms is outside the session.")
    assert user.window.entry_panel.car_field.text() == "7"  # kept, to type again
    assert "outside the session" in user.status()
    assert user.column(Column.CAR) == ["31"]  # no car 7 without its passing
    user.press(Qt.Key.Key_Escape)
    _typed(user, "31")  # a car on the board: the same
    assert user.entry_message()[0].startswith("Car 31: the passing was refused: time ")
    user.press(Qt.Key.Key_F6)
    assert user.entry_message()[0].startswith("The yellow flag was not taken: time ")
    close_session_window(user.window)
