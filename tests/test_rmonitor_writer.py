"""Our session as RMonitor records, line by line as a scoreboard that follows us reads them.

The record layouts are the protocol's (``../shared/docs/rmonitor.md``): times on the wire are
race time from the green, ``HH:MM:SS.DDD``; names and text are quoted, a quote inside a name
becomes an apostrophe; classes are numbered in name order.
"""

from __future__ import annotations

import dataclasses

from race_scripts import QUARTER_MILE_QUALIFYING, QUARTER_MILE_RACE, laps_at, run

from timingboard.engine import CompetitorSet, Flag, FlagChanged, Passing, TimingEngine
from timingboard.feeds.live_json import remaining_text
from timingboard.feeds.rmonitor_parser import parse_bytes
from timingboard.feeds.rmonitor_writer import (
    full_refresh,
    heartbeat,
    passing,
    positions,
    quoted,
    record,
    rm_time,
)

FIELD = [
    CompetitorSet(
        key="31",
        car="31",
        driver="Justin Haley",
        team="Kaulig Racing",
        car_class="Cup",
        transponders=("1031",),
    ),
    CompetitorSet(key="8", car="8", driver='Kyle "Rowdy" Busch', team="RCR", car_class="Cup"),
    CompetitorSet(key="16", car="16", driver="AJ Allmendinger", car_class="Am"),
]
RACE = dataclasses.replace(QUARTER_MILE_RACE, race_laps=10)


def heat(settings=RACE) -> TimingEngine:  # type: ignore[no-untyped-def]
    """Green at 2 s; cars 31 and 8 complete a lap; car 16 has not crossed; car 99 is unknown."""
    crossings = [(2000, "31"), (2300, "8"), (15_413, "31"), (15_853, "8"), (16_000, "99")]
    return run(
        settings,
        [
            *FIELD,
            FlagChanged(time_ms=2000, flag=Flag.GREEN),
            *(Passing(time_ms=t, car=car) for t, car in crossings),
        ],
    )


def test_times_on_the_wire() -> None:
    assert rm_time(3_723_456) == "01:02:03.456"
    assert rm_time(90_000_000) == "25:00:00.000"  # hours pass 24
    assert rm_time(59_999, millis=False) == "00:00:59"
    assert rm_time(None) == rm_time(-5) == "00:00:00.000"


def test_text_is_quoted_and_kept_on_one_line() -> None:
    assert quoted('Kyle "Rowdy"\r\nBusch') == "\"Kyle 'Rowdy'  Busch\""
    assert record("F", 9, '"x"') == '$F,9,"x"\r\n'


def test_a_scoreboard_that_connects_gets_session_classes_track_cars_and_order() -> None:
    assert full_refresh(heat(), 3).split("\r\n") == [
        '$B,3,"Heat 1"',
        '$C,1,"Am"',
        '$C,2,"Cup"',
        '$E,"TRACKNAME","Coliseum"',
        '$E,"TRACKLENGTH","0.250"',
        '$A,"31","31",1031,"Justin","Haley","",2',
        '$COMP,"31","31",2,"Justin","Haley","","Kaulig Racing"',
        '$A,"8","8",0,"Kyle","\'Rowdy\' Busch","",2',
        '$COMP,"8","8",2,"Kyle","\'Rowdy\' Busch","","RCR"',
        '$A,"16","16",0,"AJ","Allmendinger","",1',
        '$COMP,"16","16",1,"AJ","Allmendinger","",""',
        '$G,1,"31",1,"00:00:13.413"',  # race time of its last lap, from the green
        '$G,2,"8",1,"00:00:13.853"',
        '$G,4,"16",,"00:00:00.000"',  # no lap yet; behind 99, unknown (not sent), who crossed
        "",
    ]


def test_what_we_send_reads_back_as_the_same_cars_classes_and_order() -> None:
    records = parse_bytes(full_refresh(heat(), 3).encode())
    kinds = {type(r).__name__ for r in records}
    assert "Skipped" not in kinds
    classes = {r.number: r.description for r in records if type(r).__name__ == "ClassInfo"}
    cars = [
        (r.reg, r.car, f"{r.first_name} {r.last_name}", classes.get(r.class_no), r.additional)
        for r in records
        if type(r).__name__ == "CompetitorExt"
    ]
    assert cars == [
        ("31", "31", "Justin Haley", "Cup", "Kaulig Racing"),
        ("8", "8", "Kyle 'Rowdy' Busch", "Cup", "RCR"),
        ("16", "16", "AJ Allmendinger", "Am", ""),
    ]
    order = [(r.position, r.reg, r.laps) for r in records if type(r).__name__ == "RacePosition"]
    assert order == [(1, "31", 1), (2, "8", 1), (4, "16", None)]  # 99, unknown, is 3rd


