"""A file built in one transaction (an import's temporary file) holds what batch-by-batch
commits would have written, row for row, and nothing at all when the build fails."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from timingboard.engine import CompetitorSet, Passing, SessionSettings, Source
from timingboard.store import SessionFile, SessionFileError, SessionRecorder, session_file

SETTINGS = SessionSettings(name="built")


def _events(count: int) -> list[object]:
    events: list[object] = [CompetitorSet(key="7", car="7"), CompetitorSet(key="9", car="9")]
    for lap in range(1, count + 1):
        for key in ("7", "9"):
            events.append(Passing(time_ms=lap * 60_000 + int(key), key=key, source=Source.FEED))
    return events


def _rows(path: Path) -> list[tuple[object, ...]]:
    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT seq, kind, payload FROM events ORDER BY seq").fetchall()
    finally:
        db.close()


def test_built_in_one_transaction_reads_back_as_committed_batch_by_batch(tmp_path: Path) -> None:
    events = _events(30)
    boards = []
    for name, built in (("batches.tbs", False), ("built.tbs", True)):
        recorder = SessionRecorder.create(tmp_path / name, SETTINGS)
        if built:
            with recorder.file.built():
                for at in range(0, len(events), 7):
                    recorder.submit(events[at : at + 7])  # type: ignore[arg-type]
                recorder.keep_snapshot()
        else:
            for at in range(0, len(events), 7):
                recorder.submit(events[at : at + 7])  # type: ignore[arg-type]
        recorder.close()
        reopened = SessionRecorder.open(tmp_path / name, read_only=True)
        boards.append(reopened.engine.standings())
        assert [entry.event for entry in reopened.file.entries()] == events
        assert reopened.file.snapshot_key() is not None  # kept within the one commit
        reopened.close()
    assert boards[0] == boards[1]
    assert _rows(tmp_path / "batches.tbs") == _rows(tmp_path / "built.tbs")


def test_a_failed_build_leaves_no_event(tmp_path: Path) -> None:
    path = tmp_path / "failed.tbs"
    file = SessionFile.create(path, SETTINGS)
    with pytest.raises(RuntimeError, match="halfway"), file.built():
        file.append(_events(3))  # type: ignore[arg-type]
        raise RuntimeError("halfway")
    file.close()
    assert _rows(path) == []


def test_rows_written_behind_that_fail_fail_the_build_every_time_and_leave_no_event(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build's rows are written in a worker thread behind the caller: a write that fails
    there is raised at the next use of the file, and again at each one (a snapshot keeper
    that swallows it does not let the build commit without them), and the build ends with
    it, nothing committed."""
    path = tmp_path / "behind.tbs"
    file = SessionFile.create(path, SETTINGS)
    monkeypatch.setattr(session_file, "_BULK_INSERT", "INSERT INTO nowhere SELECT 1")
    with pytest.raises(SessionFileError, match="no such table: nowhere"), file.built():
        file.append(_events(3))  # type: ignore[arg-type]
        for _ in range(2):
            with pytest.raises(SessionFileError, match="no such table: nowhere"):
                file.note("anything")
    monkeypatch.undo()
    assert file.note("anything") is None  # the build over, the file reads as ever
    file.close()
    assert _rows(path) == []


def test_a_build_is_not_begun_twice_nor_on_a_read_only_file(tmp_path: Path) -> None:
    path = tmp_path / "twice.tbs"
    file = SessionFile.create(path, SETTINGS)
    with file.built(), pytest.raises(RuntimeError), file.built():
        pass
    file.close()
    reader = SessionFile.open(path, read_only=True)
    with pytest.raises(SessionFileError, match="reading only"), reader.built():
        pass
    reader.close()


AWKWARD = ('"quoted"', "back\\slash", "\\u00e9 as typed", "Zoë Ñuñez", "🏁 ✓", "tab\tnew\nline", "")


def _columns(path: Path) -> list[tuple[object, ...]]:
    db = sqlite3.connect(path)
    try:
        return db.execute(
            "SELECT seq, kind, payload, typeof(payload), typeof(recorded_at), chain, "
            "typeof(chain) FROM events ORDER BY seq"
        ).fetchall()
    finally:
        db.close()


@pytest.mark.parametrize("bulk", [True, False], ids=["json_each", "an SQLite without JSON"])
def test_a_built_file_holds_every_byte_batches_would_have_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bulk: bool
) -> None:
    # runs of one kind written at once: any text a name may hold, kinds mixed within a batch
    monkeypatch.setattr(session_file, "_BULK_WORKS", [bulk])
    events: list[object] = []
    for number, name in enumerate(AWKWARD, start=1):
        events.append(CompetitorSet(key=str(number), car=name or "0", driver=name, team=name))
        events.append(Passing(time_ms=number * 1000, key=str(number), car=name, source=Source.FEED))
        events.append(Passing(time_ms=number * 1000 + 1, key=str(number), source=Source.FEED))
    paths = []
    for name, built in (("batches.tbs", False), ("built.tbs", True)):
        path = tmp_path / name
        file = SessionFile.create(path, SETTINGS, origin=1_700_000_000.0)
        if built:
            with file.built():
                for at in range(0, len(events), 4):
                    file.append(events[at : at + 4])  # type: ignore[arg-type]
        else:
            for at in range(0, len(events), 4):
                file.append(events[at : at + 4])  # type: ignore[arg-type]
        file.close()
        paths.append(path)
        reader = SessionFile.open(path, read_only=True)  # the chain checked as it is read
        assert [entry.event for entry in reader.entries()] == events
        reader.close()
    assert _columns(paths[0]) == _columns(paths[1])
