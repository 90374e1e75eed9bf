"""The timing engine: the board as a pure function of the session's event log.

Events are applied in batches; each batch updates only what it touches and reports a
:class:`BoardChange`. :meth:`TimingEngine.from_log` rebuilds everything from scratch, and must give
the identical board (the tests prove it over random sessions).

:class:`TimingEngine` is built in layers, one job each (the package docstring walks a batch
through them): :mod:`~timingboard.engine.state` (what is held), :mod:`~timingboard.engine.order`
(rank and order), :mod:`~timingboard.engine.ownership` (who a passing belongs to),
:mod:`~timingboard.engine.finish` (flags and the finish), :mod:`~timingboard.engine.intake`
(taking events in), :mod:`~timingboard.engine.refresh` (rows to read again),
:mod:`~timingboard.engine.settle` (settling a batch), :mod:`~timingboard.engine.reading` (the
read-only API outside the engine uses); here, building, copying and applying.
"""

from __future__ import annotations

import copy
from collections.abc import Collection, Iterable

from timingboard.engine.car import CarTiming, Lap, TimingRules
from timingboard.engine.chunked import ChunkedMap
from timingboard.engine.events import CompetitorSet, Flag, LogEntry
from timingboard.engine.pending import Pending
from timingboard.engine.reading import UNKNOWN_DRIVER, BoardReading, PassingCorrected
from timingboard.engine.records import UNKNOWN_PREFIX, Entry, PassingRecord
from timingboard.engine.settings import SessionSettings
from timingboard.engine.settle import unknown_laps
from timingboard.engine.standings import BoardChange, Standing
from timingboard.engine.validation import validate_batch, validate_event

__all__ = [
    "UNKNOWN_DRIVER",
    "UNKNOWN_PREFIX",
    "Entry",
    "PassingCorrected",
    "PassingRecord",
    "TimingEngine",
    "unknown_laps",
]


class TimingEngine(BoardReading):
    """Standings, laps and flags of one session, kept up to date event by event."""

    @classmethod
    def from_log(cls, settings: SessionSettings, log: Iterable[LogEntry]) -> TimingEngine:
        """Build the board from scratch: take in the whole log, then work everything out once."""
        engine = cls(settings)
        pending = Pending(rebuild_all=True, resolve_all=True, corrections=True)
        engine._take_all(log, pending, bulk=True)
        engine._settle(pending)
        return engine

    def clone(self, long_lists: bool = True) -> TimingEngine:
        """An independent copy of the whole state, for replay checkpoints.

        Containers are copied; what they hold (events, laps, records, rows) is immutable and shared,
        so a copy costs references, not objects; passing records, owners and laps by lap number
        are shared until written (a replay keeps dozens of copies), and so are the log's sealed
        blocks. ``long_lists=False`` leaves the other lists that grow with the session empty
        (each car's passings, laps and lap times, the lap leaders' copy of those):
        :class:`~timingboard.engine.checkpoint.Checkpoint` keeps them shared between
        checkpoints and puts them back.
        """
        twin = TimingEngine.__new__(TimingEngine)
        shared = {"settings", "seq", "clock_ms", "session_best", "_rules"}
        for name, value in vars(self).items():
            if name in shared:
                setattr(twin, name, value)
            elif name == "log":
                twin.log = value.copy()  # shares its sealed blocks: cheap, long lists or not
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

    def validate(self, event: object, entered: Collection[str] = ()) -> None:
        """Raise :class:`InvalidEvent` with a message for the operator if ``event`` cannot apply.

        ``entered``: cars registered earlier in the same batch.
        """
        validate_event(self, event, entered)

    def validate_all(self, events: Iterable[object]) -> None:
        """:meth:`validate` for each event of a batch, with the cars it registers before each
        entered: the first that cannot apply raises :class:`InvalidEvent`."""
        validate_batch(self, events)

    # --- a board published elsewhere ---------------------------------------------------------

    def end_as_published(self, ended_ms: int | None) -> None:
        """The end of session the publishing board says (None: not ended, or a publisher of
        before the end was published), so a following board holds the end as it does."""
        self._ended_ms = ended_ms

    def show_published(
        self,
        settings: SessionSettings,
        rows: dict[str, Standing],
        clock_ms: int,
        start_ms: int | None,
        finish_ms: int | None,
        *,
        flag: Flag | None,
        best: tuple[str, Lap] | None,
    ) -> None:
        """Hold the board another board published: its settings, its rows in order, a bare
        entry per car (its competitor, as the row names it, and what the row says of its laps),
        no passings or laps of its own (:class:`~timingboard.feeds.live_follow.PublishedEngine`);
        the flag out (a new one shown at ``clock_ms``; None forgets the flags) and the session
        best. Each call is one more ``seq``."""
        self.settings = settings
        entries: dict[str, Entry] = {}
        for at, (key, row) in enumerate(rows.items()):
            competitor = None
            if row.known:
                competitor = CompetitorSet(
                    key=key,
                    car=row.car,
                    driver=row.driver,
                    team=row.team,
                    make=row.make,
                    car_class=row.car_class,
                )
            timing = CarTiming(unseen=list(row.unseen_laps), last_seen=row.last_crossing_ms)
            entries[key] = Entry(key, at, competitor, row.car, timing)
        self.competitors = {k: e.competitor for k, e in entries.items() if e.competitor}
        self.entries = entries
        self._rows, self._order = rows, list(rows)
        self._position = {key: at for at, key in enumerate(self._order)}
        self._stale = set()
        self.clock_ms = clock_ms
        self._rules = TimingRules(
            start_ms,
            finish_ms,
            self.settings.min_lap_ms,
            self.settings.first_crossing_completes_lap,
        )
        if flag != self.flag:
            if flag is not None:
                self.flags.append((clock_ms, self.seq + 1, flag))
            else:
                self.flags.clear()
        self.session_best = best
        self.seq += 1

    # --- applying events ---------------------------------------------------------------------

    def apply(self, entries: Iterable[LogEntry]) -> BoardChange:
        """Apply a batch of logged events and report what changed on the board."""
        pending = Pending()
        self._take_all(entries, pending, bulk=False)
        return self._settle(pending)
