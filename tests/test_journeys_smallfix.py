"""Faults left from the last stop, walked through the real window as ``timingboard open``
builds it: the Event tab on a link whose target is gone, an export pointed at ``event.json``,
the status bar's refusals at 1280 px, and the collector's frozen objects across opens."""

from __future__ import annotations

from pathlib import Path

import pytest
from journey import User, open_window
from race_scripts import QUARTER_MILE_RACE, three_car_race

from timingboard.store.recorder import SessionRecorder
from timingboard.text.event_text import EventColumn

JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


def _race(path: Path) -> Path:
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit(three_car_race())
    recorder.close()
    return path


def _event_rows(user: User) -> list[tuple[str, str]]:
    model = user.window.event_actions.model
    return [
        (
            str(model.index(r, EventColumn.SESSION).data()),
            str(model.index(r, EventColumn.STATUS).data()),
        )
        for r in range(model.rowCount())
    ]


@JOURNEY_LOG
def test_the_event_tab_lists_a_link_whose_session_is_gone_and_says_so(qtbot, tmp_path) -> None:
    """``session_files`` called ``stat`` on every ``.tbs`` of the folder: a link whose target
    was moved away raised FileNotFoundError, and the Event tab listed nothing."""
    folder = tmp_path / "event"
    folder.mkdir()
    path = _race(folder / "race.tbs")
    (folder / "heat.tbs").symlink_to(tmp_path / "moved" / "heat.tbs")
    user = User(qtbot, open_window(path, tmp_path / "settings.ini"))
    user.show()
    qtbot.waitUntil(lambda: len(_event_rows(user)) == 2, timeout=5000)
    gone = tmp_path / "moved" / "heat.tbs"
    qtbot.waitUntil(lambda: dict(_event_rows(user))["heat"] != "reading…", timeout=5000)
    rows = dict(_event_rows(user))
    assert rows["heat"] == f"unreadable: the link's target {gone} is gone", rows
    assert [status for name, status in rows.items() if name != "heat"] == ["live"], rows
    user.window.close()
    user.window.controller.close()
