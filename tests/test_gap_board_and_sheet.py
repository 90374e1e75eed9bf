"""The walk: after a lapped car's last passing was reassigned to another car and a car was
disqualified, the board's gap and the results sheet's disagreed. Through the window as the
operator does it: they agree on every car on the leader's lap and every finished car; the car
whose last passing was taken reads its laps down as of its own last crossing on the board
("+1 lap": the leader had 3 laps when it crossed at 0:00:47.000) and the laps it is short now on
the sheet ("+2 laps"): that is the gap rule (engine/rows.py), not a fault of either."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from test_journeys_corrections import (  # noqa: F401 (fixtures)
    board,
    board_row,
    click_item,
    confirm,
    focused,
    open_dialog,
    passing_row,
    press,
    right_click,
    saved_session,
    type_text,
)

from timingboard.text.board_columns import Column


def sheet_gaps(window) -> list[tuple[str, str, str, str]]:
    rows = window.results.sheet().sections[0].rows  # the classification, as File ▸ Results
    return [(r["position"], r["car"], r["laps"], r["gap"]) for r in rows]


@pytest.mark.qt_log_ignore(r"This plugin does not support (raise|grabbing)")
def test_board_and_sheet_after_a_reassigned_last_passing_and_a_dsq(
    qtbot,
    saved_session,  # noqa: F811 (the fixture, imported)
    open_window,
) -> None:
    window = open_window(saved_session)
    click_item(
        right_click(window.passings_log, passing_row(window, "3", "0:01:02.500")), "reassign"
    )
    dialog = open_dialog(qtbot, window)
    assert isinstance(focused(), QComboBox) and focused().currentText() == "1 — Driver 1"
    confirm(qtbot, dialog)  # car 3's last crossing was car 1's (a double read for car 1)
    click_item(right_click(window.board, board_row(window, "1")), "disqualify")
    dialog = open_dialog(qtbot, window)
    while not dialog.reason_field.hasFocus():
        press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "stewards' decision")
    confirm(qtbot, dialog)
    qtbot.waitUntil(lambda: board(window, Column.LAPS)[-1] == ("3", "1", "4"))
    shown = board(window, Column.LAPS, Column.GAP)
    assert shown == [("1", "2", "4", ""), ("2", "3", "2", "+1 lap"), ("3", "1", "4", "")]
    assert sheet_gaps(window) == [("1", "2", "4", ""), ("2", "3", "2", "+2 laps")]
