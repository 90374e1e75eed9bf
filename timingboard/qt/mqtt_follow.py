"""A board followed through an MQTT broker, shown in the window's controller (read-only).

paho reads the broker in its own thread (:class:`~timingboard.web.mqtt_follower.
BrokerSubscriber`); what it hears comes here through queued signals only, and everything else
(the sequence, the engine, the clock, the views) happens on the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal

from timingboard.engine.settings import SessionSettings
from timingboard.feeds.live_follow import (
    FollowedRecorder,
    FollowStream,
    FollowTarget,
    PublishedEngine,
)
from timingboard.qt.feed_health import FeedHealth
from timingboard.qt.session_controller import SessionController
from timingboard.qt.session_source import ProducerKind
from timingboard.web.mqtt_follower import RETRY_FIRST_S, RETRY_MAX_S, BrokerSubscriber, Link

CLOCK_SLACK_MS = 300  # the clock is set again when it is further than this from the publisher's


class MqttFollowClient(QObject):
    """The producer of a followed board: the retained snapshot, then deltas in sequence.

    Signals
    -------
    link_changed(str)
        The link to the broker, for the status bar.
    board_shown(str)
        A session's board is shown (its name): the first snapshot of it arrived.
    problem_reported(str)
        A message could not be read (it is skipped; the board asks for a snapshot).
    """

    link_changed = Signal(str)
    board_shown = Signal(str)
    problem_reported = Signal(str)
    _arrived = Signal(str, bytes)  # from paho's thread
    _linked = Signal(str, str)  # from paho's thread

    def __init__(
        self, controller: SessionController, target: FollowTarget, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.target = target
        self.stream = FollowStream(target.topic)
        self.health = FeedHealth(parent=self, lost="FOLLOW LOST")
        self.state = Link.OFF
        self.session_shown_name: str | None = None
        self.failed_tries = 0  # since the broker was last reached
        self._fresh = True  # the next board shown starts the views again
        self._arrived.connect(self._on_self_arrived, Qt.ConnectionType.QueuedConnection)
        self._linked.connect(self._on_self_linked, Qt.ConnectionType.QueuedConnection)
        self._subscriber = BrokerSubscriber(
            target.host, target.port, self._arrived.emit, self._linked.emit
        )
        controller.producer_changed.connect(self._on_controller_producer_changed)

    producer_kind = ProducerKind.FOLLOW

    @property
    def session_shown(self) -> bool:
        return self.session_shown_name is not None

    def hand_timing_refusal(self) -> None:
        """None here: the followed board itself refuses what is typed (it is changed on the
        publishing board), and says so."""

    @property
    def where(self) -> str:
        return self.target.url

    def start(self) -> None:
        """Show a blank board that says what it waits for, and connect (retried until closed)."""
        self._show_blank(self.target.topic)
        self.state = Link.CONNECTING
        self.health.start()
        self._subscriber.start()

    def close(self) -> None:
        """Stop following (the board shown stays, read-only)."""
        if self.state is Link.OFF:
            return
        self.state = Link.OFF
        self.health.stop()
        self._subscriber.close()
        self.link_changed.emit(self.link_text())

    def link_text(self) -> str:
        """``Following mqtt://host:port/topic — connected`` (or connecting, lost, …): the
        status bar's link line. The session shown is in the title, not repeated here."""
        following = f"Following {self.target.url} —"
        return {
            Link.OFF: f"Not following {self.target.url}",
            Link.CONNECTING: f"{following} connecting…",
            Link.UP: f"{following} connected"
            if self.session_shown
            else f"{following} connected, waiting for the publishing board",
            Link.DOWN: f"{following} LOST, retrying (waits {self._retry_text()})",
            Link.UNREACHABLE: f"{following} not reachable, retrying (waits {self._retry_text()})",
        }[self.state]

    def _retry_text(self) -> str:
        return f"{RETRY_FIRST_S} to {RETRY_MAX_S} s"

    # --- the board ---------------------------------------------------------------------------

    def _show_blank(self, name: str) -> None:
        engine = PublishedEngine(SessionSettings(name=name))
        self.controller.load(FollowedRecorder(engine, self.where), producer=self)
        self.controller.hold_clock(0)
        self._fresh = True

    def _on_self_arrived(self, topic: str, payload: bytes) -> None:
        if self.state is Link.OFF:
            return  # closed: what was still queued is not shown
        self.health.touch()
        step = self.stream.take(topic, payload)
        if step.bad:
            self.problem_reported.emit(step.bad)
        if step.unsubscribe:
            self._subscriber.unsubscribe(step.unsubscribe)
        if step.switched is not None:
            self.session_shown_name = None
            self._show_blank(step.switched)
        if step.subscribe:
            self._subscriber.subscribe(step.subscribe)
        if step.ask is not None:
            self._subscriber.ask(step.ask)
            self._subscriber.subscribe([f"{self.stream.session_topic}/snapshot"])  # the retained
            self.link_changed.emit(self.link_text())
        if step.updated:
            self._show_board()
        if step.switched is not None or step.ask is not None or step.updated:
            self.link_changed.emit(self.link_text())

    def _show_board(self) -> None:
        controller = self.controller
        engine = controller.engine
        if not isinstance(engine, PublishedEngine):
            return
        change = engine.show(self.stream.follower)
        status = self.stream.follower.status
        told = status.get("told_laps_to_go")
        if self._fresh:
            self._fresh = False
            self.session_shown_name = engine.settings.name  # the title says so at the load
            controller.load(controller.recorder, producer=self)  # the views start again
            self.board_shown.emit(engine.settings.name)
        else:
            controller.announce(change)
        controller.reported_laps_to_go = told if isinstance(told, int) else None
        self._set_clock(engine.clock_ms, bool(status.get("clock_running")))

    def _set_clock(self, now_ms: int, running: bool) -> None:
        if not running:
            self.controller.hold_clock(now_ms)
        elif (
            not self.controller.clock_running
            or abs(self.controller.clock_ms() - now_ms) > CLOCK_SLACK_MS
        ):
            self.controller.run_clock(now_ms)

    # --- the link ----------------------------------------------------------------------------

    def _on_self_linked(self, state: str, detail: str) -> None:
        if self.state is Link.OFF:
            return  # closed: paho's last words are not news
        before, self.state = self.state, Link(state)
        self.failed_tries = 0 if self.state is Link.UP else self.failed_tries
        self.failed_tries += self.state is Link.UNREACHABLE
        if self.state is Link.UNREACHABLE and before is Link.DOWN:
            self.state = Link.DOWN  # a retry that failed: still lost, not "never reached"
        self.health.set_link_up(self.state is Link.UP)
        if self.state is Link.UP:
            self._subscriber.subscribe(self.stream.topics())  # retained ones come at once
            if before is Link.DOWN or self.stream.waiting:  # what went out meanwhile is lost
                self._subscriber.ask(self.stream.request_topic)
        self.link_changed.emit(self.link_text())

    def _on_controller_producer_changed(self, _before: object, now: object) -> None:
        if now is not self and self.state is not Link.OFF:
            self.close()  # another session took the window (File ▸ Open, a feed, a replay)
