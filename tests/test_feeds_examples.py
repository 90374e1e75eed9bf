"""The feeds' outputs stated whole, for small races: what followers, scoreboards and the order
check are sent, to the last key and figure (pure: no Qt).

Each test states one output exactly, so that a changed key, text or comparison in the code that
makes it shows as a failure here (the mutation runs, scripts/mutation, use these).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from race_scripts import QUARTER_MILE_RACE, entries, field

from timingboard.engine import (
    CompetitorSet,
    Flag,
    FlagChanged,
    LogEntry,
    Passing,
    PitLane,
    SessionKind,
    SessionSettings,
    Source,
    TimingEngine,
)
from timingboard.engine.car import Lap
from timingboard.engine.events import (
    BestReported,
    DeletePassing,
    Disqualify,
    EndSession,
    InsertPassing,
    InvalidateLap,
    LapPenalty,
    LapsReported,
    Retire,
    SectorCrossing,
    SessionEnded,
    SettingsChanged,
)
from timingboard.feeds import live_follow, live_json
from timingboard.feeds.live_json import Follower, LiveBoard, row_of, session_of, status_of
from timingboard.feeds.official_order import (
    OrderCheck,
    agree_with_timing_system,
    check_order,
    crossings_retimed,
    disagreements,
    laps_not_counted,
    laps_short,
    listed_cars,
    official_positions,
)
from timingboard.feeds.p3_parser import (
    P3Skipped,
    P3StreamDecoder,
    PassingRecord,
    as_passing,
    crc16,
    decode_record,
    encode_record,
    passing,
)
from timingboard.feeds.p3_session import LineKind, P3Mapper, TimingLine, parse_line, parse_lines
from timingboard.feeds.rmonitor_join import CarTrack
from timingboard.feeds.rmonitor_parser import parse_bytes, parse_date, receive_time
from timingboard.feeds.rmonitor_parser import parse_line as rmonitor_parse_line
from timingboard.feeds.rmonitor_publisher import RMonitorPublisher
from timingboard.feeds.rmonitor_records import Init, Received, Run, Skipped
from timingboard.feeds.rmonitor_session import FeedSession, RMonitorMapper
from timingboard.feeds.rmonitor_writer import positions
from timingboard.text.feed_status import order_text


def _rich_race() -> TimingEngine:
    """Two classes, a car in the pit lane, a car not entered."""
    events = [
        CompetitorSet(
            key="31", car="31", driver="Justin Haley", team="Kaulig", car_class="GT3", grid=1
        ),
        CompetitorSet(key="8", car="8", driver="Kyle Busch", team="RCR", car_class="GT4", grid=2),
        FlagChanged(time_ms=0, flag=Flag.GREEN),
        Passing(time_ms=1000, key="31"),
        Passing(time_ms=1500, key="8"),
        Passing(time_ms=14413, key="31"),
        Passing(time_ms=15053, key="8"),
        PitLane(key="8", time_ms=20000, entered=True),
        Passing(time_ms=27500, key="31"),
        Passing(time_ms=27900, car="77"),
    ]
    return TimingEngine.from_log(QUARTER_MILE_RACE, entries(events))


def _shown(engine: TimingEngine) -> list[dict[str, object]]:
    rows = [row_of(s) for s in engine.standings()]
    for row in rows:
        assert row.pop("standing") == live_json.standing_json(engine.standing(row["key"]))
    return rows


def test_each_row_is_sent_as_the_board_shows_it() -> None:
    assert _shown(_rich_race()) == [
        {
            "key": "31", "pos": 1, "car": "31", "driver": "Justin Haley", "team": "Kaulig",
            "class": "GT3", "class_pos": 1, "laps": 2, "laps_text": "2", "last": "13.087",
            "last_ms": 13087, "last_pb": True, "last_mark": "session", "best": "13.087",
            "best_ms": 13087, "session_best": True, "best_mark": "session", "gap": "",
            "interval": "", "speed": "68.771", "status": "",
            "pits": 0, "in_pit": False,
        },
        {
            "key": "8", "pos": 2, "car": "8", "driver": "Kyle Busch", "team": "RCR",
            "class": "GT4", "class_pos": 1, "laps": 1, "laps_text": "1", "last": "13.553",
            "last_ms": 13553, "last_pb": True, "last_mark": "personal", "best": "13.553",
            "best_ms": 13553, "session_best": False, "best_mark": "", "gap": "+0.640",
            "interval": "+0.640", "speed": "66.406",
            "status": "PIT", "pits": 1, "in_pit": True,
        },
        {
            "key": "?77", "pos": 3, "car": "77", "driver": "unknown car", "team": "",
            "class": "", "class_pos": None, "laps": 0, "laps_text": "0", "last": "",
            "last_ms": None, "last_pb": False, "last_mark": "", "best": "", "best_ms": None,
            "session_best": False, "best_mark": "", "gap": "", "interval": "", "speed": "",
            "status": "",
            "pits": 0, "in_pit": False,
        },
    ]  # fmt: skip


def test_a_retired_a_disqualified_and_a_car_with_laps_not_seen_read_so() -> None:
    engine = TimingEngine.from_log(
        QUARTER_MILE_RACE,
        entries(
            [
                CompetitorSet(key="31", car="31"),
                CompetitorSet(key="8", car="8"),
                CompetitorSet(key="5", car="5"),
                Passing(time_ms=1000, key="31"),
                Passing(time_ms=1500, key="8"),
                Passing(time_ms=1600, key="5"),
                PitLane(key="31", time_ms=2000, entered=True),  # in the pit lane, but out
                LapsReported(key="5", time_ms=40000, laps=3),
                Retire(key="31", operator="op", reason="engine"),
                Disqualify(key="8", operator="op", reason="contact"),
            ]
        ),
    )
    shown = [(r["key"], r["status"], r["laps_text"]) for r in _shown(engine)]
    assert shown == [("5", "", "3*"), ("31", "DNF", "0"), ("8", "DSQ", "0")]


def test_the_session_is_sent_with_its_classes_and_settings() -> None:
    assert session_of(_rich_race(), "s1") == {
        "id": "s1",
        "name": "Heat 1",
        "kind": "race",
        "track": "Coliseum",
        "classes": ["GT3", "GT4"],
        "speed_unit": "mph",
        "settings": {
            "name": "Heat 1",
            "kind": "race",
            "track_name": "Coliseum",
            "track_length": 0.25,
            "length_unit": "mi",
            "race_laps": 10,
            "race_duration_ms": None,
            "min_lap_ms": 8000,
            "first_crossing_completes_lap": False,
            "stage_laps": [],
        },
    }


def test_the_status_holds_flag_clock_laps_to_go_and_session_best() -> None:
    assert status_of(_rich_race(), 30000, True) == {
        "flag": "green",
        "clock_ms": 30000,
        "clock": "0:00:30",
        "clock_running": True,
        "remaining": "8 laps to go",
        "laps_to_go": 8,
        "best": {
            "key": "31",
            "car": "31",
            "driver": "Justin Haley",
            "lap": "13.087",
            "lap_ms": 13087,
            "lap_number": 2,
            "at_ms": 27500,
        },
        "now_ms": 30000,
        "start_ms": 0,
        "finish_ms": None,
        "ended_ms": None,  # not ended: the timing system's end or the operator's sets it
        "told_laps_to_go": None,
        "passings": 6,
    }


def test_settings_and_rows_read_back_from_their_json() -> None:
    engine = _rich_race()
    settings = engine.settings
    import dataclasses

    staged = dataclasses.replace(settings, stage_laps=(3, 6))
    assert live_json.settings_from_json(live_json.settings_json(staged)) == staged
    assert live_json.settings_from_json({**live_json.settings_json(settings), "new": 1}) == (
        settings
    )
    for row in engine.standings():
        assert live_json.standing_from_json(live_json.standing_json(row)) == row


def test_a_delta_sends_only_what_changed_and_a_snapshot_what_the_last_delta_left() -> None:
    engine = _rich_race()
    board = LiveBoard("s1")
    first = board.update(engine, 30000, True)
    assert (first["v"], first["type"], first["seq"], first["base"]) == (1, "delta", 1, 0)
    assert first["order"] == ["31", "8", "?77"]
    assert first["session"] == session_of(engine, "s1")
    assert set(first["rows"]) == {"31", "8", "?77"}
    again = board.update(engine, 31000, True)
    assert (again["seq"], again["base"], again["rows"]) == (2, 1, {})
    assert "order" not in again and "session" not in again
    assert again["status"]["clock"] == "0:00:31"
    snapshot = board.snapshot()
    assert snapshot == {
        "v": 1,
        "type": "snapshot",
        "seq": 2,
        "session": session_of(engine, "s1"),
        "status": again["status"],
        "rows": [row_of(s) for s in engine.standings()],
    }
    follower = Follower()
    assert follower.snapshot()["seq"] == 0
    assert follower.apply(snapshot)
    assert follower.snapshot() == snapshot
    assert follower.board() == snapshot["rows"]


# --- RMonitor: a stream with most of what a timing system sends, mapped and checked ------------

HEAT_THEN_PRACTICE = (
    b'$I,"13:00:00.000","26 Apr 25"\n'
    b'$B,7,"Clash Heat 1"\n'
    b'$C,1,"Cup"\n'
    b'$E,"TRACKNAME","Coliseum"\n'
    b'$E,"TRACKLENGTH","0.250"\n'
    b'$A,"31","31",1031,"Justin","Haley","USA",1\n'
    b'$A,"8","8B",0,"Kyle","Busch","USA",2\n'
    b'$COMP,"8","8B",2,"Kyle","Busch","USA","RCR"\n'
    b'$F,10,"00:00:00","13:00:00","00:00:00","Green "\n'
    b'$J,"31","00:00:00.000","00:00:00.000"\n'
    b'$J,"31","00:00:13.413","00:00:13.413"\n'
    b'$J,"8","00:00:13.553","00:00:13.553"\n'
    b'$J,"31","00:00:13.400","00:00:26.813"\n'
    b'$J,"31","00:00:13.402","00:00:26.815"\n'
    b'$G,1,"31",2,"00:00:26.815"\n'
    b'$G,2,"8",1,"00:00:13.553"\n'
    b'$H,1,"31",2,"00:00:13.400"\n'
    b'$H,2,"8",1,"00:00:13.553"\n'
    b'$F,9,"00:00:30","13:00:30","00:00:30","Yellow"\n'
    b'$L,"8","P1","PIP","26 Apr 25","13:00:31.000"\n'
    b'$L,"8","P1","PIP","26 Apr 25","13:00:31.000"\n'
    b'$L,"8","P2","POP","26 Apr 25","13:00:45.000"\n'
    b'$RMHL,"8",2,2,"00:00:14.000","Green","00:00:27.553"\n'
    b'$J,"8","00:00:20.000","00:00:47.553"\n'
    b'$J,"31","00:00:21.600","00:00:48.415"\n'
    b'$F,0,"00:00:49","13:00:49","00:00:49","Finish"\n'
    b'$B,95,"End"\n'
    b'$B,8,"Practice 2"\n'
    b'$J,"5","00:00:00.000","00:00:05.000"\n'
    b'$J,"5","00:00:12.000","00:00:17.000"\n'
    b'$J,"5","00:00:13.000","00:00:30.000"\n'
    b'$J,"6","00:00:00.000","00:00:06.000"\n'
    b'$J,"6","00:00:12.500","00:00:18.500"\n'
    b'$H,1,"6",1,"00:00:12.500"\n'
    b'$H,2,"5",2,"00:00:13.000"\n'
    b'$H,3,"7",0,""\n'
)


def _mapped(stream: bytes = HEAT_THEN_PRACTICE) -> RMonitorMapper:
    mapper = RMonitorMapper()
    mapper.take(parse_bytes(stream))
    mapper.skip_held()
    return mapper


def _board(session: FeedSession) -> TimingEngine:
    return TimingEngine.from_log(
        session.settings, [LogEntry(i + 1, e) for i, e in enumerate(session.events)]
    )


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("27 Jan 09", date(2009, 1, 27)),  # Orbits, as the Sebring 2009 tests send it
        ("25 Apr 25", date(2025, 4, 25)),  # Red Mist's relay
        ("12 jan 01", date(2001, 1, 12)),
        ("1 Jan 99", date(1999, 1, 1)),  # two-digit years 69-99 are 19xx
        ("27 Jan 2009", date(2009, 1, 27)),
        ("27 January 2009", date(2009, 1, 27)),
        ("2009-01-27", date(2009, 1, 27)),
        ("1/27/2009", date(2009, 1, 27)),  # only one of month/day, day/month is a day
        ("27/1/2009", date(2009, 1, 27)),
        ("3/3/2025", date(2025, 3, 3)),
        ("0/0/0000", None),  # Red Mist's "no date"
        ("3/4/2025", None),  # 3 April or 4 March: not guessed
        ("31 Feb 09", None),
        ("27 Jab 09", None),
        ("2009-13-01", None),
        ("", None),
        ("27 Jan", None),
        ("today", None),
    ],
)
def test_the_date_of_a_scoreboard_reset(text: str, day: date | None) -> None:
    """``$I``'s date is read where it is one; a bad one is no date, never an error."""
    assert parse_date(text) == day
    record = rmonitor_parse_line(f'$I,"10:03:08","{text}"')
    assert record == [Init("10:03:08", text, day)]


