"""Journeys of an operator correcting a session, through the real window as ``timingboard open``
builds it: right-clicks on the passings log and the leaderboard, the menu item clicked, the
dialog's fields typed into whatever has the focus, Enter, then Ctrl+Z; what is checked is what
the operator sees (the dialog's preview, the board's cells, the passings log, the audit)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from journey import OPERATOR, close_session_window
from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QMenu,
    QWidget,
)
from pytestqt.exceptions import TimeoutError
from race_scripts import QUARTER_MILE_RACE, field

from timingboard.app.main_window import MainWindow
from timingboard.engine import Event, Flag, FlagChanged, Passing
from timingboard.qt.audit_model import AuditColumn
from timingboard.qt.passings_model import PassingColumn, PassingRole
from timingboard.store import SessionRecorder
from timingboard.text.board_columns import Column
from timingboard.text.passing_text import status_shown, status_tip
from timingboard.widgets.correction_dialog import CorrectionDialog

# offscreen windows cannot be raised nor grab the keyboard (a menu popping up asks); on a
# desktop they can, and the journeys are the same
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (raise|grabbing)")

RECORDED_S_AGO = 70  # the saved session began this long ago: typed passings come after it

# Car 2 leads car 1 on the line; car 3 is a lap down because its crossing at 0:00:31.500 was not
# read (its lap 2 shows 31.000, two laps); car 2 has a double read 250 ms after 0:00:28.150.
CROSSINGS = {
    "1": [0, 14000, 28000, 42600, 57200],
    "2": [300, 14200, 28150, 28400, 42300, 56600],
    "3": [600, 16000, 47000, 62500],
}


def race() -> list[Event]:
    events: list[Event] = [*field(["1", "2", "3"]), FlagChanged(time_ms=0, flag=Flag.GREEN)]
    timed = sorted((t, car) for car, times in CROSSINGS.items() for t in times)
    return [*events, *(Passing(time_ms=t, car=car) for t, car in timed)]


@pytest.fixture
def saved_session(tmp_path: Path) -> Path:
    """A session file as a heat leaves it, recorded a little over a minute ago."""
    from unittest import mock

    path = tmp_path / "heat 1.tbs"
    then = time.time() - RECORDED_S_AGO
    with mock.patch("timingboard.store.session_file.time.time", return_value=then):
        recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)  # its time zero back then
    recorder.submit(race())
    recorder.close()
    return path


# --- what the operator does ----------------------------------------------------------------------


def right_click(view: QAbstractItemView, row: int) -> QMenu:
    """A right-click on a row, delivered as the mouse delivers it; the menu that pops up."""
    index = view.model().index(row, 1)
    view.scrollTo(index)
    where = view.visualRect(index).center()
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, where, view.viewport().mapToGlobal(where)
    )
    QApplication.sendEvent(view.viewport(), event)
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu), "no menu popped up"
    return menu


def click_item(menu: QMenu, name: str) -> None:
    """Click a menu item, as the mouse does (the menu closes)."""
    action = next(a for a in menu.actions() if a.objectName() == name)
    assert action.isEnabled(), f"{action.text()} is greyed out"
    QTest.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
    assert not menu.isVisible()


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the focus"
    return widget


def type_text(qtbot, text: str) -> None:
    qtbot.keyClicks(focused(), text)


def press(qtbot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(), key, modifier)


def open_dialog(qtbot, window: MainWindow) -> CorrectionDialog:
    dialog = window.flow.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.isAncestorOf(QApplication.focusWidget()))
    return dialog


def confirm(qtbot, dialog: CorrectionDialog) -> None:
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled(), dialog.missing.text()
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def undo(qtbot, window: MainWindow) -> None:
    """Ctrl+Z, typed into whatever has the focus in the window (back there once a dialog closed)."""
    qtbot.waitUntil(lambda: window.isAncestorOf(QApplication.focusWidget()))
    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


# --- what the operator sees ---------------------------------------------------------------------


def board(window: MainWindow, *columns: Column) -> list[tuple[str, ...]]:
    """The leaderboard's rows, as the cells read, once the frame has been drawn."""
    model = window.board_model
    model.flush()
    shown = (Column.POSITION, Column.CAR, *columns)
    return [
        tuple(str(model.index(row, c).data() or "") for c in shown)
        for row in range(model.rowCount())
    ]


