"""Journeys: a number typed once the session is ended (Flag ▸ End session…) is refused, as a
flag is, on the desk and on the wall (board mode). The walk: car 2 typed 7:35 after the end
was logged as its lap 4, turning it from Running P3 into "Finished" P2, and `timingboard
results` printed it so. Now the status bar and the Entry panel say why, the number stays in
the field, nothing is logged and the sheet is unchanged; Ctrl+Z of the end lets it count.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from journey import (
    FakeTime,
    User,
    close_session_window,
    file_dialog_answer,
    ok_button,
    open_window,
    operator_settings,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from race_scripts import QUARTER_MILE_RACE, field
from test_journeys_end_session import _end, _new_session, _window

from timingboard.engine import EndSession, Passing, Revert
from timingboard.qt.leaderboard_model import Column
from timingboard.store.recorder import SessionRecorder
from timingboard.store.session_file import SessionFile
from timingboard.text.session_text import finished_crossing_refusal, finished_crossing_status
from timingboard.widgets.entry_panel import PROMPT
from timingboard.widgets.results_sheet_dialogs import DeclareOfficialDialog

SHOTS = Path(__file__).resolve().parents[1] / "build" / "journeys"
JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")
REFUSED = finished_crossing_status("ended")


def _board(user: User) -> list[tuple[str, str, str, str]]:
    """Position, car, laps and status of every row, as the board shows them."""
    columns = (Column.POSITION, Column.CAR, Column.LAPS, Column.STATUS)
    return list(zip(*(user.column(c) for c in columns), strict=True))


def _results(path: Path) -> str:
    """`timingboard results FILE`: the sheet as the command prints it (CSV)."""
    done = subprocess.run(
        [sys.executable, "-m", "timingboard", "results", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _logged(path: Path) -> list[str]:
    """The kinds of the events in the session's file, in log order."""
    file = SessionFile.open(path, read_only=True)
    try:
        return [type(entry.event).__name__ for entry in file.entries()]
    finally:
        file.close()


def _ended_race(user: User, dialogs, tmp_path: Path, clock: FakeTime) -> Path:
    """Heat by hand: 1, 3 and 2 start; 1 and 3 run three laps, 2 two (P3, running); ended from
    the Flag menu. The window at 1280 px (the status bar's room is read whole there)."""
    path = _new_session(user, dialogs, tmp_path, "R", "Heat")
    user.window.resize(1280, 800)
    user.qtbot.waitUntil(lambda: user.window.statusBar().width() == 1280)
    user.press(Qt.Key.Key_F5)
    for lap in range(4):
        for car in ("1", "3", "2") if lap < 3 else ("1", "3"):
            clock.advance(2 if lap == 0 else 20 + int(car) / 10)
            user.enter(car)
    user.qtbot.waitUntil(lambda: user.header()["passings"] == "11 passings")
    said: list[str] = []
    clock.advance(5)
    _end(user, dialogs, said)
    user.qtbot.waitUntil(lambda: "FINISHED" in user.window.windowTitle())
    assert user.status().startswith("Session ended at 0:0")
    return path


def _type_after_the_end(user: User, clock: FakeTime) -> None:
    """7:35 later, car 2 typed and Enter, into whatever has the focus (the car field)."""
    clock.advance(455)
    user.window.statusBar().clearMessage()
    user.enter("2")


