"""The walk's feed faults (issue 15, second round), met through the real window: Feed ▸
Connect, the timing system's bytes, Feed ▸ Disconnect, a car typed; what the operator sees."""

from __future__ import annotations

from pathlib import Path

import pytest
from journey import FakeTime, User, new_session_window, open_window
from race_scripts import QUARTER_MILE_QUALIFYING, field
from test_journeys_session import connect
from test_rmonitor_network import HEADER, _laps

from timingboard.engine import Event, Flag, FlagChanged, Passing
from timingboard.qt.passings_model import PassingColumn
from timingboard.store import SessionRecorder
from timingboard.text.event_text import EventColumn

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (raise|grabbing)")


def test_a_car_typed_after_disconnect_is_stamped_on_a_clock_running_on(
    qtbot, tmp_path, dialogs, timing_system, monkeypatch
) -> None:
    """A feed served fast (``simulate --speed 5``) runs ahead of its heartbeats: after Feed ▸
    Disconnect the first car typed was stamped at the feed's last crossing to the ms and called
    a double read (0.000 s after it), the header clock standing still until the heartbeat's
    clock caught up with the crossings."""
    clock = FakeTime().install(monkeypatch)
    user = new_session_window(qtbot, tmp_path, QUARTER_MILE_QUALIFYING, "practice.tbs")
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


def test_a_refusal_said_while_the_feed_timed_goes_when_the_feed_is_disconnected(
    qtbot, tmp_path, dialogs, timing_system
) -> None:
    """A number typed while the timing system times the session is refused in red; after
    Feed ▸ Disconnect the panel said so until a car was typed (the second walk)."""
    user = new_session_window(qtbot, tmp_path, QUARTER_MILE_QUALIFYING, "practice.tbs")
    connect(user, dialogs, f"127.0.0.1:{timing_system.port}", tmp_path / "feed")
    qtbot.waitUntil(lambda: len(timing_system.sockets) == 1)
    timing_system.send(HEADER + b"".join(_laps("18", 3, 14_000, 0)))
    qtbot.waitUntil(lambda: len(user.passings(PassingColumn.TIME)) == 4, timeout=5000)
    user.activate()
    user.enter("31")
    assert user.entry_message()[0].startswith("Not taken: the timing system at")
    user.choose("Feed", "Disconnect")
    qtbot.waitUntil(lambda: not user.entry_message()[0].startswith("Not taken"))
    assert user.entry_message()[0].startswith("Typed numbers are timed here again.")
    user.window.close()


class ServedSession:
    """A timing system on loopback serving one finished qualifying (``timingboard simulate``
    that has reached the end of it): green, every car's laps, the checkered. Its heartbeat
    does not come round before the test looks (a scoreboard that joined at the session's end)."""

    def __init__(self, folder: Path) -> None:
        from timingboard.qt.rmonitor_server import RMonitorServer
        from timingboard.qt.session_controller import SessionController

        folder.mkdir(parents=True, exist_ok=True)
        recorder = SessionRecorder.create(folder / "qualifying.tbs", QUARTER_MILE_QUALIFYING)
        events: list[Event] = [*field(["31", "8"]), FlagChanged(time_ms=0, flag=Flag.GREEN)]
        events += [Passing(time_ms=1000 + i * 14_000, car="31") for i in range(4)]
        events += [Passing(time_ms=1500 + i * 14_200, car="8") for i in range(4)]
        events.append(FlagChanged(time_ms=50_000, flag=Flag.CHECKERED))
        recorder.submit(events)
        self.controller = SessionController(recorder)
        self.controller.run_clock(60_000)
        self.server = RMonitorServer(self.controller)
        assert self.server.listen(0)
        self.server._heartbeat.stop()

    def close(self) -> None:
        self.server.close()
        self.controller.close()


@pytest.fixture
def served(tmp_path, qapp):
    serving = ServedSession(tmp_path / "timing system")
    yield serving
    serving.close()


def test_a_qualifying_followed_to_its_end_has_the_flag_the_feed_gave_and_a_start(
    qtbot, tmp_path, dialogs, served
) -> None:
    """The demo's qualifying, followed over RMonitor from its end: the board said NO FLAG and
    the Event tab had no Started (the feed had sent no $F for it, and it had no green)."""
    practice = tmp_path / "feed" / "practice.tbs"
    practice.parent.mkdir()
    SessionRecorder.create(practice, QUARTER_MILE_QUALIFYING).close()
    user = User(qtbot, open_window(practice, tmp_path / "settings.ini"))
    user.show()
    connect(user, dialogs, f"127.0.0.1:{served.server.port}", tmp_path / "feed")
    qtbot.waitUntil(lambda: len(user.passings(PassingColumn.TIME)) == 8, timeout=5000)
    qtbot.waitUntil(lambda: user.header()["flag"] == "CHECKERED")  # it said NO FLAG
    user.activate()
    user.choose("Feed", "Disconnect")
    user.window.docks["event"].raise_()  # the Event tab clicked
    view = user.window.event_actions.view
    view.refresh_action.trigger()
    model = view.table.model()

    def rows() -> list[tuple[str, ...]]:
        columns = (EventColumn.SESSION, EventColumn.STATUS, EventColumn.STARTED)
        return [
            tuple(str(model.index(r, c).data() or "") for c in columns)
            for r in range(model.rowCount())
        ]

    qtbot.waitUntil(lambda: any(status == "finished" for _, status, _ in rows()))
    followed = next(row for row in rows() if row[1] == "finished")
    assert followed[0] == "Clash qualifying" and followed[2] != ""  # Started was blank
    user.window.close()
