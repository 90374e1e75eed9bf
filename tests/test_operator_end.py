"""The operator's end of a session (Flag ▸ End session…, logged as ``EndSession``, a
correction), and what a practice or qualifying car still out at the checkered reads.

The qualifying: green at 0; car 1 crosses at 1.000, 15.000 and 29.000 (laps of 14 s), car 2 at
2.000 and 17.000 (a lap of 15 s); the checkered falls at 30.000, with both on a lap (neither has
taken the flag). Car 3 never goes out.
"""

from __future__ import annotations

import dataclasses
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oracle import score
from race_scripts import QUARTER_MILE_QUALIFYING, QUARTER_MILE_RACE, entries, field, run
from test_engine_oracle import _engine_board, _session

from timingboard.engine import (
    CarStatus,
    EndSession,
    Event,
    Flag,
    FlagChanged,
    Gap,
    InsertPassing,
    InvalidEvent,
    LogEntry,
    Passing,
    PassingStatus,
    Revert,
    SessionEnded,
    TimingEngine,
)
from timingboard.engine.audit import describe
from timingboard.engine.history import corrected_log_at
from timingboard.engine.long_past import LONG_PAST_MS, settle_record
from timingboard.reports.sheet import SheetOptions, build_sheet
from timingboard.text.board_columns import Column
from timingboard.text.board_text import display_text

CHECKERED_MS = 30_000
HOUR_S = 3600.0


def qualifying() -> list[Event]:
    return [
        *field(["1", "2", "3"]),
        FlagChanged(time_ms=0, flag=Flag.GREEN),
        Passing(time_ms=1000, car="1"),
        Passing(time_ms=2000, car="2"),
        Passing(time_ms=15_000, car="1"),
        Passing(time_ms=17_000, car="2"),
        Passing(time_ms=29_000, car="1"),
        FlagChanged(time_ms=CHECKERED_MS, flag=Flag.CHECKERED),
    ]


def statuses(engine: TimingEngine) -> dict[str, CarStatus]:
    return {s.car: s.status for s in engine.standings()}


def board_status(engine: TimingEngine) -> dict[str, str]:
    return {s.car: display_text(s, Column.STATUS) for s in engine.standings()}


def sheet_status(engine: TimingEngine) -> dict[str, str]:
    sheet = build_sheet(engine)
    rows = [*sheet.section("classification").rows]
    unplaced = {r["car"]: r["status"] for r in sheet.section("not_classified").rows}
    return {**{r["car"]: r["status"] for r in rows}, **unplaced}


def then(engine: TimingEngine, *events: Event) -> TimingEngine:
    engine.apply(entries(list(events), engine.seq + 1))
    return engine


# --- practice and qualifying: a car on its lap at the checkered runs until it takes the flag ----


def test_a_qualifying_car_on_its_lap_at_the_checkered_is_still_running() -> None:
    engine = run(QUARTER_MILE_QUALIFYING, qualifying())
    assert statuses(engine) == {"1": CarStatus.RUNNING, "2": CarStatus.RUNNING, "3": CarStatus.DNS}
    # not "Finished" a lap early: running, the checkered yet to take
    assert board_status(engine) == {"1": "Running", "2": "Running", "3": "DNS"}
    assert sheet_status(engine)["1"] == "running"


@pytest.mark.parametrize(
    ("crossing_ms", "status"),
    [(CHECKERED_MS - 1, CarStatus.RUNNING), (CHECKERED_MS, CarStatus.FINISHED)],
)
def test_a_qualifying_car_takes_the_flag_at_its_first_crossing_from_the_checkered(
    crossing_ms: int, status: CarStatus
) -> None:
    events = [*qualifying()[:-1], Passing(time_ms=crossing_ms, car="2")]
    engine = run(QUARTER_MILE_QUALIFYING, [*events, qualifying()[-1]])
    assert engine.standing("2").status is status


def test_the_lap_run_into_the_flag_counts_and_finishes_the_car() -> None:
    engine = then(run(QUARTER_MILE_QUALIFYING, qualifying()), Passing(time_ms=31_500, car="2"))
    row = engine.standing("2")
    assert row.status is CarStatus.FINISHED and row.best_lap_ms == 14_500
    assert board_status(engine)["2"] == "Finished"
    assert engine.standing("1").status is CarStatus.RUNNING  # still out
    then(engine, Passing(time_ms=43_000, car="1"))
    assert engine.standing("1").status is CarStatus.FINISHED
    assert engine.standing("1").laps == 3  # its lap into the flag; nothing after it counts
    then(engine, Passing(time_ms=57_000, car="1"))
    assert engine.standing("1").laps == 3


