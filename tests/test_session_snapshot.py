"""The board kept in the session file (its snapshot) opens as the board rebuilt from the log.

A session is closed with its engine's state kept beside the log; opening it, and its results,
take the board from there. Whatever the snapshot, the board is the one a from-scratch rebuild
gives: after corrections, with events logged after the snapshot, and with a snapshot that does
not fit the log (another log's, another engine's, damaged, or made to run code), which is
ignored.
"""

from __future__ import annotations

import copy
import io
import json
import os
import pickle
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from race_scripts import QUARTER_MILE_RACE, three_car_race
from test_engine_properties import _random_session, start_of

from timingboard import cli
from timingboard.engine import (
    DeletePassing,
    InsertPassing,
    Passing,
    Revert,
    TimePenalty,
    TimingEngine,
)
from timingboard.engine.chunked import ChunkedMap
from timingboard.engine.events import Source
from timingboard.engine.records import PassingRecord
from timingboard.store import SessionFile, SessionFileError, SessionRecorder, closing, snapshot
from timingboard.store.session_file import snapshot_digest


def board(engine: TimingEngine) -> tuple:
    """Everything a view or a report reads of an engine."""
    return (
        engine.seq,
        engine.log,
        engine.settings,
        engine.standings(),
        engine.order(),
        {key: engine.laps(key) for key in engine.entries},
        {pid: engine.passing_status(pid) for pid in engine.passings},
        engine.session_best,
        engine.start_ms,
        engine.finish_ms,
        engine.flag,
        engine.lap_leaders(),
        {key: laps for key, laps in engine.known_laps_led().items() if laps},  # 0 as none
        engine.class_places,
        engine.car_sectors,
        engine.sector_bests,
        engine.declarations,
        engine.corrections,
    )


def rebuilt(path: Path) -> TimingEngine:
    file = SessionFile.open(path, read_only=True)
    try:
        return TimingEngine.from_log(file.settings, file.entries())
    finally:
        file.close()


def kept(path: Path) -> tuple | None:
    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT engine, seq, digest, data FROM snapshot").fetchone()
    except sqlite3.OperationalError:
        return None
    finally:
        db.close()


def corrected_race(path: Path) -> None:
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit(three_car_race())
    first = next(s for s, e in enumerate(recorder.engine.log, 1) if isinstance(e.event, Passing))
    recorder.submit([DeletePassing(passing_id=first + 2, operator="op", reason="double read")])
    recorder.submit([InsertPassing(time_ms=70_000, key="3", operator="op")])
    recorder.submit([TimePenalty(key="2", ms=5000, operator="op")])
    recorder.submit([Revert(correction_id=recorder.engine.seq, operator="op")])
    recorder.close()


def opened_without_rebuilding(path: Path) -> SessionRecorder:
    with mock.patch.object(TimingEngine, "from_log", side_effect=AssertionError("rebuilt")):
        return SessionRecorder.open(path)


def test_a_closed_session_opens_from_its_snapshot_as_the_rebuilt_board(tmp_path: Path) -> None:
    path = tmp_path / "race.tbs"
    corrected_race(path)
    assert kept(path) is not None
    recorder = opened_without_rebuilding(path)
    assert board(recorder.engine) == board(rebuilt(path))
    more = [Passing(time_ms=90_000, car="2"), Revert(correction_id=recorder.engine.seq - 1)]
    recorder.submit(more)  # and it goes on as the rebuilt board would
    after = board(recorder.engine)
    recorder.close()
    assert after == board(rebuilt(path))


def test_events_logged_after_the_snapshot_are_applied_to_it(tmp_path: Path) -> None:
    path = tmp_path / "race.tbs"
    corrected_race(path)
    recorder = SessionRecorder.open(path)
    recorder.submit([Passing(time_ms=95_000, car="3"), TimePenalty(key="3", ms=1000)])
    recorder.file.close()  # as a crash leaves it: no snapshot of these
    assert kept(path)[1] < recorder.engine.seq
    reopened = opened_without_rebuilding(path)
    assert board(reopened.engine) == board(rebuilt(path))
    reopened.close()
    assert kept(path)[1] == board(rebuilt(path))[0]  # closed: kept again, up to date


