"""Small faults a new user's walk found, walked again through the real window: what opening a
session offers for undo, and what the board, the passings log and the dialogs say."""

from __future__ import annotations

from pathlib import Path

import pytest
from journey import User, file_dialog_answer, open_window
from PySide6.QtWidgets import QFileDialog
from race_scripts import QUARTER_MILE_RACE, three_car_race

from timingboard.engine.corrections import TIMING_SYSTEM
from timingboard.engine.events import InsertPassing, TimePenalty
from timingboard.store.recorder import SessionRecorder

JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


def _imported(path: Path) -> Path:
    """A session as an import leaves it: the timing system re-timed a crossing of car 3's (its
    correction is in the log), and the operator gave car 1 a time penalty."""
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit(three_car_race())
    retimed = InsertPassing(
        time_ms=75_000, key="3", operator=TIMING_SYSTEM, reason="re-timed by the timing system"
    )
    recorder.submit([retimed])
    recorder.submit([TimePenalty(key="1", ms=5000, operator="Sam Steward", reason="jump start")])
    recorder.close()
    return path


@JOURNEY_LOG
def test_opening_a_session_after_a_replay_says_nothing_done_and_never_offers_the_timing_system(
    qtbot, tmp_path, dialogs
) -> None:
    earlier = tmp_path / "earlier.tbs"
    SessionRecorder.create(earlier, QUARTER_MILE_RACE).close()
    imported = _imported(tmp_path / "imported.tbs")
    user = User(qtbot, open_window(earlier, tmp_path / "settings.ini"))
    user.show()
    dialogs.expect(QFileDialog, file_dialog_answer(user, imported))
    user.choose("File", "Replay a session or capture")
    assert dialogs.unexpected == []
    assert "REPLAY" in user.window.windowTitle()

    dialogs.expect(QFileDialog, file_dialog_answer(user, imported))
    user.choose("File", "Open session")
    assert dialogs.unexpected == []
    qtbot.waitUntil(lambda: "LIVE" in user.window.windowTitle())
    assert not user.status().startswith("Done:"), user.status()
    # the operator's own penalty is the one to undo; the timing system's re-timing is not offered
    assert "penalty" in user.window.undo_action.text().lower(), user.window.undo_action.text()
    user.window.undo_action.trigger()
    assert not user.window.undo_action.isEnabled(), user.window.undo_action.text()
    user.window.close()
