"""The Qt-free rules of what the board says and how it reads what is typed (timingboard.text).

Pure: no Qt in the process (``pytest -m pure``); the item models and widgets only show these.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from race_scripts import QUARTER_MILE_RACE, entries, field, laps_at, run

from timingboard.engine import (
    CompetitorSet,
    DeletePassing,
    Flag,
    FlagChanged,
    Passing,
    ReassignPassing,
)
from timingboard.engine.car import PassingStatus
from timingboard.engine.formatting import (
    FLAG_NAMES,
    format_distance_left,
    format_lap_penalty,
    format_laps_to_go,
    format_session_time,
    penalty_parts,
)
from timingboard.engine.missed_passing import lap_time_reference
from timingboard.engine.settings import SessionKind
from timingboard.feeds.live_json import remaining_text as live_remaining_text
from timingboard.feeds.rmonitor_writer import NO_LAPS_TO_GO, heartbeat
from timingboard.store.event_folder import SessionSummary, Status
from timingboard.text.board_columns import Column
from timingboard.text.board_text import (
    CLASS_BEST_MARK,
    display_text,
    distinct_forms,
    fitting_form,
    name_forms,
    shared_forms,
    short_class_cell,
    tooltip_text,
    wall_class_cell,
    wall_status,
)
from timingboard.text.entry_text import EntryColumn, edited, what_changed
from timingboard.text.entry_text import cell_text as entry_cell
from timingboard.text.event_text import EventColumn
from timingboard.text.event_text import cell as event_cell
from timingboard.text.feed_status import STALE_AFTER_MS, banner_text
from timingboard.text.passing_text import (
    PassingColumn,
    PassingRow,
    cell_text,
    passing_row,
    status_shown,
    status_tip,
)
from timingboard.text.session_text import FLAG_TEXT, clock_text, moment_text, remaining_text
from timingboard.text.typed import (
    DEFAULT_RMONITOR_PORT,
    car_choice_text,
    insert_help,
    insert_time,
    parse_address,
    signed_ms,
    stage_laps,
    whole_laps,
)
from timingboard.text.typed_passing import (
    EntryOutcome,
    check_car_number,
    held_parts,
    judge_typed,
    recent_line,
)

GREEN = FlagChanged(time_ms=0, flag=Flag.GREEN)
STAGED = dataclasses.replace(QUARTER_MILE_RACE, stage_laps=(3, 6))
TIMED = dataclasses.replace(QUARTER_MILE_RACE, race_laps=None, race_duration_ms=600_000)


def test_a_session_moment_reads_to_the_thousandth_with_hours() -> None:
    assert format_session_time(0) == "0:00:00.000"
    assert format_session_time(312_345) == "0:05:12.345"
    assert format_session_time(3_723_004) == "1:02:03.004"


# --- what remains -----------------------------------------------------------------------------


def test_the_laps_to_go_are_the_distance_less_the_leaders_laps() -> None:
    engine = run(STAGED, [*field(["31", "8"]), GREEN, *laps_at("31", 0, 10_000, 4)])
    assert engine.leader_laps() == 4
    assert engine.laps_to_go() == 6
    assert engine.time_to_go_ms(40_000) is None
    assert remaining_text(engine, 40_000) == "6 laps to go · stage 2 ends in 2"
    assert live_remaining_text(engine, 40_000) == ("6 laps to go", 6)
    assert heartbeat(engine, 40_000, "12:00:00").startswith("$F,6,")


def test_one_lap_to_go_reads_in_the_singular_everywhere() -> None:
    assert [format_laps_to_go(n) for n in (2, 1, 0)] == [
        "2 laps to go",
        "1 lap to go",
        "0 laps to go",
    ]
    engine = run(QUARTER_MILE_RACE, [*field(["31"]), GREEN, *laps_at("31", 0, 10_000, 9)])
    assert remaining_text(engine, 90_000) == "1 lap to go"
    assert live_remaining_text(engine, 90_000) == ("1 lap to go", 1)


def test_a_session_not_run_to_laps_has_no_laps_to_go() -> None:
    qualifying = dataclasses.replace(QUARTER_MILE_RACE, race_laps=None)
    engine = run(qualifying, [*field(["31"]), GREEN, *laps_at("31", 0, 10_000, 2)])
    assert engine.laps_to_go() is None
    assert remaining_text(engine, 20_000) == ""
    assert remaining_text(engine, 20_000, told=4) == "4 laps to go (timing system)"
    assert heartbeat(engine, 20_000, "12:00:00").startswith(f"$F,{NO_LAPS_TO_GO},")


def test_the_time_to_go_counts_from_the_start_and_stops_at_zero() -> None:
    before = run(TIMED, field(["31"]))
    assert before.time_to_go_ms(5000) is None
    engine = run(TIMED, [*field(["31"]), FlagChanged(time_ms=2000, flag=Flag.GREEN)])
    assert engine.time_to_go_ms(20_000) == 582_000
    assert remaining_text(engine, 20_000) == "0:09:42 to go"
    assert engine.time_to_go_ms(700_000) == 0
    assert live_remaining_text(engine, 700_000) == ("0:00:00 to go", None)


def test_a_finished_race_says_so_and_its_clock_stands_at_the_finish() -> None:
    engine = run(QUARTER_MILE_RACE, [*field(["31"]), GREEN, *laps_at("31", 0, 10_000, 10)])
    assert engine.finish_ms == 100_000
    assert remaining_text(engine, 120_000) == "Finished"
    assert live_remaining_text(engine, 120_000) == ("Finished", 0)
    assert clock_text(engine, 120_000) == "0:01:40"


# --- the leaderboard's cells --------------------------------------------------------------------


def test_a_car_not_in_the_entry_list_is_said_so_in_its_cell_and_tooltip() -> None:
    engine = run(QUARTER_MILE_RACE, [*field(["31"]), GREEN, Passing(time_ms=10_000, car="99")])
    row = next(engine.standing(k) for k in engine.board_order if not engine.standing(k).known)
    assert display_text(row, Column.DRIVER) == "unknown car"
    assert tooltip_text(row, Column.CAR) == "Passing for a car that is not registered"


def test_the_best_lap_tooltip_names_its_lap_and_speed() -> None:
    engine = run(QUARTER_MILE_RACE, [*field(["31"]), GREEN, *laps_at("31", 0, 10_000, 2)])
    row = engine.standing("31")
    assert display_text(row, Column.BEST_LAP) == "10.000"
    assert display_text(row, Column.LAPS) == "2"
    assert tooltip_text(row, Column.BEST_LAP) == "Lap 1, 90.000 (session best)"


# --- the passings log -----------------------------------------------------------------------------


def test_a_passing_row_says_its_lap_and_what_corrections_did() -> None:
    events = [*field(["31", "8"]), GREEN, *laps_at("31", 0, 10_000, 2)]
    engine = run(QUARTER_MILE_RACE, [*events, Passing(time_ms=20_500, car="31")])
    double = max(engine.passings)
    row = passing_row(engine, double)
    assert (row.lap, row.status) == (None, PassingStatus.DOUBLE_READ)
    assert status_shown(row) == "double read"
    lap_two = next(p for p, r in engine.passings.items() if r.time_ms == 20_000)
    row = passing_row(engine, lap_two)
    assert [cell_text(row, c) for c in PassingColumn] == [
        "0:00:20.000", "31", "Driver 31", "2", "10.000", str(row.source), "accepted", "",
    ]  # fmt: skip


def test_a_corrected_passing_shows_its_first_correction_and_the_count_of_the_rest() -> None:
    row = PassingRow(1, 0, "31", "31", "D", 2, 10_000, "manual", PassingStatus.LAP, "")
    assert status_shown(row) == "accepted" and status_tip(row) == "accepted"
    row = dataclasses.replace(row, note="inserted, reassigned")
    assert status_shown(row) == "inserted +1"
    assert status_tip(row) == "accepted — inserted, reassigned"
    deleted = dataclasses.replace(row, status=PassingStatus.DELETED, note="deleted")
    assert status_shown(deleted) == "deleted"
    late = dataclasses.replace(row, lap=None, status=PassingStatus.AFTER_FINISH, note="inserted")
    assert status_shown(late) == "after finish (ins.)"  # not counted: why first, then what
    twice = dataclasses.replace(late, note="inserted, reassigned")
    assert status_shown(twice) == "after finish (ins. +1)"
    assert status_tip(late) == "after finish — inserted"


def test_a_reassigned_or_deleted_passing_is_noted_in_its_row() -> None:
    events = [*field(["31", "8"]), GREEN, *laps_at("31", 0, 10_000, 2)]
    engine = run(QUARTER_MILE_RACE, events)
    first = next(p for p, r in engine.passings.items() if r.time_ms == 10_000)
    second = next(p for p, r in engine.passings.items() if r.time_ms == 20_000)
    seq = max(engine.passings) + 1
    corrections = [ReassignPassing(passing_id=first, key="8"), DeletePassing(passing_id=second)]
    engine.apply(entries(corrections, first_seq=seq))
    assert passing_row(engine, first).note == "reassigned"
    assert passing_row(engine, first).car == "8"
    deleted = passing_row(engine, second)
    assert (deleted.note, deleted.car, deleted.status) == ("deleted", "31", PassingStatus.DELETED)


# --- what an operator types -------------------------------------------------------------------


def test_an_address_is_host_and_port_on_the_usual_port_when_none_is_given() -> None:
    assert parse_address(" timing.local:50001 ") == ("timing.local", 50001)
    assert parse_address("192.168.1.20") == ("192.168.1.20", DEFAULT_RMONITOR_PORT)
    assert parse_address("[::1]:5") == ("::1", 5)
    for typed in ("", "host:", "host:0", "host:65536", "a..b:1", "two words:1", "h:x"):
        with pytest.raises(ValueError, match="is not host:port"):
            parse_address(typed)


def test_stage_laps_keep_the_positive_whole_numbers_in_order_once_each() -> None:
    assert stage_laps("140, 60; 60, ") == (60, 140)
    assert stage_laps("") == ()


@pytest.mark.parametrize("typed", ["foo, 3", "140, 60; x", "-3", "0", "2.5", "٣"])
def test_stage_laps_refuse_what_is_not_a_lap_number(typed: str) -> None:
    """``foo, 3`` gave a stage at 3 and not a word of foo."""
    with pytest.raises(ValueError, match=r"Stages end at laps: .* is not a lap number"):
        stage_laps(typed)


def test_a_missed_passing_is_at_the_session_time_given_or_a_lap_after_the_reference() -> None:
    assert insert_time("@0:05:12.345", None) == 312_345
    assert insert_time(" 13.612 ", 40_000) == 53_612
    with pytest.raises(ValueError, match="no earlier passing"):
        insert_time("13.612", None)
    with pytest.raises(ValueError, match="give the lap time"):
        insert_time("  ", 40_000)
    assert "counted from the passing at 0:00:40.000" in insert_help(40_000)
    assert insert_help(None).startswith("Give @ and the session time")


def test_a_time_penalty_is_signed_seconds_and_a_lap_penalty_whole_laps() -> None:
    assert [signed_ms(t) for t in ("5", "+5", "-2.5", " 1:00 ")] == [5000, 5000, -2500, 60_000]
    assert [whole_laps(t) for t in ("1", " -2 ")] == [1, -2]
    with pytest.raises(ValueError, match="not a whole number of laps"):
        whole_laps("1.5")


def test_a_car_to_choose_reads_with_its_driver_or_its_number_alone() -> None:
    assert car_choice_text("3", CompetitorSet(key="3", car="3")) == "3"
    assert car_choice_text("31", CompetitorSet(key="31", car="31", driver="J H")) == "31 — J H"
    assert car_choice_text("77", None) == "77 (not registered)"


def test_every_flag_has_one_name_the_header_says_in_capitals() -> None:
    assert set(FLAG_NAMES) == set(Flag)
    assert FLAG_TEXT[None] == "NO FLAG"
    assert FLAG_TEXT[Flag.FULL_COURSE_YELLOW] == "FULL-COURSE YELLOW"
    assert all(FLAG_TEXT[flag] == name.upper() for flag, name in FLAG_NAMES.items())


# --- the entry list, the event, the feed ---------------------------------------------------


def test_an_entry_cell_typed_anew_changes_that_field_only_or_says_why_not() -> None:
    entry = CompetitorSet(key="31", car="31", driver="Justin Haley", grid=3)
    assert [entry_cell(entry, c) for c in (EntryColumn.FIRST, EntryColumn.LAST)] == [
        "Justin",
        "Haley",
    ]
    renamed = edited(entry, EntryColumn.LAST, " Allgaier ")
    assert isinstance(renamed, CompetitorSet) and renamed.driver == "Justin Allgaier"
    assert edited(entry, EntryColumn.GRID, "") == dataclasses.replace(entry, grid=None)
    assert edited(entry, EntryColumn.GRID, "first") == "'first' is not a grid slot (1 to 999)."
    moved = dataclasses.replace(entry, car="3", driver="J. Haley")
    assert what_changed(entry, moved) == "number 31 → 3, driver"
    assert what_changed(entry, entry) == "nothing"


def test_an_event_session_says_what_it_was_made_from_and_by_which_rule(tmp_path: Path) -> None:
    for name in ("heat-1.tbs", "heat-2.tbs"):
        (tmp_path / name).write_bytes(b"")
    summary = SessionSummary(
        tmp_path / "feature.tbs", "Feature", SessionKind.RACE, Status.OFFICIAL, "20:05", 75,
        "31 Justin Haley", ("heat-1.tbs", "heat-2.tbs"), "transfer",
    )  # fmt: skip
    assert [event_cell(summary, c) for c in EventColumn] == [
        "Feature", "Race", "results official", "20:05", "75", "31 Justin Haley",
        "heat-1, heat-2 (transfer)",
    ]  # fmt: skip
    entries_of = dataclasses.replace(summary, made_from=(), rule="entries")
    assert event_cell(entries_of, EventColumn.MADE_FROM) == "entries of it"
    (tmp_path / "heat-2.tbs").unlink()  # a source no longer there is said to be gone
    gone = dataclasses.replace(
        summary, made_from=("heat-1.tbs", "heat-2.tbs", "/tmp/nowhere/q.tbs")
    )
    assert event_cell(gone, EventColumn.MADE_FROM) == (
        "heat-1, heat-2 (file gone), q (file gone) (transfer)"
    )
    unreadable = dataclasses.replace(summary, problem="not a session file")
    assert event_cell(unreadable, EventColumn.STATUS) == "unreadable: not a session file"


def test_a_feed_is_lost_after_five_silent_seconds_or_at_once_with_a_reason() -> None:
    assert banner_text(STALE_AFTER_MS, ever_heard=True) == ""
    assert banner_text(STALE_AFTER_MS + 1, ever_heard=True) == "FEED LOST — last data 0:05 ago"
    assert banner_text(3_723_000, ever_heard=False) == (
        "FEED SILENT — connected 1:02:03 ago, no data yet"
    )
    assert banner_text(12_000, ever_heard=False, lost="DECODER LOST", up=False) == (
        "DECODER NOT REACHED — still connecting after 0:12"
    )
    assert banner_text(0, True, problem="connection refused") == "FEED LOST — connection refused"
    assert banner_text(None, True, problem="connection refused") == ""


def test_the_timing_systems_order_is_compared_only_over_cars_it_timed() -> None:
    from timingboard.text.feed_status import order_text

    assert order_text(0, 0, []) == ""  # it sent no order
    assert order_text(15, 0, []) == "Timing system order: no car to compare yet"  # HPDE
    assert order_text(15, 1, []) == "Timing system order: agrees"
    differs = [("7", 1, 2), ("8", 2, 1), ("9", 4, 3), ("10", 3, 4)]
    assert order_text(15, 4, differs) == (
        "Timing system order differs: #7 ours P1 / TS P2, #8 ours P2 / TS P1, "
        "#9 ours P4 / TS P3 (+1 more)"
    )
    assert order_text(15, 4, differs, fresh=False) == "Timing system order: not known (feed lost)"


def test_lines_skipped_are_short_in_the_bar_and_each_accounted_for_in_the_tooltip() -> None:
    from collections import Counter

    from timingboard.feeds.rmonitor_records import Skipped
    from timingboard.feeds.rmonitor_session import reason_counts
    from timingboard.text.feed_status import skip_details, skipped_note

    assert skipped_note(0) == "" and skipped_note(3505) == "3505 line(s) skipped"
    many = Counter({f"reason {i}": 10 - i for i in range(8)})
    assert (
        reason_counts(many, most=3)
        == "10 x reason 0, 9 x reason 1, 8 x reason 2, 25 x 5 other reason(s)"
    )
    assert skip_details(0, None, Counter(), 0, Counter()) == []
    assert skip_details(
        2,
        Skipped("garbage line", "not a record"),
        Counter({"not a record": 2}),
        3505,
        Counter({"the same crossing sent again": 3505}),
    ) == [
        "2 line(s) skipped (not taken)",
        "last: not a record — garbage line",
        "by reason: 2 x not a record",
        "3505 record(s) the timing system sent again, each kept once (nothing lost): "
        "3505 x the same crossing sent again",
    ]


def test_both_feeds_read_an_address_by_one_rule_each_on_its_own_port() -> None:
    from timingboard.feeds.p3_session import DEFAULT_PORT, parse_p3_address

    assert parse_p3_address("p3://[::1]:5/") == parse_address("[::1]:5") == ("::1", 5)
    assert parse_p3_address("decoder.local") == ("decoder.local", DEFAULT_PORT)
    for typed in ("a..b:1", "h:70000", "h:0", "under_score:1"):
        with pytest.raises(ValueError, match="is not host:port"):
            parse_address(typed)
        with pytest.raises(ValueError, match="is not p3://HOST:PORT"):
            parse_p3_address(typed)


def test_a_name_shortens_to_the_longest_form_that_fits_and_a_class_keeps_its_best_mark() -> None:
    forms = name_forms("Justin Haley")
    assert forms == ["Justin Haley", "J. Haley", "HALEY", "HAL"]
    assert fitting_form(forms, 8, len) == "J. Haley"
    assert fitting_form(forms, 2, len) == "HAL"  # nothing fits: the shortest
    assert short_class_cell("GT3 Pro-Am" + CLASS_BEST_MARK) == "GT3PA ◆"
    assert short_class_cell("Touring") == "Tour"


# --- a passing typed by hand ------------------------------------------------------------------


def test_a_typed_number_is_letters_and_digits_up_to_eight() -> None:
    assert check_car_number("31X") is None
    for typed, said in (
        ("", "Type a car number"),
        ("3 1", "is not a car number"),
        ("9" * 9, "at most 8 digits"),
    ):
        result = check_car_number(typed)
        assert result is not None and result.outcome is EntryOutcome.INVALID
        assert said in result.message


def test_a_typed_passing_says_what_it_counted_as() -> None:
    engine = run(QUARTER_MILE_RACE, [*field(["31"]), GREEN, Passing(time_ms=0, car="31")])
    start = engine.seq  # judged as it is typed: the lap it starts
    assert judge_typed(engine, start, "31", 0, "31").message == "Car 31: start of lap 1"
    more = [Passing(time_ms=10_000, car="31"), Passing(time_ms=10_356, car="31")]
    engine.apply(entries(more, first_seq=engine.seq + 1))
    lap, double = engine.seq - 1, engine.seq
    counted = judge_typed(engine, lap, "31", 10_000, "31")
    assert (counted.outcome, counted.message) == (EntryOutcome.RECORDED, "Car 31: lap 1")
    ignored = judge_typed(engine, double, "31", 10_356, "31")
    assert ignored.outcome is EntryOutcome.IGNORED
    assert ignored.message == (
        "Car 31: double read — not counted (0.356 s after its last crossing)"
    )
    # on the header's clock, said so: since the green (at 0 here), session time before it
    assert recent_line(counted, engine.start_ms) == "0:00:10.000 since green  Car 31"
    assert recent_line(ignored, 4_000) == "0:00:06.356 since green  Car 31  (not counted)"
    assert recent_line(counted, None) == "0:00:10.000 session time  Car 31"


def test_a_missed_lap_time_counts_from_the_passing_clicked_or_the_last_that_counted() -> None:
    times = (0, 10_000, 10_300, 20_000)  # the third a double read
    engine = run(
        QUARTER_MILE_RACE, [*field(["31"]), GREEN, *(Passing(time_ms=t, car="31") for t in times)]
    )
    by_time = {engine.passings[pid].time_ms: pid for pid in engine.passings}
    assert lap_time_reference(engine, "31", by_time[10_000], before=False) == 10_000
    assert lap_time_reference(engine, "31", by_time[20_000], before=True) == 10_000
    assert lap_time_reference(engine, "31", by_time[0], before=True) is None
    other = run(QUARTER_MILE_RACE, [*field(["31", "8"]), GREEN, Passing(time_ms=0, car="8")])
    not_31s = next(iter(other.passings))  # a passing of car 8: no lap of 31 counts from it
    assert lap_time_reference(other, "31", not_31s, before=False) is None
    assert lap_time_reference(other, "31", not_31s, before=True) is None


def test_a_moment_reads_on_the_headers_clock_and_says_which() -> None:
    """The entry panel said a held crossing was at 0:00:28.043 (session time) while the header
    read "since green 0:00:23": the moment is on the header's clock, and names it."""
    assert moment_text(None, 28_043) == "0:00:28.043 session time"  # no green yet
    assert moment_text(5_000, 28_043) == "0:00:23.043 since green"
    assert moment_text(5_000, 5_000) == "0:00:00.000 since green"  # the green itself
    assert moment_text(5_000, 4_999) == "0:00:04.999 session time"  # before it: not negative
    assert moment_text(300_000, 458_674) == "0:02:38.674 since green"


