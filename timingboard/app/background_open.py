"""A long session file opened in a worker thread: the window's thread stays free meanwhile.

Reading back the snapshot of a 24-hour session (File ▸ Open) took ~0.5 s of the window's
thread; in a worker the window still repaints and takes keys, the board shown stays the one
before until the new one is whole (never a half state), and the new one is shown at once.

The worker is paced (:mod:`timingboard.store.pacing`): it reads in slices while the window's
event loop is free, so the window's own turns meanwhile (the board shown ahead, its paints, the
views' reset) have the GIL to themselves; so is the log's check it leaves behind.
"""

from __future__ import annotations

import itertools
import threading
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, Qt, Signal

from timingboard.engine.standings import Standing
from timingboard.qt.worker_gate import WorkerGate
from timingboard.store import pacing
from timingboard.store.bulk import freeze_taken, hold_collection
from timingboard.store.recorder import SessionRecorder
from timingboard.store.session_file import SessionFileError


class Opened(Protocol):
    """What a worker opens: a session recorder, or a replay source."""

    def close(self, in_background: bool = False) -> None: ...

    def abandon(self) -> None: ...


Prepare = Callable[[Any], Callable[[], None]]
"""Run in the worker on the session opened (reading only); what it returns is run on the
window's thread just before the session is shown (a view's sorting done ahead)."""

IN_WORKER_FROM = 4_000_000  # bytes: ~50 ms of the window's thread to open on the spot


def opens_in_worker(path: str | Path) -> bool:
    """Whether the file is long enough to be opened in a worker (a small one opens at once)."""
    try:
        return Path(path).stat().st_size >= IN_WORKER_FROM
    except OSError:
        return False  # said when it is opened, as ever


