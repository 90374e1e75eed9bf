"""Joining a feed late, reconnecting, history, pit lanes and session changes, on streams we write.

Each stream is what a timing system sends; the board it leads to is what race control sees.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SHARED_FEEDS

from timingboard.cli import main
from timingboard.engine import LogEntry, PitLane, TimingEngine
from timingboard.feeds.official_order import check_order
from timingboard.feeds.rmonitor_parser import parse_bytes
from timingboard.feeds.rmonitor_session import UNNAMED, UNNAMED_KEPT, FeedSession, RMonitorMapper
from timingboard.store import SessionRecorder
from timingboard.store.feed_import import import_stream

HEADER = (
    b'$B,7,"Saturday 8 Hour"\n'
    b'$C,1,"GTO"\n$C,2,"GTU"\n'
    b'$A,"31","31",1031,"Justin","Haley","USA",1\n'
    b'$A,"18","18",1018,"Kyle","Busch","USA",2\n'
)
# The board is switched on 52 laps into the race: the timing system's own counts come first.
JOINED_LATE = HEADER + (
    b'$F,9999,"00:00:00","13:30:00","01:30:00","Green "\n'
    b'$G,1,"31",52,"01:29:40.100"\n'
    b'$G,2,"18",51,"01:29:51.900"\n'
    b'$H,1,"31",12,"00:01:40.250"\n'
    b'$J,"31","00:01:42.000","01:31:22.100"\n'
    b'$G,1,"31",53,"01:31:22.100"\n'
    b'$J,"18","00:01:41.000","01:31:32.900"\n'
    b'$G,2,"18",52,"01:31:32.900"\n'
)


def _map(stream: bytes) -> RMonitorMapper:
    mapper = RMonitorMapper()
    mapper.take(parse_bytes(stream))
    mapper.skip_held()
    return mapper


def _board(session: FeedSession) -> TimingEngine:
    return TimingEngine.from_log(
        session.settings, [LogEntry(i + 1, e) for i, e in enumerate(session.events)]
    )


def test_a_board_joining_late_counts_the_laps_it_did_not_see() -> None:
    [session] = _map(JOINED_LATE).sessions
    engine = _board(session)
    haley, busch = engine.standings()
    assert (haley.car, haley.laps, busch.car, busch.laps) == ("31", 53, "18", 52)
    assert haley.unseen_laps == ((1, 52),)
    assert haley.last_lap_ms == 102_000  # the lap seen here is timed to the thousandth
    # the timing system's best, set before we joined, is kept as what it is: never our best
    assert (haley.best_lap_ms, haley.best_lap_number) == (102_000, 53)
    assert (haley.reported_best_ms, haley.reported_best_number) == (100_250, 12)
    assert not haley.holds_session_best or engine.session_best[1].seen  # type: ignore[index]
    assert check_order(engine, session).agrees


def test_a_reconnect_counts_every_lap_once() -> None:
    laps = b"".join(
        b'$J,"31","00:01:40.000","%s"\n$G,1,"31",%d,"%s"\n' % (_clock(t), n, _clock(t))
        for n, t in enumerate(range(100_000, 500_001, 100_000), start=1)
    )
    before = HEADER + b'$F,9999,"00:00:00","12:00:00","00:00:01","Green "\n' + laps
    # The link drops after lap 5 and comes back during lap 8: the relay resends its tables.
    after = (
        b'$I,"00:00:00","0/0/0000"\n'
        + HEADER
        + b'$G,1,"31",5,"00:08:20.000"\n'  # as it stood when the link dropped: nothing new
        + b'$J,"31","00:01:40.000","00:13:20.000"\n'  # lap 8: laps 6 and 7 were not seen
        + b'$G,1,"31",8,"00:13:20.000"\n'
        + b'$J,"31","00:01:40.000","00:13:20.000"\n'  # sent again
        + b'$G,1,"31",8,"00:13:20.000"\n'
    )
    mapper = _map(before + after)
    [session] = mapper.sessions
    engine = _board(session)
    car = engine.standing("31")
    assert car.laps == 8
    assert car.unseen_laps == ((6, 7),)
    assert car.last_lap_ms == 100_000
    assert [lap.number for lap in engine.laps("31") if lap.seen] == [1, 2, 3, 4, 5, 8]
    assert mapper.resent_reasons == {"the same crossing sent again": 1}  # kept once, not skipped
    assert not any("sent again" in s.reason for s in mapper.skipped)


def test_historical_laps_fill_the_board_in_lap_by_lap() -> None:
    crossings = [0, 100_001, 200_003, 300_006, 400_010]
    history = b"".join(  # sent by the relay when the board joined, after lap 4
        b'$RMHL,"31","%d","1","%s","Green","%s"\n' % (n, _clock(t - crossings[n - 1]), _clock(t))
        for n, t in enumerate(crossings[1:], start=1)
    )
    [session] = _map(HEADER + history + b'$J,"31","00:01:40.004","00:08:20.014"\n').sessions
    engine = _board(session)
    laps = engine.laps("31")
    assert [lap.number for lap in laps] == [1, 2, 3, 4, 5]
    assert all(lap.seen for lap in laps)
    assert [lap.duration_ms for lap in laps] == [100_001, 100_002, 100_003, 100_004, 100_004]


def test_imsa_pit_lane_crossings_become_pit_stops() -> None:
    # Race time 0 was 08:00:00; car 31 enters the pit lane on lap 3 and spends 61.5 s there.
    stream = HEADER + (
        b'$F,9999,"00:00:00","08:00:01","00:00:01","Green "\n'
        b'$J,"31","00:00:00.000","00:00:05.000"\n'
        b'$J,"31","00:01:40.000","00:01:45.000"\n'
        b'$J,"31","00:01:40.000","00:03:25.000"\n'
        b'$L,"31","P3","PIP","01/27/2009","08:04:50.000"\n'
        b'$F,9999,"00:00:00","08:05:00","00:05:00","Green "\n'
    )
    [session] = _map(stream).sessions
    car = _board(session).standing("31")
    assert (car.pit_stops, car.last_pit_lap, car.in_pit) == (1, 3, True)
    out = stream + b'$L,"31","P2","POP","01/27/2009","08:05:51.500"\n'
    [session] = _map(out).sessions
    car = _board(session).standing("31")
    assert (car.pit_stops, car.in_pit, car.last_pit_ms) == (1, False, 61_500)


def test_a_reset_that_starts_race_time_again_begins_a_new_session() -> None:
    first = HEADER + (
        b'$F,9999,"00:00:00","12:00:00","00:10:00","Green "\n'
        b'$J,"31","00:00:00.000","00:09:00.000"\n$J,"31","00:01:40.000","00:10:40.000"\n'
    )
    # Same run number, but race time starts again, with another field: not the same session.
    second = (
        b'$I,"12:11:00","25 Apr 25"\n$B,7,"Saturday 8 Hour"\n'
        b'$A,"99","99",1099,"Ann","Other","USA",1\n'
        b'$F,9999,"00:00:00","12:11:01","00:00:01","Green "\n'
        b'$J,"99","00:00:00.000","00:00:30.000"\n'
    )
    mapper = _map(first + second)
    assert len(mapper.sessions) == 2
    assert [s.run for s in mapper.sessions] == [7, 7]
    assert {s.car for s in _board(mapper.sessions[1]).standings()} == {"99"}
    assert _board(mapper.sessions[0]).standing("31").laps == 1


def test_a_reset_that_carries_race_time_on_keeps_the_session() -> None:
    stream = JOINED_LATE + (
        b'$I,"00:00:00","0/0/0000"\n'
        + HEADER
        + b'$F,9999,"00:00:00","13:32:00","01:32:00","Green "\n'
    )
    [session] = _map(stream).sessions
    assert _board(session).standing("31").laps == 53


def test_run_95_ends_a_session_and_the_same_run_again_is_another() -> None:
    stream = (
        HEADER
        + b'$F,9999,"00:00:00","12:00:00","00:00:10","Green "\n'
        + b'$J,"31","00:00:00.000","00:00:05.000"\n'
        + b'$B,95,"Saturday 8 Hour"\n'
        + HEADER
        + b'$J,"18","00:00:00.000","00:00:07.000"\n'
    )
    assert len(_map(stream).sessions) == 2


# A session ended, then (its results still shown) its own #31 again, another driver under #18
# and a car it never had; then, after a reset or not, the next run.
ENDED_THEN_OTHERS = (
    HEADER
    + b'$F,9999,"00:00:00","12:00:00","00:00:10","Green "\n'
    + b'$J,"31","00:00:00.000","00:00:05.000"\n$J,"18","00:00:00.000","00:00:06.000"\n'
    + b'$B,95,"Saturday 8 Hour"\n'
    + b'$A,"31","31",1031,"Justin","Haley","USA",1\n'
)
OTHERS = (
    b'$A,"18","18",2018,"Lea","Moser","AUT",1\n'
    b'$COMP,"18","18",1,"Lea","Moser","AUT","Team Moser"\n'
    b'$A,"44","44",1044,"Ola","Berg","NOR",2\n'
    b'$G,1,"18",,"00:59:59.999"\n$G,2,"44",,"00:59:59.999"\n'
)
NEXT_RUN = b'$B,8,"Lites Race"\n$J,"44","00:00:00.000","00:00:04.000"\n'


def _drivers(session: FeedSession) -> dict[str, str]:
    return {s.car: s.driver for s in _board(session).standings()}


@pytest.mark.parametrize(
    "between",
    [b"", b'$I,"12:03:08","25 Apr 25"\n$B,95,"Lites Race"\n'],
    ids=["no reset", "reset"],
)
def test_cars_announced_after_a_sessions_end_are_the_next_sessions(between: bytes) -> None:
    """Once ended ($B run 95), a session's entry list is as it stood: its own car sent again is
    a refresh, another driver under its number and a car it never had are the next run's."""
    stream = ENDED_THEN_OTHERS + between + OTHERS + NEXT_RUN
    for read in ("take", "read"):
        mapper = RMonitorMapper()
        getattr(mapper, read)(parse_bytes(stream))
        mapper.skip_held()
        ended, following = mapper.sessions
        assert (ended.run, ended.ended, following.run) == (7, True, 8)
        assert _drivers(ended) == {"31": "Justin Haley", "18": "Kyle Busch"}
        assert _drivers(following) == {"18": "Lea Moser", "44": "Ola Berg"}
        assert _board(following).competitors["18"].team == "Team Moser"
        assert following.settings.name == "Lites Race"
        if between:  # after the reset the order sent is the next run's (before it: see $G)
            assert set(ended.race_order) <= {"31", "18"}


