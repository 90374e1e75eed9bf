"""Maps whose copies share storage: each copy behaves as a dict of its own."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timingboard.engine.chunked import ChunkedMap, ChunkedSet

KEYS = st.integers(0, 5000)
OPS = st.lists(
    st.tuples(st.sampled_from(["set", "pop", "copy"]), st.integers(0, 3), KEYS, st.integers()),
    max_size=120,
)


@given(OPS)
def test_copies_behave_as_independent_dicts(ops: list[tuple[str, int, int, int]]) -> None:
    maps: list[ChunkedMap[int]] = [ChunkedMap()]
    dicts: list[dict[int, int]] = [{}]
    for op, which, key, value in ops:
        index = which % len(maps)
        if op == "set":
            maps[index][key] = value
            dicts[index][key] = value
        elif op == "pop":
            assert maps[index].pop(key) == dicts[index].pop(key, None)
        else:
            maps.append(maps[index].copy())
            dicts.append(dict(dicts[index]))
    for chunked, plain in zip(maps, dicts, strict=True):
        assert dict(chunked.items()) == plain
        assert sorted(chunked) == sorted(plain)
        assert len(chunked) == len(plain)
        assert all(chunked[key] == value and key in chunked for key, value in plain.items())
        assert chunked.get(-1) is None and -1 not in chunked and "1" not in chunked


def test_a_set_copy_is_independent() -> None:
    ids = ChunkedSet()
    for pid in (3, 1500, 7):
        ids.add(pid)
    twin = ids.copy()
    twin.add(9)
    ids.discard(1500)
    assert sorted(ids) == [3, 7] and sorted(twin) == [3, 7, 9, 1500]
    assert len(twin) == 4 and 1500 in twin and 1500 not in ids


def test_growing_ids_come_back_in_the_order_they_were_set() -> None:
    ids: ChunkedMap[str] = ChunkedMap()
    for pid in range(0, 5000, 7):
        ids[pid] = str(pid)
    assert list(ids) == list(range(0, 5000, 7))


@given(OPS)
def test_set_copies_behave_as_independent_sets(ops: list[tuple[str, int, int, int]]) -> None:
    chunked: list[ChunkedSet] = [ChunkedSet()]
    plain: list[set[int]] = [set()]
    for op, which, key, _ in ops:
        index = which % len(chunked)
        if op == "set":
            chunked[index].add(key)
            plain[index].add(key)
        elif op == "pop":
            chunked[index].discard(key)
            plain[index].discard(key)
        else:
            chunked.append(chunked[index].copy())
            plain.append(set(plain[index]))
    for ids, expected in zip(chunked, plain, strict=True):
        assert list(ids) == sorted(expected)  # ascending, whatever order they came in
        assert len(ids) == len(expected) and bool(ids) == bool(expected)
        assert all(key in ids for key in expected)
        assert -1 not in ids and "1" not in ids and 5001 not in ids


def test_a_negative_id_is_refused_not_wrapped_round() -> None:
    ids: ChunkedMap[str] = ChunkedMap()
    ids[5] = "five"
    with pytest.raises(KeyError):
        ids[-1] = "minus one"
    with pytest.raises(KeyError):
        ids[-1]
    assert ids.get(-1) is None and dict(ids.items()) == {5: "five"}


def test_a_key_popped_gives_its_value_and_its_copy_keeps_it() -> None:
    original: ChunkedMap[str] = ChunkedMap()
    original[7] = "seven"
    twin = original.copy()
    assert original.pop(7) == "seven" and 7 not in original
    assert original.pop(7, "gone") == "gone"
    assert twin[7] == "seven"


def test_a_block_to_write_is_its_own_and_a_copy_keeps_what_it_had() -> None:
    made: ChunkedMap[str] = ChunkedMap()
    made[5] = "a"
    twin = made.copy()
    block = made.block_to_write(7)  # shared with the twin since the copy: copied first
    block[7] = "b"
    assert dict(made.items()) == {5: "a", 7: "b"}
    assert dict(twin.items()) == {5: "a"}
    made.block_to_write(3000)[3000] = "c"  # a block not made yet
    assert made[3000] == "c" and 3000 not in twin


def test_a_sets_block_to_write_is_its_own_and_a_copy_keeps_what_it_had() -> None:
    made = ChunkedSet()
    made.add(5)
    twin = made.copy()
    block = made.block_to_write(7)  # shared with the twin since the copy: copied first
    block.append(7)  # as the intake appends a car's later id of the block
    assert list(made) == [5, 7]
    assert list(twin) == [5]
    made.block_to_write(3000).append(3000)  # a block not made yet
    assert 3000 in made and 3000 not in twin
    made.add(6)  # the block is still the set's own, kept sorted
    assert list(made) == [5, 6, 7, 3000]
