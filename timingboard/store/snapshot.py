"""The board as it stood when the session was last closed, kept in its file so that it opens
without working the whole log out again.

Opening a 24-hour session (121k events) was mostly rebuilding the engine from its log. The
engine's state (everything but the log itself, which the file holds) is kept in the file's
``snapshot`` table when the session is closed, keyed by:

- ``engine``: a digest of the engine's code and of this module's, so a snapshot made by a
  timingboard whose engine worked anything out differently is never used;
- ``seq`` and ``chain``: the last event it includes and that event's link in the hash chain,
  so it is used only on the very log it was made from (any event up to ``seq`` changed, and
  the chain, read in full as ever, says so);
- ``digest``: sha256 of the chain and the data, so a damaged snapshot is not read.

A snapshot that does not fit is ignored and the board is rebuilt from the log (the same board:
tests compare them). Events after ``seq`` (a session closed by a crash) are applied to it.
It is read with an unpickler that builds only the engine's own types, so a file from elsewhere
cannot run code; read by paced work (:mod:`timingboard.store.pacing`), it stops between a
car's parts and between blocks of passings for the window's turns. Its data begins with the
board's rows as they stood (:func:`board_of`), read in a few milliseconds where the engine
takes ~0.4 s at 24 hours: the window shows them first.
The events themselves stay as they are: the log is append-only, the snapshot one replaceable
row beside it.
"""

from __future__ import annotations

import copyreg
import dataclasses
import hashlib
import hmac
import io
import operator
import pickle
import sys
import threading
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from itertools import chain, count, repeat
from pathlib import Path
from typing import Any

import timingboard.engine
from timingboard.engine.car import CarTiming, Lap
from timingboard.engine.chunked import ChunkedMap, ChunkedSet
from timingboard.engine.correction_tables import CorrectionTables
from timingboard.engine.engine import Entry, PassingRecord, TimingEngine
from timingboard.engine.events import LogEntry
from timingboard.engine.lap_leaders import LapLeaders
from timingboard.engine.standings import Standing
from timingboard.store import heap
from timingboard.store.bulk import collection_paused
from timingboard.store.pacing import current, pause_point
from timingboard.store.session_file import SessionFile, snapshot_digest

__all__ = [
    "ENGINE_VERSION",
    "board_of",
    "engine_for_report",
    "engine_from",
    "fitting",
    "keep",
    "restore",
    "wanted",
]

FORMAT = 7  # 4: int columns of 4 bytes when they fit; 5: the board's rows first; 6: a car's
# passings as it packs them; 7: a block of passing records' names by column
REBUILD_SHARE = 0.5  # more of the log than this after the snapshot: rebuild instead


def _engine_version() -> str:
    """A digest of the code a snapshot's contents depend on (empty: unknown, never trusted)."""
    digest = hashlib.sha256(
        f"{FORMAT} {sys.version_info[:2]} {sys.byteorder} {array('i').itemsize}".encode()
    )
    try:
        for source in sorted(Path(timingboard.engine.__file__).parent.glob("*.py")):
            digest.update(source.name.encode() + b"\0" + source.read_bytes())
        digest.update(Path(__file__).read_bytes())
    except OSError:
        return ""
    return digest.hexdigest()


ENGINE_VERSION = _engine_version()


def _rebuilt_engine(state: dict[str, Any], leaders: tuple[Any, ...]) -> TimingEngine:
    engine = TimingEngine.__new__(TimingEngine)
    state["leaders"] = _lap_leaders(state["entries"], *leaders)
    engine.__dict__.update(state)
    engine.log = TimingEngine(engine.settings).log  # empty, of whatever kind the engine keeps
    return engine


def take_log(engine: TimingEngine, log: Sequence[LogEntry]) -> None:
    """Give an engine restored from a snapshot the log it was made of (read from the file)."""
    if engine.log:
        raise ValueError("the engine already holds events")
    engine.log.extend(log)


# A set of names is pickled in its iteration order, which follows their hashes, and a str's
# hash follows the process's hash seed (PYTHONHASHSEED): two imports of one stream kept other
# snapshot bytes. Sets are written with their members sorted, and the dicts filled in a set's
# order (caches by car, whose order means nothing) sorted by key.
_ANY_ORDER = ("_best_seen", "_unknown_laps", "_unknown_count")