def test_receive_times_are_utc_in_a_header_and_as_named_before_a_record() -> None:
    utc = datetime(2025, 4, 25, 12, 25, 35, 385000, UTC).timestamp()
    assert rmonitor_parse_line("##2025-04-25 12:25:35.385") == [Received(utc)]
    assert rmonitor_parse_line("## 2025-04-25 12:25:35.385") == [Received(utc)]
    shifted = rmonitor_parse_line('2025-04-25T07:25:35.385-05:00 $B,1,"Heat"')
    assert shifted == [Received(utc), Run(1, "Heat")]
    local = datetime(2025, 4, 25, 12, 25, 35).timestamp()  # no zone named: the local one
    assert receive_time("2025-04-25 12:25:35", zone=None) == local
    for bad in ("##2025-02-30 10:00:00", "##0000-01-01 00:00:00", "##recorded", "##"):
        assert rmonitor_parse_line(bad) == []


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_a_date_or_receive_time_of_any_text_never_raises(text: str) -> None:
    parse_date(text)
    receive_time(text, zone=None)
    rmonitor_parse_line("##" + text)
    rmonitor_parse_line(f'$I,"{text}","{text}"')


def test_a_reset_that_names_its_day_dates_the_session_in_the_local_zone() -> None:
    """``$I`` at 13:00:00.000 on 26 Apr 25, green at 13:00:00: time zero then."""
    (heat, _) = _mapped().sessions
    assert heat.origin == datetime(2025, 4, 26, 13, 0).timestamp()


