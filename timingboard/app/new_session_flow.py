"""New session, asked of the operator: settings, entries, file, in that order, then made at once.

One flow for File ▸ New session and the start dialog's New session. The entries are read
first: a CSV's unknown headers are asked about and its bad rows listed (import the good rows,
or cancel); an earlier session's field is read. Only then is the file named and made, with its
entries, by :func:`timingboard.store.new_session.make_session` (as ``timingboard new`` makes
one), so a cancel or a bad list leaves nothing on disk.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from timingboard.app.entry_import import ImportCancelled, read_entry_list, take_good_rows
from timingboard.engine.events import CompetitorSet
from timingboard.engine.validation import InvalidEvent
from timingboard.store.entry_list import EntryListError, plural
from timingboard.store.event_folder import EventFolderError
from timingboard.store.names import free_path, slug
from timingboard.store.new_session import entries_of_session, make_session
from timingboard.store.recorder import SessionRecorder
from timingboard.store.session_file import SessionFileError
from timingboard.widgets.session_dialog import NewSessionDialog

FILE_FILTER = "timingboard sessions (*.tbs);;All files (*)"
CANCEL = "Cancel the new session"


class NoSession(Exception):
    """No session is made; the message (if any) says why, for the operator."""


def ask_new_session(
    parent: QWidget | None, settings: QSettings, folder: Path | None
) -> tuple[Path, SessionRecorder, str] | None:
    """The session made (its path, open recorder, a line saying what it got); None if the
    operator gave up or it could not be made (then a message said why)."""
    dialog = NewSessionDialog(parent, folder)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    try:
        field, made_from = _entries(dialog, settings, parent)
        session = dialog.settings()
        suggested = free_path((folder or Path.home()) / f"{slug(session.name)}.tbs")
        name, _ = QFileDialog.getSaveFileName(
            parent, "New session file", str(suggested), FILE_FILTER
        )
        if not name:
            return None
        path = Path(name if name.endswith(".tbs") else name + ".tbs")
        recorder, made = make_session(path, session, field, made_from)
    except NoSession as exc:
        if str(exc):
            QMessageBox.warning(parent, "timingboard", str(exc))
        return None
    except (InvalidEvent, EventFolderError, SessionFileError, OSError) as exc:
        QMessageBox.warning(parent, "timingboard", f"No session made: {exc}")
        return None
    entries = plural(len(field), "entry", "entries")
    taken = f" from {made_from[0].name}" if made_from else ""
    return path, recorder, f"Session file: {path} — {made.name}, {entries}{taken}"


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
