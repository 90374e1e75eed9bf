"""Feed health in the window: the banner, the flag and clock marked stale, Reconnect now.

A feed silent for a few seconds puts "FEED LOST — last data 0:12 ago" (one up that never spoke,
"FEED SILENT — connected 0:12 ago, no data yet") across the desk and the
wall scoreboard, marks the header's flag and clock stale, takes back "order agrees", and after
``RECONNECT_SILENT_MS`` of silence on a link that still looks up, connects again by itself.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QTcpSocket
from PySide6.QtWidgets import QLabel, QMainWindow

from timingboard.app.feed_actions import FeedActions
from timingboard.app.scoreboard_actions import ScoreboardActions
from timingboard.feeds.p3_session import SILENT_AFTER_S
from timingboard.qt.action_registry import ActionId, make_action
from timingboard.qt.feed_health import FeedHealth
from timingboard.qt.p3_client import P3Client
from timingboard.qt.rmonitor_client import LinkState, RMonitorClient
from timingboard.text.feed_status import STALE_AFTER_MS
from timingboard.widgets.elided_label import elide
from timingboard.widgets.scoreboard import Scoreboard
from timingboard.widgets.session_header import SessionHeader

RECONNECT_SILENT_MS = 15_000
DECODER_SILENT_MS = int(SILENT_AFTER_S * 1000)  # a decoder's STATUS comes every few seconds
BANNER_STYLE = "background:#b71c1c; color:#ffffff; font-weight:bold; padding:6px 12px;"


class FeedWatch(QObject):
    """Owns the banner (hidden while the feed is fresh; the window places it) and the health."""

    def __init__(
        self,
        feed: FeedActions,
        header: SessionHeader,
        scoreboard: Scoreboard,
        wall: ScoreboardActions,
        window: QMainWindow,
    ) -> None:
        super().__init__(window)
        self._feed = feed
        self._header = header
        self._scoreboard = scoreboard
        self._wall = wall
        self.health = FeedHealth(parent=self)
        self.banner = elide(QLabel())  # a long reason never widens the window
        self.banner.setObjectName("feedBanner")
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setVisible(False)
        self.reconnect_action = make_action(ActionId.FEED_RECONNECT, window, self.reconnect_now)
        self.health.changed.connect(self._on_health_changed)
        self.health.checked.connect(self._on_health_checked)
        self._reconnected_in_silence = False
        self._watched: QObject | None = None  # the feed's or the decoder's client
        self._address: Callable[[], str] = lambda: ""  # of the link followed
        feed.feed_started.connect(self._on_feed_feed_started)
        feed.is_fresh = lambda: self.health.is_fresh or not self.health.following

    def follow_decoder(self, client: P3Client) -> None:
        """A P3 decoder followed: its silence (no STATUS for ``SILENT_AFTER_S``) or its dropped
        link puts "DECODER LOST — …" up as a silent feed does, flag and clock marked stale."""
        self._watched, self._address = client, lambda: client.address
        socket = client.findChild(QTcpSocket)
        if socket is not None:
            socket.readyRead.connect(self.health.touch)
        client.link_changed.connect(self._on_client_link_changed)
        self.health.lost, self.health.stale_after_ms = "DECODER LOST", DECODER_SILENT_MS
        self.health.start()
        self.reconnect_action.setEnabled(True)  # a lost decoder is tried again now, as a feed

    def _on_feed_feed_started(self) -> None:
        client = self._feed.client
        if client is None:
            return
        self._watched, self._address = client, lambda: client.address
        self.health.lost, self.health.stale_after_ms = "FEED LOST", STALE_AFTER_MS
        socket = client.findChild(QTcpSocket)
        if socket is not None:
            socket.readyRead.connect(self.health.touch)
        # a backlog read a slice a turn brings no readyRead: each slice counts as data too
        client.bytes_read.connect(self._on_client_bytes_read)
        client.link_changed.connect(self._on_client_link_changed)
        self.health.start()
        self.reconnect_action.setEnabled(True)

    def _on_client_bytes_read(self, _size: int) -> None:
        if self.sender() is self._watched:
            self.health.touch()

    def _on_client_link_changed(self, state: str) -> None:
        if self.sender() is not self._watched:
            return  # the link left for another (a decoder followed after a feed): not watched
        if state.startswith(str(LinkState.OFF)):
            self.health.stop()
            self.reconnect_action.setEnabled(False)
        elif state.startswith((str(LinkState.RETRYING), str(LinkState.UNREACHED))):
            where = self._address() or "the timing system"
            reached = state.startswith(str(LinkState.RETRYING))
            why = state.split(": ", 1)[-1]
            self.health.set_link_up(False)
            self.health.set_problem(f"cannot reach {where}: {why}", reached)
        elif state.startswith(str(LinkState.UP)):
            self.health.set_problem("")
            self.health.set_link_up(True)

    def reconnect_now(self) -> None:
        """The link watched (the feed's or the decoder's) connects again at once."""
        client = self._watched
        if isinstance(client, P3Client | RMonitorClient):  # Reconnect now was greyed for one
            client.reconnect_now()

    def _on_health_changed(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))
        self._header.set_stale(bool(text))
        self._scoreboard.set_stale(text)
        self._wall.set_stale(text)
        self._feed.refresh_agreement()
        if not text:
            self._reconnected_in_silence = False

    def _on_health_checked(self, silent: int) -> None:
        """A long silence on a link that still says it is up: connect again, once."""
        client = self._feed.client
        if (
            client is not None
            and silent > RECONNECT_SILENT_MS
            and client.state == LinkState.UP
            and not self._reconnected_in_silence
        ):
            self._reconnected_in_silence = True
            client.reconnect_now()
