"""The end of a session (``SessionEnded``): from it the board reads every car's result as the
results sheet does, also a car that never took the flag; before it (replayed, or a log made
before the end was logged) the board reads as it did.

The race: green at 0; car 1 starts at 1.000 and laps every 10 s, car 2 starts at 1.500 and
laps every 11 s. The checkered falls at car 1's third lap (31.000); car 2's last crossing,
23.500, came when car 1 had two laps: on the board it is 2.500 s behind as of its own crossing
(it may still come round onto car 1's lap), on the sheet a lap down (its laps now).
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import pytest
from conftest import SHARED_FEEDS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oracle import RefRow, score
from race_scripts import QUARTER_MILE_QUALIFYING, QUARTER_MILE_RACE, entries, field, run
from test_engine_oracle import _engine_board, _session

from timingboard.engine import (
    CarStatus,
    Event,
    Flag,
    FlagChanged,
    Gap,
    InvalidEvent,
    LapsReported,
    LogEntry,
    Passing,
    PassingStatus,
    Retire,
    SessionEnded,
    Source,
    TimingEngine,
)
from timingboard.engine.history import corrected_log_at
from timingboard.engine.replay import ReplayTimeline, stamps_of
from timingboard.engine.session_end import over_at, unfinished
from timingboard.reports.sheet import build_sheet
from timingboard.store import SessionRecorder
from timingboard.store.codec import decode_event, encode_event
from timingboard.store.session_file import SessionFile
from timingboard.store.snapshot import engine_for_report
from timingboard.text.board_columns import Column
from timingboard.text.board_text import display_text

RACE = dataclasses.replace(QUARTER_MILE_RACE, race_laps=None)
CAR_2_LAST = 23_500


def race() -> list[Event]:
    return [
        *field(["1", "2"]),
        FlagChanged(time_ms=0, flag=Flag.GREEN),
        Passing(time_ms=1000, car="1"),
        Passing(time_ms=1500, car="2"),
        Passing(time_ms=11_000, car="1"),
        Passing(time_ms=12_500, car="2"),
        Passing(time_ms=21_000, car="1"),
        Passing(time_ms=CAR_2_LAST, car="2"),
        Passing(time_ms=31_000, car="1"),
        FlagChanged(time_ms=31_000, flag=Flag.CHECKERED),
    ]


def row_of(engine: TimingEngine, car: str):
    return next(s for s in engine.standings() if s.car == car)


def sheet_of(engine: TimingEngine) -> list[tuple[str, str, str, str]]:
    rows = build_sheet(engine).sections[0].rows
    return [(r["car"], r["laps"], r["gap"], r["status"]) for r in rows]


def board_of(engine: TimingEngine) -> list[tuple[str, str, str, str]]:
    from timingboard.engine.formatting import format_gap

    return [(s.car, str(s.laps), format_gap(s.gap), str(s.status)) for s in engine.standings()]


# --- the engine: boundary examples --------------------------------------------------------------


def test_before_the_end_the_board_keeps_the_gap_of_the_cars_own_crossing() -> None:
    engine = run(RACE, race())
    assert engine.ended_ms is None
    assert row_of(engine, "2").gap == Gap(ms=CAR_2_LAST - 21_000)
    assert sheet_of(engine)[1] == ("2", "2", "+1 lap", "running")


@pytest.mark.parametrize("end_ms", [31_000, 31_001, 45_000])
def test_from_the_end_the_board_reads_the_sheets_gap(end_ms: int) -> None:
    """At the very moment of the finish, or any time after it."""
    engine = run(RACE, [*race(), SessionEnded(time_ms=end_ms)])
    assert engine.ended_ms == end_ms
    assert row_of(engine, "2").gap == Gap(laps=1)
    assert row_of(engine, "2").interval == Gap(laps=1)
    assert board_of(engine) == [
        ("1", "3", "", "finished"),
        ("2", "2", "+1 lap", "running"),  # never took the flag: running, as the sheet says
    ]
    assert sheet_of(engine) == [
        ("1", "3", "", "finished"),
        ("2", "2", "+1 lap", "running"),
    ]


def test_a_car_on_the_leaders_lap_keeps_its_time_gap_after_the_end() -> None:
    """The end makes laps final, it does not make a car on the leader's lap a lap down."""
    events = [*race()[:-2], Passing(time_ms=31_000, car="1"), Passing(time_ms=33_400, car="2")]
    events += [FlagChanged(time_ms=31_000, flag=Flag.CHECKERED)]
    engine = run(RACE, [*events, SessionEnded(time_ms=40_000)])
    assert row_of(engine, "2").gap == Gap(ms=2400)


