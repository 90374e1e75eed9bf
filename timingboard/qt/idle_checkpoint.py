"""Checkpoint the session file at quiet moments: a few seconds after the last change.

While a session is open for writing, its newest events live in SQLite's write-ahead log
(``-wal``); a copy of the ``.tbs`` alone would lack them. Once the board has been quiet for
``IDLE_MS`` the log is moved into the file (a passive checkpoint: a few milliseconds, never on
the path of a passing, and it waits for nobody).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

IDLE_MS = 3000


class IdleCheckpoint(QObject):
    """Restarted by every change; when it runs out, the recorder's file is checkpointed."""

    def __init__(self, controller: QObject, idle_ms: int = IDLE_MS) -> None:
        super().__init__(controller)
        self._controller = controller
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(idle_ms)
        self._timer.timeout.connect(self._on_timer_timeout)
        controller.board_changed.connect(self._on_controller_board_changed)  # type: ignore[attr-defined]

    @property
    def pending(self) -> bool:
        return self._timer.isActive()

    def stop(self) -> None:
        self._timer.stop()

    def _on_controller_board_changed(self, _change: object) -> None:
        self._timer.start()

    def _on_timer_timeout(self) -> None:
        file = getattr(getattr(self._controller, "recorder", None), "file", None)
        checkpoint = getattr(file, "checkpoint", None)
        if checkpoint is not None:
            checkpoint()
