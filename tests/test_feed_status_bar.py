"""What the window says of a feed, as a new user read it (the walk): Feed ▸ Connect to a local
timing system, then the status bar, its tooltip and the banner, read as they are shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SHARED_FEEDS
from journey import User, open_window
from race_scripts import QUARTER_MILE_QUALIFYING
from test_journeys_session import connect
from test_rmonitor_network import _j

from timingboard.feeds.official_order import (
    check_order,
    compared_cars,
    disagreements,
    official_positions,
)
from timingboard.qt.leaderboard_model import Column
from timingboard.store import SessionRecorder
from timingboard.store.feed_import import import_stream
from timingboard.widgets.elided_label import ElidedLabel

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (raise|grabbing)")

# An HPDE run: the timing system lists the cars in $H but times none of them (every $J and
# every best lap at zero), as the Road America day's HPDE sessions do.
HPDE = (
    b'$B,55,"HPDE S1"\r\n$A,"17","17",1017,"Ann","Lee","USA",1\r\n'
    b'$A,"36","36",1036,"Bo","Ng","USA",1\r\n'
    b'$F,9999,"00:00:00","12:00:00","00:00:00","Green "\r\n'
    + _j("36", 0, 0)
    + _j("17", 0, 0)
    + b'$H,1,"17",0,"00:00:00.000"\r\n$H,2,"36",0,"00:00:00.000"\r\n'
    + b'$F,9999,"00:00:00","12:00:05","00:00:05","Green "\r\n'
)


class FakeClock:
    """The feed health's clock, moved by the test instead of waited for."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def connected(
    qtbot, tmp_path: Path, dialogs, timing_system, data: bytes, clock: FakeClock | None = None
) -> User:
    """Feed ▸ Connect from a practice file, the timing system sending ``data``."""
    practice = tmp_path / "practice.tbs"
    SessionRecorder.create(practice, QUARTER_MILE_QUALIFYING).close()
    user = User(qtbot, open_window(practice, tmp_path / "settings.ini"))
    user.show()
    user.window.showNormal()
    user.window.resize(1280, 800)  # the desk at its smallest
    if clock is not None:
        user.window.feed_watch.health.clock = clock
    connect(user, dialogs, f"127.0.0.1:{timing_system.port}", tmp_path / "feed")
    qtbot.waitUntil(lambda: len(timing_system.sockets) == 1)
    if data:
        timing_system.send(data)
    return user


# A heat as Orbits sends it: car 31's crossings at 0:14.5 and 0:41.4 come twice, the second
# time re-timed by a few ms, as a relay does. Nothing is lost.
RESENDING = (
    b'$B,7,"Feature"\r\n$A,"31","31",1031,"Justin","Haley","USA",1\r\n'
    b'$F,9999,"00:00:00","12:00:00","00:00:00","Green "\r\n'
    + _j("31", 0, 1_000)
    + _j("31", 13_500, 14_500)
    + _j("31", 13_500, 14_500)  # the same crossing sent again
    + _j("31", 13_500, 27_900)
    + _j("31", 13_500, 41_400)
    + _j("31", 13_503, 41_403)  # again, re-timed by +3 ms
    + b'$G,1,"31",3,"00:00:41.400"\r\n'
)
COTA = SHARED_FEEDS / "redmist_cota_2025-12-07_7hr.txt"
SEBRING5 = SHARED_FEEDS / "sebring2009_alms_test_session5.txt"


def link_shown(user: User) -> str:
    """The feed's line as the status bar draws it (cut with "…" when it does not fit)."""
    label = user.window.feed.link_label
    return label.findChild(ElidedLabel).shown()


def leave(user: User) -> None:
    user.activate()
    user.choose("Feed", "Disconnect")
    user.window.close()
    user.window.controller.close()