def test_two_different_names_keep_no_cut_they_share() -> None:
    names = ["FPRS Motorsports", "FPRS Racing", "Stoic Racing"]
    shared = shared_forms([*names, "FPRS Motorsports"])  # the same name twice is one name
    assert shared == {"FPRS…"}
    assert distinct_forms("FPRS Motorsports", shared) == ["FPRS Motorsports"]
    assert distinct_forms("Stoic Racing", shared) == ["Stoic Racing", "Stoic…"]
    assert shared_forms(["FPRS Motorsports", "FPRS Motorsports"]) == set()


def test_the_walls_short_class_and_status() -> None:
    assert wall_status("Finished", short=True) == "Fin"
    assert wall_status("Finished +5.000 s", short=True) == "Fin +5.000 s"
    assert wall_status("Finished", short=False) == "Finished"
    assert wall_status("PIT", short=True) == "PIT"
    assert wall_class_cell("GTU" + CLASS_BEST_MARK, short=True) == "GTU◆"
    assert wall_class_cell("GTU" + CLASS_BEST_MARK, short=False) == "GTU ◆"
    assert wall_class_cell("Touring", short=True) == "Tour"


def test_held_crossings_name_their_clock_once_for_those_on_it() -> None:
    """Four held crossings each followed by "since green" took more lines than the panel has."""
    pieces, _ = held_parts([("55", 2_000), ("56", 7_000), ("57", 9_500)], None, 5_000)
    assert pieces == [
        "Held: 55 at 0:00:02.000 session time,",  # before the green: its own clock, named
        "56 at 0:00:02.000 since green,",
        "57 at 0:00:04.500",  # on the clock named before it
    ]