def wait_board(qtbot, window: MainWindow, expected: list[tuple[str, ...]], *columns: Column):
    try:
        qtbot.waitUntil(lambda: board(window, *columns) == expected, timeout=2000)
    except TimeoutError:
        assert board(window, *columns) == expected


def passing_row(window: MainWindow, car: str, clock: str) -> int:
    model = window.passings_model
    model.flush()
    for row in range(model.rowCount()):
        if (
            model.index(row, PassingColumn.CAR).data() == car
            and model.index(row, PassingColumn.TIME).data() == clock
        ):
            return row
    raise AssertionError(f"no passing of car {car} at {clock} in the log")


def passing_status(window: MainWindow, car: str, clock: str) -> str:
    row = passing_row(window, car, clock)
    return window.passings_model.index(row, PassingColumn.STATUS).data()


def board_row(window: MainWindow, car: str) -> int:
    model = window.board_model
    model.flush()
    rows = [r for r in range(model.rowCount()) if model.index(r, Column.CAR).data() == car]
    assert rows, f"car {car} is not on the board"
    return rows[0]


def audit_rows(window: MainWindow) -> list[tuple[str, ...]]:
    model = window.audit_model
    columns = (AuditColumn.OPERATOR, AuditColumn.ACTION, AuditColumn.REASON, AuditColumn.STATE)
    return [tuple(model.index(row, c).data() for c in columns) for row in range(model.rowCount())]


START = [("1", "2", "4"), ("2", "1", "4"), ("3", "3", "3")]  # position, car, laps


# --- the passings log ---------------------------------------------------------------------------


def test_deleting_a_real_lap_offers_no_double_read_reason(
    qtbot, saved_session, open_window
) -> None:
    """A new-user walk: a counted lap's menu said "Delete passing (double read)" and its dialog
    came with "double read" typed in: Enter logged a false reason in the audit."""
    window = open_window(saved_session)
    menu = right_click(window.passings_log, passing_row(window, "1", "0:00:28.000"))
    delete = next(a for a in menu.actions() if a.objectName() == "delete")
    assert delete.text() == "&Delete passing…"  # D: its mnemonic
    click_item(menu, "delete")
    dialog = open_dialog(qtbot, window)
    assert dialog.reason_field.text() == ""
    dialog.reject()
    menu = right_click(window.passings_log, passing_row(window, "2", "0:00:28.400"))
    delete = next(a for a in menu.actions() if a.objectName() == "delete")
    assert delete.text() == "&Delete passing (double read)"  # the board flagged this one
    click_item(menu, "delete")
    assert open_dialog(qtbot, window).reason_field.text() == "double read"
    window.flow.dialog.reject()


def test_delete_a_double_read_from_the_passings_log(qtbot, saved_session, open_window) -> None:
    window = open_window(saved_session)
    assert passing_status(window, "2", "0:00:28.400") == "double read"
    menu = right_click(window.passings_log, passing_row(window, "2", "0:00:28.400"))
    invalidate = [a for a in menu.actions() if a.objectName() == "invalidate"]
    assert invalidate and not invalidate[0].isEnabled()  # a double read completed no lap
    assert window.header.passings.text() == "15 passings"
    click_item(menu, "delete")
    dialog = open_dialog(qtbot, window)
    # the passing as the operator knows it (car, time, what it was), not its number in the log
    assert dialog.summary.text() == "Delete the passing of car 2 at 0:00:28.400 (double read)"
    assert dialog.effect_texts() == ["No position changes."]
    confirm(qtbot, dialog)
    qtbot.waitUntil(lambda: passing_status(window, "2", "0:00:28.400") == "deleted")
    qtbot.waitUntil(lambda: window.header.passings.text() == "14 passings (1 deleted)")
    # said as the dialog said it, not by its number in the log ("#19" of a log of 15 passings)
    done = "Delete the passing of car 2 at 0:00:28.400 (double read)"
    assert window.statusBar().currentMessage() == f"Done: {done}"
    assert window.undo_action.text() == f"&Undo correction {done}"  # Edit ▸ Undo alike
    assert "#" not in audit_rows(window)[-1][1], audit_rows(window)[-1]
    assert board(window, Column.LAPS) == START
    assert audit_rows(window)[-1][0] == OPERATOR
    assert audit_rows(window)[-1][2:] == ("double read", "in force")
    undo(qtbot, window)
    qtbot.waitUntil(lambda: passing_status(window, "2", "0:00:28.400") == "double read")
    assert audit_rows(window)[0][3] == "undone"
    qtbot.waitUntil(lambda: window.header.passings.text() == "15 passings")


