"""New session, asked of the operator: settings, entries, file, in that order, then made at once.

One flow for File ▸ New session and the start dialog's New session. The entries are read
first: a CSV's unknown headers are asked about and its bad rows listed (import the good rows,
or cancel); an earlier session's field is read. Only then is the file named and made, with its
entries, by :func:`timingboard.store.new_session.make_session` (as ``timingboard new`` makes
one), so a cancel or a bad list leaves nothing on disk.

The file goes into an event folder (app/file_folders.py): the one given if it lasts, else a new
folder named after the event, made for the save dialog and taken away again if the operator
saves elsewhere or cancels. The home folder itself is refused: it is no event.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from timingboard.app.entry_import import ImportCancelled, read_entry_list, take_good_rows
from timingboard.app.file_folders import event_folder, is_home, working_folder
from timingboard.engine.events import CompetitorSet
from timingboard.engine.validation import InvalidEvent
from timingboard.store.entry_list import EntryListError, plural
from timingboard.store.event_folder import EventFolderError, EventInfo, read_event
from timingboard.store.names import free_path, slug
from timingboard.store.new_session import entries_of_session, make_session
from timingboard.store.recorder import SessionRecorder
from timingboard.store.session_file import SessionFileError
from timingboard.text.file_text import home_refused
from timingboard.widgets.session_dialog import NewSessionDialog

FILE_FILTER = "timingboard sessions (*.tbs);;All files (*)"
CANCEL = "Cancel the new session"


class NoSession(Exception):
    """No session is made; the message (if any) says why, for the operator."""


def ask_new_session(
    parent: QWidget | None,
    settings: QSettings,
    folder: Path | None,
    event: EventInfo | None = None,
    sessions_in: Path | None = None,
) -> tuple[Path, SessionRecorder, str] | None:
    """The session made (its path, open recorder, a line saying what it got); None if the
    operator gave up or it could not be made (then a message said why).

    ``folder``: the event folder of the session shown; ``event``: its event (name, track), which
    a new event folder takes; ``sessions_in``: where an earlier session of the event is chosen
    from (the session shown's folder, even the demo's: it is only read).
    """
    event = event or EventInfo()
    place = event_folder(folder, event.name)
    browse = place if place.is_dir() else working_folder(settings)
    dialog = NewSessionDialog(parent, browse, sessions_in or browse)
    track = _event_track(place, event)
    if track.track_name or track.track_length:  # what the session gets: shown, to be changed
        dialog.prefill_track(track.track_name, float(track.track_length), track.length_unit)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    new_folders: list[Path] = []  # the new event folder, made for the save dialog
    try:
        field, made_from = _entries(dialog, settings, parent)
        session = dialog.settings()
        new_folders = _make_folders(place)
        path = _ask_file(parent, place, session.name)
        if path is None:
            return None
        recorder, made = make_session(path, session, field, made_from, event)
    except NoSession as exc:
        if str(exc):
            QMessageBox.warning(parent, "timingboard", str(exc))
        return None
    except (InvalidEvent, EventFolderError, SessionFileError, OSError) as exc:
        QMessageBox.warning(parent, "timingboard", f"No session made: {exc}")
        return None
    finally:
        _remove_empty(new_folders)  # one the session went into stays
    entries = plural(len(field), "entry", "entries")
    taken = f" from {made_from[0].name}" if made_from else ""
    return path, recorder, f"Session file: {path} — {made.name}, {entries}{taken}"


def _ask_file(parent: QWidget | None, place: Path, name: str) -> Path | None:
    """The new session's file, asked in the event folder ``place``; never one straight in
    the home folder (the operator is told, and asked again)."""
    while True:
        suggested = free_path(place / f"{slug(name)}.tbs")
        chosen, _ = QFileDialog.getSaveFileName(
            parent, "New session file", str(suggested), FILE_FILTER
        )
        if not chosen:
            return None
        path = Path(chosen if chosen.endswith(".tbs") else chosen + ".tbs")
        if not is_home(path.parent):
            return path
        QMessageBox.warning(parent, "timingboard", home_refused(place))


def _make_folders(place: Path) -> list[Path]:
    """Make ``place`` and the folders above it that are missing; the ones made, top first."""
    missing = [p for p in (place, *place.parents) if not p.exists()][::-1]
    try:
        place.mkdir(parents=True, exist_ok=True)
    except OSError:
        return [p for p in missing if p.exists()]  # the dialog says what cannot be written
    return missing


def _remove_empty(made: list[Path]) -> None:
    """Take away the folders made for the save dialog that were left empty, deepest first."""
    for folder in reversed(made):
        with contextlib.suppress(OSError):
            folder.rmdir()


def _event_track(place: Path, event: EventInfo) -> EventInfo:
    """The event whose track a session made in ``place`` takes (make_session: the folder's
    own event details, else those a new folder is given)."""
    try:
        found = read_event(place) if place.is_dir() else EventInfo()
    except EventFolderError:
        return EventInfo()  # said when the session is made; nothing to prefill
    return found if found != EventInfo() else event


def _entries(
    dialog: NewSessionDialog, settings: QSettings, parent: QWidget | None
) -> tuple[list[CompetitorSet], list[Path]]:
    """The new session's field and the session it was taken from (if one)."""
    source, name = dialog.entries_source()
    if source == "none":
        return [], []
    if not name:
        what = "CSV entry list" if source == "csv" else "earlier session"
        raise NoSession(f"Entries from: name the {what}. No session made.")
    path = Path(name)
    if not path.is_file():
        raise NoSession(f"Entries from: {path} is not a file. No session made.")
    if source == "session":
        try:
            return entries_of_session(path), [path]
        except (SessionFileError, ValueError, OSError) as exc:
            raise NoSession(f"No entries taken from {path.name}: {exc}. No session made.") from None
    try:
        found = read_entry_list(path, settings, parent)
    except ImportCancelled:
        raise NoSession("") from None
    except (EntryListError, OSError) as exc:
        raise NoSession(f"{path.name}: {exc}. No session made.") from None
    if found.problems and not take_good_rows(found, path.name, parent, CANCEL):
        raise NoSession("")
    if not found.entries:
        raise NoSession(f"{path.name}: no entries in it. No session made.")
    return found.entries, []