@JOURNEY_LOG
def test_a_number_typed_after_end_session_is_refused_until_the_end_is_undone(
    qtbot, tmp_path, dialogs, monkeypatch
) -> None:
    clock = FakeTime().install(monkeypatch)
    user = _window(qtbot, tmp_path)
    path = _ended_race(user, dialogs, tmp_path, clock)
    board = _board(user)
    assert board == [
        ("1", "1", "3", "Running"),  # a race ended with no checkered: none took the flag
        ("2", "3", "3", "Running"),
        ("3", "2", "2", "Running"),
    ]
    sheet, logged = _results(path), _logged(path)

    _type_after_the_end(user, clock)
    assert user.status() == REFUSED
    assert user.status_cut() == ""  # read whole at 1280 px
    field = user.window.entry_panel.car_field
    assert user.focused() is field and field.text() == "2"  # kept, as other refusals keep it
    told = user.entry_message()[0]
    assert told.startswith("Not timed: the session is finished (it was ended)"), told
    assert "Insert a missed lap" in told
    user.screenshot(SHOTS / "typed-after-end.png")
    assert _board(user) == board  # no lap 4, not "Finished" P2
    assert user.header()["passings"] == "11 passings"
    assert "FINISHED" in user.window.windowTitle()
    assert _logged(path) == logged  # nothing written
    assert _results(path) == sheet  # the command's sheet as it was

    user.press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # End session undone
    qtbot.waitUntil(lambda: "FINISHED" not in user.window.windowTitle())
    assert user.status().startswith("Undone: End the session at")
    assert user.entry_message()[0].startswith("Typed numbers are timed here again.")
    assert field.text() == "2"
    user.press(Qt.Key.Key_Return)  # the number kept, Enter again: it counts now
    qtbot.waitUntil(lambda: user.header()["passings"] == "12 passings")
    assert field.text() == ""
    qtbot.waitUntil(lambda: ("3", "2", "3", "") in _board(user))  # its lap 3 now: running
    assert user.entry_message()[0] == "Car 2: lap 3"
    user.window.close()
    user.window.controller.close()
    file = SessionFile.open(path, read_only=True)
    events = [entry.event for entry in file.entries()]
    file.close()
    assert [type(e).__name__ for e in events[len(logged) :]] == ["Revert", "Passing"]
    assert isinstance(events[-1], Passing) and events[-1].key == "2"
    assert any(isinstance(e, EndSession) for e in events)
    assert isinstance(events[-2], Revert)


@JOURNEY_LOG
def test_the_entry_panel_says_typing_is_refused_as_the_end_comes_goes_and_comes_back(
    qtbot, tmp_path, dialogs, monkeypatch
) -> None:
    """The walk: Flag ▸ End session… left the panel saying "Car 3: lap 4" until a number was
    typed (a session opened ended says why from the start); Ctrl+Z of the end said nothing,
    nor its redo. Now the panel follows the end: said at the end, lifted at its undo, said
    again at its redo (Ctrl+Shift+Z, and Ctrl+Y after another undo), nothing typed."""
    clock = FakeTime().install(monkeypatch)
    user = _window(qtbot, tmp_path)
    _ended_race(user, dialogs, tmp_path, clock)
    refusal = finished_crossing_refusal("ended")
    assert user.entry_message()[0] == refusal  # at once, no number typed
    field = user.window.entry_panel.car_field
    assert field.text() == ""
    user.screenshot(SHOTS / "panel-at-the-end.png")
    ctrl, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
    user.press(Qt.Key.Key_Z, ctrl)  # End session undone
    qtbot.waitUntil(lambda: "FINISHED" not in user.window.windowTitle())
    assert user.entry_message()[0] == f"Typed numbers are timed here again. {PROMPT}"
    user.press(Qt.Key.Key_Z, ctrl | shift)  # redone
    qtbot.waitUntil(lambda: "FINISHED" in user.window.windowTitle())
    assert user.entry_message()[0] == refusal
    user.press(Qt.Key.Key_Z, ctrl)
    qtbot.waitUntil(lambda: "FINISHED" not in user.window.windowTitle())
    assert user.entry_message()[0].startswith("Typed numbers are timed here again.")
    user.press(Qt.Key.Key_Y, ctrl)  # the other redo key
    qtbot.waitUntil(lambda: "FINISHED" in user.window.windowTitle())
    assert user.entry_message()[0] == refusal
    assert user.header()["passings"] == "11 passings"  # nothing typed, nothing logged
    clock.advance(30)
    user.enter("2")  # and a number typed is refused, in the same words
    assert user.status() == REFUSED
    assert user.entry_message()[0] == refusal
    assert user.header()["passings"] == "11 passings"
    close_session_window(user.window)


