"""The timing engine: the board as a pure function of the session's event log.

Events are applied in batches; each batch updates only what it touches and reports a
:class:`BoardChange`. :meth:`TimingEngine.from_log` rebuilds everything from scratch, and must give
the identical board (the tests prove it over random sessions).

:class:`TimingEngine` is built in layers, one job each (the package docstring walks a batch
through them): :mod:`~timingboard.engine.state` (what is held), :mod:`~timingboard.engine.order`
(rank and order), :mod:`~timingboard.engine.ownership` (who a passing belongs to),
:mod:`~timingboard.engine.finish` (flags and the finish), :mod:`~timingboard.engine.intake`
(taking events in), :mod:`~timingboard.engine.refresh` (rows to read again),
:mod:`~timingboard.engine.settle` (settling a batch), and here the reading of the board.
"""

from __future__ import annotations

import copy
from collections.abc import Collection, Iterable

from timingboard.engine.car import Lap, PassingStatus
from timingboard.engine.chunked import ChunkedMap
from timingboard.engine.events import LogEntry
from timingboard.engine.pending import Pending
from timingboard.engine.records import UNKNOWN_PREFIX, Entry, PassingRecord
from timingboard.engine.settings import SessionSettings
from timingboard.engine.settle import Settling, unknown_laps
from timingboard.engine.standings import BoardChange, Standing
from timingboard.engine.validation import validate_event

__all__ = ["UNKNOWN_PREFIX", "Entry", "PassingRecord", "TimingEngine", "unknown_laps"]


class TimingEngine(Settling):
    """Standings, laps and flags of one session, kept up to date event by event."""

    @classmethod
    def from_log(cls, settings: SessionSettings, log: Iterable[LogEntry]) -> TimingEngine:
        """Build the board from scratch: take in the whole log, then work everything out once."""
        engine = cls(settings)
        pending = Pending(rebuild_all=True, resolve_all=True, corrections=True)
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

    def validate(self, event: object, entered: Collection[str] = ()) -> None:
        """Raise :class:`InvalidEvent` with a message for the operator if ``event`` cannot apply.

        ``entered``: cars registered earlier in the same batch.
        """
        validate_event(self, event, entered)

    # --- applying events ---------------------------------------------------------------------

    def apply(self, entries: Iterable[LogEntry]) -> BoardChange:
        """Apply a batch of logged events and report what changed on the board."""
        pending = Pending()
        for entry in entries:
            self._take(entry, pending, bulk=False)
        return self._settle(pending)
