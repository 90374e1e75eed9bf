"""Checkpoint the session file at quiet moments: a few seconds after the last change.

While a session is open for writing, its newest events live in SQLite's write-ahead log
(``-wal``); a copy of the ``.tbs`` alone would lack them. Once the board has been quiet for
``IDLE_MS`` the log is moved into the file (a passive checkpoint: a few milliseconds, never on
the path of a passing, and it waits for nobody).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from timingboard.store.session_file import SessionFile

IDLE_MS = 3000


class IdleCheckpoint(QObject):
    """Restarted by every change; when it runs out, the file of the session shown (if it is
    written to one: ``file_shown``) is checkpointed."""

    def __init__(
        self,
        controller: QObject,
        file_shown: Callable[[], SessionFile | None],
        idle_ms: int = IDLE_MS,
    ) -> None:
        super().__init__(controller)
        self._file_shown = file_shown
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
        file = self._file_shown()
        if file is not None:
            file.checkpoint()
