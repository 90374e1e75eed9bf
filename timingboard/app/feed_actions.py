"""The Feed menu: follow a timing system's RMonitor feed, or publish ours."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow, QMessageBox, QWidget

from timingboard.feeds.official_order import (
    compared_cars,
    disagreements,
    listed_cars,
    official_positions,
)
from timingboard.qt import user_settings
from timingboard.qt.action_registry import ActionId, make_action
from timingboard.qt.frame_throttle import FrameThrottle
from timingboard.qt.leaderboard_model import LeaderboardModel
from timingboard.qt.rmonitor_client import RMonitorClient
from timingboard.qt.rmonitor_server import RMonitorServer
from timingboard.qt.session_controller import SessionController
from timingboard.text.feed_status import order_text, skip_details, skipped_note
from timingboard.widgets.feed_dialogs import ConnectDialog, PublishDialog
from timingboard.widgets.leaderboard_view import LeaderboardView


def publishing_text(server: RMonitorServer) -> str:
    """Where the board is published, and whether other computers can connect."""
    where = " and ".join(server.addresses)
    reach = "open to the network" if server.open_to_network else "this computer only"
    return f"Publishing on port {server.port} ({where}; {reach})"


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
        self.publish_error = ""
        self.link_label = QLabel("Feed: not connected")
        self._link_state = "not connected"
        self._skipped_note = self._waiting_note = self._unreadable_note = ""
        self._skip_details: list[str] = []  # the tooltip's: why lines were skipped, resends
        self.order_label = QLabel("")
        self.publish_label = QLabel("")
        self.connect_action = make_action(
            ActionId.FEED_CONNECT, window, self._on_connect_action_triggered
        )
        self.disconnect_action = make_action(ActionId.FEED_DISCONNECT, window, self.disconnect_feed)
        self.publish_action = make_action(
            ActionId.PUBLISH, window, self._on_publish_action_triggered
        )
        self.stop_publish_action = make_action(
            ActionId.STOP_PUBLISHING, window, self.stop_publishing
        )
        self._agreement = FrameThrottle(self._show_agreement, self)
        self.is_fresh: Callable[[], bool] = lambda: True  # the feed spoke lately (feed_watch)
        self._link_shown = FrameThrottle(self._show_link, self)
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
        self.client.resent_counted.connect(self._on_client_resent_counted)
        self.client.waiting_changed.connect(self._on_client_waiting_changed)
        self.client.unreadable_changed.connect(self._on_client_unreadable_changed)
        self._board.show_official_column(True)
        self.feed_started.emit()
        self.client.connect_to(host, port)
        self.disconnect_action.setEnabled(True)
        user_settings.FEED_ADDRESS.write(self._settings, f"{host}:{port}")
        user_settings.FEED_FOLDER.write(self._settings, str(folder))

    def disconnect_feed(self) -> None:
        if self.client is not None:
            client, self.client = self.client, None
            client.disconnect_from_feed()
            client.deleteLater()
            self._controller.release(client)
            if not self._controller.is_replay and not self._controller.clock_running:
                # a feed that never sent a heartbeat left the clock standing: from here the
                # operator times by hand, on a clock that runs on from where the feed left it
                self._controller.run_clock(self._controller.clock_ms())
        self.disconnect_action.setEnabled(False)
        self._link_state = "not connected"
        self._skipped_note = self._waiting_note = self._unreadable_note = ""
        self._skip_details = []
        self._show_link()
        self.order_label.setText("")
        self._board_model.set_official_positions({})
        self._board.show_official_column(False)  # no timing system, no TS (in the next session)

    def _on_connect_action_triggered(self) -> None:
        address = user_settings.FEED_ADDRESS.read(self._settings)
        folder = Path(user_settings.FEED_FOLDER.read(self._settings))
        dialog = ConnectDialog(address, folder, self._window)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            host, port = dialog.target()
            self.follow(host, port, Path(dialog.folder.text()))

    def _on_controller_producer_changed(self, _before: object, now: object) -> None:
        if self.client is not None and now is not self.client:
            self.disconnect_feed()  # another session took the board: the feed must not write in

    def _on_client_link_changed(self, state: str) -> None:
        self._link_state = state
        self._show_link()

    def _on_client_lines_skipped(self, _count: int) -> None:
        self._note_skips()

    def _on_client_resent_counted(self, _count: int) -> None:
        self._note_skips()

    def _note_skips(self) -> None:
        """Lines not taken, short in the bar and why in the tooltip; resends in the tooltip
        alone (the timing system sends crossings again in the normal run: nothing is lost)."""
        client = self.sender()
        if not isinstance(client, RMonitorClient) or client is not self.client:
            return  # the last lines of a feed being left: it says nothing more
        self._skipped_note = skipped_note(client.skipped_count)
        last = client.skipped[-1] if client.skipped else None
        self._skip_details = skip_details(
            client.skipped_count,
            last,
            client.skip_reasons,
            client.resent_count,
            client.resent_reasons,
        )
        self._link_shown.request()  # a flood of junk updates the label once a frame

    def _on_client_waiting_changed(self, passings: int, why: str) -> None:
        if not why:
            self._waiting_note = ""
        elif "full" in why.lower():
            self._waiting_note = f"DISK FULL — {passings} passings waiting"
        else:
            self._waiting_note = f"NOT SAVED — {passings} passings waiting ({why})"
        self._show_link()

    def _on_client_unreadable_changed(self, why: str) -> None:
        self._unreadable_note = why
        self._show_link()

    def _show_link(self) -> None:
        """The link, then what the operator must act on first: unsaved passings, a wrong port."""
        notes = [self._waiting_note, self._unreadable_note]
        shown = [note for note in notes if note]
        if self._skipped_note and not self._unreadable_note:
            shown.append(self._skipped_note)
        state = self.client.state if shown and self.client is not None else self._link_state
        text = "; ".join([f"Feed: {state}", *shown])
        details = self._skip_details if self.client is not None else []
        # why the link is down is the banner's to say: here the state and the next try, whole;
        # the whole line and what the bar cannot hold (why lines were skipped) in the tooltip
        short = "; ".join([f"Feed: {_short_link(state)}", *shown])
        tip = [text] if text != short or details else []
        self.link_label.setToolTip("\n".join([*tip, *details]))
        self.link_label.setText(short)
        alarm = bool(self._waiting_note or self._unreadable_note)
        if alarm != bool(self.link_label.styleSheet()):
            self.link_label.setStyleSheet("color: #c00; font-weight: bold;" if alarm else "")

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
            self.order_label.setText(order_text(0, 0, [], fresh=False))
            return
        engine = self._controller.engine
        official = official_positions(engine, session)
        self._board_model.set_official_positions(official)
        compared = compared_cars(engine, session)
        differences = disagreements(engine, official, compared)
        listed = listed_cars(engine, session)
        self.order_label.setText(order_text(listed, len(compared), differences))

    # --- publishing ------------------------------------------------------------------------------

    def publish(self, port: int, host: str = "127.0.0.1", warn: bool = True) -> bool:
        """Serve the board on ``port``; on failure say why (a dialog, or :attr:`publish_error`)."""
        self.stop_publishing()
        server = RMonitorServer(self._controller, self)
        if not server.listen(port, host):
            self.publish_error = f"cannot publish on {host}:{port}: {server.error()}"
            if warn:
                QMessageBox.warning(
                    self._window, "timingboard", f"Cannot publish on port {port}: {server.error()}"
                )
            server.deleteLater()
            return False
        self.server = server
        server.clients_changed.connect(self._on_server_clients_changed)
        server.client_dropped.connect(self._on_server_client_dropped)
        self._on_server_clients_changed(0)
        self.stop_publish_action.setEnabled(True)
        user_settings.PUBLISH_PORT.write(self._settings, port)
        return True

    def stop_publishing(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server.deleteLater()
            self.server = None
        self.publish_label.setText("")
        self.stop_publish_action.setEnabled(False)

    def _on_publish_action_triggered(self) -> None:
        port = user_settings.PUBLISH_PORT.read(self._settings)
        dialog = PublishDialog(port, self._window)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.publish(dialog.port.value(), dialog.host())

    def _on_server_clients_changed(self, count: int) -> None:
        if self.server is not None:
            self.publish_label.setText(f"{publishing_text(self.server)}: {count} connected")

    def _on_server_client_dropped(self, message: str) -> None:
        if isinstance(self._window, QMainWindow):
            self._window.statusBar().showMessage(message, 10_000)


def _short_link(state: str) -> str:
    """ "link lost, retrying: connection refused (…); next try in 2 s" -> "link lost,
    retrying; next try in 2 s": the reason (in the banner and the tooltip) cut out, so the
    state and the next try are read whole in a quarter of the status bar."""
    head, sep, why = state.partition(": ")
    if not sep or "retrying" not in head:
        return state
    return "; ".join([head, *(part for part in why.split("; ") if part.startswith("next try"))])
