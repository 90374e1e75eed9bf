"""Engine rules stated at their edges, with no Qt, for the mutation runs (scripts/mutation)."""

from __future__ import annotations

import pytest
from race_scripts import QUARTER_MILE_RACE, field, run

from timingboard.engine import Flag, FlagChanged, InvalidEvent, Passing, TimingEngine
from timingboard.engine.events import ResultsDeclared
from timingboard.engine.session_end import unfinished


def test_a_session_not_finished_says_its_flag_and_what_is_left() -> None:
    engine = run(
        QUARTER_MILE_RACE,
        [
            *field(["31"]),
            FlagChanged(time_ms=0, flag=Flag.GREEN),
            Passing(time_ms=1000, key="31"),
            Passing(time_ms=14000, key="31"),
        ],
    )
    assert unfinished(engine) == "Heat 1 is not finished: the flag is GREEN, 9 laps to go"
    assert unfinished(TimingEngine(QUARTER_MILE_RACE)) == (
        "Heat 1 is not finished: no flag was shown, 10 laps to go"
    )
    engine.apply(
        [type(engine.log[0])(engine.seq + 1, FlagChanged(time_ms=20000, flag=Flag.CHECKERED))]
    )
    assert unfinished(engine) == ""


def test_a_car_known_by_its_transponder_alone_is_named_by_it() -> None:
    engine = run(
        QUARTER_MILE_RACE,
        [*field(["31"]), Passing(time_ms=1000, key="31"), Passing(time_ms=1500, transponder="T9")],
    )
    assert engine.order() == ["31", "?TT9"]
    assert engine.unknown_transponder("?TT9") == "T9"
    assert engine.unknown_transponder("31") is None  # entered
    assert engine.unknown_transponder("nobody") is None
    by_number = run(QUARTER_MILE_RACE, [Passing(time_ms=1000, car="5")])
    assert by_number.unknown_transponder("?5") is None  # seen by its number, not a transponder


def test_results_are_declared_by_someone_named() -> None:
    engine = TimingEngine(QUARTER_MILE_RACE)
    with pytest.raises(InvalidEvent, match="say who declares the results official"):
        engine.validate(ResultsDeclared(operator="  ", at="2026-12-02T05:00:00+00:00"))
    engine.validate(ResultsDeclared(operator="Director", at="2026-12-02T05:00:00+00:00"))
