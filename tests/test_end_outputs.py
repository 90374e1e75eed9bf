"""The session's end goes out with the board: our RMonitor output sends ``$B`` run 95 (as a
timing system does, read back by our own feed reader as the end), and the live JSON (MQTT, the
web page, a board following) says the session is over.

The race: car 1 laps every 10 s from 1.000, car 2 every 11 s from 1.500; the checkered at car
1's third lap; the operator ends the session at 40.000.
"""

from __future__ import annotations

import dataclasses

from race_scripts import QUARTER_MILE_RACE, entries, field, run

from timingboard.engine import (
    EndSession,
    Event,
    Flag,
    FlagChanged,
    Passing,
    Revert,
    SessionEnded,
    TimingEngine,
)
from timingboard.feeds.live_follow import PublishedEngine
from timingboard.feeds.live_json import Follower, LiveBoard, status_of
from timingboard.feeds.rmonitor_parser import parse_bytes
from timingboard.feeds.rmonitor_publisher import RMonitorPublisher
from timingboard.feeds.rmonitor_session import RMonitorMapper
from timingboard.qt.rmonitor_server import RMonitorServer

RACE = dataclasses.replace(QUARTER_MILE_RACE, race_laps=None)  # to the flag: no laps to go
END_MS = 40_000
END = '$F,9999,"00:00:00","14:00:00","00:00:40","Finish"\r\n$B,95,"Heat 1"\r\n'


def race() -> list[Event]:
    return [
        *field(["1", "2"]),
        FlagChanged(time_ms=0, flag=Flag.GREEN),
        Passing(time_ms=1000, car="1"),
        Passing(time_ms=1500, car="2"),
        Passing(time_ms=11_000, car="1"),
        Passing(time_ms=12_500, car="2"),
        Passing(time_ms=21_000, car="1"),
        Passing(time_ms=23_500, car="2"),
        Passing(time_ms=31_000, car="1"),
        FlagChanged(time_ms=31_000, flag=Flag.CHECKERED),
    ]


def then(engine: TimingEngine, *events: Event) -> TimingEngine:
    engine.apply(entries(list(events), engine.seq + 1))
    return engine


def read_back(text: str) -> list[Event]:
    """What our own RMonitor reader makes of ``text`` (every session's events, in order)."""
    mapper = RMonitorMapper()
    events: list[Event] = []
    for _session, batch in mapper.take(parse_bytes(text.encode("utf-8"))):
        events += batch
    return events


# --- RMonitor: $B run 95 ---------------------------------------------------------------------


def test_the_publisher_sends_the_end_once_after_the_last_crossing() -> None:
    engine = run(RACE, race())
    publisher = RMonitorPublisher(run_number=3)
    assert "$B,95" not in publisher.updates(engine, "14:00:00")  # the checkered is not the end
    then(engine, EndSession(time_ms=END_MS, operator="Sam"))
    assert publisher.updates(engine, "14:00:00").endswith(END)
    assert publisher.updates(engine, "14:00:00") == ""  # said once
    then(engine, SessionEnded(time_ms=END_MS + 5000))  # the feed says it again: nothing new
    assert publisher.updates(engine, "14:00:00") == ""


def test_a_scoreboard_joining_after_the_end_is_told_it_is_over() -> None:
    engine = then(run(RACE, race()), EndSession(time_ms=END_MS))
    assert RMonitorPublisher().welcome(engine, "14:00:00").endswith(END)
    assert "$B,95" not in RMonitorPublisher().welcome(run(RACE, race()))


def test_our_own_reader_takes_our_end_as_the_sessions_end() -> None:
    engine = then(run(RACE, race()), EndSession(time_ms=END_MS))
    events = read_back(RMonitorPublisher().welcome(engine, "14:00:00"))
    ends = [e for e in events if isinstance(e, SessionEnded)]
    assert ends == [SessionEnded(time_ms=END_MS)]  # the race time of the heartbeat before it
    followed = TimingEngine.from_log(RACE, entries(events))
    assert followed.ended_ms == END_MS
    # car 2's laps are final there too: a lap down, as on the sheet (the welcome has no flag
    # before the end's heartbeat, so the follower's checkered is later than ours)
    assert [s.gap for s in followed.standings()] == [s.gap for s in engine.standings()]


