"""What a board joining late, or reconnecting, learns from the timing system's own counts.

The board sees crossings as ``$J``; the timing system also says, in ``$G``, ``$H`` and
``$RMHL``, how many laps each car has and its best lap. Where those say more than the
crossings seen here add up to, the difference goes to the engine as a report, once: a link
that never dropped sends no reports at all, so a long race's log does not grow with them.
"""

from __future__ import annotations

import bisect
import dataclasses
from dataclasses import dataclass, field

from timingboard.engine.car import SAME_CROSSING_MS
from timingboard.engine.events import BestReported, Event, LapsReported, Passing, Source
from timingboard.engine.frozen import maker
from timingboard.engine.validation import MAX_LAPS, MAX_TIME_MS

NO_TIME_MS = 3_599_999  # $H gives 59:59.999 for a car without a time
_passing = maker(Passing)  # (time_ms, key, car, transponder, source): one a $J
_FEED = Source.FEED  # a member read through its class is ten times a name's read: one a $J


@dataclass(slots=True)
class CarTrack:
    """One car's crossings as sent to the engine, and its laps as the engine will count them.

    ``laps`` may fall short of the engine's count (crossings out of order), never above it:
    a count that falls short only sends a report the engine finds it already knew.
    """

    min_lap_ms: int
    times: list[int] = field(default_factory=list)  # crossings and reported crossings, sorted
    crossed: list[int] = field(default_factory=list)  # crossings sent as passings, sorted
    laps: int = 0
    last_ms: int | None = None
    best_ms: int | None = None
    last_g: tuple[int, int] | None = None  # the last (laps, total) the timing system sent
    last_h: tuple[int, int | None] | None = None  # and (best, lap)
    best_sent: bool = False  # a best lap has been reported: later ones replace it

    def knows(self, time_ms: int, within_ms: int = 0) -> bool:
        """Has a crossing at ``time_ms`` (give or take ``within_ms``) been sent or reported?"""
        return _near(self.times, time_ms, within_ms) is not None

    def sent(self, time_ms: int) -> int | None:
        """The passing sent for the crossing at ``time_ms``, which a resend may have re-timed."""
        return _near(self.crossed, time_ms, SAME_CROSSING_MS)

    def crossing(
        self, key: str, total_ms: int, lap_ms: int | None, lap: int | None = None
    ) -> list[Event]:
        """A crossing, after a report of the one before it if that one was never seen here.

        ``lap_ms`` reaches back to the car's previous crossing; ``lap`` is its number when
        the timing system gives it (``$RMHL``).
        """
        passing = _passing(total_ms, key, "", "", _FEED)
        events: list[Event] = [passing]
        before = total_ms - lap_ms if lap_ms and lap_ms > 0 else None  # not a negative lap
        if (
            before is not None
            and before >= 0
            and _near(self.times, before, SAME_CROSSING_MS) is None
        ):
            done = lap - 1 if lap is not None and lap > 1 else None
            events.insert(0, self._reported(key, before, done))
        self._count(total_ms)
        if lap_ms and lap_ms >= self.min_lap_ms and (self.best_ms is None or lap_ms < self.best_ms):
            self.best_ms = lap_ms
        return events

    def next_crossing(self, key: str, total_ms: int, lap_ms: int) -> Passing | None:
        """:meth:`crossing` of the car's next crossing, ``lap_ms`` (above zero) after the last
        one known here (nearly every ``$J`` of a stream): its passing, which needs no report
        before it; None, with nothing changed, for any other (:meth:`sent` and
        :meth:`crossing` take it)."""
        times, crossed = self.times, self.crossed
        if not crossed or total_ms - crossed[-1] <= SAME_CROSSING_MS:  # maybe sent again
            return None
        since = total_ms - lap_ms - times[-1]  # its lap reaches back to the last known: no report
        if not 0 <= since <= SAME_CROSSING_MS:
            return None
        times.append(total_ms)  # _count, after both lists' last
        crossed.append(total_ms)
        if self.last_ms is None:
            self.last_ms = total_ms
        elif total_ms - self.last_ms >= self.min_lap_ms:
            self.laps += 1
            self.last_ms = total_ms
        if lap_ms >= self.min_lap_ms and (self.best_ms is None or lap_ms < self.best_ms):
            self.best_ms = lap_ms
        return _passing(total_ms, key, "", "", _FEED)

    def laps_report(self, key: str, laps: int | None, total_ms: int | None) -> list[Event]:
        """``$G``: a report only where the crossings seen here do not already add up to it."""
        if not laps or laps < 0 or not total_ms or total_ms < 0 or self.last_g == (laps, total_ms):
            return []
        self.last_g = (laps, total_ms)
        total_ms = self.sent(total_ms) or total_ms
        if self.last_ms is not None and total_ms < self.last_ms:
            return []  # an older count; the newer crossing has been seen
        if self.last_ms == total_ms and self.laps >= laps:
            return []
        return [self._reported(key, total_ms, laps)]

    def best_report(self, key: str, lap: int | None, best_ms: int | None) -> list[Event]:
        """``$H``: a best lap faster than any seen here was set while the board was away."""
        if not best_ms or not 0 < best_ms < NO_TIME_MS or self.last_h == (best_ms, lap):
            return []
        self.last_h = (best_ms, lap)
        if self.best_ms is not None and self.best_ms <= best_ms and not self.best_sent:
            return []  # nothing the board has not seen, and no earlier report to replace
        self.best_sent = True
        return [BestReported(key=key, lap_ms=best_ms, lap=lap if lap and lap > 0 else None)]

    def _reported(self, key: str, time_ms: int, laps: int | None) -> LapsReported:
        bisect.insort(self.times, time_ms)
        if self.last_ms is None or time_ms >= self.last_ms:
            self.last_ms = time_ms
            self.laps = max(self.laps, laps or 0)
        return LapsReported(key=key, time_ms=time_ms, laps=laps)

    def _count(self, time_ms: int) -> None:
        times, crossed = self.times, self.crossed
        if times and time_ms < times[-1]:  # as insort would; nearly always after the last
            bisect.insort(times, time_ms)
        else:
            times.append(time_ms)
        if crossed and time_ms < crossed[-1]:
            bisect.insort(crossed, time_ms)
        else:
            crossed.append(time_ms)
        if self.last_ms is None:
            self.last_ms = time_ms  # the crossing that starts the clock
        elif time_ms - self.last_ms >= self.min_lap_ms:
            self.laps += 1
            self.last_ms = time_ms