class _Sorted:
    """A set to be written with its members sorted (read back as the set it was)."""

    __slots__ = ("kind", "members")

    def __init__(self, kind: type[set[Any]] | type[frozenset[Any]], members: list[Any]) -> None:
        self.kind = kind
        self.members = members


def _reduce_sorted(held: _Sorted) -> tuple[Any, ...]:
    return (held.kind, (held.members,))


def _in_order(value: Any) -> Any:
    """``value``, a set among them with its members sorted (as it is if they do not sort)."""
    if type(value) in (set, frozenset) and len(value) > 1:
        try:
            return _Sorted(type(value), sorted(value))
        except TypeError:
            return value
    return value


def _by_key(mapping: dict[Any, Any]) -> dict[Any, Any]:
    try:
        ordered = dict(sorted(mapping.items()))
    except TypeError:
        return mapping
    return ordered if type(mapping) is dict else type(mapping)(ordered)


def _reduce_sets_sorted(owner: Any) -> Any:
    """An object as it pickles by default, the sets among its fields sorted."""
    made = owner.__reduce_ex__(pickle.HIGHEST_PROTOCOL)
    state = made[2]
    if isinstance(state, tuple):
        state = tuple(
            {k: _in_order(v) for k, v in part.items()} if isinstance(part, dict) else part
            for part in state
        )
    elif isinstance(state, dict):
        state = {k: _in_order(v) for k, v in state.items()}
    return (*made[:2], state, *made[3:])


def _reduce_engine(engine: TimingEngine) -> tuple[Any, ...]:
    whole = vars(engine)
    state = {k: _in_order(v) for k, v in whole.items() if k not in ("log", "leaders")}
    for name in _ANY_ORDER:
        if type(state.get(name)) in (dict, Counter):
            state[name] = _by_key(state[name])
    return (_rebuilt_engine, (state, _leaders_data(whole["leaders"], whole["entries"])))


_record_fields = operator.attrgetter(*PassingRecord.__slots__)
_RECORD_TYPE = {PassingRecord}


def _reduce_record(record: PassingRecord) -> tuple[Any, ...]:
    return (PassingRecord, _record_fields(record))


def _reduce_lap(lap: Lap) -> tuple[Any, ...]:
    return (tuple.__new__, (Lap, tuple(lap)))  # made in C when read: 120k in a 24-hour race


# Reading a snapshot back used to hold ~2x the memory of the engine rebuilt from the log
# (measured on the 24-hour session: 113 MB against ~68 MB, with 40 MB more resident lost to
# the pickle's memo of one small tuple per passing and per lap). A rebuilt engine shares one int
# object for a passing's id and time between the log, its record, its car's passings and laps;
# pickle writes every occurrence of an int anew. So the numerous parts (each car's passings and
# laps, the chunked maps of passing ids, the lap leaders' registered times) are written as
# columns, and their ints shared again when read (``_shared``, through one table for the whole
# load), as are names (one string per car, not one per passing).
#
# A column of ints is packed (8 bytes each, one bytes object: ``_packed``), not a list: read
# back as a list, each of its ints was an object of its own, most dropped at once for the one
# the table holds, and the holes they left among those kept held the process's memory up (the
# 24 h session opened 20 MB bigger than rebuilt from its log). Unpacked, one int at a time goes
# through the table. A column of flags is packed as bytes, names as indices into their list.

_table: dict[int, int] = {}  # while a snapshot is read: one object for each int value
_counting: list[int] = []  # while a snapshot is read: 1, 2, 3, ... (lap numbers)
_reading = threading.Lock()
_TIMING_FIELDS = tuple(f.name for f in dataclasses.fields(CarTiming))
_COLUMNED = ("passings", "laps", "lap_times")
_OTHER_TIMING = tuple(name for name in _TIMING_FIELDS if name not in _COLUMNED)
_RECORD = "r"  # a block of passing records, by column
_FLAGS = "s"  # a block of a set of ids (every value True)


Column = bytes | list[Any]  # ints packed (``_packed``), or as a list when they will not pack