def test_a_session_the_timing_system_times_no_car_of_says_nothing_agrees(
    qtbot, tmp_path, dialogs, timing_system
) -> None:
    """It read "Timing system order: agrees" (or "differs") over cars with no time at all."""
    user = connected(qtbot, tmp_path, dialogs, timing_system, HPDE)
    order = user.window.feed.order_label
    qtbot.waitUntil(lambda: user.window.controller.engine.settings.name == "HPDE S1")
    qtbot.waitUntil(lambda: order.text() != "", timeout=3000)
    assert order.text() == "Timing system order: no car to compare yet"
    # the first lap it times: now there is an order to compare
    timing_system.send(
        _j("17", 95_000, 95_000) + b'$H,1,"17",1,"00:01:35.000"\r\n$H,2,"36",0,"00:00:00.000"\r\n'
    )
    qtbot.waitUntil(lambda: order.text() == "Timing system order: agrees", timeout=3000)
    leave(user)


def test_a_feed_connected_that_sends_nothing_is_silent_not_lost(
    qtbot, tmp_path, dialogs, timing_system
) -> None:
    """It read "FEED LOST — no data since connecting 0:12 ago": the link was up, nothing came."""
    clock = FakeClock()
    user = connected(qtbot, tmp_path, dialogs, timing_system, b"", clock)
    watch = user.window.feed_watch
    qtbot.waitUntil(lambda: user.window.feed.link_label.text() == "Feed: connected")
    clock.now += 12
    watch.health.check()  # as its timer does, twice a second
    assert watch.banner.isVisible()
    assert watch.banner.text() == "FEED SILENT — connected 0:12 ago, no data yet"
    assert user.window.scoreboard.stale.text() == "FEED SILENT — connected 0:12 ago, no data yet"
    timing_system.send(b'$F,9999,"00:00:00","12:00:00","00:00:00","      "\r\n')
    qtbot.waitUntil(lambda: not watch.banner.isVisible())
    clock.now += 12
    watch.health.check()
    assert watch.banner.text() == "FEED LOST — last data 0:12 ago"  # it spoke, then went quiet
    leave(user)


def test_crossings_the_timing_system_sends_again_are_not_skipped_lines(
    qtbot, tmp_path, dialogs, timing_system
) -> None:
    """A healthy feed read "Feed: connected; 3505 line(s) skipped, last: the sa…"."""
    user = connected(qtbot, tmp_path, dialogs, timing_system, RESENDING)
    label = user.window.feed.link_label
    engine = lambda: user.window.controller.engine  # noqa: E731 (the feed's session, once named)
    qtbot.waitUntil(lambda: "31" in engine().entries and engine().standing("31").laps == 3)
    qtbot.waitUntil(lambda: "sent again" in label.toolTip(), timeout=3000)
    assert label.text() == "Feed: connected" and link_shown(user) == "Feed: connected"
    assert label.toolTip() == (
        "Feed: connected\n2 record(s) the timing system sent again, each kept once "
        "(nothing lost): 2 x the same crossing sent again"
    )
    # a line really not taken: counted in the bar, short enough to read whole; why in the tip
    timing_system.send(b'$J,"99","00:00:13.000"\r\ngarbage line\r\n')
    qtbot.waitUntil(lambda: "skipped" in label.text(), timeout=3000)
    assert label.text() == "Feed: connected; 2 line(s) skipped"
    qtbot.waitUntil(lambda: link_shown(user) == label.text())  # not cut to "…"
    tip = label.toolTip().splitlines()
    assert tip[0] == "Feed: connected; 2 line(s) skipped"
    assert tip[1] == "2 line(s) skipped (not taken)"
    assert tip[2] == "last: not a record — garbage line"
    assert tip[3] == "by reason: 1 x $J record cut short, 1 x not a record"
    assert tip[4].startswith("2 record(s) the timing system sent again, each kept once")
    leave(user)


