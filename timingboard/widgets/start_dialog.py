"""What plain ``timingboard`` offers on a machine that has sessions: them, the demo, a new one."""

from __future__ import annotations

import datetime
from enum import Enum
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

FILE_FILTER = "timingboard sessions (*.tbs);;All files (*)"


class StartChoice(Enum):
    DEMO = "demo"
    OPEN = "open"
    NEW = "new"


class StartDialog(QDialog):
    """Recent sessions to open (double-click or Open), Run the demo, or New session."""

    def __init__(self, recent: list[Path], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("timingboard")
        self.choice: StartChoice | None = None
        self.path: Path | None = None
        self._recent = recent
        self.sessions = QListWidget(self)
        self.sessions.setObjectName("recentSessions")
        for path in recent:
            item = QListWidgetItem(_describe(path), self.sessions)
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(str(path))
        self.sessions.setCurrentRow(0)
        self.sessions.itemActivated.connect(lambda _item: self._on_open_clicked())
        self.open_button = QPushButton("&Open", self)
        self.browse_button = QPushButton("Open &another…", self)
        self.new_button = QPushButton("&New session…", self)
        self.demo_button = QPushButton("Run the &demo", self)
        self.open_button.setDefault(True)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.browse_button.clicked.connect(self._on_browse_clicked)
        self.new_button.clicked.connect(lambda: self._choose(StartChoice.NEW))
        self.demo_button.clicked.connect(lambda: self._choose(StartChoice.DEMO))
        buttons = QHBoxLayout()
        for button in (self.open_button, self.browse_button, self.new_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.demo_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Recent sessions", self))
        layout.addWidget(self.sessions, 1)
        layout.addLayout(buttons)
        self.resize(640, 360)
        self.sessions.setFocus()

    def _choose(self, choice: StartChoice, path: Path | None = None) -> None:
        self.choice, self.path = choice, path
        self.accept()

    def _on_open_clicked(self) -> None:
        item = self.sessions.currentItem()
        if item is not None:
            self._choose(StartChoice.OPEN, Path(item.data(Qt.ItemDataRole.UserRole)))

    def _on_browse_clicked(self) -> None:
        start = str(self._recent[0].parent) if self._recent else ""  # the last worked in
        path, _ = QFileDialog.getOpenFileName(self, "Open session", start, FILE_FILTER)
        if path:
            self._choose(StartChoice.OPEN, Path(path))


def _describe(path: Path) -> str:
    """``heat-1.tbs — /races/clash (Tue 1 Dec 20:58)``."""
    try:
        modified = path.stat().st_mtime
    except OSError:
        return f"{path.name} — {path.parent}"
    when = datetime.datetime.fromtimestamp(modified).strftime("%a %d %b %H:%M")
    return f"{path.name} — {path.parent} ({when})"