def test_a_crossing_at_race_time_zero_never_followed_is_said_to_be_a_reset() -> None:
    """A ``$J`` at 0.000 waits for the car's next; the stream ended first: skipped, and why."""
    mapper = _mapped(
        b'$B,1,"Heat"\n$A,"5","5",1,"A","B","USA",1\n'
        b'$F,9999,"00:00:00","13:00:00","00:00:00","Green "\n$J,"5","00:00:00.000","00:00:00.000"\n'
    )
    assert list(mapper.skipped) == [
        Skipped(
            "$J 5",
            "passing at race time zero, never timed (a scoreboard reset, or a run not timed)",
        )
    ]


def test_a_heat_and_a_practice_map_to_these_events() -> None:
    mapper = _mapped()
    heat, practice = mapper.sessions
    track = {"name": "Clash Heat 1", "track_name": "Coliseum", "min_lap_ms": 5000}
    assert (heat.run, heat.ended, heat.settings) == (
        7,
        True,
        SessionSettings(**track, track_length=0.25),  # type: ignore[arg-type]
    )
    assert heat.events == [
        SettingsChanged(settings=SessionSettings(**track)),  # type: ignore[arg-type]
        SettingsChanged(settings=SessionSettings(**track, track_length=0.25)),  # type: ignore[arg-type]
        CompetitorSet(
            key="31", car="31", driver="Justin Haley", car_class="Cup", transponders=("1031",)
        ),
        CompetitorSet(key="8", car="8B", driver="Kyle Busch", car_class="2"),
        CompetitorSet(key="8", car="8B", driver="Kyle Busch", team="RCR", car_class="2"),
        FlagChanged(time_ms=0, flag=Flag.GREEN),
        Passing(time_ms=0, key="31", source=Source.FEED),
        Passing(time_ms=13413, key="31", source=Source.FEED),
        LapsReported(key="8", time_ms=0),
        Passing(time_ms=13553, key="8", source=Source.FEED),
        Passing(time_ms=26813, key="31", source=Source.FEED),
        FlagChanged(time_ms=30000, flag=Flag.YELLOW),
        PitLane(key="8", time_ms=31000, entered=True, source=Source.FEED),
        PitLane(key="8", time_ms=45000, entered=False, source=Source.FEED),
        Passing(time_ms=27553, key="8", source=Source.FEED),
        Passing(time_ms=47553, key="8", source=Source.FEED),
        Passing(time_ms=48415, key="31", source=Source.FEED),
        FlagChanged(time_ms=48415, flag=Flag.CHECKERED),  # the leader's crossing before $F
        SessionEnded(time_ms=49000),  # $B run 95: at the last heartbeat's race time
    ]
    assert heat.retimed == {("31", 26813): 26815}
    assert (practice.run, practice.ended, practice.settings) == (
        8,
        False,
        SessionSettings(
            name="Practice 2",
            kind=SessionKind.PRACTICE,
            track_name="Coliseum",
            track_length=0.25,
            min_lap_ms=5000,
        ),
    )
    assert practice.events == [
        CompetitorSet(key="5", car="5"),
        Passing(time_ms=5000, key="5", source=Source.FEED),
        Passing(time_ms=17000, key="5", source=Source.FEED),
        Passing(time_ms=30000, key="5", source=Source.FEED),
        CompetitorSet(key="6", car="6"),
        Passing(time_ms=6000, key="6", source=Source.FEED),
        Passing(time_ms=18500, key="6", source=Source.FEED),
    ]
    # sent again by the timing system: kept once, counted apart from the lines skipped
    assert list(mapper.skipped) == [] and mapper.skipped_count == 0
    assert mapper.resent_count == 2
    assert dict(mapper.resent_reasons) == {
        "the same crossing sent again": 1,
        "the same pit-lane crossing sent again": 1,
    }


