"""View ▸ Scoreboard window: the wall scoreboard on a screen of its own, remembered."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QScreen
from PySide6.QtWidgets import QMainWindow, QMenu

from timingboard.qt import user_settings
from timingboard.qt.action_registry import ActionId, make_action
from timingboard.qt.leaderboard_model import LeaderboardModel
from timingboard.qt.screen_choice import choose_screen, screen_label
from timingboard.qt.session_controller import SessionController
from timingboard.qt.theme import Theme
from timingboard.widgets.entry_band import EntryTold
from timingboard.widgets.scoreboard_window import ScoreboardWindow


class ScoreboardActions(QObject):
    """Shows the scoreboard window on the chosen screen while the desk stays where it is."""

    def __init__(
        self,
        controller: SessionController,
        model: LeaderboardModel,
        settings: QSettings,
        window: QMainWindow,
    ) -> None:
        super().__init__(window)
        self._controller = controller
        self._model = model
        self._settings = settings
        self._window = window
        self.menu = QMenu("&Scoreboard window", window)
        self.menu.setToolTipsVisible(True)
        self.menu.aboutToShow.connect(self._fill_menu)
        self.off_action = make_action(ActionId.SCOREBOARD_OFF, window, self.hide_scoreboard)
        self.off_action.setChecked(True)
        self.scoreboard_window: ScoreboardWindow | None = None
        self._theme: Theme | None = None
        self._told = EntryTold()

    @property
    def shown_on(self) -> str | None:
        """The name of the screen the scoreboard window is on, None when it is off."""
        w = self.scoreboard_window
        return w.screen().name() if w is not None and w.isVisible() else None

    def _screens(self) -> list[QScreen]:
        return list(QGuiApplication.screens())

    def _fill_menu(self) -> None:
        self.menu.clear()
        group = QActionGroup(self.menu)
        desk = self._window.screen().name()
        for index, screen in enumerate(self._screens()):
            size = screen.geometry().size()
            text = screen_label(
                index, screen.name(), size.width(), size.height(), screen.name() == desk
            )
            action = QAction(text, self.menu, checkable=True)
            action.setChecked(self.shown_on == screen.name())
            action.setToolTip("The wall scoreboard full screen there; the desk keeps working")
            action.triggered.connect(lambda _=False, s=screen: self.show_on(s))
            group.addAction(action)
            self.menu.addAction(action)
        self.off_action.setChecked(self.shown_on is None)
        group.addAction(self.off_action)
        self.menu.addSeparator()
        self.menu.addAction(self.off_action)

    def chosen_screen(self) -> QScreen:
        """The remembered screen if it is there, else another than the desk's, else the desk's."""
        screens = self._screens()
        names = [s.name() for s in screens]
        remembered = user_settings.SCOREBOARD_SCREEN.read(self._settings)
        return screens[choose_screen(names, remembered, self._window.screen().name())]

    def show_on(self, screen: QScreen | None = None) -> ScoreboardWindow:
        screen = screen or self.chosen_screen()
        if self.scoreboard_window is None:
            self.scoreboard_window = ScoreboardWindow(self._controller, self._model)
            self.scoreboard_window.addActions(self._window.actions())  # its keys are the desk's
            if self._theme is not None:
                self.scoreboard_window.scoreboard.set_theme(self._theme)
            self.scoreboard_window.scoreboard.entry_band.show_told(self._told)
        self.scoreboard_window.show_on(screen)
        self._window.activateWindow()  # the operator's keys stay on the desk
        user_settings.SCOREBOARD_SCREEN.write(self._settings, screen.name())
        user_settings.SCOREBOARD_SHOWN.write(self._settings, True)
        return self.scoreboard_window

    def hide_scoreboard(self) -> None:
        if self.scoreboard_window is not None:
            self.scoreboard_window.close()
        user_settings.SCOREBOARD_SHOWN.write(self._settings, False)

    def restore(self) -> None:
        """Shown again on its screen if it was shown when the board last closed."""
        if user_settings.SCOREBOARD_SHOWN.read(self._settings):
            self.show_on()

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        if self.scoreboard_window is not None:
            self.scoreboard_window.scoreboard.set_theme(theme)

    def show_told(self, told: EntryTold) -> None:
        """What the Entry panel shows, on the wall too: the operator may be looking there."""
        self._told = told
        if self.scoreboard_window is not None:
            self.scoreboard_window.scoreboard.entry_band.show_told(told)

    def set_stale(self, text: str) -> None:
        if self.scoreboard_window is not None:
            self.scoreboard_window.scoreboard.set_stale(text)

    def close(self) -> None:
        """The desk closes: the scoreboard window goes with it (remembered as it was)."""
        if self.scoreboard_window is not None:
            shown = self.scoreboard_window.isVisible()
            self.scoreboard_window.close()
            self.scoreboard_window.deleteLater()
            self.scoreboard_window = None
            user_settings.SCOREBOARD_SHOWN.write(self._settings, shown)
