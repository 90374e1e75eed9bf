"""A TERM (or Ctrl+C) in the first seconds of ``timingboard open`` / ``demo``, while Qt and the
window are still being built: the handler that closes the window cleanly came only after, so
the process was killed at once (the session's lock and write-ahead log left beside it). It is
held from the command's first lines now and acted on once the window is up: a clean exit.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from race_scripts import QUARTER_MILE_RACE, field, laps_at

from timingboard.app.background_open import opens_in_worker
from timingboard.app.early_stop import is_window_command
from timingboard.store import SessionRecorder

ROOT = Path(__file__).resolve().parents[1]


def _started_then_stopped(args: list[str], env, after_s: float, stop: int) -> tuple[int, str]:
    board = subprocess.Popen(
        [sys.executable, "-m", "timingboard", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(after_s)  # the moment a service manager or a user stops it: not a wait
        board.send_signal(stop)
        _out, err = board.communicate(timeout=120)
    finally:
        if board.poll() is None:
            board.kill()
            board.communicate()
    return board.returncode, err


@pytest.mark.parametrize("after_s", [0.4, 1.0, 2.0])
def test_a_term_while_open_starts_closes_the_session_cleanly(
    tmp_path: Path, command_env, after_s: float
) -> None:
    folder = tmp_path / "event"
    folder.mkdir()
    path = folder / "race.tbs"
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit([*field(["31", "8"]), *laps_at("31", 1000, 14_000, 5)])
    passings = recorder.engine.passing_count()
    recorder.close()
    code, err = _started_then_stopped(["open", str(path)], command_env, after_s, signal.SIGTERM)
    assert code == 0, err  # was -15: killed before its handler was in
    assert "Traceback" not in err, err
    assert sorted(p.name for p in folder.iterdir()) == ["race.tbs"]  # no lock, no -wal left
    reopened = SessionRecorder.open(path)
    try:
        assert reopened.read_only_reason is None
        assert reopened.engine.passing_count() == passings  # the file intact
    finally:
        reopened.close()


def test_ctrl_c_while_the_demo_starts_ends_it_cleanly(tmp_path: Path, command_env) -> None:
    kept = tmp_path / "demo"
    code, err = _started_then_stopped(["demo", "--dir", str(kept)], command_env, 0.6, signal.SIGINT)
    assert code == 0, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    left = sorted(p.name for p in kept.iterdir()) if kept.exists() else []
    assert not [n for n in left if n.endswith(("-wal", "-lock"))], left
    for session in kept.glob("*.tbs"):
        SessionRecorder.open(session).close()  # each opens, undamaged and free


def test_only_window_commands_hold_a_stop() -> None:
    for argv in ([], ["demo"], ["open", "x.tbs"], ["replay", "x"], ["connect", "h:1"]):
        assert is_window_command(argv), argv
    for argv in (["import", "c", "-o", "x"], ["results", "x"], ["connect", "p3://h"], ["-h"]):
        assert not is_window_command(argv), argv


def _long_race(path: Path) -> int:
    """A race whose file is past the size read in a worker (``IN_WORKER_FROM``): its passings."""
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    cars = [str(n) for n in range(1, 31)]
    events = [*field(cars)]
    for i, car in enumerate(cars):
        events += laps_at(car, 100 * i, 60_000 + 10 * i, 1500)
    recorder.submit(events)
    passings = recorder.engine.passing_count()
    recorder.close()
    assert opens_in_worker(path), path.stat().st_size
    return passings


@pytest.mark.parametrize("after_s", [0.4, 1.0])
def test_a_term_while_a_long_file_is_opened_cancels_the_open(
    tmp_path: Path, command_env, after_s: float
) -> None:
    """The TERM was held until the window was up and the open done (the window came up after
    it, the command said the file was open, then closed it): now the open is cancelled."""
    folder = tmp_path / "event"
    folder.mkdir()
    path = folder / "24h.tbs"
    passings = _long_race(path)
    board = subprocess.Popen(
        [sys.executable, "-m", "timingboard", "open", str(path)],
        cwd=ROOT,
        env=command_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(after_s)  # the moment a user stops it: not a wait
        board.send_signal(signal.SIGTERM)
        out, err = board.communicate(timeout=120)
    finally:
        if board.poll() is None:
            board.kill()
            board.communicate()
    assert board.returncode == 0, err
    assert "Traceback" not in err, err
    assert "is open" not in out, out  # the open was cancelled, not finished first
    assert sorted(p.name for p in folder.iterdir()) == ["24h.tbs"]  # no lock, no -wal left
    reopened = SessionRecorder.open(path)
    try:
        assert reopened.read_only_reason is None
        assert reopened.engine.passing_count() == passings
    finally:
        reopened.close()


START_CHILD = """
import os, signal, sys
from pathlib import Path
from PySide6.QtCore import QSettings, QTimer
from timingboard.app.recent_sessions import RecentSessions
from timingboard.app.run import application
from timingboard.widgets.start_dialog import StartDialog

application()
RecentSessions(QSettings()).remember(sys.argv[1])
shown = StartDialog.exec

def exec_and_choose(dialog):
    def choose():  # the user opens the recent session, then stops the command as it opens
        dialog.sessions.setCurrentRow(0)
        dialog.open_button.click()
        os.kill(os.getpid(), signal.SIGTERM)
    QTimer.singleShot(0, choose)
    return shown(dialog)

StartDialog.exec = exec_and_choose
sys.argv = ["timingboard"]
from timingboard.launch import run
run()
"""


def test_a_term_as_the_start_dialogs_session_opens_closes_it_cleanly(
    tmp_path: Path, command_env
) -> None:
    """Plain ``timingboard``, a recent session picked, a TERM before its window is up: the
    dialog's own handler (it closes the dialog) stayed in place, so the TERM was lost and the
    window came up and stayed."""
    folder = tmp_path / "event"
    folder.mkdir()
    path = folder / "race.tbs"
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit([*field(["31", "8"]), *laps_at("31", 1000, 14_000, 5)])
    recorder.close()
    board = subprocess.Popen(
        [sys.executable, "-c", START_CHILD, str(path)],
        cwd=ROOT,
        env=command_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        out, err = board.communicate(timeout=60)
    finally:
        if board.poll() is None:  # the TERM lost: the window stays up
            board.kill()
            board.communicate()
    assert board.returncode == 0, err
    assert "Traceback" not in err, err
    assert "recent session" in out, out  # the dialog was offered
    assert sorted(p.name for p in folder.iterdir()) == ["race.tbs"]  # no lock, no -wal left
