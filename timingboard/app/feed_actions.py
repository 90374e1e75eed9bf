"""The Feed menu: follow a timing system's RMonitor feed, or publish ours."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QWidget

from timingboard.feeds.official_order import disagreements, official_positions
from timingboard.qt.frame_throttle import FrameThrottle
from timingboard.qt.leaderboard_model import LeaderboardModel
from timingboard.qt.rmonitor_client import RMonitorClient
from timingboard.qt.rmonitor_server import RMonitorServer
from timingboard.qt.session_controller import SessionController
from timingboard.widgets.feed_dialogs import DEFAULT_RMONITOR_PORT, ConnectDialog, PublishDialog
from timingboard.widgets.leaderboard_view import LeaderboardView

MOST_DIFFERENCES_SHOWN = 3


class FeedActions(QObject):
    """Owns the feed client and the publishing server; says how the link and the order stand.

    Signals
    -------
    feed_started()
        A feed is being followed (any demo or manual session stops taking events).
    """

    feed_started = Signal()

    def __init__(
        self,
        controller: SessionController,
        board: LeaderboardView,
        board_model: LeaderboardModel,
        settings: QSettings,
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self._controller = controller
        self._board = board
        self._board_model = board_model
        self._settings = settings
        self._window = window
        self.client: RMonitorClient | None = None
        self.server: RMonitorServer | None = None
        self.link_label = QLabel("Feed: not connected")
        self.order_label = QLabel("")
        self.publish_label = QLabel("")
        self.connect_action = QAction("&Connect to timing feed…", window)
        self.disconnect_action = QAction("&Disconnect", window, enabled=False)
        self.publish_action = QAction("&Publish standings…", window)
        self.stop_publish_action = QAction("&Stop publishing", window, enabled=False)
        self.connect_action.triggered.connect(self._on_connect_action_triggered)
        self.disconnect_action.triggered.connect(self.disconnect_feed)
        self.publish_action.triggered.connect(self._on_publish_action_triggered)
        self.stop_publish_action.triggered.connect(self.stop_publishing)
        self._agreement = FrameThrottle(self._show_agreement, self)
        self.is_fresh: Callable[[], bool] = lambda: True  # the feed spoke lately (feed_watch)
        controller.board_changed.connect(self._on_controller_board_changed)
        controller.producer_changed.connect(self._on_controller_producer_changed)

    # --- following a feed ------------------------------------------------------------------------

    def follow(self, host: str, port: int, folder: Path) -> None:
        """Connect to a timing system; each of its runs becomes a session file in ``folder``."""
        self.disconnect_feed()
        folder.mkdir(parents=True, exist_ok=True)
        self.client = RMonitorClient(self._controller, folder, self)
        self.client.link_changed.connect(self._on_client_link_changed)
        self.client.official_order_changed.connect(self._on_client_official_order_changed)
        self.client.lines_skipped.connect(self._on_client_lines_skipped)
        self._board.show_official_column(True)
        self.feed_started.emit()
        self.client.connect_to(host, port)
        self.disconnect_action.setEnabled(True)
        self._settings.setValue("feed/address", f"{host}:{port}")
        self._settings.setValue("feed/folder", str(folder))

    def disconnect_feed(self) -> None:
        if self.client is not None:
            client, self.client = self.client, None
            client.disconnect_from_feed()
            client.deleteLater()
            self._controller.release(client)
        self.disconnect_action.setEnabled(False)
        self.link_label.setText("Feed: not connected")
        self.order_label.setText("")
        self._board_model.set_official_positions({})

    def _on_connect_action_triggered(self) -> None:
        address = str(self._settings.value("feed/address", f"127.0.0.1:{DEFAULT_RMONITOR_PORT}"))
        folder = Path(str(self._settings.value("feed/folder", Path.home() / "timingboard")))
        dialog = ConnectDialog(address, folder, self._window)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            host, port = dialog.target()
            self.follow(host, port, Path(dialog.folder.text()))

    def _on_controller_producer_changed(self, _before: object, now: object) -> None:
        if self.client is not None and now is not self.client:
            self.disconnect_feed()  # another session took the board: the feed must not write in

    def _on_client_link_changed(self, state: str) -> None:
        self.link_label.setText(f"Feed: {state}")

    def _on_client_lines_skipped(self, count: int) -> None:
        assert self.client is not None
        last = self.client.skipped[-1]
        self.link_label.setText(
            f"Feed: {self.client.state}; {count} line(s) skipped, last: {last.reason}"
        )

    def _on_client_official_order_changed(self) -> None:
        self._agreement.request()

    def _on_controller_board_changed(self, _change: object) -> None:
        if self.client is not None and self.client.feed_session is not None:
            self._agreement.request()  # re-ranked at most once a frame, not every event

    def refresh_agreement(self) -> None:
        """Say again how the orders compare (the feed went silent or came back)."""
        self._agreement.request()

    def _show_agreement(self) -> None:
        session = self.client.feed_session if self.client else None
        if session is None:
            return
        if not self.is_fresh():
            self.order_label.setText("Timing system order: not known (feed lost)")
            return
        engine = self._controller.engine
        official = official_positions(engine, session)
        self._board_model.set_official_positions(official)
        differences = disagreements(engine, official)
        if not official:
            self.order_label.setText("")
        elif not differences:
            self.order_label.setText("Timing system order: agrees")
        else:
            shown = ", ".join(
                f"#{car} ours P{ours} / TS P{theirs}"
                for car, ours, theirs in differences[:MOST_DIFFERENCES_SHOWN]
            )
            more = len(differences) - MOST_DIFFERENCES_SHOWN
            self.order_label.setText(
                f"Timing system order differs: {shown}" + (f" (+{more} more)" if more > 0 else "")
            )

    # --- publishing ------------------------------------------------------------------------------

    def publish(self, port: int, host: str = "127.0.0.1") -> bool:
        self.stop_publishing()
        server = RMonitorServer(self._controller, self)
        if not server.listen(port, host):
            QMessageBox.warning(
                self._window, "timingboard", f"Cannot publish on port {port}: {server.error()}"
            )
            server.deleteLater()
            return False
        self.server = server
        server.clients_changed.connect(self._on_server_clients_changed)
        self._on_server_clients_changed(0)
        self.stop_publish_action.setEnabled(True)
        self._settings.setValue("publish/port", port)
        return True

    def stop_publishing(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server.deleteLater()
            self.server = None
        self.publish_label.setText("")
        self.stop_publish_action.setEnabled(False)

    def _on_publish_action_triggered(self) -> None:
        port = int(str(self._settings.value("publish/port", DEFAULT_RMONITOR_PORT)))
        dialog = PublishDialog(port, self._window)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.publish(dialog.port.value(), dialog.host())

    def _on_server_clients_changed(self, count: int) -> None:
        if self.server is not None:
            self.publish_label.setText(f"Publishing on port {self.server.port}: {count} connected")
