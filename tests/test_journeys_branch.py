"""A copy branched from a replay to correct a session, as race control makes it: File ▸ Replay
the demo's heat, File ▸ Branch a copy to correct… ▸ Save. The copy's title said "STOPPED
(recorded from a decoder)" (the demo's passings are a simulated decoder's) while its clock ran
on from the heat's time zero (GREEN 0:18:38, the last passing at 0:01:11); the first car typed
went in as lap 6 with a lap of 17:38.208, and the title turned LIVE.

A branched copy is the session as it stood, to be corrected (insert a missed lap, delete a
double read, penalties): it is a record whatever its day, its clock standing at its last event,
typing and flags refused saying why (its race, if it still runs, is timed in the original).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from journey import Dialogs, User, close_session_window, file_dialog_answer, open_window
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from timingboard.demo.clash import FIELD, heat_race
from timingboard.engine.formatting import format_clock
from timingboard.store.recorder import SessionRecorder

JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")
STOPPED_AT_MS = 71_000  # the heat stopped after its fifth lap (the walk's 0:01:11.743)
RAN_S = 18 * 60.0  # the heat's file was made 18 minutes ago (the walk's GREEN 0:18:38)


def _demo_heat(path: Path) -> int:
    """The demo's Heat 1 as the demo left it when stopped, at ``path``: its decoder-timed
    passings to 0:01:11, its time zero 18 minutes ago (today: not a record of another day).
    Its last event's session time."""
    heat = heat_race([row[0] for row in FIELD[:9]])
    recorder = SessionRecorder.create(path, heat.settings, time.time() - RAN_S)
    recorder.submit(list(heat.competitors))
    recorder.submit([event for at, event in heat.events if at <= STOPPED_AT_MS])
    recorder.close()
    return max(at for at, _ in heat.events if at <= STOPPED_AT_MS)


def _typed(user: User, text: str) -> None:
    user.activate()
    field = user.window.entry_panel.car_field
    field.setFocus()
    user.qtbot.waitUntil(lambda: QApplication.focusWidget() is field)
    user.type(text)
    user.press(Qt.Key.Key_Return)


@JOURNEY_LOG
def test_a_branched_copy_of_the_demos_heat_stands_and_takes_no_typed_crossing(
    qtbot, tmp_path: Path, dialogs: Dialogs
) -> None:
    heat = tmp_path / "busch-light-clash-heat-1.tbs"
    last_ms = _demo_heat(heat)
    live = tmp_path / "practice.tbs"
    SessionRecorder.create(live, heat_race(["31"]).settings).close()
    user = User(qtbot, open_window(live, tmp_path / "settings.ini"))
    user.window.resize(1280, 800)  # the walk's screen
    user.show()

    dialogs.expect(QFileDialog, file_dialog_answer(user, heat))
    user.choose("File", "Replay")
    qtbot.waitUntil(lambda: user.window.controller.is_replay)
    assert "REPLAY (read-only)" in user.window.windowTitle()

    branch = tmp_path / "busch-light-clash-heat-1-branch.tbs"
    dialogs.expect(QFileDialog, file_dialog_answer(user, branch))
    with qtbot.waitSignal(user.window.session_actions.session_opened, timeout=10_000):
        user.choose("File", "Branch a copy to correct")
    assert dialogs.unexpected == [] and dialogs.expected == []
    assert branch.is_file() and not user.window.controller.is_replay

    title = user.window.windowTitle()
    assert title == (
        "Busch Light Clash - Heat 1 — busch-light-clash-heat-1-branch.tbs — STOPPED "
        "(copy of busch-light-clash-heat-1.tbs for corrections) · timingboard"
    ), title
    assert "decoder" not in title
    header = user.window.header
    passings = user.header()["passings"]
    # the clock stands at the copy's last passing, not at the 18 minutes since its time zero
    standing = user.header()["clock"]
    assert standing == format_clock(last_ms) and standing.startswith("0:01:"), standing
    assert header.clock_kind.text() == "since green, stopped at"
    for _ in range(3):  # a few ticks of the header's clock: it does not move
        with qtbot.waitSignal(header.clock_timer.timeout, timeout=3000):
            pass
        assert user.header()["clock"] == standing
    assert "copy of busch-light-clash-heat-1.tbs" in user.entry_message()[0]  # said at once

    _typed(user, "31")
    said = user.status()
    assert said == (
        "Not timed: a copy of busch-light-clash-heat-1.tbs to correct. "
        "A missed lap: right-click the car ▸ Insert a missed lap…"
    ), said
    assert user.status_cut() == ""  # read whole at 1280 px
    message = user.entry_message()[0]
    assert message.startswith("Not timed: this is a copy of busch-light-clash-heat-1.tbs made")
    assert "File ▸ Open it to go on timing" in message
    assert user.window.entry_panel.car_field.text() == "31"  # the number typed is kept
    assert user.header()["passings"] == passings  # nothing logged: no 17-minute lap 6
    assert user.window.windowTitle() == title  # not LIVE

    user.press(Qt.Key.Key_F6)  # nor a flag
    assert user.status().startswith("The yellow flag was not taken: a copy of busch-light")
    assert user.status_cut() == ""
    assert user.header()["clock"] == standing

    # the original, opened again, is the heat to go on timing: it runs on as today's
    dialogs.expect(QFileDialog, file_dialog_answer(user, heat))
    with qtbot.waitSignal(user.window.session_actions.session_opened, timeout=10_000):
        user.choose("File", "Open session")
    assert dialogs.unexpected == []
    assert "copy of" not in user.window.windowTitle()
    qtbot.waitUntil(lambda: user.header()["clock"].startswith("0:1"))  # 18 min since green
    assert header.clock_kind.text() == "since green"
    close_session_window(user.window)
