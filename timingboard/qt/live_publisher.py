"""The open session as JSON messages for live followers, gathered to a few a second."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from timingboard.feeds.live_json import LiveBoard, Message
from timingboard.qt.session_controller import SessionController

GATHER_MS = 100  # changes within this go out as one delta
HEARTBEAT_MS = 2000  # flag and clock go out at least this often, changed or not


def session_id_of(controller: SessionController) -> str:
    """A session's id for followers and topics: its file's name without the ending."""
    path = controller.recorder.path  # a recorder's file, a replay's, none for a followed board
    name = path.stem if path is not None else controller.engine.settings.name
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in name) or "session"


class LivePublisher(QObject):
    """Watches the controller and makes the messages every sink (web page, broker) sends.

    A new session starts with a snapshot; a change goes out at once as a delta, the changes
    that follow within :data:`GATHER_MS` as one more, and the flag and clock at least every
    :data:`HEARTBEAT_MS`, so that followers see the session is alive.

    Signals
    -------
    published(dict)
        A message for followers: a snapshot (a new session) or a delta.
    """

    published = Signal(dict)

    def __init__(self, controller: SessionController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._board = LiveBoard(session_id_of(controller))
        self._gather = QTimer(self, singleShot=True, interval=GATHER_MS)
        self._gather.timeout.connect(self._on_gather_timeout)
        self._heartbeat = QTimer(self, interval=HEARTBEAT_MS)
        self._heartbeat.timeout.connect(self._on_heartbeat_timeout)
        self._dirty = False
        controller.board_changed.connect(self._on_controller_board_changed)
        controller.session_reset.connect(self._on_controller_session_reset)

    @property
    def session_id(self) -> str:
        return self._board.session_id

    def start(self) -> Message:
        """Begin publishing; returns the first snapshot (also sent as :attr:`published`)."""
        self._heartbeat.start()
        return self._restart()

    def stop(self) -> None:
        self._gather.stop()
        self._heartbeat.stop()

    def _restart(self) -> Message:
        self._board = LiveBoard(session_id_of(self._controller))
        self._update()
        snapshot = self._board.snapshot()
        self.published.emit(snapshot)
        return snapshot

    def _update(self) -> Message:
        controller = self._controller
        return self._board.update(
            controller.engine,
            controller.clock_ms(),
            controller.clock_running,
            controller.reported_laps_to_go,
        )

    def _on_controller_board_changed(self, _change: object) -> None:
        """A lone crossing goes out at once; what follows within :data:`GATHER_MS` goes out
        together when that time is up."""
        if not self._heartbeat.isActive():
            return
        if self._gather.isActive():
            self._dirty = True
            return
        self.published.emit(self._update())
        self._dirty = False
        self._gather.start()

    def _on_controller_session_reset(self) -> None:
        if self._heartbeat.isActive():
            self._gather.stop()
            self._restart()

    def _on_gather_timeout(self) -> None:
        if self._dirty:
            self._dirty = False
            self.published.emit(self._update())

    def _on_heartbeat_timeout(self) -> None:
        self.published.emit(self._update())
