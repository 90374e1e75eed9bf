"""Row refresh: after a batch, which rows may read differently, and the rows themselves.

A row is not built when its car changes but marked stale, and built when first read
(:meth:`RowRefresh.standing`), at display pace. Which rows are marked: the cars whose laps or
rank changed, the cars whose position changed, the car below each of those (its interval), every
row below a car whose crossing went in before another's last one (whether it passed them since
their crossings changes: ``rows.passed_since``), and every row when the leader's change moves
everyone's gap (see ``_leader_moved_on``), when the session's time zero moved, or after
corrections, rule changes and the session's end.
"""

from __future__ import annotations

from timingboard.engine.classes import ClassTable
from timingboard.engine.intake import Intake
from timingboard.engine.order import moved_span, single_move
from timingboard.engine.pending import Pending
from timingboard.engine.rows import build_row
from timingboard.engine.standings import BoardChange, Standing, order_ops


class RowRefresh(Intake):
    """Publishes a batch: the new order, the rows to read again, the :class:`BoardChange`."""

    def standing(self, key: str) -> Standing:
        """The row of one car, worked out when first read after a change (at display pace)."""
        if key in self._stale:
            self._rows[key] = build_row(self, key, self._position[key])
            self._stale.discard(key)
        return self._rows[key]

    def _publish(
        self, p: Pending, timing_changed: set[str], touched: set[str], best_changed: bool
    ) -> BoardChange:
        new_order, move = self._new_order(p.reranked)
        ops = order_ops(self._order, new_order) if move is None else single_move(new_order, move)
        span = None if move is None else moved_span(move)
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
        touched_passings = p.new_passings | p.scope_passings | p.refinished
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
            self.live_gaps &= self.entries.keys()
        self._stale |= recompute
        return change

    def _update_classes(self, p: Pending, timing_changed: set[str]) -> set[str]:
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

        full = p.rebuild_all or p.resolve_all or p.corrections or p.competitors_changed
        changed = timing_changed | p.rekey
        new, rows = self._classes.update(self._order, class_of, best_of, changed, full)
        self.class_places = new
        if not self._has_classes:  # the classes are gone: nothing kept (as rebuilt without)
            self._classes = ClassTable()
        for leader in self._classes.leaders & timing_changed:
            if self._leader_moved_on(p, [leader], timing_changed):
                rows |= {key for key, place in new.items() if place.leader == leader}
        return rows & entries.keys()

    def _leader_moved_on(self, p: Pending, order: list[str], timing_changed: set[str]) -> bool:
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
        return not self.settings.is_race and p.previous_best.get(leader) is not (
            self.entries[leader].timing.best
        )

    def _rows_to_recompute(
        self,
        p: Pending,
        keys: set[str],
        ops: list,
        old_positions: dict[str, int],
        leader_changed: bool,
        span: tuple[int, int] | None,
    ) -> set[str]:
        if leader_changed or p.rebuild_all or p.resolve_all or p.corrections or p.ended:
            return set(self._order)
        rows = set(keys)
        # a crossing that went in before someone's last one (or among the car's own, or laps
        # worked out again) changes the laps it had completed by then: whether it passed a car
        # ranked below since that car's crossing (rows.passed_since), so every row below it
        # is read again
        in_the_past = (p.not_latest | p.retimed | p.rebuild) & keys
        if in_the_past:
            top = min(self._position.get(key, len(self._order)) for key in in_the_past)
            rows.update(self._order[top + 1 :])
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