@JOURNEY_LOG
def test_on_the_wall_a_number_typed_after_the_end_is_refused_and_said(
    qtbot, tmp_path, dialogs, monkeypatch
) -> None:
    """Board mode (F11): the wall's band says the Entry panel's words, the status bar the
    refusal; nothing changes on the board; Esc clears the number kept, Esc again the desk."""
    clock = FakeTime().install(monkeypatch)
    user = _window(qtbot, tmp_path)
    path = _ended_race(user, dialogs, tmp_path, clock)
    window = user.window
    board, logged = _board(user), _logged(path)
    user.press(Qt.Key.Key_F11)
    assert window.board_mode.is_on and not window.entry_panel.isVisible()
    band = window.scoreboard.entry_band

    _type_after_the_end(user, clock)
    assert user.status() == REFUSED
    assert band.isVisible() and band.typed.text() == "2"
    assert band.message.text() == window.entry_panel.message.text()  # the panel's words
    assert band.message.text().startswith("Not timed: the session is finished (it was ended)")
    user.screenshot(SHOTS / "wall-typed-after-end.png")
    assert _board(user) == board
    assert user.header()["passings"] == "11 passings"
    user.press(Qt.Key.Key_Escape)  # the number kept is cleared first: the wall stays
    assert window.board_mode.is_on and band.typed.text() == ""
    user.press(Qt.Key.Key_Escape)
    assert not window.board_mode.is_on
    window.close()
    window.controller.close()
    assert _logged(path) == logged


@JOURNEY_LOG
def test_a_crossing_held_before_the_end_is_still_logged_at_its_time(
    qtbot, tmp_path, dialogs, monkeypatch
) -> None:
    """With an entry list, 77 (not on it) is held at its Enter; End session; 77 typed again
    is the crossing before the end, logged at its first Enter and counted. A number typed
    afresh after that is refused."""
    clock = FakeTime().install(monkeypatch)
    operator_settings(tmp_path / "settings.ini").sync()
    path = tmp_path / "listed.tbs"
    made = SessionRecorder.create(path, QUARTER_MILE_RACE)
    made.submit(field(["1", "2"]))
    made.close()
    user = User(qtbot, open_window(path, tmp_path / "settings.ini"))
    user.show()
    user.press(Qt.Key.Key_F5)
    clock.advance(2)
    user.enter("1")
    clock.advance(1)
    user.enter("77")
    assert user.entry_message()[0].startswith("77? NOT ON THE ENTRY LIST")
    held_at = user.window.entry.held()[0][1]
    clock.advance(5)
    _end(user, dialogs, [])
    qtbot.waitUntil(lambda: "FINISHED" in user.window.windowTitle())
    clock.advance(30)
    user.window.entry_panel.car_field.clear()
    user.enter("77")  # again: added, at its first Enter, before the end
    qtbot.waitUntil(lambda: user.header()["passings"] == "2 passings")
    assert user.window.entry.held() == []
    assert user.entry_message()[0].startswith("Car 77: start of lap 1")
    clock.advance(30)
    user.enter("2")
    assert user.status() == REFUSED
    assert user.header()["passings"] == "2 passings"
    user.window.close()
    user.window.controller.close()
    file = SessionFile.open(path, read_only=True)
    times = [(e.event.key, e.event.time_ms) for e in file.entries() if isinstance(e.event, Passing)]
    file.close()
    assert times[-1] == ("77", held_at)


@JOURNEY_LOG
def test_once_the_results_are_official_a_crossing_held_before_is_an_amendment(
    qtbot, tmp_path, dialogs, monkeypatch
) -> None:
    """Declared official (File ▸ Declare results official…, the race stopped for good): a
    number typed afresh is refused, the results being final; 77, held before the declaration,
    typed again is logged at its time and said to be an amendment."""
    clock = FakeTime().install(monkeypatch)
    operator_settings(tmp_path / "settings.ini").sync()
    path = tmp_path / "declared.tbs"
    made = SessionRecorder.create(path, QUARTER_MILE_RACE)
    made.submit(field(["1", "2"]))
    made.close()
    user = User(qtbot, open_window(path, tmp_path / "settings.ini"))
    user.show()
    user.press(Qt.Key.Key_F5)
    clock.advance(2)
    user.enter("1")
    clock.advance(1)
    user.enter("77")  # held: not on the entry list

    def declare(dialog) -> None:
        assert isinstance(dialog, DeclareOfficialDialog)
        user.fill(dialog.operator_field, "Ann Chief")
        user.click(ok_button(dialog))

    dialogs.expect(DeclareOfficialDialog, declare)
    user.choose("File", "Declare results official")
    qtbot.waitUntil(lambda: not dialogs.expected)
    assert dialogs.unexpected == []
    user.activate()
    clock.advance(20)
    user.window.entry_panel.car_field.clear()
    user.enter("2")
    assert user.status() == finished_crossing_status("official")
    assert user.window.entry_panel.car_field.text() == "2"
    user.window.entry_panel.car_field.clear()
    user.enter("77")
    qtbot.waitUntil(lambda: user.header()["passings"] == "2 passings")
    assert user.entry_message()[0] == (
        "Car 77: start of lap 1 — an amendment to the official results"
    )
    user.window.close()
    user.window.controller.close()


