"""One SQLite file per session: its settings and its append-only event log.

Events are committed before the engine applies them, so whatever a view shows is on disk.
Opening a file that is not a timingboard session, or is damaged, raises
:class:`SessionFileError` and leaves the file untouched.

The log is tamper-evident: each event row carries ``chain`` = sha256(previous chain, kind,
payload), the first one chained to the session's settings, and the sequence numbers run 1, 2, …
without a gap, so a flipped byte that SQLite itself cannot see is named as the first damaged
event when the log is read (:class:`DamagedLog`); what comes before it can still be opened,
read-only. Files written before the chain (format 1) are read as they are, unchained.

One process writes a session (:mod:`timingboard.store.session_lock`); another opener, a file or a
folder that cannot be written, or a damaged log, opens it read-only with the reason in
:attr:`SessionFile.read_only_reason`. While open for writing the file is in WAL mode; it is
checkpointed when quiet (:meth:`SessionFile.checkpoint`) and on close, when it goes back to a
single self-contained file, so a copy of the ``.tbs`` alone holds every event.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from itertools import groupby, repeat
from pathlib import Path
from typing import Any, cast

from timingboard.engine.events import Event, LogEntry
from timingboard.engine.settings import SessionSettings
from timingboard.store import closing
from timingboard.store.codec import (
    DecodeError,
    decode_event,
    decode_settings,
    encode_settings,
)
from timingboard.store.errors import SessionFileError, missing, refuse_dangling
from timingboard.store.event_json import EVENT_ENCODERS, event_json
from timingboard.store.file_kind import APPLICATION_ID
from timingboard.store.pacing import current, pause_point
from timingboard.store.positional import passing_at
from timingboard.store.session_lock import LockHeld, SessionLock

__all__ = ["DamagedLog", "SessionFile", "SessionFileError"]

FORMAT_VERSION = 2  # 2: events carry a hash chain
CHAINED_VERSION = 2
BUSY_TIMEOUT_MS = 5000
DECODE_BATCH = 10_000  # records parsed at once when a session is read
PACED_BATCH = 1_000  # ... by paced work (timingboard.store.pacing): ~3 ms, one slice

RAW_TABLE = (
    "CREATE TABLE IF NOT EXISTS raw_feed (id INTEGER PRIMARY KEY, received_at REAL NOT NULL,"
    " source TEXT NOT NULL, data BLOB NOT NULL)"
)
# The raw bytes' source of a P3 decoder (its live follow and its capture's import): a timing
# system with no flags, so no checkered (engine.long_past.settle_record)
DECODER_RAW = "p3"
SNAPSHOT_TABLE = (
    "CREATE TABLE IF NOT EXISTS snapshot (id INTEGER PRIMARY KEY CHECK (id = 1),"
    " engine TEXT NOT NULL, seq INTEGER NOT NULL, digest BLOB NOT NULL, data BLOB NOT NULL)"
)
_SNAPSHOT_TYPES = [str, int, bytes, bytes]
_SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE events (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL,"
    " payload TEXT NOT NULL, recorded_at REAL NOT NULL, chain BLOB NOT NULL)",
    RAW_TABLE,
)


class DamagedLog(SessionFileError):
    """The log is damaged from event ``seq`` on (None: where is unknown); ``intact`` events
    before it are as they were written."""

    def __init__(self, message: str, seq: int | None, intact: int) -> None:
        super().__init__(message)
        self.seq = seq
        self.intact = intact


def one_line(exc: BaseException) -> str:
    """What SQLite says is wrong, on one line: a damaged row's text may hold any byte, line
    ends too, and quoting it whole made the one-line message many (scripts/redteam_store.py)."""
    return " ".join(str(exc).split())


def genesis(settings_json: str, origin_text: str) -> bytes:
    """What the first event is chained to: the session's settings and time zero."""
    return hashlib.sha256(
        b"timingboard session\x1f" + settings_json.encode() + b"\x1f" + origin_text.encode()
    ).digest()


SEPARATOR = b"\x1f"


def snapshot_digest(chain: bytes, data: bytes) -> bytes:
    """What a snapshot of the log up to the event with link ``chain`` is checked by."""
    digest = hashlib.sha256(b"timingboard snapshot\x1f" + chain + SEPARATOR)
    digest.update(data)  # megabytes: hashed where they are, not copied after the rest first
    return digest.digest()


def link(previous: bytes, kind: bytes, payload: bytes) -> bytes:
    """The chain of an event: its kind and payload, chained over the one before."""
    return hashlib.sha256(previous + kind + SEPARATOR + payload).digest()


