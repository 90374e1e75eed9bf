"""Freeing a large object graph a piece at a time.

Dropping the last reference to a 24-hour session's engine frees ~600k objects in one go:
150 to 270 ms in which CPython runs nothing else. The GIL is held throughout, so the GUI thread
waits even when the freeing is done in a worker (measured: ``benchmarks/bench_gui_stall.py``).
Taken apart container by container, one step frees at most a few hundred small objects (well
under a millisecond); between steps the GIL passes to the GUI thread (in a worker), or the
event loop runs (on the GUI thread, :class:`timingboard.qt.gui_thread.IdleReleaser`).

Only what nothing else holds is taken apart (its reference count says so; nor anything a weak
reference points at): a part also held elsewhere is left whole to its other holder, so nobody
ever sees a container emptied under it. What is taken apart is pure data (the engine and the
store hold no Qt object).
"""

from __future__ import annotations

import sys
import time
import weakref
from collections.abc import Iterator
from typing import Any

__all__ = ["pieces", "release_in_pieces"]

SMALL = 64  # a container of this many items or fewer: each item is taken apart in turn
CHUNK = 256  # a bigger one is emptied this many items a step (its items freed whole)
_LEAVES = (int, float, str, bytes, bool, type(None))


def pieces(held: list[Any]) -> Iterator[None]:
    """Free what ``held`` holds, one small step each ``next``; ``held`` is emptied at once
    (the caller gives up those references; keep no other of them to have them freed here)."""
    stack: list[Any] = held[:]
    held.clear()
    return _steps(stack)


def _steps(stack: list[Any]) -> Iterator[None]:
    probe = object()
    alone = _count(probe)  # an object only the local name holds, counted the same way
    del probe
    while stack:
        item = stack.pop()
        if _count(item) > alone or _watched(item):
            del item  # held elsewhere too: whole, to its other holder
            continue
        kind = type(item)
        if kind is list:
            yield from _list(item, stack)
        elif issubclass(kind, dict):
            yield from _dict(item, stack)
        elif kind is set:
            while len(item) > CHUNK:
                for _ in range(CHUNK):
                    item.pop()
                yield
        elif kind.__module__.startswith("timingboard.") and not issubclass(kind, tuple):
            _take_fields(item, stack)
        del item
        yield


def release_in_pieces(held: list[Any]) -> None:
    """:func:`pieces` all at once, the GIL offered to other threads after each step (in a
    worker: the GUI thread is never kept waiting for more than a step)."""
    for _ in pieces(held):
        time.sleep(0)


def _count(item: Any) -> int:
    return sys.getrefcount(item)


def _watched(item: Any) -> bool:
    try:
        return weakref.getweakrefcount(item) > 0
    except TypeError:
        return False


def _list(items: list[Any], stack: list[Any]) -> Iterator[None]:
    if len(items) <= SMALL:
        stack.extend(items)
        items.clear()
        return
    while items:
        chunk = items[-CHUNK:]
        del items[-CHUNK:]
        stack.extend(_big(chunk))
        del chunk
        yield


def _dict(items: dict[Any, Any], stack: list[Any]) -> Iterator[None]:
    if len(items) <= SMALL:
        stack.extend(items.values())
        items.clear()
        return
    while items:
        chunk = [items.popitem()[1] for _ in range(min(CHUNK, len(items)))]
        stack.extend(_big(chunk))
        del chunk
        yield


def _big(values: list[Any]) -> list[Any]:
    """Those of ``values`` that are big containers themselves (the others go whole)."""
    return [value for value in values if type(value) in (list, dict, set) and len(value) > SMALL]


def _take_fields(item: Any, stack: list[Any]) -> None:
    """An instance of the project's own classes: its fields onto the stack."""
    fields = getattr(item, "__dict__", None)
    if type(fields) is dict:
        stack.append(fields)  # the object goes; its dict, held here now, is taken apart next
    for kind in type(item).__mro__:
        for name in kind.__dict__.get("__slots__", ()):
            if name in ("__dict__", "__weakref__"):
                continue
            value = getattr(item, name, _LEAVES)
            if value is _LEAVES or type(value) in _LEAVES:
                continue
            stack.append(value)
            try:
                object.__delattr__(item, name)
            except (AttributeError, TypeError):
                stack.pop()
