"""The one entry point for events: check, commit to the session file, then apply.

Manual entry, feeds and replay all submit here, so nothing reaches the board that is not on disk.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from timingboard.engine.engine import TimingEngine
from timingboard.engine.events import CompetitorSet, Event, LogEntry
from timingboard.engine.settings import SessionSettings
from timingboard.engine.standings import BoardChange, Standing
from timingboard.engine.validation import InvalidEvent
from timingboard.store import closing, heap, pacing, snapshot
from timingboard.store.bulk import CollectorPacer, collection_paused, freeze_taken
from timingboard.store.log_check import LogCheck
from timingboard.store.session_file import SessionFile, SessionFileError


class Refused(NamedTuple):
    """An event a session would not take, and why."""

    event: Event
    reason: str


class SessionRecorder:
    """A session file and its engine, kept in step."""

    def __init__(self, file: SessionFile, engine: TimingEngine) -> None:
        self.file = file
        self.engine = engine
        self._pacer = CollectorPacer()
        self._check: LogCheck | None = None
        self._closed = False

    @classmethod
    def create(
        cls, path: str | Path, settings: SessionSettings, origin: float | None = None
    ) -> SessionRecorder:
        """A new session; ``origin`` as :meth:`SessionFile.create` takes it."""
        return cls(SessionFile.create(path, settings, origin), TimingEngine(settings))

    @classmethod
    def open(
        cls,
        path: str | Path,
        read_only: bool = False,
        check_later: bool = False,
        hold_check: bool = False,
        on_board: Callable[[list[Standing]], None] | None = None,
    ) -> SessionRecorder:
        """Open a saved session; the board is rebuilt exactly from its log, or taken from the
        snapshot of it kept in the file when it fits (:mod:`timingboard.store.snapshot`).

        A damaged log opens read-only up to its first damaged event (``read_only_reason``
        says so); a session another process holds, or that cannot be written, opens read-only.

        ``check_later`` (the window): a long log (``CHECK_LATER_FROM`` events) whose snapshot
        fits its end is read and checked in a worker (:class:`LogCheck`) after the board is
        shown from the snapshot; :meth:`settle` takes its verdict (as above, damage included)
        and is done before anything is written. ``hold_check``: that worker starts at
        :meth:`begin_check` (once the board is shown), or when the verdict is wanted.
        ``on_board``: given the board's rows as that snapshot kept them, before its engine
        is read (a worker's open: the window shows them meanwhile).
        """
        file = SessionFile.open(path, read_only=read_only)
        try:
            if check_later and file.last_seq >= CHECK_LATER_FROM:
                later = _opened_to_check_later(file, not hold_check, on_board)
                if later is not None:
                    return later
            with collection_paused():
                log = list(file.intact_entries())
                if file.damage is None:
                    engine = snapshot.engine_from(file, log)
                else:
                    engine = TimingEngine.from_log(file.settings, log)
        except (SessionFileError, pacing.Cancelled):  # a worker's open cancelled: untouched
            file.close()  # still read-only: closing it writes nothing
            raise
        except Exception as exc:  # a log that decodes but cannot be a session: damaged
            file.close()
            raise SessionFileError(f"{path} is damaged ({type(exc).__name__}: {exc})") from None
        if file.damage is not None:
            file.give_up_writing(f"{file.damage}; opened read-only up to the event before it")
        _begin_writing(file)
        heap.trim()  # what reading the log used on the way
        return cls(file, engine)

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called: nothing more is written."""
        return self._closed

    @property
    def checking(self) -> bool:
        """Whether the log is still being read and checked in the worker."""
        return self._check is not None

    @property
    def check_finished(self) -> bool:
        """Whether :meth:`settle` would not wait (no check, or its verdict is ready)."""
        return self._check is None or self._check.finished

    def begin_check(self) -> None:
        """Start reading and checking the log held back at opening (``hold_check``)."""
        if self._check is not None:
            self._check.begin()

    def when_checked(self, done: Callable[[], None]) -> None:
        """Call ``done`` (in the worker thread) when the log check's verdict is ready."""
        if self._check is not None:
            self._check.notify(done)

    def settle(self) -> bool:
        """Take the log check's verdict (waiting for it): the log joins the engine, or the
        session goes read-only on what is intact before the damage. True if the board shown
        changed (damage was found)."""
        check, self._check = self._check, None
        if check is None:
            return False
        self.file.before_writing = None
        verdict = check.verdict()
        if verdict.damage is None:
            # what a writer appended since the file was opened (a session followed read-only)
            # is not in the snapshot's engine: it comes in as followed (take_appended)
            snapshot.take_log(self.engine, verdict.log[: self.file.last_seq])
            # the log read in the worker, the collector held out until now: frozen without a
            # collection (one walked all 120k events of a 24 h log, ~20 ms of the window's)
            freeze_taken()
            heap.trim()  # what the worker used reading the log
            _begin_writing(self.file)
            return False
        self.engine = verdict.intact_engine or TimingEngine(self.file.settings)
        self.file.damage = verdict.damage  # as when it is found on opening
        self.file.give_up_writing(f"{verdict.damage}; opened read-only up to the event before it")
        return True

    replayed = False  # a live session (qt.session_source.SessionSource)

    @property
    def path(self) -> Path:
        return self.file.path

    @property
    def read_from(self) -> Path:
        return self.file.path

    @property
    def name(self) -> str:
        return self.file.path.name

    @property
    def read_only_reason(self) -> str | None:
        """Why this session takes no events (None: it does)."""
        if not self.file.read_only:
            return None
        return self.file.read_only_reason or "it was opened for reading only"

    @property
    def settings(self) -> SessionSettings:
        return self.engine.settings

    def submit(self, events: Sequence[Event]) -> BoardChange:
        """Check every event, commit them all, then apply them; InvalidEvent leaves all out.

        Each event is checked against the session as it stands before the batch, so a
        correction naming a car must come after the batch that registers the car; the timing
        system's reports may name a car registered earlier in the same batch.
        """
        self.settle()  # a log not yet checked: its verdict first (it may be damaged)
        self.engine.validate_all(events)
        entries: list[LogEntry] = self.file.append(events)
        change = self.engine.apply(entries)
        self._pacer.note(len(entries))
        return change

    def take_appended(self, limit: int) -> tuple[BoardChange, int, str | None]:
        """A session open read-only while another process writes it: the events it appended
        since (up to ``limit``), checked and applied in order as a submit applies them, so the
        board stays what its log says. Returns the change, how many were taken, and what is
        damaged from there on (None: nothing), which is never applied: the session then stands
        where its intact log leaves it (:attr:`SessionFile.damage`), as when opened damaged.
        A file that cannot be read now raises :class:`SessionFileError`, nothing taken."""
        if not self.file.read_only or self.file.damage is not None or self._check is not None:
            return BoardChange(), 0, None
        try:
            entries, damaged = self.file.entries_after_last(limit)
        finally:
            self.file.let_go()  # nothing held between reads: the writer's close makes it one file
        change = BoardChange()
        if entries:
            try:
                change = self.engine.apply(entries)
            except Exception as exc:  # decoded, yet not a session's: as damage on opening
                self.file.damage = (
                    f"{self.path}: the events after #{entries[0].seq - 1} cannot be applied"
                    f" ({type(exc).__name__}: {exc})"
                )
                return change, 0, self.file.damage
            self._pacer.note(len(entries))
        if damaged is not None:
            self.file.damage = str(damaged)
        return change, len(entries), self.file.damage if damaged is not None else None

    def submit_valid(self, events: Sequence[Event]) -> tuple[BoardChange, list[Refused]]:
        """As :meth:`submit`, but an event the session refuses is left out alone, not the batch.

        For feeds: one odd record must not cost the crossings that came with it. The events
        left out come back with the reason; a write that fails (a full disk) still takes none.
        """
        try:
            return self.submit(events), []
        except InvalidEvent:
            pass
        entered: set[str] = set()
        taken: list[Event] = []
        refused: list[Refused] = []
        for event in events:
            try:
                self.engine.validate(event, entered)
            except InvalidEvent as exc:
                refused.append(Refused(event, str(exc)))
                continue
            taken.append(event)
            if isinstance(event, CompetitorSet):
                entered.add(event.key)
        return self.submit(taken), refused

    def close(self, in_background: bool = False) -> None:
        """Close; the board is kept in the file (a snapshot) so that it opens fast next time.

        ``in_background`` (the window): the snapshot is written and the file closed in a worker
        thread (:mod:`timingboard.store.closing`) when there is one to write, or the file to
        checkpoint and turn back into one file (a session switched away from unchanged: that
        file-system work held the window's thread 10-30 ms on a busy disk); nothing changes
        the engine after a close, so the worker takes it as it is.
        """
        if self._closed:  # closed twice (the window and its controller): once is enough, and
            return  # a second worker on the same connection would run alongside the first
        if self._check is not None:  # nothing written since it was opened (see settle)
            self.abandon()
            return
        self._closed = True
        self.settle()
        if in_background and (self.file.writes_on_close or snapshot.wanted(self.file, self.engine)):
            closing.close_in_background(self.file.path, self._keep_and_close)
            return
        self._keep_and_close()

    def abandon(self) -> None:
        """Close a session opened and not changed since (a worker's open cancelled as the
        window closed, or closed while its log is still checked): no snapshot is kept (the one
        it was opened from fits), and its log check is stopped, or not begun: its verdict, the
        whole log read first, is for what is written next (damage is found at the next open)."""
        if self._closed:
            return
        self._closed = True
        check, self._check = self._check, None
        self.file.before_writing = None
        if check is not None:
            check.drop()
        self.file.close()

    def keep_snapshot(self) -> None:
        """Keep the board in the file now (as :meth:`close` does) unless it is kept already."""
        with contextlib.suppress(Exception):  # only a faster next opening is lost, never an event
            snapshot.keep(self.file, self.engine)

    def _keep_and_close(self) -> None:
        try:
            self.keep_snapshot()
        finally:
            self.file.close()


CHECK_LATER_FROM = 20_000  # events: a log this long takes more than ~50 ms to read and check


def _opened_to_check_later(
    file: SessionFile,
    start_check: bool,
    on_board: Callable[[list[Standing]], None] | None = None,
) -> SessionRecorder | None:
    """The session shown from the snapshot kept of its whole log, the log read in a worker;
    None when there is no such snapshot (then it is opened as ever)."""
    kept = snapshot.fitting(file)
    if kept is None or kept[0] != file.last_seq:
        return None
    if on_board is not None:
        rows = snapshot.board_of(kept[1])
        if rows is not None:
            on_board(rows)
    with collection_paused():
        engine = snapshot.restore(kept[1], kept[0], None)
    if engine is None:
        return None
    recorder = SessionRecorder(file, engine)
    recorder._check = LogCheck(file.path, start=start_check)
    file.before_writing = recorder.settle  # nothing is written after a log not yet checked
    return recorder


def _begin_writing(file: SessionFile) -> None:
    try:
        file.begin_writing()
    except SessionFileError as exc:
        file.give_up_writing(str(exc))