# Each test of a column is made at C speed (``set(map(type, ...))``, ``map`` over a dict's
# lookup): written value by value in Python, they were most of the time to keep a snapshot, and
# keeping it most of an import's time after the engine's (a 24-hour session,
# ``benchmarks/bench_import.py --stages``). A column's first byte is its width (an ``array``
# type code): 8 bytes an int, names' indices in the fewest that hold them.
_INT = {int}
_INDEX_WIDTHS = (("B", 1 << 8), ("H", 1 << 16), ("I", 1 << 32))
_INT_WIDTHS = ("i", "q")  # signed: 4 bytes (C int), then 8
_INT_CODES = "bBhHiIlLqQ"  # an array of ints


def _packed(values: Sequence[Any]) -> Column:
    """Ints as one bytes object, 4 each when they all fit (times within 24 days, passing ids:
    nearly always; the 24 h session's snapshot 9.6 -> 6.6 MB, less to write and to hash), else
    8; anything else (a None, a bool, a huge int) as it is."""
    if type(values) is array and values.typecode in _INT_CODES:  # a car's own lap times
        values = values.tolist()  # ints all, read out in one call, not one at a time
    elif values and set(map(type, values)) != _INT:
        return list(values)
    for code in _INT_WIDTHS:
        try:
            return code.encode() + array(code, values).tobytes()
        except OverflowError:
            pass
    return list(values)


def _packed_indices(at: list[int], size: int) -> bytes:
    """Indices into ``size`` distinct values, each in as few bytes as hold them all."""
    code = next((code for code, bound in _INDEX_WIDTHS if size <= bound), "Q")
    return code.encode() + array(code, at).tobytes()


def _ints(column: bytes) -> array[int]:
    values = array(chr(column[0]))
    values.frombytes(memoryview(column)[1:])
    return values


def _shared(column: Column) -> list[int]:
    """The ints of a column, each value one object for the whole load."""
    if isinstance(column, bytes):
        column = _ints(column).tolist()
    return list(map(_table.setdefault, column, column))


def _packed_numbers(numbers: Sequence[Any]) -> Column | int:
    """A car's lap numbers: how many when they count 1, 2, 3, ... (nearly always)."""
    if list(numbers) == list(range(1, len(numbers) + 1)):
        return len(numbers)
    return _packed(numbers)


def _lap_numbers(column: Column | int) -> list[int]:
    if isinstance(column, int):  # 1 to column: shared by every car
        while len(_counting) < column:
            _counting.append(len(_counting) + 1)
        return _counting[:column]
    return _shared(column)


def _packed_names(
    values: list[Any], name: Callable[[str], str] = str
) -> tuple[tuple[Any, ...], Column] | list[Any]:
    """Names (or any values that repeat) as their distinct values and the index of each in
    them; told apart by type too ("decoder" is not ``Source.DECODER``, though equal)."""
    try:
        if len(set(map(type, values))) <= 1:  # one type (nearly always): the values tell
            index = dict(zip(dict.fromkeys(values), count()))
            at = _packed_indices(list(map(index.__getitem__, values)), len(index))
            return (tuple(name(v) if type(v) is str else v for v in index), at)
        typed = list(zip(map(type, values), values, strict=True))
        kinds = dict(zip(dict.fromkeys(typed), count()))
    except TypeError:  # not hashable: as it is
        return list(values)
    distinct = tuple(name(value) if type(value) is str else value for _, value in kinds)
    return (distinct, _packed_indices(list(map(kinds.__getitem__, typed)), len(kinds)))


def _names(column: tuple[tuple[Any, ...], Column] | list[Any], size: int = -1) -> list[Any]:
    """A column of names back (``size``: its length, when it may be written as one value)."""
    if isinstance(column, tuple):
        distinct, at = column
        if len(distinct) == 1:  # the same name all along (a block of one car's, no transponder)
            if size < 0:
                size = len(at) if not isinstance(at, bytes) else len(_ints(at))
            return [distinct[0]] * size
        return list(map(distinct.__getitem__, _unpacked(at)))
    return column


def _same_all_along(values: Sequence[Any]) -> bool:
    """Whether a column holds one value of one type all along (a block's transponders, cars,
    sources: nearly always), tested in C."""
    first = values[0]
    return values.count(first) == len(values) and set(map(type, values)) == {type(first)}


