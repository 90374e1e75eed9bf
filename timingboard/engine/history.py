"""The board at T, corrected: every correction counts, even one made after T.

One of the two meanings of "the board at T", and named so nobody mixes them:

- :func:`corrected_log_at` (here; ``timingboard results --at``): the laps run by T, scored with
  every correction in the log, including those made later (a penalty given at the end counts).
- :class:`timingboard.engine.replay.ReplayTimeline` (``timingboard replay --at``): the board
  exactly as it stood at T, with only the corrections made by then.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from timingboard.engine.events import (
    EndSession,
    FlagChanged,
    InsertPassing,
    LogEntry,
    Passing,
    SessionEnded,
)


def corrected_log_at(log: Iterable[LogEntry], time_ms: int) -> Iterator[LogEntry]:
    """Passings, flags and the session's end up to ``time_ms``, with every competitor and
    correction.

    That is the corrected board at that moment: a correction made later still counts for
    the laps it touches that had been run by then; an end that came later had not.
    """
    timed = Passing | FlagChanged | SessionEnded | InsertPassing | EndSession
    for entry in log:
        event = entry.event
        if isinstance(event, timed) and event.time_ms > time_ms:
            continue
        yield entry