def test_the_race_order_check_and_its_corrections() -> None:
    heat = _mapped().sessions[0]
    engine = _board(heat)
    check = check_order(engine, heat)
    assert check == OrderCheck(
        "Clash Heat 1", "$G (laps)", ["31", "8"], [("31", 2), ("8", 1)], [("8", 1), ("31", 2)]
    )
    assert not check.agrees
    assert check.summary() == "Clash Heat 1: differs with $G (laps) over 2 car(s)"
    moved = "re-timed by the timing system by +2 ms"
    fixes = [
        DeletePassing(operator="timing system", reason=moved, passing_id=11),
        InsertPassing(operator="timing system", reason=moved, time_ms=26815, key="31"),
    ]
    assert crossings_retimed(engine, heat) == fixes
    assert agree_with_timing_system(engine, heat) == fixes
    assert laps_short(engine, heat) == []
    official = official_positions(engine, heat)
    assert official == {"31": 1, "8": 2}
    assert disagreements(engine, official) == [("31", 2, 1), ("8B", 1, 2)]
    fixed = TimingEngine.from_log(
        heat.settings,
        [LogEntry(i + 1, e) for i, e in enumerate([*heat.events, *fixes])],
    )
    assert crossings_retimed(fixed, heat) == []  # the crossing sent is gone: nothing more to do


@pytest.mark.parametrize(("end_ms", "moved"), [(26_813, False), (26_815, True)])
def test_a_crossing_re_timed_past_the_sessions_end_is_left_as_first_sent(
    end_ms: int, moved: bool
) -> None:
    """Car 31's crossing at 26.813 was sent again at 26.815. Moved past the end it would
    count for nothing (every result is final from the end), and the insert would be refused:
    the crossing stands as first sent; moved to the end's very moment it is moved."""
    heat = _mapped().sessions[0]
    events = [*heat.events, EndSession(time_ms=end_ms)]
    engine = TimingEngine.from_log(
        heat.settings, [LogEntry(i + 1, e) for i, e in enumerate(events)]
    )
    assert engine.ended_ms == end_ms
    assert bool(crossings_retimed(engine, heat)) is moved


def test_the_best_lap_order_check_and_a_lap_the_timing_system_did_not_count() -> None:
    practice = _mapped().sessions[1]
    engine = _board(practice)
    check = check_order(engine, practice)
    assert check == OrderCheck(
        "Practice 2",
        "$H (best lap)",
        ["6", "5"],
        [("6", 12500), ("5", 13000)],
        [("5", 12000), ("6", 12500)],
    )
    assert check.summary() == "Practice 2: differs with $H (best lap) over 2 car(s)"
    not_counted = [
        InvalidateLap(
            operator="timing system",
            reason="not counted by the timing system (its best is 13.000)",
            passing_id=3,
        )
    ]
    assert laps_not_counted(engine, practice) == not_counted
    assert agree_with_timing_system(engine, practice) == not_counted
    official = official_positions(engine, practice)
    assert official == {"6": 1, "5": 2}  # #7: not on the board, and not timed
    assert disagreements(engine, official) == [("6", 2, 1), ("5", 1, 2)]
    fixed = TimingEngine.from_log(
        practice.settings,
        [LogEntry(i + 1, e) for i, e in enumerate([*practice.events, *not_counted])],
    )
    assert check_order(fixed, practice).agrees
    assert check_order(fixed, practice).summary() == (
        "Practice 2: agrees with $H (best lap) over 2 car(s)"
    )


