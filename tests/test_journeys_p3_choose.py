"""Journey: Feed ▸ Connect to a P3 decoder… The dialog's Entry list and Go on in fields took a
path typed whole, with no button to pick the file (the New session and Connect dialogs have
one). Each has its Choose… button now, as the folder does, reached with Tab and Space; a path
typed still works, and a file dialog cancelled leaves what was typed."""

from __future__ import annotations

from pathlib import Path

import pytest
from journey import User, ok_button, open_window
from p3_captures import needs_captures, wires
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from race_scripts import QUARTER_MILE_QUALIFYING

from timingboard.qt.p3_simulator import P3Simulator
from timingboard.store.recorder import SessionRecorder
from timingboard.widgets.p3_dialogs import CHOOSE, P3ConnectDialog

SHOTS = Path(__file__).resolve().parents[1] / "build" / "journeys"
JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


class FilePicker:
    """QFileDialog's static pickers, answering in turn what the user would pick ("" for
    Cancel), and noting what each was asked (its title, folder and filter)."""

    def __init__(self, monkeypatch) -> None:
        self.answers: list[str] = []
        self.asked: list[tuple[str, str, str]] = []
        monkeypatch.setattr(QFileDialog, "getOpenFileName", self._open)
        monkeypatch.setattr(QFileDialog, "getExistingDirectory", self._folder)

    def _open(self, _parent, title: str, start: str, filters: str = "", *_: object):
        self.asked.append((title, start, filters))
        return self.answers.pop(0), ""

    def _folder(self, _parent, title: str, start: str, *_: object) -> str:
        self.asked.append((title, start, ""))
        return self.answers.pop(0)


@needs_captures
@JOURNEY_LOG
def test_the_p3_dialog_picks_its_entry_list_and_file_to_go_on_in_or_takes_them_typed(
    qtbot, tmp_path: Path, dialogs, monkeypatch
) -> None:
    practice = tmp_path / "practice.tbs"
    SessionRecorder.create(practice, QUARTER_MILE_QUALIFYING).close()
    listed = tmp_path / "lists" / "entries.csv"
    listed.parent.mkdir()
    listed.write_text("car,driver,transponder\n31,Justin Haley,3438895\n")
    typed = tmp_path / "typed.csv"
    typed.write_text("car,driver,transponder\n7,Typed Driver,3438895\n")
    earlier = tmp_path / "earlier" / "p3-before.tbs"
    earlier.parent.mkdir()
    SessionRecorder.create(earlier, QUARTER_MILE_QUALIFYING).close()
    picker = FilePicker(monkeypatch)
    user = User(qtbot, open_window(practice, tmp_path / "settings.ini"))
    user.show()
    simulator = P3Simulator(wires(), speed=0)
    assert simulator.listen(0)
    decoder = tmp_path / "decoder"
    seen: dict[str, object] = {}

    def fill(dialog) -> None:
        assert isinstance(dialog, P3ConnectDialog)
        seen["buttons"] = [
            b.text() for b in (dialog.folder_choose, dialog.entries_choose, dialog.resume_choose)
        ]
        user.fill(dialog.address, f"p3://127.0.0.1:{simulator.port}")
        picker.answers.append(str(decoder))
        user.tab_to(dialog.folder_choose)
        user.press(Qt.Key.Key_Space)
        assert dialog.folder.text() == str(decoder)
        picker.answers.append(str(listed))  # Entry list ▸ Choose…, the CSV picked
        user.tab_to(dialog.entries_choose)
        user.press(Qt.Key.Key_Space)
        seen["entries"] = dialog.entries.text()
        picker.answers.append("")  # again, cancelled: the file named stays
        user.press(Qt.Key.Key_Space)
        seen["kept"] = dialog.entries.text()
        picker.answers.append(str(earlier))  # Go on in ▸ Choose…: its folder and kind its own
        user.tab_to(dialog.resume_choose)
        user.press(Qt.Key.Key_Space)
        seen["resume"] = dialog.resume.text()
        seen["fresh"] = [w.isEnabled() for w in (dialog.folder, dialog.folder_choose, dialog.kind)]
        user.fill(dialog.resume, "")  # a new session after all
        user.press(Qt.Key.Key_Backspace)
        assert [w.isEnabled() for w in (dialog.folder, dialog.folder_choose, dialog.kind)] == [
            True,
            True,
            True,
        ]
        user.fill(dialog.entries, str(typed))  # a path typed, not picked, still works
        seen["ok"] = ok_button(dialog).isEnabled()
        SHOTS.mkdir(parents=True, exist_ok=True)
        assert dialog.grab().save(str(SHOTS / "p3-connect-choose.png"))
        user.click(ok_button(dialog))

    dialogs.expect(P3ConnectDialog, fill)
    try:
        user.choose("Feed", "Connect to a P3 decoder")
        assert dialogs.unexpected == [] and dialogs.expected == []
        qtbot.waitUntil(lambda: len(user.window.controller.engine.passings) == 84, timeout=20_000)
        engine = user.window.controller.engine
        assert engine.transponder_owner("3438895") == "7"  # the list typed, taken
    finally:
        user.window.p3.disconnect_decoder()
        simulator.close()
    assert seen == {
        "buttons": [CHOOSE, CHOOSE, CHOOSE],
        "entries": str(listed),
        "kept": str(listed),
        "resume": str(earlier),
        "fresh": [False, False, False],
        "ok": True,
    }
    entries_filter = "Entry lists (*.csv *.txt);;timingboard sessions (*.tbs);;All files (*)"
    assert picker.asked[1:] == [
        ("Entry list", str(decoder), entries_filter),  # opened in the session's folder
        ("Entry list", str(listed.parent), entries_filter),  # then where the list is
        ("Go on in a session file", str(decoder), "timingboard sessions (*.tbs);;All files (*)"),
    ]
    (made,) = decoder.glob("p3-*.tbs")
    assert user.window.controller.recorder.file.path == made
    user.window.close()
    user.window.controller.close()
