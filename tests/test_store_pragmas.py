"""Every write the store makes is durable when its commit returns: synchronous=FULL, in WAL.

The SIGKILL test (test_crash_recovery) kills the process, not the machine: the page cache
survives a killed process, so it passes with ``synchronous=OFF`` too. A power cut does not
forgive that, so the pragma itself is read back here, on each connection the store opens, at
the moment it writes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from race_scripts import QUARTER_MILE_RACE, three_car_race

from timingboard.engine import Flag, FlagChanged
from timingboard.store import SessionRecorder
from timingboard.store.replay_source import ReplaySource
from timingboard.store.session_file import SessionFile

FULL = 2  # PRAGMA synchronous: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "COMMIT")


@dataclass(frozen=True)
class Write:
    """A write as a connection made it, with the pragmas it was made under."""

    file: str
    statement: str
    synchronous: int
    journal_mode: str


class Connections:
    """Every connection the store opens while patched in, and each write they make."""

    def __init__(self) -> None:
        self.opened: list[str] = []
        self.writes: list[Write] = []

    def connection_class(self) -> type[sqlite3.Connection]:
        record = self

        class Recording(sqlite3.Connection):
            def __init__(self, database: Any, *args: Any, **kwargs: Any) -> None:
                super().__init__(database, *args, **kwargs)
                self.file = str(database)
                record.opened.append(self.file)

            def _note(self, sql: str) -> None:
                words = sql.split()
                if words and words[0].upper() in WRITES:
                    record.writes.append(
                        Write(
                            self.file,
                            words[0].upper(),
                            super().execute("PRAGMA synchronous").fetchone()[0],
                            super().execute("PRAGMA journal_mode").fetchone()[0],
                        )
                    )

            def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:  # type: ignore[override]
                self._note(sql)
                return super().execute(sql, *args)

            def executemany(self, sql: str, *args: Any) -> sqlite3.Cursor:  # type: ignore[override]
                self._note(sql)
                return super().executemany(sql, *args)

            def backup(self, target: sqlite3.Connection, *args: Any, **kwargs: Any) -> None:
                super().backup(target, *args, **kwargs)
                synchronous = target.execute("PRAGMA synchronous").fetchone()[0]
                mode = target.execute("PRAGMA journal_mode").fetchone()[0]
                copy = str(getattr(target, "file", "?"))
                record.writes.append(Write(copy, "BACKUP", synchronous, mode))

        return Recording


@pytest.fixture
def connections() -> Iterator[Connections]:
    record = Connections()
    real_connect = sqlite3.connect
    factory = record.connection_class()

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        return real_connect(*args, factory=factory, **kwargs)

    with mock.patch.object(sqlite3, "connect", connect):
        yield record


def test_each_write_to_a_session_is_made_under_synchronous_full_in_wal(
    tmp_path: Path, connections: Connections
) -> None:
    path = tmp_path / "race.tbs"
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)  # the connection that creates
    recorder.submit(three_car_race()[:6])
    reader = SessionFile.open(path, read_only=True)  # a reader beside the live writer
    assert len(list(reader.entries())) == 6
    reader.close()
    recorder.close()

    reopened = SessionRecorder.open(path)  # read first, then its own writing connection
    reopened.submit([FlagChanged(time_ms=60000, flag=Flag.YELLOW)])
    reopened.file.append_raw("rmonitor", b'$F,9999,"00:00:00"\r\n')
    reopened.close()

    events = [w for w in connections.writes if "race.tbs" in w.file]
    assert {w.statement for w in events} >= {"INSERT", "COMMIT"}
    assert len(connections.opened) >= 4  # create, check, reader, reopen (read, then write)
    assert [w for w in events if (w.synchronous, w.journal_mode) != (FULL, "wal")] == []


def test_copies_are_written_under_synchronous_full(
    tmp_path: Path, connections: Connections
) -> None:
    path = tmp_path / "race.tbs"
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit(three_car_race())
    recorder.file.save_copy(tmp_path / "copy.tbs")  # File > Save a copy
    recorder.close()
    replay = ReplaySource.open(path)
    replay.branch(tmp_path / "branch.tbs")  # a replay taken on to be corrected
    replay.close()

    copies = [w for w in connections.writes if w.statement == "BACKUP"]
    assert len(copies) == 2
    assert [w.synchronous for w in copies] == [FULL, FULL]
    assert SessionFile.open(tmp_path / "branch.tbs", read_only=True).last_seq == len(
        three_car_race()
    )


def test_readers_open_the_file_read_only(tmp_path: Path, connections: Connections) -> None:
    path = tmp_path / "race.tbs"
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit(three_car_race())
    recorder.close()
    del connections.opened[:], connections.writes[:]
    ReplaySource.open(path).close()
    SessionRecorder.open(path, read_only=True).close()
    assert connections.opened
    assert all("mode=ro" in name for name in connections.opened), connections.opened
    assert not connections.writes
