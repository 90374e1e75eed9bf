"""The feeds' outputs stated whole, for small races: what followers, scoreboards and the order
check are sent, to the last key and figure (pure: no Qt).

Each test states one output exactly, so that a changed key, text or comparison in the code that
makes it shows as a failure here (the mutation runs, scripts/mutation, use these).
"""

from __future__ import annotations

from race_scripts import QUARTER_MILE_QUALIFYING, QUARTER_MILE_RACE, entries

from timingboard.engine import (
    CompetitorSet,
    Flag,
    FlagChanged,
    Passing,
    PitLane,
    TimingEngine,
)
from timingboard.engine.events import Disqualify, LapsReported, Retire
from timingboard.feeds import live_json
from timingboard.feeds.live_json import Follower, LiveBoard, row_of, session_of, status_of


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
            "last_ms": 13087, "last_pb": True, "best": "13.087", "best_ms": 13087,
            "session_best": True, "gap": "", "interval": "", "speed": "68.771", "status": "",
            "pits": 0, "in_pit": False,
        },
        {
            "key": "8", "pos": 2, "car": "8", "driver": "Kyle Busch", "team": "RCR",
            "class": "GT4", "class_pos": 1, "laps": 1, "laps_text": "1", "last": "13.553",
            "last_ms": 13553, "last_pb": True, "best": "13.553", "best_ms": 13553,
            "session_best": False, "gap": "+0.640", "interval": "+0.640", "speed": "66.406",
            "status": "PIT", "pits": 1, "in_pit": True,
        },
        {
            "key": "?77", "pos": 3, "car": "77", "driver": "unknown car", "team": "",
            "class": "", "class_pos": None, "laps": 0, "laps_text": "0", "last": "",
            "last_ms": None, "last_pb": False, "best": "", "best_ms": None,
            "session_best": False, "gap": "", "interval": "", "speed": "", "status": "",
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
        "told_laps_to_go": None,
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