def test_a_reset_after_the_end_begins_the_next_session_before_its_run() -> None:
    """A reset after the end clears the ended session off the board: the entry list after it
    is the next session's, named by the $B run 95 sent with it, its run not begun yet."""
    stream = ENDED_THEN_OTHERS + b'$I,"12:03:08","25 Apr 25"\n$B,95,"Lites Race"\n' + OTHERS
    ended, waiting = _map(stream).sessions
    assert _drivers(ended) == {"31": "Justin Haley", "18": "Kyle Busch"}
    assert (waiting.run, waiting.ended, waiting.settings.name) == (None, False, "Lites Race")
    assert _drivers(waiting) == {"18": "Lea Moser", "44": "Ola Berg"}
    assert [s.run for s in _map(stream + NEXT_RUN).sessions] == [7, 8]


def test_the_end_said_again_keeps_the_ended_sessions_name() -> None:
    stream = ENDED_THEN_OTHERS + b'$B,95,"Something else"\n'
    [session] = _map(stream).sessions
    assert session.settings.name == "Saturday 8 Hour"


def test_classes_come_from_the_feed() -> None:
    [session] = _map(JOINED_LATE).sessions
    engine = _board(session)
    assert [(s.car, s.car_class, s.class_position) for s in engine.standings()] == [
        ("31", "GTO", 1),
        ("18", "GTU", 1),
    ]


