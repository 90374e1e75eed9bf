"""Journey: the demo's own heat, opened later with File ▸ Open session, said "STOPPED
(recorded from a decoder)" in the title: the demo stamps its scripted passings as a simulated
decoder's, and no decoder was ever connected. The demo's files say the demo timed them (a note
in the file; the passings' source stays as logged), and the title says "recorded from the demo".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from journey import User, demo_window, file_dialog_answer
from PySide6.QtWidgets import QFileDialog
from race_scripts import QUARTER_MILE_QUALIFYING

from timingboard.engine.events import Source
from timingboard.store.recorder import SessionRecorder
from timingboard.store.session_file import SessionFile

JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


def _open_session(user: User, dialogs, path: Path) -> None:
    """File ▸ Open session…, the file picked in the dialog."""
    dialogs.expect(QFileDialog, file_dialog_answer(user, path))
    with user.qtbot.waitSignal(user.window.session_actions.session_opened, timeout=10_000):
        user.choose("File", "Open session")
    assert dialogs.unexpected == []
    user.activate()


@JOURNEY_LOG
def test_the_demos_heat_opened_later_says_the_demo_recorded_it(qtbot, tmp_path, dialogs) -> None:
    practice = tmp_path / "practice.tbs"
    SessionRecorder.create(practice, QUARTER_MILE_QUALIFYING).close()
    window, runner = demo_window(tmp_path / "demo", tmp_path / "settings.ini", speed=40)
    user = User(qtbot, window)
    user.show()
    runner.start()
    qtbot.waitUntil(lambda: "Heat" in window.windowTitle(), timeout=20_000)  # after qualifying
    qtbot.waitUntil(lambda: int(user.header()["passings"].split()[0]) > 20, timeout=10_000)
    assert "LIVE (demo)" in window.windowTitle()
    heat = window.controller.recorder.path
    assert heat is not None
    heat = Path(heat)

    _open_session(user, dialogs, practice)  # the operator takes over: the demo stops mid-heat
    assert "practice.tbs" in window.windowTitle()
    _open_session(user, dialogs, heat)  # and opens the demo's heat later
    title = window.windowTitle()
    assert f"{heat.name} — STOPPED (recorded from the demo) ·" in title, title
    assert "decoder" not in title

    window.close()
    window.controller.close()
    file = SessionFile.open(heat, read_only=True)  # its passings logged as they were
    try:
        sources = {e.event.source for e in file.entries() if hasattr(e.event, "source")}
    finally:
        file.close()
    assert Source.DECODER in sources
