"""The new user's walk through a hand-timed race made from the demo's qualifying: File ▸ New
session (a 10-lap race, its entries the qualifying's), F5, the numbers typed as the cars cross,
then corrections from right-clicks. What the board reads, and that the sheet it exports agrees.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from journey import Dialogs, FakeTime, User, file_dialog_answer, ok_button, open_window
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QFileDialog
from test_journeys_corrections import (
    board_row,
    click_item,
    confirm,
    open_dialog,
    right_click,
)

from timingboard.demo.clash import qualifying
from timingboard.qt.leaderboard_model import Column
from timingboard.qt.passings_model import PassingColumn
from timingboard.store import SessionRecorder
from timingboard.widgets.session_dialog import NewSessionDialog

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (raise|grabbing)")


@pytest.fixture
def race(qtbot, tmp_path, monkeypatch, operator_settings):
    """The demo's qualifying, as ``timingboard demo`` leaves it, opened; then File ▸ New session:
    a 10-lap race, entries from that qualifying. The race's window, its clock the test's."""
    scripted = qualifying(31)
    recorder = SessionRecorder.create(tmp_path / "q.tbs", scripted.settings)
    recorder.submit([*scripted.competitors, *(event for _, event in scripted.events)])
    recorder.close()
    clock = FakeTime().install(monkeypatch)
    operator_settings.sync()
    user = User(qtbot, open_window(tmp_path / "q.tbs", Path(operator_settings.fileName())))
    user.show()

    def fill(dialog) -> None:
        assert isinstance(dialog, NewSessionDialog)
        user.fill(dialog.name, "Race")
        user.tab_to(dialog.kind)
        user.type("R")
        user.fill(dialog.laps, "10")
        dialog.entries_from.setCurrentIndex(
            dialog.entries_from.findText("an earlier session of the event")
        )
        user.fill(dialog.entries_path, str(tmp_path / "q.tbs"))
        user.click(ok_button(dialog))

    dialogs = Dialogs()  # stopped once answered: the correction dialogs are the test's
    dialogs.expect(NewSessionDialog, fill)
    dialogs.expect(QFileDialog, file_dialog_answer(user, tmp_path / "race.tbs"))
    user.choose("File", "New session")
    dialogs.stop()
    assert dialogs.unexpected == [] and dialogs.expected == []
    qtbot.waitUntil(lambda: user.header()["session"].startswith("Race"))
    user.activate()
    qtbot.waitUntil(lambda: user.focused() is user.window.entry_panel.car_field)
    user.clock = clock
    yield user
    user.window.close()
    user.window.controller.close()


def crossings(user: User, script: list[tuple[float, str]]) -> None:
    """Each car typed (and Enter) as it crosses, ``seconds`` after the one before."""
    for seconds, car in script:
        user.clock.advance(seconds)
        user.enter(car)


def to_the_board(user: User) -> None:
    """Back to the window, its car field, as after a dialog closes."""
    user.activate()
    user.window.entry_panel.car_field.setFocus()
    user.qtbot.waitUntil(lambda: user.focused() is user.window.entry_panel.car_field)


def exported(user: User, path: Path) -> dict[str, dict[str, str]]:
    """File ▸ Export results as CSV: car to its row."""
    dialogs = Dialogs()
    dialogs.expect(QFileDialog, file_dialog_answer(user, path, "CSV"))
    user.choose("File", "Export results")
    user.qtbot.waitUntil(lambda: path.is_file() or bool(dialogs.unexpected))
    dialogs.stop()
    assert dialogs.unexpected == []
    with path.open(encoding="utf-8", newline="") as f:
        return {row["car"]: row for row in csv.DictReader(f)}


def newest_passing(user: User, car: str) -> int:
    """The row of the car's latest passing in the Passings log (newest first)."""
    user.window.passings_model.flush()
    return user.passings(PassingColumn.CAR).index(car)


def board_cells(user: User, car: str, *columns: Column) -> tuple[str, ...]:
    row = board_row(user.window, car)
    return tuple(user.cell(row, c) for c in columns)


# the walk's crossings: the start (lap 0), lap 1, then lap 2 of 31 and 16 (8's was not typed),
# then 8 again a lap later: its lap 2 missed
START_AND_TWO_LAPS = [(1.0, "8"), (0.3, "31"), (0.3, "16")]
START_AND_TWO_LAPS += [(5.4, "31"), (0.2, "8"), (0.3, "16")]
START_AND_TWO_LAPS += [(5.5, "31"), (0.4, "16"), (6.0, "8")]