@pytest.mark.feeds
@pytest.mark.skipif(not COTA.exists(), reason="../shared/feeds is not here")
def test_a_healthy_relay_capture_reads_connected_with_no_line_skipped(
    qtbot, tmp_path, dialogs, timing_system
) -> None:
    """The COTA 7 h capture: every line taken but eight crossings the relay sent again."""
    user = connected(qtbot, tmp_path, dialogs, timing_system, COTA.read_bytes())
    client = user.window.feed.client
    assert client is not None
    size = COTA.stat().st_size
    qtbot.waitUntil(lambda: client.bytes_received == size, timeout=20000)
    label = user.window.feed.link_label
    qtbot.waitUntil(lambda: "8 record(s)" in label.toolTip(), timeout=3000)
    assert label.text() == "Feed: connected" and link_shown(user) == "Feed: connected"
    assert label.toolTip() == (
        "Feed: connected\n8 record(s) the timing system sent again, each kept once "
        "(nothing lost): 8 x the same crossing sent again"
    )
    leave(user)


def ts_column(user: User) -> list[str]:
    """The TS column's texts, top row first, as the board shows them."""
    model = user.window.board_model
    model.flush()
    return [model.index(row, Column.OFFICIAL).data() or "" for row in range(model.rowCount())]


def live_differences(user: User) -> list[tuple[str, int, int]]:
    """What the status bar's order check says of the board and feed as they are now."""
    client = user.window.feed.client
    assert client is not None and client.feed_session is not None
    engine, session = user.window.controller.engine, client.feed_session
    official = official_positions(engine, session)
    return disagreements(engine, official, compared_cars(engine, session))


@pytest.mark.feeds
@pytest.mark.skipif(not SEBRING5.exists(), reason="../shared/feeds is not here")
def test_stale_best_lap_rows_leave_no_gap_in_the_ts_column_and_live_agrees_with_import(
    qtbot, tmp_path, dialogs, timing_system
) -> None:
    """Sebring 2009 session 5 (13 cars) also sends $H rows of cars of another session (#6, #7,
    #18, #65, #71, at 59:59.999): the TS column read 1, 3, 5, 6 … 15 and the status bar
    "Timing system order differs: #15 ours P2 / TS P3" while import agreed over 13 cars."""
    data = SEBRING5.read_bytes()
    cut = data.index(b"\n$F", len(data) // 4) + 1  # a quarter in, between two refreshes
    # the health's clock stands still: a backlog read in slices takes longer than the feed
    # may stay silent on a busy machine, and the order is then "not known (feed lost)"
    user = connected(qtbot, tmp_path, dialogs, timing_system, data[:cut], FakeClock())
    client = user.window.feed.client
    assert client is not None
    order = user.window.feed.order_label
    places = [str(place) for place in range(1, 14)]
    qtbot.waitUntil(lambda: client.bytes_received == cut, timeout=20000)
    assert live_differences(user) == []
    qtbot.waitUntil(lambda: order.text() == "Timing system order: agrees", timeout=3000)
    qtbot.waitUntil(lambda: ts_column(user) == places, timeout=3000)

    timing_system.send(data[cut:])
    qtbot.waitUntil(lambda: client.bytes_received == len(data), timeout=20000)
    # a 2:04.295 of #28 the timing system did not count (its best: 2:04.796) is a true
    # difference until the stream ends; import's check says the same of the same board
    engine, session = user.window.controller.engine, client.feed_session
    assert session is not None and not check_order(engine, session).agrees
    assert live_differences(user) == [("92", 12, 11), ("28", 11, 12)]
    differs = "Timing system order differs: #92 ours P12 / TS P11, #28 ours P11 / TS P12"
    qtbot.waitUntil(lambda: order.text() == differs, timeout=3000)

    timing_system.drop()  # the stream ends: the board is brought to the timing system's counts
    qtbot.waitUntil(lambda: user.window.controller.engine.order()[-3:] == ["92", "28", "11"])
    assert live_differences(user) == []
    qtbot.waitUntil(lambda: ts_column(user) == places, timeout=3000)
    engine, session = user.window.controller.engine, client.feed_session
    official = official_positions(engine, session)
    [imported] = import_stream(SEBRING5, tmp_path / "imported.tbs").sessions
    assert imported.check.agrees
    assert sorted(official, key=official.__getitem__) == imported.check.compared
    assert engine.order() == imported.check.compared
    leave(user)
