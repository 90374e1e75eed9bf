"""A map and a set of passing ids whose copies share storage until written.

Replay keeps dozens of copies of the engine (checkpoints). Passing ids only grow and old
passings are seldom touched, so a copy shares the blocks of 1,024 ids it does not write: a
24-hour session's checkpoint shares ~10 MB of records and owners this way.

A copy holds its blocks in a list indexed by block number, not a dict (1 KB for the 120 blocks
of a 24-hour session instead of 4.7 KB), and a car's set of ids holds each block as a sorted
list of ints, not a dict (a car has ~17 ids a block: ~0.2 KB instead of 1.2 KB). Sixty
checkpoints of 60 cars copy 3,600 of each (measured with tracemalloc,
``benchmarks/bench.py --only memory``).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, Generic, Self, TypeVar, overload

V = TypeVar("V")
B = TypeVar("B")
BLOCK_BITS = 10
# Owning no block yet: one empty frozenset for all, made a set on the first write (a replay
# checkpoint's maps and 60 cars' sets of ids each held an empty set: 13 kB a checkpoint).
_NONE_OWNED: frozenset[int] = frozenset()


class _SharedBlocks(Generic[B]):
    """Blocks of ids by number, shared with copies; each side copies a block before writing."""

    __slots__ = ("_blocks", "_owned")

    def __init__(self) -> None:
        self._blocks: list[B | None] = []
        self._owned: set[int] | frozenset[int] = _NONE_OWNED  # blocks this one may write

    def copy(self) -> Self:
        """A copy sharing every block; both copy a block before writing it from now on."""
        twin = type(self)()
        twin._blocks = self._blocks[:]
        self._owned = _NONE_OWNED
        return twin

    def _block(self, key: int) -> B | None:
        index = key >> BLOCK_BITS
        blocks = self._blocks
        return blocks[index] if 0 <= index < len(blocks) else None

    def _writable_block(self, key: int, new: Callable[[], B], own: Callable[[B], B]) -> B:
        """The block of ``key``, made or copied first if this one may not write it yet."""
        index = key >> BLOCK_BITS
        if index < 0:
            raise KeyError(f"passing ids are never negative: {key}")
        blocks = self._blocks
        if index >= len(blocks):
            blocks.extend([None] * (index + 1 - len(blocks)))
        block = blocks[index]
        if block is None:
            block = blocks[index] = new()
        elif index not in self._owned:
            block = blocks[index] = own(block)
        owned = self._owned
        if not isinstance(owned, set):
            owned = self._owned = set()
        owned.add(index)
        return block

    def _held(self) -> list[B]:
        """The blocks there are, in id order (a copy of the list: writing meanwhile is safe)."""
        return [block for block in self._blocks if block]

    # --- a replay's checkpoints (timingboard.engine.checkpoint) --------------------------------
    # A checkpoint ends inside a block, which the engine built on from it copied to write: each
    # of the 120 checkpoints of a 24-hour session kept a block of its own in each map and set
    # (4.5 MB of records and owners, 0.9 MB of cars' ids, and every car's list of blocks, 4.6
    # MB, could not be shared). It holds the next one's longer block instead, cut back to its
    # own length when copied.

    @staticmethod
    def begins(block: B, later: B) -> bool:
        """Whether ``later`` holds ``block``'s items first, in the same order, the same objects."""
        raise NotImplementedError

    @staticmethod
    def cut(block: B, count: int) -> B:
        """The first ``count`` items of ``block``: a block of its own."""
        raise NotImplementedError

    def last_count(self) -> int:
        """How many items the last block holds (-1: none)."""
        block = self._blocks[-1] if self._blocks else None
        return -1 if block is None else len(block)  # type: ignore[arg-type]

    def hold_later(self, later: Self) -> B | None:
        """Hold ``later``'s block in place of this one's last where it begins with it (this one
        is never written again; a copy cuts it back: :meth:`cut_last`); the block it held
        (None: it kept it), which the ones before may hold too (:meth:`hold_instead`)."""
        blocks = self._blocks
        index = len(blocks) - 1
        if index < 0 or index >= len(later._blocks):
            return None
        mine, theirs = blocks[index], later._blocks[index]
        if mine is None or theirs is None or mine is theirs or not self.begins(mine, theirs):
            return None
        blocks[index] = theirs
        self._owned = _NONE_OWNED
        return mine

    def hold_instead(self, old: B, later: Self) -> bool:
        """Hold ``later``'s block in place of its last when that is ``old`` (the one after held
        it, and :meth:`hold_later` found ``later``'s begins with it); whether it did. Without
        it, checkpoints ending in one block each held a copy of it (a replay of 240 checkpoints
        of a 24-hour session held 7 MB more of them)."""
        blocks = self._blocks
        index = len(blocks) - 1
        if index < 0 or blocks[index] is not old or index >= len(later._blocks):
            return False
        new = later._blocks[index]
        if new is None:
            return False
        blocks[index] = new
        self._owned = _NONE_OWNED
        return True

    def cut_last(self, count: int) -> None:
        """The last block cut back to ``count`` items when it holds more (a checkpoint's copy
        holds its own length of the longer block it shares; see :meth:`hold_later`)."""
        blocks = self._blocks
        block = blocks[-1] if blocks else None
        if block is not None and 0 <= count < len(block):  # type: ignore[arg-type]
            blocks[-1] = self.cut(block, count)
            owned = set(self._owned)
            owned.add(len(blocks) - 1)
            self._owned = owned

    __hash__ = None  # type: ignore[assignment]


