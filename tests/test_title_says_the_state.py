"""The title says what the session is: LIVE only while it is timed now; a session past its
finish (a finished race, an imported capture opened) is FINISHED, RESULTS OFFICIAL once so
declared. The title said LIVE for every session opened, even one imported whole days later.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from journey import FakeTime, User, close_session_window, new_session_window, open_window
from PySide6.QtCore import Qt
from race_scripts import QUARTER_MILE_RACE

from timingboard.qt.leaderboard_model import Column

ROOT = Path(__file__).resolve().parents[1]
JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")
FINISHED_STREAM = (  # a two-car race to its checkered, as a timing system sends it
    b'$B,25,"Test Race"\r\n'
    b'$A,"31","31",1031,"Justin","Haley","USA",1\r\n'
    b'$A,"8","8",1008,"Kyle","Busch","USA",1\r\n'
    b'$F,9999,"00:00:00","12:00:00","00:00:00","Green "\r\n'
    b'$J,"31","00:00:00.000","00:00:02.051"\r\n'
    b'$J,"8","00:00:00.000","00:00:02.400"\r\n'
    b'$J,"31","00:00:13.413","00:00:15.464"\r\n'
    b'$J,"8","00:00:13.553","00:00:15.953"\r\n'
    b'$F,9999,"00:00:16","12:00:16","00:00:16","Finish"\r\n'
    b'$J,"31","00:00:13.500","00:00:28.964"\r\n'
    b'$J,"8","00:00:13.600","00:00:29.553"\r\n'
    b'$G,1,"31",2,"00:00:28.964"\r\n$G,2,"8",2,"00:00:29.553"\r\n'
)


def _command(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(home))
    return subprocess.run(
        [sys.executable, "-m", "timingboard", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@JOURNEY_LOG
def test_an_imported_capture_opened_is_finished_then_official(qtbot, tmp_path: Path) -> None:
    capture = tmp_path / "capture.txt"
    capture.write_bytes(FINISHED_STREAM)
    session = tmp_path / "race.tbs"
    imported = _command(tmp_path, "import", str(capture), "-o", str(session))
    assert imported.returncode == 0, imported.stderr

    user = User(qtbot, open_window(session, tmp_path / "settings.ini"))
    user.show()
    assert user.header()["remaining"] == "Finished"
    title = user.window.windowTitle()
    assert title == "Test Race — race.tbs — FINISHED · timingboard", title
    assert "LIVE" not in title
    close_session_window(user.window)

    declared = _command(
        tmp_path, "results", str(session), "--declare-official", "--by", "Chief Steward",
        "-o", str(tmp_path / "sheet.csv"),
    )  # fmt: skip
    assert declared.returncode == 0, declared.stderr
    user = User(qtbot, open_window(session, tmp_path / "settings.ini"))
    user.show()
    assert user.window.windowTitle() == "Test Race — race.tbs — RESULTS OFFICIAL · timingboard"
    user.window.close()


@JOURNEY_LOG
def test_a_race_timed_here_is_live_until_its_checkered(qtbot, tmp_path: Path, monkeypatch) -> None:
    clock = FakeTime().install(monkeypatch)
    user = new_session_window(qtbot, tmp_path, QUARTER_MILE_RACE, "heat.tbs")
    user.press(Qt.Key.Key_F5)
    for _ in range(2):
        clock.advance(14.0)
        user.enter("31")
        user.press(Qt.Key.Key_Return)  # a new car, then its laps
    qtbot.waitUntil(lambda: user.column(Column.CAR) == ["31"])
    assert user.window.windowTitle() == "Heat 1 — heat.tbs — LIVE · timingboard"
    user.press(Qt.Key.Key_F9)  # checkered
    qtbot.waitUntil(lambda: "FINISHED" in user.window.windowTitle())
    assert user.window.windowTitle() == "Heat 1 — heat.tbs — FINISHED · timingboard"
    user.window.close()


@JOURNEY_LOG
def test_an_imported_decoder_capture_opened_is_stopped(qtbot, tmp_path: Path) -> None:
    """A P3 capture (no checkered: a decoder has no flags) imported and opened said LIVE, as if
    the decoder still timed it. A practice of an earlier day is a record: over, as one finished
    with no end logged (engine.long_past; it read STOPPED, every car "running")."""
    from test_import_dates import P3_START, _p3_capture

    capture = _p3_capture(tmp_path / "decoder.out", int(P3_START.timestamp() * 1_000_000))
    session = tmp_path / "practice.tbs"
    imported = _command(tmp_path, "import", str(capture), "-o", str(session))
    assert imported.returncode == 0, imported.stderr

    user = User(qtbot, open_window(session, tmp_path / "settings.ini"))
    user.show()
    title = user.window.windowTitle()
    assert title == "decoder — practice.tbs — FINISHED · timingboard"
    assert "stopped at" in user.window.header.clock_kind.text()  # its clock standing
    close_session_window(user.window)


@JOURNEY_LOG
def test_a_feed_session_timed_on_by_hand_is_live_again(qtbot, tmp_path: Path, monkeypatch) -> None:
    """A session whose last passing is a feed's reads STOPPED; the operator's own passing
    (typed now, on a session dated now) makes it LIVE: someone times it."""
    from timingboard.engine.events import Flag, FlagChanged, Passing, Source
    from timingboard.store.recorder import SessionRecorder

    clock = FakeTime().install(monkeypatch)
    path = tmp_path / "heat.tbs"  # a feed's session, left when its feed went (made just now)
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit([FlagChanged(time_ms=0, flag=Flag.GREEN)])
    recorder.submit([Passing(car="31", time_ms=500, source=Source.FEED)])
    recorder.close()
    user = User(qtbot, open_window(path, tmp_path / "settings.ini"))
    user.show()
    assert user.window.windowTitle() == (
        "Heat 1 — heat.tbs — STOPPED (recorded from a feed) · timingboard"
    )
    clock.advance(14.0)
    user.enter("31")
    qtbot.waitUntil(lambda: user.window.windowTitle() == "Heat 1 — heat.tbs — LIVE · timingboard")
    close_session_window(user.window)
