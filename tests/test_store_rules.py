"""Store rules stated without Qt: names never overwrite, readers leave nothing, words for users."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from race_scripts import QUARTER_MILE_RACE, three_car_race

from timingboard.store import SessionRecorder
from timingboard.store.entry_list import EntryListError, parse_csv, plural
from timingboard.store.names import free_path
from timingboard.store.session_file import SessionFile, SessionFileError
from timingboard.store.session_lock import describe_holder


def test_a_taken_name_gets_the_next_free_number(tmp_path: Path) -> None:
    path = tmp_path / "heat.tbs"
    assert free_path(path) == path
    path.touch()
    assert free_path(path) == tmp_path / "heat-2.tbs"
    (tmp_path / "heat-2.tbs").touch()
    assert free_path(path) == tmp_path / "heat-3.tbs"


def test_counts_read_in_the_singular_only_for_one() -> None:
    assert plural(1, "car") == "1 car"
    assert plural(2, "car") == "2 cars"
    assert plural(0, "entry", "entries") == "0 entries"


def test_who_holds_a_session_is_said_in_full_or_as_far_as_known() -> None:
    holder = {"host": "desk-2", "pid": 4242, "user": "ann", "since": "2026-12-01 20:05"}
    assert describe_holder(holder) == (
        "open in timingboard on desk-2 (pid 4242) by ann since 2026-12-01 20:05"
    )
    assert describe_holder({}) == (
        "open in timingboard on another computer (pid ?) since an unknown time"
    )


def saved(tmp_path: Path) -> Path:
    path = tmp_path / "race.tbs"
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit(three_car_race())
    recorder.close()
    return path


def side_files(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name != path.name)


def test_a_reader_of_a_file_an_older_version_left_in_wal_leaves_nothing_beside_it(
    tmp_path: Path,
) -> None:
    path = saved(tmp_path)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = WAL")  # as an older version closed it
    db.close()
    assert side_files(path) == []
    reader = SessionFile.open(path, read_only=True)
    assert len(list(reader.entries())) == len(three_car_race())
    reader.close()
    assert side_files(path) == []


def test_feed_bytes_are_refused_by_a_file_open_for_reading(tmp_path: Path) -> None:
    reader = SessionFile.open(saved(tmp_path), read_only=True)
    with pytest.raises(SessionFileError, match="is open for reading only"):
        reader.append_raw("rmonitor", b"$F\r\n")
    reader.close()


def test_an_entry_list_with_no_number_column_names_the_headers_it_has() -> None:
    with pytest.raises(EntryListError) as refused:
        parse_csv(b"Driver,Team,\nJustin Haley,Kaulig\n")
    assert str(refused.value) == (
        "no car number column (headers: Driver, Team); name one Number, Car, No or #"
    )


def test_a_session_file_without_its_settings_is_called_damaged(tmp_path: Path) -> None:
    path = saved(tmp_path)
    db = sqlite3.connect(path)
    db.execute("DELETE FROM meta WHERE key = 'settings'")
    db.commit()
    db.close()
    with pytest.raises(SessionFileError) as refused:
        SessionFile.open(path, read_only=True)
    assert str(refused.value) == f"{path} has no session settings; it is damaged"