def test_class_zero_with_no_class_record_is_no_class() -> None:
    """Timing systems number classes from 1 and send 0 for a car in none (as our own publisher
    does): that is no class, not a class called "0"; a number with no $C keeps its number."""
    stream = (
        b'$B,7,"Open practice"\n'
        b'$A,"31","31",1031,"Justin","Haley","USA",0\n'
        b'$A,"18","18",1018,"Kyle","Busch","USA",3\n'
        b'$J,"31","00:00:00.000","00:00:05.000"\n'
    )
    [session] = _map(stream).sessions
    engine = _board(session)
    assert {c.car: c.car_class for c in engine.competitors.values()} == {"31": "", "18": "3"}


def test_import_of_a_capture_joined_late_says_what_it_did_not_see(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capture = tmp_path / "late.txt"
    capture.write_bytes(JOINED_LATE)
    assert main(["import", str(capture), "-o", str(tmp_path / "late.tbs")]) == 0
    out = capsys.readouterr().out
    assert "agrees with $G (laps) over 2 car(s); 103 lap(s) not seen here" in out
    recorder = SessionRecorder.open(tmp_path / "late.tbs")
    try:
        assert recorder.engine.standing("31").laps == 53
    finally:
        recorder.close()


@pytest.mark.feeds
@pytest.mark.skipif(not SHARED_FEEDS.is_dir(), reason="../shared/feeds is not here")
def test_a_day_of_sessions_is_eleven_sessions_none_merged() -> None:
    mapper = _map((SHARED_FEEDS / "redmist_roadamerica_2025-04-25_fullday.txt").read_bytes())
    names = [s.settings.name for s in mapper.sessions]
    assert len(names) == 11
    assert names[:3] == ["Race Practice 1", "HPDE S1", "Race Practice 2"]
    assert [s.run for s in mapper.sessions] == [61, 55, 62, 56, 63, 57, 64, 58, 65, 59, 66]
    practice, hpde = mapper.sessions[0], mapper.sessions[1]
    assert len(practice.shown) > 40
    assert len(hpde.shown) == 15  # the cars announced for it, not the practice field too
    assert "10" in practice.passings and "10" not in hpde.shown


def _clock(ms: int) -> bytes:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return b"%02d:%02d:%02d.%03d" % (hours, minutes, rest // 1000, rest % 1000)


def test_nonsense_counts_in_a_feed_cost_no_crossing(tmp_path: Path) -> None:
    capture = tmp_path / "noise.txt"
    capture.write_bytes(
        JOINED_LATE
        + b'$G,1,"31",99999999,"01:31:22.100"\n'  # laps no session has
        + b'$J,"18","00:01:40.000","999:00:00.000"\n'  # six weeks into the race
        + b'$H,2,"18",3,"999:00:00.000"\n'
    )
    report = import_stream(capture, tmp_path / "noise.tbs")
    assert "beyond ten days" in " ".join(report.lines())
    assert "not a lap count" in " ".join(report.lines())
    recorder = SessionRecorder.open(tmp_path / "noise.tbs")
    try:
        assert recorder.engine.standing("31").laps == 53
        assert len(recorder.engine.passings) == 2
    finally:
        recorder.close()


# --- cars a timing system names by their transponder ("Tx<number>") ------------------------------

# Race time 0 was 08:00:00. Orbits sends a pit lane crossing by "Tx4667026" when it has seen a
# transponder it has no car for yet; the $A that gives #87 transponder 4667026 comes next.
TX_HEADER = (
    b'$B,32,"Test Session 4"\n'
    b'$A,"31","31",1031,"Justin","Haley","USA",1\n'
    b'$F,9999,"00:00:00","08:00:01","00:00:01","Green "\n'
    b'$J,"31","00:00:00.000","00:00:05.000"\n'
)
TX_PIT_IN = b'$L,"Tx4667026","P3","PIP","01/27/2009","08:01:00.000"\n'
NAMES_87 = b'$A,"87","87",4667026,"Werner /","Henzler","Porsche 911 GT3  RSR",1\n'
TX_PIT_OUT = b'$L,"Tx4667026","P2","POP","01/27/2009","08:02:00.000"\n'
TX_TRACK = b'$L,"Tx4667026","P1","SFP","01/27/2009","08:00:30.000"\n'


def _pit_lane(session: FeedSession) -> list[tuple[str, int, bool]]:
    return [(e.key, e.time_ms, e.entered) for e in session.events if isinstance(e, PitLane)]


def test_a_transponder_pit_out_after_its_car_is_named_is_that_cars() -> None:
    """Sebring 2009 line 2135: a pit-out by "Tx4667026" after the $A giving #87 that transponder
    was a car of its own, the 25th of 24."""
    mapper = _map(TX_HEADER + NAMES_87 + TX_PIT_OUT)
    [session] = mapper.sessions
    assert _pit_lane(session) == [("87", 120_000, False)]
    assert {s.car for s in _board(session).standings()} == {"31", "87"}
    assert mapper.skipped_count == 0


def test_a_transponder_crossing_named_only_after_goes_to_that_car_in_order() -> None:
    stream = TX_HEADER + TX_TRACK + TX_PIT_IN + TX_PIT_OUT + NAMES_87
    mapper = _map(stream)
    [session] = mapper.sessions
    assert _pit_lane(session) == [("87", 60_000, True), ("87", 120_000, False)]
    car = _board(session).standing("87")
    assert (car.pit_stops, car.in_pit, car.last_pit_ms) == (1, False, 60_000)
    assert "Tx4667026" not in _board(session).entries
    assert mapper.skipped_count == 0  # the track line is the car's, as any car's: $J tells it
    # record by record (as the live client takes a feed) is as the whole stream at once
    one_by_one = RMonitorMapper()
    for line in stream.splitlines(keepends=True):
        one_by_one.take(parse_bytes(line))
    whole = RMonitorMapper()
    whole.read(parse_bytes(stream))
    assert one_by_one.sessions[0].events == whole.sessions[0].events == session.events


def test_a_transponder_no_car_names_is_no_car_and_is_counted(tmp_path: Path) -> None:
    mapper = _map(TX_HEADER + TX_TRACK + TX_PIT_IN + TX_PIT_OUT)
    [session] = mapper.sessions
    assert _pit_lane(session) == []
    assert {s.car for s in _board(session).standings()} == {"31"}
    assert mapper.skip_reasons == {UNNAMED: 3}
    assert [s.text for s in mapper.skipped] == [
        "$L Tx4667026 SFP",
        "$L Tx4667026 PIP",
        "$L Tx4667026 POP",
    ]
    capture = tmp_path / "tx.txt"
    capture.write_bytes(TX_HEADER + TX_PIT_IN)
    report = import_stream(capture, tmp_path / "tx.tbs")
    assert report.sessions[0].cars == 1
    assert f"skipped 1 line(s): 1 x {UNNAMED}" in report.lines()


def test_a_transponder_named_only_in_the_next_session_is_not_carried_into_it() -> None:
    nxt = (
        b'$B,95,"Test Session 4"\n$B,33,"Test Session 5"\n'
        + NAMES_87
        + (b'$F,9999,"00:00:00","08:10:01","00:00:01","Green "\n')
    )
    mapper = _map(TX_HEADER + TX_PIT_IN + nxt)
    first, second = mapper.sessions
    assert _pit_lane(first) == _pit_lane(second) == []
    assert mapper.skip_reasons == {UNNAMED: 1}


def test_transponder_crossings_held_are_bounded_and_each_one_counted() -> None:
    pit_ins = b"".join(
        f'$L,"Tx{5000 + i}","P3","PIP","01/27/2009","08:01:00.000"\n'.encode()
        for i in range(UNNAMED_KEPT + 5)
    )
    names = b"".join(
        f'$A,"{i}","{i}",{5000 + i},"A","B","",1\n'.encode() for i in range(UNNAMED_KEPT + 5)
    )
    mapper = RMonitorMapper()
    mapper.take(parse_bytes(TX_HEADER + pit_ins))
    assert mapper.skip_reasons == {UNNAMED: 5}  # the oldest, past the bound
    mapper.take(parse_bytes(names))
    [session] = mapper.sessions
    assert len(_pit_lane(session)) == UNNAMED_KEPT  # the rest, each to its car
    assert {key for key, _, _ in _pit_lane(session)} == {str(i) for i in range(5, UNNAMED_KEPT + 5)}


def test_a_named_transponders_passings_and_order_are_its_cars() -> None:
    stream = (
        TX_HEADER
        + NAMES_87
        + (
            b'$J,"Tx4667026","00:00:00.000","00:00:06.000"\n'
            b'$J,"Tx4667026","00:01:40.000","00:01:46.000"\n'
            b'$G,2,"Tx4667026",1,"00:01:46.000"\n'
            b'$H,1,"Tx4667026",1,"00:01:40.000"\n'
        )
    )
    [session] = _map(stream).sessions
    assert set(session.race_order) == set(session.best_order) == {"87"}
    engine = _board(session)
    assert "Tx4667026" not in engine.entries
    assert (engine.standing("87").laps, engine.standing("87").best_lap_ms) == (1, 100_000)


def test_a_transponder_timed_before_any_car_names_it_stays_its_own_car() -> None:
    """A car the timing system times by its transponder alone is on the board as "Tx…"
    (its laps are real); a pit lane crossing of it is its own, not held."""
    stream = TX_HEADER + (
        b'$J,"Tx4667026","00:00:00.000","00:00:06.000"\n' + TX_PIT_IN + NAMES_87 + TX_PIT_OUT
    )
    mapper = _map(stream)
    [session] = mapper.sessions
    assert _pit_lane(session) == [("Tx4667026", 60_000, True), ("Tx4667026", 120_000, False)]
    assert mapper.skipped_count == 0


def test_import_brings_a_session_to_the_timing_systems_counts_at_its_logged_end(
    tmp_path: Path,
) -> None:
    """The corrections go right after ``$B`` run 95 in the log, with the order as it stood
    then, as the live client writes them; what came after the end follows them."""
    from timingboard.engine import LapPenalty, SessionEnded
    from timingboard.store.session_file import SessionFile

    stream = HEADER + (
        b'$F,9999,"00:00:00","08:00:01","00:00:01","Green "\n'
        b'$J,"31","00:00:00.000","00:00:01.000"\n$J,"31","00:01:40.000","00:01:41.000"\n'
        b'$J,"31","00:01:40.000","00:03:21.000"\n$G,1,"31",1,"00:03:21.000"\n'
        b'$B,95,"Saturday 8 Hour"\n'
        b'$L,"31","P3","PIP","01/27/2009","08:03:30.000"\n'
    )
    [session] = _map(stream).sessions
    assert session.at_end is not None and session.at_end.race_order == session.race_order
    capture = tmp_path / "ended.txt"
    capture.write_bytes(stream)
    [item] = import_stream(capture, tmp_path / "ended.tbs").sessions
    file = SessionFile.open(item.path, read_only=True)
    try:
        kinds = [type(entry.event).__name__ for entry in file.entries()]
    finally:
        file.close()
    assert kinds[-3:] == [SessionEnded.__name__, LapPenalty.__name__, PitLane.__name__]
    assert item.timing_system_fixes == 1
