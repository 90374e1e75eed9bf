"""One car's laps, worked out from its own passings.

Everything here depends on the car's passings and a few session-wide facts (start, finish,
minimum lap time), so a late correction rebuilds one car, not the whole board.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple, overload

# A crossing the timing system reports within this of one seen here is that one.
SAME_CROSSING_MS = 1000


class PassingStatus(StrEnum):
    """What the engine made of a passing, shown in the passings log."""

    LAP = "lap"
    START = "start"
    DOUBLE_READ = "double read"
    BEFORE_START = "before green"
    AFTER_FINISH = "after finish"
    AFTER_END = "after the end"  # the session was ended before it: every result was final
    DELETED = "deleted"


class Lap(NamedTuple):
    """A completed lap. ``personal_best``: it improved the car's best valid lap when completed.

    ``timed``: ``duration_ms`` is the lap's own time. It is not when the lap was not seen, or
    when the crossings before it were missed here (the time since the last crossing seen spans
    several laps); such a lap is never a personal or session best.

    A named tuple: made once per lap (120k in a 24-hour race), ~4x faster than a frozen
    dataclass, and as immutable.
    """

    number: int
    time_ms: int
    duration_ms: int
    passing_id: int
    valid: bool = True
    personal_best: bool = False
    seen: bool = True  # False: counted by the timing system while this board was not watching
    timed: bool = True


_COUNTED = (PassingStatus.START, PassingStatus.LAP)
_make = tuple.__new__

# Lap numbers, one int object each for every car's lap of that number (past 256 Python makes
# a new int for each ``len(laps) + 1``: 100k of them, 3.3 MB, in a 24-hour race of 60 cars,
# held by each lap and by a replay's checkpoints); grown as laps are run.
_LAP_NUMBERS: list[int] = list(range(1024))


def lap_number(number: int) -> int:
    """The one int object for lap ``number`` (numbers are small and never negative)."""
    try:
        return _LAP_NUMBERS[number]
    except IndexError:
        if number < 0:
            return number
        _LAP_NUMBERS.extend(range(len(_LAP_NUMBERS), number + 1024))
        return _LAP_NUMBERS[number]


# A car's passing is kept packed as one int, ``time_ms << ID_BITS | passing id``: ordered as
# (time, id) are, and a replay seek copies a car's passings back out of its checkpoint by one
# memcpy, not a tuple's count raised for each (2.2 ms of the 120k passings at the end of a
# 24-hour log; a tuple each was also ~64 bytes against 8). Times are checked to be within ten
# days (``validation.MAX_TIME_MS``, < 2**30 ms) and passing ids are log sequence numbers.
ID_BITS = 32
_ID_MASK = (1 << ID_BITS) - 1
_NO_BOUND = 1 << 62  # beyond any time a passing may have (validation.MAX_TIME_MS)


def packed_passing(time_ms: int, passing_id: int) -> int:
    """One passing as a car keeps it (see :data:`ID_BITS`)."""
    return time_ms << ID_BITS | passing_id


def packed_passings(items: Iterable[tuple[int, int]]) -> array[int]:
    """(time ms, passing id) pairs, packed as a car keeps its passings."""
    return array("q", [time_ms << ID_BITS | pid for time_ms, pid in items])


class Crossings(Sequence[tuple[int, int]]):
    """A car's packed passings read as (time ms, passing id), in time order; not a copy."""

    __slots__ = ("_packed",)

    def __init__(self, packed: array[int]) -> None:
        self._packed = packed

    def __len__(self) -> int:
        return len(self._packed)

    @overload
    def __getitem__(self, at: int) -> tuple[int, int]: ...
    @overload
    def __getitem__(self, at: slice) -> list[tuple[int, int]]: ...
    def __getitem__(self, at: int | slice) -> tuple[int, int] | list[tuple[int, int]]:
        if isinstance(at, slice):
            return [(key >> ID_BITS, key & _ID_MASK) for key in self._packed[at]]
        key = self._packed[at]
        return key >> ID_BITS, key & _ID_MASK

    def __iter__(self) -> Iterator[tuple[int, int]]:
        for key in self._packed:
            yield key >> ID_BITS, key & _ID_MASK


