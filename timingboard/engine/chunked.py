"""A map from passing ids to values whose copies share storage until written.

Replay keeps dozens of copies of the engine (checkpoints). Passing ids only grow and old
passings are seldom touched, so a copy shares the blocks of 1,024 ids it does not write:
a 24-hour session's checkpoint shares ~10 MB of records and owners this way.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, Self, TypeVar

V = TypeVar("V")
BLOCK_BITS = 10


class ChunkedMap(Generic[V]):
    """Like a dict of int keys; ``copy`` is cheap.

    Iterated block by block, each in the order its keys were set: for ids that only grow, as
    passing ids do, that is the order they were set, as a dict would give.
    """

    __slots__ = ("_blocks", "_owned")

    def __init__(self) -> None:
        self._blocks: dict[int, dict[int, V]] = {}
        self._owned: set[int] = set()  # blocks this map may write without copying

    def copy(self) -> Self:
        """A copy sharing every block; both copy a block before writing it from now on."""
        twin = type(self)()
        twin._blocks = dict(self._blocks)
        self._owned = set()
        return twin

    def __getitem__(self, key: int) -> V:
        return self._blocks[key >> BLOCK_BITS][key]

    def get(self, key: int, default: V | None = None) -> V | None:
        block = self._blocks.get(key >> BLOCK_BITS)
        return default if block is None else block.get(key, default)

    def __contains__(self, key: object) -> bool:
        if type(key) is not int:
            return False
        block = self._blocks.get(key >> BLOCK_BITS)
        return block is not None and key in block

    def __setitem__(self, key: int, value: V) -> None:
        index = key >> BLOCK_BITS
        if index in self._owned:
            self._blocks[index][key] = value
        else:
            self._writable(index)[key] = value

    def pop(self, key: int, default: V | None = None) -> V | None:
        if key not in self:
            return default
        return self._writable(key >> BLOCK_BITS).pop(key)

    def _writable(self, index: int) -> dict[int, V]:
        block = self._blocks.get(index)
        if block is None:
            block = self._blocks[index] = {}
        elif index not in self._owned:
            block = self._blocks[index] = dict(block)
        self._owned.add(index)
        return block

    def __len__(self) -> int:
        return sum(map(len, self._blocks.values()))

    def __iter__(self) -> Iterator[int]:
        for block in list(self._blocks.values()):
            yield from block

    def keys(self) -> Iterator[int]:
        return iter(self)

    def values(self) -> Iterator[V]:
        for block in list(self._blocks.values()):
            yield from block.values()

    def items(self) -> Iterator[tuple[int, V]]:
        for block in list(self._blocks.values()):
            yield from block.items()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ChunkedMap):
            return dict(self.items()) == dict(other.items())
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


class ChunkedSet(ChunkedMap[bool]):
    """A set of passing ids (one car's) whose copies share storage until written."""

    __slots__ = ()

    def add(self, key: int) -> None:
        index = key >> BLOCK_BITS
        if index in self._owned:
            self._blocks[index][key] = True
        else:
            self._writable(index)[key] = True

    def discard(self, key: int) -> None:
        self.pop(key)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ChunkedSet):
            return set(self) == set(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]