def _spoil(path: Path, sql: str, *args: object) -> None:
    db = sqlite3.connect(path)
    db.execute(sql, args)
    db.commit()
    db.close()


class _RunsCode:
    def __reduce__(self):
        return (Path.touch, (Path("ran.txt"),))


@pytest.mark.parametrize(
    "spoil",
    ["another engine", "damaged data", "another log", "made to run code", "not an engine"],
)
def test_a_snapshot_that_does_not_fit_is_ignored_and_the_board_rebuilt(
    tmp_path: Path, spoil: str, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "race.tbs"
    corrected_race(path)
    _, seq, _, data = kept(path)
    chain = SessionFile.open(path, read_only=True).chain_at(seq)
    if spoil == "another engine":
        _spoil(path, "UPDATE snapshot SET engine = ?", "0" * 64)
    elif spoil == "damaged data":
        _spoil(
            path, "UPDATE snapshot SET data = ?", data[:100] + bytes([data[100] ^ 1]) + data[101:]
        )
    elif spoil == "another log":  # a snapshot of the same length of another session
        other = tmp_path / "other.tbs"
        recorder = SessionRecorder.create(other, QUARTER_MILE_RACE)
        recorder.submit([*three_car_race()[:-1], Passing(time_ms=1, car="3")])
        for _ in range(seq - recorder.engine.seq):
            recorder.submit([TimePenalty(key="3", ms=1, operator="op")])
        recorder.close()
        theirs = kept(other)
        assert theirs[1] == seq
        _spoil(path, "UPDATE snapshot SET digest = ?, data = ?", theirs[2], theirs[3])
    else:
        payload = pickle.dumps(_RunsCode() if spoil == "made to run code" else {"seq": seq})
        _spoil(
            path,
            "UPDATE snapshot SET digest = ?, data = ?",
            snapshot_digest(chain, payload),
            payload,
        )
    assert snapshot.fitting(SessionFile.open(path, read_only=True)) is None or spoil in (
        "made to run code",
        "not an engine",
    )
    recorder = SessionRecorder.open(path)
    assert board(recorder.engine) == board(rebuilt(path))
    recorder.close()
    assert not (tmp_path / "ran.txt").exists()
    assert kept(path)[0] == snapshot.ENGINE_VERSION  # closed: a fitting one kept instead


def test_a_damaged_log_is_named_though_a_snapshot_fits_its_end(tmp_path: Path, capsys) -> None:
    path = tmp_path / "race.tbs"
    corrected_race(path)
    db = sqlite3.connect(path)
    (payload,) = db.execute("SELECT payload FROM events WHERE seq = 6").fetchone()
    event = json.loads(payload)
    event["time_ms"] += 1  # a change SQLite cannot see; the chain column is left as it was
    db.execute("UPDATE events SET payload = ? WHERE seq = 6", (json.dumps(event),))
    db.commit()
    db.close()
    assert snapshot.fitting(SessionFile.open(path, read_only=True)) is not None
    recorder = SessionRecorder.open(path)
    assert recorder.engine.seq == 5
    assert "event #6 is damaged" in (recorder.read_only_reason or "")
    recorder.close()
    assert cli.main(["results", str(path)]) != 0
    assert "event #6 is damaged" in capsys.readouterr().err


def test_a_file_without_a_snapshot_opens_and_gets_one_when_closed(tmp_path: Path) -> None:
    path = tmp_path / "race.tbs"
    corrected_race(path)
    _spoil(path, "DROP TABLE snapshot")
    reader = SessionRecorder.open(path, read_only=True)
    reader.close()
    assert kept(path) is None  # read only: nothing written
    recorder = SessionRecorder.open(path)
    assert board(recorder.engine) == board(rebuilt(path))
    recorder.close()
    assert kept(path)[0] == snapshot.ENGINE_VERSION
    events = SessionFile.open(path, read_only=True)
    assert len(list(events.entries())) == kept(path)[1]  # the log itself as it was


def _results(path: Path, out: Path) -> dict:
    assert cli.main(["results", str(path), "--format", "json", "-o", str(out)]) == 0
    sheet = json.loads(out.read_text())
    _drop_printed_at(sheet)  # the second it was printed, wherever the sheet keeps it
    return sheet


def _drop_printed_at(part: object) -> None:
    if isinstance(part, dict):
        part.pop("printed_at", None)
        for value in part.values():
            _drop_printed_at(value)
    elif isinstance(part, list):
        for value in part:
            _drop_printed_at(value)


def test_results_from_the_snapshot_are_the_results_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "race.tbs"
    corrected_race(path)
    recorder = SessionRecorder.open(path)
    recorder.submit([Passing(time_ms=97_000, car="2")])
    recorder.file.close()  # one event after the snapshot
    with mock.patch.object(TimingEngine, "from_log", side_effect=AssertionError("rebuilt")):
        fast = _results(path, tmp_path / "fast.json")
    _spoil(path, "DROP TABLE snapshot")
    assert fast == _results(path, tmp_path / "slow.json")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), count=st.integers(1, 60), after=st.integers(0, 12))
