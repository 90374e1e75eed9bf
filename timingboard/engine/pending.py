"""What a batch of events left to settle: filled while taking events in, read while settling.

Each field names what it feeds (see the package docstring for the whole walk of a batch).
What only one batch needs is kept here, not in the engine's state: a board rebuilt from the
log holds no memory of the batches that built it, so neither may one built batch by batch.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from timingboard.engine.car import Lap


@dataclass(slots=True)
class Pending:
    """What a batch of events left to settle."""

    # Cars that crossed the line in this batch, their lap added at the end of their laps
    # (feeds the lap leaders' sync and the cars whose laps changed).
    appended: set[str] = field(default_factory=set)
    # ... of those, the ones whose crossing came after every other passing (a leader's lap then
    # changes no one else's gap: see ``RowRefresh._leader_moved_on``).
    latest: set[str] = field(default_factory=set)
    # ... and the ones that crossed before someone's last crossing.
    not_latest: set[str] = field(default_factory=set)
    # Cars a crossing went in among their earlier ones: their laps are synced in full.
    retimed: set[str] = field(default_factory=set)
    # Cars whose laps are worked out again from all their passings.
    rebuild: set[str] = field(default_factory=set)
    # Cars with a new sector-line crossing: their sector times are worked out again.
    sectors: set[str] = field(default_factory=set)
    # Cars whose rank key is worked out again although their laps did not change.
    rekey: set[str] = field(default_factory=set)
    # Cars that crossed, in order (reported in ``BoardChange.crossed``, for highlights).
    crossed: list[str] = field(default_factory=list)
    # Passings logged in this batch (their rows in the passings log).
    new_passings: set[int] = field(default_factory=set)
    # Passings whose owner is looked up again (a correction reached them, or bulk intake).
    scope_passings: set[int] = field(default_factory=set)
    # Rules changed (settings, the green flag): every car is rebuilt.
    rebuild_all: bool = False
    # The entry list changed how passings find their car: every passing's owner is looked up.
    resolve_all: bool = False
    # A correction came: the correction tables are folded again and every row read again.
    corrections: bool = False
    flag_changed: bool = False  # reported in ``BoardChange``
    # The session was ended: every car's result is final, so every row is read again.
    ended: bool = False
    competitors_changed: bool = False  # reported in ``BoardChange``
    reregistered: bool = False  # an edited car registered again: its entry is weighed again
    # Set while settling: the passings timed again because the finish moved (a correction
    # that moved it made a crossing after the finish count, or not): their rows in the
    # passings log, and a typed one's word on the Entry panel, read again.
    refinished: set[int] = field(default_factory=set)
    # Set while settling: which laps' times are unknown changed (the lap leaders shown change).
    unknown_laps_changed: bool = False
    # Set while settling: the cars whose rank key changed (one alone is moved into place).
    reranked: set[str] = field(default_factory=set)
    # Set while settling: each changed car's best lap before the batch (whether a practice
    # leader's best moved, for everyone's gap).
    previous_best: dict[str, Lap | None] = field(default_factory=dict)