def test_a_typed_passing_deleted_says_who_deleted_it(qtbot, saved_session, open_window) -> None:
    window = open_window(saved_session)
    qtbot.mouseClick(window.entry_panel.car_field, Qt.MouseButton.LeftButton)
    type_text(qtbot, "1")  # typed by mistake: car 1 did not cross
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.header.passings.text() == "16 passings")
    window.passings_model.flush()
    assert window.passings_model.index(0, PassingColumn.CAR).data() == "1"  # newest, on top
    menu = right_click(window.passings_log, 0)
    click_item(menu, "delete")
    dialog = open_dialog(qtbot, window)
    assert dialog.summary.text().startswith("Delete the passing of car 1 at 0:01:")
    assert dialog.summary.text().endswith("(lap 5)")
    while not dialog.reason_field.hasFocus():
        press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, "typed by mistake")
    confirm(qtbot, dialog)
    qtbot.waitUntil(lambda: window.header.passings.text() == "15 passings (1 deleted)")
    message = window.entry_panel.message.text()
    assert message == f"Car 1: deleted by {OPERATOR} — not counted"
    assert window.entry_panel.recent.item(0).text().endswith(f"Car 1  (deleted by {OPERATOR})")


@pytest.mark.parametrize(
    ("action", "clicked", "typed"),
    [
        ("insert_before", "0:00:47.000", "15.500"),  # timed from the passing before it
        ("insert_after", "0:00:16.000", "15.500"),  # timed from the passing clicked
        ("insert_after", "0:00:16.000", "@0:00:31.500"),  # at a session time
    ],
)
def test_insert_a_missed_passing_from_the_passings_log(
    qtbot, saved_session, open_window, action: str, clicked: str, typed: str
) -> None:
    window = open_window(saved_session)
    click_item(right_click(window.passings_log, passing_row(window, "3", clicked)), action)
    dialog = open_dialog(qtbot, window)
    assert "counted from the passing at 0:00:16.000" in dialog.help.text()
    type_text(qtbot, typed)
    assert dialog.summary.text() == "Insert a passing for car 3 at 0:00:31.500"
    assert dialog.effect_texts() == ["Car 3: P3 → P3, laps 3 → 4"]
    confirm(qtbot, dialog)
    wait_board(qtbot, window, [("1", "2", "4"), ("2", "1", "4"), ("3", "3", "4")], Column.LAPS)
    assert passing_status(window, "3", "0:00:31.500") == "accepted"
    undo(qtbot, window)
    wait_board(qtbot, window, START, Column.LAPS)
    # the insert undone, not a passing deleted (no delete was made): the cell as the log's
    # Status delegate paints it, and its tooltip, say so
    assert passing_status(window, "3", "0:00:31.500") == "insert undone"
    row = passing_row(window, "3", "0:00:31.500")
    shown = window.passings_model.index(row, PassingColumn.STATUS).data(PassingRole.ROW)
    assert (status_shown(shown), status_tip(shown)) == ("insert undone", "insert undone")


def test_reassign_a_passing_to_another_car(qtbot, saved_session, open_window) -> None:
    window = open_window(saved_session)  # car 2's "double read" was car 3 going by
    row = passing_row(window, "2", "0:00:28.400")
    click_item(right_click(window.passings_log, row), "reassign")
    dialog = open_dialog(qtbot, window)
    combo = focused()
    assert isinstance(combo, QComboBox) and combo.currentText() == "1 — Driver 1"
    press(qtbot, Qt.Key.Key_Down)  # the next car in the list: 3
    assert combo.currentText() == "3 — Driver 3"
    assert dialog.summary.text().endswith("to car 3")
    assert dialog.effect_texts() == ["Car 3: P3 → P3, laps 3 → 4"]
    confirm(qtbot, dialog)
    wait_board(qtbot, window, [("1", "2", "4"), ("2", "1", "4"), ("3", "3", "4")], Column.LAPS)
    assert passing_status(window, "3", "0:00:28.400") == "accepted"
    undo(qtbot, window)
    wait_board(qtbot, window, START, Column.LAPS)
    assert passing_status(window, "2", "0:00:28.400") == "double read"