def _unpacked(column: Column) -> list[int] | array[int]:
    """The ints of a column not to be shared (indices)."""
    if isinstance(column, bytes):
        return _ints(column)
    return column


def _car_timing(
    laps: tuple[Any, ...],
    passings: bytes,
    lap_times: Column | None,
    rest: tuple[Any, ...],
) -> CarTiming:
    pause_point()  # a car at a time (paced work: a window's open in its worker)
    number, time_ms, duration, passing_id, *flags = laps
    times = _shared(time_ms)
    columns = (
        _lap_numbers(number),
        times,
        list(_unpacked(duration)),
        _shared(passing_id),
        *flags,
    )
    timing = CarTiming(
        passings=_ints(passings),
        laps=list(map(tuple.__new__, repeat(Lap), zip(*columns, strict=True))),
        lap_times=array("q", times if lap_times is None else _unpacked(lap_times)),
    )
    for name, value in zip(_OTHER_TIMING, rest, strict=True):
        setattr(timing, name, value)
    return timing


def _reduce_timing(timing: CarTiming) -> tuple[Any, ...]:
    """A car's laps and passings by column, each column read in one pass: a 24-hour session's
    laps are spread over the whole heap, and each pass over them waits on memory."""
    if timing.laps:
        number, time_ms, duration, passing_id, *flags = zip(*timing.laps, strict=True)
    else:
        number = time_ms = duration = passing_id = ()
        flags = [()] * 4
    times = timing.lap_times  # nearly always the laps' times: not written twice
    same = len(times) == len(time_ms) and _all_ints(time_ms) and times == array("q", time_ms)
    # the laps' times packed from the car's own packed copy when the same (read in C, not
    # through 2,000 ints spread over the heap); its passings as it packs them (one memcpy)
    packed_times = _packed(times) if same else _packed(time_ms)
    passings = b"q" + timing.passings.tobytes()
    rest = tuple(getattr(timing, name) for name in _OTHER_TIMING)
    packed = (_packed_numbers(number), packed_times, *map(_packed, (duration, passing_id)), *flags)
    lap_times = None if same else _packed(times)
    return (_car_timing, (packed, passings, lap_times, rest))


def _all_ints(values: Sequence[Any]) -> bool:
    return set(map(type, values)) <= _INT


def _leaders_data(leaders: LapLeaders, entries: dict[str, Entry]) -> tuple[Any, ...]:
    """The lap leaders: each car's registered lap times (None: the same as its own lap times,
    nearly always), and the rest as it is."""
    registered = {}
    for key, lap_times in _by_key(leaders._registered).items():  # in the order of no set
        entry = entries.get(key)
        same = entry is not None and entry.timing.lap_times == lap_times
        registered[key] = None if same else _packed(lap_times)
    return (registered, leaders._first, _by_key(leaders.laps_led))


def _lap_leaders(
    entries: dict[str, Entry],
    registered: dict[str, Column | None],
    first: list[tuple[int, str] | None],
    laps_led: Counter[str],
) -> LapLeaders:
    leaders = LapLeaders()
    leaders._registered = {
        key: entries[key].timing.lap_times[:] if kept is None else array("q", _unpacked(kept))
        for key, kept in registered.items()
    }
    leaders._first = first
    leaders.laps_led = laps_led
    return leaders


def _chunked(
    kind: type[ChunkedMap[Any]] | type[ChunkedSet],
    blocks: list[tuple[int, str, Column, Any]],
    owned: set[int],
) -> ChunkedMap[Any] | ChunkedSet:
    made = kind()
    held: list[Any] = [None] * (max((b[0] for b in blocks), default=-1) + 1)
    for index, how, packed_keys, values in blocks:
        pause_point()  # a block at a time (paced work)
        keys = _shared(packed_keys)
        if how == _FLAGS:  # a set's block: its sorted ids
            held[index] = keys
        elif how == _RECORD:
            time_ms, names, inserted = values
            columns = [_names(column, len(keys)) for column in names]
            flags = repeat(False) if inserted is None else inserted
            records = map(PassingRecord, keys, _shared(time_ms), *columns, flags)
            held[index] = dict(zip(keys, records, strict=True))
        else:
            held[index] = dict(zip(keys, _names(values), strict=True))
    made._blocks = held
    made._owned = owned
    return made


