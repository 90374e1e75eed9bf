"""The demo's temporary folder: never offered for the user's own session, and never taking a
file the user made there when it goes at exit (it once took a whole club race with it)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from journey import User, file_dialog_answer, ok_button, settings_at, suggested_file_answer
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLineEdit, QMessageBox, QPushButton

from timingboard.app.recent_sessions import RecentSessions
from timingboard.app.run import build_demo_window, finish_demo
from timingboard.app.scratch import ScratchFolder
from timingboard.store.new_session import entries_of_session
from timingboard.widgets.session_dialog import NewSessionDialog
from timingboard.widgets.start_dialog import StartDialog

JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


@pytest.fixture
def fresh_machine(tmp_path: Path, monkeypatch) -> Path:
    """A HOME of its own and a temporary folder the test can see into."""
    home = tmp_path / "home"
    home.mkdir()
    (tmp_path / "tmp").mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    return home


def club_race_answers(user: User, offered: list[Path], save_as: Path):
    def fill(dialog) -> None:
        assert isinstance(dialog, NewSessionDialog)
        user.fill(dialog.name, "Club Race")
        user.tab_to(dialog.kind)
        user.type("R")
        user.fill(dialog.laps, "10")
        user.click(ok_button(dialog))

    typed = file_dialog_answer(user, save_as)

    def look_then_save(dialog) -> None:
        assert isinstance(dialog, QFileDialog)
        name = dialog.findChild(QLineEdit, "fileNameEdit")
        assert name is not None
        offered.append(Path(dialog.directory().absolutePath(), name.text()))
        typed(dialog)

    return [(NewSessionDialog, fill), (QFileDialog, look_then_save)]


@JOURNEY_LOG
def test_new_session_from_the_demo_is_offered_a_lasting_folder_and_survives_quit(
    qtbot, tmp_path, fresh_machine, dialogs, capfd
) -> None:
    scratch = ScratchFolder("timingboard-demo-")  # as run_demo makes it
    window, runner = build_demo_window(
        40, 31, False, scratch.path, settings_at(tmp_path / "settings.ini")
    )
    user = User(qtbot, window)
    user.show()
    qtbot.waitUntil(lambda: int(user.header()["passings"].split()[0]) > 5, timeout=10_000)

    offered: list[Path] = []
    # the user insists on the demo's folder: the file must still outlive the demo
    mine = scratch.path / "club-race.tbs"
    for kind, act in club_race_answers(user, offered, mine):
        dialogs.expect(kind, act)
    user.choose("File", "New session")
    assert dialogs.unexpected == [] and dialogs.expected == []
    # not /tmp/timingboard-demo-…, nor the home folder: a folder of the demo's event
    assert offered == [fresh_machine / "Documents" / "Busch Light Clash" / "club-race.tbs"]
    assert not (fresh_machine / "Documents").exists()  # made for the dialog, not kept empty
    assert mine.is_file()
    user.activate()
    user.press(Qt.Key.Key_F5)
    user.enter("31")
    user.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: user.header()["passings"].startswith("1 passing"))
    window.close()
    finish_demo(window, runner, scratch)  # what run_demo does once the window is quit

    assert mine.is_file(), "the user's session went with the demo's folder"
    assert sorted(p.name for p in scratch.path.iterdir()) == ["club-race.tbs"]
    err = capfd.readouterr().err
    assert f"kept {scratch.path}" in err and "club-race.tbs" in err


@JOURNEY_LOG
def test_a_new_session_of_the_demo_goes_into_a_lasting_folder_of_its_event(
    qtbot, tmp_path, fresh_machine, dialogs
) -> None:
    """Entries from an earlier session are chosen in the demo's folder (only read), and the new
    session lands in a folder named after the event, with the event's name and track: not in
    HOME, whose Event tab once read "home · 0.25 mi" with no track."""
    scratch = ScratchFolder("timingboard-demo-")
    window, runner = build_demo_window(
        40, 31, False, scratch.path, settings_at(tmp_path / "settings.ini")
    )
    user = User(qtbot, window)
    user.show()
    qtbot.waitUntil(lambda: int(user.header()["passings"].split()[0]) > 5, timeout=10_000)
    shown = window.controller.recorder.path
    assert shown is not None and shown.parent == scratch.path
    chooser_in: list[Path] = []
    offered: list[Path] = []
    new_dialog: list[NewSessionDialog] = []

    def fill(dialog) -> None:
        assert isinstance(dialog, NewSessionDialog)
        new_dialog.append(dialog)
        user.fill(dialog.name, "Club Race")
        dialog.entries_from.setFocus()
        user.type("a")  # "an earlier session of the event": the combo picks by first letter
        user.press(Qt.Key.Key_Down)
        choose = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Choose…")
        QTimer.singleShot(0, lambda: user.click(choose))  # the chooser is answered next

    def pick_earlier(dialog) -> None:
        assert isinstance(dialog, QFileDialog)
        chooser_in.append(Path(dialog.directory().absolutePath()))
        file_dialog_answer(user, shown)(dialog)
        QTimer.singleShot(0, lambda: user.click(ok_button(new_dialog[0])))

    def look_then_save(dialog) -> None:
        assert isinstance(dialog, QFileDialog)
        name = dialog.findChild(QLineEdit, "fileNameEdit")
        assert name is not None
        offered.append(Path(dialog.directory().absolutePath(), name.text()))
        buttons = dialog.findChild(QDialogButtonBox, "buttonBox")
        assert buttons is not None
        user.click(buttons.button(QDialogButtonBox.StandardButton.Save))

    dialogs.expect(NewSessionDialog, fill)
    dialogs.expect(QFileDialog, pick_earlier)
    dialogs.expect(QFileDialog, look_then_save)
    user.choose("File", "New session")
    qtbot.waitUntil(lambda: dialogs.expected == [], timeout=10_000)
    assert dialogs.unexpected == []
    assert chooser_in == [scratch.path]  # the folder of the session shown, not HOME
    event = fresh_machine / "Documents" / "Busch Light Clash"
    assert offered == [event / "club-race.tbs"]
    qtbot.waitUntil(lambda: window.controller.recorder.path == event / "club-race.tbs")
    details = json.loads((event / "event.json").read_text(encoding="utf-8"))["event"]
    assert details["name"] == "Busch Light Clash"
    assert details["track_name"] == "L.A. Memorial Coliseum"
    assert window.controller.recorder.settings.track_name == "L.A. Memorial Coliseum"
    field = len(window.controller.recorder.engine.entry_list())
    assert field == len(entries_of_session(shown)) > 0  # the field of the session chosen
    user.activate()
    title = window.event_actions.view.title.text()
    assert title.startswith("Busch Light Clash") and "L.A. Memorial Coliseum" in title
    assert not list(fresh_machine.glob("*.tbs"))
    assert window.official.sheet_options().event == "Busch Light Clash"  # the sheet's header
    window.close()
    finish_demo(window, runner, scratch)
    assert (event / "club-race.tbs").is_file()


@JOURNEY_LOG
def test_a_new_session_typed_straight_into_home_is_refused_and_asked_again(
    qtbot, tmp_path, fresh_machine, dialogs
) -> None:
    """HOME is no event: its Event tab read "home · 0.25 mi". The operator is told so, and the
    save dialog comes back in the event's folder; nothing is written in HOME."""
    scratch = ScratchFolder("timingboard-demo-")
    window, runner = build_demo_window(
        40, 31, False, scratch.path, settings_at(tmp_path / "settings.ini")
    )
    user = User(qtbot, window)
    user.show()
    said: list[str] = []

    def fill(dialog) -> None:
        assert isinstance(dialog, NewSessionDialog)
        user.fill(dialog.name, "Club Race")
        user.click(ok_button(dialog))

    def read_then_ok(dialog) -> None:
        assert isinstance(dialog, QMessageBox)
        said.append(dialog.text())
        dialog.accept()

    event = fresh_machine / "Documents" / "Busch Light Clash"
    dialogs.expect(NewSessionDialog, fill)
    dialogs.expect(QFileDialog, file_dialog_answer(user, fresh_machine / "club-race.tbs"))
    dialogs.expect(QMessageBox, read_then_ok)
    dialogs.expect(QFileDialog, suggested_file_answer(user, event / "club-race.tbs"))
    user.choose("File", "New session")
    qtbot.waitUntil(lambda: dialogs.expected == [], timeout=10_000)
    assert dialogs.unexpected == []
    assert said and said[0].startswith("Your home folder is not an event folder")
    assert str(event) in said[0]
    qtbot.waitUntil(lambda: window.controller.recorder.path == event / "club-race.tbs")
    assert not (fresh_machine / "club-race.tbs").exists()
    assert not (fresh_machine / "event.json").exists()
    window.close()
    finish_demo(window, runner, scratch)


