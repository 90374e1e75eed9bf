"""File ▸ New session's "Stages end at laps": the walk typed ``foo, 3`` and got a stage at 3 and
not a word of foo. What does not read is said (⚠) and OK stays off until it does."""

from __future__ import annotations

import pytest
from journey import file_dialog_answer, new_session_window, ok_button
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from race_scripts import QUARTER_MILE_QUALIFYING

from timingboard.store.recorder import SessionRecorder
from timingboard.widgets.session_dialog import NewSessionDialog

JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


@JOURNEY_LOG
def test_stage_laps_that_do_not_read_are_refused_until_fixed(qtbot, tmp_path, dialogs) -> None:
    user = new_session_window(qtbot, tmp_path, QUARTER_MILE_QUALIFYING, "practice.tbs")
    seen: dict[str, object] = {}

    def fill(dialog) -> None:
        assert isinstance(dialog, NewSessionDialog)
        user.fill(dialog.name, "Feature")
        user.tab_to(dialog.kind)
        user.type("R")
        user.fill(dialog.laps, "10")
        user.fill(dialog.stages, "foo, 3")
        seen["problem"] = dialog.problem.text()
        seen["ok"] = ok_button(dialog).isEnabled()
        user.press(Qt.Key.Key_Return)  # Enter does not take it either
        seen["still open"] = dialog.isVisible()
        user.fill(dialog.stages, "3, 6")
        seen["fixed"] = (dialog.problem.text(), ok_button(dialog).isEnabled())
        user.click(ok_button(dialog))

    race = tmp_path / "feature.tbs"
    dialogs.expect(NewSessionDialog, fill)
    dialogs.expect(QFileDialog, file_dialog_answer(user, race))
    user.choose("File", "New session")
    assert dialogs.unexpected == [] and dialogs.expected == []
    assert seen["problem"] == (
        "⚠ Stages end at laps: 'foo' is not a lap number (whole laps after the start, "
        "e.g. 60, 140)."
    )
    assert seen["ok"] is False and seen["still open"] is True
    assert seen["fixed"] == ("", True)
    user.window.close()
    user.window.controller.close()
    made = SessionRecorder.open(race)
    assert made.engine.settings.stage_laps == (3, 6)
    made.close()
