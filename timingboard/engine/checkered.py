"""Which finishes stand: race control takes a mistaken finish back by throwing the green again,
and the race goes on (the finish it made is withdrawn: every car runs on, its next crossings
laps). The one home of that rule for the engine's finish, and so for everything that reads it
(each car's finished status, FINISHED and CHECKERED, the flags a finished session refuses)."""

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


def distance_finish_stands(finish_ms: int, flags: Sequence[tuple[int, int, Flag]]) -> bool:
    """Whether a finish by the race's distance (the leader completing its laps, or its first
    lap after its time) at ``finish_ms`` stands: no green was thrown after it. The board shows
    that finish as the checkered (:mod:`~timingboard.engine.flag_shown`), and a green thrown
    after it reopens the race as it does after a checkered thrown; one at that very moment was
    thrown before it (a flag thrown at the finish's moment gives way to the checkered)."""
    return not any(flag is Flag.GREEN and time_ms > finish_ms for time_ms, _seq, flag in flags)