def test_penalties_read_in_one_set_of_words_on_the_desk_and_the_sheet() -> None:
    """The board's Status read "-1L" where the sheet read "-1 lap": one home now."""
    assert format_lap_penalty(1) == "-1 lap"
    assert format_lap_penalty(2) == "-2 laps"
    assert format_lap_penalty(-1) == "+1 lap"  # a lap given back (it read "--1L")
    assert penalty_parts(5000, 1) == ["+5.000 s", "-1 lap"]
    assert penalty_parts(0, 0) == []


def test_a_race_gone_on_past_its_distance_reads_so_not_0_laps_to_go() -> None:
    """A finish taken back by a green (F5) after the distance: the header, the live page and
    the reason it is not finished read "0 laps to go", as if a lap were still due."""
    from timingboard.engine.session_end import unfinished

    assert format_distance_left(10, 7) == "3 laps to go"
    assert format_distance_left(10, 9) == "1 lap to go"
    assert format_distance_left(10, 10) == "Distance run (10 laps)"
    assert format_distance_left(10, 11) == "1 lap past distance (10 laps)"
    assert format_distance_left(1, 3) == "2 laps past distance (1 lap)"
    race = dataclasses.replace(QUARTER_MILE_RACE, race_laps=2)
    laps = laps_at("31", 0, 10_000, 3)  # the distance at 20 s, the green again at 25 s
    reopened = [*laps[:3], FlagChanged(time_ms=25_000, flag=Flag.GREEN), laps[3]]
    engine = run(race, [*field(["31"]), GREEN, *reopened[:3]])
    assert engine.over and remaining_text(engine, 21_000) == "Finished"
    engine = run(race, [*field(["31"]), GREEN, *reopened[:4]])
    assert not engine.over
    assert remaining_text(engine, 26_000) == "Distance run (2 laps)"
    assert live_remaining_text(engine, 26_000) == ("Distance run (2 laps)", 0)
    assert unfinished(engine, 26_000).endswith("the flag is GREEN, distance run (2 laps)")
    engine = run(race, [*field(["31"]), GREEN, *reopened])
    assert remaining_text(engine, 31_000) == "1 lap past distance (2 laps)"
    assert heartbeat(engine, 31_000, "12:00:00").startswith("$F,0,")  # RMonitor's count: 0
