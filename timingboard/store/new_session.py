"""A new session of the event, made in one step with its entries: the one way every front door
(``timingboard new``, File ▸ New session, the start dialog's New session) makes a session.

Whatever the entries are (none, a CSV's rows, an earlier session's field) they are checked
before anything is written; then the file is made with them, the session is added to the
event (``event.json``: what it was made from), the event takes the session's track if it had
none, and classes it did not know are added to it. A folder with no event details yet (a new
event folder, for a session of the demo's event) takes those of the event it is made for.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from timingboard.engine.engine import TimingEngine
from timingboard.engine.events import CompetitorSet
from timingboard.engine.settings import SessionSettings
from timingboard.store.entry_list import EntryList, in_number_order
from timingboard.store.event_folder import (
    EventInfo,
    read_classes,
    read_event,
    record_session,
    write_classes,
    write_event,
)
from timingboard.store.recorder import SessionRecorder
from timingboard.store.session_file import SessionFile


def entries_of_session(path: str | Path) -> list[CompetitorSet]:
    """The entries of a session as they stand (its edits applied), read without changing it.

    Raises :class:`SessionFileError` (or ``ValueError``) when it cannot be read.
    """
    file = SessionFile.open(path, read_only=True)
    try:
        engine = TimingEngine.from_log(file.settings, file.entries())
    finally:
        file.close()
    return list(engine.entry_list().values())


def make_session(
    path: str | Path,
    settings: SessionSettings,
    field: Sequence[CompetitorSet] = (),
    made_from: Sequence[Path] = (),
    event_of: EventInfo | None = None,
) -> tuple[SessionRecorder, SessionSettings]:
    """The new session, open, with its entries (in number order), and the settings it got.

    ``event_of``: the event the session is of, for a folder that has no event details yet.

    Raises :class:`InvalidEvent` for an entry that cannot be taken (nothing written then),
    :class:`EventFolderError` for an ``event.json`` that cannot be read (nothing written
    either), :class:`SessionFileError` when the file cannot be made.
    """
    path = Path(path)
    folder = path.parent
    event = read_event(folder)  # a damaged event.json: EventFolderError, nothing written
    if event == EventInfo() and event_of is not None:
        event = event_of.check()
    classes = read_classes(folder)
    settings = event.inherit(settings)
    check = TimingEngine(settings)
    for competitor in field:
        check.validate(competitor)
    recorder = SessionRecorder.create(path, settings)
    if field:
        recorder.submit(in_number_order(field))
    record_session(folder, path, list(made_from), "entries" if made_from else "new")
    if event != read_event(folder):  # the event's details, in a folder new to it
        write_event(folder, event)
    if settings.track_length and not event.track_length:  # the event's track, from its first
        write_event(
            folder,
            dataclasses.replace(
                event,
                track_name=settings.track_name,
                track_length=settings.track_length,
                length_unit=settings.length_unit,
            ),
        )
    known = EntryList(classes=list(classes))
    if known.add_classes(e.car_class for e in field):
        write_classes(folder, known.classes)
    return recorder, settings