class BackgroundOpen(QObject):
    """Opens files in worker threads with ``opener`` (a session recorder's, by default; a
    replay's), one shown: the latest asked for. ``opener`` raises SessionFileError with the
    message for the operator.

    Signals
    -------
    started(str)
        An open was asked for and its worker started: the path (``opened`` or ``failed``
        follows, unless another is asked for meanwhile).
    opened(object, str)
        What was opened (the recorder, the replay source), and its path (the latest asked
        for only).
    failed(str, str)
        The message for the operator, and the path that could not be opened.
    board_read(list, str)
        A session's board's rows as its snapshot kept them, read before the rest of it (the
        default opener only; the latest asked for only), and its path: ``opened`` or
        ``failed`` follows.
    dropped(str)
        The open asked for is no longer wanted (another session was shown meanwhile,
        :meth:`drop`): its path; nothing else follows of it.
    """

    started = Signal(str)
    opened = Signal(object, str)
    failed = Signal(str, str)
    board_read = Signal(list, str)
    dropped = Signal(str)
    _done_in_worker = Signal(int)  # emitted by the worker; queued here
    _board_in_worker = Signal(int, list)  # emitted by the worker; queued here

    def __init__(
        self, parent: QObject | None = None, opener: Callable[[str], Opened] | None = None
    ) -> None:
        super().__init__(parent)
        self._opener = opener or _session
        self._tells_board = opener is None
        self._asked = 0  # the latest open asked for (0: none, or it was dropped)
        self._tickets = itertools.count(1)  # each worker's own, never given twice
        self._asked_path = ""
        self._lock = threading.Lock()
        self._threads: dict[int, threading.Thread] = {}
        self._cancelled: dict[int, threading.Event] = {}  # set: that worker stops reading
        self._paths: dict[int, str] = {}  # what each worker still running reads
        self._results: dict[int, tuple[str, Opened | str, list[Callable[[], None]]]] = {}
        self._collector_held: dict[int, Callable[[], None]] = {}  # a worker's, till frozen
        weakref.finalize(self, _resume_all, self._collector_held)  # deleted while one read
        self._prepares: list[Prepare] = []
        self.gate = WorkerGate(self)  # the workers read while the event loop is free
        self._done_in_worker.connect(
            self._on_self_done_in_worker, Qt.ConnectionType.QueuedConnection
        )
        self._board_in_worker.connect(
            self._on_self_board_in_worker, Qt.ConnectionType.QueuedConnection
        )

    @property
    def busy(self) -> bool:
        """Whether an open asked for is not shown yet (one dropped is not waited for)."""
        return self._asked in self._threads

    def prepare(self, prepare: Prepare) -> None:
        """Have ``prepare`` run in the worker on each session opened (see :data:`Prepare`)."""
        self._prepares.append(prepare)

    def start(self, path: str | Path) -> None:
        """Open ``path`` in a worker; ``opened`` or ``failed`` says it. An open asked for
        before and not done is dropped (its recorder closed); the same file asked for again
        while it is read is read once (a second reader would find it held by the first, and
        open it read-only)."""
        reading = [t for t, p in self._paths.items() if p == str(path) and t in self._threads]
        if reading:  # still read (also one dropped since): that worker's result is the one
            if reading[-1] != self._asked:
                self._asked, self._asked_path = reading[-1], str(path)
                self.started.emit(str(path))
            return
        ticket = self._asked = next(self._tickets)
        self._asked_path = str(path)
        cancelled = self._cancelled[ticket] = threading.Event()
        thread = threading.Thread(
            target=self._work,
            args=(ticket, str(path), self.gate.begin(), cancelled),
            name="open-session",
            daemon=True,
        )
        self._threads[ticket] = thread
        self._paths[ticket] = str(path)
        self._collector_held[ticket] = hold_collection()  # until what it read is frozen
        thread.start()
        self.started.emit(str(path))

    def drop(self) -> None:
        """The open asked for is no longer wanted: another session was shown meanwhile (opened
        on the spot, or another open asked for elsewhere). Its worker ends in its own time,
        its file closed then; ``dropped`` says it now."""
        if self.busy:
            self._asked = 0  # its result is not the latest asked for: closed when it comes
            self.dropped.emit(self._asked_path)

    def _work(
        self, ticket: int, path: str, pacer: pacing.Pacer, cancelled: threading.Event
    ) -> None:
        try:
            with pacing.paced(pacer, cancelled):
                self._open_paced(ticket, path)
        except pacing.Cancelled:
            pass  # the window closed: its file was closed unchanged on the way out
        finally:
            pacer.release()

    def _open_paced(self, ticket: int, path: str) -> None:
        result: Opened | str
        ready: list[Callable[[], None]] = []
        try:
            if self._tells_board:
                result = _session(path, lambda rows: self._board_in_worker.emit(ticket, rows))
            else:
                result = self._opener(path)
            for prepare in self._prepares:
                try:
                    ready.append(prepare(result))
                except Exception:  # only time ahead is lost: the view does it when shown
                    continue
        except SessionFileError as exc:
            result = str(exc)
        except Exception as exc:  # never a traceback: the operator hears it
            result = f"{path} could not be opened ({type(exc).__name__}: {exc})"
        with self._lock:
            self._results[ticket] = (path, result, ready)
        self._done_in_worker.emit(ticket)

    def _on_self_board_in_worker(self, ticket: int, rows: list[Any]) -> None:
        if ticket == self._asked and ticket in self._threads:
            self.board_read.emit(rows, self._asked_path)

    def _on_self_done_in_worker(self, ticket: int) -> None:
        thread = self._threads.pop(ticket, None)
        self._paths.pop(ticket, None)
        self._cancelled.pop(ticket, None)
        if thread is not None:
            thread.join()
        with self._lock:
            taken = self._results.pop(ticket, None)
        resume_collection = self._collector_held.pop(ticket, lambda: None)
        if taken is None:
            resume_collection()
            return  # cancelled meanwhile
        path, result, ready = taken
        if ticket != self._asked:  # another was asked for since
            resume_collection()
            if not isinstance(result, str):
                result.close(in_background=True)
            return
        if not isinstance(result, str):
            freeze_taken()  # the load's full collection then walks only what is not the session
        resume_collection()
        if not isinstance(result, str):
            for hand_over in ready:
                hand_over()
            self.opened.emit(result, path)
        else:
            self.failed.emit(result, path)

    def cancel(self) -> None:
        """Drop any open not done (the window closes): each worker stops at its next pause
        point (a slice of a few ms: :mod:`timingboard.store.pacing`) and is waited for, its
        file closed unchanged. It waited for the whole read (a 24 h session: seconds)."""
        self._asked = 0
        threads, self._threads = self._threads, {}
        cancelled, self._cancelled = self._cancelled, {}
        self._paths = {}
        for event in cancelled.values():
            event.set()
        with self.gate.pacer.waited_for():  # none waits for a free moment meanwhile
            for thread in threads.values():
                thread.join()
        with self._lock:
            results, self._results = self._results, {}
        _resume_all(self._collector_held)
        for _path, result, _ready in results.values():
            if not isinstance(result, str):
                result.abandon()  # read whole, never shown: nothing to keep in it


def _resume_all(held: dict[int, Callable[[], None]]) -> None:
    """The collector back for every worker's load held out (see :func:`hold_collection`)."""
    for resume_collection in held.values():
        resume_collection()
    held.clear()


def _session(
    path: str, on_board: Callable[[list[Standing]], None] | None = None
) -> SessionRecorder:
    """A session opened to go on with it; its log is checked once its board is shown."""
    return SessionRecorder.open(path, check_later=True, hold_check=True, on_board=on_board)
