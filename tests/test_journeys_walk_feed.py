"""The walk's feed faults (issue 15, second round), met through the real window: Feed ▸
Connect, the timing system's bytes, Feed ▸ Disconnect, a car typed; what the operator sees."""

from __future__ import annotations

import pytest
from feed_harness import FakeTimingSystem
from journey import Dialogs, FakeTime, User, open_window
from race_scripts import QUARTER_MILE_QUALIFYING
from test_journeys_session import connect
from test_rmonitor_network import HEADER, _laps

from timingboard.qt.passings_model import PassingColumn
from timingboard.store import SessionRecorder

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (raise|grabbing)")


@pytest.fixture
def dialogs(qapp):
    answering = Dialogs()
    yield answering
    answering.stop()


@pytest.fixture
def timing_system(qapp):
    fake = FakeTimingSystem()
    yield fake
    fake.close()


def test_a_car_typed_after_disconnect_is_stamped_on_a_clock_running_on(
    qtbot, tmp_path, dialogs, timing_system, monkeypatch
) -> None:
    """A feed served fast (``simulate --speed 5``) runs ahead of its heartbeats: after Feed ▸
    Disconnect the first car typed was stamped at the feed's last crossing to the ms and called
    a double read (0.000 s after it), the header clock standing still until the heartbeat's
    clock caught up with the crossings."""
    clock = FakeTime().install(monkeypatch)
    practice = tmp_path / "practice.tbs"
    SessionRecorder.create(practice, QUARTER_MILE_QUALIFYING).close()
    user = User(qtbot, open_window(practice, tmp_path / "settings.ini"))
    user.show()
    connect(user, dialogs, f"127.0.0.1:{timing_system.port}", tmp_path / "feed")
    qtbot.waitUntil(lambda: len(timing_system.sockets) == 1)
    timing_system.send(HEADER + b"".join(_laps("18", 7, 14_000, 0)))
    timing_system.send(b'$F,9999,"00:00:00","12:01:40","00:01:40","Green "\r\n')
    timing_system.send(b"".join(_laps("31", 8, 13_500, 0)))  # its last at 0:01:48.000
    qtbot.waitUntil(lambda: len(user.passings(PassingColumn.TIME)) == 17, timeout=5000)
    user.activate()
    user.choose("Feed", "Disconnect")
    clock.advance(1.0)
    qtbot.waitUntil(lambda: user.header()["clock"] == "0:01:49")  # it stood at 0:01:48
    clock.advance(13.0)
    user.enter("31")
    qtbot.waitUntil(lambda: len(user.passings(PassingColumn.TIME)) == 18)
    assert user.passings(PassingColumn.TIME)[0] == "0:02:02.000"  # was 0:01:48.000
    assert user.entry_message()[0] == "Car 31: lap 9"  # not a double read 0.000 s after
    user.window.close()
