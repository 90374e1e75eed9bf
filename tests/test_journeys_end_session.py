"""Journeys: an operator ends a hand-timed session (Flag ▸ End session…), as a timing system's
end of session would: the cars that never took the flag read as the results sheet says, the
title FINISHED, the end is in the Corrections list and the file, and Ctrl+Z takes it back. A
car not started reads the same on the board and a sheet printed mid-session (nothing), and DNS
on both once the session is over.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from journey import (
    OPERATOR,
    FakeTime,
    User,
    close_session_window,
    file_dialog_answer,
    new_session_window,
    ok_button,
    open_window,
    operator_settings,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from race_scripts import QUARTER_MILE_QUALIFYING

from timingboard.engine import EndSession, Flag, FlagChanged, Passing, Revert, Source
from timingboard.qt.leaderboard_model import Column
from timingboard.store.recorder import SessionRecorder
from timingboard.store.session_file import SessionFile
from timingboard.widgets.session_dialog import NewSessionDialog

SHOTS = Path(__file__).resolve().parents[1] / "build" / "journeys"
JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


def _window(qtbot, tmp_path: Path) -> User:
    """The board open on a first session, the operator named in its settings."""
    operator_settings(tmp_path / "settings.ini").sync()
    return new_session_window(qtbot, tmp_path, QUARTER_MILE_QUALIFYING, "first.tbs")


def _new_session(user: User, dialogs, tmp_path: Path, kind: str, name: str) -> Path:
    """File ▸ New session, no entry list: each number typed a new car."""
    path = tmp_path / f"{name.lower()}.tbs"

    def fill(dialog) -> None:
        assert isinstance(dialog, NewSessionDialog)
        user.fill(dialog.name, name)
        user.tab_to(dialog.kind)
        user.type(kind)
        assert dialog.entries_from.currentText() == "none"
        user.click(ok_button(dialog))

    dialogs.expect(NewSessionDialog, fill)
    dialogs.expect(QFileDialog, file_dialog_answer(user, path))
    user.choose("File", "New session")
    assert dialogs.unexpected == [] and dialogs.expected == []
    user.activate()
    user.qtbot.waitUntil(lambda: user.focused() is user.window.entry_panel.car_field)
    return path


def _status_of(user: User) -> dict[str, str]:
    return dict(zip(user.column(Column.CAR), user.column(Column.STATUS), strict=True))


def _end(user: User, dialogs, said: list[str], answer: Qt.Key = Qt.Key.Key_Return) -> None:
    """Flag ▸ End session…, the question read and answered with a key (Enter: End session)."""

    def act(box) -> None:
        assert isinstance(box, QMessageBox)
        said.append(f"{box.text()}\n{box.informativeText()}")
        user.press(answer)

    dialogs.expect(QMessageBox, act)
    user.choose("Flag", "End session")
    user.qtbot.waitUntil(lambda: bool(said) and not dialogs.expected)
    assert dialogs.unexpected == []
    user.activate()


def _export_csv(user: User, dialogs, path: Path) -> list[dict[str, str]]:
    dialogs.expect(QFileDialog, file_dialog_answer(user, path, "CSV"))
    user.choose("File", "Export results")
    user.qtbot.waitUntil(lambda: path.is_file() or bool(dialogs.unexpected))
    assert dialogs.unexpected == []
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    path.unlink()
    user.activate()
    return rows


@JOURNEY_LOG
def test_a_hand_timed_qualifying_ended_from_the_flag_menu(
    qtbot, tmp_path, dialogs, monkeypatch
) -> None:
    """Green; 7, 12, 33 out; each a lap; the checkered falls with all three on a lap: none is
    "Finished" a lap early, each "Running", the title CHECKERED (it read FINISHED with the
    cars out, and race control could not tell whether it was ended). 12 takes the flag. 7 and
    33 went in to the pit lane: End session names them and says what becomes of them; then
    all three are finished, the title FINISHED, as the question said. Ctrl+Z: 7 and 33 run
    again, the title CHECKERED again; Ctrl+Shift+Z ends it again; the file holds the end, its
    undo and redo, signed."""
    clock = FakeTime().install(monkeypatch)
    user = _window(qtbot, tmp_path)
    path = _new_session(user, dialogs, tmp_path, "Q", "Qualifying")
    user.press(Qt.Key.Key_F5)
    for lap_s in (0, 30):
        for car in ("7", "12", "33"):
            clock.advance(2 if lap_s == 0 else 30 + int(car) / 100)
            user.enter(car)
    qtbot.waitUntil(lambda: user.header()["passings"] == "6 passings")
    clock.advance(5)
    user.press(Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: "CHECKERED" in user.window.windowTitle())
    qtbot.waitUntil(lambda: user.header()["flag"].upper().startswith("CHECKERED"))
    on_lap = {"7": "Running", "12": "Running", "33": "Running"}
    qtbot.waitUntil(lambda: _status_of(user) == on_lap)  # all on a lap
    qtbot.waitUntil(lambda: user.header()["remaining"] == "Checkered")
    clock.advance(20)
    user.enter("12")  # takes the flag
    qtbot.waitUntil(lambda: _status_of(user)["12"] == "Finished")
    assert _status_of(user)["7"] == _status_of(user)["33"] == "Running"
    assert "CHECKERED" in user.window.windowTitle()  # two cars still out

    said: list[str] = []
    clock.advance(60)
    _end(user, dialogs, said)
    assert said[0].startswith("End Qualifying now, at 0:0")
    # on the header's clock, named as the header and the Entry panel name it ("since green
    # 0:00:04" above it; the question said "at 0:00:45.805", session time, unnamed)
    question = said[0].splitlines()[0]
    assert re.fullmatch(r"End Qualifying now, at 0:0\d:\d\d since green\?", question)
    # the walk: "at 0:01:57.867 since green?" under a header standing at 0:01:33 (the finish)
    assert question == f"End Qualifying now, at {user.header()['clock']} since green?"
    assert user.header()["clock"] and "since green" in user.window.header.clock_kind.text()
    assert "2 cars still out (" in said[0] and "finished on their best laps" in said[0]
    assert "Ctrl+Z" in said[0]
    qtbot.waitUntil(
        lambda: _status_of(user) == {"7": "Finished", "12": "Finished", "33": "Finished"}
    )
    assert user.status().startswith("Session ended at 0:0")
    assert question.removeprefix("End Qualifying now, at ").removesuffix("?") in user.status()
    assert "FINISHED" in user.window.windowTitle() and "the title reads FINISHED" in said[0]
    assert user.header()["remaining"] == "Finished"
    assert not user.menu_action("Flag", "End session").isEnabled()  # ended once
    audit = user.window.audit.model()
    rows = [
        [str(audit.index(r, c).data()) for c in range(audit.columnCount())]
        for r in range(audit.rowCount())
    ]
    ended = [row for row in rows if row[3].startswith("End the session at 0:0")]
    assert [row[2:3] + row[4:] for row in ended] == [
        [OPERATOR, "ended by the operator", "in force"]
    ]
    user.screenshot(SHOTS / "end-session-qualifying.png")

    user.press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: _status_of(user)["7"] == "Running")
    assert user.status().startswith("Undone: End the session at")
    assert _status_of(user) == {"7": "Running", "12": "Finished", "33": "Running"}
    qtbot.waitUntil(lambda: "CHECKERED" in user.window.windowTitle())
    assert user.header()["remaining"] == "Checkered"
    assert user.menu_action("Flag", "End session").isEnabled()
    user.press(
        Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    qtbot.waitUntil(lambda: _status_of(user)["7"] == "Finished")
    assert "FINISHED" in user.window.windowTitle()
    user.window.close()
    user.window.controller.close()

    file = SessionFile.open(path, read_only=True)
    logged = [e.event for e in file.entries() if isinstance(e.event, EndSession | Revert)]
    file.close()
    assert [type(e).__name__ for e in logged] == ["EndSession", "Revert", "Revert"]
    assert logged[0].reason == "ended by the operator" and logged[0].operator == OPERATOR


@JOURNEY_LOG
def test_a_practice_ended_with_no_flag_goes_from_live_to_finished_and_back(
    qtbot, tmp_path, dialogs, monkeypatch
) -> None:
    """No checkered ever thrown: the operator's end alone finishes it. Esc-less: Cancel keeps
    it going, saying so."""
    clock = FakeTime().install(monkeypatch)
    user = _window(qtbot, tmp_path)
    _new_session(user, dialogs, tmp_path, "P", "Practice")
    user.press(Qt.Key.Key_F5)
    for car in ("5", "5"):
        clock.advance(40)
        user.enter(car)
    qtbot.waitUntil(lambda: user.header()["passings"] == "2 passings")
    assert "LIVE" in user.window.windowTitle()
    qtbot.waitUntil(lambda: _status_of(user) == {"5": ""})
    said: list[str] = []
    _end(user, dialogs, said, answer=Qt.Key.Key_Escape)
    assert "1 car still out (5)" in said[0]
    assert user.status() == "The session goes on: not ended"
    assert "LIVE" in user.window.windowTitle() and _status_of(user) == {"5": ""}
    _end(user, dialogs, said)
    qtbot.waitUntil(lambda: "FINISHED" in user.window.windowTitle())
    assert _status_of(user) == {"5": "Finished"}
    qtbot.waitUntil(lambda: user.header()["remaining"] == "Finished")
    user.press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "LIVE" in user.window.windowTitle())
    user.window.close()
    user.window.controller.close()


@JOURNEY_LOG
def test_a_car_not_started_reads_the_same_on_the_board_and_the_sheet(
    qtbot, tmp_path, dialogs, monkeypatch
) -> None:
    """Race: 31 and 8 cross, 8 once (its start: no lap), 31 twice. A sheet exported mid-race
    calls 8 nothing, as the board does (it read DNS); once the race is ended, DNF on both: it
    took the start (it read DNS, as a car never seen)."""
    clock = FakeTime().install(monkeypatch)
    user = _window(qtbot, tmp_path)
    _new_session(user, dialogs, tmp_path, "R", "Heat")
    user.press(Qt.Key.Key_F5)
    for car in ("31", "8", "31"):
        clock.advance(20)
        user.enter(car)
    qtbot.waitUntil(lambda: user.header()["passings"] == "3 passings")
    qtbot.waitUntil(lambda: _status_of(user) == {"31": "", "8": ""})
    rows = _export_csv(user, dialogs, tmp_path / "mid.csv")
    assert {r["car"]: r["status"] for r in rows} == {"31": "running", "8": ""}
    said: list[str] = []
    _end(user, dialogs, said)
    assert (
        "1 car still out (31) will not take the flag: running, as many laps down as it is"
        in (said[0])
    )
    assert "A car that took the start and completed no lap is DNF (out)" in said[0]
    qtbot.waitUntil(lambda: _status_of(user)["8"] == "DNF")
    assert _status_of(user)["31"] == "Running"
    rows = _export_csv(user, dialogs, tmp_path / "end.csv")
    assert {r["car"]: r["status"] for r in rows} == {"31": "running", "8": "DNF"}
    user.window.close()
    user.window.controller.close()


def _finished_qualifying(path: Path) -> Path:
    """Timed by hand before an operator could end a session: 7 and 12 each a lap, both on
    their next when the checkered falls; no end logged."""
    recorder = SessionRecorder.create(path, QUARTER_MILE_QUALIFYING)
    recorder.submit([FlagChanged(time_ms=0, flag=Flag.GREEN)])
    for ms, car in ((1000, "7"), (2000, "12"), (15_000, "7"), (16_500, "12")):
        recorder.submit([Passing(car=car, time_ms=ms, source=Source.MANUAL)])
    recorder.submit([FlagChanged(time_ms=20_000, flag=Flag.CHECKERED)])
    recorder.close()
    return path


@JOURNEY_LOG
@pytest.mark.parametrize(
    ("later_h", "status", "title"), [(2.0, "Running", "CHECKERED"), (48.0, "Finished", "FINISHED")]
)
def test_a_qualifying_finished_with_no_end_reads_as_it_did_once_it_is_a_record(
    qtbot, tmp_path, monkeypatch, later_h: float, status: str, title: str
) -> None:
    """Opened two hours on it may still be timed (cars still out run until they take the
    flag, or End session: CHECKERED); two days on it is a record, and reads as it always did
    (FINISHED)."""
    clock = FakeTime().install(monkeypatch)
    path = _finished_qualifying(tmp_path / "q.tbs")
    clock.advance(later_h * 3600)
    user = User(qtbot, open_window(path, tmp_path / "settings.ini"))
    user.show()
    qtbot.waitUntil(lambda: _status_of(user) == {"7": status, "12": status})
    assert f"— {title} ·" in user.window.windowTitle()
    close_session_window(user.window)


@JOURNEY_LOG
def test_the_exported_sheet_of_a_session_ended_by_hand_says_its_end(
    qtbot, tmp_path, dialogs
) -> None:
    """File ▸ New session (practice), F5, 5 and 9 out, Flag ▸ End session…, File ▸ Export
    results: the header's End was blank (no lap completed: it was the last lap's time); now the
    end, printed as the Start is. On the real clock (a sheet prints no time still to come)."""
    from datetime import datetime, timedelta

    user = _window(qtbot, tmp_path)
    _new_session(user, dialogs, tmp_path, "P", "Practice")
    user.press(Qt.Key.Key_F5)
    for car in ("5", "9"):
        user.enter(car)
    qtbot.waitUntil(lambda: user.header()["passings"] == "2 passings")
    _end(user, dialogs, [])
    qtbot.waitUntil(lambda: "FINISHED" in user.window.windowTitle())
    engine, file = user.window.controller.engine, user.window.controller.recorder.file
    assert file is not None and engine.start_ms is not None and engine.ended_ms is not None
    zero = datetime.fromtimestamp(file.origin).astimezone()

    def of_day(ms: int) -> str:
        return (zero + timedelta(milliseconds=ms)).strftime("%H:%M:%S")

    html = tmp_path / "practice.html"
    dialogs.expect(QFileDialog, file_dialog_answer(user, html, "HTML"))
    user.choose("File", "Export results")
    qtbot.waitUntil(lambda: html.is_file() or bool(dialogs.unexpected))
    assert dialogs.unexpected == []
    page = html.read_text(encoding="utf-8")
    assert f"<th>Start</th><td>{of_day(engine.start_ms)}</td>" in page
    assert f"<th>End</th><td>{of_day(engine.ended_ms)}</td>" in page
    user.window.close()
    user.window.controller.close()
