"""The race charts draw no point for a lap the board did not see (walk, third round).

Connected to the Road America capture that joined the race on lap 17, the Positions and Gaps
charts drew the leader at about P45 and "33:20.000" behind over laps 1 to 14, while the board
marked them ``17*`` (not seen): a lap the timing system counted has no time of its own here (it
is placed at the crossing that ended the last of them), so its position and gap were invented.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import SHARED_FEEDS
from journey import User, open_window
from race_scripts import QUARTER_MILE_QUALIFYING
from test_journeys_session import connect
from test_rmonitor_network import HEADER, _j

from timingboard.store import SessionRecorder
from timingboard.text.board_columns import Column

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (raise|grabbing)")
ABNORMAL_RESET = SHARED_FEEDS / "redmist_roadamerica_2025-04-26_8hr_abnormal_reset.txt"


def joined_late() -> bytes:
    """Car 18 seen on every lap (15 s laps); car 31 leads on 14 s laps, but this board first
    first crosses here at 0:42, where the timing system says it completed lap 3: laps 1 and 2
    were not seen (the crossing ending lap 3 was)."""
    stream = HEADER + _j("18", 0, 0) + _j("18", 15_000, 15_000) + _j("18", 15_000, 30_000)
    stream += b'$G,1,"31",3,"00:00:42.000"\r\n' + _j("31", 14_000, 42_000)
    for lap in range(3, 7):
        stream += _j("18", 15_000, lap * 15_000)
        if lap < 6:
            stream += _j("31", 14_000, 42_000 + (lap - 2) * 14_000)
    return stream


def connected(qtbot, tmp_path, dialogs, timing_system, data: bytes) -> User:
    """Feed ▸ Connect from a practice file, the timing system sending ``data``."""
    practice = tmp_path / "practice.tbs"
    SessionRecorder.create(practice, QUARTER_MILE_QUALIFYING).close()
    user = User(qtbot, open_window(practice, tmp_path / "settings.ini"))
    user.show()
    connect(user, dialogs, f"127.0.0.1:{timing_system.port}", tmp_path / "feed")
    qtbot.waitUntil(lambda: len(timing_system.sockets) == 1)
    timing_system.send(data)
    return user


def charted_laps(user: User, tab: int, key: str) -> list[int]:
    """The laps a chart draws a point at for a car (the tab picked as a click does)."""
    charts = user.window.charts
    charts.tabs.tabBar().setCurrentIndex(tab)
    user.window.series.flush()
    chart = charts.positions if tab == 1 else charts.gaps
    xs, ys = chart.curve_data(key)
    return [int(x) for x, y in zip(xs, ys, strict=True) if not (math.isnan(x) or math.isnan(y))]


def test_positions_and_gaps_start_where_the_laps_seen_start(
    qtbot, tmp_path, dialogs, timing_system
) -> None:
    user = connected(qtbot, tmp_path, dialogs, timing_system, joined_late())
    qtbot.waitUntil(lambda: user.column(Column.LAPS)[:1] == ["6*"], timeout=5000)
    assert user.column(Column.CAR)[:2] == ["31", "18"]
    assert "31" in user.window.charts.positions.charted  # the leader, charted unasked
    assert charted_laps(user, 1, "31") == [3, 4, 5, 6]  # was 1 to 6: P2 on laps 1 and 2
    assert charted_laps(user, 2, "31") == [3, 4, 5, 6]  # was 27.000 s behind on lap 1
    positions = user.window.charts.positions.curve_data("31")[1]
    np.testing.assert_array_equal(positions, [1, 1, 1, 1])
    charts = user.window.charts
    charts.scope.setCurrentIndex(charts.scope.findData("all"))  # Chart: Every car
    assert charted_laps(user, 1, "18") == [1, 2, 3, 4, 5, 6]  # every lap seen: all drawn
    user.window.close()


@pytest.mark.feeds
@pytest.mark.skipif(not ABNORMAL_RESET.exists(), reason="shared captures absent")
def test_the_road_america_leader_joined_on_lap_17_has_no_invented_points(
    qtbot, tmp_path, dialogs, timing_system
) -> None:
    user = connected(qtbot, tmp_path, dialogs, timing_system, ABNORMAL_RESET.read_bytes())
    qtbot.waitUntil(lambda: "17*" in user.column(Column.LAPS)[:1], timeout=15000)
    leader = user.window.board_model.key_at(0)
    unseen = user.window.controller.engine.laps_not_seen(leader)
    not_seen = {n for first, last in unseen for n in range(first, last + 1)}
    assert not_seen  # the capture joined the race late
    for tab in (1, 2):
        drawn = charted_laps(user, tab, leader)
        assert not set(drawn) & not_seen, f"points drawn at laps not seen: {drawn}"
    user.window.close()