def test_any_session_opens_from_its_snapshot_as_rebuilt(
    tmp_path_factory, seed: int, count: int, after: int
) -> None:
    sessions = list(_random_session(seed, count + after))
    if not sessions:
        return
    path = tmp_path_factory.mktemp("snap") / "s.tbs"
    recorder = SessionRecorder.create(path, start_of(seed))
    for _, batch in sessions:
        if batch[-1].seq <= count:
            recorder.submit([e.event for e in batch])
    recorder.close()
    file = SessionFile.open(path)
    later = [e.event for _, batch in sessions for e in batch if batch[-1].seq > count]
    file.append(later)  # logged after the snapshot, not kept in it
    file.close()
    reopened = SessionRecorder.open(path)
    assert board(reopened.engine) == board(rebuilt(path))
    reopened.close()


def test_a_snapshot_that_cannot_be_written_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "race.tbs"
    corrected_race(path)
    recorder = SessionRecorder.open(path)
    recorder.submit([Passing(time_ms=99_000, car="3")])
    with mock.patch.object(SessionFile, "keep_snapshot", side_effect=SessionFileError("disk full")):
        recorder.close()
    reader = SessionRecorder.open(path, read_only=True)
    assert board(reader.engine) == board(rebuilt(path))
    reader.close()


def test_the_window_keeps_the_snapshot_in_a_worker_and_the_next_open_waits_for_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "race.tbs"
    corrected_race(path)
    recorder = SessionRecorder.open(path)
    recorder.submit([Passing(time_ms=99_000, car="3")])
    last = recorder.engine.seq
    release = threading.Event()
    writers: list[threading.Thread] = []
    real = snapshot.engine_data

    def held(engine: TimingEngine) -> bytes:
        writers.append(threading.current_thread())
        assert release.wait(60)  # the test lets it go on once it has looked
        return real(engine)

    with mock.patch.object(snapshot, "engine_data", side_effect=held):
        recorder.close(in_background=True)  # returns at once: the writing is the worker's
        assert closing.pending(path)
        assert kept(path)[1] < last
        release.set()
        reopened = SessionRecorder.open(path)  # waits for this process's close of it
    assert writers and writers[0] is not threading.current_thread()
    assert not closing.pending(path)
    assert kept(path)[1] == last
    assert reopened.read_only_reason is None  # the worker let go of the file and its lock
    assert board(reopened.engine) == board(rebuilt(path))
    reopened.close()