_TIME_FIELDS = ("total_ms", "lap_ms", "best_ms", "race_time_ms")
_LAP_FIELDS = ("laps", "lap", "best_lap_no")


def out_of_range(record: object) -> str:
    """Why a record's times or lap counts are beyond any session, or "".

    The engine refuses such events, and a feed batch is taken whole or not at all: one
    nonsense record must not cost the crossings that came with it.
    """
    times, laps = _checked_fields(type(record))
    for name in times:
        value = getattr(record, name, None)
        if value is not None and abs(value) > MAX_TIME_MS:
            return f"{name.removesuffix('_ms').replace('_', ' ')} beyond ten days"
    for name in laps:
        value = getattr(record, name, None)
        if value is not None and value > MAX_LAPS:
            return f"{value} laps is not a lap count"
    return ""


def _checked_fields(kind: type) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The time and lap fields a kind of record has (a ``$J`` has two of the seven)."""
    fields = _CHECKED_FIELDS.get(kind)
    if fields is None:  # not a record of ours (no fields known): look at each name
        names = (
            {f.name for f in dataclasses.fields(kind)} if dataclasses.is_dataclass(kind) else None
        )
        fields = _CHECKED_FIELDS[kind] = (
            tuple(n for n in _TIME_FIELDS if names is None or n in names),
            tuple(n for n in _LAP_FIELDS if names is None or n in names),
        )
    return fields


_CHECKED_FIELDS: dict[type, tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _near(times: list[int], time_ms: int, within_ms: int) -> int | None:
    """The time in sorted ``times`` nearest ``time_ms``, if within ``within_ms`` of it (the
    earlier of two as near)."""
    if times and time_ms >= times[-1]:  # nearly always: a car's next crossing, or its last
        return times[-1] if time_ms - times[-1] <= within_ms else None
    at = bisect.bisect_left(times, time_ms)
    near = None
    if at and time_ms - times[at - 1] <= within_ms:
        near = times[at - 1]
    after = times[at] - time_ms if at < len(times) else None
    if after is not None and after <= within_ms and (near is None or after < time_ms - near):
        near = times[at]
    return near