# A test session as Orbits sent Sebring 2009's: beside its own cars' $H rows, rows of cars of
# another session (#6, #7, #18: never entered here, no lap, 59:59.999) at places that its own
# cars hold too (1, 2) or that leave a gap (5); #21 is entered but has no time yet.
STALE_ROWS = (
    b'$B,33,"Test Session 5"\n'
    b'$A,"66","66",9320819,"Gil","de Ferran","Acura",2\n'
    b'$A,"15","15",8911814,"Luis","Diaz","Acura",3\n'
    b'$A,"9","9",9096804,"David","Brabham","Acura",2\n'
    b'$A,"21","21",8852130,"Ian","James","Panoz",1\n'
    b'$H,1,"6",0,"00:59:59.999"\n'
    b'$H,2,"7",0,"00:59:59.999"\n'
    b'$H,5,"18",0,"00:59:59.999"\n'
    b'$H,4,"21",0,"00:59:59.999"\n'
    b'$F,9999,"00:00:00","14:10:05","00:00:00","Green "\n'
    b'$J,"66","00:00:00.000","00:00:05.000"\n'
    b'$J,"15","00:00:00.000","00:00:06.000"\n'
    b'$J,"9","00:00:00.000","00:00:07.000"\n'
    b'$J,"66","00:01:48.000","00:01:53.000"\n'
    b'$H,1,"66",1,"00:01:48.000"\n'
    b'$J,"15","00:01:49.000","00:01:55.000"\n'
    b'$H,2,"15",1,"00:01:49.000"\n'
    b'$J,"9","00:01:50.000","00:01:57.000"\n'
    b'$H,3,"9",1,"00:01:50.000"\n'
    b'$H,1,"6",0,"00:59:59.999"\n'  # sent again on every refresh, after its own cars' rows
    b'$H,2,"7",0,"00:59:59.999"\n'
)


def test_stale_best_lap_rows_of_cars_not_in_the_session_take_no_ts_place() -> None:
    """The TS column read 1, 3, 5 … and the status bar "#15 ours P2 / TS P3" for a board in
    the timing system's own order: its rows of cars not in the session counted as places."""
    [session] = _mapped(STALE_ROWS).sessions
    engine = _board(session)
    assert engine.order()[:3] == ["66", "15", "9"]
    official = official_positions(engine, session)
    assert official == {"66": 1, "15": 2, "9": 3}  # #21, entered, has no time: no TS place
    assert disagreements(engine, official, {"66", "15", "9"}) == []
    assert listed_cars(engine, session) == 4  # #6, #7 and #18 are not on the board
    check = check_order(engine, session)
    assert check.compared == ["66", "15", "9"]
    assert check.summary() == "Test Session 5: agrees with $H (best lap) over 3 car(s)"
    assert order_text(4, 3, []) == "Timing system order: agrees"


def test_a_true_difference_is_still_said_beside_stale_rows() -> None:
    """The timing system puts #9 ahead of #15 (a lap of #15 it did not count, say)."""
    data = STALE_ROWS + b'$H,2,"9",1,"00:01:50.000"\n$H,3,"15",1,"00:01:49.000"\n'
    [session] = _mapped(data).sessions
    engine = _board(session)
    official = official_positions(engine, session)
    assert official == {"66": 1, "9": 2, "15": 3}
    assert disagreements(engine, official) == [("9", 3, 2), ("15", 2, 3)]
    assert not check_order(engine, session).agrees
    text = order_text(4, 3, disagreements(engine, official))
    assert text == "Timing system order differs: #9 ours P3 / TS P2, #15 ours P2 / TS P3"


def test_a_car_we_timed_that_the_timing_system_has_not_keeps_its_place() -> None:
    """#21's lap we timed, it has not (yet): the cars it ranks take our other places, in its
    order, so that the TS column differs from ours only where import's check does."""
    data = STALE_ROWS + b'$J,"21","00:00:00.000","00:00:08.000"\n'
    data += b'$J,"21","00:01:48.500","00:01:56.500"\n'
    [session] = _mapped(data).sessions
    engine = _board(session)
    assert engine.order() == ["66", "21", "15", "9"]
    official = official_positions(engine, session)
    assert official == {"66": 1, "15": 3, "9": 4}
    assert disagreements(engine, official) == []
    assert check_order(engine, session).agrees


def test_stale_race_rows_take_no_ts_place() -> None:
    """``$G`` the same way: a car of another session (no lap) at a place a car here holds."""
    data = (
        b'$B,7,"Feature race"\n'
        b'$A,"31","31",1031,"Justin","Haley","USA",1\n'
        b'$A,"8","8",1008,"Kyle","Busch","USA",1\n'
        b'$G,1,"77",0,"00:00:00.000"\n'
        b'$G,2,"78",,"00:00:00.000"\n'
        b'$F,10,"00:00:00","13:00:00","00:00:00","Green"\n'
        b'$J,"31","00:00:10.000","00:00:10.000"\n'
        b'$J,"8","00:00:11.000","00:00:11.000"\n'
        b'$G,1,"31",1,"00:00:10.000"\n'
        b'$G,2,"8",1,"00:00:11.000"\n'
        b'$G,1,"77",0,"00:00:00.000"\n'
    )
    [session] = _mapped(data).sessions
    engine = _board(session)
    official = official_positions(engine, session)
    assert official == {"31": 1, "8": 2}
    assert disagreements(engine, official) == []
    assert listed_cars(engine, session) == 2
    assert check_order(engine, session).agrees


