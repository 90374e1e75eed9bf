"""Where a file dialog opens: the folder the user works in, never the demo's temporary one.

File ▸ Open, Replay, Export, Save a copy and the entry list's Import and Export CSV all start in
the last folder a file was chosen in (remembered between runs), else the folder of the session
shown, else that of the last session worked on, else the user's documents. A folder of this run
that goes at exit (the demo's) is never offered, nor remembered.

A new session goes into an event folder: the shown session's if it lasts, else a folder of its
own named after the event, under the documents folder (made when the session is saved). The
home folder itself is never taken for an event.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

from timingboard.app.recent_sessions import RecentSessions
from timingboard.app.scratch import is_scratch
from timingboard.qt import user_settings
from timingboard.qt.session_controller import SessionController
from timingboard.store.names import folder_name


def shown_file(controller: SessionController) -> Path | None:
    """The file of the session shown, if it has one (a capture replayed: the capture)."""
    path = controller.recorder.read_from
    return Path(path) if path is not None else None


def lasting(folder: Path | None) -> bool:
    return folder is not None and folder.is_dir() and not is_scratch(folder)


def working_folder(settings: QSettings, shown: Path | None = None) -> Path:
    """The folder a file dialog opens in; ``shown``: the file of the session shown, if any."""
    remembered = user_settings.LAST_FOLDER.read(settings)
    candidates = [
        Path(remembered) if remembered else None,
        shown.parent if shown is not None else None,
        *(path.parent for path in RecentSessions(settings).paths()),
    ]
    for folder in candidates:
        if lasting(folder):
            assert folder is not None
            return folder
    return documents_folder()


def session_folder(settings: QSettings, shown: Path | None) -> Path:
    """Where a file of the session shown goes (its results, a copy): beside it if it lasts."""
    if shown is not None and lasting(shown.parent):
        return shown.parent
    return working_folder(settings, shown)


def documents_folder() -> Path:
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents and Path(documents).is_dir() else Path.home()


def is_home(folder: Path) -> bool:
    """``folder`` is the home folder itself: it holds a user's everything, not one event."""
    try:
        return folder.resolve() == Path.home().resolve()
    except OSError:
        return False


def event_folder(folder: Path | None, event_name: str) -> Path:
    """The folder a new session goes into: ``folder`` (the shown session's event) if it lasts
    and is not the home folder, else the folder of the event named, under the documents folder
    (it may not exist yet: it is made when the session is saved)."""
    if lasting(folder) and folder is not None and not is_home(folder):
        return folder
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    base = Path(documents) if documents and not is_home(Path(documents)) else Path.home()
    return base / folder_name(event_name)


def remember_folder(settings: QSettings, chosen: str | Path) -> None:
    """The folder of a file the user chose, for the next dialog (not a folder that goes)."""
    folder = Path(chosen).parent
    if lasting(folder):
        user_settings.LAST_FOLDER.write(settings, str(folder.resolve()))
