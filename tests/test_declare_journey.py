"""File ▸ Declare results official on a race still running: the dialog says it is unfinished
and what the flag is; once declared the Event view says so at once, and a passing typed after
it is refused as a flag is (the results are final; a missed lap is inserted, an amendment)."""

from __future__ import annotations

from pathlib import Path

import pytest
from journey import FakeTime, User, new_session_window, ok_button
from PySide6.QtCore import Qt
from race_scripts import QUARTER_MILE_RACE

from timingboard.reports.results import json_document
from timingboard.text.event_text import EventColumn
from timingboard.text.session_text import finished_crossing_status
from timingboard.widgets.entry_panel import BAD
from timingboard.widgets.results_sheet_dialogs import DeclareOfficialDialog

JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


def event_status(user: User) -> str:
    model = user.window.event_actions.model
    return str(model.index(0, EventColumn.STATUS).data())


@JOURNEY_LOG
def test_declaring_a_running_race_warns_then_a_number_typed_is_refused(
    qtbot, tmp_path: Path, dialogs, monkeypatch
) -> None:
    clock = FakeTime().install(monkeypatch)
    user = new_session_window(qtbot, tmp_path, QUARTER_MILE_RACE, "heat-1.tbs")
    user.press(Qt.Key.Key_F5)
    for lap in range(3):
        clock.advance(13.5)
        user.enter("31")
        if lap == 0:
            user.press(Qt.Key.Key_Return)  # a new car
    qtbot.waitUntil(lambda: event_status(user) == "live")

    warned: list[str] = []

    def declare(dialog) -> None:
        assert isinstance(dialog, DeclareOfficialDialog)
        warned.append(dialog.unfinished.text() if dialog.unfinished.isVisibleTo(dialog) else "")
        warned.append(ok_button(dialog).text())
        user.fill(dialog.operator_field, "Ann Chief")
        user.click(ok_button(dialog))

    dialogs.expect(DeclareOfficialDialog, declare)
    user.choose("File", "Declare results official")
    qtbot.waitUntil(lambda: bool(warned) and not dialogs.expected)
    assert dialogs.unexpected == []
    assert "is not finished: the flag is GREEN" in warned[0], warned
    assert "laps to go" in warned[0], warned
    assert warned[1] == "Declare unfinished results official"
    assert event_status(user) == "results official"  # at once, no Refresh

    user.activate()
    passings = user.header()["passings"]
    clock.advance(13.5)
    user.enter("31")  # the results are final: a crossing now is refused, as a flag is
    assert user.status() == finished_crossing_status("official")
    text, style = user.entry_message()
    assert text.startswith("Not timed: the session is finished (its results are official)")
    assert "(an amendment), right-click the car ▸ Insert a missed lap…" in text
    assert BAD in style and user.window.entry_panel.car_field.text() == "31"  # kept
    assert user.header()["passings"] == passings
    document = json_document(user.window.controller.engine)
    assert document["status"]["amendments"] == 0
    user.window.close()
    user.window.controller.close()