def test_the_invalidate_item_names_the_lap_and_says_best_only_of_the_best(
    qtbot, saved_session, open_window
) -> None:
    """Every lap's item read "Invalidate this lap (best lap)", the best or not."""
    window = open_window(saved_session)
    assert board(window, Column.BEST_LAP)[0] == ("1", "2", "13.900")  # car 2's lap 1

    def item(clock: str) -> str:
        menu = right_click(window.passings_log, passing_row(window, "2", clock))
        text = next(a.text() for a in menu.actions() if a.objectName() == "invalidate")
        menu.close()
        return text

    assert item("0:00:14.200") == "&Invalidate lap 1 (13.900, the car's best)"
    assert item("0:00:42.300") == "&Invalidate lap 3 (14.150)"
    assert item("0:00:28.400") == "&Invalidate this lap"  # a double read: greyed out


def test_invalidate_a_lap_takes_the_best_lap_away(qtbot, saved_session, open_window) -> None:
    window = open_window(saved_session)
    best = board(window, Column.BEST_LAP)
    assert best[0] == ("1", "2", "13.900")
    click_item(
        right_click(window.passings_log, passing_row(window, "2", "0:00:14.200")), "invalidate"
    )
    dialog = open_dialog(qtbot, window)
    assert dialog.summary.text().startswith("Invalidate the lap completed by the passing of car")
    assert dialog.effect_texts() == ["No position changes."]
    confirm(qtbot, dialog)
    qtbot.waitUntil(lambda: board(window, Column.BEST_LAP)[0] == ("1", "2", "13.950"))
    undo(qtbot, window)
    qtbot.waitUntil(lambda: board(window, Column.BEST_LAP) == best)


# --- the leaderboard ----------------------------------------------------------------------------


def test_insert_after_the_last_crossing_says_which_lap_it_completes(
    qtbot, saved_session, open_window
) -> None:
    """The walk: "After its last passing (lap 10…)" for a car with 9 laps read as "its lap 10
    was the last". Car 1 has 4 laps, the last at 0:00:57.200: the choice says the passing
    completes lap 5, after that crossing, and the board then shows 5 laps."""
    window = open_window(saved_session)
    click_item(right_click(window.board, board_row(window, "1")), "insert")
    dialog = open_dialog(qtbot, window)
    lap = focused()
    assert isinstance(lap, QComboBox)
    press(qtbot, Qt.Key.Key_End)  # the last choice: after its last crossing
    assert lap.currentText() == "Completes lap 5: after its last crossing (lap 4 at 0:00:57.200)"
    assert "counted from the passing at 0:00:57.200" in dialog.help.text()
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "12.000")  # 0:01:09.200: the session began RECORDED_S_AGO (70 s) ago
    assert dialog.summary.text() == "Insert a passing for car 1 at 0:01:09.200"
    assert dialog.effect_texts() == ["Car 2: P1 → P2", "Car 1: P2 → P1, laps 4 → 5"]
    confirm(qtbot, dialog)
    qtbot.waitUntil(lambda: board(window, Column.LAPS)[0] == ("1", "1", "5"))
    undo(qtbot, window)


