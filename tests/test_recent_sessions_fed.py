"""An evening followed fills the Recent list with the feed's sessions: the operator's own stay
on it (issue 15's second walk: five ``feed-NN`` files, the desk's q.tbs and heat.tbs gone)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from journey import User, close_session_window, open_window, settings_at
from race_scripts import QUARTER_MILE_QUALIFYING, QUARTER_MILE_RACE
from test_journeys_session import connect
from test_rmonitor_network import _laps

from timingboard.app.recent_sessions import RECENT_KEPT, RecentSessions
from timingboard.store import SessionRecorder
from timingboard.widgets.start_dialog import StartDialog

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (raise|grabbing)")


def heat(number: int) -> bytes:
    """One heat as the timing system sends it: its run, two cars, green, their laps."""
    return (
        f'$B,{number},"Heat {number}"\r\n'.encode()
        + b'$A,"31","31",1031,"Justin","Haley","USA",1\r\n'
        + b'$A,"18","18",1018,"Kyle","Busch","USA",1\r\n'
        + b'$F,9999,"00:00:00","12:00:00","00:00:00","Green "\r\n'
        + b"".join(_laps("31", 2, 14_000, 0))
    )


def offered(qtbot, settings_file: Path) -> list[str]:
    """The names plain ``timingboard`` offers (run_start's dialog on the same list)."""
    dialog = StartDialog(RecentSessions(settings_at(settings_file)).paths())
    qtbot.addWidget(dialog)
    return [dialog.sessions.item(i).text().split(" — ")[0] for i in range(dialog.sessions.count())]


def test_an_evening_followed_keeps_the_operators_sessions_on_the_start_list(
    qtbot, tmp_path, dialogs, timing_system
) -> None:
    desk = tmp_path / "event"
    desk.mkdir()
    q, race = desk / "q.tbs", desk / "heat.tbs"
    SessionRecorder.create(q, QUARTER_MILE_QUALIFYING).close()
    SessionRecorder.create(race, QUARTER_MILE_RACE).close()
    settings = tmp_path / "settings.ini"
    first = open_window(q, settings)  # the qualifying worked in first
    qtbot.addWidget(first)
    close_session_window(first)
    user = User(qtbot, open_window(race, settings))
    user.show()
    connect(user, dialogs, f"127.0.0.1:{timing_system.port}", tmp_path / "feed")
    qtbot.waitUntil(lambda: len(timing_system.sockets) == 1)
    for number in range(1, 7):  # six heats: more than the list's operator half ever showed
        timing_system.send(heat(number))
        qtbot.waitUntil(lambda n=number: f"Heat {n}" in user.window.windowTitle(), timeout=5000)
    made = sorted(p.name for p in (tmp_path / "feed").glob("feed-*.tbs"))
    assert len(made) == 6
    user.choose("Feed", "Disconnect")
    close_session_window(user.window)
    # the latest of the evening followed, then the operator's: not six feed files alone
    assert offered(qtbot, settings) == [made[-1], "heat.tbs", "q.tbs"]

    again = open_window(tmp_path / "feed" / made[2], settings)  # one of them reopened
    qtbot.addWidget(again)
    close_session_window(again)
    assert offered(qtbot, settings) == [made[2], made[-1], "heat.tbs", "q.tbs"]  # the operator's


def test_the_operators_sessions_are_kept_ten_deep_and_a_feeds_folders_three(tmp_path) -> None:
    recent = RecentSessions(settings_at(tmp_path / "settings.ini"))
    for i in range(12):
        SessionRecorder.create(tmp_path / f"s{i:02d}.tbs", QUARTER_MILE_RACE).close()
        recent.remember(tmp_path / f"s{i:02d}.tbs")
    for folder in "abcd":
        (tmp_path / folder).mkdir()
        for number in (1, 2):
            path = tmp_path / folder / f"feed-0{number}.tbs"
            SessionRecorder.create(path, QUARTER_MILE_RACE).close()
            recent.remember(path, by_feed=True)
    listed = [f"{p.parent.name}/{p.name}" for p in recent.paths()]
    fed = ["d/feed-02.tbs", "c/feed-02.tbs", "b/feed-02.tbs"]
    mine_kept = [f"{tmp_path.name}/s{i:02d}.tbs" for i in range(11, 11 - RECENT_KEPT, -1)]
    assert listed == fed + mine_kept


REMEMBER = """
import sys
from PySide6.QtCore import QSettings
from timingboard.app.recent_sessions import RecentSessions
RecentSessions(QSettings(sys.argv[1], QSettings.Format.IniFormat)).remember(sys.argv[2])
"""


def test_a_session_another_board_remembered_meanwhile_is_kept(tmp_path) -> None:
    """A follower and a desk on one machine: each wrote back the list it had read at its
    start, dropping the session the other had remembered since."""
    paths = [tmp_path / name for name in ("feed-01.tbs", "q.tbs", "feed-02.tbs")]
    for path in paths:
        SessionRecorder.create(path, QUARTER_MILE_RACE).close()
    settings = tmp_path / "settings.ini"
    follower = RecentSessions(settings_at(settings))
    follower.remember(paths[0], by_feed=True)
    subprocess.run(  # the desk, another process, opens q.tbs
        [sys.executable, "-c", REMEMBER, str(settings), str(paths[1])],
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    follower.remember(paths[2])
    assert [p.name for p in RecentSessions(settings_at(settings)).paths()] == [
        "feed-02.tbs",
        "q.tbs",
        "feed-01.tbs",
    ]