_KIND_LINKS: dict[str, bytes] = {}  # kind -> kind + SEPARATOR, as link() puts them
# a run of rows of one kind in one statement (a file being built: SessionFile._append_runs):
# (its first seq, the kind, recorded at, the links end to end, the payloads as a JSON array;
# each payload is ASCII, as event_json writes it, and json_each gives back its very text)
_BULK_INSERT = (
    "INSERT INTO events (seq, kind, payload, recorded_at, chain)"
    " SELECT ?1 + key, ?2, value, ?3, substr(?4, key * 32 + 1, 32) FROM json_each(?5)"
)


BRANCHED_NOTE = "branched_from"  # a copy made to correct a replayed session: its original


def mark_branched(copy: sqlite3.Connection, original: Path) -> None:
    """Say in a copy just made (``copy``, a connection to it) that it was branched from
    ``original`` to correct it: opened, it is a record of that session, never timed on
    (:attr:`SessionFile.branched_from`). Its last passing's source (a decoder's, the demo's)
    says nothing of that: the copy's title read "STOPPED (recorded from a decoder)" and its
    clock ran on from the original's time zero."""
    copy.execute(
        "INSERT OR REPLACE INTO meta VALUES (?, ?)", (f"note:{BRANCHED_NOTE}", str(original))
    )


