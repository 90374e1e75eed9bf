"""The passings a board counts (issue 15): those read, and those inserted while the insert
stands; an insert undone is not a passing any more, a double read deleted was still read."""

from __future__ import annotations

from race_scripts import QUARTER_MILE_RACE, entries, field, run

from timingboard.engine import DeletePassing, Flag, FlagChanged, InsertPassing, Passing, Revert


def test_an_insert_counts_while_it_stands() -> None:
    engine = run(
        QUARTER_MILE_RACE,
        [*field(["1"]), FlagChanged(time_ms=0, flag=Flag.GREEN)]
        + [Passing(time_ms=t, car="1") for t in (0, 10_000, 30_000)],
    )
    assert engine.passing_count() == 3
    engine.apply(entries([InsertPassing(time_ms=20_000, key="1", operator="Pat")], engine.seq + 1))
    insert = engine.seq
    assert engine.passing_count() == 4
    engine.apply(entries([Revert(correction_id=insert, operator="Pat")], engine.seq + 1))
    assert engine.passing_count() == 3  # was 4
    engine.apply(entries([Revert(correction_id=engine.seq, operator="Pat")], engine.seq + 1))
    assert engine.passing_count() == 4  # redone
    first = next(iter(engine.passing_ids()))
    engine.apply(entries([DeletePassing(passing_id=first, operator="Pat")], engine.seq + 1))
    assert engine.passing_count() == 4  # read, then deleted: still read
