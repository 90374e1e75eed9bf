"""View ▸ Scoreboard window: the wall scoreboard on a screen of its own, remembered.

With one screen the scoreboard can only go over the desk: it then comes to the front and takes
the keyboard (a window opening behind the desk looked like nothing happened), the status bar
says Esc brings the desk back, and Esc (or the same menu item again) does. Race control asked
for the wall to show, so it shows; a board started again with the wall's screen gone does not
bring it back over the desk by itself.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QKeyEvent, QKeySequence, QScreen
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow, QMenu, QWidget

from timingboard.app.entry_focus import COMMAND_MODIFIERS
from timingboard.qt import user_settings
from timingboard.qt.action_registry import ActionId, make_action
from timingboard.qt.leaderboard_model import LeaderboardModel
from timingboard.qt.screen_choice import choose_screen, screen_label
from timingboard.qt.session_controller import SessionController
from timingboard.qt.theme import Theme
from timingboard.widgets.entry_band import EntryTold
from timingboard.widgets.scoreboard_window import ScoreboardWindow

OVER_DESK = "Scoreboard window over the desk (no other screen): Esc brings the desk back"
DESK_BACK = "Scoreboard window closed"
DESK_BACK_SHOWN_MS = 5000
FIELD_KEYS = (Qt.Key.Key_Backspace, Qt.Key.Key_Delete, Qt.Key.Key_Return, Qt.Key.Key_Enter)


class KeysToField(QObject):
    """An event filter on the wall over the desk: the car keys typed there go to the Entry
    panel's car field, as in board mode. The wall had the keyboard and dropped them: a number
    typed and Entered there was never logged, and nothing said so."""

    def __init__(self, field: QLineEdit, parent: QObject) -> None:
        super().__init__(parent)
        self._field = field

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if event.modifiers() & COMMAND_MODIFIERS or not self._field.isEnabled():
            return False
        text = event.text()
        typed = len(text) == 1 and text.isalnum()
        if not typed and event.key() not in FIELD_KEYS:
            return False
        copy = QKeyEvent(QEvent.Type.KeyPress, event.key(), event.modifiers(), text)
        QApplication.sendEvent(self._field, copy)
        return True


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
        self.leave_action = make_action(ActionId.LEAVE_SCOREBOARD_WINDOW, self, self._on_leave)
        self._field: QLineEdit | None = None
        self._esc_first: Callable[[], bool] | None = None
        self.scoreboard_window: ScoreboardWindow | None = None
        self._theme: Theme | None = None
        self._desk_focus: QWidget | None = None  # where the desk's keys went before it was covered
        self._told = EntryTold()

    def type_into(self, field: QLineEdit, esc_first: Callable[[], bool]) -> None:
        """Over the desk, car keys typed on the wall go to ``field``; Esc goes to
        ``esc_first`` first (a number half typed, a crossing held: as in board mode) and closes
        the wall only when it returns False."""
        self._field = field
        self._esc_first = esc_first

    def _on_leave(self) -> None:
        if self._esc_first is not None and self._esc_first():
            return
        self.hide_scoreboard()

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
            action.setToolTip(
                "The wall scoreboard full screen there; the desk keeps working"
                if screen.name() != desk
                else "The wall scoreboard over the desk (no other screen); Esc brings the desk back"
            )
            action.triggered.connect(lambda _=False, s=screen: self._on_screen_triggered(s))
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

    def _on_screen_triggered(self, screen: QScreen) -> None:
        """A screen's item: shown there, or, picked again where it is shown, closed."""
        if self.shown_on == screen.name():
            self.hide_scoreboard()
        else:
            self.show_on(screen)

    def _make_window(self) -> ScoreboardWindow:
        wall = ScoreboardWindow(self._controller, self._model)
        esc = QKeySequence("Esc")  # the wall's own Esc is the one that closes it
        wall.addActions([a for a in self._window.actions() if esc not in a.shortcuts()])
        wall.addAction(self.leave_action)
        if self._field is not None:
            wall.installEventFilter(KeysToField(self._field, wall))
        if self._theme is not None:
            wall.scoreboard.set_theme(self._theme)
        wall.scoreboard.entry_band.show_told(self._told)
        return wall

    def show_on(self, screen: QScreen | None = None) -> ScoreboardWindow:
        screen = screen or self.chosen_screen()
        if self.scoreboard_window is None:
            self.scoreboard_window = self._make_window()
        over_desk = screen.name() == self._window.screen().name()
        if over_desk and not self.scoreboard_window.takes_keyboard:
            self._desk_focus = QApplication.focusWidget()
        self.scoreboard_window.show_on(screen, over_desk=over_desk)
        if over_desk:
            self._window.statusBar().showMessage(OVER_DESK)
        else:
            self._window.activateWindow()  # the operator's keys stay on the desk
        user_settings.SCOREBOARD_SCREEN.write(self._settings, screen.name())
        user_settings.SCOREBOARD_SHOWN.write(self._settings, True)
        return self.scoreboard_window

    def hide_scoreboard(self) -> None:
        wall = self.scoreboard_window
        if wall is not None:
            covered = wall.isVisible() and wall.takes_keyboard
            wall.close()
            if covered:
                self._desk_back()
        user_settings.SCOREBOARD_SHOWN.write(self._settings, False)

    def _desk_back(self) -> None:
        """The desk in front with the keyboard where the operator left it."""
        self._window.raise_()
        self._window.activateWindow()
        focus, self._desk_focus = self._desk_focus, None
        if focus is not None and focus.isVisible():
            focus.setFocus()
        if self._window.statusBar().currentMessage() == OVER_DESK:
            self._window.statusBar().showMessage(DESK_BACK, DESK_BACK_SHOWN_MS)

    def restore(self) -> None:
        """Shown again on its screen if it was shown when the board last closed; never over the
        desk by itself (the wall's screen is not there: the desk is what the operator needs)."""
        if not user_settings.SCOREBOARD_SHOWN.read(self._settings):
            return
        if self.chosen_screen().name() != self._window.screen().name():
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