_DIES_WRITING_THE_SNAPSHOT = """
import os, sys
from timingboard.engine import Passing
from timingboard.store import SessionRecorder, closing
recorder = SessionRecorder.open(sys.argv[1])
recorder.submit([Passing(time_ms=99_000, car="3")])
real = recorder.file._db
class Dying:  # the process ends in the middle of the snapshot's transaction
    def execute(self, sql, *args):
        done = real.execute(sql, *args)
        if sql.startswith("INSERT OR REPLACE INTO snapshot"):
            os._exit(3)
        return done
    def __getattr__(self, name):
        return getattr(real, name)
recorder.file._db = Dying()
recorder.close(in_background=True)
closing.wait_for_all()
"""


def test_a_crash_while_the_snapshot_is_written_leaves_the_old_one_checked_against_the_log(
    tmp_path: Path,
) -> None:
    path = tmp_path / "race.tbs"
    corrected_race(path)
    before = kept(path)
    done = subprocess.run(
        [sys.executable, "-c", _DIES_WRITING_THE_SNAPSHOT, str(path)], capture_output=True
    )
    assert done.returncode == 3, done.stderr
    assert kept(path) == before  # the old snapshot, whole
    reopened = SessionRecorder.open(path)
    assert reopened.engine.seq == before[1] + 1  # the passing logged before the crash is there
    assert board(reopened.engine) == board(rebuilt(path))
    reopened.close()
    assert kept(path)[1] == before[1] + 1


def test_a_session_closed_twice_in_the_background_is_closed_once(tmp_path: Path) -> None:
    path = tmp_path / "race.tbs"
    corrected_race(path)
    recorder = SessionRecorder.open(path)
    recorder.submit([Passing(time_ms=99_000, car="3")])
    recorder.close(in_background=True)
    recorder.close(in_background=True)  # two workers on one connection crashed the process
    closing.wait_for_all()
    assert kept(path)[1] == recorder.engine.seq
    reopened = SessionRecorder.open(path)
    assert board(reopened.engine) == board(rebuilt(path))
    reopened.close()


def _state(engine: TimingEngine) -> dict:
    """The engine's whole state but its log, lap leaders by their parts, each lap's fields
    with their types (a flag read back as 1 is not ``True``)."""
    state = {name: value for name, value in vars(engine).items() if name not in ("log", "leaders")}
    state["leaders"] = {
        name: value for name, value in vars(engine.leaders).items() if name != "_owned"
    }
    state["lap types"] = [
        tuple(map(type, lap)) for entry in engine.entries.values() for lap in entry.timing.laps
    ]
    state["record types"] = [
        tuple(type(getattr(record, name)) for name in record.__slots__)
        for record in engine.passings.values()
    ]
    return state


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), count=st.integers(1, 80))
def test_the_state_read_from_a_snapshot_is_the_state_rebuilt(
    tmp_path_factory, seed: int, count: int
) -> None:
    """Not only what the board shows: every part of the state the snapshot was made of (the
    lap leaders' times, each car's registered laps, the types of what laps and records hold),
    so that the board goes on from it as the one closed would have."""
    sessions = list(_random_session(seed, count))
    if not sessions:
        return
    path = tmp_path_factory.mktemp("state") / "s.tbs"
    recorder = SessionRecorder.create(path, start_of(seed))
    for _, batch in sessions:
        recorder.submit([e.event for e in batch])
    # a copy: the close reads the board's rows for the snapshot, filling the engine's caches
    closed = copy.deepcopy(_state(recorder.engine))
    recorder.close()
    file = SessionFile.open(path, read_only=True)
    fits = snapshot.fitting(file)
    assert fits is not None
    restored = snapshot.restore(fits[1], fits[0], list(file.entries()))
    file.close()
    assert restored is not None
    assert _state(restored) == closed


