"""The timing engine: the board as a pure function of the session's event log.

Events are applied in batches; each batch updates only what it touches and reports a
:class:`BoardChange`. :meth:`TimingEngine.from_log` rebuilds everything from scratch, and must give
the identical board (the tests prove it over random sessions).
"""

from __future__ import annotations

import bisect
import copy
import sys
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from timingboard.engine.car import CarTiming, Lap, PassingStatus, TimingRules
from timingboard.engine.chunked import ChunkedMap, ChunkedSet
from timingboard.engine.classes import ClassPlace, class_places
from timingboard.engine.corrections import CorrectionTables, in_force, tables_from
from timingboard.engine.events import (
    BestReported,
    CompetitorSet,
    Correction,
    EditEntry,
    Flag,
    FlagChanged,
    InsertPassing,
    LapsReported,
    LogEntry,
    Passing,
    PitLane,
    ResultsDeclared,
    SectorCrossing,
    SettingsChanged,
)
from timingboard.engine.lap_leaders import LapLeaders
from timingboard.engine.ranking import NO_GRID, RankKey, best_lap_key, race_key
from timingboard.engine.rows import build_row
from timingboard.engine.scope import correction_scope, reaches_transponders
from timingboard.engine.sectors import CarSectors, car_sectors, session_bests
from timingboard.engine.settings import SessionSettings
from timingboard.engine.standings import BoardChange, RowOp, Standing, order_ops
from timingboard.engine.validation import validate_event

UNKNOWN_PREFIX = "?"


@dataclass(slots=True)
class PassingRecord:
    """A passing as logged, and (for the passings log) where it went."""

    seq: int
    time_ms: int
    key: str = ""
    car: str = ""
    transponder: str = ""
    source: str = ""
    inserted: bool = False


@dataclass(slots=True)
class Entry:
    """A row of the board: a registered competitor, or an unknown car seen in passings."""

    key: str
    arrival: int
    competitor: CompetitorSet | None = None
    label: str = ""
    timing: CarTiming = field(default_factory=CarTiming)
    passing_ids: ChunkedSet = field(default_factory=ChunkedSet)

    def clone(self, long_lists: bool = True) -> Entry:
        return Entry(
            self.key,
            self.arrival,
            self.competitor,
            self.label,
            self.timing.clone(long_lists),
            self.passing_ids.copy(),
        )

    @property
    def grid(self) -> tuple[int, int]:
        """Starting order: the grid slot, then registration order; unknown cars by first passing."""
        if self.competitor is None:
            return (NO_GRID, min(self.passing_ids, default=0))
        grid = self.competitor.grid
        return (grid if grid is not None else NO_GRID, self.arrival)


@dataclass(slots=True)
class _Pending:
    """What a batch of events left to settle."""

    appended: set[str] = field(default_factory=set)
    latest: set[str] = field(default_factory=set)  # appended after every other passing
    not_latest: set[str] = field(default_factory=set)  # appended before someone's last crossing
    retimed: set[str] = field(default_factory=set)  # a crossing went in among its earlier ones
    rebuild: set[str] = field(default_factory=set)
    sectors: set[str] = field(default_factory=set)  # cars with a new sector-line crossing
    rekey: set[str] = field(default_factory=set)
    crossed: list[str] = field(default_factory=list)
    new_passings: set[int] = field(default_factory=set)
    scope_passings: set[int] = field(default_factory=set)
    rebuild_all: bool = False
    resolve_all: bool = False
    corrections: bool = False
    flag_changed: bool = False
    competitors_changed: bool = False
    reregistered: bool = False  # an edited car registered again
    unknown_laps_changed: bool = False


