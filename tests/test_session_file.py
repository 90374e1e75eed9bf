"""The session file: applied means on disk, reopening rebuilds the board, bad files refused."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from race_scripts import (
    QUARTER_MILE_QUALIFYING,
    QUARTER_MILE_RACE,
    clash_qualifying,
    three_car_race,
)

from timingboard.engine import DeletePassing, InvalidEvent, Passing, Revert
from timingboard.store import SessionFile, SessionFileError, SessionRecorder


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_reopening_rebuilds_the_board_exactly(tmp_path: Path) -> None:
    path = tmp_path / "race.tbs"
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    for event in three_car_race():
        recorder.submit([event])
    shown = recorder.engine.standings()
    recorder.close()
    reopened = SessionRecorder.open(path)
    assert reopened.engine.standings() == shown
    assert reopened.settings == QUARTER_MILE_RACE
    reopened.close()


def test_submitted_events_are_on_disk_before_the_board_changes(tmp_path: Path) -> None:
    path = tmp_path / "q.tbs"
    recorder = SessionRecorder.create(path, QUARTER_MILE_QUALIFYING)
    recorder.submit(clash_qualifying())
    other = SessionFile.open(path, read_only=True)  # a second reader sees it all already
    assert len(list(other.entries())) == len(clash_qualifying())
    other.close()
    recorder.close()


def test_invalid_correction_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    recorder = SessionRecorder.create(tmp_path / "r.tbs", QUARTER_MILE_RACE)
    recorder.submit(three_car_race())
    before = recorder.file.last_seq
    with pytest.raises(InvalidEvent, match="no passing #999"):
        recorder.submit([Passing(time_ms=70000, car="1"), DeletePassing(passing_id=999)])
    with pytest.raises(InvalidEvent, match="no correction"):
        recorder.submit([Revert(correction_id=5)])
    assert recorder.file.last_seq == before
    recorder.close()


def test_creating_over_an_existing_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.tbs"
    path.write_text("keep me")
    with pytest.raises(SessionFileError, match="already exists"):
        SessionFile.create(path, QUARTER_MILE_RACE)
    assert path.read_text() == "keep me"


@pytest.mark.parametrize(
    "content",
    [b"", b"not a session at all\n", b"SQLite format 3\x00" + b"\x00" * 200, bytes(range(256))],
)
def test_foreign_files_give_a_clear_error_and_are_not_modified(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "foreign.tbs"
    path.write_bytes(content)
    with pytest.raises(SessionFileError):
        SessionRecorder.open(path)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["foreign.tbs"]


def test_another_sqlite_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()
    digest = _digest(path)
    with pytest.raises(SessionFileError, match="not a timingboard session"):
        SessionRecorder.open(path)
    assert _digest(path) == digest


@pytest.mark.parametrize(
    "payload",
    [
        '{"time_ms": "soon"}',
        '{"time_ms": 1, "car": "1"},{"time_ms": 2, "car": "2"}',  # two records in one
        '{"time_ms": 1, "car": "1"',  # cut short
        "[1, 2]",
        "5",
        "not json at all",
        '{"time_ms": 1, "car": "1", "source": "satellite"}',
        '{"time_ms": 1.5, "car": "1"}',
        '{"time_ms": 1, "car": 7}',
        '{"time_ms": 1, "driver": "no such field"}',
    ],
)
def test_any_damage_in_a_record_read_in_bulk_is_named(tmp_path: Path, payload: str) -> None:
    path = tmp_path / "d.tbs"
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit(three_car_race())
    recorder.close()
    db = sqlite3.connect(path)
    db.execute("UPDATE events SET payload = ? WHERE seq = 6", (payload,))
    db.commit()
    db.close()
    digest = _digest(path)
    file = SessionFile.open(path, read_only=True)
    with pytest.raises(SessionFileError, match="event #6 is damaged"):
        list(file.entries())
    file.close()
    recorder = SessionRecorder.open(path)  # what comes before the damage opens, read-only
    assert recorder.engine.seq == 5
    assert "event #6 is damaged" in (recorder.read_only_reason or "")
    with pytest.raises(SessionFileError, match="reading only"):
        recorder.submit([Passing(time_ms=90000, car="1")])
    recorder.close()
    assert _digest(path) == digest


def test_every_kind_of_event_round_trips_through_the_file(tmp_path: Path) -> None:
    import dataclasses

    from timingboard.engine import (
        CompetitorSet,
        Disqualify,
        Flag,
        FlagChanged,
        InsertPassing,
        SessionKind,
        SettingsChanged,
        Source,
    )

    events = [
        CompetitorSet(key="31", car="31", driver="Justin Haley", transponders=("1031",), grid=1),
        SettingsChanged(
            settings=dataclasses.replace(QUARTER_MILE_RACE, kind=SessionKind.QUALIFYING)
        ),
        FlagChanged(time_ms=0, flag=Flag.GREEN),
        Passing(time_ms=1000, transponder="1031", source=Source.DECODER),
        InsertPassing(time_ms=15000, key="31", operator="Pat", reason="missed", at="t"),
        Disqualify(key="31", operator="Pat", reason="x", at="t"),
    ]
    recorder = SessionRecorder.create(tmp_path / "all.tbs", QUARTER_MILE_RACE)
    recorder.submit(events[:4])
    recorder.submit(events[4:])  # corrections are checked against the session as it stands
    recorder.close()
    file = SessionFile.open(tmp_path / "all.tbs", read_only=True)
    assert [entry.event for entry in file.entries()] == events
    file.close()


def test_a_growing_session_is_moved_out_of_the_collectors_way_as_it_grows() -> None:
    import gc

    from timingboard.store.bulk import CollectorPacer

    pacer = CollectorPacer(every=3)
    frozen = gc.get_freeze_count()
    kept = [[i] for i in range(100)]  # lists: objects the collector tracks
    pacer.note(2)
    assert gc.get_freeze_count() == frozen
    pacer.note(1)
    try:
        assert gc.get_freeze_count() >= frozen + len(kept)
    finally:
        gc.unfreeze()


def test_a_session_written_while_the_collector_is_paused_is_frozen_once_at_the_end() -> None:
    """An import pauses the collector: the pacer's passes would walk its young objects for
    nothing (the pause freezes them when it ends)."""
    import gc

    from timingboard.store.bulk import CollectorPacer, collection_paused

    pacer = CollectorPacer(every=3)
    kept = [[i] for i in range(100)]  # lists: objects the collector tracks
    try:
        with collection_paused():
            frozen = gc.get_freeze_count()
            pacer.note(5)
            assert gc.get_freeze_count() == frozen
        assert gc.get_freeze_count() >= frozen + len(kept)
    finally:
        gc.unfreeze()
