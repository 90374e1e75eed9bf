"""Engine rules stated at their edges, with no Qt, for the mutation runs (scripts/mutation)."""

from __future__ import annotations

import dataclasses

import pytest
from race_scripts import QUARTER_MILE_RACE, entries, field, run

from timingboard.engine import (
    CompetitorSet,
    EditEntry,
    Flag,
    FlagChanged,
    InvalidEvent,
    LapsReported,
    Passing,
    Revert,
    SectorCrossing,
    TimePenalty,
    TimingEngine,
)
from timingboard.engine.audit import describe
from timingboard.engine.checkpoint import Checkpoint
from timingboard.engine.events import ResultsDeclared
from timingboard.engine.flag_shown import shown_flag
from timingboard.engine.formatting import format_clock
from timingboard.engine.session_end import over_at, unfinished
from timingboard.engine.standings import RowOp
from timingboard.engine.validation import MAX_SECTOR_LINE, validate_event


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


def test_the_smallest_time_penalty_is_written_with_its_sign() -> None:
    """A penalty of a thousandth either way says which way it goes: +0.001, -0.001."""
    engine = run(QUARTER_MILE_RACE, [*field(["31"]), Passing(time_ms=1000, key="31")])
    assert describe(engine, TimePenalty(key="31", ms=1)) == "Time penalty +0.001 s for car 31"
    assert describe(engine, TimePenalty(key="31", ms=-1)) == "Time penalty -0.001 s for car 31"


def test_an_undo_undone_is_a_redo_and_only_its_own_word_changes() -> None:
    """Undoing an undo words it "Redo #N: …", the correction again; an "Undo #" in what the
    correction itself says (a team so named) is left as it was."""
    engine = run(QUARTER_MILE_RACE, [*field(["31"]), Passing(time_ms=1000, key="31")])
    edit = EditEntry(key="31", car="31", driver="Ann", team="Undo #1 Racing")
    engine.apply(entries([edit], engine.seq + 1))
    edited = engine.seq
    engine.apply(entries([Revert(correction_id=edited)], engine.seq + 1))
    undo = engine.seq
    assert describe(engine, Revert(correction_id=undo)) == (
        "Redo #1: Entry of car 31: Ann, Undo #1 Racing"  # the first correction made
    )


def test_an_edited_entry_is_the_entry_the_edit_names_field_by_field() -> None:
    engine = run(QUARTER_MILE_RACE, [*field(["31"]), Passing(time_ms=1000, key="31")])
    edit = EditEntry(
        key="31", car="31", driver="Ann", team="Blue", make="Ford", car_class="GT", grid=2
    )
    engine.apply(entries([edit], engine.seq + 1))
    entry = engine.competitor_of("31")
    assert entry is not None
    assert (entry.driver, entry.team, entry.make, entry.car_class, entry.grid) == (
        "Ann",
        "Blue",
        "Ford",
        "GT",
        2,
    )
    assert edit.entry() == entry


def test_places_in_class_mean_something_from_two_classes_on() -> None:
    one = run(QUARTER_MILE_RACE, [CompetitorSet(key="1", car="1", car_class="GT")])
    assert not one.has_classes()
    two = run(
        QUARTER_MILE_RACE,
        [
            CompetitorSet(key="1", car="1", car_class="GT"),
            CompetitorSet(key="2", car="2", car_class="Pro"),
        ],
    )
    assert two.has_classes()


def test_a_timed_session_not_finished_says_the_time_to_go() -> None:
    timed = dataclasses.replace(QUARTER_MILE_RACE, race_laps=None, race_duration_ms=600_000)
    engine = run(
        timed,
        [*field(["31"]), FlagChanged(time_ms=0, flag=Flag.GREEN), Passing(time_ms=1000, key="31")],
    )
    assert engine.start_ms is not None
    left = engine.start_ms + 600_000 - 60_000
    assert unfinished(engine, now_ms=60_000) == (
        f"Heat 1 is not finished: the flag is GREEN, {format_clock(left)} to go"
    )
    assert unfinished(engine, now_ms=700_000).endswith(", 0:00:00 to go")  # never below zero


def test_a_sector_line_is_crossed_by_a_car_on_the_board_on_lines_1_to_8() -> None:
    engine = run(
        QUARTER_MILE_RACE, [*field(["31"]), Passing(time_ms=1000, car="77")]
    )  # 77: an unknown car, on the board by its passing
    for key in ("31", "?77"):
        for line in (1, MAX_SECTOR_LINE):
            validate_event(engine, SectorCrossing(key=key, time_ms=2000, sector=line))
    refused = [
        (SectorCrossing(key="9", time_ms=2000, sector=1), "no car '9'?"),
        (SectorCrossing(key="31", time_ms=2000, sector=0), "sector line 0?"),
        (SectorCrossing(key="31", time_ms=2000, sector=MAX_SECTOR_LINE + 1), "sector line 9?"),
    ]
    for event, message in refused:
        with pytest.raises(InvalidEvent) as caught:
            validate_event(engine, event)
        assert str(caught.value) == message


