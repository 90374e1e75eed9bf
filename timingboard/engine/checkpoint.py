"""Replay checkpoints that share the session's growing lists with one another.

A checkpoint keeps a copy of the engine's small state (rows, ranks, corrections) and, for
each list that grows with the session (each car's passings, laps and lap times, the lap
leaders' record of those and the first of each lap), only a length into a list it shares
with the checkpoints before and after it. Those lists almost only grow, so sixty checkpoints
of a 24-hour session hold about one copy of them instead of sixty (a copy each held 155 MB).
Taking a checkpoint back into an engine copies each list's prefix once: the laps a list of
objects (1-2.5 ms at 24 h), the passings and lap times packed ints (one memcpy each).
The log is kept in sealed blocks every copy shares (:class:`~timingboard.engine.chunked.
SharedLog`): taken back whole, it costs its list of blocks, not a copy of its events.

The maps and sets by passing id (records, owners, each car's ids) share their blocks of 1,024
ids; a checkpoint ends inside one, which the engine built on from it wrote a copy of. It holds
that longer copy instead, cut back to its own length when copied (a block each, and each car's
list of blocks, were 10 MB over the 120 checkpoints of a 24-hour session), as do the ones before
it that ended in that block too (7 MB over 240), and shares its
small state (each car's passing statuses, the names and positions) with the checkpoint before
when equal (3.7 MB more).
"""

from __future__ import annotations

import operator
from array import array
from collections.abc import Iterator, MutableSequence
from typing import Any

from timingboard.engine.chunked import ChunkedMap, ChunkedSet
from timingboard.engine.engine import TimingEngine

# Laps are compared by identity: the engine tells a car's best lap by ``is``, so a restored
# lap list must hold the very objects the rest of the state refers to.
_BY_IDENTITY = frozenset({"laps", "ids"})
# What a checkpoint's engine holds in place of a long list it keeps shared: one empty tuple
# for all (an empty list each was 10 kB a checkpoint of 60 cars); it is never read.
_KEPT_APART: Any = ()


# The engine's small state a checkpoint shares with the one before when it is equal (a copy
# copies each of them anyway): dicts and sets of names, ids and numbers, none holding a lap
# (laps are told apart by identity, not equality). Each car's status of its passings was
# 3.7 MB over the 120 checkpoints of a 24-hour session, the same as the last one's 4 in 5.
_ALIKE = (
    "competitors",
    "_registered",
    "_edits",
    "flags",
    "_by_car",
    "_by_transponder",
    "_position",
    "_stale",
    "reports",
    "reported_bests",
    "pit_events",
    "sector_events",
    "live_gaps",
)
_ALIKE_TIMING = ("status", "reports", "unseen")


def _share_alike(engine: TimingEngine, before: TimingEngine) -> None:
    """Let ``engine`` hold ``before``'s small state where it is equal (neither is changed)."""
    state, earlier = vars(engine), vars(before)
    for name in _ALIKE:
        value, old = state.get(name), earlier.get(name)
        if value is not old and type(value) is type(old) and value == old:
            state[name] = old
    entries = before.entries
    for key, entry in engine.entries.items():
        was = entries.get(key)
        if was is None:
            continue
        timing, old_timing = entry.timing, was.timing
        for name in _ALIKE_TIMING:
            value, old = getattr(timing, name), getattr(old_timing, name)
            if value is not old and value == old:
                setattr(timing, name, old)


# A long list: a list, or packed ints (each car's lap times and the lap leaders' copy of them,
# copied back by one memcpy)
Items = MutableSequence[Any]


class SharedPrefix:
    """The first ``length`` items of ``base``; whoever shares ``base`` only ever extends it."""

    __slots__ = ("base", "length")

    def __init__(self, base: Items, length: int) -> None:
        self.base = base
        self.length = length

    @classmethod
    def of(cls, items: Items, like: SharedPrefix | None, by_identity: bool) -> SharedPrefix:
        """``items`` as a prefix of ``like``'s list when it is one (extending that list past
        its end if need be), else ``items`` itself, which no one may change from now on."""
        if like is not None:
            base, n = like.base, len(items)
            if n <= len(base):
                if _same(base[:n], items, by_identity):
                    return cls(base, n)
            elif _same(base, items[: len(base)], by_identity):
                base.extend(items[len(base) :])  # every sharer reads only up to its own length
                return cls(base, n)
        return cls(items, len(items))  # the engine it came from is taken over: not copied

    def items(self) -> Items:
        """A list of its own, to be changed freely."""
        return self.base[: self.length]


def _same(a: Items, b: Items, by_identity: bool) -> bool:
    if len(a) != len(b):
        return False
    if by_identity:
        return all(map(operator.is_, a, b))
    return a == b


Slot = tuple[str, str]  # (what, car key): ("firsts", ""), ("laps", "31"), ...


def _long_lists(engine: TimingEngine) -> Iterator[tuple[Slot, Items]]:
    yield ("firsts", ""), engine.leaders.firsts()
    for key, entry in engine.entries.items():
        timing = entry.timing
        yield ("passings", key), timing.passings
        yield ("laps", key), timing.laps
        yield ("lap_times", key), timing.lap_times
        yield ("ids", key), entry.passing_ids.blocks()  # a list of blocks (of its passing ids)
    for key, times in engine.leaders.registered().items():
        if not _as_lap_times(engine, key):
            yield ("registered", key), times


def _as_lap_times(engine: TimingEngine, key: str) -> bool:
    """Whether the lap leaders hold a car's lap times as the car does (nearly always): put back
    as a copy of them, which costs a fifth of a copy of its own (the times are in the cache)."""
    entry = engine.entries.get(key)
    return entry is not None and engine.leaders.registered()[key] == entry.timing.lap_times