def test_a_crossing_after_the_end_counts_for_nothing() -> None:
    """Every result is final from the end (the README's "from then every car reads as on the
    results sheet"): car 2's crossing 2.5 s after it took no flag and made no lap (the walk:
    a number typed after End session made car 2 "Finished" P2 with a lap more)."""
    ended = [*race(), SessionEnded(time_ms=32_000)]
    engine = run(RACE, [*ended, Passing(time_ms=34_500, car="2")])
    row = row_of(engine, "2")
    assert (row.laps, row.gap, row.status) == (2, Gap(laps=1), CarStatus.RUNNING)
    assert engine.passing_status(engine.seq) is PassingStatus.AFTER_END
    assert board_of(engine) == board_of(run(RACE, ended))
    assert sheet_of(engine) == sheet_of(run(RACE, ended))
    assert engine.clock_ms == 34_500  # logged: the passings log still shows it


def test_a_crossing_at_the_very_moment_of_the_end_counts() -> None:
    """The end's own moment is in the session (a feed's end is no earlier than its last
    crossing: ``rmonitor_session._end_time``)."""
    engine = run(RACE, [*race(), SessionEnded(time_ms=34_500), Passing(time_ms=34_500, car="2")])
    row = row_of(engine, "2")
    assert (row.laps, row.status) == (3, CarStatus.FINISHED)
    one_after = run(RACE, [*race(), SessionEnded(time_ms=34_499), Passing(time_ms=34_500, car="2")])
    assert row_of(one_after, "2").laps == 2


@pytest.mark.parametrize("batched", [False, True])
def test_crossings_after_the_end_batch_by_batch_and_from_the_log_read_the_same(
    batched: bool,
) -> None:
    """Logged after the end, or before it with the end logged later (an end at a time before
    crossings already counted, as an operator's End session at a moment just gone), or all in
    one batch: the board is the one rebuilt from the log."""
    late = [Passing(time_ms=34_500, car="2"), Passing(time_ms=41_000, car="1")]
    for events in (
        [*race(), SessionEnded(time_ms=32_000), *late],
        [*race(), *late, SessionEnded(time_ms=32_000)],
    ):
        if batched:
            live = TimingEngine(RACE)
            live.apply(entries(events))
        else:
            live = run(RACE, events)
        rebuilt = TimingEngine.from_log(RACE, entries(events))
        assert live.standings() == rebuilt.standings()
        assert [live.passing_status(seq) for seq in (len(events) - 2, len(events) - 1)] == [
            rebuilt.passing_status(seq) for seq in (len(events) - 2, len(events) - 1)
        ]
        assert board_of(live) == [("1", "3", "", "finished"), ("2", "2", "+1 lap", "running")]


def test_reported_laps_after_the_end_count_for_nothing() -> None:
    """What a timing system counted after the end is no lap either."""
    events = [*race(), SessionEnded(time_ms=32_000), LapsReported(time_ms=34_500, key="2", laps=3)]
    assert row_of(run(RACE, events), "2").laps == 2


def test_an_end_before_any_finish_makes_the_laps_final() -> None:
    """A feed that ends the session without a checkered: the board reads a classification."""
    events = [e for e in race() if not isinstance(e, FlagChanged) or e.flag is Flag.GREEN]
    engine = run(RACE, [*events, SessionEnded(time_ms=32_000)])
    assert engine.finish_ms is None
    assert row_of(engine, "2").gap == Gap(laps=1)
    assert over_at(engine) == 32_000
    assert unfinished(engine) == ""


def test_the_first_end_counts() -> None:
    engine = run(RACE, [*race(), SessionEnded(time_ms=40_000), SessionEnded(time_ms=50_000)])
    assert engine.ended_ms == 40_000


def test_the_session_is_over_at_the_end_though_a_car_never_came_round() -> None:
    engine = run(RACE, race())
    assert over_at(engine) is None  # car 2 may still come round
    engine.apply(entries([SessionEnded(time_ms=40_000)], first_seq=engine.seq + 1))
    assert over_at(engine) == 40_000  # car 2 never came round: the clock stands at the end


def test_a_retired_car_and_the_end_read_the_same() -> None:
    retired = run(RACE, [*race(), Retire(key="2")])
    assert row_of(retired, "2").gap == Gap(laps=1)


def test_the_board_built_batch_by_batch_is_the_one_rebuilt_from_the_log() -> None:
    events = [*race(), SessionEnded(time_ms=40_000)]
    live = run(RACE, events)
    rebuilt = TimingEngine.from_log(RACE, entries(events))
    assert live.standings() == rebuilt.standings()
    assert rebuilt.clone().standings() == live.standings()


