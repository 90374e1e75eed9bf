"""The log as it applies at a moment of the session."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from timingboard.engine.events import FlagChanged, InsertPassing, LogEntry, Passing


def entries_until(log: Iterable[LogEntry], time_ms: int) -> Iterator[LogEntry]:
    """Passings and flags up to ``time_ms``, with every competitor and correction.

    That is the corrected board at that moment: a correction made later still counts for
    the laps it touches that had been run by then.
    """
    for entry in log:
        event = entry.event
        if isinstance(event, Passing | FlagChanged | InsertPassing) and event.time_ms > time_ms:
            continue
        yield entry