def test_the_operators_end_finishes_the_cars_that_never_took_the_flag() -> None:
    engine = run(QUARTER_MILE_QUALIFYING, qualifying())
    then(engine, EndSession(time_ms=40_000, operator="Sam", reason="ended by the operator"))
    assert engine.ended_ms == 40_000
    assert board_status(engine) == {"1": "Finished", "2": "Finished", "3": "DNS"}
    assert sheet_status(engine) == {"1": "finished", "2": "finished", "3": "DNS"}


def test_a_sheet_of_a_session_ended_with_no_checkered_is_final() -> None:
    """No "standings after lap N at …" once it is ended: its results are final, with an end."""
    engine = run(QUARTER_MILE_QUALIFYING, qualifying()[:-1])
    dated = SheetOptions(origin=time.time() - HOUR_S)  # timed an hour ago
    assert build_sheet(engine, dated).status.standing.startswith("at ")
    assert build_sheet(engine, dated).header["end"] == ""
    then(engine, EndSession(time_ms=40_000))
    sheet = build_sheet(engine, dated)
    assert sheet.status.standing == "" and sheet.header["end"] != ""


def test_the_operators_end_undone_and_redone() -> None:
    engine = run(QUARTER_MILE_QUALIFYING, qualifying())
    then(engine, EndSession(time_ms=40_000))
    end_seq = engine.seq
    then(engine, Revert(correction_id=end_seq))
    assert engine.ended_ms is None
    assert board_status(engine) == {"1": "Running", "2": "Running", "3": "DNS"}
    then(engine, Revert(correction_id=engine.seq))  # redo: the undo undone
    assert engine.ended_ms == 40_000
    assert board_status(engine)["2"] == "Finished"


def test_the_operators_end_is_worded_for_the_audit() -> None:
    engine = run(QUARTER_MILE_QUALIFYING, qualifying())
    assert describe(engine, EndSession(time_ms=40_123)) == "End the session at 0:00:40.123"


def test_a_session_is_ended_once() -> None:
    engine = then(run(QUARTER_MILE_QUALIFYING, qualifying()), SessionEnded(time_ms=35_000))
    with pytest.raises(InvalidEvent, match=r"was ended at 0:00:35\.000"):
        engine.validate(EndSession(time_ms=40_000))
    with pytest.raises(InvalidEvent, match="outside the session"):
        run(QUARTER_MILE_QUALIFYING, qualifying()).validate(EndSession(time_ms=-1))


def test_the_timing_systems_end_and_the_operators_the_earlier_counts() -> None:
    engine = then(run(QUARTER_MILE_RACE, qualifying()), EndSession(time_ms=40_000))
    then(engine, SessionEnded(time_ms=45_000))
    assert engine.ended_ms == 40_000
    then(engine, Revert(correction_id=engine.seq - 1))  # the operator's undone: the feed's stands
    assert engine.ended_ms == 45_000


def test_the_operators_end_makes_a_races_laps_final_as_the_timing_systems_does() -> None:
    """Car 2 one lap short at the checkered: +1 lap from the end, as the sheet has it."""
    events = [e for e in qualifying() if not (isinstance(e, Passing) and e.car == "3")]
    race = run(QUARTER_MILE_RACE, events)
    ended = run(QUARTER_MILE_RACE, [*events, SessionEnded(time_ms=40_000)])
    by_hand = run(QUARTER_MILE_RACE, [*events, EndSession(time_ms=40_000)])
    assert race.standing("2").gap == Gap(ms=2000)  # as of its own crossing
    assert by_hand.standing("2").gap == ended.standing("2").gap == Gap(laps=1)
    assert (
        board_status(by_hand) == board_status(ended) == {"1": "Running", "2": "Running", "3": "DNS"}
    )