class ChunkedMap(_SharedBlocks[dict[int, V]]):
    """Like a dict of int keys (never negative); ``copy`` is cheap.

    Iterated block by block, each in the order its keys were set: for ids that only grow, as
    passing ids do, that is the order they were set, as a dict would give.
    """

    __slots__ = ()

    @staticmethod
    def begins(block: dict[int, V], later: dict[int, V]) -> bool:
        if len(block) > len(later):
            return False
        for (key, value), (later_key, later_value) in zip(
            block.items(), later.items(), strict=False
        ):
            if key != later_key or value is not later_value:
                return False
        return True

    @staticmethod
    def cut(block: dict[int, V], count: int) -> dict[int, V]:
        return dict(islice(block.items(), count))

    def __getitem__(self, key: int) -> V:
        try:
            return self._blocks[key >> BLOCK_BITS][key]  # type: ignore[index]
        except (IndexError, TypeError):  # past the last block, or a block never made
            raise KeyError(key) from None

    def get(self, key: int, default: V | None = None) -> V | None:
        index, blocks = key >> BLOCK_BITS, self._blocks  # inline: on the engine's hot path
        block = blocks[index] if 0 <= index < len(blocks) else None
        return default if block is None else block.get(key, default)

    def __contains__(self, key: object) -> bool:
        if type(key) is not int:
            return False
        index, blocks = key >> BLOCK_BITS, self._blocks
        block = blocks[index] if 0 <= index < len(blocks) else None
        return block is not None and key in block

    def __setitem__(self, key: int, value: V) -> None:
        index = key >> BLOCK_BITS
        if index in self._owned:
            self._blocks[index][key] = value  # type: ignore[index]
        else:
            self._writable_block(key, dict, dict)[key] = value

    def block_to_write(self, key: int) -> dict[int, V]:
        """The dict that holds ``key``'s block, this one's own to write (copied first if it is
        shared): the engine's intake writes a batch's ids, which come in runs of one block,
        straight into it. Good until the map is copied (``copy``): ask again after that."""
        return self._writable_block(key, dict, dict)

    def pop(self, key: int, default: V | None = None) -> V | None:
        if key not in self:
            return default
        return self._writable_block(key, dict, dict).pop(key)

    def __len__(self) -> int:
        return sum(map(len, self._held()))

    def last(self) -> V | None:
        """The value of the highest key (the one set last, for ids that only grow), or None
        when empty: the last block's end, no walk."""
        for block in reversed(self._blocks):
            if block:
                return next(reversed(block.values()))
        return None

    def __iter__(self) -> Iterator[int]:
        for block in self._held():
            yield from block

    def keys(self) -> Iterator[int]:
        return iter(self)

    def values(self) -> Iterator[V]:
        for block in self._held():
            yield from block.values()

    def items(self) -> Iterator[tuple[int, V]]:
        for block in self._held():
            yield from block.items()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ChunkedMap):
            return dict(self.items()) == dict(other.items())
        return NotImplemented