def test_an_end_taken_back_sends_the_session_again() -> None:
    engine = then(run(RACE, race()), EndSession(time_ms=END_MS))
    publisher = RMonitorPublisher()
    publisher.welcome(engine)
    publisher.updates(engine)
    assert publisher.end_sent and not publisher.taken_back(engine)
    then(engine, Revert(correction_id=engine.seq))
    assert publisher.taken_back(engine)


def test_the_server_sends_the_end_to_a_scoreboard_connected(make_controller, qtbot) -> None:
    from test_publishing import Reader

    controller = make_controller(RACE)
    controller.submit(race())
    server = RMonitorServer(controller)
    assert server.listen(0)
    reader = Reader(server.port)
    try:
        qtbot.waitUntil(lambda: b"$G,2," in reader.data, timeout=5000)
        assert b"$B,95" not in reader.data
        controller.submit([EndSession(time_ms=END_MS)])
        qtbot.waitUntil(lambda: b'$B,95,"Heat 1"\r\n' in reader.data, timeout=5000)
        assert reader.data.count(b"$B,95") == 1
        ends = [e for e in read_back(reader.data.decode()) if isinstance(e, SessionEnded)]
        assert ends == [SessionEnded(time_ms=END_MS)]
        controller.submit([Revert(correction_id=controller.engine.seq)])  # undone
        qtbot.waitUntil(lambda: reader.data.count(b'$B,2,"Heat 1"') == 1, timeout=5000)
        after = bytes(reader.data).split(b'$B,2,"Heat 1"')[1]
        qtbot.waitUntil(lambda: b"$G,2," in bytes(reader.data).split(b'$B,2,"Heat 1"')[1])
        assert b"$B,95" not in after
    finally:
        reader.close()
        server.close()


# --- the live JSON: MQTT, the web page, a board following ------------------------------------


def test_the_live_status_says_the_session_is_over() -> None:
    engine = run(RACE, race()[:-1])  # no checkered: only the end finishes it
    before = status_of(engine, 35_000, clock_running=True)
    assert before["ended_ms"] is None and before["remaining"] == ""
    assert before["clock_running"]
    then(engine, EndSession(time_ms=END_MS))
    after = status_of(engine, END_MS, clock_running=True)
    assert after["ended_ms"] == END_MS
    assert after["remaining"] == "Finished" and not after["clock_running"]


def test_a_board_following_reads_the_end_the_publisher_sent() -> None:
    engine = run(RACE, race())
    board, follower = LiveBoard("heat"), Follower()
    follower.apply(board.update(engine, 35_000, running=True))
    follower.apply(board.snapshot())
    shown = PublishedEngine(RACE)
    shown.show(follower)
    assert shown.ended_ms is None
    then(engine, EndSession(time_ms=END_MS))
    delta = board.update(engine, END_MS, running=True)
    assert delta["status"]["ended_ms"] == END_MS
    changed = delta["rows"]["2"]  # never took the flag: its laps final, a lap down
    assert (changed["status"], changed["gap"]) == ("Running", "+1 lap")  # the board's words
    assert follower.apply(delta)
    shown.show(follower)
    assert shown.ended_ms == END_MS
    assert [s.gap for s in shown.standings()] == [s.gap for s in engine.standings()]


def test_the_live_status_says_checkered_while_a_car_is_still_out() -> None:
    """As the board's header and status column: car 2 has yet to take the flag."""
    engine = run(RACE, race())
    board = LiveBoard("heat")
    first = board.update(engine, 35_000, running=True)
    assert first["status"]["remaining"] == "Checkered"
    assert (first["rows"]["1"]["status"], first["rows"]["2"]["status"]) == ("Finished", "Running")
    then(engine, EndSession(time_ms=END_MS))
    assert status_of(engine, END_MS, clock_running=True)["remaining"] == "Finished"