def test_insert_a_missed_lap_goes_into_the_lap_that_looks_like_two(
    qtbot, saved_session, open_window
) -> None:
    window = open_window(saved_session)
    click_item(right_click(window.board, board_row(window, "3")), "insert")
    dialog = open_dialog(qtbot, window)
    lap = focused()
    assert isinstance(lap, QComboBox)
    assert lap.currentText() == "Lap 2: 31.000 — looks like two laps"
    assert "counted from the passing at 0:00:16.000" in dialog.help.text()
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "0.028")  # a slip of the keyboard: not a lap anyone drives
    assert dialog.summary.text() == (
        "⚠ that makes a lap of 0.028 s after the passing at 0:00:16.000: shorter than the "
        "session's minimum lap (8.000)"
    )
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled() and dialog.effect_texts() == []
    focused().clear()
    type_text(qtbot, "15.500")
    assert dialog.summary.text() == "Insert a passing for car 3 at 0:00:31.500"
    assert dialog.effect_texts() == ["Car 3: P3 → P3, laps 3 → 4"]
    confirm(qtbot, dialog)
    wait_board(
        qtbot,
        window,
        [("1", "2", "4", "13.900"), ("2", "1", "4", "14.000"), ("3", "3", "4", "15.400")],
        Column.LAPS,
        Column.BEST_LAP,
    )
    assert passing_status(window, "3", "0:00:31.500") == "accepted"
    undo(qtbot, window)
    wait_board(qtbot, window, START, Column.LAPS)


