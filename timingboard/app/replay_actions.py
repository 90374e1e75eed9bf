"""File ▸ Replay, recent replays, branching a copy, and the replay keys."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QToolBar, QWidget

from timingboard.qt.replay_driver import ReplayDriver
from timingboard.qt.session_controller import SessionController
from timingboard.store.replay_source import ReplaySource
from timingboard.store.session_file import SessionFileError
from timingboard.widgets.replay_bar import ReplayBar

RECENT_KEPT = 8
REPLAY_FILTER = "Sessions and RMonitor captures (*.tbs *.txt *.log);;All files (*)"


class ReplayActions(QObject):
    """Owns the replay driver and its bar; the bar shows only while a replay is open.

    Signals
    -------
    branched(str)
        A copy of the replayed session was made at this path, to be opened for correcting.
    """

    branched = Signal(str)

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
        self.open_action = QAction("&Replay a session or capture…", window)
        self.open_action.setShortcut(QKeySequence("Ctrl+R"))
        self.open_action.triggered.connect(self._on_open_action_triggered)
        self.branch_action = QAction("&Branch a copy to correct…", window, enabled=False)
        self.branch_action.triggered.connect(self._on_branch_action_triggered)
        self.recent_menu = QMenu("Recent replays", window)
        self.keys = self._keys(window)
        controller.session_reset.connect(self._on_controller_session_reset)
        self._fill_recent()

    def replay(self, path: str | Path, at_ms: int = 0) -> bool:
        try:
            source = ReplaySource.open(path)
        except SessionFileError as exc:
            QMessageBox.warning(self._window, "timingboard", str(exc))
            return False
        self.driver.open(source)
        if source.note:  # a damaged file: replayed up to the damage, and said so
            QMessageBox.warning(self._window, "timingboard", source.note)
        if at_ms:
            self.driver.seek(at_ms)
        self._remember(str(path))
        return True

    def _keys(self, window: QWidget) -> list[QAction]:
        keys = []
        for shortcut, slot in (
            ("Space", self.driver.toggle),
            ("Right", lambda: self.driver.step_passing(1)),
            ("Left", lambda: self.driver.step_passing(-1)),
            ("Shift+Right", lambda: self.driver.step_leader_lap(1)),
            ("Shift+Left", lambda: self.driver.step_leader_lap(-1)),
        ):
            action = QAction(window, shortcut=QKeySequence(shortcut), enabled=False)
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(slot)
            window.addAction(action)
            keys.append(action)
        return keys

    def _on_controller_session_reset(self) -> None:
        replaying = self._controller.is_replay
        self.toolbar.setVisible(replaying)
        for action in self.keys:
            action.setEnabled(replaying)
        source = self.driver.source
        self.branch_action.setEnabled(replaying and source is not None and source.path is not None)
        if not replaying:
            self.driver.close()

    def _on_open_action_triggered(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self._window, "Replay", "", REPLAY_FILTER)
        if path:
            self.replay(path)

    def _on_branch_action_triggered(self) -> None:
        source = self.driver.source
        if source is None:
            return
        path, _ = QFileDialog.getSaveFileName(self._window, "Branch a copy", "", "*.tbs")
        if path:
            self.branch(path)

    def branch(self, path: str) -> bool:
        source = self.driver.source
        if source is None:
            return False
        try:
            target = source.branch(path)
        except SessionFileError as exc:
            QMessageBox.warning(self._window, "timingboard", str(exc))
            return False
        self.branched.emit(str(target))
        return True

    def _remember(self, path: str) -> None:
        recent = [p for p in self._recent() if p != path]
        self._settings.setValue("replay/recent", [path, *recent][:RECENT_KEPT])
        self._fill_recent()

    def _recent(self) -> list[str]:
        value = self._settings.value("replay/recent", [], type=list)
        return [str(p) for p in value or []]

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self._recent():
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.replay(p))
        self.recent_menu.setEnabled(bool(self._recent()))
