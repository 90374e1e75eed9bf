"""The board read: the narrow, read-only API of :class:`~timingboard.engine.TimingEngine` for
everything outside the engine (rows and order, a car's label, driver, laps and crossings, the lap
of a passing, laps not seen, what remains, lap leaders' charts, what was logged), so no outer
layer reaches into the engine's entries, timing or correction tables. Nothing here changes what
the board shows; containers are given as read-only views or copies. Outside ``engine/`` only
the settings, ``seq`` and ``clock_ms`` are read as attributes (tests/test_architecture.py holds
every outer module to that)."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import NamedTuple, Protocol

from timingboard.engine.car import Lap, PassingStatus
from timingboard.engine.classes import ClassPlace, class_names
from timingboard.engine.corrections import in_force
from timingboard.engine.events import (
    CompetitorSet,
    Correction,
    DeletePassing,
    Flag,
    InsertPassing,
    ResultsDeclared,
)
from timingboard.engine.race_trace import Caution, caution_laps, cautions, lap_gaps, lap_positions
from timingboard.engine.records import PassingRecord
from timingboard.engine.rows import gap, still_out
from timingboard.engine.settle import Settling
from timingboard.engine.standings import Gap, Standing, laps_in_ranges

UNKNOWN_DRIVER = "unknown car"  # the driver shown for a car not on the entry list


class PassingCorrected(NamedTuple):
    """What the corrections in force did to one passing."""

    reassigned: bool
    lap_invalidated: bool
    deleted: bool


class LoggedRecord(Protocol):
    """A passing as logged, for reading only: what :meth:`BoardReading.passing_records` hands
    out. Those are the engine's own records, not copies (copying the 121k of a 24-hour session
    for the passings log's order took 150 ms of CPU on the GUI thread), so the type has no
    setters: mypy, in the suite, refuses a change to one outside the engine. (Not a decoder's
    record: a P3 decoder's passing is :class:`timingboard.feeds.p3_parser.PassingRecord`.)"""

    @property
    def seq(self) -> int: ...
    @property
    def time_ms(self) -> int: ...
    @property
    def key(self) -> str: ...
    @property
    def car(self) -> str: ...
    @property
    def transponder(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def inserted(self) -> bool: ...


class LoggedPassing(NamedTuple):
    """A passing as logged, read: a copy that cannot be changed, so a caller holding it cannot
    change the engine's own record (the board is worked out from that)."""

    seq: int
    time_ms: int
    key: str
    car: str
    transponder: str
    source: str
    inserted: bool

    @classmethod
    def of(cls, record: PassingRecord) -> LoggedPassing:
        return cls(
            record.seq,
            record.time_ms,
            record.key,
            record.car,
            record.transponder,
            record.source,
            record.inserted,
        )


class BoardReading(Settling):
    """Reads the board, a car and the session; changes nothing."""

    # --- reading the board -------------------------------------------------------------------

    def standings(self) -> list[Standing]:
        return [self.standing(key) for key in self._order]

    def order(self) -> list[str]:
        return list(self._order)

    def laps(self, key: str) -> list[Lap]:
        return list(self.entries[key].timing.laps)

    def passing_status(self, passing_id: int) -> PassingStatus:
        owner = self._owner.get(passing_id)
        if owner is None:
            return PassingStatus.DELETED
        return self.entries[owner].timing.status.get(passing_id, PassingStatus.LAP)

    # --- reading one car: the narrow API for everything outside the engine ------------------

    def cars(self) -> list[str]:
        """Every car the board has a row for (entered, or seen in passings), as they came."""
        return list(self.entries)

    def has_car(self, key: str) -> bool:
        return key in self.entries

    def car_label(self, key: str) -> str:
        """The car number shown for a car (an unknown car's as read)."""
        return self.entries[key].label

    def competitor_of(self, key: str) -> CompetitorSet | None:
        """A car's entry as it stands; None for a car seen in passings but not entered."""
        return self.entries[key].competitor

    def driver_label(self, key: str, unknown: str = UNKNOWN_DRIVER) -> str:
        """The driver's name, or ``unknown`` for a car not on the entry list."""
        competitor = self.entries[key].competitor
        return competitor.driver if competitor else unknown

    def car_class(self, key: str) -> str:
        """A car's class; "" when it has none or is not entered."""
        competitor = self.entries[key].competitor
        return competitor.car_class if competitor else ""

    def car_laps(self, key: str) -> Sequence[Lap]:
        """A car's laps, not copied (read them before the next batch; :meth:`laps` copies)."""
        return self.entries[key].timing.laps

    def lap_completion_times(self, key: str) -> Sequence[int]:
        """When each of a car's laps was completed, not copied."""
        return self.entries[key].timing.lap_times

    def lap_count(self, key: str) -> int:
        """Laps completed, before lap penalties (the row's ``laps`` has them taken off)."""
        return self.entries[key].timing.lap_count

    def last_lap(self, key: str) -> Lap | None:
        return self.entries[key].timing.last_lap

    def best_lap(self, key: str) -> Lap | None:
        """The car's best valid lap seen here (the timing system's reported best aside)."""
        return self.entries[key].timing.best

    def has_finished(self, key: str) -> bool:
        return self.entries[key].timing.finished

    def last_seen_ms(self, key: str) -> int | None:
        """When the car last crossed the line (a double read not counted)."""
        return self.entries[key].timing.last_seen

    def crossings(self, key: str) -> Sequence[tuple[int, int]]:
        """The car's passings as (time ms, passing id), in time order, not copied."""
        return self.entries[key].timing.crossings

    def laps_completed_by(self, key: str, time_ms: int) -> int:
        """How many laps the car had completed at ``time_ms`` (penalties not taken off)."""
        return self.entries[key].timing.laps_completed_by(time_ms)

    def lap_penalty(self, key: str) -> int:
        return self.tables.lap_penalty.get(key, 0)

    def laps_not_seen(self, key: str) -> tuple[tuple[int, int], ...]:
        """The laps the timing system counted for a car while this board did not see them, as
        (first, last) lap numbers."""
        return tuple(self.entries[key].timing.unseen)

    def laps_not_seen_total(self, keys: Iterable[str] | None = None) -> int:
        """How many laps the timing system counted that this board did not see, over ``keys``
        (default every car; keys of cars not on the board count none)."""
        entries = self.entries
        chosen = entries if keys is None else (k for k in keys if k in entries)
        return sum(laps_in_ranges(entries[key].timing.unseen) for key in chosen)

    def lap_of_passing(self, passing_id: int) -> Lap | None:
        """The lap a passing completed; None when it completed none (a start, a double read,
        deleted). Live it is nearly always one of the car's last laps; else found by its time."""
        owner = self._owner.get(passing_id)
        if owner is None or owner not in self.entries:
            return None
        timing = self.entries[owner].timing
        laps = timing.laps
        for lap in reversed(laps[-3:]):
            if lap.passing_id == passing_id:
                return lap
        time_ms = self.passings[passing_id].time_ms
        index = bisect.bisect_left(timing.lap_times, time_ms)
        while index < len(laps) and timing.lap_times[index] == time_ms:
            if laps[index].passing_id == passing_id:
                return laps[index]
            index += 1
        return None

    def gap(self, key: str, ref: str, classification: bool = False) -> Gap | None:
        """How far ``key`` is behind ``ref`` (a car ranked ahead of it); None when it is not.

        ``classification``: laps down are the difference in laps now, as on a results sheet;
        else as on the board (see :mod:`~timingboard.engine.rows`).
        """
        return gap(self, key, ref, classification)

    def passing_corrected(self, passing_id: int) -> PassingCorrected:
        """What corrections in force did to a passing (for the passings log)."""
        tables = self.tables
        return PassingCorrected(
            reassigned=passing_id in tables.reassigned,
            lap_invalidated=passing_id in tables.invalid,
            deleted=passing_id in tables.deleted,
        )

    # --- reading what was logged: views and copies, never the engine's own containers ------

    def passing(self, passing_id: int) -> LoggedPassing:
        """A passing as logged, as a copy nothing can change (KeyError when there is none of
        that id)."""
        return LoggedPassing.of(self.passings[passing_id])

    def has_passing(self, passing_id: int) -> bool:
        return passing_id in self.passings

    def started_ms(self) -> int | None:
        """When the session began: the green, else its first crossing (session time); None
        before either (a practice or a feed's session may have no green)."""
        start = self.start_ms
        return start if start is not None else self.zero_ms

    def passing_count(self) -> int:
        """Passings read (fed and typed, counted or not) and passings inserted by a correction
        in force: an insert undone takes its passing out of the count again."""
        inserts = sum(1 for c in self.corrections.values() if isinstance(c, InsertPassing))
        return len(self.passings) - inserts + len(self.tables.inserted)

    def deleted_passing_count(self) -> int:
        """Passings logged that a correction in force deleted: not counted any more."""
        return sum(1 for pid in self.tables.deleted if pid in self.passings)

    def deleted_passing_count_by(self, operator: str) -> int:
        """Passings deleted by a correction in force that ``operator`` made (the timing
        system's re-timings are a deletion and an insertion each, not an operator's deletion)."""
        if not self.tables.deleted:
            return 0
        made = {
            seq: c.passing_id
            for seq, c in self.corrections.items()
            if isinstance(c, DeletePassing) and c.operator == operator
        }
        standing = in_force(self.corrections) if made else set()
        deleted = {pid for seq, pid in made.items() if seq in standing}
        return sum(1 for pid in deleted if pid in self.tables.deleted and pid in self.passings)

    def deleted_by(self, passing_id: int) -> str | None:
        """The operator whose deletion of the passing is in force ("" if unnamed), or None."""
        if passing_id not in self.tables.deleted:
            return None
        standing = in_force(self.corrections)
        for seq in sorted(standing, reverse=True):
            c = self.corrections[seq]
            if isinstance(c, DeletePassing) and c.passing_id == passing_id:
                return c.operator
        return ""

    def passing_ids(self) -> Iterator[int]:
        """The ids of every passing logged, in the order they were logged."""
        return iter(self.passings)

    def last_passing_source(self) -> str | None:
        """Where the passing logged last came from ("feed", "decoder", "manual"); None before
        any (the title's "recorded from a feed": no dict walk, the log's end only)."""
        last = self.passings.last()
        return None if last is None else last.source

    def passing_records(self) -> Iterator[LoggedRecord]:
        """Every passing as logged, in the order they were logged: the engine's own records,
        read only (:class:`LoggedRecord`); :meth:`passing` gives a copy of one."""
        return self.passings.values()

    def entry_list(self) -> Mapping[str, CompetitorSet]:
        """Each entered car's entry as it stands, by car key, in the order they were entered:
        a read-only view that follows the next batch."""
        return MappingProxyType(self.competitors)

    def assigned_transponders(self) -> Mapping[str, str]:
        """The car each transponder was assigned to by the operator (right-click ▸ Assign this
        transponder to a car), in force: a read-only view."""
        return MappingProxyType(self.tables.transponders)

    def transponders_of(self, key: str) -> tuple[str, ...]:
        """A car's transponders now: its entry's (less one assigned to another car since), then
        those assigned to it (the Entries tab listed only the entry's: an assignment was not
        shown)."""
        assigned = self.tables.transponders
        competitor = self.competitors.get(key)
        own = competitor.transponders if competitor is not None else ()
        kept = tuple(t for t in own if assigned.get(t, key) == key)
        return kept + tuple(t for t, k in assigned.items() if k == key and t not in own)

    def is_entered(self, key: str) -> bool:
        """Whether a car is on the entry list (a car only seen in passings is not)."""
        return key in self.competitors

    def logged_corrections(self) -> Mapping[int, Correction]:
        """Every correction and revert logged, in force or not, by seq, in log order: a
        read-only view."""
        return MappingProxyType(self.corrections)

    def flag_changes(self) -> tuple[tuple[int, int, Flag], ...]:
        """Each flag shown, as (time ms, seq, flag), in the order they were shown."""
        return tuple(self.flags)

    @property
    def all_in(self) -> bool:
        """Whether the session is over and every car is in: it was ended (:attr:`ended_ms`), or
        its finish came (:attr:`over`) and no car is still out (:func:`rows.still_out`: it
        has not taken the flag). One home for FINISHED in the title and "Finished" in the
        header; between the checkered and this, they read CHECKERED. A record of an earlier
        day finished with no end logged (:func:`~timingboard.engine.long_past.settle_record`)
        reads as ended, as it always did."""
        if self.ended_ms is not None or self.record_over:
            return True
        if self.finish_ms is None:
            return False
        return not any(still_out(self, key) for key in self.board_order)

    def results_declared(self) -> bool:
        """Whether the results were declared official."""
        return bool(self.declarations)

    def first_declaration(self) -> tuple[int, ResultsDeclared] | None:
        """The declaration that made the results official (later ones change nothing); None
        while they are provisional."""
        return self.declarations[0] if self.declarations else None

    def session_best_lap(self) -> tuple[str, Lap] | None:
        """The best valid lap of the session and the car that set it (the first to set it on a
        tie); None before anyone has."""
        return self.session_best

    def class_place(self, key: str) -> ClassPlace:
        """Where a car on the board stands in its class (KeyError for a car not on it)."""
        return self.class_places[key]

    # --- reading the session -------------------------------------------------------------------

    def car_classes(self) -> list[str]:
        """The classes of the entry list, in the order they first appear."""
        return class_names(c.car_class for c in self.competitors.values())

    def has_classes(self) -> bool:
        """Whether the field is split in two classes or more (places in class mean something)."""
        return len(self.car_classes()) > 1

    def has_pit_data(self) -> bool:
        """Whether any pit-lane crossing was seen or marked by hand."""
        return bool(self.pit_events or self.tables.pit_marks)

    def has_sector_data(self) -> bool:
        return bool(self.sector_events)

    def leader_laps(self) -> int:
        """The laps the car at the top of the board has completed (0 on an empty board)."""
        order = self._order
        return self.standing(order[0]).laps if order else 0

    def laps_to_go(self) -> int | None:
        """What remains of a race run to laps: the distance less the leader's laps (never below
        0); None when the session is not one. One rule for the header, the wall, the live page
        and the RMonitor heartbeat."""
        settings = self.settings
        if not (settings.is_race and settings.race_laps):
            return None
        return max(0, settings.race_laps - self.leader_laps())

    def time_to_go_ms(self, now_ms: int) -> int | None:
        """What remains of a session run to time at ``now_ms``: its duration less the time since
        the start (never below 0); None when it has no duration or has not started."""
        duration, start = self.settings.race_duration_ms, self._rules.start_ms
        if not duration or start is None:
            return None
        return max(0, start + duration - now_ms)

    def leader_time_of_lap(self, lap: int) -> int | None:
        """When the first car completed lap ``lap``; None when none has."""
        return self.leaders.first_time(lap)

    def lap_positions(self, laps: Sequence[tuple[int, int]]) -> list[int]:
        """A car's position at each of its (lap number, completion time): the lap chart."""
        return lap_positions(self.leaders, laps)

    def lap_gaps(self, laps: Sequence[tuple[int, int]]) -> list[int]:
        """Milliseconds behind the first car to complete each of a car's laps."""
        return lap_gaps(self.leaders, laps)

    def caution_laps(self) -> list[tuple[int, int, Flag]]:
        """Runs of the leader's laps (first, last, flag) run under caution or red."""
        return caution_laps(self.leaders, self.flags, self._rules.start_ms)

    def cautions(self, runs: Sequence[tuple[int, int, Flag]] | None = None) -> list[Caution]:
        """The cautions as a box score counts them (a yellow that became full course is one);
        of ``runs`` when :meth:`caution_laps` was read already (~7 ms for a 24 h race)."""
        return cautions(self.caution_laps() if runs is None else runs)

    def first_crossing_ms(self) -> int | None:
        """The first passing of any car, counted or not."""
        times = [e.timing.crossings[0][0] for e in self.entries.values() if e.timing.passings]
        return min(times, default=None)

    def last_lap_completed_ms(self) -> int | None:
        """When the last lap of any car was completed."""
        times = [e.timing.lap_times[-1] for e in self.entries.values() if e.timing.lap_times]
        return max(times, default=None)
