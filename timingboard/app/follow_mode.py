"""The window while it follows a board through a broker: read-only, and honest about the link.

What would change the session (passings, corrections, entries, results made official, a line-up
from these results, publishing it on) is disabled, or refused with a message where it is asked
for from the board's menu; the board, board mode, the wall scoreboard, columns, classes and the
theme work as on any board. The charts are hidden: the published board carries each car's last
and best lap, not its laps, so there is nothing to draw. A broker lost puts "FOLLOW LOST — last
data 0:12 ago" across the desk and the wall and marks the flag and clock stale, as a lost feed
does; the status bar says where the board follows from and whether the broker is reached.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel

from timingboard.app.main_window import ERROR_SHOWN_MS, MainWindow
from timingboard.qt.mqtt_follow import MqttFollowClient

# read whole in the status bar at 1280 px beside the read-only line and the link line, which
# names the broker (with the broker's address too it was cut "… are made on the p…")
REFUSED = "Read-only: this board follows the publishing board; corrections are made there"
ELSEWHERE = "{title} — kept on the publishing board"
"""The title of a pane the published board does not carry (it stood empty, unexplained)."""
ELSEWHERE_DOCKS = ("passings", "audit", "entries", "event")


class FollowMode(QObject):
    """Puts the window in FOLLOWING mode for as long as ``client`` is its producer."""

    def __init__(self, window: MainWindow, client: MqttFollowClient) -> None:
        super().__init__(window)
        self._window = window
        self._client = client
        self.link_label = QLabel(client.link_text())
        self.link_label.setObjectName("followLink")
        window.statusBar().addPermanentWidget(self.link_label)
        self._disabled: list[QAction] = [
            window.copy_actions.save_copy_action,
            window.results.export_action,
            window.results.lineup_action,
            window.official.sheet_action,
            window.official.declare_action,
            window.entries.import_action,
            window.feed.publish_action,
        ]
        self._titles = {name: window.docks[name].windowTitle() for name in ELSEWHERE_DOCKS}
        self._on = False
        client.link_changed.connect(self._on_client_link_changed)
        client.board_shown.connect(self._on_client_board_shown)
        client.problem_reported.connect(self._on_client_problem_reported)
        client.health.changed.connect(self._on_health_changed)
        controller = window.controller
        controller.session_reset.connect(self._keep_disabled)
        controller.board_changed.connect(self._keep_disabled)
        controller.producer_changed.connect(self._on_controller_producer_changed)
        self._set_on(True)

    @property
    def on(self) -> bool:
        return self._on

    def _set_on(self, on: bool) -> None:
        if on == self._on:
            return
        self._on = on
        window = self._window
        if on:
            window.board.car_action_requested.disconnect(window.flow.on_car)
            window.board.car_action_requested.connect(self._on_board_car_action_requested)
        else:
            window.board.car_action_requested.disconnect(self._on_board_car_action_requested)
            window.board.car_action_requested.connect(window.flow.on_car)
            self._on_health_changed("")
        window.charts.setVisible(not on)
        for label in (window.feed.link_label, window.feed.order_label):
            label.setVisible(not on)  # "Feed: not connected" beside the broker's link
        window.entries.editor.setEnabled(not on)
        for name, title in self._titles.items():
            window.docks[name].setWindowTitle(ELSEWHERE.format(title=title) if on else title)
        for action in self._disabled:
            action.setEnabled(not on)  # the session loaded next sets its own (declare)

    def _keep_disabled(self, *_args: object) -> None:
        """Actions that enable themselves as the board changes stay off while following."""
        if self._on:
            for action in self._disabled:
                action.setEnabled(False)

    def _on_board_car_action_requested(self, _action: str, _key: str, _offered: object) -> None:
        self._window.statusBar().showMessage(REFUSED, ERROR_SHOWN_MS)

    def _on_client_link_changed(self, text: str) -> None:
        self.link_label.setText(text)

    def _on_client_board_shown(self, name: str) -> None:
        """Short: the read-only line and the link line beside it take most of the bar (the
        longer line was cut to "Following Bu…" under them)."""
        self._window.statusBar().showMessage(f"Showing {name}")

    def _on_client_problem_reported(self, text: str) -> None:
        self._window.statusBar().showMessage(text, ERROR_SHOWN_MS)

    def _on_health_changed(self, text: str) -> None:
        window = self._window
        window.feed_watch.banner.setText(text)
        window.feed_watch.banner.setVisible(bool(text))
        window.header.set_stale(bool(text))
        window.scoreboard.set_stale(text)
        window.scoreboard_actions.set_stale(text)

    def _on_controller_producer_changed(self, _before: object, now: object) -> None:
        if now is not self._client:
            self._set_on(False)
            self.link_label.hide()
