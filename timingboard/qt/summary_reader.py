"""The Event view's session files read in a worker thread, their rows sent back by signal.

Reading a session's summary rebuilds its board from its log: a 24-hour session takes seconds,
and the Event view lists every session of the folder. On the GUI thread that froze the window
(29 s with three copies of a 24-hour session); here the window paints and takes each row as it
comes, through a queued signal. What each read leaves (its engine and log) is freed in pieces
here too, the GIL offered to the GUI thread between them (:mod:`timingboard.store.piecemeal`).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace

from PySide6.QtCore import QObject, Signal

from timingboard.store import event_folder
from timingboard.store.bulk import collection_paused
from timingboard.store.event_folder import Planned, Status, being_read
from timingboard.store.piecemeal import release_in_pieces

__all__ = ["SummaryReader"]


class SummaryReader(QObject):
    """Reads session summaries in one worker thread at a time; a new read ends the last one.

    Signals
    -------
    summary_read(int, object)
        A read's number and one session's :class:`SessionSummary` (queued to the GUI thread).
    finished(int)
        A read's number: it is done (or was given up for a newer one).
    """

    summary_read = Signal(int, object)
    finished = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._given_up: dict[int, threading.Thread] = {}  # by read: ending, joined once done
        self.finished.connect(self._on_self_finished)

    @property
    def reading(self) -> bool:
        """Whether a read is still running."""
        return self._thread is not None and self._thread.is_alive()

    def read(self, plans: Sequence[Planned]) -> int:
        """Read the summaries of ``plans``; the read's number. The last read is given up, not
        waited for: its worker ends after the file it is reading (a 24-hour session takes
        seconds: waiting held the window that long) and is joined once it says it is done."""
        self.give_up()
        self._generation += 1
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run,
            args=(self._generation, list(plans), self._stop),
            name="timingboard-event-summaries",
        )
        self._thread.start()
        return self._generation

    def give_up(self) -> None:
        """Give up the read running, if any, without waiting: its worker ends after the file
        it is reading, and is joined once it says it is done (``finished``)."""
        self._stop.set()
        if self._thread is not None:
            self._given_up[self._generation] = self._thread
            self._thread = None

    def stop(self) -> None:
        """Give up the read running, if any, and wait for its worker (and those given up
        before) to end: the window closes."""
        self.give_up()
        threads, self._given_up = self._given_up, {}
        for thread in threads.values():
            thread.join()

    def _on_self_finished(self, generation: int) -> None:
        """A read said it is done, its worker's last act: the worker is joined (at once)."""
        thread: threading.Thread | None
        if generation == self._generation and self._thread is not None:
            thread, self._thread = self._thread, None
        else:
            thread = self._given_up.pop(generation, None)
        if thread is not None:
            thread.join()

    def _run(self, generation: int, plans: list[Planned], stop: threading.Event) -> None:
        try:
            for path, made_from, rule in plans:
                if stop.is_set():
                    return
                try:
                    with collection_paused():  # the GUI thread's collector stays out of it
                        summary = event_folder.summarise_session(
                            path, made_from, rule, release=release_in_pieces
                        )
                except Exception as exc:  # a file that cannot be read says why in its row
                    summary = replace(
                        being_read(path, made_from, rule), status=Status.SCHEDULED, problem=str(exc)
                    )
                if stop.is_set():
                    return
                self.summary_read.emit(generation, summary)
        finally:
            self.finished.emit(generation)
