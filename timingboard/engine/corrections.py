"""The corrections in force, worked out from every correction and revert in the log."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from timingboard.engine.correction_kinds import KINDS
from timingboard.engine.correction_tables import CorrectionTables
from timingboard.engine.events import Correction, Revert

TIMING_SYSTEM = "timing system"  # the operator named on a timing system's own re-timing


def by_timing_system(correction: Correction) -> bool:
    """A correction the timing system made (an import's re-timing), not one of the operator's:
    it is never offered for undo."""
    return correction.operator == TIMING_SYSTEM


def in_force(corrections: Mapping[int, Correction]) -> set[int]:
    """The corrections in force: those not taken back by a revert that is itself in force."""
    reverted_by: dict[int, list[int]] = defaultdict(list)
    for seq, c in corrections.items():
        if isinstance(c, Revert):
            reverted_by[c.correction_id].append(seq)
    memo: dict[int, bool] = {}
    return {seq for seq in corrections if _stands(seq, reverted_by, memo)}


def _stands(seq: int, reverted_by: Mapping[int, list[int]], memo: dict[int, bool]) -> bool:
    """Whether ``seq`` is in force: no revert of it stands. A module function, not a closure
    calling itself: that closure was a reference cycle (the function and its own cell), garbage
    at every session read, which a session read in a worker froze with the session
    (``gc.freeze``, timingboard.store.bulk) and no collection ever freed."""
    if seq not in memo:
        memo[seq] = not any(_stands(r, reverted_by, memo) for r in reverted_by.get(seq, ()))
    return memo[seq]


def tables_from(corrections: dict[int, Correction]) -> CorrectionTables:
    """Fold the corrections in force, in log order, into tables."""
    standing = in_force(corrections)
    tables = CorrectionTables()
    for seq in sorted(standing):
        _fold(tables, seq, corrections[seq])
    return tables


def _fold(tables: CorrectionTables, seq: int, c: Correction) -> None:
    kind = KINDS.get(type(c))
    if kind is not None and kind.fold is not None:
        kind.fold(tables, seq, c)
