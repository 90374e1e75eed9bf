"""The store's rules at their boundaries, each named after what it guards (no Qt).

Written for the survivors of the store's mutation sample (`scripts/mutation --sample 150
store`, seed 18; docs/mutation.md lists each with its test).
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import stat
from collections import Counter
from pathlib import Path

import pytest
from race_scripts import QUARTER_MILE_RACE, field

from timingboard.engine import CompetitorSet, Passing, TimingEngine
from timingboard.engine.events import LogEntry
from timingboard.feeds.p3_parser import encode_record, passing
from timingboard.store import SessionFile, SessionRecorder, recorder, snapshot
from timingboard.store.codec import decode_settings, encode_settings
from timingboard.store.entry_list import (
    Column,
    CsvImport,
    RowProblem,
    changes,
    entry_from,
    write_csv,
)
from timingboard.store.errors import SessionFileError
from timingboard.store.event_folder import Status, being_read
from timingboard.store.p3_import import P3ImportReport, is_p3_capture, read_capture
from timingboard.store.progression import parse_rule, plan_next, write_next
from timingboard.store.replay_source import ReplaySource
from timingboard.store.session_lock import lock_path

# --- entry lists ------------------------------------------------------------------------------


def test_an_entry_from_a_csv_row_with_only_a_number_has_empty_texts() -> None:
    entry = entry_from({Column.NUMBER: "7"})
    assert (entry.driver, entry.team, entry.make, entry.car_class) == ("", "", "", "")
    assert entry.grid is None and entry.transponders == ()
    assert entry.first_name_only is False


def test_a_first_name_typed_alone_is_kept_as_a_first_name() -> None:
    assert entry_from({Column.NUMBER: "7", Column.FIRST: "Ty"}).first_name_only is True
    full = {Column.NUMBER: "7", Column.FIRST: "Ty", Column.LAST: "Gibbs"}
    assert entry_from(full).first_name_only is False
    assert entry_from({Column.NUMBER: "7", Column.DRIVER: "Ty"}).first_name_only is False


def test_a_csv_updates_only_the_fields_it_has_columns_for() -> None:
    old = CompetitorSet(key="7", car="7", driver="Ty Gibbs", team="Old Team", make="Toyota")
    incoming = CompetitorSet(key="7", car="7", driver="", team="New Team", make="")
    (changed,) = changes({"7": old}, [incoming], [Column.NUMBER, Column.TEAM, Column.IGNORE])
    assert (changed.driver, changed.team, changed.make) == ("Ty Gibbs", "New Team", "Toyota")
    assert changes({"7": old}, [old], [Column.NUMBER, Column.TEAM]) == []


def test_entries_are_written_as_csv_with_unix_line_ends() -> None:
    out = io.StringIO()
    write_csv([CompetitorSet(key="7", car="7", driver="Ty Gibbs")], out)
    assert "\r" not in out.getvalue()
    assert out.getvalue().count("\n") == 2 and out.getvalue().endswith("\n")


def test_an_import_summary_says_one_entry_and_no_more_for_few_bad_rows() -> None:
    problem = RowProblem(3, "", "empty number")
    one = CsvImport([CompetitorSet(key="7", car="7")], [problem], {}, [], [])
    assert one.summary() == "1 entry, 1 bad row (line 3: empty number)"
    assert CsvImport([], [], {}, [], []).summary() == "0 entries"


# --- settings, snapshots, recorders -----------------------------------------------------------


def test_settings_written_before_stages_read_with_no_stages() -> None:
    payload = encode_settings(QUARTER_MILE_RACE)
    del payload["stage_laps"]
    assert decode_settings(payload).stage_laps == ()
    assert decode_settings(encode_settings(QUARTER_MILE_RACE)) == QUARTER_MILE_RACE


def _session(path: Path, passings: int) -> None:
    made = SessionRecorder.create(path, QUARTER_MILE_RACE)
    made.submit([*field(["31"]), *(Passing(time_ms=9000 * i, key="31") for i in range(passings))])
    made.close()


def test_no_snapshot_is_wanted_of_an_empty_board_a_partial_log_or_a_read_only_file(
    tmp_path: Path,
) -> None:
    path = tmp_path / "s.tbs"
    _session(path, 2)
    file = SessionFile.open(path)
    try:
        log = list(file.intact_entries())
        assert not snapshot.wanted(file, TimingEngine(file.settings))  # no event
        assert not snapshot.wanted(file, TimingEngine.from_log(file.settings, log[:-1]))
        assert snapshot.wanted(file, TimingEngine.from_log(file.settings, log)) == (
            file.snapshot_key() != (snapshot.ENGINE_VERSION, file.last_seq)
        )
    finally:
        file.close()
    read = SessionFile.open(path, read_only=True)
    try:
        engine = TimingEngine.from_log(read.settings, list(read.intact_entries()))
        assert not snapshot.wanted(read, engine)
    finally:
        read.close()


def test_a_session_opened_without_asking_is_checked_whole_at_opening(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recorder, "CHECK_LATER_FROM", 3)
    path = tmp_path / "s.tbs"
    _session(path, 4)
    opened = SessionRecorder.open(path)
    try:
        assert not opened.checking
    finally:
        opened.close()


# --- imports ----------------------------------------------------------------------------------


def test_an_import_report_names_each_reason_skipped_apart() -> None:
    report = P3ImportReport(Path("a.bin"), 5, 3, 2, 1, Counter({"bad crc": 2, "not hex": 1}))
    assert report.lines()[1] == "skipped 3 part(s): 2 x bad crc, 1 x not hex"


def test_a_capture_is_known_by_its_first_64_bytes_by_the_import_as_by_the_file_check(
    tmp_path: Path,
) -> None:
    wire = encode_record(passing(1, 101, 1_551_542_808_933_000))
    known, late = tmp_path / "known.bin", tmp_path / "late.bin"
    known.write_bytes(b" " * 63 + wire)
    late.write_bytes(b" " * 64 + wire)
    assert is_p3_capture(known) and not is_p3_capture(late)
    assert read_capture(known)[0] == b" " * 63 + wire
    with pytest.raises(SessionFileError, match="is not a P3 capture"):
        read_capture(late)


# --- files and locks --------------------------------------------------------------------------


def test_a_session_in_a_folder_marked_read_only_opens_read_only_saying_so(tmp_path: Path) -> None:
    folder = tmp_path / "event"
    folder.mkdir()
    path = folder / "s.tbs"
    _session(path, 1)
    folder.chmod(0o555)
    try:
        file = SessionFile.open(path)
        try:
            assert file.read_only and file.read_only_reason == "its folder is read-only"
        finally:
            file.close()
    finally:
        folder.chmod(0o755)


def test_a_session_held_by_another_opener_opens_read_only_naming_its_holder(
    tmp_path: Path,
) -> None:
    path = tmp_path / "s.tbs"
    _session(path, 1)
    first = SessionFile.open(path)
    try:
        assert not first.read_only
        second = SessionFile.open(path)
        try:
            assert second.read_only and second.read_only_reason
            assert str(os.getpid()) in second.read_only_reason
        finally:
            second.close()
    finally:
        first.close()


def test_a_lock_file_is_readable_by_all_and_writable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "s.tbs"
    made = SessionRecorder.create(path, QUARTER_MILE_RACE)
    try:
        mode = stat.S_IMODE(lock_path(path.resolve()).stat().st_mode)
        assert mode & 0o133 == 0 and mode & 0o600 == 0o600
    finally:
        made.close()


def test_a_replayed_stream_names_the_capture_it_reads_and_no_session_file(tmp_path: Path) -> None:
    stream = tmp_path / "heat.rm"
    stream.write_bytes(b'$B,7,"Heat 1"\n$J,"31","00:00:00.000","00:00:05.000"\n')
    replay = ReplaySource.from_capture(stream)
    assert replay.path is None and replay.read_from == stream


def test_a_session_still_being_read_is_listed_by_name_with_what_it_was_made_from() -> None:
    row = being_read(Path("heat 2.tbs"), ("heat 1.tbs",), "top 10 reversed")
    assert (row.name, row.status, row.started, row.laps, row.winner) == (
        "heat 2",
        Status.READING,
        "",
        None,
        "",
    )
    assert (row.made_from, row.rule, row.problem) == (("heat 1.tbs",), "top 10 reversed", "")


def _first_format(path: Path) -> None:
    """A session as format 1 wrote it: no chain column, no seal."""
    _session(path, 2)
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE old AS SELECT seq, kind, payload, recorded_at FROM events;"
        "DROP TABLE events; CREATE TABLE events (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL,"
        " payload TEXT NOT NULL, recorded_at REAL NOT NULL);"
        "INSERT INTO events SELECT * FROM old; DROP TABLE old;"
        "DELETE FROM meta WHERE key = 'seal'; PRAGMA user_version = 1;"
    )
    db.close()


def test_a_first_format_session_is_read_and_written_unchained(tmp_path: Path) -> None:
    path = tmp_path / "old.tbs"
    _first_format(path)
    file = SessionFile.open(path)
    try:
        assert not file.chained
        assert [e.seq for e in file.intact_entries()] == [1, 2, 3] and file.damage is None
        (added,) = file.append([Passing(time_ms=30_000, key="31")])
        assert added.seq == 4
    finally:
        file.close()
    again = SessionFile.open(path, read_only=True)
    try:
        log = list(again.intact_entries())
        assert again.damage is None and log[-1] == added
    finally:
        again.close()
    db = sqlite3.connect(path)
    (recorded_at,) = db.execute("SELECT recorded_at FROM events WHERE seq = 4").fetchone()
    db.close()
    assert isinstance(recorded_at, float) and recorded_at > 1e9


def test_a_written_session_closes_while_another_connection_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "s.tbs"
    made = SessionFile.create(path, QUARTER_MILE_RACE)
    made.append([Passing(time_ms=1_000, key="31")])
    reader = sqlite3.connect(path)
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM events").fetchone()
    try:
        made.close()  # its checkpoint and journal switch fail quietly: nothing is lost
    finally:
        reader.close()
    reopened = SessionFile.open(path, read_only=True)
    try:
        assert [e.seq for e in reopened.intact_entries()] == [1]
    finally:
        reopened.close()


# --- the next session of an event -------------------------------------------------------------


def _finished(cars: list[str]) -> TimingEngine:
    events = [*field(cars), *(Passing(time_ms=1000 * i, key=c) for i, c in enumerate(cars))]
    log = [LogEntry(seq, event) for seq, event in enumerate(events, start=1)]
    return TimingEngine.from_log(QUARTER_MILE_RACE, log)


def test_heats_split_across_two_are_numbered_and_one_session_keeps_its_name() -> None:
    heats = plan_next([_finished(["1", "2", "3", "4"])], parse_rule("split:2"), "Heat")
    assert [settings.name for settings, _ in heats] == ["Heat 1", "Heat 2"]
    (feature,) = plan_next([_finished(["1", "2"])], parse_rule("straight"), "Feature")
    assert feature[0].name == "Feature"


def test_the_event_record_is_written_indented_one_session_a_line_block(tmp_path: Path) -> None:
    source = tmp_path / "heat.tbs"
    _session(source, 1)
    opened = SessionRecorder.open(source, read_only=True)
    try:
        (made,) = write_next([(source, opened.engine)], parse_rule("straight"), "Feature", tmp_path)
    finally:
        opened.close()
    text = (tmp_path / "event.json").read_text()
    assert text == json.dumps(json.loads(text), indent=2) + "\n"
    assert json.loads(text)["sessions"] == [
        {"file": made.name, "made_from": ["heat.tbs"], "rule": "straight-up"}
    ]
