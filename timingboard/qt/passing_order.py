"""The passings log's order of one session, sorted once and filtered at each replay seek.

A replay's seek shows another state of the same log: its passings are those of the biggest
state seen so far up to the state's last event (passings are logged once and never changed),
so their order is that state's order with the later ones left out. Sorting the 120k passings of
a 24 h session again at each seek cost ~15 ms. A seek beyond the biggest state so far merges in
the passings logged since, not all of them again; a replay read in a worker has its whole log
sorted there (:meth:`PassingOrder.of_log`), so that no seek merges (a seek far ahead, the
first one above all, took ~40 ms of the window's thread reading and merging its passings).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from itertools import islice
from typing import Any, Protocol

import numpy as np

from timingboard.engine.engine import TimingEngine
from timingboard.engine.events import InsertPassing, LogEntry, Passing

LONGEST_MS = 1 << 30  # 12 days: an order key (ms << 32, and the id) fits an int64 below it


class PassingOrder:
    """Order keys of a session's passings, kept for the session shown (``source``)."""

    def __init__(self, order_key: Callable[[Any, Any], Any]) -> None:
        self._order_key = order_key  # of ints, and of int64 arrays alike
        self._source: object = None
        self._seq = -1
        self._keys = np.empty(0, dtype=np.int64)  # sorted
        self._ids = np.empty(0, dtype=np.int64)  # the passing of each key
        self._last_id = -1  # the latest passing kept (the last of the log order)

    def of(self, source: object, engine: TimingEngine) -> tuple[array[int], np.ndarray]:
        """The sorted order keys of ``engine``'s passings (packed), and their ids (int64)."""
        if source is self._source and engine.seq <= self._seq:
            shown = self._ids <= engine.seq
            ids = self._ids[shown]
            if len(ids) == engine.passing_count():  # a state of the same log
                return _packed(self._keys[shown]), ids
        elif source is self._source and self._extended(engine):
            return _packed(self._keys), self._ids
        records = list(engine.passing_records())
        times, ids = _columns(records)
        if records and int(times.max()) >= LONGEST_MS:
            keys_list = sorted(self._order_key(r.time_ms, r.seq) for r in records)
            self._source, self._seq = None, -1  # keys too big for int64: sorted each time
            return array("q", keys_list), ids
        keys = self._order_key(times, ids)
        order = np.argsort(keys, kind="stable")
        self._source, self._seq = source, engine.seq
        self._keys, self._ids = keys[order], ids[order]
        self._last_id = int(ids[-1]) if len(ids) else -1
        return _packed(self._keys), ids

    def of_log(self, source: object, log: Sequence[LogEntry]) -> None:
        """Keep the order of every passing of a replay's whole ``log`` (it never changes): each
        state shown of it is then a filter of it (a passing's id is its event's number; a
        state whose passings are not those, an insert undone, is sorted as ever)."""
        times, ids = [], []
        for seq, event in log:
            if type(event) is Passing or type(event) is InsertPassing:
                times.append(event.time_ms)
                ids.append(seq)
        if not log or (times and max(times) >= LONGEST_MS):
            return
        times_array, ids_array = np.array(times, np.int64), np.array(ids, np.int64)
        keys = self._order_key(times_array, ids_array)
        order = np.argsort(keys, kind="stable")
        self._source, self._seq = source, log[-1].seq
        self._keys, self._ids = keys[order], ids_array[order]
        self._last_id = ids[-1] if ids else -1

    def _extended(self, engine: TimingEngine) -> bool:
        """A later state of the same log (a seek beyond the furthest so far): its passings
        are those kept and the ones logged since, merged in; the others are not read again
        (all 120k of a 24 h log took ~50 ms). False when it is not such a state."""
        kept = len(self._ids)
        if kept:  # in log order, as kept
            last = next(islice(engine.passing_records(), kept - 1, kept), None)
            if last is None or last.seq != self._last_id:
                return False
        new = list(islice(engine.passing_records(), kept, None))
        times, ids = _columns(new)
        if new and (int(ids.min()) <= self._seq or int(times.max()) >= LONGEST_MS):
            return False
        if kept + len(new) != engine.passing_count():
            return False
        keys = self._order_key(times, ids)
        order = np.argsort(keys, kind="stable")
        keys, ids = keys[order], ids[order]
        at = np.searchsorted(self._keys, keys)
        self._keys, self._ids = np.insert(self._keys, at, keys), np.insert(self._ids, at, ids)
        self._seq = engine.seq
        if new:
            self._last_id = new[-1].seq
        return True


class _Logged(Protocol):
    """What the order is made of, of each passing as logged."""

    @property
    def time_ms(self) -> int: ...

    @property
    def seq(self) -> int: ...


def _columns(records: Sequence[_Logged]) -> tuple[np.ndarray, np.ndarray]:
    """The passings' times and ids (int64)."""
    times = np.fromiter((r.time_ms for r in records), np.int64, len(records))
    return times, np.fromiter((r.seq for r in records), np.int64, len(records))


def _packed(keys: np.ndarray) -> array[int]:
    """Order keys as the model keeps them: 8 bytes each, not a list of ints."""
    packed = array("q")
    packed.frombytes(keys.astype(np.int64).tobytes())
    return packed
