"""Settling a batch: from what the intake left pending to each car's laps, the finish, the
laps whose time is not known, sector times, rank keys and the session best, then publishing
(see the package docstring for the order and why)."""

from __future__ import annotations

from typing import cast

from timingboard.engine.car import CarTiming, packed_passings
from timingboard.engine.corrections import in_force, tables_from
from timingboard.engine.events import EditEntry
from timingboard.engine.pending import Pending
from timingboard.engine.ranking import fastest_lap
from timingboard.engine.refresh import RowRefresh
from timingboard.engine.sectors import car_sectors, session_bests
from timingboard.engine.standings import BoardChange


class Settling(RowRefresh):
    """Settles what a batch of events left pending, and reports what changed on the board."""

    def _settle(self, p: Pending) -> BoardChange:
        """Each step feeds the next: tables, entries, owners, rules, laps, finish, unknown
        laps, sectors, ranks, session best; then publish (see the package docstring)."""
        if p.corrections:
            self.tables = tables_from(self.corrections)
        if self._edits and (p.corrections or p.reregistered):
            self._settle_entries(p)
        self._reassign_owners(p)
        if p.resolve_all or p.scope_passings or p.competitors_changed:
            self._keep_entries_in_order()
        if p.rebuild_all:
            self._rules = self._rules_from_flags()
            p.rebuild = set(self.entries)
        ended_changed = self._settle_end(p)
        timing_changed = self._rebuild_timing(p) | ended_changed
        timing_changed |= self._settle_finish(p)
        p.unknown_laps_changed = self._update_unknown_laps(timing_changed)
        p.rekey |= self._settle_sectors(p, timing_changed)
        touched = self._update_rank(timing_changed | p.rekey, p)
        best_holders = self._update_session_best(timing_changed, p)
        return self._publish(p, timing_changed, touched | best_holders, bool(best_holders))

    def _settle_entries(self, p: Pending) -> None:
        """The entry of each edited car: the latest of its last registration and its edits in
        force (an edit undone gives the car back the entry it had before)."""
        standing = in_force(self.corrections)
        for key, seqs in self._edits.items():
            seq, entry = self._registered[key]
            for edit in seqs:
                if edit > seq and edit in standing:
                    seq, entry = edit, cast(EditEntry, self.corrections[edit]).entry()
            self._take_competitor(entry, p)

    def _rebuild_timing(self, p: Pending) -> set[str]:
        for key in p.rebuild:
            entry = self.entries[key]
            entry.timing.passings = packed_passings(
                sorted((self.passings[pid].time_ms, pid) for pid in entry.passing_ids)
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

    def _settle_sectors(self, p: Pending, timing_changed: set[str]) -> set[str]:
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

    def _update_session_best(self, changed: set[str], p: Pending) -> set[str]:
        """The session best after the batch; the cars that held it or hold it now, when it
        changed. ``_best_seen`` holds each car's best as of the last batch (a car with none is
        not in it: on every path to the same log it holds the same)."""
        p.previous_best = {k: self._best_seen.get(k) for k in changed}
        holder_gone = self.session_best is not None and self.session_best[0] not in self.entries
        if not holder_gone and not any(
            self.entries[k].timing.best is not self._best_seen.get(k) for k in changed
        ):
            return set()
        for key in changed:
            best = self.entries[key].timing.best
            if best is None:
                self._best_seen.pop(key, None)
            else:
                self._best_seen[key] = best
        old, entries = self.session_best, self.entries
        kept = old is not None and old[0] in entries and entries[old[0]].timing.best is old[1]
        pool = changed if kept else entries.keys()  # the others' bests were no faster
        bests = ((key, entries[key].timing.best) for key in pool)
        self.session_best = fastest_lap(old if kept else None, bests)
        if old == self.session_best:
            return set()
        return {holder[0] for holder in (old, self.session_best) if holder} & set(self.entries)


def unknown_laps(timing: CarTiming) -> frozenset[int]:
    """The numbers of a car's laps counted by the timing system at a time not known here."""
    return frozenset(
        number
        for first, last in timing.unseen
        for number in range(first, last + 1)
        if not timing.time_known(number - 1)
    )