@pytest.mark.parametrize(
    ("values", "width"),
    [
        ([0, 1, -5, 2**31 - 1, -(2**31)], "i"),  # times and ids of any real session
        ([3, 2**31], "q"),  # one past a C int: all eight bytes
        ([-(2**63), 2**63 - 1], "q"),
    ],
)
def test_a_column_of_ints_packs_as_narrow_as_they_fit_and_reads_back(
    values: list[int], width: str
) -> None:
    packed = snapshot._packed(values)
    assert isinstance(packed, bytes) and chr(packed[0]) == width
    assert snapshot._shared(packed) == values
    snapshot._table.clear()


@pytest.mark.parametrize("values", [[1, 2**64], [1, True], [1, None]])
def test_a_column_that_is_not_plain_ints_is_kept_as_it_is(values: list[object]) -> None:
    packed = snapshot._packed(values)  # type: ignore[arg-type]
    assert packed == values and [type(v) for v in packed] == [type(v) for v in values]


def test_an_imported_streams_snapshot_gives_the_board_and_results_of_its_log(
    tmp_path: Path, capsys
) -> None:
    """``timingboard import`` keeps the board in the file it writes (each car's passings packed
    as the car holds them since format 5): read back, it is the board its log rebuilds, and
    ``results`` from it are the results rebuilt from the log alone."""
    from timingboard.demo.endurance import generate, workload_named
    from timingboard.demo.rmonitor_stream import rmonitor_stream

    stream = tmp_path / "stream.txt"
    stream.write_bytes(rmonitor_stream(*generate(workload_named("karts"))))
    path = tmp_path / "imported.tbs"
    assert cli.main(["import", str(stream), "-o", str(path)]) == 0
    assert "30 car(s), 774 passing(s)" in capsys.readouterr().out
    file = SessionFile.open(path, read_only=True)
    fits = snapshot.fitting(file)
    assert fits is not None
    restored = snapshot.restore(fits[1], fits[0], list(file.entries()))
    file.close()
    assert restored is not None
    assert board(restored) == board(rebuilt(path))
    with mock.patch.object(TimingEngine, "from_log", side_effect=AssertionError("rebuilt")):
        fast = _results(path, tmp_path / "fast.json")
    _spoil(path, "DROP TABLE snapshot")
    assert fast == _results(path, tmp_path / "slow.json")


@pytest.mark.parametrize(
    "names",
    [
        [("7", "", "", "feed")] * 3,  # a block of one car's feed passings: one value a column
        [("7", "", "", "feed"), ("8", "", "", "feed"), ("7", "", "", "feed")],
        [("7", "7", "1007", "decoder"), ("", "8", "", "manual"), ("9", "", "1009", "decoder")],
        [("7", "", "", Source.FEED), ("7", "", "", "feed")],  # equal, not the same type
    ],
)
def test_a_block_of_passing_records_reads_back_as_it_was(names: list[tuple]) -> None:
    """Passing records are kept by column since format 7, a column that holds one value all
    along as that value alone: each record reads back equal, each name of the same type."""
    records = [
        PassingRecord(seq, 1000 * seq, *four, inserted=seq == 2)
        for seq, four in enumerate(names, start=1)
    ]
    packer = snapshot._Pickler(io.BytesIO())
    keys = [record.seq for record in records]
    written = packer._records(0, keys, records)
    assert written is not None
    block = (0, snapshot._RECORD, *written)
    made = snapshot._chunked(ChunkedMap, [block], set())
    snapshot._table.clear()
    back = [made[seq] for seq in keys]
    assert back == records
    assert [
        [type(getattr(r, n)) for n in ("key", "car", "transponder", "source")] for r in back
    ] == [[type(v) for v in four] for four in names]