def test_a_crossing_after_the_operators_end_counts_for_nothing_until_the_end_is_undone() -> None:
    """The walk: End session, then car 2 typed: lap 4 logged 7:35 after the end, car 2 from
    Running P3 to "Finished" P2. The end makes every result final; Ctrl+Z of the end (a
    Revert) counts the crossing again, and its redo takes it out again; on every path the
    board is the one rebuilt from the log."""
    race = [e for e in qualifying() if not (isinstance(e, Passing) and e.car == "3")]
    engine = then(run(QUARTER_MILE_RACE, race), EndSession(time_ms=40_000))
    end_seq = engine.seq
    before = [(s.car, s.laps, s.status) for s in engine.standings()]
    then(engine, Passing(time_ms=45_000, car="2"))
    crossing = engine.seq
    assert [(s.car, s.laps, s.status) for s in engine.standings()] == before
    assert engine.passing_status(crossing) is PassingStatus.AFTER_END
    assert TimingEngine.from_log(QUARTER_MILE_RACE, list(engine.log)).standings() == (
        engine.standings()
    )
    then(engine, Revert(correction_id=end_seq))  # Ctrl+Z: the session goes on
    assert engine.standing("2").laps == 2 and engine.passing_status(crossing) is PassingStatus.LAP
    assert TimingEngine.from_log(QUARTER_MILE_RACE, list(engine.log)).standings() == (
        engine.standings()
    )
    then(engine, Revert(correction_id=engine.seq))  # Ctrl+Shift+Z: ended again
    assert [(s.car, s.laps, s.status) for s in engine.standings()] == before


def test_a_lap_inserted_after_the_end_is_refused_one_before_it_is_a_correction() -> None:
    """A missed lap at or before the end is race control's correction of the race (still
    taken); one after it would count for nothing, so it is refused, saying why."""
    engine = then(run(QUARTER_MILE_RACE, qualifying()), EndSession(time_ms=40_000))
    with pytest.raises(InvalidEvent, match=r"ended at 0:00:40\.000: a lap after its end"):
        engine.validate(InsertPassing(time_ms=40_001, key="2"))
    engine.validate(InsertPassing(time_ms=40_000, key="2"))
    engine.validate(InsertPassing(time_ms=31_000, key="2"))
    then(engine, Revert(correction_id=engine.seq))  # the end undone: nothing is final
    engine.validate(InsertPassing(time_ms=45_000, key="2"))


def test_the_corrected_board_at_a_moment_before_the_operators_end_has_no_end() -> None:
    log = entries([*qualifying(), EndSession(time_ms=40_000)])
    before = TimingEngine.from_log(QUARTER_MILE_QUALIFYING, corrected_log_at(log, 39_999))
    at = TimingEngine.from_log(QUARTER_MILE_QUALIFYING, corrected_log_at(log, 40_000))
    assert before.ended_ms is None and at.ended_ms == 40_000


# --- a record of an earlier day reads as it did ------------------------------------------------


@pytest.mark.parametrize(
    ("idle_s", "record"), [(LONG_PAST_MS / 1000 - 60, False), (LONG_PAST_MS / 1000 + 60, True)]
)
def test_a_finished_qualifying_of_an_earlier_day_with_no_end_reads_as_before(
    idle_s: float, record: bool
) -> None:
    """Logged before an operator could end a session: every car that went out read finished.
    Within the twelve hours it may still be timed (the board closed mid-session): not so."""
    engine = run(QUARTER_MILE_QUALIFYING, qualifying())
    board_status(engine)  # the rows read before: they are read again
    now = CHECKERED_MS / 1000 + idle_s
    assert settle_record(engine, origin_s=0.0, now_s=now) is record
    expected = "Finished" if record else "Running"
    assert board_status(engine) == {"1": expected, "2": expected, "3": "DNS"}
    assert sheet_status(engine)["2"] == ("finished" if record else "running")
    assert settle_record(engine, origin_s=None, now_s=now) is False  # timed now: no record
    assert board_status(engine)["2"] == "Running"


def test_a_record_with_no_checkered_is_not_finished_by_its_age() -> None:
    engine = run(QUARTER_MILE_QUALIFYING, qualifying()[:-1])
    assert settle_record(engine, origin_s=0.0, now_s=3 * 24 * HOUR_S)
    assert board_status(engine) == {"1": "", "2": "", "3": ""}


def test_a_decoders_record_with_no_checkered_is_over_by_its_age() -> None:
    """A P3 decoder gives no checkered (it has no flags): a practice or qualifying it timed,
    of an earlier day, is over without one; a race it timed is not (its green and checkered
    are the operator's)."""
    engine = run(QUARTER_MILE_QUALIFYING, qualifying()[:-1])
    assert settle_record(engine, origin_s=0.0, now_s=3 * 24 * HOUR_S, flagless=True)
    assert engine.over and engine.all_in
    assert board_status(engine) == {"1": "Finished", "2": "Finished", "3": "DNS"}
    assert sheet_status(engine)["2"] == "finished"
    assert not settle_record(engine, origin_s=0.0, now_s=1.0, flagless=True)  # timed today
    assert not engine.over and board_status(engine)["2"] == ""
    race = run(QUARTER_MILE_RACE, qualifying()[:-1])
    before = [(s.car, s.status) for s in race.standings()]
    assert settle_record(race, origin_s=0.0, now_s=3 * 24 * HOUR_S, flagless=True)
    assert not race.over and [(s.car, s.status) for s in race.standings()] == before