TIMED_BY_NOTE = "timed_by"  # who timed a session when its passings' source does not say
DEMO_TIMED = "demo"  # the demo's scripted passings: stamped a decoder's, no decoder behind them


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
        self._connection: sqlite3.Connection | None = connection
        self._closed = False
        self.read_only = False
        self.read_only_reason: str | None = None  # why a file opened for writing is read-only
        self.damage: str | None = None  # set by intact_entries() when the log is damaged
        self.chained = True
        self._lock: SessionLock | None = None
        self._genesis = b""
        self._unsaved = False  # events since the last checkpoint
        self._connected_for_writing = True
        self._building = False  # inside built(): one transaction, committed at its end
        # inside built(): the statement of the last rows appended, run in a worker thread
        # while the caller goes on (SQLite lets go of the GIL), and what failed in one
        self._behind: threading.Thread | None = None
        self._behind_failed: BaseException | None = None
        self.before_writing: Callable[[], object] | None = None  # waited for by every write
        try:
            row = self._db.execute(
                "SELECT seq, chain FROM events ORDER BY seq DESC LIMIT 1"
            ).fetchone()
        except sqlite3.OperationalError:  # format 1: no chain column
            self.chained = False
            row = self._db.execute("SELECT MAX(seq), NULL FROM events").fetchone()
        except sqlite3.Error as exc:
            raise SessionFileError(f"{path} is damaged ({exc})") from None
        self.last_seq = (row[0] or 0) if row else 0
        self._last_chain: bytes = row[1] if row and isinstance(row[1], bytes) else b""
        # notes read once (asked at every clock tick): the file this one is a copy of, made to
        # correct it (File ▸ Branch a copy…), and who timed it (DEMO_TIMED); or None
        self.branched_from = self._read_note(BRANCHED_NOTE)
        self.timed_by = self._read_note(TIMED_BY_NOTE)

    def _read_note(self, key: str) -> str | None:
        try:
            return self.note(key)
        except sqlite3.Error:
            return None

    def mark_timed_by(self, who: str) -> None:
        """Say in the file who times it (:data:`DEMO_TIMED`), where its passings' source says
        otherwise: the demo's are stamped a decoder's (as a simulated decoder's), and its heat
        opened later read "STOPPED (recorded from a decoder)" though none was connected."""
        if self.timed_by != who:
            self.set_note(TIMED_BY_NOTE, who)
            self.timed_by = who

    @property
    def _db(self) -> sqlite3.Connection:
        """The connection; a read-only file let go of (:meth:`let_go`) connects again. In a
        file being built, the rows appended last are written first (:meth:`_write_behind`)."""
        if self._behind is not None or self._behind_failed is not None:
            self._caught_up()
        db = self._connection
        if db is None:
            if self._closed:  # as a closed connection says it
                raise sqlite3.ProgrammingError("Cannot operate on a closed database.")
            db = self._connection = _connect_read_only(self.path)
        return db

    @_db.setter
    def _db(self, db: sqlite3.Connection) -> None:
        self._connection = db

    def let_go(self) -> None:
        """A file open read-only while another process writes it holds no connection between
        reads: one held open keeps its writer's close from turning the file back into one
        (WAL to DELETE needs every other connection gone), and leaves ``-wal`` and ``-shm``
        beside it."""
        if self.read_only and self._connection is not None and not self._building:
            with contextlib.suppress(sqlite3.Error):
                self._connection.close()
            self._connection = None

    @classmethod
    def create(
        cls, path: str | Path, settings: SessionSettings, origin: float | None = None
    ) -> SessionFile:
        """A new session file; its session time zero is now, or ``origin`` (epoch seconds:
        an imported capture's own, which the import takes from it)."""
        path = Path(path)
        origin = time.time() if origin is None else float(origin)
        refuse_dangling(path)
        if path.exists():
            raise SessionFileError(f"{path} already exists; choose a new file name")
        try:
            db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            _tune(db)
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {FORMAT_VERSION}")
            settings_json = json.dumps(encode_settings(settings))
            with _transaction(db):
                for statement in _SCHEMA:
                    db.execute(statement)
                db.execute("INSERT INTO meta VALUES ('settings', ?)", (settings_json,))
                db.execute("INSERT INTO meta VALUES ('origin', ?)", (repr(origin),))
                db.execute(
                    "INSERT INTO meta VALUES ('seal', ?)",
                    (genesis(settings_json, repr(origin)).hex(),),
                )
            session = cls(path, db, settings, origin)
        except sqlite3.Error as exc:
            raise SessionFileError(f"cannot create {path}: {exc}") from None
        session._genesis = genesis(settings_json, repr(origin))
        session._last_chain = session._genesis
        try:
            session._lock = SessionLock.acquire(path)
        except (LockHeld, OSError):
            session._lock = None  # a new file nobody else knows of yet
        return session

    @classmethod
    def open(cls, path: str | Path, read_only: bool = False) -> SessionFile:
        """Open for writing, or (``read_only``) for reading only.

        A file asked for writing opens read-only, with :attr:`read_only_reason` saying why,
        when another process holds it, or when the file or its folder cannot be written.
        """
        path = Path(path)
        if path.is_dir():
            raise SessionFileError(f"{path} is a folder, not a session file")
        if not path.is_file():
            raise SessionFileError(missing(path))
        closing.wait_for(path)  # this process is still closing it (its snapshot being kept)
        settings, origin, genesis_hash = _check(path)
        reason = None
        lock = None
        if not read_only:
            reason = _unwritable(path)
            if reason is None:
                try:
                    lock = SessionLock.acquire(path)
                except LockHeld as held:
                    reason = held.holder
                except OSError as exc:
                    reason = f"its lock cannot be taken ({exc.strerror or exc})"
        writing = not read_only and reason is None
        try:
            # read-only until the log was read and found intact (begin_writing): opening a
            # damaged file for writing must not change a byte of it
            db = _connect_read_only(path)
            session = cls(path, db, settings, origin)
        except sqlite3.Error as exc:
            if lock is not None:
                lock.release()
            raise SessionFileError(f"{path} is damaged ({exc})") from None
        except SessionFileError:
            if lock is not None:
                lock.release()
            raise
        session._lock = lock
        session._genesis = genesis_hash
        if session.chained and not session._last_chain:
            session._last_chain = genesis_hash
        session.read_only = not writing
        session.read_only_reason = reason
        session._connected_for_writing = False
        return session

    def _settle(self) -> None:
        """Before anything is written: what must be known first (the log's check)."""
        hook, self.before_writing = self.before_writing, None
        if hook is not None:
            hook()

    def begin_writing(self) -> None:
        """Connect for writing (WAL); done before the first event is written."""
        self._settle()
        if self.read_only or self._connected_for_writing:
            return
        try:
            db = sqlite3.connect(
                f"{self.path.resolve().as_uri()}?mode=rw", uri=True, check_same_thread=False
            )
            db.isolation_level = None
            _tune(db)
        except sqlite3.Error as exc:
            raise SessionFileError(f"cannot write to {self.path}: {exc}") from None
        self._db.close()
        self._db = db
        self._connected_for_writing = True

    def _refusal(self) -> str:
        why = f" ({self.read_only_reason})" if self.read_only_reason else ""
        return f"{self.path} is open for reading only{why}"

    @property
    def writable(self) -> bool:
        return not self.read_only

    def give_up_writing(self, reason: str) -> None:
        """Go on read-only (a damaged log is never written after): release the lock."""
        self.read_only = True
        self.read_only_reason = reason
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def append(self, events: Sequence[Event]) -> list[LogEntry]:
        """Commit events to the log (all or none) and return them with their sequence numbers."""
        self._settle()
        if self.read_only:
            raise SessionFileError(self._refusal())
        self.begin_writing()
        now = time.time()
        # LogEntry(seq, event) made in C, in one map: 120k in an import
        entries = list(map(tuple.__new__, repeat(LogEntry), enumerate(events, self.last_seq + 1)))
        runs, texts = _runs_and_texts(events)
        if self._building and self.chained and entries and _bulk_works(self._db):  # in bulk
            self._append_runs(self.last_seq + 1, runs, texts, now)
            self.last_seq = entries[-1].seq
            self._unsaved = True
            return entries
        kinds = [kind for kind, size in runs for _ in range(size)]
        chain = self._last_chain
        seqs = range(self.last_seq + 1, self.last_seq + 1 + len(kinds))
        rows: list[tuple[Any, ...]]
        if self.chained:  # link(chain, kind, payload), kept to the bone: 120k in an import
            sha256, links = hashlib.sha256, _KIND_LINKS
            chains: list[bytes] = []
            append_chain = chains.append
            for kind, text in zip(kinds, texts, strict=True):
                kind_link = links.get(kind) or links.setdefault(kind, kind.encode() + SEPARATOR)
                chain = sha256(chain + kind_link + text.encode()).digest()
                append_chain(chain)
            # each link bound as a bytearray: the same BLOB, but sqlite3 binds it straight
            # (a bytes object is first offered to the adapters, ~0.3 us a row: 40 ms at 24 h)
            rows = list(zip(seqs, kinds, texts, repeat(now), map(bytearray, chains)))
        else:
            rows = list(zip(seqs, kinds, texts, repeat(now)))
        insert = (
            "INSERT INTO events VALUES (?, ?, ?, ?, ?)"
            if self.chained
            else "INSERT INTO events VALUES (?, ?, ?, ?)"
        )
        try:
            with self._writing():
                self._db.executemany(insert, rows)
        except sqlite3.Error as exc:
            raise SessionFileError(f"cannot write to {self.path}: {exc}") from None
        if entries:
            self.last_seq = entries[-1].seq
            self._last_chain = chain
            self._unsaved = True
        return entries

    def _append_runs(
        self, first: int, runs: list[tuple[str, int]], texts: list[str], now: float
    ) -> None:
        """The rows of a file being built (:meth:`built`), chained, one statement a run of one
        kind (a feed's events: nearly all passings), its payloads bound as one JSON text and
        its links as one blob: SQLite takes the run in one step, where ``executemany`` binds,
        steps and resets each row (an import's 120k: ~0.07 s less CPU, 0.27 -> 0.20 s). The
        rows are the very ones ``executemany`` writes (tests/test_store_built.py). The
        statements run behind the caller (:meth:`_write_behind`)."""
        chain, sha256, links = self._last_chain, hashlib.sha256, _KIND_LINKS
        at = 0
        statements: list[tuple[Any, ...]] = []
        for kind, size in runs:
            kind_link = links.get(kind) or links.setdefault(kind, kind.encode() + SEPARATOR)
            payloads = texts[at : at + size]
            chains: list[bytes] = []
            append_chain = chains.append
            for text in payloads:  # link(chain, kind, payload), kept to the bone
                chain = sha256(chain + kind_link + text.encode()).digest()
                append_chain(chain)
            statements.append((first + at, kind, now, b"".join(chains), json.dumps(payloads)))
            at += size
        self._write_behind(statements)
        self._last_chain = chain

    def _write_behind(self, statements: list[tuple[Any, ...]]) -> None:
        """Run the statements of rows appended in a file being built in a worker thread, the
        caller going on meanwhile (an import's engine takes the same events): SQLite parses
        and stores them with the GIL let go (~0.15 s of a 24-hour import, on the other core).
        One at a time: anything else that reads or writes the file (:attr:`_db`), the next
        append and the end of the build wait for them first, and a failure is raised there
        (:meth:`_caught_up`), every time until the build ends (its transaction rolled back)."""
        self._caught_up()
        db = self._connection
        assert db is not None

        def write() -> None:
            try:
                for params in statements:
                    db.execute(_BULK_INSERT, params)
            except BaseException as exc:  # raised in the caller's thread (_caught_up)
                self._behind_failed = exc

        self._behind = threading.Thread(target=write, name="timingboard-rows", daemon=True)
        self._behind.start()

    def _caught_up(self) -> None:
        """The rows being written behind (:meth:`_write_behind`) written; what failed raised."""
        behind, self._behind = self._behind, None
        if behind is not None:
            behind.join()
        failed = self._behind_failed
        if failed is None:
            return
        if isinstance(failed, sqlite3.Error):
            raise SessionFileError(f"cannot write to {self.path}: {failed}") from None
        raise failed

    def append_raw(self, source: str, data: bytes) -> None:
        """Keep bytes exactly as a feed sent them, so nothing received is ever lost."""
        self._settle()
        if self.read_only:
            raise SessionFileError(self._refusal())
        self.begin_writing()
        try:
            with self._writing():
                self._db.execute(RAW_TABLE)
                self._db.execute(
                    "INSERT INTO raw_feed (received_at, source, data) VALUES (?, ?, ?)",
                    (time.time(), source, data),
                )
        except sqlite3.Error as exc:
            raise SessionFileError(f"cannot write to {self.path}: {exc}") from None

    def set_note(self, key: str, value: str) -> None:
        """Keep a setting of what feeds this session (a decoder's timing lines) with it."""
        self._settle()
        if self.read_only:
            raise SessionFileError(f"{self.path} is open for reading only")
        try:
            with self._writing():
                self._db.execute(
                    "INSERT OR REPLACE INTO meta VALUES (?, ?)", (f"note:{key}", value)
                )
        except sqlite3.Error as exc:
            raise SessionFileError(f"cannot write to {self.path}: {exc}") from None

    def note(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (f"note:{key}",)).fetchone()
        return row[0] if row else None

    def has_raw(self, source: str) -> bool:
        """Whether a feed of ``source`` (:data:`DECODER_RAW`, say) sent bytes into this session."""
        try:
            row = self._db.execute(
                "SELECT 1 FROM raw_feed WHERE source = ? LIMIT 1", (source,)
            ).fetchone()
        except sqlite3.OperationalError:
            return False  # no table: nothing was received
        return row is not None

    def raw_feed(self) -> bytes:
        """Every byte a feed sent into this session, in order."""
        try:
            rows = self._db.execute("SELECT data FROM raw_feed ORDER BY id").fetchall()
        except sqlite3.OperationalError:
            return b""
        return b"".join(row[0] for row in rows)

    def entries(self, decode_from: int = 1) -> Iterator[LogEntry]:
        """The whole log in order; the first damaged event raises :class:`DamagedLog`.

        Each event's chain is checked before it is decoded, so damage is found where it is.
        Events before ``decode_from`` are checked but not decoded, nor given (a snapshot holds
        what they add up to).
        """
        chained = self.chained
        columns = "seq, CAST(kind AS BLOB), CAST(payload AS BLOB)" + (", chain" if chained else "")
        chain = self._genesis
        expected = 1
        sha256 = hashlib.sha256
        kinds: dict[bytes, str] = {}
        try:
            cursor = self._db.execute(f"SELECT {columns} FROM events ORDER BY seq")
            batch = DECODE_BATCH if current() is None else PACED_BATCH
            while rows := cursor.fetchmany(batch):
                first = expected
                damage = None
                if chained:  # the hot loop of opening a session: kept to the bone
                    for seq, kind, payload, stored in rows:
                        if seq != expected:
                            damage = (expected, "an event is missing or out of place")
                            break
                        chain = sha256(chain + kind + SEPARATOR + payload).digest()
                        if chain != stored:
                            damage = (expected, "it is not as it was written")
                            break
                        expected += 1
                else:
                    for row in rows:
                        if row[0] != expected:
                            damage = (expected, "an event is missing or out of place")
                            break
                        expected += 1
                if damage is not None:
                    rows = rows[: expected - first]
                if decode_from > first:
                    rows = rows[decode_from - first :]
                pause_point()  # paced work (a window's log check) waits here for a free moment
                events, failure = _decode_rows(rows, kinds)
                seqs = [row[0] for row in rows[: len(events)]]
                yield from map(LogEntry._make, zip(seqs, events, strict=True))
                if failure is not None:
                    raise self._damaged(*failure)
                if damage is not None:
                    raise self._damaged(*damage)
        except sqlite3.Error as exc:
            raise DamagedLog(
                f"{self.path} is damaged after event #{expected - 1} ({one_line(exc)})",
                None,
                expected - 1,
            ) from None

    def logged_times(self, count: int) -> list[float] | None:
        """The wall clock (epoch s) each of the first ``count`` events was written at, in
        order: when a correction took effect (a replay stamps it so); None when unreadable."""
        try:
            rows = self._db.execute(
                "SELECT recorded_at FROM events ORDER BY seq LIMIT ?", (count,)
            ).fetchall()
        except sqlite3.Error:
            return None
        times = [row[0] for row in rows]
        if len(times) != count or not all(isinstance(t, int | float) for t in times):
            return None  # not as written (the chain does not cover it): stamped as reached
        return [float(t) for t in times]

    def entries_after_last(self, limit: int) -> tuple[list[LogEntry], DamagedLog | None]:
        """Up to ``limit`` events another process appended since :attr:`last_seq` (a file open
        read-only while its writer goes on), checked as :meth:`entries` checks them, and what
        is damaged from there on (None: nothing). The intact ones move :attr:`last_seq` on;
        a damaged one is never given. A file that cannot be read at all now raises
        :class:`SessionFileError` (nothing is taken: read again later)."""
        if not self.read_only:
            return [], None
        chained = self.chained
        columns = "seq, CAST(kind AS BLOB), CAST(payload AS BLOB)" + (", chain" if chained else "")
        expected = self.last_seq + 1
        try:
            rows = self._db.execute(
                f"SELECT {columns} FROM events WHERE seq >= ? ORDER BY seq LIMIT ?",
                (expected, limit),
            ).fetchall()
        except sqlite3.Error as exc:  # busy, or the writer's file not there a moment: again
            raise SessionFileError(f"{self.path} cannot be read now ({one_line(exc)})") from None
        chain = self._last_chain
        damage: tuple[int, str] | None = None
        checked = 0
        for row in rows:
            if row[0] != expected:
                damage = (expected, "an event is missing or out of place")
                break
            if chained:
                chain = link(chain, row[1], row[2])
                if chain != row[3]:
                    damage = (expected, "it is not as it was written")
                    break
            expected += 1
            checked += 1
        rows = rows[:checked]
        events, failure = _decode_rows(rows, {})
        if failure is not None:
            damage = failure
        rows = rows[: len(events)]
        entries = list(map(LogEntry._make, zip([row[0] for row in rows], events, strict=True)))
        if entries:
            self.last_seq = entries[-1].seq
            if chained:
                self._last_chain = rows[-1][3]
        return entries, self._damaged(*damage) if damage is not None else None

    def intact_entries(self) -> Iterator[LogEntry]:
        """The log up to its first damaged event; :attr:`damage` then says what was found."""
        self.damage = None
        try:
            yield from self.entries()
        except DamagedLog as exc:
            self.damage = str(exc)

    def snapshot_key(self) -> tuple[str, int] | None:
        """The engine version and seq of the snapshot kept in the file; None: none."""
        try:
            row = self._db.execute("SELECT engine, seq FROM snapshot WHERE id = 1").fetchone()
        except sqlite3.Error:
            return None
        return (row[0], row[1]) if row else None

    def snapshot(self) -> tuple[str, int, bytes, bytes] | None:
        """The snapshot kept in the file: (engine version, seq, digest, data); None: none."""
        if not self.chained:
            return None
        try:
            row = self._db.execute(
                "SELECT engine, seq, digest, data FROM snapshot WHERE id = 1"
            ).fetchone()
        except sqlite3.Error:  # none was ever kept (or it cannot be read: then rebuilt)
            return None
        if row is None or list(map(type, row)) != _SNAPSHOT_TYPES:
            return None
        return row

    def chain_at(self, seq: int) -> bytes | None:
        """The stored link of event ``seq`` in the hash chain (checked when the log is read)."""
        try:
            row = self._db.execute("SELECT chain FROM events WHERE seq = ?", (seq,)).fetchone()
        except sqlite3.Error:
            return None
        return row[0] if row and isinstance(row[0], bytes) else None

    def keep_snapshot(self, engine_version: str, seq: int, data: bytes) -> None:
        """Keep ``data``, the engine's state after event ``seq`` (the last one), in the file:
        one row, replaced each time, written as the events are (synchronous=FULL)."""
        self._settle()
        if self.read_only or not self.chained or seq != self.last_seq:
            return
        self.begin_writing()
        digest = snapshot_digest(self._last_chain, data)
        try:
            with self._writing():
                self._db.execute(SNAPSHOT_TABLE)
                self._db.execute(
                    "INSERT OR REPLACE INTO snapshot VALUES (1, ?, ?, ?, ?)",
                    (engine_version, seq, digest, data),
                )
        except sqlite3.Error as exc:
            raise SessionFileError(f"cannot write to {self.path}: {exc}") from None
        self._unsaved = True

    @contextmanager
    def built(self) -> Iterator[None]:
        """Write a new file no one can see yet (an import's temporary file, named only once
        complete) in one transaction, committed when the block ends, as a bare loop writes it:
        not one synced commit a batch. What is in the file at the end is the same, row for
        row; a failure in the block rolls it all back, and the file is then thrown away.

        Not for a session shown or fed live: there each batch is on disk before the engine
        applies it (the block lets the engine see events before their commit), and a crash
        within the block may leave this file damaged (its journal is kept in memory).
        """
        if self._building:
            raise RuntimeError("already building")
        self._settle()
        if self.read_only:
            raise SessionFileError(self._refusal())
        self.begin_writing()
        try:
            # each page written once, into the file (WAL writes it twice: to the WAL, then
            # back); a crash meanwhile may leave the file damaged, and it is thrown away
            self._db.execute("PRAGMA journal_mode = MEMORY")
            with _transaction(self._db):
                self._building = True
                try:
                    yield
                    self._caught_up()  # every row in before the commit; else rolled back
                finally:
                    self._building = False
                    behind, self._behind = self._behind, None
                    if behind is not None:  # a failure in the block: its rows rolled back too
                        behind.join()
                    self._behind_failed = None
            self._db.execute("PRAGMA journal_mode = WAL")
        except sqlite3.Error as exc:
            raise SessionFileError(f"cannot write to {self.path}: {exc}") from None

    def _writing(self) -> contextlib.AbstractContextManager[None]:
        """The transaction a write goes in: its own, or the one :meth:`built` holds open."""
        return contextlib.nullcontext() if self._building else _transaction(self._db)

    def _damaged(self, seq: int, why: str) -> DamagedLog:
        return DamagedLog(f"{self.path}: event #{seq} is damaged ({why})", seq, seq - 1)

    def checkpoint(self) -> None:
        """Move what the WAL holds into the file itself (a quiet moment: cheap, off the path
        of passings), so a copy of the ``.tbs`` alone has every event."""
        if self.read_only or not self._unsaved or not self._connected_for_writing:
            return
        with contextlib.suppress(sqlite3.Error):
            self._db.execute("PRAGMA wal_checkpoint(PASSIVE)")
            self._unsaved = False

    def save_copy(self, target: str | Path) -> Path:
        """A complete, consistent copy of the session as it stands (SQLite's backup), made
        beside ``target`` and given its name in one step; ``target`` must be new."""
        from timingboard.store.atomic import publish, refuse_unsafe_output, temp_path

        target = Path(target)
        refuse_unsafe_output(target, [self.path])
        if target.exists():
            raise SessionFileError(f"{target} already exists; choose a new name")
        temp = temp_path(target.resolve())
        copy = None
        try:
            copy = sqlite3.connect(temp, isolation_level=None)
            self._db.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
            copy.close()
            copy = None
            publish(temp, target)
        except sqlite3.Error as exc:
            raise SessionFileError(f"cannot copy to {target}: {exc}") from None
        finally:
            if copy is not None:
                copy.close()
            for side in ("", "-journal", "-wal", "-shm"):
                with contextlib.suppress(OSError):
                    Path(f"{temp}{side}").unlink()
        return target

    @property
    def writes_on_close(self) -> bool:
        """Whether :meth:`close` writes (the checkpoint and the journal's switch back: a few
        to tens of milliseconds of file-system work, more on a busy disk)."""
        return not self.read_only and self._connected_for_writing

    def close(self) -> None:
        """Close; a file that was written is checkpointed and left as one file (no -wal)."""
        if self.writes_on_close:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("PRAGMA busy_timeout = 0")  # a reader still there: no wait
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                self._db.execute("PRAGMA journal_mode = DELETE")
        self._closed = True
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None