def _chunked_set(where: bytes, sizes: bytes, ids: bytes, owned: set[int]) -> ChunkedSet:
    """A car's set of ids from its blocks' numbers, their sizes and all the ids in order."""
    pause_point()  # a car's set at a time (paced work)
    made = ChunkedSet()
    every, at = _shared(ids), 0
    held: list[list[int] | None] = [None] * (max(_ints(where), default=-1) + 1)
    for index, size in zip(_ints(where), _ints(sizes), strict=True):
        held[index] = every[at : at + size]
        at += size
    made._blocks = held
    made._owned = owned
    return made


class _Pickler(pickle.Pickler):
    """The engine without its log (the file holds that); its most numerous objects (passing
    records, laps) by their fields, so that reading them back is quick."""

    def __init__(self, out: io.BytesIO) -> None:
        super().__init__(out, protocol=pickle.HIGHEST_PROTOCOL)
        self._names: dict[str, str] = {}
        # each block of passing records' ids and owners' names as written (by block number):
        # the owners' block of the same ids nearly always names the same cars (a passing's
        # owner is the car it named), written as the very same objects (one memo reference)
        self._record_keys: dict[int, tuple[list[int], Column, list[str], Any]] = {}
        self.dispatch_table = {
            **copyreg.dispatch_table,
            TimingEngine: _reduce_engine,
            PassingRecord: _reduce_record,
            Lap: _reduce_lap,
            CarTiming: _reduce_timing,
            ChunkedMap: self._reduce_chunked,
            ChunkedSet: self._reduce_chunked,
            CorrectionTables: _reduce_sets_sorted,
            _Sorted: _reduce_sorted,
        }

    def _name(self, text: str) -> str:
        return self._names.setdefault(text, text)

    def _records(
        self, index: int, keys: list[int], records: list[PassingRecord]
    ) -> tuple[Column, tuple[Any, ...]] | None:
        """A block of passing records by column (None: its records are not those of its ids):
        its ids, times, each of the names (key, car, transponder, source) as the distinct
        ones and the index of each in them (one value alone when the same all along, as a
        block's cars, transponders and sources nearly always are), and whether each was
        inserted by hand (None: none was). Every field of the records read in one pass over
        them (a 24-hour import's are spread over the heap: each pass waits on memory), then
        a column at a time, each test made in C: a tuple of the four names a passing, hashed
        to find the distinct ones, was most of the time to keep a 24-hour session's snapshot."""
        seqs, times, *fields, inserted = zip(*map(_record_fields, records), strict=True)
        if list(seqs) != keys:
            return None
        names: list[tuple[tuple[Any, ...], Column] | list[Any]] = []
        for field in fields:
            if _same_all_along(field):
                first = field[0]
                names.append(((self._name(first) if type(first) is str else first,), b""))
            else:
                names.append(_packed_names(list(field), self._name))
        packed_keys = _packed(keys)
        if len(names[0]) == 2 and type(names[0][1]) is bytes and names[0][1]:
            self._record_keys[index] = (keys, packed_keys, list(fields[0]), names[0])
        flags = list(inserted)
        return packed_keys, (_packed(times), tuple(names), flags if any(flags) else None)

    def _owners(self, index: int, keys: list[int], values: list[Any]) -> tuple[Column, Any]:
        """An owners' block: its ids and names, as the passing records' block of the same ids
        wrote them when they are the same (nearly always), else packed here."""
        kept = self._record_keys.get(index)
        if kept is not None and kept[0] == keys and kept[2] == values:
            return kept[1], kept[3]
        names = _packed_names(values, self._name)
        if type(names) is list:
            names = [self._name(v) if type(v) is str else v for v in values]
        return _packed(keys), names

    def _reduce_chunked(self, chunked: ChunkedMap[Any] | ChunkedSet) -> tuple[Any, ...]:
        if type(chunked) is ChunkedSet:  # a car's ids: all its blocks in one column
            held = [
                (index, block) for index, block in enumerate(chunked._blocks) if block is not None
            ]
            ids = _packed(list(chain.from_iterable(block for _, block in held)))
            if type(ids) is bytes:
                where = [index for index, _ in held]
                sizes = [len(block) for _, block in held]
                return (_chunked_set, (_packed(where), _packed(sizes), ids, set(chunked._owned)))
        blocks: list[tuple[int, str, Column, Any]] = []
        for index, block in enumerate(chunked._blocks):
            if block is None:
                continue
            if isinstance(block, list):  # a set's block: its sorted ids
                blocks.append((index, _FLAGS, _packed(block), None))
                continue
            keys = list(block)
            values = list(block.values())
            if values and set(map(type, values)) == _RECORD_TYPE:
                records = self._records(index, keys, values)
                if records is not None:
                    blocks.append((index, _RECORD, *records))
                    continue
            blocks.append((index, "", *self._owners(index, keys, values)))
        return (_chunked, (type(chunked), blocks, set(chunked._owned)))


