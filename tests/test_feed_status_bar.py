"""What the window says of a feed, as a new user read it (the walk): Feed ▸ Connect to a local
timing system, then the status bar, its tooltip and the banner, read as they are shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from journey import User, open_window
from race_scripts import QUARTER_MILE_QUALIFYING
from test_journeys_session import connect
from test_rmonitor_network import _j

from timingboard.store import SessionRecorder

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
    if clock is not None:
        user.window.feed_watch.health.clock = clock
    connect(user, dialogs, f"127.0.0.1:{timing_system.port}", tmp_path / "feed")
    qtbot.waitUntil(lambda: len(timing_system.sockets) == 1)
    if data:
        timing_system.send(data)
    return user


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