def _runs_and_texts(events: Sequence[Event]) -> tuple[list[tuple[str, int]], list[str]]:
    """Each run of events of one kind (its name and length), and the stored text of every
    event (``event_json``'s): a run's texts made by one ``map`` of its kind's writer (an
    import's batch: a run of thousands of passings), not a look-up and a call each."""
    runs: list[tuple[str, int]] = []
    texts: list[str] = []
    for kind, run in groupby(events, type):
        items = list(run)
        encode = EVENT_ENCODERS.get(kind)
        texts.extend(map(encode, items) if encode else (event_json(e)[1] for e in items))
        runs.append((kind.__name__, len(items)))
    return runs, texts


_BULK_WORKS: list[bool] = []  # whether this SQLite has json_each (3.38 on: built in)


def _bulk_works(db: sqlite3.Connection) -> bool:
    """Whether rows can be written in bulk (:data:`_BULK_INSERT`); else one by one, as ever."""
    if not _BULK_WORKS:
        try:
            db.execute("SELECT count(*) FROM json_each('[1]')").fetchone()
            _BULK_WORKS.append(True)
        except sqlite3.Error:  # an SQLite built without JSON
            _BULK_WORKS.append(False)
    return _BULK_WORKS[0]


def _decode_rows(
    rows: list[Any], kinds: dict[bytes, str]
) -> tuple[list[Event], tuple[int, str] | None]:
    """The events of rows of (seq, kind, payload, …), up to the first that cannot be one, and
    that one's seq and what is wrong with it (None: every row is an event).

    Passings as the recorder writes them are read by position (:mod:`positional`); the rest
    are parsed in one go and decoded field by field.
    """
    events: list[Event | None] = []
    rest: list[int] = []
    for index, row in enumerate(rows):
        passing = passing_at(row[2]) if row[1] == b"Passing" else None
        if passing is None:
            rest.append(index)
        events.append(passing)
    if rest:
        payloads = _parse_all([rows[index][2] for index in rest])
        for index, parsed in zip(rest, payloads, strict=True):
            seq, kind, payload = rows[index][:3]
            try:
                if parsed is None:
                    parsed = json.loads(payload)  # to name what is wrong with it
                name = kinds.get(kind) or kinds.setdefault(kind, kind.decode())
                events[index] = decode_event(name, parsed)
            except (DecodeError, ValueError, TypeError, AttributeError) as exc:
                return cast(list[Event], events[:index]), (seq, str(exc))
    return cast(list[Event], events), None


