"""One SQLite file per session: its settings and its append-only event log.

Events are committed before the engine applies them, so whatever a view shows is on disk.
Opening a file that is not a timingboard session, or is damaged, raises
:class:`SessionFileError` and leaves the file untouched.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from timingboard.engine.events import Event, LogEntry
from timingboard.engine.settings import SessionSettings
from timingboard.store.codec import (
    DecodeError,
    decode_event,
    decode_settings,
    encode_event,
    encode_settings,
)

APPLICATION_ID = 0x54424F44  # "TBOD"
FORMAT_VERSION = 1
DECODE_BATCH = 10_000  # records parsed at once when a session is read

RAW_TABLE = (
    "CREATE TABLE IF NOT EXISTS raw_feed (id INTEGER PRIMARY KEY, received_at REAL NOT NULL,"
    " source TEXT NOT NULL, data BLOB NOT NULL)"
)
_SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE events (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL,"
    " payload TEXT NOT NULL, recorded_at REAL NOT NULL)",
    RAW_TABLE,
)


class SessionFileError(Exception):
    """A file that cannot be used as a session; the message says why, for the user."""


class SessionFile:
    """An open session file. Use :meth:`create` or :meth:`open`."""

    def __init__(
        self,
        path: Path,
        connection: sqlite3.Connection,
        settings: SessionSettings,
        origin: float,
    ) -> None:
        self.path = path
        self.settings = settings
        self.origin = origin  # wall-clock time (epoch s) of session time zero
        self._db = connection
        self.read_only = False
        self.last_seq = self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()[0]

    @classmethod
    def create(cls, path: str | Path, settings: SessionSettings) -> SessionFile:
        """A new session file; its session time zero is now."""
        path = Path(path)
        origin = time.time()
        if path.exists():
            raise SessionFileError(f"{path} already exists; choose a new file name")
        try:
            db = sqlite3.connect(path, isolation_level=None)
            _tune(db)
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {FORMAT_VERSION}")
            with _transaction(db):
                for statement in _SCHEMA:
                    db.execute(statement)
                db.execute(
                    "INSERT INTO meta VALUES ('settings', ?)",
                    (json.dumps(encode_settings(settings)),),
                )
                db.execute("INSERT INTO meta VALUES ('origin', ?)", (repr(origin),))
        except sqlite3.Error as exc:
            raise SessionFileError(f"cannot create {path}: {exc}") from None
        return cls(path, db, settings, origin)

    @classmethod
    def open(cls, path: str | Path, read_only: bool = False) -> SessionFile:
        path = Path(path)
        if not path.is_file():
            raise SessionFileError(f"{path} does not exist")
        settings, origin = _check(path)
        mode = "ro" if read_only else "rw"
        try:
            db = sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True)
            db.isolation_level = None
            if not read_only:
                _tune(db)
        except sqlite3.Error as exc:
            raise SessionFileError(f"cannot open {path}: {exc}") from None
        session = cls(path, db, settings, origin)
        session.read_only = read_only
        return session

    def append(self, events: Sequence[Event]) -> list[LogEntry]:
        """Commit events to the log (all or none) and return them with their sequence numbers."""
        if self.read_only:
            raise SessionFileError(f"{self.path} is open for reading only")
        now = time.time()
        entries = [LogEntry(self.last_seq + i + 1, e) for i, e in enumerate(events)]
        rows = []
        for entry in entries:
            kind, payload = encode_event(entry.event)
            rows.append((entry.seq, kind, json.dumps(payload), now))
        try:
            with _transaction(self._db):
                self._db.executemany("INSERT INTO events VALUES (?, ?, ?, ?)", rows)
        except sqlite3.Error as exc:
            raise SessionFileError(f"cannot write to {self.path}: {exc}") from None
        if entries:
            self.last_seq = entries[-1].seq
        return entries

    def append_raw(self, source: str, data: bytes) -> None:
        """Keep bytes exactly as a feed sent them, so nothing received is ever lost."""
        if self.read_only:
            raise SessionFileError(f"{self.path} is open for reading only")
        try:
            with _transaction(self._db):
                self._db.execute(RAW_TABLE)
                self._db.execute(
                    "INSERT INTO raw_feed (received_at, source, data) VALUES (?, ?, ?)",
                    (time.time(), source, data),
                )
        except sqlite3.Error as exc:
            raise SessionFileError(f"cannot write to {self.path}: {exc}") from None

    def set_note(self, key: str, value: str) -> None:
        """Keep a setting of what feeds this session (a decoder's timing lines) with it."""
        if self.read_only:
            raise SessionFileError(f"{self.path} is open for reading only")
        try:
            with _transaction(self._db):
                self._db.execute(
                    "INSERT OR REPLACE INTO meta VALUES (?, ?)", (f"note:{key}", value)
                )
        except sqlite3.Error as exc:
            raise SessionFileError(f"cannot write to {self.path}: {exc}") from None

    def note(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (f"note:{key}",)).fetchone()
        return row[0] if row else None

    def raw_feed(self) -> bytes:
        """Every byte a feed sent into this session, in order."""
        try:
            rows = self._db.execute("SELECT data FROM raw_feed ORDER BY id").fetchall()
        except sqlite3.OperationalError:
            return b""
        return b"".join(row[0] for row in rows)

    def entries(self) -> Iterator[LogEntry]:
        """The whole log in order; a damaged record raises :class:`SessionFileError`."""
        cursor = self._db.execute("SELECT seq, kind, payload FROM events ORDER BY seq")
        while rows := cursor.fetchmany(DECODE_BATCH):
            payloads = _parse_all([row[2] for row in rows])
            for (seq, kind, payload), parsed in zip(rows, payloads, strict=True):
                try:
                    if parsed is None:
                        parsed = json.loads(payload)  # to name what is wrong with it
                    yield LogEntry(seq, decode_event(kind, parsed))
                except (DecodeError, json.JSONDecodeError, TypeError) as exc:
                    raise SessionFileError(
                        f"{self.path}: event #{seq} is damaged ({exc})"
                    ) from None

    def close(self) -> None:
        self._db.close()


def _parse_all(payloads: list[str]) -> list[Any]:
    """The JSON of many records in one parse (far quicker than one each); Nones if any is bad.

    Each record must look like one JSON object and the parse must give one object per record,
    so a damaged record cannot pass as two or run into its neighbour (only two damaged records
    shaped to make up for each other could; a file can hold wrong events more simply than that).
    """
    if all(type(p) is str and p.startswith("{") and p.endswith("}") for p in payloads):
        try:
            parsed = json.loads("[" + ",".join(payloads) + "]")
        except (json.JSONDecodeError, TypeError):
            parsed = None
        if (
            parsed is not None
            and len(parsed) == len(payloads)
            and all(type(value) is dict for value in parsed)
        ):
            return parsed
    return [None] * len(payloads)


def _tune(db: sqlite3.Connection) -> None:
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")


@contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _check(path: Path) -> tuple[SessionSettings, float]:
    """Read-only look at a file: is it a timingboard session we can read?"""
    try:
        with path.open("rb") as handle:
            header = handle.read(16)
    except OSError as exc:
        raise SessionFileError(f"cannot read {path}: {exc.strerror}") from None
    if header != b"SQLite format 3\x00":
        raise SessionFileError(f"{path} is not a timingboard session file")
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            app_id = db.execute("PRAGMA application_id").fetchone()[0]
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if app_id != APPLICATION_ID:
                raise SessionFileError(f"{path} is an SQLite file, not a timingboard session")
            if version > FORMAT_VERSION:
                raise SessionFileError(f"{path} was written by a newer timingboard")
            row = db.execute("SELECT value FROM meta WHERE key = 'settings'").fetchone()
            origin = db.execute("SELECT value FROM meta WHERE key = 'origin'").fetchone()
            db.execute("SELECT seq, kind, payload FROM events LIMIT 1").fetchall()
        finally:
            db.close()
        if row is None:
            raise SessionFileError(f"{path} has no session settings; it is damaged")
        return decode_settings(json.loads(row[0])), float(origin[0]) if origin else 0.0
    except (sqlite3.Error, DecodeError, json.JSONDecodeError, TypeError, ValueError) as exc:
        raise SessionFileError(f"{path} is damaged ({exc})") from None