@dataclass(frozen=True, slots=True)
class TimingRules:
    """The session-wide facts a car's laps depend on."""

    start_ms: int | None
    finish_ms: int | None
    min_lap_ms: int
    first_crossing_completes_lap: bool
    # The session's end (:attr:`EngineState.ended_ms`): a crossing after it counts for nothing
    # (every result is final from then, as on the results sheet; the end's own moment counts).
    ended_ms: int | None = None
    # A crossing sooner than this after the last counted one is a double read; a lap of no
    # time at all is one even with no minimum (else it could finish a race it then undoes).
    # Worked out once: every passing asks.
    shortest_lap_ms: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "shortest_lap_ms", max(1, self.min_lap_ms))

    @property
    def same_crossing_ms(self) -> int:
        """How far apart a reported crossing and one seen here may be and still be one."""
        return min(SAME_CROSSING_MS, self.min_lap_ms)


@dataclass(slots=True)
class CarTiming:
    """A car's passings in time order and what they add up to."""

    # in (time, id) order, packed (:func:`packed_passing`; read them as pairs: :attr:`crossings`)
    passings: array[int] = field(default_factory=lambda: array("q"))
    laps: list[Lap] = field(default_factory=list)
    # completion times of ``laps``, packed: a replay seek copies every car's back out of its
    # checkpoint, and a packed copy is one memcpy, not an int object's count raised for each
    lap_times: array[int] = field(default_factory=lambda: array("q"))
    status: dict[int, PassingStatus] = field(default_factory=dict)  # the ones not a LAP
    own_best: Lap | None = None  # best of the laps seen here
    finished: bool = False
    clock_from: int | None = None  # time the current lap is timed from
    origin_ms: int | None = None  # time the car's first lap was timed from
    last_seen: int | None = None  # last passing that was not ignored as a double read
    last_passing: int | None = None  # its id; None when only the timing system reported it
    reports: list[tuple[int, int, int | None]] = field(default_factory=list)  # time, seq, laps
    reported_best: tuple[int, int | None] | None = None  # the timing system's (lap ms, lap no)
    reported_lap: Lap | None = None
    unseen: list[tuple[int, int]] = field(default_factory=list)  # first and last lap not seen
    clock_seen: bool = True  # the current lap is timed from a crossing seen here (or the green)
    last_from_report: bool = False  # the last lap was timed from a crossing only reported

    def clone(self, long_lists: bool = True) -> CarTiming:
        """An independent copy; laps and passings themselves are immutable and shared.

        ``long_lists=False``: passings, laps and lap times are left empty (a replay checkpoint
        keeps them shared with its neighbours: see :mod:`timingboard.engine.checkpoint`).
        """
        return CarTiming(
            self.passings[:] if long_lists else array("q"),
            list(self.laps) if long_lists else [],
            self.lap_times[:] if long_lists else array("q"),
            dict(self.status),
            self.own_best,
            self.finished,
            self.clock_from,
            self.origin_ms,
            self.last_seen,
            self.last_passing,
            list(self.reports),
            self.reported_best,
            self.reported_lap,
            list(self.unseen),
            self.clock_seen,
            self.last_from_report,
        )

    @property
    def best(self) -> Lap | None:
        """The car's best lap: its best valid lap timed here. The one rule of bests: a lap this
        board did not see never counts as a personal, class or session best (nor as the sheet's
        fastest lap); the timing system's own best is kept apart, as :attr:`reported_better`."""
        return self.own_best

    @property
    def reported_better(self) -> Lap | None:
        """The best lap the timing system reports, when it is better than any lap timed here
        (or none was): shown as what it is, never highlighted as a best; and while there is one,
        no lap of the car is highlighted as its personal best (that was not seen here)."""
        own, reported = self.own_best, self.reported_lap
        if reported is not None and (own is None or reported.duration_ms < own.duration_ms):
            return reported
        return None

    @property
    def ranking_best(self) -> Lap | None:
        """The lap practice and qualifying rank this car by (and take gaps from): the timing
        system saw the laps this board missed, so its reported best decides the order where it
        is better; it is still not a best of this board (see :attr:`best`)."""
        return self.reported_better or self.own_best

    def add(self, time_ms: int, passing_id: int, rules: TimingRules, invalid: set[int]) -> bool:
        """Add one passing; True if it was taken at the end, False if it went in among earlier
        ones (then the laps from it on are worked out again, not the whole race)."""
        item = time_ms << ID_BITS | passing_id
        passings, reports = self.passings, self.reports  # rebuild keeps both lists
        if not passings:
            self.rebuild(rules, invalid)
        if (not passings or item > passings[-1]) and (
            not reports or time_ms > reports[-1][0] + rules.same_crossing_ms
        ):
            passings.append(item)
            self._step(time_ms, passing_id, rules, invalid)
            return True
        bisect.insort(passings, item)
        self.retime_from(time_ms, rules, invalid)
        return False

    def add_run(
        self, times: list[int], ids: list[int], rules: TimingRules, invalid: set[int]
    ) -> list[int]:
        """:meth:`add` of each of a batch's passings of this car (``times[i]`` ms, passing id
        ``ids[i]``) in turn; the indices of those that went in among earlier ones (``add``
        said False).

        A run of the car's next laps (nearly every passing of a feed) is worked out in one
        loop, its state held in locals, not a call and a dozen attribute reads a passing;
        anything else goes through :meth:`add`, as ever. The times and ids are the passings'
        own int objects (the log's), and each lap holds them as ``_step`` does: unpacked from
        one packed int, every lap held two new ones (7.3 MB of a replay's 59 MB at 24 h).
        """
        retimed: list[int] = []
        at, count = 0, len(times)
        while at < count:
            at = self._laps_run(times, ids, at, rules, invalid)
            if at < count:
                if not self.add(times[at], ids[at], rules, invalid):
                    retimed.append(at)
                at += 1
        return retimed

    def _laps_run(
        self, times: list[int], ids: list[int], at: int, rules: TimingRules, invalid: set[int]
    ) -> int:
        """The passings from ``at`` on that each complete a lap after the car's last, taken as
        :meth:`add` and :meth:`_step` take them; the index of the first that is not one (a
        crossing before the green or among earlier ones, a double read, the car's first, or
        after its finish or the session's end, or with the timing system's counts to weigh:
        :meth:`add` takes it)."""
        passings, clock_from = self.passings, self.clock_from
        if not passings or self.reports or self.finished or clock_from is None:
            return at
        start, finish, shortest = rules.start_ms, rules.finish_ms, rules.shortest_lap_ms
        ended = rules.ended_ms
        laps, lap_times = self.laps, self.lap_times
        last_item, last_seen, best = passings[-1], self.last_seen, self.own_best
        # the bounds as one test a passing: before the green, after the session's end
        lowest = -_NO_BOUND if start is None else start
        highest = _NO_BOUND if ended is None else ended
        best_ms = None if best is None else best.duration_ms
        begin, count = at, len(times)
        number = len(laps)
        numbers = _LAP_NUMBERS  # each lap's number one int for every car (see lap_number)
        if number + count - at >= len(numbers):
            lap_number(number + count - at)
        append_lap, append_time, append_passing = laps.append, lap_times.append, passings.append
        while at < count:
            time_ms, passing_id = times[at], ids[at]
            item = time_ms << ID_BITS | passing_id
            if (
                item <= last_item
                or time_ms < lowest
                or time_ms > highest
                or (last_seen is not None and time_ms - last_seen < shortest)
            ):
                break
            duration = time_ms - clock_from
            valid = passing_id not in invalid
            improved = valid and (best_ms is None or duration < best_ms)
            number += 1
            fields = (numbers[number], time_ms, duration, passing_id, valid, improved, True, True)
            lap: Lap = _make(Lap, fields)
            append_passing(item)
            append_lap(lap)
            append_time(time_ms)
            if improved:
                best, best_ms = lap, duration
            last_item = item
            last_seen = clock_from = time_ms
            at += 1
            if finish is not None and time_ms >= finish:
                self.finished = True
                break
        if at > begin:  # as _step leaves them after its last lap
            self.last_seen, self.last_passing = last_seen, laps[-1].passing_id
            self.clock_from, self.own_best = clock_from, best
            self.last_from_report = at - begin == 1 and not self.clock_seen
            self.clock_seen = True
        return at

    def retime_from(self, since_ms: int, rules: TimingRules, invalid: set[int]) -> bool:
        """Work the laps out again from the first crossing at or after ``since_ms`` only.

        For a finish that moved (what came before both the old and the new finish stands), or
        a crossing that arrived after later ones. Returns False if nothing of this car was at or
        after ``since_ms``.
        """
        cut = bisect.bisect_left(self.passings, since_ms << ID_BITS)
        if cut == len(self.passings) and not self.reports:
            return False
        if self.reports:  # counts reported by the timing system: walk it all again
            self.rebuild(rules, invalid)
            return True
        kept_laps = bisect.bisect_left(self.lap_times, since_ms)
        del self.laps[kept_laps:]
        del self.lap_times[kept_laps:]
        for item in self.passings[cut:]:
            self.status.pop(item & _ID_MASK, None)
        finish = rules.finish_ms
        self.finished = finish is not None and bool(self.laps) and self.laps[-1].time_ms >= finish
        if self.own_best is not None and self.own_best.time_ms >= since_ms:  # it was taken out
            self.own_best = self._last_best()
        self._resume(cut, rules)
        for item in self.passings[cut:]:
            self._step(item >> ID_BITS, item & _ID_MASK, rules, invalid)
        return True

    def passing_ids_since(self, since_ms: int) -> list[int]:
        """The passings :meth:`retime_from` works out again from ``since_ms`` (all of them
        with counts reported by the timing system)."""
        cut = 0 if self.reports else bisect.bisect_left(self.passings, since_ms << ID_BITS)
        return [item & _ID_MASK for item in self.passings[cut:]]

    def _resume(self, cut: int, rules: TimingRules) -> None:
        """The clock and last crossing as they stood before passing number ``cut``."""
        completes = rules.first_crossing_completes_lap and rules.start_ms is not None
        if completes:
            self.origin_ms = rules.start_ms
        elif self.origin_ms is not None and self.origin_ms >= self.passings[cut] >> ID_BITS:
            self.origin_ms = None  # the crossing that started the clock is being redone
        self.clock_from = self.laps[-1].time_ms if self.laps else self.origin_ms
        self.clock_seen = True  # without reports every crossing was seen here
        self.last_seen = self.last_passing = None
        for index in range(cut - 1, -1, -1):  # nearly always the last one kept
            item = self.passings[index]
            time_ms, passing_id = item >> ID_BITS, item & _ID_MASK
            if self.status.get(passing_id, PassingStatus.LAP) in _COUNTED:
                self.last_seen, self.last_passing = time_ms, passing_id
                break

    def rebuild(self, rules: TimingRules, invalid: set[int]) -> None:
        """Work out every lap again from the passings."""
        self.laps = []
        self.lap_times = array("q")
        self.status = {}
        self.own_best = None
        self.finished = False
        self.last_seen = self.last_passing = None
        self.unseen = []
        completes = rules.first_crossing_completes_lap and rules.start_ms is not None
        self.clock_from = rules.start_ms if completes else None
        self.origin_ms = self.clock_from
        self.clock_seen = True
        self.last_from_report = False
        reports, next_report = self.reports, 0
        for item in self.passings:
            time_ms, passing_id = item >> ID_BITS, item & _ID_MASK
            while (
                next_report < len(reports)
                and reports[next_report][0] + rules.same_crossing_ms < time_ms
            ):
                self._report(reports[next_report], rules)
                next_report += 1
            self._step(time_ms, passing_id, rules, invalid)
        for report in reports[next_report:]:
            self._report(report, rules)
        self.reported_lap = self._reported_lap()

    def _step(self, time_ms: int, passing_id: int, rules: TimingRules, invalid: set[int]) -> None:
        if rules.start_ms is not None and time_ms < rules.start_ms:
            self.status[passing_id] = PassingStatus.BEFORE_START
            return
        if self.finished:
            self.status[passing_id] = PassingStatus.AFTER_FINISH
            return
        ended = rules.ended_ms
        if ended is not None and time_ms > ended:
            self.status[passing_id] = PassingStatus.AFTER_END
            return
        if self.last_seen is not None and time_ms - self.last_seen < rules.shortest_lap_ms:
            self.status[passing_id] = PassingStatus.DOUBLE_READ
            return
        self.last_seen, self.last_passing = time_ms, passing_id
        clock_from = self.clock_from
        if clock_from is None:
            self.clock_from = self.origin_ms = time_ms
            self.clock_seen = True
            self.status[passing_id] = PassingStatus.START
            return
        # the lap it completes, worked out here and not in a call of its own: one a passing
        duration = time_ms - clock_from
        self.clock_from = time_ms
        self.last_from_report = not self.clock_seen  # the timing system's crossing: a real lap
        self.clock_seen = True
        valid = passing_id not in invalid
        best = self.own_best
        improved = valid and (best is None or duration < best.duration_ms)
        laps = self.laps
        # Lap(number, time, duration, passing, valid, personal best, seen, timed), made in C
        # (a named tuple's own __new__ is Python)
        number = len(laps) + 1
        number = _LAP_NUMBERS[number] if number < len(_LAP_NUMBERS) else lap_number(number)
        lap: Lap = _make(Lap, (number, time_ms, duration, passing_id, valid, improved, True, True))
        laps.append(lap)
        self.lap_times.append(time_ms)
        if improved:
            self.own_best = lap
        if rules.finish_ms is not None and time_ms >= rules.finish_ms:
            self.finished = True

    # --- what the timing system reported -----------------------------------------------------

    def _report(self, report: tuple[int, int, int | None], rules: TimingRules) -> None:
        """The timing system's count at a crossing: laps it counted and we did not see.

        A crossing seen here within :data:`SAME_CROSSING_MS` of the reported one is that one
        (timing systems re-time a crossing by a few ms when they resend it), unless laps that
        short count (no minimum lap time): then only one at the very same time is.
        """
        time_ms, _, laps = report
        if rules.start_ms is not None and time_ms < rules.start_ms:
            return
        if rules.ended_ms is not None and time_ms > rules.ended_ms:
            return  # counted after the session's end: the results were final
        same = self.last_seen is not None and self.last_seen >= time_ms - rules.same_crossing_ms
        if self.finished and not same:
            return  # after the crossing that finished the car; that one may still be counted
        if not same:
            self.last_seen, self.last_passing = time_ms, None
            if self.clock_from is None:
                self.origin_ms = rules.start_ms if rules.start_ms is not None else 0
            self.clock_from = time_ms
            self.clock_seen = False
            if laps is not None and laps > len(self.laps):
                self._add_unseen(laps - len(self.laps), time_ms, None)
        elif laps is not None and laps > len(self.laps):
            self._count_last_crossing_as(laps, rules.start_ms)
        if rules.finish_ms is not None and time_ms >= rules.finish_ms:
            self.finished = True

    def _count_last_crossing_as(self, laps: int, start_ms: int | None) -> None:
        """The last crossing completed lap ``laps``: the laps before it were not seen."""
        at = self.last_seen
        assert at is not None
        if self.laps and self.laps[-1].time_ms == at:  # a lap timed here: it stays, renumbered
            timed = self.laps.pop()
            self.lap_times.pop()
            missed = laps - 1 - len(self.laps)
            self._add_unseen(missed, at, None)
            if missed > 0 and not self.last_from_report:  # timed across the crossings missed
                renumbered = timed._replace(number=laps, personal_best=False, timed=False)
            else:
                renumbered = timed._replace(number=laps)
            self.laps.append(renumbered)
            self.lap_times.append(at)
            if timed is self.own_best:
                self.own_best = renumbered if renumbered.personal_best else self._last_best()
            return
        if self.last_passing is not None:
            if self.origin_ms == at:  # it started the clock here: it was already racing
                self.origin_ms = start_ms if start_ms is not None else 0
            self.status.pop(self.last_passing, None)  # now a LAP
        self._add_unseen(laps - len(self.laps), at, self.last_passing)

    def _add_unseen(self, count: int, until_ms: int, passing_id: int | None) -> None:
        """Laps counted elsewhere, all placed at the crossing that ended the last of them.

        When each was completed is not known; placing them earlier would let the finish (the
        first car to complete the race laps) depend on where it falls, and never settle.
        """
        if count <= 0:
            return
        if self.origin_ms is None:
            self.origin_ms = 0  # feeds count session time from the start
        first = len(self.laps) + 1
        for step in range(1, count + 1):
            pid = passing_id if step == count and passing_id is not None else -1
            self.laps.append(
                Lap(first + step - 1, until_ms, 0, pid, valid=False, seen=False, timed=False)
            )
            self.lap_times.append(until_ms)
        last = first + count - 1
        if self.unseen and self.unseen[-1][1] == first - 1:
            self.unseen[-1] = (self.unseen[-1][0], last)
        else:
            self.unseen.append((first, last))

    def _reported_lap(self) -> Lap | None:
        """When the timing system's best was set is not known: it counts as set first."""
        if self.reported_best is None:
            return None
        lap_ms, number = self.reported_best
        return Lap(number or 0, 0, lap_ms, -1, valid=True, personal_best=True, seen=False)

    def _last_best(self) -> Lap | None:
        """The latest lap that improved the car's best: its best lap of those seen here."""
        return next((lap for lap in reversed(self.laps) if lap.personal_best), None)

    def time_known(self, index: int) -> bool:
        """Whether lap ``index`` (from 0) was completed at ``lap_times[index]``.

        Laps counted by the timing system and not seen are all placed at the crossing that
        ended the last of them: only that last one's time is known.
        """
        times = self.lap_times
        if not 0 <= index < len(times):
            return False
        return index + 1 == len(times) or times[index + 1] != times[index]

    @property
    def crossings(self) -> Crossings:
        """The passings as (time ms, passing id), in time order (a view, not a copy)."""
        return Crossings(self.passings)

    def passing_columns(self) -> tuple[list[int], list[int]]:
        """The passings' times and ids, each a list in time order (a snapshot writes them)."""
        packed = self.passings
        return [key >> ID_BITS for key in packed], [key & _ID_MASK for key in packed]

    @property
    def last_crossing_ms(self) -> int | None:
        return self.passings[-1] >> ID_BITS if self.passings else None

    @property
    def lap_count(self) -> int:
        return len(self.laps)

    @property
    def last_lap(self) -> Lap | None:
        return self.laps[-1] if self.laps else None

    def laps_completed_by(self, time_ms: int) -> int:
        """How many laps the car had completed at ``time_ms``."""
        return bisect.bisect_right(self.lap_times, time_ms)