def test_a_car_a_lap_penalty_cut_reads_its_laps_down_as_the_sheet(
    race: User, qtbot, tmp_path
) -> None:
    """The walk: after car 8's missed lap was inserted and car 31 given a lap penalty, the
    board read 31 "+6.196" to the leader and "+5.852" to P2 (times from a crossing of another
    lap count: its lap 2 crossing against their lap 1), the sheet "+2 laps" and "+1 lap"."""
    user = race
    user.press(Qt.Key.Key_F5)
    crossings(user, START_AND_TWO_LAPS)
    qtbot.waitUntil(lambda: user.header()["passings"] == "9 passings")
    window = user.window
    click_item(right_click(window.passings_log, newest_passing(user, "8")), "insert_before")
    dialog = open_dialog(qtbot, window)
    user.type("6.900")  # its lap 1 at 0:00:07.4: after 31's lap 2 at 0:00:13.1
    assert re.fullmatch(r"Insert a passing for car 8 at 0:00:14\.\d{3}", dialog.summary.text())
    confirm(qtbot, dialog)
    click_item(right_click(window.board, board_row(window, "31")), "lap_penalty")
    dialog = open_dialog(qtbot, window)
    user.press(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    user.type("1")
    while not dialog.reason_field.hasFocus():
        user.press(Qt.Key.Key_Tab)
    user.type("jumped start")
    assert dialog.summary.text() == "Lap penalty 1 lap for car 31"
    confirm(qtbot, dialog)
    qtbot.waitUntil(lambda: user.column(Column.CAR)[:3] == ["8", "16", "31"])
    window.board_model.flush()
    assert user.column(Column.LAPS)[:3] == ["3", "2", "1"]
    shown = board_cells(user, "31", Column.GAP, Column.INTERVAL, Column.STATUS)
    assert shown == ("+2 laps", "+1 lap", "-1 lap")  # the sheet's words (it read "-1L")
    to_the_board(user)
    sheet = exported(user, tmp_path / "race.csv")
    assert (sheet["31"]["gap"], sheet["31"]["interval"]) == shown[:2]  # the board and the sheet
    assert sheet["31"]["penalties"] == shown[2]
    assert (sheet["16"]["gap"], sheet["16"]["interval"]) == board_cells(
        user, "16", Column.GAP, Column.INTERVAL
    )


def test_a_car_seen_taking_the_start_is_not_dns_at_the_checkered(
    race: User, qtbot, tmp_path
) -> None:
    """The walk: 77 typed once after the green (the log calls it its start), then F9. The
    board read "77 Ty Dillon 0 … DNS", the sheet "DNS no lap completed": it started. It is out
    with no lap completed, DNF, as a retired car reads, on the board and the sheet alike."""
    user = race
    user.press(Qt.Key.Key_F5)
    crossings(user, [(1.0, "8"), (0.3, "77"), (0.3, "16"), (6.0, "8"), (0.4, "16")])
    qtbot.waitUntil(lambda: user.header()["passings"] == "5 passings")
    user.window.passings_model.flush()
    assert user.passings(PassingColumn.STATUS)[-2] == "start"  # 77's crossing
    user.clock.advance(3.0)
    user.press(Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: user.header()["flag"] != "GREEN")
    user.window.board_model.flush()
    assert board_cells(user, "77", Column.STATUS) == ("DNF",)
    assert board_cells(user, "77", Column.LAPS) == ("0",)
    never_seen = board_row(user.window, "31")  # on the entry list, never crossed: not started
    assert user.cell(never_seen, Column.STATUS) == "DNS"
    sheet = exported(user, tmp_path / "race.csv")
    assert (sheet["77"]["laps"], sheet["77"]["status"]) == ("0", "DNF")
    assert sheet["77"]["position"] == ""  # not classified: no lap completed
    assert sheet["31"]["status"] == "DNS"
    document = exported_json(user, tmp_path / "race.json")
    section = next(s for s in document["sections"] if s["key"] == "not_classified")
    reasons = {r["car"]: (r["status"], r["reason"]) for r in section["rows"]}
    assert reasons["77"] == ("DNF", "took the start, no lap completed")
    assert reasons["31"] == ("DNS", "never seen")  # it was "no lap completed", as 77's


def exported_json(user: User, path: Path) -> dict:
    """File ▸ Export results as JSON: the sheet, its sections with their reasons."""
    dialogs = Dialogs()
    dialogs.expect(QFileDialog, file_dialog_answer(user, path, "JSON"))
    user.choose("File", "Export results")
    user.qtbot.waitUntil(lambda: path.is_file() or bool(dialogs.unexpected))
    dialogs.stop()
    assert dialogs.unexpected == []
    return json.loads(path.read_text(encoding="utf-8"))


def test_a_missed_lap_at_a_time_outside_the_stretch_chosen_is_refused_keeping_the_text(
    race: User, qtbot
) -> None:
    """The walk: "Missed in: Completes lap 3: after its last crossing (lap 2 at 0:00:48.895)"
    took @0:00:40, before that crossing, with no warning (a passing inside lap 2)."""
    user = race
    user.press(Qt.Key.Key_F5)
    crossings(user, [(1.0, "8"), (20.0, "8"), (20.0, "8")])
    qtbot.waitUntil(lambda: user.header()["passings"] == "3 passings")
    window = user.window
    click_item(right_click(window.board, board_row(window, "8")), "insert")
    dialog = open_dialog(qtbot, window)
    lap = user.focused()
    assert isinstance(lap, QComboBox)
    user.press(Qt.Key.Key_End)  # the last choice: after its last crossing
    chosen = re.fullmatch(
        r"Completes lap 3: after its last crossing \(lap 2 at (0:00:(\d\d)\.(\d{3}))\)",
        lap.currentText(),
    )
    assert chosen is not None, lap.currentText()
    user.press(Qt.Key.Key_Tab)
    before = f"@0:00:{int(chosen[2]) - 8:02d}.{chosen[3]}"  # 8 s before that crossing
    user.type(before)
    assert dialog.summary.text() == (
        f"⚠ {before[1:]} is before lap 2's crossing at {chosen[1]}: the passing missed "
        "there comes after it (or pick the lap it was missed in)"
    )
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled() and dialog.effect_texts() == []
    user.press(Qt.Key.Key_Return)  # Enter logs nothing
    assert dialog.isVisible() and user.focused().text() == before  # what was typed is kept
    while user.focused() is not lap:  # back to "Missed in": lap 2, where that time is
        user.press(Qt.Key.Key_Backtab)
    user.press(Qt.Key.Key_Up)
    assert lap.currentText().startswith("Lap 2: ")
    assert dialog.summary.text() == f"Insert a passing for car 8 at {before[1:]}"
    assert ok.isEnabled()
    confirm(qtbot, dialog)
    qtbot.waitUntil(lambda: board_cells(user, "8", Column.LAPS) == ("3",))
