"""Journey: an evening followed past 99 sessions. The feed numbers its files ``feed-NN-….tbs``
(after the highest already in the folder); the Event tab listed ``feed-100`` before
``feed-99`` once their times no longer told them apart (a folder copied file by file, in the
order of their names, or files of one second), as their names sort. They are listed by number.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from journey import User, open_window
from race_scripts import QUARTER_MILE_RACE

from timingboard.store.event_folder import session_files
from timingboard.store.names import last_numbered
from timingboard.store.recorder import SessionRecorder
from timingboard.text.event_text import EventColumn

JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")
NUMBERS = (9, 10, 98, 99, 100, 101)


def _event_names(user: User) -> list[str]:
    model = user.window.event_actions.model
    return [str(model.index(r, EventColumn.SESSION).data()) for r in range(model.rowCount())]


def _feed_folder(folder: Path, same_time: bool) -> list[Path]:
    """A practice made by hand, then the feed's heats: written (or copied) in the order of
    their names (feed-10 and feed-100 before feed-9 and feed-99), or all at one time."""
    folder.mkdir()
    made = [folder / "practice.tbs"]
    SessionRecorder.create(made[0], replace(QUARTER_MILE_RACE, name="Practice")).close()
    for n in NUMBERS:
        path = folder / f"feed-{n:02d}-heat-{n}.tbs"
        SessionRecorder.create(path, replace(QUARTER_MILE_RACE, name=f"Heat {n}")).close()
        made.append(path)
    by_name = sorted(made[1:], key=lambda p: p.name)  # "feed-09", "feed-10", "feed-100", …
    base = os.stat(made[0]).st_mtime
    for i, path in enumerate(by_name, start=1):
        at = base + 60 if same_time else base + 60 * i
        os.utime(path, (at, at))
    return made


@JOURNEY_LOG
@pytest.mark.parametrize("same_time", [False, True], ids=["copied-by-name", "one-time"])
def test_the_event_tab_lists_a_feeds_sessions_past_99_by_number(
    qtbot, tmp_path, same_time: bool
) -> None:
    made = _feed_folder(tmp_path / "evening", same_time)
    assert [p.name for p in session_files(tmp_path / "evening")] == [p.name for p in made]
    assert last_numbered(tmp_path / "evening", "feed") == 101  # the next made is feed-102
    user = User(qtbot, open_window(made[0], tmp_path / "settings.ini"))
    user.show()
    wanted = ["Practice", *(f"Heat {n}" for n in NUMBERS)]
    qtbot.waitUntil(lambda: _event_names(user) == wanted, timeout=10_000)
    user.window.close()
    user.window.controller.close()