def test_an_end_needs_a_time() -> None:
    engine = run(RACE, race())
    with pytest.raises(InvalidEvent):
        engine.validate(SessionEnded(time_ms=-1))


def test_qualifying_reads_as_before_the_end_and_after() -> None:
    """Practice and qualifying gaps are differences of best laps: the end changes none. It
    changes the status: both cars were on a lap at the checkered (running until they take the
    flag); once the session is ended neither comes round again, both finished on their best."""
    events = [
        *field(["1", "2"]),
        FlagChanged(time_ms=0, flag=Flag.GREEN),
        Passing(time_ms=1000, car="1"),
        Passing(time_ms=2000, car="2"),
        Passing(time_ms=15_000, car="1"),
        Passing(time_ms=17_000, car="2"),
        FlagChanged(time_ms=20_000, flag=Flag.CHECKERED),
    ]
    before = run(QUARTER_MILE_QUALIFYING, events)
    after = run(QUARTER_MILE_QUALIFYING, [*events, SessionEnded(time_ms=25_000)])
    running = [(car, laps, gap) for car, laps, gap, _ in board_of(before)]
    assert [(car, laps, gap) for car, laps, gap, _ in board_of(after)] == running
    assert [status for *_, status in board_of(before)] == ["running", "running"]
    assert board_of(after) == sheet_of(after)
    assert [status for *_, status in board_of(after)] == ["finished", "finished"]


# --- replay and the board at a moment -----------------------------------------------------------


def test_replay_before_the_end_shows_the_board_as_it_was() -> None:
    log = entries([*race(), SessionEnded(time_ms=40_000)])
    stamps = stamps_of(log)
    assert stamps[-1] == 40_000  # the end is stamped with its own time
    timeline = ReplayTimeline(RACE, log)
    at_finish = timeline.engine_at(timeline.prefix_at(39_999))
    assert at_finish.ended_ms is None
    assert row_of(at_finish, "2").gap == Gap(ms=2500)
    at_end = timeline.engine_at(timeline.prefix_at(40_000))
    assert row_of(at_end, "2").gap == Gap(laps=1)


def test_the_corrected_board_at_a_moment_before_the_end_has_no_end() -> None:
    log = entries([*race(), SessionEnded(time_ms=40_000)])
    assert not any(isinstance(e.event, SessionEnded) for e in corrected_log_at(log, 39_999))
    assert any(isinstance(e.event, SessionEnded) for e in corrected_log_at(log, 40_000))


# --- the reference scorer: board and sheet agree after the end --------------------------------


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), count=st.integers(1, 80), late=st.integers(0, 20_000))
def test_after_the_end_board_and_sheet_agree_and_the_oracle_with_them(
    seed: int, count: int, late: int
) -> None:
    initial, log, engine = _session(seed, count)
    end = LogEntry(engine.seq + 1, SessionEnded(time_ms=engine.clock_ms + late))
    engine.apply([end])
    log = [*log, end]
    expected = score(initial, log)
    got = _engine_board(engine)
    assert [_unsped(r) for r in got.rows] == [_unsped(r) for r in expected.rows]
    rows = engine.standings()
    if not rows:
        return
    leader = rows[0].key
    for above, row in zip([None, *rows], rows, strict=False):
        # the sheet's gaps are the classification's: after the end, the board's are the same
        assert row.gap == engine.gap(row.key, leader, classification=True)
        if above is not None:
            assert row.interval == engine.gap(row.key, above.key, classification=True)


def _unsped(row: RefRow) -> RefRow:
    """Speeds are floats (compared with approx by test_engine_oracle); the end changes none."""
    return dataclasses.replace(row, last_speed=None, best_speed=None)


# --- the file: the new kind stored, old files as before -----------------------------------------


def test_the_end_is_stored_and_read_back() -> None:
    event = SessionEnded(time_ms=347_000, source=Source.FEED)
    kind, payload = encode_event(event)
    assert kind == "SessionEnded"
    assert decode_event(kind, dict(payload)) == event
    manual = SessionEnded(time_ms=5, source=Source.MANUAL)
    assert decode_event(*encode_event(manual)) == manual


def _saved(path, events: list[Event]):
    recorder = SessionRecorder.create(path, RACE)
    recorder.submit(events)
    recorder.close()
    file = SessionFile.open(path, read_only=True)
    try:
        return engine_for_report(file)
    finally:
        file.close()