def test_time_penalty_needs_a_reason_and_says_so(qtbot, saved_session, open_window) -> None:
    window = open_window(saved_session)
    click_item(right_click(window.board, board_row(window, "2")), "time_penalty")
    dialog = open_dialog(qtbot, window)
    assert dialog.summary.text() == "Time penalty +5.000 s for car 2"
    assert dialog.effect_texts() == ["Car 2: P1 → P2", "Car 1: P2 → P1"]
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled() and dialog.missing.text() == "A reason is required."
    press(qtbot, Qt.Key.Key_Tab)  # the operator, filled in from the settings
    assert focused().text() == OPERATOR
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "jumped the restart")
    assert ok.isEnabled() and dialog.missing.text() == ""
    confirm(qtbot, dialog)
    after = [("1", "1", "4", ""), ("2", "2", "4", "+4.400"), ("3", "3", "3", "+1 lap")]
    wait_board(qtbot, window, after, Column.LAPS, Column.GAP)
    assert audit_rows(window) == [
        (OPERATOR, "Time penalty +5.000 s for car 2", "jumped the restart", "in force")
    ]
    undo(qtbot, window)
    wait_board(qtbot, window, START, Column.LAPS)
    said = window.statusBar().currentMessage()
    assert said == "Undone: Time penalty +5.000 s for car 2"  # it said nothing
    press(
        qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    wait_board(qtbot, window, after, Column.LAPS, Column.GAP)  # redone
    assert window.statusBar().currentMessage() == "Redone: Time penalty +5.000 s for car 2"
    signed = [(row[0], row[2], row[3]) for row in audit_rows(window)]
    assert signed == [
        (OPERATOR, "jumped the restart", "in force"),
        (OPERATOR, "undo", "undone"),
        (OPERATOR, "redo", "in force"),
    ]
    undone, redone = audit_rows(window)[1][1], audit_rows(window)[2][1]
    assert undone.startswith("Undo #") and undone.endswith(": Time penalty +5.000 s for car 2")
    assert redone == undone.replace("Undo #", "Redo #")  # the correction again, not an undo


def test_corrections_are_numbered_1_2_3_as_made_and_an_undo_names_that_number(
    qtbot, saved_session, open_window
) -> None:
    """The Corrections tab's "#" and "Undo #…" said the event's place in the log (#31, "Undo
    #31" in a session of 30 passings): race control counts corrections, 1, 2, 3 as made."""
    window = open_window(saved_session)
    click_item(right_click(window.board, board_row(window, "2")), "time_penalty")
    dialog = open_dialog(qtbot, window)
    while not dialog.reason_field.hasFocus():
        press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "jumped the restart")
    confirm(qtbot, dialog)
    after = [("1", "1", "4", ""), ("2", "2", "4", "+4.400"), ("3", "3", "3", "+1 lap")]
    wait_board(qtbot, window, after, Column.LAPS, Column.GAP)
    assert window.controller.engine.seq > 1  # the penalty is not the log's first event
    undo(qtbot, window)
    wait_board(qtbot, window, START, Column.LAPS)
    press(
        qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    wait_board(qtbot, window, after, Column.LAPS, Column.GAP)
    model = window.audit_model
    numbers = [model.index(row, AuditColumn.NUMBER).data() for row in range(model.rowCount())]
    assert model.headerData(AuditColumn.NUMBER, Qt.Orientation.Horizontal) == "#"
    assert numbers == ["1", "2", "3"]
    words = [row[1] for row in audit_rows(window)]
    assert words == [
        "Time penalty +5.000 s for car 2",
        "Undo #1: Time penalty +5.000 s for car 2",
        "Redo #1: Time penalty +5.000 s for car 2",
    ]
    close_session_window(window)
    again = open_window(saved_session)  # after a restart, undone again: the fourth
    undo(qtbot, again)
    wait_board(qtbot, again, START, Column.LAPS)
    numbers = [again.audit_model.index(row, AuditColumn.NUMBER).data() for row in range(4)]
    assert numbers == ["1", "2", "3", "4"]
    assert audit_rows(again)[3][1] == "Undo #1: Time penalty +5.000 s for car 2"
    close_session_window(again)


@pytest.mark.parametrize(
    ("action", "car", "typed", "summary", "effect", "after"),
    [
        (
            "lap_penalty",
            "1",
            "2",
            "Lap penalty 2 laps for car 1",
            ["Car 1: P2 → P3, laps 4 → 2", "Car 3: P3 → P2"],
            [("1", "2", "4", ""), ("2", "3", "3", ""), ("3", "1", "2", "-2 laps")],
        ),
        (
            "disqualify",
            "2",
            None,
            "Disqualify car 2",
            ["Car 2: P1 → P3, DSQ", "Car 1: P2 → P1", "Car 3: P3 → P2"],
            [("1", "1", "4", ""), ("2", "3", "3", ""), ("3", "2", "4", "DSQ")],
        ),
        (
            "retire",
            "3",
            None,
            "Retire car 3 (DNF)",
            ["Car 3: P3 → P3, DNF"],
            [("1", "2", "4", ""), ("2", "1", "4", ""), ("3", "3", "3", "DNF")],
        ),
    ],
)
def test_penalties_and_classifications_from_the_leaderboard(
    qtbot, saved_session, open_window, action, car, typed, summary, effect, after
) -> None:
    window = open_window(saved_session)
    before = board(window, Column.LAPS, Column.STATUS)
    click_item(right_click(window.board, board_row(window, car)), action)
    dialog = open_dialog(qtbot, window)
    if typed is not None:
        focused().selectAll()
        type_text(qtbot, typed)
    assert dialog.summary.text() == summary
    assert dialog.effect_texts() == effect
    while not dialog.reason_field.hasFocus():
        press(qtbot, Qt.Key.Key_Tab)
    focused().selectAll()
    type_text(qtbot, "stewards' decision")
    confirm(qtbot, dialog)
    wait_board(qtbot, window, after, Column.LAPS, Column.STATUS)
    assert audit_rows(window)[-1] == (OPERATOR, summary, "stewards' decision", "in force")
    undo(qtbot, window)
    wait_board(qtbot, window, before, Column.LAPS, Column.STATUS)
    assert audit_rows(window)[0][3] == "undone"
    assert audit_rows(window)[-1][0] == OPERATOR  # the undo is signed too


def test_pit_lane_marks_from_the_leaderboard(qtbot, saved_session, open_window) -> None:
    window = open_window(saved_session)
    window.resize(1280, 800)  # room for the pit columns (in a narrower window they give way)
    menu = right_click(window.board, board_row(window, "1"))
    pit_out = next(a for a in menu.actions() if a.objectName() == "pit_out")
    assert not pit_out.isEnabled()  # not in the lane yet
    click_item(menu, "pit_in")
    wait_board(
        qtbot,
        window,
        [("1", "2", ""), ("2", "1", "PIT"), ("3", "3", "")],
        Column.STATUS,
    )
    assert not window.board.isColumnHidden(Column.PITS)  # the pit columns came with the mark
    menu = right_click(window.board, board_row(window, "1"))
    assert not next(a for a in menu.actions() if a.objectName() == "pit_in").isEnabled()
    click_item(menu, "pit_out")
    wait_board(
        qtbot,
        window,
        [("1", "2", "", ""), ("2", "1", "", "1"), ("3", "3", "", "")],
        Column.STATUS,
        Column.PITS,
    )
    actions = [row[1] for row in audit_rows(window)]
    assert actions[0].startswith("Car 1 into the pit lane at ")
    assert actions[1].startswith("Car 1 out of the pit lane at ")
    undo(qtbot, window)
    wait_board(
        qtbot,
        window,
        [("1", "2", ""), ("2", "1", "PIT"), ("3", "3", "")],
        Column.STATUS,
    )


# --- a saved session, continued, corrected, closed and opened again ------------------------------


def test_open_continue_correct_reopen_and_undo(qtbot, saved_session, open_window) -> None:
    window = open_window(saved_session)
    assert window.statusBar().currentMessage() == f"Session file: {saved_session}"
    qtbot.mouseClick(window.entry_panel.car_field, Qt.MouseButton.LeftButton)
    type_text(qtbot, "1")  # car 1 crosses the line: its fifth lap
    press(qtbot, Qt.Key.Key_Return)
    wait_board(qtbot, window, [("1", "1", "5"), ("2", "2", "4"), ("3", "3", "3")], Column.LAPS)
    click_item(right_click(window.board, board_row(window, "1")), "lap_penalty")
    dialog = open_dialog(qtbot, window)
    assert dialog.effect_texts() == ["Car 1: P1 → P2, laps 5 → 4", "Car 2: P2 → P1"]
    while not dialog.reason_field.hasFocus():
        press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "cut the chicane")
    confirm(qtbot, dialog)
    corrected = [("1", "2", "4"), ("2", "1", "4"), ("3", "3", "3")]
    wait_board(qtbot, window, corrected, Column.LAPS)
    close_session_window(window)

    again = open_window(saved_session)  # the next day, on another start of the command
    assert board(again, Column.LAPS) == corrected
    assert audit_rows(again) == [
        (OPERATOR, "Lap penalty 1 lap for car 1", "cut the chicane", "in force")
    ]
    undo(qtbot, again)
    wait_board(qtbot, again, [("1", "1", "5"), ("2", "2", "4"), ("3", "3", "3")], Column.LAPS)
    penalty, revert = audit_rows(again)
    assert penalty[3] == "undone"
    assert revert[0] == OPERATOR  # the name in the settings, though no dialog asked for it
    assert revert[1].startswith("Undo #") and revert[1].endswith(": " + penalty[1])
    assert revert[2:] == ("undo", "in force")
    close_session_window(again)

    last = open_window(saved_session)
    assert board(last, Column.LAPS) == [("1", "1", "5"), ("2", "2", "4"), ("3", "3", "3")]
    assert not last.undo_action.isEnabled()  # the undone penalty is no longer on the stack