class TimingEngine:
    """Standings, laps and flags of one session, kept up to date event by event."""

    def __init__(self, settings: SessionSettings) -> None:
        self.settings = settings
        self.seq = 0
        self.clock_ms = 0
        self.log: list[LogEntry] = []
        self.entries: dict[str, Entry] = {}
        self.competitors: dict[str, CompetitorSet] = {}  # each car's entry as it stands
        self._registered: dict[str, tuple[int, CompetitorSet]] = {}  # its last registration
        self._edits: dict[str, tuple[int, ...]] = {}  # the EditEntry corrections of a car
        self.passings: ChunkedMap[PassingRecord] = ChunkedMap()
        self.corrections: dict[int, Correction] = {}
        self.tables = CorrectionTables()
        self.flags: list[tuple[int, int, Flag]] = []
        self.leaders = LapLeaders()
        self.session_best: tuple[str, Lap] | None = None
        self._rules = TimingRules(None, None, settings.min_lap_ms, False)
        self._owner: ChunkedMap[str | None] = ChunkedMap()
        self._by_car: dict[str, str] = {}
        self._by_transponder: dict[str, str] = {}
        self._rank: dict[str, RankKey] = {}
        self._best_seen: dict[str, Lap | None] = {}
        self._order: list[str] = []
        self._position: dict[str, int] = {}
        self._reranked: set[str] = set()
        self._previous_best: dict[str, Lap | None] = {}
        self._rows: dict[str, Standing] = {}
        self._stale: set[str] = set()  # rows that may differ from the state; built when read
        self.reports: dict[str, tuple[tuple[int, int, int | None], ...]] = {}
        self.reported_bests: dict[str, tuple[int, int | None]] = {}
        self.pit_events: dict[str, tuple[tuple[int, int, bool], ...]] = {}
        self.sector_events: dict[str, tuple[tuple[int, int, int], ...]] = {}
        self.sector_count = 0  # sectors of the lap: the highest sector line seen, plus one
        self.car_sectors: dict[str, CarSectors] = {}
        self.sector_bests: tuple[tuple[int, str] | None, ...] = ()
        self.class_places: dict[str, ClassPlace] = {}
        self._has_classes = False
        self.declarations: list[tuple[int, ResultsDeclared]] = []  # (seq, event), in log order
        self.live_gaps: set[str] = set()  # rows whose gap depends on laps run after their own
        self.zero_ms: int | None = None  # what totals are timed from: see _session_zero
        self._unknown_laps: dict[str, frozenset[int]] = {}  # laps whose time is not known
        self._unknown_count: Counter[int] = Counter()  # lap number -> cars not timed on it
        self._led_cache: tuple[int, dict[str, int]] | None = None

    # --- reading the board -------------------------------------------------------------------

    @classmethod
    def from_log(cls, settings: SessionSettings, log: Iterable[LogEntry]) -> TimingEngine:
        """Build the board from scratch: take in the whole log, then work everything out once."""
        engine = cls(settings)
        pending = _Pending(rebuild_all=True, resolve_all=True, corrections=True)
        for entry in log:
            engine._take(entry, pending, bulk=True)
        engine._settle(pending)
        return engine

    def clone(self, long_lists: bool = True) -> TimingEngine:
        """An independent copy of the whole state, for replay checkpoints.

        Containers are copied; what they hold (events, laps, records, rows) is immutable and shared,
        so a copy costs references, not objects; passing records, owners and laps by lap number
        are shared until written (a replay keeps dozens of copies). ``long_lists=False`` leaves
        the lists that grow with the session empty (the log, each car's passings, laps and lap
        times, the lap leaders' copy of those): :class:`~timingboard.engine.checkpoint.Checkpoint`
        keeps them shared between checkpoints and puts them back.
        """
        twin = TimingEngine.__new__(TimingEngine)
        shared = {"settings", "seq", "clock_ms", "session_best", "_rules"}
        for name, value in vars(self).items():
            if name in shared:
                setattr(twin, name, value)
            elif name == "log" and not long_lists:
                twin.log = []
            elif name == "entries":
                twin.entries = {key: entry.clone(long_lists) for key, entry in value.items()}
            elif name == "leaders":
                twin.leaders = value.clone(long_lists)
            elif name == "tables":
                twin.tables = copy.deepcopy(value)
            elif isinstance(value, ChunkedMap):
                setattr(twin, name, value.copy())
            else:
                setattr(twin, name, copy.copy(value))
        return twin

    def standings(self) -> list[Standing]:
        return [self.standing(key) for key in self._order]

    def order(self) -> list[str]:
        return list(self._order)

    @property
    def board_order(self) -> Sequence[str]:
        """The keys in board order, not copied (for the hot path; do not change it)."""
        return self._order

    def standing(self, key: str) -> Standing:
        """The row of one car, worked out when first read after a change (at display pace)."""
        if key in self._stale:
            self._rows[key] = build_row(self, key, self._position[key])
            self._stale.discard(key)
        return self._rows[key]

    def laps(self, key: str) -> list[Lap]:
        return list(self.entries[key].timing.laps)

    def passing_status(self, passing_id: int) -> PassingStatus:
        owner = self._owner.get(passing_id)
        if owner is None:
            return PassingStatus.DELETED
        return self.entries[owner].timing.status.get(passing_id, PassingStatus.LAP)

    def lap_leaders(self) -> list[tuple[int, str | None]]:
        """Who completed each lap first, by lap number; None where that is not known (a car's
        time on that lap was not seen here: the timing system only counted it)."""
        unknown = self._unknown_count
        return [(lap, None if unknown[lap] else key) for lap, key in self.leaders.leaders()]

    def known_laps_led(self) -> Mapping[str, int]:
        """Laps led, counting only the laps whose leader is known."""
        if not self._unknown_count:
            return self.leaders.laps_led
        if self._led_cache is None or self._led_cache[0] != self.seq:
            counts: dict[str, int] = {}
            for _, key in self.lap_leaders():
                if key is not None:
                    counts[key] = counts.get(key, 0) + 1
            self._led_cache = (self.seq, counts)
        return self._led_cache[1]

    def passing_owner(self, passing_id: int) -> str | None:
        return self._owner.get(passing_id)

    def transponder_owner(self, transponder: str) -> str | None:
        """The car a transponder's passings go to now; None when none has been seen."""
        assigned = self.tables.transponders.get(transponder)
        if assigned is not None and assigned in self.entries:
            return assigned
        if transponder in self._by_transponder:
            return self._by_transponder[transponder]
        unknown = f"{UNKNOWN_PREFIX}T{transponder}"
        return unknown if unknown in self.entries else None

    def unknown_transponder(self, key: str) -> str | None:
        """The transponder of a car seen only by its transponder (not in the entry list)."""
        entry = self.entries.get(key)
        if entry is None or entry.competitor is not None:
            return None
        for pid in entry.passing_ids:
            record = self.passings[pid]
            if record.transponder and not record.car and not record.key:
                return record.transponder
        return None

    @property
    def start_ms(self) -> int | None:
        return self._rules.start_ms

    @property
    def finish_ms(self) -> int | None:
        return self._rules.finish_ms

    @property
    def flag(self) -> Flag | None:
        return self.flags[-1][2] if self.flags else None

    def validate(self, event: object, entered: Collection[str] = ()) -> None:
        """Raise :class:`InvalidEvent` with a message for the operator if ``event`` cannot apply.

        ``entered``: cars registered earlier in the same batch.
        """
        validate_event(self, event, entered)

    # --- applying events ---------------------------------------------------------------------

    def apply(self, entries: Iterable[LogEntry]) -> BoardChange:
        """Apply a batch of logged events and report what changed on the board."""
        pending = _Pending()
        for entry in entries:
            self._take(entry, pending, bulk=False)
        return self._settle(pending)

    def _take(self, entry: LogEntry, p: _Pending, bulk: bool) -> None:
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

    def _take_passing(self, seq: int, event: Passing, p: _Pending, bulk: bool) -> None:
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

    def _take_flag(self, seq: int, event: FlagChanged, p: _Pending) -> None:
        bisect.insort(self.flags, (event.time_ms, seq, event.flag))
        self.clock_ms = max(self.clock_ms, event.time_ms)
        p.flag_changed = True
        if self._rules_from_flags() != self._rules:
            p.rebuild_all = True

    def _take_competitor(self, event: CompetitorSet, p: _Pending) -> None:
        old = self.competitors.get(event.key)
        if old == event:
            return
        self.competitors[event.key] = event
        p.competitors_changed = True
        entry = self._ensure_entry(event.key, None)
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
        self, seq: int, event: LapsReported | BestReported | PitLane, p: _Pending
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

    def _take_sector(self, seq: int, event: SectorCrossing, p: _Pending) -> None:
        key = event.key
        self.clock_ms = max(self.clock_ms, event.time_ms)
        crossing = (event.time_ms, seq, event.sector)
        self.sector_events[key] = tuple(sorted((*self.sector_events.get(key, ()), crossing)))
        if event.sector + 1 > self.sector_count:
            self.sector_count = event.sector + 1
            p.sectors |= set(self.sector_events)
        p.sectors.add(key)

    def _take_correction(self, seq: int, event: Correction, p: _Pending) -> None:
        self.corrections[seq] = event
        p.corrections = True
        if isinstance(event, EditEntry):
            self._edits[event.key] = (*self._edits.get(event.key, ()), seq)
        if isinstance(event, InsertPassing):
            record = PassingRecord(seq, event.time_ms, key=event.key, source="correction")
            record.inserted = True
            self.passings[seq] = record
            p.new_passings.add(seq)
            self.clock_ms = max(self.clock_ms, event.time_ms)
        passings, keys = correction_scope(seq, self.corrections)
        p.scope_passings |= passings
        p.rekey |= keys
        if reaches_transponders(seq, self.corrections):
            p.resolve_all = True

    # --- settling a batch ----------------------------------------------------------------------

    def _settle(self, p: _Pending) -> BoardChange:
        if p.corrections:
            self.tables = tables_from(self.corrections)
        if self._edits and (p.corrections or p.reregistered):
            self._settle_entries(p)
        self._reassign_owners(p)
        if p.rebuild_all:
            self._rules = self._rules_from_flags()
            p.rebuild = set(self.entries)
        timing_changed = self._rebuild_timing(p)
        timing_changed |= self._settle_finish(p)
        p.unknown_laps_changed = self._update_unknown_laps(timing_changed)
        p.rekey |= self._settle_sectors(p, timing_changed)
        touched = self._update_rank(timing_changed | p.rekey)
        best_holders = self._update_session_best(timing_changed)
        return self._publish(p, timing_changed, touched | best_holders, bool(best_holders))

    def _settle_entries(self, p: _Pending) -> None:
        """The entry of each edited car: the latest of its last registration and its edits in
        force (an edit undone gives the car back the entry it had before)."""
        standing = in_force(self.corrections)
        for key, seqs in self._edits.items():
            seq, entry = self._registered[key]
            for edit in seqs:
                if edit > seq and edit in standing:
                    seq, entry = edit, cast(EditEntry, self.corrections[edit]).entry()
            self._take_competitor(entry, p)

    def _reassign_owners(self, p: _Pending) -> None:
        records = (
            self.passings.items()
            if p.resolve_all
            else ((pid, self.passings[pid]) for pid in p.scope_passings)
        )
        unowned: Any = object()
        owners, entries, owner_of = self._owner, self.entries, self._owner_of  # 120k on opening
        for pid, record in records:
            new = owner_of(record)
            old = owners.get(pid, unowned)
            if new == old:
                continue
            old = None if old is unowned else old
            owners[pid] = new
            if old is not None and old in entries:
                entries[old].passing_ids.discard(pid)
                p.rebuild.add(old)
            if new is not None:
                self._ensure_entry(new, record).passing_ids.add(pid)
                p.rebuild.add(new)
        for pid in p.scope_passings:
            owner = self._owner.get(pid)
            if owner is not None:
                p.rebuild.add(owner)
        if p.resolve_all or p.scope_passings:
            self._drop_empty_unknowns(p)

    def _rebuild_timing(self, p: _Pending) -> set[str]:
        for key in p.rebuild:
            entry = self.entries[key]
            entry.timing.passings = sorted(
                (self.passings[pid].time_ms, pid) for pid in entry.passing_ids
            )
            entry.timing.reports = list(self.reports.get(key, ()))
            entry.timing.reported_best = self.reported_bests.get(key)
            entry.timing.rebuild(self._rules, self.tables.invalid)
        changed = p.rebuild | p.appended
        for key in changed:
            lap_times = self.entries[key].timing.lap_times
            appended = key not in p.rebuild and key not in p.retimed
            p.rekey |= self.leaders.sync(key, lap_times, appended=appended)
        return changed

    def _settle_finish(self, p: _Pending) -> set[str]:
        """Work out the finish; when it moves, the cars that crossed since are timed again.

        A car whose crossings all came before both the old and the new finish is not touched
        by either, so only the others are rebuilt.
        """
        changed: set[str] = set()
        for _ in range(4):
            finish = self._derive_finish()
            old = self._rules.finish_ms
            if finish == old:
                break
            self._rules = TimingRules(
                self._rules.start_ms,
                finish,
                self._rules.min_lap_ms,
                self._rules.first_crossing_completes_lap,
            )
            since = min(t for t in (old, finish) if t is not None)
            for key, entry in self.entries.items():
                if entry.timing.retime_from(since, self._rules, self.tables.invalid):
                    p.rekey |= self.leaders.sync(key, entry.timing.lap_times, appended=False)
                    changed.add(key)
        return changed

    def _settle_sectors(self, p: _Pending, timing_changed: set[str]) -> set[str]:
        """Sector times of the cars whose laps or sector crossings changed; the rows whose
        sectors or purple marks changed."""
        if not self.sector_events:
            return set()
        changed = set()
        for key in (timing_changed | p.sectors) & set(self.entries):
            timing = self.entries[key].timing
            crossings = self.sector_events.get(key)
            if not crossings:  # no sector line seen: no sector columns for this car
                if self.car_sectors.pop(key, None) is not None:
                    changed.add(key)
                continue
            current_from = timing.clock_from
            if not timing.passings:  # its clock runs from the green only at a standing start
                rules = self._rules
                current_from = rules.start_ms if rules.first_crossing_completes_lap else None
            new = car_sectors(timing.laps, current_from, crossings, self.sector_count)
            if self.car_sectors.get(key) != new:
                self.car_sectors[key] = new
                changed.add(key)
        for key in [k for k in self.car_sectors if k not in self.entries]:
            del self.car_sectors[key]
        if not changed:
            return changed
        old = self.sector_bests
        self.sector_bests = session_bests(self.car_sectors, self.sector_count)
        holders = {b[1] for b in (*old, *self.sector_bests) if b is not None}
        return changed | (holders & set(self.entries) if old != self.sector_bests else set())

    def _update_rank(self, keys: set[str]) -> set[str]:
        """New rank keys; returns ``keys`` (their rows need a look), notes which ranks moved."""
        self._reranked = set()
        for key in keys:
            if key in self.entries:
                rank = self._rank_key(key)
                if self._rank.get(key) != rank:
                    self._rank[key] = rank
                    self._reranked.add(key)
        return keys

    def _new_order(self) -> tuple[list[str], tuple[int, int] | None]:
        """The board order, and where the one car that moved was and is (None: a full sort).

        When only one car's rank changed, that car is moved into place; else a full sort.
        """
        rank = self._rank.__getitem__
        if len(self._reranked) == 1 and len(self._order) == len(self.entries):
            (key,) = self._reranked
            if key in self._rank and key in self._position:
                src = self._position[key]
                order = list(self._order)
                del order[src]
                dest = bisect.bisect_right(order, rank(key), key=rank)
                if dest == src:
                    return self._order, (src, src)
                order.insert(dest, key)
                return order, (src, dest)
        if not self._reranked and len(self._order) == len(self.entries):
            return self._order, (0, 0)
        return sorted(self.entries, key=rank), None

    def _update_session_best(self, changed: set[str]) -> set[str]:
        self._previous_best = {k: self._best_seen.get(k) for k in changed}
        holder_gone = self.session_best is not None and self.session_best[0] not in self.entries
        if not holder_gone and not any(
            self.entries[k].timing.best is not self._best_seen.get(k) for k in changed
        ):
            return set()
        for key in changed:
            self._best_seen[key] = self.entries[key].timing.best
        old = self.session_best
        candidates = [
            (e.timing.best.duration_ms, e.timing.best.time_ms, key, e.timing.best)
            for key, e in self.entries.items()
            if e.timing.best is not None
        ]
        best = min(candidates, default=None)
        self.session_best = (best[2], best[3]) if best else None
        if old == self.session_best:
            return set()
        return {holder[0] for holder in (old, self.session_best) if holder} & set(self.entries)

    def _publish(
        self, p: _Pending, timing_changed: set[str], touched: set[str], best_changed: bool
    ) -> BoardChange:
        new_order, move = self._new_order()
        ops = order_ops(self._order, new_order) if move is None else _single_move(new_order, move)
        span = None if move is None else _span(move)
        old_positions = self._position
        leader_changed = (
            self._order[:1] != new_order[:1]
            or self._leader_moved_on(p, new_order, timing_changed)
            or p.unknown_laps_changed  # who led which laps may now be known, or not
        )
        self._order = new_order
        if span is not None and len(self._position) == len(new_order):
            for position in range(span[0], span[1] + 1):
                self._position[new_order[position]] = position
        elif ops or len(self._position) != len(new_order):
            self._position = {key: i for i, key in enumerate(new_order)}
        zero = self._session_zero()
        if zero != self.zero_ms:  # every total is timed from it
            self.zero_ms = zero
            leader_changed = True
        recompute = self._rows_to_recompute(
            p, timing_changed | touched, ops, old_positions, leader_changed, span
        )
        recompute |= self._update_classes(p, timing_changed)
        touched_passings = p.new_passings | p.scope_passings
        for key in p.rebuild | p.retimed:
            if key in self.entries:
                touched_passings.update(self.entries[key].passing_ids)
        change = BoardChange(
            ops=ops,
            changed=recompute,
            laps_changed=timing_changed,
            crossed=p.crossed,
            passings_touched=touched_passings,
            session_best_changed=best_changed,
            flag_changed=p.flag_changed,
            competitors_changed=p.competitors_changed,
        )
        if len(self._rows) > len(self.entries) or p.resolve_all or p.scope_passings:
            for key in set(self._rows) - self.entries.keys():
                del self._rows[key]
            self._stale &= self.entries.keys()
        self._stale |= recompute
        return change

    def _update_unknown_laps(self, keys: set[str]) -> bool:
        """Keep, for each lap number, how many cars completed it at a time not known."""
        changed = False
        known = self._unknown_laps
        for key in keys:
            entry = self.entries.get(key)
            if key not in known and (entry is None or not entry.timing.unseen):
                continue  # nothing was, nor is, unknown (nearly every car, nearly always)
            new = unknown_laps(entry.timing) if entry is not None else frozenset()
            old = self._unknown_laps.get(key, frozenset())
            if new == old:
                continue
            changed = True
            self._unknown_count.subtract(old)
            self._unknown_count.update(new)
            self._unknown_count = +self._unknown_count  # drop the laps now known
            if new:
                self._unknown_laps[key] = new
            else:
                self._unknown_laps.pop(key, None)
        return changed

    def _session_zero(self) -> int | None:
        """The start: the green flag, else the first moment any car's clock started (session
        time zero for a session joined late), so that totals follow the order."""
        if self._rules.start_ms is not None:
            return self._rules.start_ms
        origins = [e.timing.origin_ms for e in self.entries.values()]
        return min((o for o in origins if o is not None), default=None)

    def _update_classes(self, p: _Pending, timing_changed: set[str]) -> set[str]:
        """Places in class; the rows whose place, class leader or class best changed."""
        if not self._has_classes and not self.class_places:
            return set()
        entries = self.entries

        def class_of(key: str) -> str:
            competitor = entries[key].competitor
            return competitor.car_class if competitor else ""

        def best_of(key: str) -> tuple[int, int] | None:
            best = entries[key].timing.best
            return (best.duration_ms, best.time_ms) if best else None

        old, new = self.class_places, class_places(self._order, class_of, best_of)
        self.class_places = new
        rows = {key for key, place in new.items() if old.get(key) != place}
        rows |= set(old) - set(new)
        for leader in {place.leader for place in new.values()} & timing_changed:
            if self._leader_moved_on(p, [leader], timing_changed):
                rows |= {key for key, place in new.items() if place.leader == leader}
        return rows & entries.keys()

    def _leader_moved_on(self, p: _Pending, order: list[str], timing_changed: set[str]) -> bool:
        """Whether everyone's gap must be worked out again after the leader's timing changed.

        Gaps are taken at each car's own last crossing, so a leader's lap completed after every
        other crossing changes no one else's gap (in a race); anything else might. ``order``
        starts with the leader (of the board, or of a class).
        """
        if not order or order[0] not in timing_changed:
            return False
        leader = order[0]
        if leader in p.rebuild or leader not in p.latest or leader in p.not_latest:
            return True
        if any(self.tables.time_penalty.values()):
            return True  # a penalised car is compared after its crossing: any lap may count
        return not self.settings.is_race and self._best_seen_changed(leader)

    def _best_seen_changed(self, key: str) -> bool:
        return self._previous_best.get(key) is not self.entries[key].timing.best

    def _rows_to_recompute(
        self,
        p: _Pending,
        keys: set[str],
        ops: list,
        old_positions: dict[str, int],
        leader_changed: bool,
        span: tuple[int, int] | None,
    ) -> set[str]:
        if leader_changed or p.rebuild_all or p.resolve_all or p.corrections:
            return set(self._order)
        rows = set(keys)
        if self.live_gaps:  # rarely any: see rows.board_gap
            leaders = {place.leader for place in self.class_places.values()}
            leaders.update(self._order[:1])
            if leaders & keys:
                rows |= self.live_gaps & self.entries.keys()
        if span is not None:
            rows.update(self._order[span[0] : span[1] + 1])
        elif ops:
            rows |= {k for i, k in enumerate(self._order) if old_positions.get(k) != i}
        for key in list(rows):
            below = self._position.get(key, len(self._order)) + 1
            if below < len(self._order):
                rows.add(self._order[below])
        return rows

    def _rank_key(self, key: str) -> RankKey:
        entry = self.entries[key]
        dsq = key in self.tables.disqualified
        if self.settings.is_race:
            return race_key(
                entry.timing,
                self.tables.lap_penalty.get(key, 0),
                self.tables.time_penalty.get(key, 0),
                dsq,
                entry.grid,
            )
        return best_lap_key(entry.timing, dsq, entry.grid)

    # --- who a passing belongs to ----------------------------------------------------------------

    def _owner_of(self, record: PassingRecord) -> str | None:
        pid = record.seq
        if pid in self.tables.deleted:
            return None
        if record.inserted and pid not in self.tables.inserted:
            return None
        if pid in self.tables.reassigned:
            return self.tables.reassigned[pid]
        return self._resolve(record)

    def _resolve(self, record: PassingRecord) -> str:
        if record.key and (record.key in self.competitors or record.inserted):
            return record.key
        if record.car and record.car in self._by_car:
            return self._by_car[record.car]
        if record.transponder:
            assigned = self.tables.transponders.get(record.transponder)
            if assigned is not None and assigned in self.entries:
                return assigned
            if record.transponder in self._by_transponder:
                return self._by_transponder[record.transponder]
        if record.key in self._by_car.values():
            return record.key
        label = record.car or record.key or f"T{record.transponder}"
        return UNKNOWN_PREFIX + label

    def _index_competitors(self) -> None:
        self._by_car = {c.car: key for key, c in self.competitors.items()}
        self._by_transponder = {
            t: key for key, c in self.competitors.items() for t in c.transponders
        }

    def _ensure_entry(self, key: str, record: PassingRecord | None) -> Entry:
        entry = self.entries.get(key)
        if entry is None:
            label = key[len(UNKNOWN_PREFIX) :] if key.startswith(UNKNOWN_PREFIX) else key
            entry = Entry(key, arrival=self.seq, label=label)
            self.entries[key] = entry
            self._rank[key] = self._rank_key(key)
        return entry

    def _drop_empty_unknowns(self, p: _Pending) -> None:
        for key in [k for k, e in self.entries.items() if e.competitor is None]:
            if not self.entries[key].passing_ids:
                del self.entries[key]
                del self._rank[key]
                self._best_seen.pop(key, None)
                p.rekey |= self.leaders.forget(key)
                p.rebuild.discard(key)
                p.appended.discard(key)
                p.retimed.discard(key)
                p.rekey.discard(key)

    # --- flags and the finish --------------------------------------------------------------------

    def _rules_from_flags(self) -> TimingRules:
        greens = [t for t, _, flag in self.flags if flag is Flag.GREEN]
        start = min(greens) if greens else None
        return TimingRules(
            start,
            self._rules.finish_ms,
            self.settings.min_lap_ms,
            self.settings.first_crossing_completes_lap,
        )

    def _derive_finish(self) -> int | None:
        candidates: list[int | None] = [t for t, _, flag in self.flags if flag is Flag.CHECKERED]
        settings, start = self.settings, self._rules.start_ms
        if settings.is_race and settings.race_laps:
            candidates.append(self.leaders.first_time(settings.race_laps))
        if settings.is_race and settings.race_duration_ms and start is not None:
            target = start + settings.race_duration_ms
            candidates.append(self.leaders.first_completion_at_or_after(target))
        found = [t for t in candidates if t is not None]
        return min(found) if found else None


def unknown_laps(timing: CarTiming) -> frozenset[int]:
    """The numbers of a car's laps counted by the timing system at a time not known here."""
    return frozenset(
        number
        for first, last in timing.unseen
        for number in range(first, last + 1)
        if not timing.time_known(number - 1)
    )


def _span(move: tuple[int, int]) -> tuple[int, int]:
    """The positions whose car changed when one car moved (empty when it stayed)."""
    low, high = sorted(move)
    return (low, high) if low != high else (0, -1)


def _single_move(order: list[str], move: tuple[int, int]) -> list[RowOp]:
    """The row operation for one car moved from position ``move[0]`` to ``move[1]``."""
    src, dest = move
    return [] if src == dest else [RowOp("move", src, order[dest], dest)]
