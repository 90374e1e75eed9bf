"""The walk's board faults (issue 15, second round), met through the real window as
``timingboard open`` builds it: right-clicks, the dialogs typed into, Ctrl+Z; what is checked is
what the operator sees."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from race_scripts import TEN_LAPS, ten_lap_race
from test_journeys_corrections import (
    board,
    board_row,
    click_item,
    confirm,
    open_dialog,
    passing_row,
    press,
    right_click,
    type_text,
    undo,
)

from timingboard.engine import Event, Passing
from timingboard.store import SessionRecorder
from timingboard.text.board_columns import Column

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (raise|grabbing)")


def saved(tmp_path: Path, events: list[Event]) -> Path:
    from unittest import mock

    path = tmp_path / "walk race.tbs"
    with mock.patch("timingboard.store.session_file.time.time", return_value=time.time() - 200):
        recorder = SessionRecorder.create(path, TEN_LAPS)
    recorder.submit(events)
    recorder.close()
    return path


def test_a_car_a_lap_down_after_a_deleted_passing_reads_plus_one_lap(
    qtbot, tmp_path, open_window
) -> None:
    """A time penalty on 31, then 8's lap-9 passing deleted (read twice): 8 is a lap
    down, "+1 lap" on the board as in the exported results (it read +5.300)."""
    window = open_window(saved(tmp_path, ten_lap_race()))
    click_item(right_click(window.board, board_row(window, "31")), "time_penalty")
    dialog = open_dialog(qtbot, window)
    assert dialog.summary.text() == "Time penalty +5.000 s for car 31"
    press(qtbot, Qt.Key.Key_Tab)  # the operator, filled in from the settings
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "jumped the start")
    confirm(qtbot, dialog)
    click_item(right_click(window.passings_log, passing_row(window, "8", "0:01:31.600")), "delete")
    dialog = open_dialog(qtbot, window)
    assert dialog.reason_field.text() == ""  # a counted lap: no "double read" put in for it
    type_text(qtbot, "read twice by the loop")  # the reason field has the focus
    confirm(qtbot, dialog)
    expected = [
        ("1", "16", "10", "", ""),
        ("2", "31", "10", "+5.300", "+5.300"),
        ("3", "8", "9", "+1 lap", "+1 lap"),
    ]
    qtbot.waitUntil(lambda: board(window, Column.LAPS, Column.GAP, Column.INTERVAL) == expected)
    undo(qtbot, window)  # the passing back: 8 on 10 laps again, ahead of penalised 31
    expected = [
        ("1", "16", "10", "", ""),
        ("2", "8", "10", "+0.600", "+0.600"),
        ("3", "31", "10", "+5.300", "+4.700"),
    ]
    qtbot.waitUntil(lambda: board(window, Column.LAPS, Column.GAP, Column.INTERVAL) == expected)


def test_insert_a_missed_lap_then_undo_it_the_count_and_the_entry_panel_follow(
    qtbot, tmp_path, open_window
) -> None:
    """Car 8's crossing ending lap 5 was not read. The operator types 16 and 8 as they take the
    flag, inserts 8's missed lap, then takes it back: the header's passings count went up by
    one and stayed so after Ctrl+Z, and the Entry panel kept "lap 9" once it was lap 10."""
    events = [
        e
        for e in ten_lap_race()
        if not (isinstance(e, Passing) and (e.time_ms == 51_600 or e.time_ms > 100_000))
    ]
    window = open_window(saved(tmp_path, events))
    header = window.header.passings
    assert header.text() == "29 passings"
    qtbot.waitUntil(lambda: window.isAncestorOf(QApplication.focusWidget()))
    for car in ("16", "8"):
        type_text(qtbot, car)
        press(qtbot, Qt.Key.Key_Return)
    panel = window.entry_panel.message
    qtbot.waitUntil(lambda: header.text() == "31 passings")
    assert panel.text() == "Car 8: lap 9 — finished"
    click_item(right_click(window.board, board_row(window, "8")), "insert")
    dialog = open_dialog(qtbot, window)
    assert QApplication.focusWidget().currentText().startswith("Lap 5: 20.000")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "10.000")
    confirm(qtbot, dialog)
    qtbot.waitUntil(lambda: header.text() == "32 passings")
    qtbot.waitUntil(lambda: panel.text() == "Car 8: lap 10 — finished")  # it kept lap 9
    undo(qtbot, window)
    qtbot.waitUntil(lambda: board(window, Column.LAPS)[2] == ("3", "8", "9"))
    qtbot.waitUntil(lambda: header.text() == "31 passings")  # it stayed at 32
    qtbot.waitUntil(lambda: panel.text() == "Car 8: lap 9 — finished")