def _put_back(engine: TimingEngine, slot: Slot, items: Any) -> None:
    what, key = slot
    if what == "firsts":
        engine.leaders.set_firsts(items)
    elif what == "registered":
        engine.leaders.set_registered(key, items)
    elif what == "ids":
        engine.entries[key].passing_ids.set_blocks(items)
    else:
        setattr(engine.entries[key].timing, what, items)


def _maps(engine: TimingEngine) -> list[ChunkedMap[Any]]:
    """The engine's maps by passing id (its records and their owners), in a fixed order."""
    return [value for value in vars(engine).values() if isinstance(value, ChunkedMap)]


def _hold_later(kept: SharedPrefix, blocks: Items) -> None:
    """The shared list of a car's blocks of ids holds, in place of the last of ``kept``, the
    longer block ``blocks`` has there when it begins with it: then ``blocks`` extends it."""
    base, index = kept.base, kept.length - 1
    if 0 <= index < len(blocks) and index < len(base):
        mine, theirs = base[index], blocks[index]
        if mine is not None and theirs is not None and ChunkedSet.begins(mine, theirs):
            base[index] = theirs


def _hold_instead(earlier: Checkpoint | None, at: int, old: Any, later: ChunkedMap[Any]) -> None:
    """The checkpoints before that held ``old`` as the last block of their map number ``at``
    hold ``later``'s longer block there instead (each cuts it back to its own length)."""
    while earlier is not None and earlier._skeleton is not None:
        if not _maps(earlier._skeleton)[at].hold_instead(old, later):
            return
        earlier = earlier._before


class Checkpoint:
    """The engine at one point of the log, sharing its long lists with the ``like`` before.

    Each long list is kept as a base list and a length (parallel to the slots, which are
    the ``like``'s own when the same cars are entered: nearly always), not as a dict of
    :class:`SharedPrefix` (27 kB a checkpoint of 60 cars).
    """

    __slots__ = ("_bases", "_before", "_ends", "_lengths", "_skeleton", "_slots", "_synced", "seq")

    def __init__(self, engine: TimingEngine, like: Checkpoint | None = None) -> None:
        """Keep ``engine`` as it stands; it is taken over (no longer to be used or changed)."""
        synced = tuple(k for k in engine.leaders.registered() if _as_lap_times(engine, k))
        near = like.lists() if like is not None else {}
        slots: list[Slot] = []
        shared: list[SharedPrefix] = []
        # the length of the last block of each set of ids (then of each map): a copy cuts back
        # the longer block the one before holds of this one's (ChunkedSet.hold_later)
        ends = array("i")
        for slot, items in _long_lists(engine):
            slots.append(slot)
            kept = near.get(slot)
            if slot[0] == "ids":
                last = items[-1] if items else None
                ends.append(-1 if last is None else len(last))
                if kept is not None:
                    _hold_later(kept, items)
            else:
                ends.append(-1)
            shared.append(SharedPrefix.of(items, kept, slot[0] in _BY_IDENTITY))
        maps = _maps(engine)
        ends.extend(chunked.last_count() for chunked in maps)
        if like is not None and like._skeleton is not None:
            for at, (before, after) in enumerate(zip(_maps(like._skeleton), maps, strict=True)):
                old = before.hold_later(after)
                if old is not None:
                    _hold_instead(like._before, at, old, after)
        self._ends = ends
        same = like is not None and like._slots == tuple(slots)
        self._slots: tuple[Slot, ...] = like._slots if like is not None and same else tuple(slots)
        self._synced: tuple[str, ...] = (
            like._synced if like is not None and like._synced == synced else synced
        )
        self._bases = tuple(s.base for s in shared)
        self._lengths = array("q", [s.length for s in shared])
        for slot in self._slots:
            _put_back(engine, slot, _KEPT_APART)
        for key in self._synced:
            engine.leaders.set_registered(key, _KEPT_APART)
        if like is not None and like._skeleton is not None:
            _share_alike(engine, like._skeleton)
        self._skeleton: TimingEngine | None = engine
        # the checkpoint before, which may end in the block this one's next does (hold_later)
        self._before: Checkpoint | None = like
        self.seq = engine.seq

    def lists(self) -> dict[Slot, SharedPrefix]:
        """Where each long list of the engine is kept (read only)."""
        return {
            slot: SharedPrefix(base, length)
            for slot, base, length in zip(self._slots, self._bases, self._lengths, strict=True)
        }

    def take(self) -> TimingEngine:
        """The engine, whole again; the checkpoint is spent (use :meth:`copy` to keep it).

        A copy, not the engine kept: its small state may be shared with its neighbours'."""
        engine = self.copy()
        self._skeleton = None
        return engine

    def copy(self) -> TimingEngine:
        """An engine of its own as the checkpoint stood; the checkpoint is kept."""
        if self._skeleton is None:
            raise RuntimeError("this checkpoint was taken already")
        engine = self._skeleton.clone(long_lists=False)
        self._fill(engine)
        return engine

    def _fill(self, engine: TimingEngine) -> None:
        ends = self._ends
        for slot, base, length, end in zip(
            self._slots, self._bases, self._lengths, ends, strict=False
        ):
            items = base[:length]
            if end >= 0:  # a car's blocks of ids: the last one its own length
                last = items[-1]
                if last is not None and end < len(last):
                    items[-1] = last[:end]
            _put_back(engine, slot, items)
        for chunked, end in zip(_maps(engine), ends[len(self._slots) :], strict=True):
            chunked.cut_last(end)
        for key in self._synced:
            engine.leaders.set_registered(key, engine.entries[key].timing.lap_times[:])
