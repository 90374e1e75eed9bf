"""Giving back to the system the memory a session's loading used for a while.

Loading a session (its snapshot read, its log decoded, replay checkpoints built) makes and
drops many objects on the way; glibc's allocator keeps the freed pages for later instead of
returning them, so the application stayed that much bigger for as long as it ran (measured on
the 24-hour session: 8 to 35 MB resident, ``benchmarks/bench_window.py --only resident``).
``malloc_trim`` returns them. Elsewhere (not glibc) this does nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import cache

__all__ = ["trim"]


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        found = ctypes.CDLL(None).malloc_trim  # in the C library the process runs on
    except (OSError, AttributeError, ImportError):  # musl and others have none
        return None
    found.argtypes = [ctypes.c_size_t]
    found.restype = ctypes.c_int
    return found  # type: ignore[no-any-return]


def trim() -> None:
    """Return the allocator's free pages to the system (a few ms; after a load, not often)."""
    malloc_trim = _malloc_trim()
    if malloc_trim is not None:
        malloc_trim(0)
