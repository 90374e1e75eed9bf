"""Who a passing belongs to: by registration key, car number or transponder, after the
corrections (deleted, inserted, reassigned passings, transponders given to a car). A passing no
registered car claims makes an unknown car (key ``?<car>`` or ``?T<transponder>``)."""

from __future__ import annotations

from typing import Any

from timingboard.engine.order import RankOrder
from timingboard.engine.pending import Pending
from timingboard.engine.records import UNKNOWN_PREFIX, Entry, PassingRecord


class PassingOwnership(RankOrder):
    """Keeps ``_owner`` (passing -> car) and each entry's ``passing_ids`` in step."""

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
            entry = Entry(key, arrival=0, label=label)
            entry.timing.rebuild(self._rules, self.tables.invalid)  # no laps, its clock set
            self.entries[key] = entry
            self._rank[key] = self._rank_key(key)
        return entry

    def _keep_entries_in_order(self) -> None:
        """The entries in the order the cars came (:attr:`Entry.came`), however they were made:
        live, a new car's row comes last anyway; rebuilt from the log, or when corrections move
        passings, the rows of unknown cars are made or change their first passing out of order."""
        came = [(entry.came, key) for key, entry in self.entries.items()]
        if came != sorted(came):
            entries = self.entries  # in place: the same dict, whoever holds it
            for _, key in sorted(came):
                entries[key] = entries.pop(key)

    def _reassign_owners(self, p: Pending) -> None:
        """Look the owner up again (every passing, or those in scope); the cars that lost or
        gained a passing are rebuilt."""
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

    def _drop_empty_unknowns(self, p: Pending) -> None:
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