def _open_session(user: User, dialogs, path: Path) -> None:
    """File ▸ Open session…, the file picked in the dialog."""
    dialogs.expect(QFileDialog, file_dialog_answer(user, path))
    with user.qtbot.waitSignal(user.window.session_actions.session_opened, timeout=10_000):
        user.choose("File", "Open session")
    assert dialogs.unexpected == []
    user.activate()


@JOURNEY_LOG
def test_a_session_opened_ended_says_from_the_start_that_numbers_are_not_timed(
    qtbot, tmp_path, dialogs, monkeypatch
) -> None:
    """The walk: an ended heat opened again showed the usual "Type a car number" prompt, and
    said why a number was not taken only once one was typed. The panel says it as the
    session is shown, in the refusal's words; Ctrl+Z of the end brings the prompt back."""
    clock = FakeTime().install(monkeypatch)
    user = _window(qtbot, tmp_path)
    path = _ended_race(user, dialogs, tmp_path, clock)
    _open_session(user, dialogs, tmp_path / "first.tbs")  # another session: the prompt
    assert user.entry_message()[0] == PROMPT
    clock.advance(600)
    _open_session(user, dialogs, path)  # the ended heat again
    assert "FINISHED" in user.window.windowTitle()
    assert user.entry_message()[0] == finished_crossing_refusal("ended")  # before any number
    user.screenshot(SHOTS / "opened-ended.png")

    user.press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # End session undone
    qtbot.waitUntil(lambda: "FINISHED" not in user.window.windowTitle())
    assert user.entry_message()[0] == f"Typed numbers are timed here again. {PROMPT}"
    user.enter("2")  # and a number counts
    qtbot.waitUntil(lambda: user.header()["passings"] == "12 passings")
    user.window.close()
    user.window.controller.close()


@JOURNEY_LOG
def test_a_session_opened_with_official_results_says_numbers_are_not_timed(
    qtbot, tmp_path, dialogs, monkeypatch
) -> None:
    """Declared official, then `timingboard open FILE` later: the panel says at once that a
    typed number is not taken, and why (the words a number typed is refused with)."""
    clock = FakeTime().install(monkeypatch)
    operator_settings(tmp_path / "settings.ini").sync()
    path = tmp_path / "declared.tbs"
    made = SessionRecorder.create(path, QUARTER_MILE_RACE)
    made.submit(field(["1", "2"]))
    made.close()
    user = User(qtbot, open_window(path, tmp_path / "settings.ini"))
    user.show()
    assert user.entry_message()[0] == PROMPT
    user.press(Qt.Key.Key_F5)
    clock.advance(2)
    user.enter("1")

    def declare(dialog) -> None:
        assert isinstance(dialog, DeclareOfficialDialog)
        user.fill(dialog.operator_field, "Ann Chief")
        user.click(ok_button(dialog))

    dialogs.expect(DeclareOfficialDialog, declare)
    user.choose("File", "Declare results official")
    qtbot.waitUntil(lambda: not dialogs.expected)
    assert dialogs.unexpected == []
    user.window.close()
    user.window.controller.close()

    clock.advance(60)
    again = User(qtbot, open_window(path, tmp_path / "settings.ini"))
    again.show()
    assert again.entry_message()[0] == finished_crossing_refusal("official")
    again.enter("2")  # typed all the same: refused in the same words, nothing logged
    assert again.entry_message()[0] == finished_crossing_refusal("official")
    assert again.header()["passings"] == "1 passing"
    again.window.close()
    again.window.controller.close()