def test_a_lap_count_short_of_ours_is_a_penalty_and_laps_not_seen_are_said() -> None:
    stream = (
        b'$B,3,"Feature race"\n'
        b'$F,10,"00:00:00","13:00:00","00:00:00","Green"\n'
        b'$J,"31","00:00:10.000","00:00:10.000"\n'
        b'$J,"31","00:00:10.000","00:00:20.000"\n'
        b'$J,"31","00:00:10.000","00:00:30.000"\n'
        b'$G,1,"31",2,"00:00:30.000"\n'  # it counts one lap fewer at our third crossing
        b'$G,2,"9",5,"00:00:31.000"\n'  # a crossing not seen here: its count is left alone
        b'$J,"9","00:00:10.000","00:00:41.000"\n'
    )
    session = _mapped(stream).sessions[0]
    engine = _board(session)
    penalty = [
        LapPenalty(
            operator="timing system",
            reason="the timing system counts 2 lap(s) at 0:00:30",
            key="31",
            laps=1,
        )
    ]
    assert laps_short(engine, session) == penalty
    assert agree_with_timing_system(engine, session) == penalty
    check = check_order(engine, session)
    assert check.laps_not_seen == 5
    assert check.summary() == (
        "Feature race: differs with $G (laps) over 2 car(s); "
        "5 lap(s) not seen here, taken from the timing system"
    )


# --- the RMonitor publisher: what a scoreboard is sent, line by line ---------------------------


def _published_race() -> TimingEngine:
    engine = TimingEngine(QUARTER_MILE_RACE)
    engine.apply(
        entries(
            [
                *field(["31", "8"]),
                Passing(time_ms=1000, key="31"),
                Passing(time_ms=1500, key="8"),
                Passing(time_ms=1600, car="77"),  # a car not entered: not sent
                Passing(time_ms=14413, key="31"),
                Passing(time_ms=14420, key="31"),  # a double read: not sent
                Passing(time_ms=15053, key="8"),
            ]
        )
    )
    return engine


def test_the_publisher_sends_each_counted_crossing_once_and_positions_that_changed() -> None:
    engine = _published_race()
    publisher = RMonitorPublisher(run_number=4)
    assert not publisher.caught_up(engine)
    assert publisher.advance(engine, most=4) == [
        '$J,"31","00:00:00.000","00:00:01.000"\r\n',
        '$J,"8","00:00:00.000","00:00:01.500"\r\n',
    ]
    assert not publisher.caught_up(engine)
    assert publisher.updates(engine) == (
        '$J,"31","00:00:13.413","00:00:14.413"\r\n'
        '$J,"8","00:00:13.553","00:00:15.053"\r\n'
        '$G,1,"31",1,"00:00:14.413"\r\n'
        '$G,2,"8",1,"00:00:15.053"\r\n'
    )
    assert publisher.caught_up(engine)
    assert publisher.changed_positions(engine) == ""
    assert publisher.updates(engine) == ""
    engine.apply(entries([Passing(time_ms=27500, key="31")], first_seq=engine.seq + 1))
    assert publisher.updates(engine) == (
        '$J,"31","00:00:13.087","00:00:27.500"\r\n$G,1,"31",2,"00:00:27.500"\r\n'
    )
    assert len(publisher.lines) == 5
    assert publisher.header(engine) == (
        '$B,4,"Heat 1"\r\n$E,"TRACKNAME","Coliseum"\r\n$E,"TRACKLENGTH","0.250"\r\n'
        '$A,"31","31",0,"Driver","31","",0\r\n$COMP,"31","31",0,"Driver","31","",""\r\n'
        '$A,"8","8",0,"Driver","8","",0\r\n$COMP,"8","8",0,"Driver","8","",""\r\n'
        '$G,1,"31",2,"00:00:27.500"\r\n$G,2,"8",1,"00:00:15.053"\r\n'
    )
    late = RMonitorPublisher()
    assert late.welcome(engine) == (
        publisher.header(engine).replace("$B,4,", "$B,1,") + "".join(publisher.lines)
    )


def test_a_scoreboard_joining_late_gets_every_lap_with_its_own_time() -> None:
    engine = TimingEngine(QUARTER_MILE_RACE)
    crossings = [Passing(time_ms=1000 + 13000 * i + 10 * i * i, key="31") for i in range(6)]
    engine.apply(entries([*field(["31"]), *crossings]))
    assert "".join(RMonitorPublisher().advance(engine)) == (
        '$J,"31","00:00:00.000","00:00:01.000"\r\n'
        '$J,"31","00:00:13.010","00:00:14.010"\r\n'
        '$J,"31","00:00:13.030","00:00:27.040"\r\n'
        '$J,"31","00:00:13.050","00:00:40.090"\r\n'
        '$J,"31","00:00:13.070","00:00:53.160"\r\n'
        '$J,"31","00:00:13.090","00:01:06.250"\r\n'
    )


# --- P3: records, the stream decoder, the mapper with pit and sector lines ---------------------

_RTC = 1_551_542_808_933_000


def test_the_decoders_crc_of_the_check_string() -> None:
    assert crc16(b"123456789") == 0xA69D


def test_a_passing_is_written_as_a_decoder_writes_it_and_read_back_whole() -> None:
    record = passing(0x123456, 4242, _RTC, decoder_id=0x41813, strength=99, hits=7)
    wire = encode_record(record)
    assert wire.hex() == (
        "8e02330035ca00000100010456341200030492100000040888f2fab51e8305000502630006020700"
        "080200008104131804008f"
    )
    assert as_passing(decode_record(wire)) == PassingRecord(
        passing_number=0x123456, transponder=4242, rtc_us=_RTC, decoder_id=0x41813,
        strength=99, hits=7, flags=0, transponder_text="", utc_us=None, unknown=(),
    )  # fmt: skip


