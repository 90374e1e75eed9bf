"""Journeys of a missed lap inserted in a hand-timed race, through the real window as
``timingboard open`` builds it: the right-click menu on the board, the dialog's fields typed
into whatever has the focus, Ctrl+Z, car numbers typed as cars cross.

The walk: at 0:12 of a race, Insert a missed lap… for car 8 with @2:00:00 previewed
"Insert a passing for car 8 at 2:00:00.000" with OK on; after OK the header read "since green
1:53:39" and every car typed was logged at 2:00:00.000, undone and reopened alike.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from journey import OPERATOR, FakeTime
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from race_scripts import QUARTER_MILE_RACE
from test_journeys_corrections import (
    audit_rows,
    board,
    board_row,
    click_item,
    confirm,
    focused,
    open_dialog,
    press,
    race,
    right_click,
    type_text,
    undo,
)

from timingboard.engine import InsertPassing, Revert
from timingboard.engine.formatting import parse_lap
from timingboard.qt.passings_model import PassingColumn, PassingRole
from timingboard.store import SessionRecorder
from timingboard.text.board_columns import Column
from timingboard.text.passing_text import status_shown

JOURNEY_LOG = pytest.mark.qt_log_ignore(r"This plugin does not support (raise|grabbing)")

NOW_S = 72  # the session clock when the window opens: car 1 last crossed at 0:00:57.200
TWO_HOURS = 7_200_000


@pytest.fixture
def clock(monkeypatch) -> FakeTime:
    return FakeTime().install(monkeypatch)


def hand_timed(tmp_path: Path, clock: FakeTime, inserted_at: int | None = None, undone=False):
    """A hand-timed race file (test_journeys_corrections.race: cars 1-3, the last crossing at
    0:01:02.500), opened NOW_S after its time zero; with a passing of car 1 ``inserted_at``
    (undone) as the old code logged one after now."""
    path = tmp_path / "race.tbs"
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit(race())
    if inserted_at is not None:
        signed = {"operator": OPERATOR, "reason": "missed transponder read"}
        recorder.submit([InsertPassing(time_ms=inserted_at, key="1", **signed)])
        if undone:
            recorder.submit([Revert(correction_id=recorder.engine.seq, **signed)])
    recorder.close()
    clock.advance(NOW_S)
    return path


def type_car(qtbot, window, car: str) -> None:
    """A car crossing: its number typed into the Entry field, then Enter."""
    qtbot.waitUntil(lambda: window.isAncestorOf(QApplication.focusWidget()))
    qtbot.mouseClick(window.entry_panel.car_field, Qt.MouseButton.LeftButton)
    type_text(qtbot, car)
    press(qtbot, Qt.Key.Key_Return)


def typed_at(window) -> tuple[str, int]:
    """The Entry panel's latest line ("0:01:12.034 since green  Car 2"): car and time (the
    green was at 0, so the session time too)."""
    line = window.entry_panel.recent.item(0).text()
    found = re.fullmatch(r"(\S+) since green  Car (\S+)", line)
    assert found, line
    return found.group(2), parse_lap(found.group(1))


def statuses_at(window, at: str) -> list[str]:
    """The Status cells of the passings log's rows at session time ``at``, as its delegate
    paints them ("inserted", "insert undone")."""
    log = window.passings_model
    log.flush()
    return [
        status_shown(log.index(r, PassingColumn.STATUS).data(PassingRole.ROW))
        for r in range(log.rowCount())
        if log.index(r, PassingColumn.TIME).data() == at
    ]


def assert_typed_now(qtbot, window, car: str, now_ms: int) -> None:
    """Car ``car`` typed: its crossing logged at the clock (not at a later passing's time), and
    counted (a lap, not "double read — not counted (0.000 s …)")."""
    count = window.entry_panel.recent.count()
    type_car(qtbot, window, car)
    qtbot.waitUntil(lambda: window.entry_panel.recent.count() > count)
    typed, at = typed_at(window)
    assert typed == car and now_ms <= at < now_ms + 5000, (typed, at)
    message = window.entry_panel.message.text()
    assert message.startswith(f"Car {car}: lap "), message


@JOURNEY_LOG
def test_a_missed_lap_after_now_is_refused_and_nothing_is_logged(
    qtbot, tmp_path, clock, open_window
) -> None:
    window = open_window(hand_timed(tmp_path, clock))
    before = board(window, Column.LAPS)
    click_item(right_click(window.board, board_row(window, "1")), "insert")
    dialog = open_dialog(qtbot, window)
    press(qtbot, Qt.Key.Key_End)  # after its last crossing, lap 4 at 0:00:57.200
    # the hint's example is one the dialog takes: car 1's usual lap on (14.000), by now
    assert dialog.help.text() == (
        "The time of the missed lap, counted from the passing at 0:00:57.200 (e.g. 14.000), or "
        "@ and the session time the car crossed (@0:01:11.200), no later than now."
    )
    press(qtbot, Qt.Key.Key_Tab)
    # nor an example refused in the empty field ("13.612, or @0:05:12.345" sat there)
    assert focused().placeholderText() == "a lap time, or @ and a session time (h:mm:ss.mmm)"
    type_text(qtbot, "@2:00:00")
    summary = dialog.summary.text()
    assert re.fullmatch(
        r"⚠ 2:00:00\.000 is after the session clock \(0:01:1\d\.\d{3}\): a missed passing is "
        r"one the car has already made",
        summary,
    ), summary
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled() and dialog.effect_texts() == []
    press(qtbot, Qt.Key.Key_Return)  # OK greyed out: Enter logs nothing, the dialog stays
    assert dialog.isVisible() and focused().text() == "@2:00:00"
    focused().clear()
    type_text(qtbot, "@0:01:11.200")  # the example, typed
    assert dialog.summary.text() == "Insert a passing for car 1 at 0:01:11.200"
    assert ok.isEnabled()
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert audit_rows(window) == [] and window.header.passings.text() == "15 passings"
    assert board(window, Column.LAPS) == before
    assert_typed_now(qtbot, window, "2", NOW_S * 1000)


@JOURNEY_LOG
def test_undoing_a_late_missed_lap_gives_the_board_and_the_timing_back(
    qtbot, tmp_path, clock, open_window
) -> None:
    """A missed lap inserted a moment before now, then undone: the board as it was, and the
    next car typed is logged at the clock."""
    window = open_window(hand_timed(tmp_path, clock))
    before = board(window, Column.LAPS)
    click_item(right_click(window.board, board_row(window, "1")), "insert")
    dialog = open_dialog(qtbot, window)
    press(qtbot, Qt.Key.Key_End)
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, f"@0:01:{NOW_S - 60:02d}.000")  # the latest it can be: now, as it opened
    assert dialog.summary.text() == f"Insert a passing for car 1 at 0:01:{NOW_S - 60:02d}.000"
    confirm(qtbot, dialog)
    qtbot.waitUntil(lambda: board(window, Column.LAPS)[0] == ("1", "1", "5"))
    undo(qtbot, window)
    qtbot.waitUntil(lambda: board(window, Column.LAPS) == before)
    clock.advance(1)
    assert_typed_now(qtbot, window, "2", (NOW_S + 1) * 1000)
    assert_typed_now(qtbot, window, "3", (NOW_S + 1) * 1000)  # and the next, not at the first's


@JOURNEY_LOG
@pytest.mark.parametrize("undone", [True, False], ids=["undone", "standing"])
def test_a_file_with_a_missed_lap_inserted_after_now_is_timed_at_the_clock(
    qtbot, tmp_path, clock, open_window, undone: bool
) -> None:
    """Written by the old code: car 1's passing inserted at 2:00:00 (undone, or left standing).
    Reopened, the header's clock and the cars typed are the session's own time; one left
    standing is the operator's, kept as logged (shown, undoable), but holds nothing still."""
    window = open_window(hand_timed(tmp_path, clock, TWO_HOURS, undone=undone))
    status = "insert undone" if undone else "inserted"
    assert statuses_at(window, "2:00:00.000") == [status]
    clock_text = window.header.clock.text()
    assert clock_text.startswith("0:01:1"), clock_text  # not 1:59:… nor 2:00:00
    assert_typed_now(qtbot, window, "2", NOW_S * 1000)
    assert_typed_now(qtbot, window, "3", NOW_S * 1000)
    if not undone:  # Ctrl+Z takes it back (the last correction in force)
        undo(qtbot, window)
        qtbot.waitUntil(lambda: statuses_at(window, "2:00:00.000") == ["insert undone"])
        assert window.header.clock.text().startswith("0:01:1")
