"""File ▸ Replay, recent replays, branching a copy, and the replay keys."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QToolBar,
    QWidget,
)

from timingboard.app.background_open import BackgroundOpen, opens_in_worker
from timingboard.app.entry_focus import COMMAND_MODIFIERS, keeps_keys, takes_text
from timingboard.app.file_folders import remember_folder, shown_file, working_folder
from timingboard.qt import user_settings
from timingboard.qt.action_registry import ActionId, make_action
from timingboard.qt.replay_driver import ReplayDriver
from timingboard.qt.session_controller import SessionController
from timingboard.store.atomic import UnsafeOutput
from timingboard.store.replay_source import ReplaySource
from timingboard.store.session_file import SessionFileError
from timingboard.text.file_text import refusal_text
from timingboard.text.opening_text import dropped_line, opening_line
from timingboard.text.typed_passing import REPLAY_TYPED
from timingboard.widgets.replay_bar import ReplayBar

RECENT_KEPT = 8
NOT_STEPPED_SHOWN_MS = 5000  # long enough to read, gone before it misleads
FIRST_SEEK_AFTER_MS = 5  # a turn of the event loop between the open and its first seek: a
# zero timer fired in the same pass as the open, so the window's keys and paints waited for both
REPLAY_FILTER = "Sessions and RMonitor captures (*.tbs *.txt *.log);;All files (*)"


class ReplayActions(QObject):
    """Owns the replay driver and its bar; the bar shows only while a replay is open.

    Signals
    -------
    branched(str)
        A copy of the replayed session was made at this path, to be opened for correcting.
    typed_refused(str)
        A car number was typed in the replay (it takes none): why, for the Entry panel.
    opened(str)
        A file asked for (:meth:`replay`) is replayed: its path. A long one is read in a
        worker (:mod:`timingboard.app.background_open`): this says when its board is shown.
    """

    branched = Signal(str)
    opened = Signal(str)
    typed_refused = Signal(str)

    def __init__(self, controller: SessionController, settings: QSettings, window: QWidget):
        super().__init__(window)
        self._controller = controller
        self._settings = settings
        self._window = window
        self.driver = ReplayDriver(controller, self)
        self.bar = ReplayBar(self.driver)
        self.toolbar = QToolBar("Replay", window)
        self.toolbar.setObjectName("replayToolbar")
        self.toolbar.addWidget(self.bar)
        self.toolbar.setVisible(False)
        self.open_action = make_action(ActionId.REPLAY_OPEN, window, self._on_open_action_triggered)
        self.branch_action = make_action(
            ActionId.REPLAY_BRANCH, window, self._on_branch_action_triggered
        )
        self.recent_menu = QMenu("Recent re&plays", window)
        self.keys = self._keys(window)
        controller.session_reset.connect(self._on_controller_session_reset)
        self.driver.not_stepped.connect(self._on_driver_not_stepped)
        self.background = BackgroundOpen(self, ReplaySource.open)
        self.background.opened.connect(self._on_background_opened)
        self.background.failed.connect(self._on_background_failed)
        self.background.dropped.connect(self._on_background_dropped)
        self._at_ms = 0  # where the replay being read in the worker starts
        # a replay read in the worker, opened: its first seek waits for the next turn
        self._seek_next: tuple[ReplaySource, str] | None = None
        self._first_seek = QTimer(self, singleShot=True, interval=FIRST_SEEK_AFTER_MS)
        self._first_seek.timeout.connect(self._on_first_seek_timeout)
        self._fill_recent()

    def _on_driver_not_stepped(self, why: str) -> None:
        """A step key that went nowhere says so, not nothing (Shift+→ with the leader in the
        pit for the rest of the session looked broken)."""
        if isinstance(self._window, QMainWindow):
            self._window.statusBar().showMessage(why, NOT_STEPPED_SHOWN_MS)

    def replay(self, path: str | Path, at_ms: int = 0) -> bool:
        """Open a session file or a recorded stream for replay; what cannot be read is said.
        A long file is read in a worker (the board before stays until then): ``opened``."""
        if opens_in_worker(path):
            self._at_ms = at_ms
            self.background.start(path)
            self._say(opening_line(Path(path).name, replay=True))
            return True
        try:
            source = ReplaySource.open(path)
        except SessionFileError as exc:
            QMessageBox.warning(self._window, "timingboard", str(exc))
            return False
        self._shown(source, str(path), at_ms)
        return True

    @property
    def opening(self) -> bool:
        """Whether a file asked for is still being read (``opened`` follows)."""
        return self.background.busy or self._seek_next is not None

    def _shown(self, source: ReplaySource, path: str, at_ms: int) -> None:
        self.show(source, at_ms, remember=path)
        self.opened.emit(path)
        if source.note:  # a damaged file: replayed up to the damage, and said so
            QMessageBox.warning(self._window, "timingboard", source.note)

    def _on_background_opened(self, source: ReplaySource, path: str) -> None:
        """Opened in this turn of the event loop (the views emptied for it), its first seek
        in the next: both in one held the window ~100 ms at 24 h."""
        self._say("")
        self.driver.open(source)
        self._seek_next = (source, path)
        self._first_seek.start()

    def _on_first_seek_timeout(self) -> None:
        taken, self._seek_next = self._seek_next, None
        if taken is None or self.driver.source is not taken[0]:
            return  # another session shown meanwhile
        source, path = taken
        self.driver.seek(self._at_ms)
        self._remember(path)
        self.opened.emit(path)
        if source.note:
            QMessageBox.warning(self._window, "timingboard", source.note)

    def _on_background_failed(self, message: str, _path: str) -> None:
        self._say("")
        QMessageBox.warning(self._window, "timingboard", message)

    def _on_background_dropped(self, path: str) -> None:
        """Another session shown meanwhile: the bar's "Opening…" is no longer true."""
        bar = getattr(self._window, "statusBar", None)
        if bar is not None and bar().currentMessage() == opening_line(Path(path).name, replay=True):
            bar().showMessage(dropped_line(Path(path).name, self._controller.recorder.name))

    def _say(self, message: str) -> None:
        if isinstance(self._window, QMainWindow):
            self._window.statusBar().showMessage(message)

    def show(self, source: ReplaySource, at_ms: int = 0, remember: str | None = None) -> None:
        """Replay an opened source, paused at ``at_ms``; the step keys act at once. It goes in
        Recent replays as ``remember`` (else by its file: ``timingboard replay FILE`` too)."""
        self.driver.open(source)
        self.driver.seek(at_ms)  # also at 0: the entry list and the flag set at time zero
        path = remember or (str(source.path) if source.path is not None else None)
        if path:
            self._remember(path)

    def _keys(self, window: QWidget) -> list[QAction]:
        keys = []
        handlers: dict[ActionId, Callable[[], object]] = {
            ActionId.REPLAY_PLAY_PAUSE: self.driver.toggle,
            ActionId.REPLAY_NEXT_PASSING: lambda: self.driver.step_passing(1),
            ActionId.REPLAY_PREVIOUS_PASSING: lambda: self.driver.step_passing(-1),
            ActionId.REPLAY_NEXT_LEADER_LAP: lambda: self.driver.step_leader_lap(1),
            ActionId.REPLAY_PREVIOUS_LEADER_LAP: lambda: self.driver.step_leader_lap(-1),
        }
        for action_id, handler in handlers.items():
            action = make_action(action_id, window, handler)
            window.addAction(action)
            keys.append(action)
        return keys

    def fit_bar(self) -> None:
        """The replay bar is shown in a replay only (also after a layout saved in one)."""
        self.toolbar.setVisible(self._controller.is_replay)

    def _on_controller_session_reset(self) -> None:
        replaying = self._controller.is_replay
        self.fit_bar()
        for action in self.keys:
            action.setEnabled(replaying)
        source = self.driver.source
        self.branch_action.setEnabled(replaying and source is not None and source.path is not None)
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
            if replaying:
                app.installEventFilter(self)
        if not replaying:
            self.driver.close()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """In a replay the step keys step, whichever field of the window has the focus; a car
        number typed is said to be not taken (the car field is off: "3" Enter on the board
        picked row 3 and said nothing, a flag key's refusal left standing)."""
        if (
            isinstance(event, QKeyEvent)
            and isinstance(watched, QWidget)
            and watched.window() is self._window
        ):
            if event.type() == QEvent.Type.ShortcutOverride:
                pressed = QKeySequence(event.keyCombination())
                return any(pressed == action.shortcut() for action in self.keys)
            if event.type() == QEvent.Type.KeyPress and self._typed_a_number(watched, event):
                if isinstance(self._window, QMainWindow):
                    self._window.statusBar().showMessage(REPLAY_TYPED, NOT_STEPPED_SHOWN_MS)
                self.typed_refused.emit(REPLAY_TYPED)
        return False  # the widget's own keys still act (the board's search moves)

    def _typed_a_number(self, watched: QWidget, event: QKeyEvent) -> bool:
        """A digit typed where the live window would take it as a car's crossing (not in a
        search box, a dialog or a menu), seen once: the press passed up to a parent is not."""
        text = event.text()
        if not text.isdigit() or len(text) != 1 or event.modifiers() & COMMAND_MODIFIERS:
            return False
        if QApplication.activeModalWidget() is not None or QApplication.activePopupWidget():
            return False
        focus = QApplication.focusWidget()
        if watched is not (focus if focus is not None else self._window):
            return False
        return not takes_text(watched) and not keeps_keys(watched, text)

    def _on_open_action_triggered(self) -> None:
        start = str(working_folder(self._settings, shown_file(self._controller)))
        path, _ = QFileDialog.getOpenFileName(self._window, "Replay", start, REPLAY_FILTER)
        if path:
            remember_folder(self._settings, path)
            self.replay(path)

    def _on_branch_action_triggered(self) -> None:
        source = self.driver.source
        if source is None:
            return
        folder = working_folder(self._settings, shown_file(self._controller))
        start = str(folder / f"{Path(source.name.split(':')[0]).stem}-branch.tbs")
        path, _ = QFileDialog.getSaveFileName(self._window, "Branch a copy", start, "*.tbs")
        if path:
            remember_folder(self._settings, path)
            self.branch(path)

    def branch(self, path: str) -> bool:
        source = self.driver.source
        if source is None:
            return False
        try:
            target = source.branch(path)
        except UnsafeOutput as refused:  # said in the desk's words, not the command's
            QMessageBox.warning(self._window, "timingboard", refusal_text(refused))
            return False
        except SessionFileError as exc:
            QMessageBox.warning(self._window, "timingboard", str(exc))
            return False
        self.branched.emit(str(target))
        return True

    def _remember(self, path: str) -> None:
        recent = [p for p in self._recent() if p != path]
        user_settings.RECENT_REPLAYS.write(self._settings, [path, *recent][:RECENT_KEPT])
        self._fill_recent()

    def _recent(self) -> list[str]:
        return user_settings.RECENT_REPLAYS.read(self._settings)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self._recent():
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.replay(p))
        self.recent_menu.setEnabled(bool(self._recent()))
