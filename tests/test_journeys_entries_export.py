"""Journeys: File ▸ Export CSV… (the entry list) writes only what may be written.

A name typed that is, or links to, a session file (the one open, or another), or one of the
files SQLite keeps beside the open session, is refused at once in the desk's words, the dialog
left open and nothing written: a session is never written over. The ``.csv`` the export adds
to a name is added before Qt asks "replace it?", so the question is about the file written; a
written list is said in the status bar ("Entries exported to …").
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from journey import User, file_dialog_answer
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget
from race_scripts import QUARTER_MILE_RACE

from timingboard.engine.events import CompetitorSet
from timingboard.store.recorder import SessionRecorder

pytestmark = pytest.mark.qt_log_ignore("does not support (raise|grabbing|propagateSizeHints)")
COMMAND_WORDS = ("-o", "output", "command", "SQLite", "refusing")
HEADER = "Number,First name,Last name,Team,Make,Class,Transponders,Grid"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _session(path: Path) -> Path:
    """A session with two cars entered, as `timingboard new --entries` leaves one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit(
        [
            CompetitorSet(key="7", car="7", driver="Ann Lee"),
            CompetitorSet(key="12", car="12", driver="Bo Diaz"),
        ]
    )
    recorder.close()
    return path


def _message_answer(user: User, said: list[str], button: QMessageBox.StandardButton):
    def act(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        said.append(box.text())
        pressed = box.button(button)
        assert pressed is not None, f"no {button} on {box.text()!r}"
        user.click(pressed)

    return act


def _later(act):
    """Answered once the poll that found the dialog is over (Qt's "replace?" is modal inside
    Save's press, and is answered by the next poll)."""

    def deferred(dialog: QWidget) -> None:
        QTimer.singleShot(0, lambda: act(dialog))

    return deferred


def _refused(qtbot, user: User, dialogs, typed: Path) -> str:
    said: list[str] = []
    dialogs.expect(QFileDialog, _later(file_dialog_answer(user, typed)))
    dialogs.expect(QMessageBox, _message_answer(user, said, QMessageBox.StandardButton.Ok))
    user.choose("File", "Export CSV")
    qtbot.waitUntil(lambda: bool(said) or bool(dialogs.unexpected), timeout=5000)
    assert dialogs.unexpected == []
    file_dialog = user.window.findChild(QFileDialog)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is file_dialog, timeout=3000)
    assert file_dialog is not None and file_dialog.isVisible()  # left open for another name
    file_dialog.reject()
    return said[0]


def test_export_csv_through_a_link_to_a_session_is_refused_and_every_session_kept(
    qtbot, tmp_path: Path, open_window, dialogs
) -> None:
    imp = tmp_path / "imp"
    bh = _session(imp / "bh.tbs")
    r7 = _session(tmp_path / "ev" / "r7.tbs")  # a session not open on this board
    (imp / "link.csv").symlink_to("bh.tbs")
    (imp / "other.csv").symlink_to(r7)
    user = User(qtbot, open_window(bh))
    wal = Path(f"{bh}-wal")
    (imp / "wal.csv").symlink_to(wal.name)
    kept = {p: _digest(p) for p in (r7,)}
    bh_size = bh.stat().st_size
    names = {p.name for p in imp.iterdir()}
    for typed, starts in (
        ("link.csv", "link.csv (a link to bh.tbs) is the session open on this board:"),
        ("other.csv", "other.csv (a link to r7.tbs) is a session file:"),
        ("wal.csv", "wal.csv (a link to bh.tbs-wal) belongs to the session bh.tbs:"),
    ):
        said = _refused(qtbot, user, dialogs, imp / typed)
        assert said.startswith(starts), said
        assert "never written over" in said and said.endswith("Type another file name.")
        assert not any(word in said for word in COMMAND_WORDS), said
    assert {p: _digest(p) for p in kept} == kept
    assert bh.stat().st_size >= bh_size and bh.read_bytes().startswith(b"SQLite format 3")
    assert {p.name for p in imp.iterdir()} - names <= {"bh.tbs-wal", "bh.tbs-shm"}
    assert not wal.is_file() or not wal.read_bytes().startswith(HEADER.encode())
    assert (imp / "link.csv").is_symlink() and (imp / "other.csv").is_symlink()
    assert not list(tmp_path.rglob("*.csv.csv")) and not list(imp.glob("*.tbs.csv"))
    assert "exported" not in user.status()  # nothing exported, nothing said to be


def test_export_csv_over_a_session_name_writes_the_csv_it_asks_about(
    qtbot, tmp_path: Path, open_window, dialogs
) -> None:
    heat = _session(tmp_path / "heat.tbs")
    other = _session(tmp_path / "bh2.tbs")
    before = _digest(other)
    user = User(qtbot, open_window(heat))

    # bh2.tbs typed: the file written is bh2.tbs.csv, new, so nothing is asked
    dialogs.expect(QFileDialog, _later(file_dialog_answer(user, other)))
    user.choose("File", "Export CSV")
    written = tmp_path / "bh2.tbs.csv"
    qtbot.waitUntil(lambda: written.is_file() or bool(dialogs.unexpected), timeout=5000)
    assert dialogs.unexpected == []
    assert _digest(other) == before
    assert written.read_text(encoding="utf-8").splitlines()[0] == HEADER
    assert user.status() == f"Entries exported to {written}"

    # typed again: now the question names bh2.tbs.csv, and Yes replaces that file
    written.write_text("old list\n")
    asked: list[str] = []
    dialogs.expect(QFileDialog, _later(file_dialog_answer(user, other)))
    dialogs.expect(QMessageBox, _message_answer(user, asked, QMessageBox.StandardButton.Yes))
    user.choose("File", "Export CSV")
    qtbot.waitUntil(lambda: written.read_text() != "old list\n" or bool(dialogs.unexpected))
    assert dialogs.unexpected == []
    assert asked and asked[0].startswith("bh2.tbs.csv already exists"), asked
    assert _digest(other) == before
    assert not (tmp_path / "bh2.tbs.csv.csv").exists()
    lines = written.read_text(encoding="utf-8").splitlines()
    assert lines[0] == HEADER and [line.split(",")[:3] for line in lines[1:]] == [
        ["7", "Ann", "Lee"],
        ["12", "Bo", "Diaz"],
    ]
    assert user.status() == f"Entries exported to {written}"


def test_export_csv_through_a_link_to_a_list_writes_the_list_and_keeps_the_link(
    qtbot, tmp_path: Path, open_window, dialogs
) -> None:
    heat = _session(tmp_path / "heat.tbs")
    lists = tmp_path / "lists"
    lists.mkdir()
    target = lists / "entries.csv"
    target.write_text("old\n")
    link = tmp_path / "current.csv"
    link.symlink_to(target)
    user = User(qtbot, open_window(heat))
    asked: list[str] = []
    dialogs.expect(QFileDialog, _later(file_dialog_answer(user, link)))
    dialogs.expect(QMessageBox, _message_answer(user, asked, QMessageBox.StandardButton.Yes))
    user.choose("File", "Export CSV")
    qtbot.waitUntil(lambda: target.read_text() != "old\n" or bool(dialogs.unexpected))
    assert dialogs.unexpected == []
    assert link.is_symlink() and target.read_text().splitlines()[0] == HEADER
    assert user.status() == f"Entries exported to {link}"
    assert not list(tmp_path.rglob("*.tbpart"))  # written whole, through a temporary file
