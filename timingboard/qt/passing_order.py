"""The passings log's order of one session, sorted once and filtered at each replay seek.

A replay's seek shows another state of the same log: its passings are those of the biggest
state seen so far up to the state's last event (passings are logged once and never changed),
so their order is that state's order with the later ones left out. Sorting the 120k passings of
a 24 h session again at each seek cost ~15 ms.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable

import numpy as np

from timingboard.engine.engine import TimingEngine

LONGEST_MS = 1 << 30  # 12 days: an order key (ms << 32, and the id) fits an int64 below it


class PassingOrder:
    """Order keys of a session's passings, kept for the session shown (``source``)."""

    def __init__(self, order_key: Callable[[int, int], int]) -> None:
        self._order_key = order_key
        self._source: object = None
        self._seq = -1
        self._keys = np.empty(0, dtype=np.int64)  # sorted
        self._ids = np.empty(0, dtype=np.int64)  # the passing of each key

    def of(self, source: object, engine: TimingEngine) -> tuple[array[int], np.ndarray]:
        """The sorted order keys of ``engine``'s passings (packed), and their ids (int64)."""
        if source is self._source and engine.seq <= self._seq:
            shown = self._ids <= engine.seq
            ids = self._ids[shown]
            if len(ids) == engine.passing_count():  # a state of the same log
                return _packed(self._keys[shown]), ids
        records = list(engine.passing_records())
        if records and max(r.time_ms for r in records) >= LONGEST_MS:
            keys_list = sorted(self._order_key(r.time_ms, r.seq) for r in records)
            self._source, self._seq = None, -1  # keys too big for int64: sorted each time
            return array("q", keys_list), np.array([r.seq for r in records], dtype=np.int64)
        keys = np.fromiter(
            (self._order_key(r.time_ms, r.seq) for r in records), np.int64, len(records)
        )
        ids = np.fromiter((r.seq for r in records), np.int64, len(records))
        order = np.argsort(keys, kind="stable")
        self._source, self._seq = source, engine.seq
        self._keys, self._ids = keys[order], ids[order]
        return _packed(self._keys), ids


def _packed(keys: np.ndarray) -> array[int]:
    """Order keys as the model keeps them: 8 bytes each, not a list of ints."""
    packed = array("q")
    packed.frombytes(keys.astype(np.int64).tobytes())
    return packed