_BOARD_SIZE = 4  # bytes: the length of the board's rows, ahead of them


def engine_data(engine: TimingEngine) -> bytes:
    """The engine's state as a snapshot holds it: the board's rows (its standings, with their
    length ahead of them), then the engine."""
    out = io.BytesIO()
    pickler = _Pickler(out)
    try:
        pickler.dump(engine)
    finally:
        # The pickler is in a reference cycle (its dispatch table holds its own method) and
        # its memo holds every object pickled: left so, the engine outlived its session until
        # the GUI thread's collector found the cycle, and was freed there in one go (~200 ms
        # for a 24-hour session). Freed when its holder lets go, it can be freed in pieces.
        pickler.clear_memo()
        pickler.dispatch_table = copyreg.dispatch_table
    # after the engine: its standings fill caches of its own, not to be kept
    board = pickle.dumps(list(engine.standings()), protocol=pickle.HIGHEST_PROTOCOL)
    return len(board).to_bytes(_BOARD_SIZE, "big") + board + out.getbuffer()


_BUILTINS = {"set", "frozenset", "int", "str", "bool", "dict", "list", "tuple", "object"}
_ALLOWED_ELSEWHERE = {
    ("collections", "Counter"): Counter,
    ("collections", "defaultdict"): defaultdict,
    (__name__, "_rebuilt_engine"): _rebuilt_engine,
    (__name__, "_car_timing"): _car_timing,
    (__name__, "_chunked"): _chunked,
    (__name__, "_chunked_set"): _chunked_set,
}


def _attribute(owner: Any, name: str) -> Any:
    """``getattr`` as a snapshot may use it: for ``tuple.__new__`` only."""
    if owner is tuple and name == "__new__":
        return tuple.__new__
    raise pickle.UnpicklingError(f"a snapshot takes no {name}")


class _Unpickler(pickle.Unpickler):
    """Builds the engine's own types and plain containers, nothing else: a snapshot is data."""

    def find_class(self, module: str, name: str) -> Any:
        if module == "builtins" and name == "getattr":
            return _attribute
        if module == "builtins" and name in _BUILTINS:
            return super().find_class(module, name)
        if (module, name) in _ALLOWED_ELSEWHERE:
            return _ALLOWED_ELSEWHERE[module, name]
        if module == "copyreg" and name in ("_reconstructor", "__newobj__"):
            return super().find_class(module, name)
        if module.startswith("timingboard.engine.") and "." not in name:
            found = super().find_class(module, name)
            if isinstance(found, type):
                return found
        raise pickle.UnpicklingError(f"a snapshot holds no {module}.{name}")


def _parts(data: bytes) -> tuple[memoryview, memoryview]:
    """A snapshot's board's rows and its engine (ValueError: not of this format)."""
    view = memoryview(data)
    size = int.from_bytes(view[:_BOARD_SIZE], "big")
    if len(view) < _BOARD_SIZE + size:
        raise ValueError("a snapshot shorter than its board")
    return view[_BOARD_SIZE : _BOARD_SIZE + size], view[_BOARD_SIZE + size :]