def test_qualifying_sends_best_laps() -> None:
    engine = run(
        QUARTER_MILE_QUALIFYING,
        [*FIELD[:2], FlagChanged(time_ms=0, flag=Flag.GREEN), *laps_at("31", 1000, 13_413, 2)],
    )
    assert positions(engine, engine.order()) == [
        '$H,1,"31",1,"00:00:13.413"\r\n',
        '$H,2,"8",0,"00:00:00.000"\r\n',
    ]


def test_the_heartbeat_has_laps_to_go_time_to_go_the_clock_and_the_flag() -> None:
    assert heartbeat(heat(), 20_000, "13:05:00") == (
        '$F,9,"00:00:00","13:05:00","00:00:18","Green "\r\n'
    )
    timed = dataclasses.replace(RACE, race_laps=None, race_duration_ms=600_000)
    assert heartbeat(heat(timed), 20_000, "13:05:00") == (
        '$F,9999,"00:09:42","13:05:00","00:00:18","Green "\r\n'
    )
    assert heartbeat(heat(timed), 700_000, "x").startswith('$F,9999,"00:00:00"')
    no_flag = run(RACE, FIELD)
    assert heartbeat(no_flag, 5000, "x") == '$F,10,"00:00:00","x","00:00:05","      "\r\n'


def test_a_crossing_is_sent_with_its_lap_time_and_race_time() -> None:
    engine = heat()
    lap = engine.entries["31"].timing.last_lap
    assert passing(engine, "31", 15_413, lap) == '$J,"31","00:00:13.413","00:00:13.413"\r\n'
    assert passing(engine, "31", 2000, None) == '$J,"31","00:00:00.000","00:00:00.000"\r\n'


def test_what_is_left_of_a_timed_race_is_said_only_once_it_is_green() -> None:
    timed = dataclasses.replace(RACE, race_laps=None, race_duration_ms=600_000)
    assert remaining_text(run(timed, FIELD), 5000) == ("", None)
    assert remaining_text(heat(timed), 20_000) == ("0:09:42 to go", None)
    assert remaining_text(heat(), 20_000) == ("9 laps to go", 9)


def _followed(stream: str) -> TimingEngine:
    """The board a follower of ``stream`` builds (its first session)."""
    from timingboard.feeds.rmonitor_session import RMonitorMapper

    mapper = RMonitorMapper()
    mapper.read(parse_bytes(stream.encode()))
    session = mapper.sessions[0]
    return run(session.settings, session.events)


def test_a_follower_that_saw_the_start_has_the_grid_and_the_positions_gained() -> None:
    """RMonitor has no grid field: a board following ours showed +/- and the Entries' Grid
    empty. The timing system's order before anyone crossed is its grid."""
    gridded = [dataclasses.replace(c, grid=slot) for c, slot in zip(FIELD, (3, 1, 2), strict=True)]
    before = run(RACE, gridded)
    stream = full_refresh(before, 3)
    assert '$G,1,"8",,"00:00:00.000"' in stream  # the grid order, no laps
    race = run(
        RACE,
        [
            *gridded,
            FlagChanged(time_ms=0, flag=Flag.GREEN),
            *laps_at("31", 100, 13_400, 1),
            *laps_at("8", 200, 13_900, 1),
            *laps_at("16", 300, 14_500, 1),
        ],
    )
    stream += "".join(positions(race, race.order()))  # after the first lap: with laps
    followed = _followed(stream)
    assert {k: c.grid for k, c in followed.entry_list().items()} == {"31": 3, "8": 1, "16": 2}
    assert followed.entry_list()["31"].team == "Kaulig Racing"  # $COMP's additional data
    gained = {s.car: s.gained for s in followed.standings()}
    assert gained == {s.car: s.gained for s in race.standings()} == {"31": 2, "8": -1, "16": -1}

    joined = _followed(full_refresh(heat(), 3))  # a board that joined after the start
    assert {c.grid for c in joined.entry_list().values()} == {None}  # nothing to count from