def _parse_all(payloads: list[bytes]) -> list[Any]:
    """The JSON of many records in one parse (far quicker than one each); Nones if any is bad.

    Each record must look like one JSON object and the parse must give one object per record,
    so a damaged record cannot pass as two or run into its neighbour (only two damaged records
    shaped to make up for each other could; a file can hold wrong events more simply than that).
    """
    if all(type(p) is bytes and p.startswith(b"{") and p.endswith(b"}") for p in payloads):
        try:
            parsed = json.loads(b"[" + b",".join(payloads) + b"]")
        except (ValueError, TypeError):
            parsed = None
        if (
            parsed is not None
            and len(parsed) == len(payloads)
            and all(type(value) is dict for value in parsed)
        ):
            return parsed
    return [None] * len(payloads)


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A reading connection that leaves nothing behind.

    A file closed by this version is a single file (rollback journal) and a reader makes no
    side files. A file left in WAL mode with no ``-wal`` beside it (closed by an older version)
    is read as it is on disk (``immutable``): otherwise SQLite would leave an empty ``-wal`` and
    a ``-shm`` beside it, or fail in a read-only folder. A writer starting meanwhile writes to
    its own ``-wal``, not to the file being read.
    """
    query = "mode=ro"
    if _in_wal_mode(path) and not any(Path(f"{path}{side}").exists() for side in ("-wal", "-shm")):
        query += "&immutable=1"
    # closed in a worker (:mod:`closing`) once the window is done with it: one thread at a time
    db = sqlite3.connect(f"{path.resolve().as_uri()}?{query}", uri=True, check_same_thread=False)
    db.isolation_level = None
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return db


def _in_wal_mode(path: Path) -> bool:
    """Whether the file's header says WAL (bytes 18 and 19 are 2)."""
    try:
        with path.open("rb") as handle:
            header = handle.read(20)
    except OSError:
        return False
    return len(header) == 20 and header[18] == 2 and header[19] == 2


