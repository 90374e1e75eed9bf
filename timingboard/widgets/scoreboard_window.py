"""The wall scoreboard in a window of its own, full screen on the screen chosen for it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QScreen
from PySide6.QtWidgets import QVBoxLayout, QWidget

from timingboard.qt.frame_throttle import flush_before_paint
from timingboard.qt.leaderboard_model import LeaderboardModel
from timingboard.qt.session_controller import SessionController
from timingboard.widgets.scoreboard import Scoreboard


class ScoreboardWindow(QWidget):
    """Never takes the keyboard from the desk: the operator types on, the wall shows."""

    def __init__(self, controller: SessionController, model: LeaderboardModel) -> None:
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.WindowDoesNotAcceptFocus)
        self.setObjectName("scoreboardWindow")
        self.setWindowTitle("timingboard — scoreboard")
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        flush_before_paint(self)  # the wall shows the session as it stands, never half of it
        self.scoreboard = Scoreboard(controller, model, self)
        self.scoreboard.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scoreboard)

    def show_on(self, screen: QScreen) -> None:
        """Full screen on ``screen``."""
        self.hide()
        self.setScreen(screen)
        self.setGeometry(screen.geometry())
        self.setWindowState(Qt.WindowState.WindowFullScreen)
        self.show()  # not showFullScreen(): that would take the focus from the desk

    def closeEvent(self, event: QCloseEvent) -> None:
        self.scoreboard.hide()
        super().closeEvent(event)
