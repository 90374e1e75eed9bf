"""The sessions this machine worked on, remembered between runs, for the start dialog.

Two kinds share the list. The operator's (opened, made, chosen) are kept ten deep. A session a
feed or decoder made on its own (``feed-05-….tbs``, one per heat of an evening followed) is
kept only as the latest of its folder, and three such folders at most: an evening followed
made five and pushed the operator's ``q.tbs`` and ``heat.tbs`` off the list. The others of that
evening are one Open another… away, in the folder the dialog starts in.

Several boards share the list (a desk and a follower on one machine): it is read again from
disk before each change, so one board's change does not drop what another wrote meanwhile
(each wrote back the list it had read at its start, the other's sessions lost).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path

from PySide6.QtCore import QSettings

from timingboard.qt import user_settings
from timingboard.qt.session_controller import SessionController

RECENT_KEPT = 10  # the operator's sessions
FEED_FOLDERS_KEPT = 3  # folders whose latest feed-made session is kept


class RecentSessions:
    """Session files most recent first; files since moved or deleted are left out."""

    def __init__(self, settings: QSettings) -> None:
        self._settings = settings

    def paths(self) -> list[Path]:
        self._settings.sync()  # what another board wrote since this one read the file
        return self._listed()

    def made_by_feed(self) -> set[Path]:
        """Those of :meth:`paths` a feed or decoder made (not opened or made by the operator)."""
        return {Path(p) for p in user_settings.RECENT_MADE_BY_FEED.read(self._settings)}

    def remember(self, path: str | Path, by_feed: bool = False) -> None:
        """``path`` first; ``by_feed``: a feed or decoder made it, and it replaces the one
        before it from the same folder. The operator opening such a file makes it theirs."""
        resolved = Path(path).resolve()
        listed = [p for p in self.paths() if p != resolved]
        fed = self.made_by_feed() - {resolved}
        if by_feed:
            fed.add(resolved)
        kept: list[Path] = []
        folders: list[Path] = []
        mine = 0
        for entry in [resolved, *listed]:
            if entry not in fed:
                mine += 1
                if mine <= RECENT_KEPT:
                    kept.append(entry)
            elif entry.parent not in folders and len(folders) < FEED_FOLDERS_KEPT:
                folders.append(entry.parent)
                kept.append(entry)
        user_settings.RECENT_SESSIONS.write(self._settings, [str(p) for p in kept])
        user_settings.RECENT_MADE_BY_FEED.write(self._settings, [str(p) for p in kept if p in fed])
        self._settings.sync()

    def _listed(self) -> list[Path]:
        listed = user_settings.RECENT_SESSIONS.read(self._settings)
        return [Path(p) for p in listed if Path(p).is_file()]

    def follow(
        self,
        controller: SessionController,
        skip: Path | None = None,
        own: Callable[[], Collection[Path]] | None = None,
    ) -> None:
        """Remember each session the controller goes on to show: no replays, none in the
        folder ``skip``, none of the files ``own`` lists (the demo's own sessions, in a folder
        that also holds the user's). One a feed or decoder shows is remembered as its."""

        def on_session_reset() -> None:
            file = controller.recorder.file
            if file is None:  # a replay or a followed board: no session file of its own
                return
            path = Path(file.path).resolve()
            if skip is not None and path.is_relative_to(skip.resolve()):
                return
            if own is not None and path in {Path(p).resolve() for p in own()}:
                return
            self.remember(path, by_feed=controller.producer is not None)

        controller.session_reset.connect(on_session_reset)