def test_a_checkpoint_is_spent_once_taken_and_says_so() -> None:
    engine = run(QUARTER_MILE_RACE, [*field(["31"]), Passing(time_ms=1000, key="31")])
    checkpoint = Checkpoint(engine.clone(), None)
    assert checkpoint.take().order() == ["31"]
    with pytest.raises(RuntimeError, match=r"^this checkpoint was taken already$"):
        checkpoint.take()
    with pytest.raises(RuntimeError, match=r"^this checkpoint was taken already$"):
        checkpoint.copy()


def test_an_overtake_moves_one_row_of_the_board() -> None:
    """Car 2 passes car 8 on the line: one row moved up, named, to where it ends."""
    engine = run(
        QUARTER_MILE_RACE,
        [
            *field(["31", "8", "2"]),
            FlagChanged(time_ms=0, flag=Flag.GREEN),
            *(Passing(time_ms=t, car=c) for t, c in [(0, "31"), (100, "8"), (200, "2")]),
            *(Passing(time_ms=t, car=c) for t, c in [(14_000, "31"), (14_300, "8")]),
        ],
    )
    assert engine.order() == ["31", "8", "2"]
    change = engine.apply(entries([Passing(time_ms=14_250, car="2")], engine.seq + 1))
    assert engine.order() == ["31", "2", "8"]
    assert change.ops == [RowOp("move", 2, "2", 1)]


def test_a_correction_for_a_car_not_in_the_session_is_refused_by_its_number() -> None:
    engine = run(QUARTER_MILE_RACE, [*field(["31"]), Passing(time_ms=1000, key="31")])
    with pytest.raises(InvalidEvent, match=r"^there is no car '9' in this session$"):
        engine.validate(TimePenalty(key="9", ms=5000))


def test_a_row_shows_the_make_of_its_entry() -> None:
    entry = CompetitorSet(key="31", car="31", driver="Ann", team="Blue", make="Chevrolet")
    engine = run(QUARTER_MILE_RACE, [entry, Passing(time_ms=1000, key="31")])
    row = engine.standing("31")
    assert (row.driver, row.team, row.make) == ("Ann", "Blue", "Chevrolet")


def test_laps_the_timing_system_counted_but_no_crossing_timed_are_not_valid_laps() -> None:
    engine = run(
        QUARTER_MILE_RACE,
        [
            *field(["31"]),
            FlagChanged(time_ms=0, flag=Flag.GREEN),
            LapsReported(key="31", time_ms=60_000, laps=3),
        ],
    )
    laps = engine.laps("31")
    assert [(lap.number, lap.valid, lap.seen, lap.timed) for lap in laps] == [
        (1, False, False, False),
        (2, False, False, False),
        (3, False, False, False),
    ]


def test_a_car_entered_first_that_never_crossed_does_not_end_the_wait_for_the_others() -> None:
    crossings = {"1": [0, 10_000, 20_000, 30_000], "2": [1000, 11_000, 21_000]}
    passings = sorted(
        (Passing(time_ms=t, car=car) for car, times in crossings.items() for t in times),
        key=lambda p: p.time_ms,
    )
    settings = dataclasses.replace(QUARTER_MILE_RACE, race_laps=3)
    events = [*field(["4", "1", "2"]), FlagChanged(time_ms=0, flag=Flag.GREEN), *passings]
    engine = run(settings, events)
    assert engine.finish_ms == 30_000
    assert over_at(engine) is None  # car 2 is still out
    engine.apply(entries([Passing(time_ms=31_000, car="2")], engine.seq + 1))
    assert over_at(engine) == 31_000


def test_checkered_at_the_finish_unless_red_and_a_flag_thrown_after_it_wins() -> None:
    """A race to 3 laps, the leader's third crossing at 30 s: CHECKERED from then on, unless
    the flag out is RED; a flag thrown after the finish is the one shown."""
    three_laps = dataclasses.replace(QUARTER_MILE_RACE, race_laps=3)

    def finished(*flags: FlagChanged) -> TimingEngine:
        crossings = [Passing(time_ms=t, car="1") for t in (0, 10_000, 20_000, 30_000)]
        events = [*field(["1"]), FlagChanged(time_ms=0, flag=Flag.GREEN), *crossings, *flags]
        return run(three_laps, sorted(events, key=lambda e: getattr(e, "time_ms", -1)))

    done = finished()
    assert done.finish_ms == 30_000 and shown_flag(done, 30_000) is Flag.CHECKERED
    red = finished(FlagChanged(time_ms=25_000, flag=Flag.RED))
    assert red.finish_ms == 30_000 and shown_flag(red, 30_000) is Flag.RED
    yellow = finished(FlagChanged(time_ms=35_000, flag=Flag.YELLOW))
    assert shown_flag(yellow, 35_000) is Flag.YELLOW
