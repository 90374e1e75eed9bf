"""Flags and the finish: the start is the first green; the finish is the first of the chequered
flag, the leader completing the race's laps, or the leader's first lap after the race's time;
any of them a green thrown after it took back (:mod:`~timingboard.engine.checkered`)."""

from __future__ import annotations

import dataclasses

from timingboard.engine.car import TimingRules
from timingboard.engine.checkered import distance_finish_stands, standing_checkereds
from timingboard.engine.events import Flag
from timingboard.engine.ownership import PassingOwnership
from timingboard.engine.pending import Pending


class FlagsAndFinish(PassingOwnership):
    """Keeps ``_rules`` (start, finish, minimum lap) in step with the flags and the leaders."""

    @property
    def start_ms(self) -> int | None:
        return self._rules.start_ms

    @property
    def flag(self) -> Flag | None:
        return self.flags[-1][2] if self.flags else None

    def _rules_from_flags(self) -> TimingRules:
        greens = [t for t, _, flag in self.flags if flag is Flag.GREEN]
        start = min(greens) if greens else None
        return TimingRules(
            start,
            self._rules.finish_ms,
            self.settings.min_lap_ms,
            self.settings.first_crossing_completes_lap,
            self._rules.ended_ms,
        )

    def _derive_finish(self) -> int | None:
        flags, settings, start = self.flags, self.settings, self._rules.start_ms
        distance: list[int | None] = []
        if settings.is_race and settings.race_laps:
            distance.append(self.leaders.first_time(settings.race_laps))
        if settings.is_race and settings.race_duration_ms and start is not None:
            target = start + settings.race_duration_ms
            distance.append(self.leaders.first_completion_at_or_after(target))
        found = standing_checkereds(flags)
        found += [t for t in distance if t is not None and distance_finish_stands(t, flags)]
        return min(found) if found else None

    def _settle_finish(self, p: Pending) -> set[str]:
        """Work out the finish; when it moves, the cars that crossed since are timed again
        (their passings since are ``refinished``: each may count otherwise now).

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
                self._rules.ended_ms,
            )
            since = min(t for t in (old, finish) if t is not None)
            if (old is None) != (finish is None):  # each row says whether the finish came
                p.rekey |= set(self.entries)
            if not self.settings.is_race:  # every car out is finished by it, or no longer
                p.rekey |= {key for key, entry in self.entries.items() if entry.timing.passings}
            # a car that never started is DNS once the session is finished (rows.status_of)
            penalty = self.tables.lap_penalty
            p.rekey |= {
                key
                for key, entry in self.entries.items()
                if entry.timing.lap_count <= penalty.get(key, 0)
            }
            for key, entry in self.entries.items():
                if entry.timing.retime_from(since, self._rules, self.tables.invalid):
                    p.rekey |= self.leaders.sync(key, entry.timing.lap_times, appended=False)
                    p.refinished |= set(entry.timing.passing_ids_since(since))
                    changed.add(key)
        return changed

    def _settle_end(self, p: Pending) -> set[str]:
        """Keep the rules' end with the session's (:attr:`ended_ms`: the timing system's end,
        or the operator's in force); when it moves, the cars that crossed after the earlier of
        the old and the new end are timed again from there (a crossing after the end counts
        for nothing: an End session undone counts it again). The cars rebuilt anyway
        (``p.rebuild``) are left to that."""
        ended, old = self.ended_ms, self._rules.ended_ms
        if ended == old:
            return set()
        self._rules = dataclasses.replace(self._rules, ended_ms=ended)
        since = min(t for t in (old, ended) if t is not None)
        changed: set[str] = set()
        for key, entry in self.entries.items():
            if key in p.rebuild:
                continue
            if entry.timing.retime_from(since, self._rules, self.tables.invalid):
                p.rekey |= self.leaders.sync(key, entry.timing.lap_times, appended=False)
                p.refinished |= set(entry.timing.passing_ids_since(since))
                p.retimed.add(key)  # its laps from there on, not only appended ones
                changed.add(key)
        return changed

    def _session_zero(self) -> int | None:
        """The start: the green flag, else the first moment any car's clock started (session
        time zero for a session joined late), so that totals follow the order."""
        if self._rules.start_ms is not None:
            return self._rules.start_ms
        origins = [e.timing.origin_ms for e in self.entries.values()]
        return min((o for o in origins if o is not None), default=None)
