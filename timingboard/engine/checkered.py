"""Which checkered flags stand: race control takes a mistaken checkered back by throwing the
green again, and the race goes on (the finish it made is withdrawn)."""

from __future__ import annotations

from collections.abc import Sequence

from timingboard.engine.events import Flag


def standing_checkereds(flags: Sequence[tuple[int, int, Flag]]) -> list[int]:
    """The times of the checkered flags not followed by a green (``flags`` in log order of
    time, then sequence), earliest first."""
    standing: list[int] = []
    for time_ms, _seq, flag in flags:
        if flag is Flag.CHECKERED:
            standing.append(time_ms)
        elif flag is Flag.GREEN:
            standing.clear()  # the checkered before it was a mistake: the race goes on
    return standing