def test_a_race_of_an_earlier_day_reads_as_it_always_did() -> None:
    """The record rule is practice's and qualifying's: a race's laps were never final by age."""
    events = [e for e in qualifying() if not (isinstance(e, Passing) and e.car == "3")]
    engine = run(QUARTER_MILE_RACE, events)
    before = [(s.car, s.gap, s.status) for s in engine.standings()]
    assert settle_record(engine, origin_s=0.0, now_s=3 * 24 * HOUR_S)
    assert [(s.car, s.gap, s.status) for s in engine.standings()] == before


# --- a car not started: DNS on the board and the sheet alike, only once the session is over ----


def test_mid_session_a_car_not_started_is_not_dns_on_board_or_sheet() -> None:
    engine = run(QUARTER_MILE_QUALIFYING, qualifying()[:-1])  # no checkered yet
    assert board_status(engine)["3"] == ""
    assert display_text(engine.standing("3"), Column.POSITION) == "3"
    sheet = build_sheet(engine)
    unplaced = sheet.section("not_classified").rows
    assert [(r["car"], r["status"], r["reason"]) for r in unplaced] == [
        ("3", "", "no time set yet")
    ]
    then(engine, qualifying()[-1])  # the checkered: nobody goes out after it
    assert board_status(engine)["3"] == "DNS" and sheet_status(engine)["3"] == "DNS"
    reason = build_sheet(engine).section("not_classified").rows[0]["reason"]
    assert reason == "no time set"


@pytest.mark.parametrize("kind", ["race", "qualifying"])
def test_the_board_and_the_sheet_say_the_same_of_a_car_not_started(kind: str) -> None:
    settings_ = QUARTER_MILE_RACE if kind == "race" else QUARTER_MILE_QUALIFYING
    for cut in range(len(qualifying()) + 1):
        engine = run(settings_, qualifying()[:cut])
        if "3" not in statuses(engine):
            continue
        board = board_status(engine)["3"]
        assert sheet_status(engine)["3"] == ("DNS" if board == "DNS" else "")


# --- the reference scorer ------------------------------------------------------------------------


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32),
    count=st.integers(1, 80),
    late=st.integers(-20_000, 20_000),
    undone=st.booleans(),
    record=st.booleans(),
)
def test_the_operators_end_and_a_record_agree_with_the_oracle(
    seed: int, count: int, late: int, undone: bool, record: bool
) -> None:
    initial, log, engine = _session(seed, count)
    end_ms = max(0, engine.clock_ms + late)
    if engine.ended_ms is not None:  # the timing system ended it: the operator cannot again
        with pytest.raises(InvalidEvent):
            engine.validate(EndSession(time_ms=end_ms))
        return
    added = [LogEntry(engine.seq + 1, EndSession(time_ms=end_ms, operator="Sam"))]
    if undone:
        added.append(LogEntry(engine.seq + 2, Revert(correction_id=engine.seq + 1)))
    engine.apply(added)
    if record:
        settle_record(engine, origin_s=0.0, now_s=engine.clock_ms / 1000 + 2 * LONG_PAST_MS / 1000)
    expected = score(initial, [*log, *added], record=record)
    got = _engine_board(engine)
    assert [_unsped(r) for r in got.rows] == [_unsped(r) for r in expected.rows]
    assert engine.ended_ms == (None if undone else end_ms)
    # the sheet's Not classified says what the board's status says (DNS only once over)
    race = engine.settings.is_race
    unplaced = [
        (s.car, "" if s.status is CarStatus.RUNNING else str(s.status))
        for s in engine.standings()
        if s.status in (CarStatus.DNF, CarStatus.DSQ)
        or not (s.laps > 0 if race else s.best_lap_ms is not None)
    ]
    sheet = build_sheet(engine).section("not_classified").rows
    assert [(r["car"], r["status"]) for r in sheet] == unplaced


def _unsped(row):
    return dataclasses.replace(row, last_speed=None, best_speed=None)