def test_a_record_cut_short_is_skipped_with_its_bytes() -> None:
    assert decode_record(bytes([0x8E, 0x02, 0x8F])) == P3Skipped(
        "record of 3 bytes is shorter than a header", bytes([0x8E, 0x02, 0x8F])
    )
    decoder = P3StreamDecoder()
    wire = encode_record(passing(1, 101, _RTC))
    assert decoder.finish() == []
    assert decoder.feed(wire[:10]) == []
    assert decoder.finish() == [P3Skipped("record cut short at the end of the stream", wire[:10])]
    assert decoder.finish() == []


def test_timing_lines_are_named_finish_pit_in_pit_out_or_sector_1_to_8() -> None:
    assert parse_line("Sector 1") == TimingLine(LineKind.SECTOR, 1)
    assert parse_line("s8") == TimingLine(LineKind.SECTOR, 8)
    assert parse_line("pit-in") == TimingLine(LineKind.PIT_IN)
    for wrong in ("sector 0", "sector 9", "pits"):
        with pytest.raises(ValueError, match="is not a timing line"):
            parse_line(wrong)


def test_the_p3_mapper_times_the_finish_pit_and_sector_lines_of_known_cars() -> None:
    lines = parse_lines("1=finish,2=pit in,3=pit out,4=sector 1")
    car = CompetitorSet(key="31", car="31", transponders=("101",))
    mapper = P3Mapper(name="Practice", lines=lines, entries=[car])
    first = mapper.take(
        [
            passing(1, 101, _RTC + 1_000_000, decoder_id=4),  # a sector before any finish
            passing(1, 101, _RTC, decoder_id=1),
            passing(2, 102, _RTC + 500_000, decoder_id=1),
        ]
    )
    decoder = Source.DECODER
    assert first == [
        car,
        FlagChanged(time_ms=0, flag=Flag.GREEN),
        Passing(time_ms=0, transponder="101", source=decoder),
        Passing(time_ms=500, transponder="102", source=decoder),
    ]
    second = mapper.take(
        [
            passing(2, 101, _RTC + 5_000_000, decoder_id=4),
            passing(3, 102, _RTC + 6_000_000, decoder_id=4),  # no car's: skipped
            passing(4, 101, _RTC + 9_000_000, decoder_id=2),
            passing(5, 101, _RTC + 20_000_000, decoder_id=3),
            passing(6, 102, _RTC + 21_000_000, decoder_id=2),  # no car's: skipped
            passing(3, 101, _RTC + 30_100_000, decoder_id=1),
            passing(3, 101, _RTC + 30_100_000, decoder_id=1),  # sent again
        ]
    )
    assert second == [
        SectorCrossing(key="31", time_ms=5000, sector=1),
        PitLane(key="31", time_ms=9000, entered=True, source=decoder),
        PitLane(key="31", time_ms=20000, entered=False, source=decoder),
        Passing(time_ms=30100, transponder="101", source=decoder),
    ]
    assert mapper.session.events == [car, *first, *second]
    assert [s.reason for s in mapper.skipped] == [
        "passing 1 on the sector 1 before any on the finish",
        "passing 3 on sector 1: transponder 102 is no car's yet",
        "passing 6 on the pit in: transponder 102 is no car's yet",
    ]
    assert mapper.resent == 1  # passing 3 sent again: kept once, not a part skipped
    assert mapper.last_passing_number == 6
    assert {d: (h.passings, h.last_passing_number) for d, h in mapper.health.items()} == {
        4: (2, 3),
        1: (3, 3),
        2: (2, 6),
        3: (1, 5),
    }


# --- RMonitor lines and counts at their edges --------------------------------------------------


def test_junk_before_a_record_and_a_bad_field_are_skipped_with_their_text() -> None:
    assert rmonitor_parse_line('xx $B,1,"a"') == [
        Skipped("xx ", "junk before a record"),
        Run(number=1, description="a"),
    ]
    assert rmonitor_parse_line('$G,x,"31",1,""') == [
        Skipped('$G,x,"31",1,""', "$G: 'x' is not a number")
    ]


def test_a_crossing_exactly_the_shortest_lap_after_the_last_counts_a_lap() -> None:
    track = CarTrack(5000)
    track.crossing("31", 1000, None)
    track.crossing("31", 6000, 5000)
    assert (track.laps, track.last_ms) == (1, 6000)
    track.crossing("31", 10999, 4999)
    assert (track.laps, track.last_ms) == (1, 6000)


def test_a_best_lap_reported_without_its_number_is_reported_so() -> None:
    track = CarTrack(5000)
    assert track.best_report("31", None, 13400) == [BestReported(key="31", lap_ms=13400)]
    assert CarTrack(5000).best_report("31", 0, 13400) == [BestReported(key="31", lap_ms=13400)]
    assert CarTrack(5000).best_report("31", 4, 13400) == [
        BestReported(key="31", lap_ms=13400, lap=4)
    ]


def test_positions_are_sent_for_entered_cars_only_whatever_comes_first() -> None:
    engine = _published_race()
    keys = ["?77", *engine.order()]
    assert positions(engine, keys) == [
        '$G,1,"31",1,"00:00:14.413"\r\n',
        '$G,2,"8",1,"00:00:15.053"\r\n',
    ]