def test_the_demo_alone_leaves_nothing_behind(qtbot, tmp_path, fresh_machine) -> None:
    scratch = ScratchFolder("timingboard-demo-")
    window, runner = build_demo_window(
        1000, 31, False, scratch.path, settings_at(tmp_path / "settings.ini")
    )
    qtbot.addWidget(window)
    started: list[str] = []
    runner.session_started.connect(started.append)
    qtbot.waitUntil(lambda: len(started) >= 2, timeout=60_000)  # the heats were made
    window.close()
    finish_demo(window, runner, scratch)
    assert not scratch.path.exists()


def test_a_scratch_folder_keeps_what_it_did_not_make(tmp_path, fresh_machine) -> None:
    scratch = ScratchFolder("timingboard-demo-")
    own = scratch.path / "qualifying.tbs"
    own.write_text("x")
    Path(f"{own}-lock").write_text("x")
    (scratch.path / "evening-2").mkdir()
    export = scratch.path / "evening-2" / "results.pdf"
    export.write_text("the user's export")
    assert scratch.close({own}) == [export]
    assert not own.exists() and export.read_text() == "the user's export"


@JOURNEY_LOG
def test_a_session_made_in_the_demos_own_dir_is_offered_at_the_next_start(
    qtbot, tmp_path, fresh_machine, dialogs
) -> None:
    """``timingboard demo --dir DIR``: the folder is the user's, kept. A session made there
    with File ▸ New session was never remembered (the demo's folder was skipped even when
    kept), so the next start offered only the demo's file, not the user's session."""
    folder = tmp_path / "evening"
    settings = settings_at(tmp_path / "settings.ini")
    scratch = ScratchFolder("timingboard-demo-", keep=folder)  # as run_demo makes it for --dir
    window, runner = build_demo_window(40, 31, False, scratch.path, settings)
    user = User(qtbot, window)
    user.show()
    qtbot.waitUntil(lambda: int(user.header()["passings"].split()[0]) > 5, timeout=10_000)
    mine = folder / "club-race.tbs"
    for kind, act in club_race_answers(user, [], mine):
        dialogs.expect(kind, act)
    user.choose("File", "New session")
    qtbot.waitUntil(lambda: window.controller.recorder.path == mine, timeout=10_000)
    assert dialogs.unexpected == [] and dialogs.expected == []
    window.close()
    finish_demo(window, runner, scratch)
    assert mine.is_file()
    start = StartDialog(RecentSessions(settings).paths())  # what plain ``timingboard`` offers
    qtbot.addWidget(start)
    offered = [start.sessions.item(i).toolTip() for i in range(start.sessions.count())]
    assert offered == [str(mine.resolve())], offered  # the demo's own sessions are not