def _tune(db: sqlite3.Connection) -> None:
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
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


def _unwritable(path: Path) -> str | None:
    """Why the file cannot be written here, or None. A file or folder marked read-only (no
    write permission for anyone) counts as read-only also for an administrator."""
    folder = path.resolve().parent
    for what, place in (("the file", path), ("its folder", folder)):
        try:
            marked = not stat.S_IMODE(place.stat().st_mode) & 0o222
        except OSError:
            marked = True
        if marked or not os.access(place, os.W_OK):
            return f"{what} is read-only"
    return None


def _check(path: Path) -> tuple[SessionSettings, float, bytes]:
    """Read-only look at a file: is it a timingboard session we can read?"""
    try:
        with path.open("rb") as handle:
            header = handle.read(16)
    except OSError as exc:
        raise SessionFileError(f"cannot read {path}: {exc.strerror}") from None
    if header != b"SQLite format 3\x00":
        raise SessionFileError(f"{path} is not a timingboard session file")
    try:
        db = _connect_read_only(path)
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
            seal = db.execute("SELECT value FROM meta WHERE key = 'seal'").fetchone()
        finally:
            db.close()
        if row is None:
            raise SessionFileError(f"{path} has no session settings; it is damaged")
        settings_json = row[0]
        origin_text = origin[0] if origin else "0.0"
        chained_to = genesis(settings_json, origin_text)
        if version >= CHAINED_VERSION and (seal is None or seal[0] != chained_to.hex()):
            raise SessionFileError(f"{path} is damaged (its settings are not as written)")
        return decode_settings(json.loads(settings_json)), float(origin_text), chained_to
    except (sqlite3.Error, DecodeError, TypeError, ValueError, AttributeError) as exc:
        raise SessionFileError(f"{path} is damaged ({exc})") from None