class ChunkedSet(_SharedBlocks[list[int]]):
    """A set of passing ids (one car's) whose copies share storage until written.

    Each block is a sorted list: a car's ids mostly come last, so adding one is an append.
    Iterated in ascending order.
    """

    __slots__ = ()

    @staticmethod
    def begins(block: list[int], later: list[int]) -> bool:
        return len(block) <= len(later) and later[: len(block)] == block

    @staticmethod
    def cut(block: list[int], count: int) -> list[int]:
        return block[:count]

    def blocks(self) -> list[list[int] | None]:
        """Its blocks by number (read only: a replay checkpoint shares them)."""
        return self._blocks

    def set_blocks(self, blocks: list[list[int] | None]) -> None:
        """Hold ``blocks`` (its own list; every block in it shared until written)."""
        self._blocks = blocks
        self._owned = _NONE_OWNED

    def block_to_write(self, key: int) -> list[int]:
        """The sorted list that holds ``key``'s block, this set's own to write (copied first if
        shared): the engine's intake appends a car's later ids of a batch straight to it. Good
        until the set is copied (``copy``): ask again after that."""
        return self._writable_block(key, list, list.copy)

    def add(self, key: int) -> None:
        index = key >> BLOCK_BITS
        if index in self._owned:
            block = self._blocks[index]
            assert block is not None
        else:
            block = self._writable_block(key, list, list.copy)
        if not block or key > block[-1]:
            block.append(key)
            return
        at = bisect.bisect_left(block, key)
        if block[at] != key:
            block.insert(at, key)

    def discard(self, key: int) -> None:
        if key in self:
            block = self._writable_block(key, list, list.copy)
            del block[bisect.bisect_left(block, key)]

    def __contains__(self, key: object) -> bool:
        if type(key) is not int:
            return False
        block = self._block(key)
        if not block:
            return False
        at = bisect.bisect_left(block, key)
        return at < len(block) and block[at] == key

    def __len__(self) -> int:
        return sum(map(len, self._held()))

    def __bool__(self) -> bool:
        return any(self._blocks)

    def __iter__(self) -> Iterator[int]:
        for block in self._held():
            yield from block

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ChunkedSet):
            return list(self) == list(other)
        return NotImplemented


LOG_BLOCK = 512


class SharedLog(Generic[V]):
    """A list that is only appended to (the engine's event log), whose copies share storage.

    Sealed blocks of :data:`LOG_BLOCK` items are tuples shared by every copy; what came after
    the last block is a list of this one's own (its ``tail``). A copy costs the list of blocks
    and the tail, not the 121k items of a 24-hour session: a replay seek took a copy of the
    whole log back from its checkpoint (1 ms at 24 h). ``append`` is the tail's own (C speed:
    once an event).
    """

    __slots__ = ("_blocks", "_tail", "append")
    append: Callable[[V], None]

    def __init__(self, items: Iterable[V] = ()) -> None:
        self._blocks: list[tuple[V, ...]] = []
        self._tail: list[V] = list(items)
        self.append = self._tail.append  # the tail is never replaced: this stays its own

    def extend(self, items: Iterable[V]) -> None:
        self._tail.extend(items)

    def copy(self) -> SharedLog[V]:
        """A copy sharing every full block (this one's tail is sealed into blocks first)."""
        tail = self._tail
        full = len(tail) - len(tail) % LOG_BLOCK
        if full:
            self._blocks.extend(
                tuple(tail[at : at + LOG_BLOCK]) for at in range(0, full, LOG_BLOCK)
            )
            del tail[:full]
        twin: SharedLog[V] = SharedLog(tail)
        twin._blocks = self._blocks[:]
        return twin

    def __len__(self) -> int:
        return len(self._blocks) * LOG_BLOCK + len(self._tail)

    def __iter__(self) -> Iterator[V]:
        for block in self._blocks:
            yield from block
        yield from self._tail

    @overload
    def __getitem__(self, at: int) -> V: ...
    @overload
    def __getitem__(self, at: slice) -> list[V]: ...
    def __getitem__(self, at: int | slice) -> V | list[V]:
        if isinstance(at, slice):
            return list(self)[at] if self._blocks else self._tail[at]
        sealed = len(self._blocks) * LOG_BLOCK
        index = at + len(self) if at < 0 else at
        if index < sealed:
            if index < 0:
                raise IndexError("log index out of range")
            return self._blocks[index // LOG_BLOCK][index % LOG_BLOCK]
        return self._tail[index - sealed]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SharedLog | list | tuple):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        return (SharedLog, (list(self),))

    def __repr__(self) -> str:
        return f"SharedLog({list(self)!r})"
