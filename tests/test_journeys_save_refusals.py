"""Journeys: a file name typed in File ▸ Export results… or File ▸ Save a copy… that names a
session (another one, or the one open) is refused at once, in the desk's words, the dialog left
open for another name, and nothing is written; any other existing file is still asked about.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from journey import User, file_dialog_answer
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget
from race_scripts import QUARTER_MILE_RACE

from timingboard.store.recorder import SessionRecorder

pytestmark = pytest.mark.qt_log_ignore("does not support (raise|grabbing|propagateSizeHints)")
COMMAND_WORDS = ("-o", "output", "command", "SQLite", "refusing")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(folder: Path) -> dict[str, str]:
    return {p.name: _digest(p) for p in sorted(folder.iterdir()) if p.is_file()}


def _message_answer(user: User, said: list[str], button: QMessageBox.StandardButton):
    """Read the message, then press its ``button``."""

    def act(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        said.append(box.text())
        pressed = box.button(button)
        assert pressed is not None, f"no {button} on {box.text()!r}"
        user.click(pressed)

    return act


def _later(act):
    """The answer given once the poll that found the dialog is over: Qt's own "replace?"
    question is modal inside Save's press, and is answered by the next poll."""

    def deferred(dialog: QWidget) -> None:
        QTimer.singleShot(0, lambda: act(dialog))

    return deferred


def _session(folder: Path, name: str) -> Path:
    path = folder / name
    SessionRecorder.create(path, QUARTER_MILE_RACE).close()
    return path


def _refused(qtbot, user: User, dialogs, choose: tuple[str, ...], typed: Path, kind: str = ""):
    """Pick ``choose``, type ``typed`` in its file dialog, press Save: the refusal's text, the
    file dialog still open (then cancelled, as the user would)."""
    said: list[str] = []
    dialogs.expect(QFileDialog, _later(file_dialog_answer(user, typed, kind)))
    dialogs.expect(QMessageBox, _message_answer(user, said, QMessageBox.StandardButton.Ok))
    user.choose(*choose)
    qtbot.waitUntil(lambda: bool(said) or bool(dialogs.unexpected), timeout=5000)
    assert dialogs.unexpected == []
    file_dialog = user.window.findChild(QFileDialog)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is file_dialog, timeout=3000)
    assert file_dialog is not None and file_dialog.isVisible()  # left open for another name
    file_dialog.reject()
    return said[0]


def test_export_onto_a_session_file_is_refused_before_anything_is_asked_or_written(
    qtbot, tmp_path: Path, open_window, dialogs
) -> None:
    heat = _session(tmp_path, "heat.tbs")
    other = _session(tmp_path, "other.tbs")
    user = User(qtbot, open_window(heat))
    before = _files(tmp_path)
    for typed, why in ((other, "is a session file"), (heat, "is the session open on this board")):
        said = _refused(qtbot, user, dialogs, ("File", "Export results"), typed, "PDF, A4")
        assert said.startswith(f"{typed.name} {why}"), said
        assert "never written over" in said and "Type another file name" in said
        assert not any(word in said for word in COMMAND_WORDS), said
    assert not list(tmp_path.glob("*.pdf"))  # no other.tbs.pdf beside it
    after = _files(tmp_path)
    assert {name: after[name] for name in ("heat.tbs", "other.tbs")} == {
        name: before[name] for name in ("heat.tbs", "other.tbs")
    }
    assert set(after) - set(before) <= {"heat.tbs-lock", "settings.ini"}


def test_export_onto_another_existing_file_asks_and_keeps_the_name_as_typed(
    qtbot, tmp_path: Path, open_window, dialogs
) -> None:
    user = User(qtbot, open_window(_session(tmp_path, "heat.tbs")))
    notes = tmp_path / "Notes.PDF"
    notes.write_text("last year's notes")
    asked: list[str] = []
    dialogs.expect(QFileDialog, _later(file_dialog_answer(user, notes, "PDF, A4")))
    dialogs.expect(QMessageBox, _message_answer(user, asked, QMessageBox.StandardButton.Yes))
    user.choose("File", "Export results")
    qtbot.waitUntil(lambda: notes.read_bytes().startswith(b"%PDF") or bool(dialogs.unexpected))
    assert dialogs.unexpected == []
    assert asked and "Notes.PDF already exists" in asked[0]  # Qt's own question
    assert user.status() == f"Results exported to {notes}"
    assert not (tmp_path / "Notes.PDF.pdf").exists()


def test_save_a_copy_onto_a_taken_name_is_refused_in_the_desks_words(
    qtbot, tmp_path: Path, open_window, dialogs
) -> None:
    heat = _session(tmp_path, "heat.tbs")
    other = _session(tmp_path, "other.tbs")
    notes = tmp_path / "notes.tbs"
    notes.write_text("not a session, but taken")
    user = User(qtbot, open_window(heat))
    before = _files(tmp_path)
    for typed, starts in (
        (other, "other.tbs is a session file: a session is never written over."),
        (heat, "heat.tbs is the session open on this board: it is never written over."),
        (notes, "notes.tbs already exists: a copy is never saved over a file."),
        (tmp_path / "notes", "notes.tbs already exists"),  # .tbs added to the name typed
    ):
        said = _refused(qtbot, user, dialogs, ("File", "Save a copy"), typed)
        assert said.startswith(starts), said
        assert said.endswith("Type another file name.")
        assert not any(word in said for word in COMMAND_WORDS), said
    after = _files(tmp_path)
    assert {n: after[n] for n in before} == before
    assert set(after) - set(before) <= {"heat.tbs-lock"}

    copy = tmp_path / "heat-copy.tbs"  # the name suggested is free: saved
    dialogs.expect(QFileDialog, _later(file_dialog_answer(user, copy)))
    user.choose("File", "Save a copy")
    qtbot.waitUntil(lambda: copy.is_file() or bool(dialogs.unexpected))
    assert dialogs.unexpected == []
    assert user.status() == f"Saved a copy to {copy}"


def test_no_export_or_copy_writes_over_the_events_record(
    qtbot, tmp_path: Path, open_window, dialogs
) -> None:
    """File ▸ Export results… typed ``event.json`` (a JSON results sheet, by its name) or any
    save through a link to it wrote over the event's record of its sessions."""
    import json

    heat = _session(tmp_path, "heat.tbs")
    record = tmp_path / "event.json"
    record.write_text(json.dumps({"sessions": [{"file": "heat.tbs", "made_from": []}]}))
    (tmp_path / "results.html").symlink_to("event.json")
    (tmp_path / "list.csv").symlink_to("event.json")
    (tmp_path / "copy.tbs").symlink_to("event.json")
    user = User(qtbot, open_window(heat))
    before = _files(tmp_path)
    for choose, typed, kind in (
        (("File", "Export results"), record, "JSON"),
        (("File", "Export results"), tmp_path / "results.html", "HTML"),
        (("File", "Export CSV"), tmp_path / "list.csv", ""),
        (("File", "Save a copy"), tmp_path / "copy.tbs", ""),
    ):
        said = _refused(qtbot, user, dialogs, choose, typed, kind)
        name = typed.name if typed == record else f"{typed.name} (a link to event.json)"
        assert said.startswith(f"{name} is the event's record of its sessions"), said
        assert "never written over" in said and said.endswith("Type another file name.")
        assert not any(word in said for word in COMMAND_WORDS), said
    after = _files(tmp_path)
    assert {n: after[n] for n in before} == before
    assert record.read_text().startswith('{"sessions"')
