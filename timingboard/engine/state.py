"""Everything the engine holds about a session; the layers of :class:`TimingEngine` work on it.

The attributes are the whole state: :meth:`TimingEngine.clone` copies them and the session
snapshot stores them. Code outside ``engine/`` reads the board through the reading methods of
:class:`~timingboard.engine.engine.TimingEngine`, not these attributes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from timingboard.engine.car import Lap, TimingRules
from timingboard.engine.chunked import ChunkedMap, SharedLog
from timingboard.engine.classes import ClassPlace, ClassTable
from timingboard.engine.corrections import CorrectionTables
from timingboard.engine.events import CompetitorSet, Correction, Flag, LogEntry, ResultsDeclared
from timingboard.engine.lap_leaders import LapLeaders
from timingboard.engine.ranking import RankKey
from timingboard.engine.records import Entry, PassingRecord
from timingboard.engine.sectors import CarSectors
from timingboard.engine.settings import SessionSettings
from timingboard.engine.standings import Standing


class EngineState:
    """The state of one session's board, and the few reads every layer of the engine needs."""

    def __init__(self, settings: SessionSettings) -> None:
        self.settings = settings
        self.seq = 0
        # the latest moment the timing reached (a passing, a flag, a report, a sector, the
        # timing system's end); a correction (a passing inserted, undone or not) never moves it
        self.clock_ms = 0
        self.log: SharedLog[LogEntry] = SharedLog()  # copies share it
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
        # as ``_rules_from_flags`` gives them before any flag (a rebuild works them out so)
        self._rules = TimingRules(
            None, None, settings.min_lap_ms, settings.first_crossing_completes_lap
        )
        self._owner: ChunkedMap[str | None] = ChunkedMap()
        self._by_car: dict[str, str] = {}
        self._by_transponder: dict[str, str] = {}
        self._rank: dict[str, RankKey] = {}
        self._best_seen: dict[str, Lap] = {}  # each car's best as of the last batch
        self._order: list[str] = []
        self._position: dict[str, int] = {}
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
        self._classes = ClassTable()  # keeps class_places from batch to batch
        self._has_classes = False
        self.declarations: list[tuple[int, ResultsDeclared]] = []  # (seq, event), in log order
        self._ended_ms: int | None = None  # the first SessionEnded's time: the session is over
        self.past_record = False  # a record of an earlier day: see engine.long_past.settle_record
        self.past_unflagged = False  # that record's timing system gives no checkered (a P3's)
        self.live_gaps: set[str] = set()  # rows whose gap depends on laps run after their own
        self.zero_ms: int | None = None  # what totals are timed from: see _session_zero
        self._unknown_laps: dict[str, frozenset[int]] = {}  # laps whose time is not known
        self._unknown_count: Counter[int] = Counter()  # lap number -> cars not timed on it
        self._led_cache: tuple[int, dict[str, int]] | None = None

    @property
    def finish_ms(self) -> int | None:
        """When the finish came (the first standing checkered, the race's laps or time)."""
        return self._rules.finish_ms

    @property
    def ended_ms(self) -> int | None:
        """When the session was ended (the timing system's end of session, or an operator's in
        force: :class:`~timingboard.engine.events.EndSession`, undone like a correction): from
        then every car's result is final. None while it is not (a log made before the end was
        logged never has one)."""
        fed, typed = self._ended_ms, self.tables.ended_ms
        if fed is None or typed is None:
            return typed if fed is None else fed
        return min(fed, typed)

    @property
    def over(self) -> bool:
        """Whether nothing of the session remains to run: its finish came (the checkered, the
        race's laps or time) or it was ended (:attr:`ended_ms`). One home for what the header,
        the title, the sheet, the Event view and the published status each say of it; whether
        every car is in as well (FINISHED, not CHECKERED) is :attr:`BoardReading.all_in`."""
        return self._rules.finish_ms is not None or self.ended_ms is not None or self.record_over

    @property
    def record_over(self) -> bool:
        """A record of an earlier day that reads as ended with no end logged
        (:func:`~timingboard.engine.long_past.settle_record`): its finish came, or it is a
        practice or qualifying whose timing system gives no checkered (a P3 decoder's)."""
        if not self.past_record:
            return False
        if self._rules.finish_ms is not None:
            return True
        return self.past_unflagged and not self.settings.is_race

    def read_rows_again(self) -> None:
        """Every row is built again when next read: a rule from outside the log changed
        (:func:`~timingboard.engine.long_past.settle_record`)."""
        self._stale.update(self._order)

    @property
    def board_order(self) -> Sequence[str]:
        """The keys in board order, not copied (for the hot path; do not change it)."""
        return self._order

    def passing_owner(self, passing_id: int) -> str | None:
        return self._owner.get(passing_id)

    def pit_crossings(self, key: str) -> tuple[tuple[int, int, bool], ...]:
        """A car's pit-lane crossings, seen and marked by hand, as (time ms, seq, entered), in
        time order."""
        events = self.pit_events.get(key, ())
        marks = self.tables.pit_marks.get(key)
        if marks:
            events = tuple(sorted((*events, *marks)))
        return events

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
