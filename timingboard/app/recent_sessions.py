"""The sessions this machine worked on, remembered between runs, for the start dialog."""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path

from PySide6.QtCore import QSettings

from timingboard.qt import user_settings
from timingboard.qt.session_controller import SessionController

RECENT_KEPT = 10


class RecentSessions:
    """Session files most recent first; files since moved or deleted are left out."""

    def __init__(self, settings: QSettings) -> None:
        self._settings = settings

    def paths(self) -> list[Path]:
        listed = user_settings.RECENT_SESSIONS.read(self._settings)
        return [Path(p) for p in listed if Path(p).is_file()]

    def remember(self, path: str | Path) -> None:
        resolved = str(Path(path).resolve())
        kept = [str(p) for p in self.paths() if str(p) != resolved]
        user_settings.RECENT_SESSIONS.write(self._settings, [resolved, *kept][:RECENT_KEPT])
        self._settings.sync()

    def follow(
        self,
        controller: SessionController,
        skip: Path | None = None,
        own: Callable[[], Collection[Path]] | None = None,
    ) -> None:
        """Remember each session the controller goes on to show: no replays, none in the
        folder ``skip``, none of the files ``own`` lists (the demo's own sessions, in a folder
        that also holds the user's)."""

        def on_session_reset() -> None:
            file = controller.recorder.file
            if file is None:  # a replay or a followed board: no session file of its own
                return
            path = Path(file.path).resolve()
            if skip is not None and path.is_relative_to(skip.resolve()):
                return
            if own is not None and path in {Path(p).resolve() for p in own()}:
                return
            self.remember(path)

        controller.session_reset.connect(on_session_reset)
