"""Intake: each logged event goes into the state it belongs to, and notes in a :class:`Pending`
what it leaves to settle. A passing that comes after the car's others (nearly always, live) is
added to the car's laps straight away; anything else is left to the settling of the batch."""

from __future__ import annotations

import bisect
import sys
from collections.abc import Iterable

from timingboard.engine.car import CarTiming, TimingRules
from timingboard.engine.chunked import BLOCK_BITS
from timingboard.engine.events import (
    BestReported,
    CompetitorSet,
    Correction,
    EditEntry,
    FlagChanged,
    InsertPassing,
    LapsReported,
    LogEntry,
    Passing,
    PitLane,
    ResultsDeclared,
    SectorCrossing,
    SessionEnded,
    SettingsChanged,
)
from timingboard.engine.finish import FlagsAndFinish
from timingboard.engine.pending import Pending
from timingboard.engine.records import PassingRecord
from timingboard.engine.scope import correction_scope, reaches_transponders


class Intake(FlagsAndFinish):
    """Takes logged events in, one at a time, in log order."""

    def _take_all(self, entries: Iterable[LogEntry], p: Pending, bulk: bool) -> None:
        """A batch, as :meth:`_take` takes each of its events in turn.

        A passing (nearly every event of a feed) is taken in place, with what it looks up
        looked up once for the batch: its source's one string, and, when it names an entered
        car that already has a row and nothing asks for its owner to be worked out later,
        that car's row and laps. Whatever else comes goes through :meth:`_take`; it may turn
        the later passings of the batch to the settling (``scope_passings``), as ever.

        Such a passing's lap is worked out with the car's others of the batch, in one call
        (:meth:`CarTiming.add_run`), before anything else is taken and at the batch's end: a
        car's laps depend on its own passings alone, and the rules and invalid laps stand
        until the batch settles, so each car's laps come out as one ``add`` a passing gave.
        """
        take, log_append, passings = self._take, self.log.append, self.passings
        owners, rows, competitors = self._owner, self.entries, self.competitors
        # the rules and the invalid laps change only when a batch is settled
        rules, invalid = self._rules, self.tables.invalid
        new_passing, crossed, rebuild = p.new_passings.add, p.crossed.append, p.rebuild
        sources: dict[object, str] = {}
        # the passings' and owners' block being written, by block number: ids come in runs of
        # a block, each written in place rather than through ChunkedMap.__setitem__; asked for
        # again after anything else ran (which might copy the maps)
        at_passings = at_owners = -1
        passings_block: dict[int, PassingRecord] = {}
        owners_block: dict[int, str | None] = {}
        # each car's block of passing ids being written: (block number, its sorted ids); a
        # car's id after its last of the block is appended in place, not through
        # ChunkedSet.add (one call a passing); dropped after anything else ran, as above
        id_blocks: dict[str, tuple[int, list[int]]] = {}
        # the last event's number and the clock kept here, written back before anything else
        # runs and when the batch ends or fails (two attributes read and written a passing)
        last, clock = self.seq, self.clock_ms
        # each car's passings whose laps are still to work out (their times and ids: the very
        # int objects the log holds, which its laps then share), and which of them came before
        # the latest passing (by car, their indices: few), taken before anything else
        runs: dict[str, tuple[CarTiming, list[int], list[int]]] = {}
        late: dict[str, list[int]] = {}
        held = True  # False while something else runs: what it leaves in them stands
        # whether passings go to the settling: changed only by what _take takes
        later = bulk or p.resolve_all or p.corrections
        try:
            for entry in entries:
                seq, event = entry
                if type(event) is not Passing:
                    if runs:
                        _add_runs(runs, late, p, rules, invalid)
                    self.seq, self.clock_ms, held = last, clock, False
                    take(entry, p, bulk)
                    last, clock, held = self.seq, self.clock_ms, True
                    later = bulk or p.resolve_all or p.corrections
                    at_passings = at_owners = -1
                    id_blocks.clear()
                    continue
                if seq <= last:
                    raise ValueError(f"event {seq} is not after event {last}")
                last = seq
                log_append(entry)
                time_ms, key = event.time_ms, event.key
                source = sources.get(event.source)
                if source is None:
                    source = sources[event.source] = sys.intern(str(event.source))
                record = PassingRecord(seq, time_ms, key, event.car, event.transponder, source)
                if seq >> BLOCK_BITS != at_passings:
                    passings_block = passings.block_to_write(seq)
                    at_passings = seq >> BLOCK_BITS
                passings_block[seq] = record
                is_latest = time_ms > clock
                if is_latest:
                    clock = time_ms
                new_passing(seq)
                if later:
                    p.scope_passings.add(seq)
                    continue
                row = rows.get(key) if key and key in competitors else None
                if row is None:  # found by number or transponder, or a row to make: the long way
                    # (it makes a row, or reads the entry list: no car's laps, held or not, and
                    # copies no map, so the blocks being written stay this engine's own; asked
                    # for again, a decoder's passing each, they were a quarter of a replay seek)
                    self.seq, self.clock_ms, held = last, clock, False
                    key = self._resolve(record)
                    row = self._ensure_entry(key, record)
                    last, clock, held = self.seq, self.clock_ms, True
                ids = id_blocks.get(key)
                if ids is not None and ids[0] == seq >> BLOCK_BITS and seq > ids[1][-1]:
                    ids[1].append(seq)
                else:
                    id_block = row.passing_ids.block_to_write(seq)
                    row.passing_ids.add(seq)
                    id_blocks[key] = (seq >> BLOCK_BITS, id_block)
                if seq >> BLOCK_BITS != at_owners:
                    owners_block = owners.block_to_write(seq)
                    at_owners = seq >> BLOCK_BITS
                owners_block[seq] = key
                crossed(key)
                if key in rebuild:
                    continue
                run = runs.get(key)
                if run is None:
                    run = runs[key] = (row.timing, [], [])
                run[1].append(time_ms)
                run[2].append(seq)
                if not is_latest:
                    late.setdefault(key, []).append(len(run[1]) - 1)
        finally:
            if runs:  # also when a later event fails: what came before it is taken, as ever
                _add_runs(runs, late, p, rules, invalid)
            if held:
                self.seq, self.clock_ms = last, clock

    def _take(self, entry: LogEntry, p: Pending, bulk: bool) -> None:
        if entry.seq <= self.seq:
            raise ValueError(f"event {entry.seq} is not after event {self.seq}")
        self.seq = entry.seq
        self.log.append(entry)
        event = entry.event
        if isinstance(event, Passing):
            self._take_passing(entry.seq, event, p, bulk)
        elif isinstance(event, FlagChanged):
            self._take_flag(entry.seq, event, p)
        elif isinstance(event, CompetitorSet):
            self._registered[event.key] = (entry.seq, event)
            if event.key in self._edits:  # weighed against the edits in force in _settle
                p.reregistered = True
            else:
                self._take_competitor(event, p)
        elif isinstance(event, SettingsChanged):
            self.settings = event.settings
            p.rebuild_all = True
        elif isinstance(event, LapsReported | BestReported | PitLane):
            self._take_report(entry.seq, event, p)
        elif isinstance(event, SectorCrossing):
            self._take_sector(entry.seq, event, p)
        elif isinstance(event, Correction):
            self._take_correction(entry.seq, event, p)
        elif isinstance(event, ResultsDeclared):
            self.declarations.append((entry.seq, event))
        elif isinstance(event, SessionEnded):
            self._take_end(event, p)

    def _take_passing(self, seq: int, event: Passing, p: Pending, bulk: bool) -> None:
        source = sys.intern(str(event.source))  # one "decoder", not one a passing: 6.7 MB at 24 h
        record = PassingRecord(seq, event.time_ms, event.key, event.car, event.transponder, source)
        self.passings[seq] = record
        is_latest = event.time_ms > self.clock_ms
        self.clock_ms = max(self.clock_ms, event.time_ms)
        p.new_passings.add(seq)
        if bulk or p.resolve_all or p.corrections:
            p.scope_passings.add(seq)
            return
        key = self._resolve(record)
        entry = self._ensure_entry(key, record)
        entry.passing_ids.add(seq)
        self._owner[seq] = key
        p.crossed.append(key)
        if key in p.rebuild:
            return
        if not entry.timing.add(event.time_ms, seq, self._rules, self.tables.invalid):
            p.retimed.add(key)
            is_latest = False
        p.appended.add(key)
        (p.latest if is_latest else p.not_latest).add(key)

    def _take_end(self, event: SessionEnded, p: Pending) -> None:
        """The first end counts (a feed may say it again); it changes no lap, only how final
        each car's result reads, so every row is read again."""
        self.clock_ms = max(self.clock_ms, event.time_ms)
        if self._ended_ms is None:
            self._ended_ms = event.time_ms
            p.ended = True

    def _take_flag(self, seq: int, event: FlagChanged, p: Pending) -> None:
        bisect.insort(self.flags, (event.time_ms, seq, event.flag))
        self.clock_ms = max(self.clock_ms, event.time_ms)
        p.flag_changed = True
        if self._rules_from_flags() != self._rules:
            p.rebuild_all = True

    def _take_competitor(self, event: CompetitorSet, p: Pending) -> None:
        old = self.competitors.get(event.key)
        if old == event:
            return
        self.competitors[event.key] = event
        p.competitors_changed = True
        entry = self._ensure_entry(event.key, None)
        if old is None:  # its first registration (taken in log order on every path)
            entry.arrival = self.seq
        entry.competitor = event
        entry.label = event.car
        p.rekey.add(event.key)
        if old is None and (event.key in self.reports or event.key in self.reported_bests):
            p.rebuild.add(event.key)
        self._has_classes = any(c.car_class for c in self.competitors.values())
        if old is None or old.car != event.car or old.transponders != event.transponders:
            self._index_competitors()
            p.resolve_all = True

    def _take_report(
        self, seq: int, event: LapsReported | BestReported | PitLane, p: Pending
    ) -> None:
        """What the timing system counted, or a pit-lane crossing: kept by car, in time order."""
        key = event.key
        if isinstance(event, BestReported):
            self.reported_bests[key] = (event.lap_ms, event.lap)
        else:
            self.clock_ms = max(self.clock_ms, event.time_ms)
            table: dict = self.reports if isinstance(event, LapsReported) else self.pit_events
            value = event.laps if isinstance(event, LapsReported) else event.entered
            table[key] = tuple(sorted((*table.get(key, ()), (event.time_ms, seq, value))))
        if key in self.entries:
            (p.rekey if isinstance(event, PitLane) else p.rebuild).add(key)

    def _take_sector(self, seq: int, event: SectorCrossing, p: Pending) -> None:
        key = event.key
        self.clock_ms = max(self.clock_ms, event.time_ms)
        crossing = (event.time_ms, seq, event.sector)
        self.sector_events[key] = tuple(sorted((*self.sector_events.get(key, ()), crossing)))
        if event.sector + 1 > self.sector_count:
            self.sector_count = event.sector + 1
            p.sectors |= set(self.sector_events)
        p.sectors.add(key)

    def _take_correction(self, seq: int, event: Correction, p: Pending) -> None:
        self.corrections[seq] = event
        p.corrections = True
        if isinstance(event, EditEntry):
            self._edits[event.key] = (*self._edits.get(event.key, ()), seq)
        if isinstance(event, InsertPassing):
            record = PassingRecord(seq, event.time_ms, key=event.key, source="correction")
            record.inserted = True
            self.passings[seq] = record
            p.new_passings.add(seq)
            # not the clock's: a correction tells of the past and never moves ``clock_ms`` (the
            # latest moment the timing reached). An insert at 2:00:00 made at 0:12 and undone
            # held the clock there for good (reopened too): every car typed after it was
            # stamped 2:00:00, a "double read" of the one before
        passings, keys = correction_scope(seq, self.corrections)
        p.scope_passings |= passings
        p.rekey |= keys
        if reaches_transponders(seq, self.corrections):
            p.resolve_all = True


def _add_runs(
    runs: dict[str, tuple[CarTiming, list[int], list[int]]],
    late: dict[str, list[int]],
    p: Pending,
    rules: TimingRules,
    invalid: set[int],
) -> None:
    """Each car's passings held by :meth:`Intake._take_all` added to its laps, and noted as
    one ``add`` a passing notes them: appended, after the latest passing or not (one that
    went in among the car's earlier ones is neither: retimed), then let go."""
    for key, (timing, times, ids) in runs.items():
        retimed = timing.add_run(times, ids, rules, invalid)
        p.appended.add(key)
        before = late.get(key)
        if retimed:
            p.retimed.add(key)
        if retimed or before:
            p.not_latest.add(key)
        if len(times) > len(set(retimed).union(before or ())):
            p.latest.add(key)
    runs.clear()
    late.clear()