@pytest.mark.parametrize("owners", [["7", "8", "7"], ["7", "9", "7"]])
def test_an_owners_block_naming_the_records_cars_reads_back_as_it_was(owners: list[str]) -> None:
    """The owners' block of a block of passing records is written as the records' key column
    when it names the same cars (the very same objects: one memo reference), else on its own;
    either way both read back as they were."""
    records = [
        PassingRecord(seq, 1000 * seq, key, source="feed")
        for seq, key in enumerate(["7", "8", "7"], start=1)
    ]
    passings: ChunkedMap[PassingRecord] = ChunkedMap()
    owner: ChunkedMap[str] = ChunkedMap()
    for record, key in zip(records, owners, strict=True):
        passings[record.seq] = record
        owner[record.seq] = key
    packer = snapshot._Pickler(io.BytesIO())
    written = [packer._reduce_chunked(passings)[1], packer._reduce_chunked(owner)[1]]
    ((_, _, keys, (_, names, _)),) = written[0][1]
    ((_, _, owner_keys, owner_names),) = written[1][1]
    assert (owner_keys is keys and owner_names is names[0]) == (owners == ["7", "8", "7"])
    back = [snapshot._chunked(*made) for made in written]
    snapshot._table.clear()
    assert [back[0][seq] for seq in (1, 2, 3)] == records
    assert [back[1][seq] for seq in (1, 2, 3)] == owners


SNAPSHOT_BYTES = r"""
import hashlib, sqlite3, sys
print(hashlib.sha256(
    sqlite3.connect(sys.argv[1]).execute("SELECT data FROM snapshot").fetchone()[0]
).hexdigest())
"""
RETIRED_BYTES = r"""
import hashlib, sys
sys.path.insert(0, sys.argv[1])
from race_scripts import QUARTER_MILE_RACE, three_car_race
from timingboard.engine import Disqualify, LogEntry, Retire, TimingEngine
from timingboard.store.snapshot import engine_data
events = [*three_car_race(), Retire(key="1"), Retire(key="3"), Disqualify(key="2")]
log = [LogEntry(seq, event) for seq, event in enumerate(events, start=1)]
print(hashlib.sha256(engine_data(TimingEngine.from_log(QUARTER_MILE_RACE, log))).hexdigest())
"""


def _with_seed(seed: int, *command: str) -> str:
    """What ``command`` prints run by a new Python with hash seed ``seed``, this tree's code."""
    repo = Path(__file__).resolve().parents[1]
    env = os.environ | {"PYTHONHASHSEED": str(seed), "PYTHONPATH": str(repo)}
    done = subprocess.run(
        [sys.executable, *command], capture_output=True, text=True, env=env, cwd=repo, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_two_imports_of_one_stream_keep_the_same_snapshot_bytes_whatever_the_hash_seed(
    tmp_path: Path,
) -> None:
    """The snapshot's bytes followed the process's hash seed (a set of car numbers pickled in
    its iteration order, dicts filled in it): ``timingboard import`` of one stream (classes and
    pit stops) twice, each with its own PYTHONHASHSEED, keeps the same bytes."""
    from timingboard.demo.endurance import CarClass, Workload, generate
    from timingboard.demo.rmonitor_stream import rmonitor_stream

    classes = (CarClass("Prototype", 6, 1.0), CarClass("GT", 6, 1.1))
    workload = Workload("12 cars", 12, 40, 42_000, 1.5, classes=classes, stint_laps=15)
    stream = tmp_path / "stream.txt"
    stream.write_bytes(rmonitor_stream(*generate(workload, seed=4)))
    kept = []
    for seed in (1, 2):
        path = tmp_path / f"seed-{seed}.tbs"
        _with_seed(seed, "-m", "timingboard", "import", str(stream), "-o", str(path))
        kept.append(_with_seed(seed, "-c", SNAPSHOT_BYTES, str(path)))
    assert kept[0] == kept[1]


def test_retired_and_disqualified_cars_keep_the_same_snapshot_bytes_whatever_the_hash_seed() -> (
    None
):
    tests = str(Path(__file__).parent)
    assert _with_seed(1, "-c", RETIRED_BYTES, tests) == _with_seed(2, "-c", RETIRED_BYTES, tests)