def test_a_file_without_an_end_reads_exactly_as_before(tmp_path) -> None:
    """A file written before the end was logged (no such record): as the same log in memory,
    car 2 on the board 2.5 s behind as of its own crossing; with the end, a lap down."""
    old = _saved(tmp_path / "old.tbs", race())
    assert old.ended_ms is None
    assert old.standings() == run(RACE, race()).standings()
    assert row_of(old, "2").gap == Gap(ms=2500)
    ended = _saved(tmp_path / "ended.tbs", [*race(), SessionEnded(time_ms=40_000)])
    assert ended.ended_ms == 40_000
    assert board_of(ended) == sheet_of(ended)


# --- the commands: import a capture, then results ---------------------------------------------

ORBITS = SHARED_FEEDS / "orbits_mock_session_brandshatch.txt"


def _command(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "timingboard", *args], capture_output=True, text=True, timeout=120
    )


@pytest.mark.skipif(not ORBITS.exists(), reason="../shared/feeds is not here")
def test_import_then_results_the_board_reads_the_sheet_for_cars_that_never_took_the_flag(
    tmp_path,
) -> None:
    """``timingboard import`` of the Orbits capture (its ``$B`` run 95 logged as the end), then
    ``timingboard results``: cars 6 and 2 never took the flag; the sheet says a lap down and
    running, and so does the board of the same file (it read "+30.426" and "+32.522" before
    the end was logged)."""
    path = tmp_path / "bh.tbs"
    imported = _command("import", str(ORBITS), "-o", str(path))
    assert imported.returncode == 0, imported.stderr
    results = _command("results", str(path), "--format", "json")
    assert results.returncode == 0, results.stderr
    sheet = {
        r["car"]: (r["laps"], r["gap"], r["interval"], r["status"])
        for r in json.loads(results.stdout)["results"]
    }
    file = SessionFile.open(path, read_only=True)
    try:
        engine = engine_for_report(file)
    finally:
        file.close()
    board = {
        s.car: (
            display_text(s, Column.LAPS),
            display_text(s, Column.GAP),
            display_text(s, Column.INTERVAL),
            str(s.status),
        )
        for s in engine.standings()
    }
    assert sheet["6"] == board["6"] == ("7", "+1 lap", "+1 lap", "running")
    assert sheet["2"] == board["2"] == ("7", "+1 lap", "+2.096", "running")
    assert board == sheet  # every car


@pytest.mark.skipif(not ORBITS.exists(), reason="../shared/feeds is not here")
def test_the_capture_saved_without_its_end_reads_as_files_made_before_it_was_logged(
    tmp_path,
) -> None:
    """The Brands Hatch capture's log less its end, as a file imported before the end was
    logged holds it: cars 6 and 2 read their gaps as of their own last crossing, as before."""
    from timingboard.store.replay_source import ReplaySource

    timeline = ReplaySource.open(ORBITS).timeline
    events = [e.event for e in timeline.log]
    assert sum(isinstance(e, SessionEnded) for e in events) == 1
    old = [e for e in events if not isinstance(e, SessionEnded)]
    recorder = SessionRecorder.create(tmp_path / "old.tbs", timeline.settings)
    recorder.submit(old)
    recorder.close()
    file = SessionFile.open(tmp_path / "old.tbs", read_only=True)
    try:
        engine = engine_for_report(file)
    finally:
        file.close()
    gaps = {s.car: display_text(s, Column.GAP) for s in engine.standings()}
    assert (gaps["6"], gaps["2"]) == ("+30.426", "+32.522")
    assert engine.standings() == TimingEngine.from_log(timeline.settings, entries(old)).standings()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    flags=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=60_000),
            st.sampled_from([Flag.GREEN, Flag.YELLOW, Flag.CHECKERED, Flag.RED]),
        ),
        max_size=6,
    ),
    distance=st.sampled_from([None, 2, 4]),
)
def test_a_standing_checkered_is_the_finish_unfinished_needs_no_test_of_its_own(
    flags: list[tuple[int, Flag]], distance: int | None
) -> None:
    """``unfinished`` tested the standing checkereds after ``engine.over``: any standing
    checkered is the finish (``engine.checkered``), so ``over`` already said it; "" exactly
    when the session is over, by a checkered, by the distance or neither."""
    from timingboard.engine.checkered import standing_checkereds

    settings_ = dataclasses.replace(QUARTER_MILE_RACE, race_laps=distance)
    events: list[Event] = [*field(["1", "2"])]
    events += [FlagChanged(time_ms=t, flag=f) for t, f in sorted(flags, key=lambda f: f[0])]
    events += [Passing(time_ms=1000 + 10_000 * lap, car="1") for lap in range(6)]
    events.sort(key=lambda e: getattr(e, "time_ms", -1))
    engine = run(settings_, events)
    if standing_checkereds(engine.flags):
        assert engine.over
    assert (unfinished(engine) == "") == engine.over
