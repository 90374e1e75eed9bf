"""The walk: after a lapped car's last passing was reassigned to another car and a car was
disqualified, the board's gap and the results sheet's disagreed. Through the window as the
operator does it: they agree on every car on the leader's lap and every finished car; the car
whose last passing was taken reads its laps down as of its own last crossing on the board
("+1 lap": the leader had 3 laps when it crossed at 0:00:47.000) and the laps it is short now on
the sheet ("+2 laps"): that is the gap rule (engine/rows.py), not a fault of either."""

from __future__ import annotations

import pytest
from conftest import SHARED_FEEDS
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

from timingboard.cli import main
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


ORBITS = SHARED_FEEDS / "orbits_mock_session_brandshatch.txt"


@pytest.mark.skipif(not ORBITS.exists(), reason="../shared/feeds is not here")
@pytest.mark.qt_log_ignore(r"This plugin does not support (raise|grabbing)")
def test_the_imported_brands_hatch_session_board_and_sheet_on_every_car(
    tmp_path, open_window, capsys
) -> None:
    """The walk: ``timingboard import`` of the Orbits capture, then ``timingboard open``. The
    capture's "Finish" ($F) falls at the leader's crossing at 0:05:14.808; cars 6 and 2 last
    crossed at 0:05:05.674 and 0:05:07.770, before it, and the stream ends ($B run 95) before
    they come round again: they never took the flag. Every car that did reads the sheet's gap;
    those two are still running on the board as on the sheet (no "Finished"): the board keeps
    their gap as of their own last crossing (on the leader's lap then, 30.4 s behind), the
    sheet counts their laps now ("+1 lap")."""
    path = tmp_path / "bh.tbs"
    assert main(["import", str(ORBITS), "-o", str(path)]) == 0
    capsys.readouterr()
    window = open_window(path)
    shown = board(window, Column.LAPS, Column.GAP, Column.STATUS)
    rows = window.results.sheet().sections[0].rows
    sheet = [(r["position"], r["car"], r["laps"], r["gap"], r["status"]) for r in rows]
    assert [row[:4] for row in shown[:4]] == [row[:4] for row in sheet[:4]]
    assert [row[4] for row in shown[:4]] == ["Finished"] * 4
    assert [row[4] for row in sheet[:4]] == ["finished"] * 4
    assert shown[4:] == [("5", "6", "7", "+30.426", ""), ("6", "2", "7", "+32.522", "")]
    assert sheet[4:] == [("5", "6", "7", "+1 lap", "running"), ("6", "2", "7", "+1 lap", "running")]