def test_insert_before_counts_from_the_crossing_not_a_double_read(
    qtbot, saved_session, open_window
) -> None:
    window = open_window(saved_session)  # car 2: 0:00:28.150, a double read at 28.400, 42.300
    click_item(
        right_click(window.passings_log, passing_row(window, "2", "0:00:42.300")), "insert_before"
    )
    dialog = open_dialog(qtbot, window)
    assert "counted from the passing at 0:00:28.150" in dialog.help.text()
    type_text(qtbot, "7.000")  # car 2 missed nothing: no time between its laps makes two laps
    assert dialog.summary.text().startswith(
        "⚠ that makes a lap of 7.000 s after the passing at 0:00:28.150: shorter than"
    )
    press(qtbot, Qt.Key.Key_Escape)  # thought better of it
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert audit_rows(window) == [] and board(window, Column.LAPS) == START


def test_a_dialog_open_when_another_session_is_shown_logs_nothing(
    qtbot, saved_session, open_window, tmp_path
) -> None:
    window = open_window(saved_session)
    click_item(right_click(window.board, board_row(window, "2")), "disqualify")
    dialog = open_dialog(qtbot, window)
    other = tmp_path / "heat 2.tbs"
    recorder = SessionRecorder.create(other, QUARTER_MILE_RACE)
    recorder.submit(race())
    recorder.close()
    window.session_actions.open_session(other)  # e.g. the feed began the next run
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert window.flow.dialog is None
    assert window.controller.engine.corrections == {}
