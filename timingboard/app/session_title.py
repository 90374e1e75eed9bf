"""The window says what it shows: the session, its file, and LIVE, CHECKERED, FINISHED, RESULTS
OFFICIAL, REPLAY or FOLLOWING.

LIVE only while someone times it now (a feed, the demo, an operator at this board, or another
board writing the file); a session past its finish (its checkered, its laps or its time: a
finished or imported one opened) is CHECKERED while a car is still out (it may yet take the
flag: race control can tell it was not ended), FINISHED once every car is in
(:attr:`~timingboard.engine.reading.BoardReading.all_in`), and RESULTS OFFICIAL once declared
so. One whose last passing came from a feed or a decoder that times it no more (an imported
capture opened) is STOPPED until the operator logs a passing of their own; the demo's own file
says the demo recorded it, not a decoder (its passings are stamped a simulated decoder's). One
whose last timed event is long past (:mod:`engine.long_past`: an earlier day's, its clock
standing) is STOPPED and says the day it was recorded on; finished, it reads FINISHED as it
always did. A session the timing system ended (its end of session, no checkered) or the operator
ended (Flag ▸ End session…) is FINISHED, as its results are final. A copy branched from a replay
to correct it is a record whatever its day (STOPPED, FINISHED…), and says whose copy it is, not
who timed it: "STOPPED (copy of heat-1.tbs for corrections)".

The status bar names the file of the session now shown (never the one before), and says which
producer stopped when another session took the board.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMainWindow

from timingboard.qt.log_follow import MARKS, FollowState
from timingboard.qt.session_controller import SessionController
from timingboard.qt.session_source import ProducerKind, SessionProducer, kind_of
from timingboard.store.session_file import DEMO_TIMED
from timingboard.text.opening_text import opening_title
from timingboard.text.session_text import recorded_day

APPLICATION = "timingboard"
STOPPED = {  # a decoder's sessions stay the operator's when it stops: nothing to say
    ProducerKind.DEMO: "Demo stopped",
    ProducerKind.FEED: "Feed disconnected",
    ProducerKind.FOLLOW: "Following stopped",
    ProducerKind.REPLAY: "Replay closed",
}


def session_path(controller: SessionController) -> Path | None:
    """The file of the session shown, if it has one."""
    path = controller.recorder.path
    return Path(path) if path is not None else None


AFTER_FEED = "LIVE (feed disconnected — typed passings go to this file)"
FINISHED = "FINISHED"
CHECKERED = "CHECKERED"
OFFICIAL = "RESULTS OFFICIAL"


def branched_mark(original: str) -> str:
    """What the title says of a copy branched from ``original`` (a file's name) to correct it."""
    return f"copy of {original} for corrections"


RECORDED_BY = {"feed": " from a feed", "decoder": " from a decoder"}
BY_THE_DEMO = " from the demo"  # its passings are stamped a decoder's: none was connected


def recorded_by(controller: SessionController) -> str | None:
    """Who timed the session shown, as the title says it (" from a feed"), from its last
    passing's source; None when the operator did (by hand). A file the demo wrote says so
    (:data:`~timingboard.store.session_file.DEMO_TIMED`): its scripted passings are stamped
    a decoder's, as a simulated decoder's, though no decoder was ever connected."""
    by = RECORDED_BY.get(str(controller.engine.last_passing_source()))
    file = controller.recorder.file
    if by == RECORDED_BY["decoder"] and file is not None and file.timed_by == DEMO_TIMED:
        return BY_THE_DEMO
    return by


def state_mark(controller: SessionController, timed_now: bool = True) -> str:
    """LIVE until the finish (the header's "Finished" moment), then FINISHED; RESULTS OFFICIAL
    once declared: a session nobody times any more never says LIVE. ``timed_now``: a producer
    writes into it; without one, a session whose last passing is a feed's or a decoder's is
    STOPPED (an imported capture opened said LIVE)."""
    engine = controller.engine
    branched = None if timed_now else controller.branched_from()
    copy = f" ({branched_mark(branched)})" if branched is not None else ""
    if engine.results_declared():
        return OFFICIAL + copy
    if engine.all_in:
        return FINISHED + copy  # every car took the flag, or an end (the timing system's, …)
    if engine.over:
        return CHECKERED + copy  # a car is still out: it may yet take the flag, or be ended
    if copy:  # a record whatever its day, and whoever timed it (the demo's "decoder")
        return f"STOPPED{copy}"
    by = None if timed_now else recorded_by(controller)
    origin = None if timed_now else controller.recorded_origin()
    if origin is not None:  # a record of the past: its clock stands, typing is refused
        return f"STOPPED (recorded{by or ''} on {recorded_day(origin)})"
    return "LIVE" if by is None else f"STOPPED (recorded{by})"


def session_mark(controller: SessionController, after_feed: bool = False) -> str:
    """LIVE, LIVE (demo), FINISHED, RESULTS OFFICIAL, FOLLOWING, REPLAY; read-only when nothing
    can be written.

    ``after_feed``: the session is a feed's, left when the feed was disconnected; the operator
    goes on timing it by hand (the race on track goes on), and the title says where typing goes.
    """
    producer = controller.producer
    kind = kind_of(producer)
    if controller.is_replay or kind is ProducerKind.REPLAY:
        return "REPLAY (read-only)"
    shown = producer is not None and producer.session_shown
    if kind is ProducerKind.FOLLOW:
        waiting = "" if shown else ", waiting for the publishing board"
        return f"FOLLOWING (read-only{waiting})"
    if kind is ProducerKind.FEED:
        return "FOLLOWING" if shown else "FOLLOWING (waiting for the feed)"
    file = controller.recorder.file
    read_only = " (read-only)" if file is not None and file.read_only else ""
    followed = controller.log_follow.state
    if read_only and kind is None and followed is not None:
        if followed is FollowState.FOLLOWING:  # another process writes it: its state, as its
            return f"{state_mark(controller)}{read_only}"  # writer's title says (not LIVE)
        return MARKS[followed]
    if kind is ProducerKind.DEMO:
        return f"{state_mark(controller)} (demo){read_only}"
    state = state_mark(controller, timed_now=kind is not None or after_feed)
    if after_feed and not read_only and state == "LIVE":
        return AFTER_FEED
    return f"{state}{read_only}"


def window_title(controller: SessionController, after_feed: bool = False) -> str:
    name = controller.engine.settings.name
    path = session_path(controller)
    if controller.is_replay and path is None:
        shown = controller.recorder.name  # a capture: its file and the session of it
    else:
        shown = f"{name} — {path.name}" if path is not None else name
    return f"{shown} — {session_mark(controller, after_feed)} · {APPLICATION}"


class SessionTitle(QObject):
    """Keeps the window title and the status bar true to the session shown."""

    def __init__(self, controller: SessionController, window: QMainWindow) -> None:
        super().__init__(window)
        self._controller = controller
        self._window = window
        self._shown: Path | None = session_path(controller)
        self._after_feed = False  # a feed's session, shown on after its feed was disconnected
        self._opening: str | None = None  # a session being opened: said in place of the one before
        controller.session_reset.connect(self._on_controller_session_reset)
        controller.producer_changed.connect(self._on_controller_producer_changed)
        controller.board_changed.connect(self._on_controller_board_changed)
        controller.log_follow.state_changed.connect(self.refresh)  # its writer closed it…
        self.refresh()

    def mark(self) -> str:
        """What the title says of the session's state (LIVE, STOPPED (…), FINISHED…)."""
        return session_mark(self._controller, self._after_feed)

    def show_opening(self, line: str | None) -> None:
        """While a session is opened the title says ``line`` ("Opening 24h.tbs…"), not the
        session before's name, file and LIVE (None: the open ended)."""
        self._opening = line
        self.refresh()

    def refresh(self) -> None:
        title = (
            opening_title(self._opening)
            if self._opening is not None
            else window_title(self._controller, self._after_feed)
        )
        if self._window.windowTitle() != title:
            self._window.setWindowTitle(title)

    def _on_controller_board_changed(self, _change: object) -> None:
        self.refresh()  # a renamed session, or a feed that named its run

    def _on_controller_session_reset(self) -> None:
        path = session_path(self._controller)
        if path != self._shown:
            self._after_feed = False
        self.refresh()
        if path != self._shown:
            self._shown = path
            self._say("")

    def _on_controller_producer_changed(
        self, before: SessionProducer | None, now: SessionProducer | None
    ) -> None:
        self._after_feed = (
            kind_of(before) is ProducerKind.FEED
            and before is not None
            and before.session_shown
            and now is None
        )
        self.refresh()
        stopped = STOPPED.get(before.producer_kind, "") if before is not None else ""
        self._shown = session_path(self._controller)
        self._say(stopped)

    def _say(self, stopped: str) -> None:
        path = self._shown
        shown = f"Session file: {path}" if path is not None else "No session file"
        if self._after_feed:
            shown = f"Typed passings now go to {path}"
        recorder = self._controller.recorder
        if self._controller.is_replay:  # the file in full (the title has its name only)
            shown = f"Replaying {recorder.read_from or recorder.name}"
        self._window.statusBar().showMessage(f"{stopped}. {shown}" if stopped else shown)
