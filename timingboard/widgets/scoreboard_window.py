"""The wall scoreboard in a window of its own, full screen on the screen chosen for it."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QScreen
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from timingboard.qt.frame_throttle import flush_before_paint
from timingboard.qt.leaderboard_model import LeaderboardModel
from timingboard.qt.session_controller import SessionController
from timingboard.widgets.scoreboard import Scoreboard

OVER_DESK_HINT = "No other screen: the scoreboard is over the desk — Esc brings the desk back"
HINT_SHOWN_MS = 8000  # long enough to read; then the wall is the wall (a mirrored projector)
HINT_STYLE = "background:#263238; color:#ffffff; padding:6px 16px; font-size:16pt;"


class ScoreboardWindow(QWidget):
    """On a screen of its own it never takes the keyboard from the desk: the operator types
    on, the wall shows. Shown over the desk (one screen) it comes to the front and takes the
    keyboard, as the desk cannot be seen; the operator's keys are the desk's there too."""

    def __init__(self, controller: SessionController, model: LeaderboardModel) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.setObjectName("scoreboardWindow")
        self.setWindowTitle("timingboard — scoreboard")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # over the desk, its keys come here
        self._set_takes_keyboard(False)
        flush_before_paint(self)  # the wall shows the session as it stands, never half of it
        self.scoreboard = Scoreboard(controller, model, self)
        self.scoreboard.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scoreboard)
        self.hint = QLabel(OVER_DESK_HINT, self)  # how to get the desk back, while over it
        self.hint.setObjectName("scoreboardHint")
        self.hint.setStyleSheet(HINT_STYLE)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)  # on a narrow screen too: never wider than the screen
        self.hint.setVisible(False)
        layout.addWidget(self.hint)
        self._hint_timer = QTimer(self)
        self._hint_timer.setSingleShot(True)
        self._hint_timer.setInterval(HINT_SHOWN_MS)
        self._hint_timer.timeout.connect(self.hint.hide)

    @property
    def takes_keyboard(self) -> bool:
        """Shown over the desk: in front, with the keyboard."""
        return not self.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)

    def _set_takes_keyboard(self, takes: bool) -> None:
        self.setWindowFlag(Qt.WindowType.WindowDoesNotAcceptFocus, not takes)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, not takes)

    def show_on(self, screen: QScreen, *, over_desk: bool = False) -> None:
        """Full screen on ``screen``; ``over_desk``: it is the desk's own screen, so the window
        comes to the front and takes the keyboard (else it would open behind the desk, or
        cover it with the keys still going to the desk out of sight)."""
        self.hide()
        self._set_takes_keyboard(over_desk)
        self.scoreboard.show()  # closing hid it (its timers stop)
        self.hint.setVisible(over_desk)
        self.setScreen(screen)
        self.setGeometry(screen.geometry())
        self.setWindowState(Qt.WindowState.WindowFullScreen)  # after the children: a layout
        self.show()  # not showFullScreen(): that would take the focus from the desk
        if over_desk:
            self._hint_timer.start()
            self.raise_()
            self.activateWindow()
            self.setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._hint_timer.stop()
        self.scoreboard.hide()
        super().closeEvent(event)
