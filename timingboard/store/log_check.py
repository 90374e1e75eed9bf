"""The log of a session opened from its snapshot, read and checked in a worker thread.

A session opened from its snapshot shows its board at once; its log must still be read whole,
for the engine (which holds it) and for the hash chain's check, which names damage exactly as
when the log is read to open it. For a long log that takes longer than the window may stall
(a 24-hour session: ~0.3 s on a quiet machine), so it is read here, on its own connection,
while the window paints. :meth:`LogCheck.verdict` waits for it. Made by paced work (a window's
open in its worker: :mod:`timingboard.store.pacing`), it is paced as that work was.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from timingboard.engine.engine import TimingEngine
from timingboard.engine.events import LogEntry
from timingboard.store import pacing
from timingboard.store.bulk import hold_collection
from timingboard.store.session_file import SessionFile, SessionFileError

__all__ = ["CheckVerdict", "LogCheck"]


@dataclass(frozen=True, slots=True)
class CheckVerdict:
    """What reading the log found: the log (up to any damage), and the damage (None: none),
    with the board of what is intact before it when there is."""

    log: list[LogEntry]
    damage: str | None = None
    intact_engine: TimingEngine | None = None


class LogCheck:
    """Reads and checks a session file's log in a worker thread (no Qt: store layer).

    ``done`` is called in the worker thread once the verdict is ready (the Qt layer passes it on
    to the GUI thread with a queued signal).
    """

    def __init__(
        self, path: Path, done: Callable[[], None] | None = None, start: bool = True
    ) -> None:
        self._path = path
        self._done = done
        self._verdict: CheckVerdict | None = None
        self._lock = threading.Lock()
        self._ready = False
        self._started = False
        self._cancelled = threading.Event()  # set: the reading stops (:meth:`drop`)
        self._thread = threading.Thread(target=self._run, name="timingboard-log-check")
        self._thread.daemon = True
        self._resume_collection: Callable[[], None] = lambda: None
        self._pacer = pacing.current()  # paced as the work that made it (its gate ticks on)
        self._release_pacer = pacing.held(self._pacer)
        weakref.finalize(self, self._release_pacer)  # a check never begun lets its gate stop
        if start:
            self.begin()

    def begin(self) -> None:
        """Start reading (once). Held back (``start=False``) while the window's thread shows the
        board: the worker's reading took half of the GIL from the views' reset and first paint
        of a 24 h session.

        The collector is kept out from then until the verdict is taken (:meth:`verdict`):
        its passes over the growing log would stall the window too, and one on the window's
        thread between the reading's end and the verdict walked the whole log."""
        with self._lock:
            if self._started:
                return
            self._started = True
        self._resume_collection = hold_collection()
        weakref.finalize(self, self._resume_collection)  # a check dropped untaken: resumed too
        self._thread.start()

    def drop(self) -> None:
        """The verdict is not wanted (its session closed unchanged): a check not begun never
        begins; one begun stops at its next pause point and is waited for (no thread is left
        reading). A window closed while a 24 h session's log was checked waited ~0.5 s."""
        with self._lock:
            begun, self._started = self._started, True
        if not begun:
            self._release_pacer()
            return
        self._cancelled.set()
        if self._pacer is None:
            self._thread.join()
        else:
            with self._pacer.waited_for():  # it does not wait for a free moment meanwhile
                self._thread.join()
        self._resume_collection()

    def notify(self, done: Callable[[], None]) -> None:
        """Call ``done`` when the verdict is ready (at once if it is)."""
        with self._lock:
            self._done = done
            ready = self._ready
        if ready:
            done()

    @property
    def finished(self) -> bool:
        """Whether the verdict is ready (:meth:`verdict` then waits for no reading)."""
        with self._lock:
            return self._ready

    def verdict(self) -> CheckVerdict:
        """The verdict, waiting for the worker if it is still reading (started if held)."""
        self.begin()
        if self._pacer is None:
            self._thread.join()
        else:
            with self._pacer.waited_for():  # not paced while this thread waits for it
                self._thread.join()
        self._resume_collection()  # the taker freezes the log (it makes no garbage cycles)
        assert self._verdict is not None
        return self._verdict

    def _run(self) -> None:
        try:
            with pacing.paced(self._pacer, self._cancelled):
                self._verdict = _read(self._path)
        except pacing.Cancelled:
            pass  # dropped: no verdict is taken
        except Exception as exc:  # whatever it is, it is damage to be named
            self._verdict = CheckVerdict([], f"{self._path} is damaged ({exc})", None)
        finally:
            self._release_pacer()
        with self._lock:
            self._ready = True
            done = self._done
        if done is not None and not self._cancelled.is_set():  # dropped: nobody waits for it
            done()


def _read(path: Path) -> CheckVerdict:
    """The log read and checked (the collector kept out meanwhile: :meth:`LogCheck.begin`)."""
    return _read_all(path)


def _read_all(path: Path) -> CheckVerdict:
    file = SessionFile.open(path, read_only=True)
    try:
        log = list(file.intact_entries())
    except SessionFileError as exc:
        return CheckVerdict([], str(exc), TimingEngine(file.settings))
    finally:
        file.close()
    if file.damage is None:
        return CheckVerdict(log)
    return CheckVerdict(log, file.damage, TimingEngine.from_log(file.settings, log))
