"""Rank and order: each car's rank key, the board order it gives, and the row moves between
two orders (one car moved into place when only its rank changed; else a full sort)."""

from __future__ import annotations

import bisect

from timingboard.engine.pending import Pending
from timingboard.engine.ranking import RankKey, best_lap_key, race_key
from timingboard.engine.standings import RowOp
from timingboard.engine.state import EngineState


class RankOrder(EngineState):
    """Keeps ``_rank`` (each car's key) and works out the new ``_order`` after a batch."""

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

    def _update_rank(self, keys: set[str], p: Pending) -> set[str]:
        """New rank keys; returns ``keys`` (their rows need a look), notes which ranks moved
        (``p.reranked``)."""
        for key in keys:
            if key in self.entries:
                rank = self._rank_key(key)
                if self._rank.get(key) != rank:
                    self._rank[key] = rank
                    p.reranked.add(key)
        return keys

    def _new_order(self, reranked: set[str]) -> tuple[list[str], tuple[int, int] | None]:
        """The board order, and where the one car that moved was and is (None: a full sort).

        When only one car's rank changed, that car is moved into place; else a full sort.
        """
        rank = self._rank.__getitem__
        if len(reranked) == 1 and len(self._order) == len(self.entries):
            (key,) = reranked
            if key in self._rank and key in self._position:
                src = self._position[key]
                order = list(self._order)
                del order[src]
                dest = bisect.bisect_right(order, rank(key), key=rank)
                if dest == src:
                    return self._order, (src, src)
                order.insert(dest, key)
                return order, (src, dest)
        if not reranked and len(self._order) == len(self.entries):
            return self._order, (0, 0)
        return sorted(self.entries, key=rank), None


def moved_span(move: tuple[int, int]) -> tuple[int, int]:
    """The positions whose car changed when one car moved (empty when it stayed)."""
    low, high = sorted(move)
    return (low, high) if low != high else (0, -1)


def single_move(order: list[str], move: tuple[int, int]) -> list[RowOp]:
    """The row operation for one car moved from position ``move[0]`` to ``move[1]``."""
    src, dest = move
    return [] if src == dest else [RowOp("move", src, order[dest], dest)]
