"""Quitting while a long session is still being read (File ▸ Open of a 24-hour session, read in
a worker): the window goes at once, the worker stopped at its next paced slice, no thread left,
and the file half read is not changed. The window waited for the whole read before it went
(``BackgroundOpen.cancel`` joined the worker, which then ran straight through).

A short race stands in for the 24-hour session (the thresholds that make a session "long" are
lowered), its reading made long by a step that pauses as the real reading does, slice by
slice; ``benchmarks/bench_close_opening.py`` measures the 24 h session's close-to-exit time.
"""

from __future__ import annotations

import hashlib
import threading
import time
from pathlib import Path

import pytest
from journey import file_dialog_answer, new_session_window
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from race_scripts import QUARTER_MILE_QUALIFYING, QUARTER_MILE_RACE, three_car_race

from timingboard.app import background_open
from timingboard.qt import frame_throttle
from timingboard.store import SessionRecorder, closing, pacing, recorder, snapshot

JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")
LONG_READ_STEPS = 2_000  # ~1 ms each, a pause point after each: a read of 2 s or more


@pytest.fixture(autouse=True)
def _every_session_is_long(monkeypatch):
    monkeypatch.setattr(background_open, "IN_WORKER_FROM", 1)
    monkeypatch.setattr(recorder, "CHECK_LATER_FROM", 1)
    monkeypatch.setattr(frame_throttle, "DRAWN_LATER_FROM", 1)


def _digest(path: Path) -> tuple[str, list[str]]:
    """The file's bytes, and what lies beside it (a -wal, a lock left behind)."""
    beside = sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name))
    return hashlib.sha256(path.read_bytes()).hexdigest(), beside


@JOURNEY_LOG
def test_ctrl_q_while_a_long_session_is_read_quits_at_once_and_leaves_the_file_as_it_was(
    qtbot, tmp_path: Path, dialogs, monkeypatch
) -> None:
    path = tmp_path / "race" / "race.tbs"
    path.parent.mkdir()
    made = SessionRecorder.create(path, QUARTER_MILE_RACE)
    made.submit(three_car_race())
    made.close()
    before = _digest(path)
    steps = {"read": 0}
    restore = snapshot.restore

    def long_restore(*args):  # the snapshot's engine read as a 24 h one is: slice by slice
        for _ in range(LONG_READ_STEPS):
            time.sleep(0.001)
            steps["read"] += 1
            pacing.pause_point()
        return restore(*args)

    monkeypatch.setattr(snapshot, "restore", long_restore)
    user = new_session_window(qtbot, tmp_path, QUARTER_MILE_QUALIFYING, "practice.tbs")
    dialogs.expect(QFileDialog, file_dialog_answer(user, path))
    user.choose("File", "Open session")
    qtbot.waitUntil(lambda: steps["read"] > 20, timeout=10_000)  # well into the reading
    assert "Opening race.tbs" in user.window.windowTitle()
    user.activate()  # back at the window once the file dialog went
    user.press(Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not user.window.isVisible()  # the window went
    assert dialogs.unexpected == []
    # ... without the read run to its end, and no worker left reading
    assert steps["read"] < LONG_READ_STEPS
    assert not [t for t in threading.enumerate() if t.name == "open-session"]
    user.window.controller.close()
    closing.wait_for_all()
    assert _digest(path) == before  # the file half read: not a byte changed, nothing beside it


@JOURNEY_LOG
def test_ctrl_q_while_the_log_of_a_long_session_shown_is_still_checked_quits_at_once(
    qtbot, tmp_path: Path, dialogs, monkeypatch
) -> None:
    """The board is shown from the snapshot and the log read and checked in a worker: closing
    then waited for the whole check (a verdict nothing would take)."""
    from timingboard.store import log_check

    path = tmp_path / "race" / "race.tbs"
    path.parent.mkdir()
    made = SessionRecorder.create(path, QUARTER_MILE_RACE)
    made.submit(three_car_race())
    made.close()
    before = _digest(path)
    steps = {"read": 0}
    read = log_check._read

    def long_read(path: Path):  # the 24 h log read and checked: slice by slice
        for _ in range(LONG_READ_STEPS):
            time.sleep(0.001)
            steps["read"] += 1
            pacing.pause_point()
        return read(path)

    monkeypatch.setattr(log_check, "_read", long_read)
    user = new_session_window(qtbot, tmp_path, QUARTER_MILE_QUALIFYING, "practice.tbs")
    dialogs.expect(QFileDialog, file_dialog_answer(user, path))
    with qtbot.waitSignal(user.window.session_actions.session_opened, timeout=20_000):
        user.choose("File", "Open session")
    qtbot.waitUntil(lambda: steps["read"] > 20, timeout=10_000)  # the log well into its check
    assert user.window.header.session.text() == QUARTER_MILE_RACE.name  # its board is shown
    user.activate()
    user.press(Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not user.window.isVisible()
    assert dialogs.unexpected == []
    user.window.controller.close()  # as the command ends
    closing.wait_for_all()
    assert steps["read"] < LONG_READ_STEPS  # the check stopped, not read to its end
    assert not [t for t in threading.enumerate() if t.name == "timingboard-log-check"]
    assert _digest(path) == before