def board_of(data: bytes) -> list[Standing] | None:
    """The board's rows a snapshot's data begins with (``fitting``'s data: checked against
    the log's chain); None if they cannot be read. A few milliseconds: what the window shows
    while the engine is read."""
    try:
        rows = _Unpickler(io.BytesIO(_parts(data)[0])).load()
    except Exception:
        return None
    if type(rows) is not list or any(type(row) is not Standing for row in rows):
        return None
    return rows


def restore(data: bytes, seq: int, log: Sequence[LogEntry] | None) -> TimingEngine | None:
    """The engine a snapshot of event ``seq`` holds, brought up to the end of ``log`` (None:
    the engine as it stood at ``seq``, with no log, for reports); None if it cannot be used."""
    if log is not None and len(log) - seq > REBUILD_SHARE * len(log):
        return None
    try:
        with _reading:
            try:
                engine = _Unpickler(io.BytesIO(_parts(data)[1])).load()
            finally:
                _table.clear()
                _counting.clear()
    except Exception:
        return None
    finally:
        heap.trim()  # what reading it used for a while
    if type(engine) is not TimingEngine or engine.seq != seq:
        return None
    if log is not None:
        take_log(engine, log[:seq])
        if len(log) > seq:
            engine.apply(log[seq:])
    return engine


def fitting(file: SessionFile) -> tuple[int, bytes] | None:
    """The file's snapshot (its seq and data) when it was made by this engine, of this log, and
    is whole; None otherwise. Whether the log itself is intact is told when it is read."""
    kept = file.snapshot()
    if kept is None or not ENGINE_VERSION:
        return None
    engine, seq, digest, data = kept
    chain = file.chain_at(seq)
    if engine != ENGINE_VERSION or chain is None or seq > file.last_seq:
        return None
    if not hmac.compare_digest(snapshot_digest(chain, data), digest):
        return None
    return seq, data


def engine_from(file: SessionFile, log: Sequence[LogEntry]) -> TimingEngine:
    """The engine of an intact ``log`` read from ``file``: from its snapshot when one fits,
    else rebuilt from scratch (the same board either way)."""
    kept = fitting(file)
    if kept is not None and len(log) == file.last_seq:
        engine = restore(kept[1], kept[0], log)
        if engine is not None:
            return engine
    if current() is None:
        return TimingEngine.from_log(file.settings, log)
    return TimingEngine.from_log(file.settings, _in_pieces(log))  # paced: a window's worker


PIECE = 2_000  # events taken between two pause points of a paced rebuild (~5 ms)


def _in_pieces(log: Sequence[LogEntry]) -> Iterator[LogEntry]:
    """The log, a pause point after each piece: a paced worker's rebuild of a long session
    (one whose snapshot does not fit) waits for free moments, and stops there once cancelled
    (its settling at the end, ~1 s of a 24 h session's, has none)."""
    for start in range(0, len(log), PIECE):
        pause_point()
        yield from log[start : start + PIECE]


def wanted(file: SessionFile, engine: TimingEngine) -> bool:
    """Whether :func:`keep` would write a snapshot: the file can be written, the engine holds
    its whole log, and the snapshot there is not already of it."""
    if file.read_only or not ENGINE_VERSION or engine.seq != file.last_seq or not engine.seq:
        return False
    return file.snapshot_key() != (ENGINE_VERSION, engine.seq)


def keep(file: SessionFile, engine: TimingEngine) -> None:
    """Keep the engine's state in its file (when the file can be written and the engine holds
    its whole log) unless the snapshot there is already of it."""
    if wanted(file, engine):
        file.keep_snapshot(ENGINE_VERSION, engine.seq, engine_data(engine))


def engine_for_report(file: SessionFile) -> TimingEngine:
    """The board at the end of ``file``'s log, for a report: from its snapshot when one fits,
    every event still checked against the chain (a damaged log raises :class:`DamagedLog` as
    :meth:`SessionFile.entries` does) but only those after the snapshot decoded and applied.

    The engine's ``log`` then holds only those: a report reads the board, not the log.
    """
    with collection_paused():
        kept = fitting(file)
        engine = restore(kept[1], kept[0], None) if kept is not None else None
        if engine is None:
            return TimingEngine.from_log(file.settings, file.entries())
        rest = list(file.entries(decode_from=engine.seq + 1))
        if rest:
            engine.apply(rest)
        return engine