def test_a_finish_a_late_lap_and_a_transponder_not_resent_map_to_these_events() -> None:
    stream = (
        b'$B,3,"Feature race"\n'
        b'$A,"31","31",1031,"Justin","Haley","USA",1\n'
        b'$A,"31","31",,"Justin","Haley","USA",1\n'  # the transponder not sent again: kept
        b'$F,10,"00:00:00","13:00:00","00:00:00","Green"\n'
        b'$J,"31","00:00:10.000","00:00:10.000"\n'
        b'$J,"8","00:00:10.300","00:00:10.300"\n'
        b'$J,"31","00:00:19.000","00:00:29.000"\n'
        b'$J,"31","00:00:19.100","00:00:48.100"\n'  # the leader, before the lapped car
        b'$J,"8","00:00:38.300","00:00:48.600"\n'
        b'$F,0,"00:00:49","13:00:49","00:00:49","Finish"\n'
        b'$RMHL,"5",4,3,"00:00:13.000","Green","00:01:00.000"\n'  # its lap 3 not seen here
        b'$RMHL,"5",5,3,"00:00:13.000","Green",""\n'
    )
    mapper = _mapped(stream)
    [session] = mapper.sessions
    assert session.settings == SessionSettings(name="Feature race", min_lap_ms=5000)
    feed = Source.FEED
    assert session.events == [
        CompetitorSet(
            key="31", car="31", driver="Justin Haley", car_class="1", transponders=("1031",)
        ),
        FlagChanged(time_ms=0, flag=Flag.GREEN),
        LapsReported(key="31", time_ms=0),
        Passing(time_ms=10000, key="31", source=feed),
        CompetitorSet(key="8", car="8"),
        LapsReported(key="8", time_ms=0),
        Passing(time_ms=10300, key="8", source=feed),
        Passing(time_ms=29000, key="31", source=feed),
        Passing(time_ms=48100, key="31", source=feed),
        Passing(time_ms=48600, key="8", source=feed),
        FlagChanged(time_ms=48100, flag=Flag.CHECKERED),  # at the leader's crossing
        CompetitorSet(key="5", car="5"),
        LapsReported(key="5", time_ms=47000, laps=3),
        Passing(time_ms=60000, key="5", source=feed),
    ]
    assert [(s.text, s.reason) for s in mapper.skipped] == [
        ("$RMHL 5", "historical lap with no race time")
    ]


def test_only_crossings_still_counted_are_moved_and_every_car_is_looked_at() -> None:
    stream = (
        b'$B,3,"Feature race"\n'
        b'$J,"31","00:00:10.000","00:00:10.000"\n'
        b'$J,"8","00:00:10.000","00:00:11.000"\n'
        b'$J,"31","00:00:10.000","00:00:10.004"\n'  # re-timed by +4 ms
        b'$J,"8","00:00:10.000","00:00:11.003"\n'  # re-timed by +3 ms
    )
    session = _mapped(stream).sessions[0]
    assert list(session.retimed) == [("31", 10000), ("8", 11000)]
    engine = _board(session)
    deleted = DeletePassing(passing_id=engine.entries["31"].timing.crossings[0][1], operator="x")
    engine.apply([LogEntry(engine.seq + 1, deleted)])
    moved = "re-timed by the timing system by +3 ms"
    pid = engine.entries["8"].timing.crossings[0][1]
    assert crossings_retimed(engine, session) == [
        DeletePassing(operator="timing system", reason=moved, passing_id=pid),
        InsertPassing(operator="timing system", reason=moved, time_ms=11003, key="8"),
    ]


def test_counts_of_cars_not_seen_or_at_crossings_not_seen_are_passed_over() -> None:
    stream = (
        b'$B,3,"Feature race"\n'
        b'$J,"31","00:00:10.000","00:00:10.000"\n'
        b'$J,"31","00:00:10.000","00:00:20.000"\n'
        b'$J,"31","00:00:10.000","00:00:30.000"\n'
        b'$G,3,"12",0,"00:00:31.000"\n'  # a car with no lap: not on the board
        b'$G,2,"9",5,"00:00:31.000"\n'  # a crossing not seen here
        b'$G,1,"31",1,"00:00:30.000"\n'  # two laps fewer than ours, at our third crossing
    )
    session = _mapped(stream).sessions[0]
    engine = _board(session)
    assert "12" not in engine.entries
    assert laps_short(engine, session) == [
        LapPenalty(
            operator="timing system",
            reason="the timing system counts 1 lap(s) at 0:00:30",
            key="31",
            laps=2,
        )
    ]


def test_a_page_without_the_whole_row_or_settings_is_read_from_its_fields() -> None:
    before = SessionSettings(name="Before", kind=SessionKind.QUALIFYING)
    assert live_follow._settings({"name": "Heat 1", "kind": "race"}, before) == SessionSettings(
        name="Heat 1", kind=SessionKind.RACE
    )
    assert live_follow._settings({"kind": "drag race"}, before) == before
    assert live_follow._settings({}, before) == before
    row = live_follow._standing({"key": "31", "session_best": True, "in_pit": 1}, 4)
    assert (row.key, row.car, row.position, row.holds_session_best, row.in_pit) == (
        "31",
        "31",
        4,
        True,
        True,
    )
    assert not live_follow._standing({"key": "8"}, 2).holds_session_best


def test_a_published_session_best_keeps_when_it_was_set() -> None:
    engine = live_follow.PublishedEngine(SessionSettings(name="Heat 1"))
    rows = {"31": live_follow._standing({"key": "31", "session_best": True}, 1)}
    best = {"key": "31", "lap_ms": 13_413, "lap_number": 4, "at_ms": 61_000}
    assert engine._best(best, rows) == ("31", Lap(4, 61_000, 13_413, 0))
    assert engine._best({**best, "key": "8"}, rows) is None  # a car not on the board


def test_a_p3_mapper_knows_no_decoder_clock_before_one_is_heard() -> None:
    assert P3Mapper().decoder_clock_us is None
