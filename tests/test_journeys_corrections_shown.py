"""Journeys of an operator correcting a finished heat, checking that what the window shows follows
each correction and its undo and redo: the passings log's Status cell (its text, and that it was
drawn again), the missed-lap dialog for a car that has taken the flag, the Entry panel's word on
the last crossing typed. Through the real window as ``timingboard open`` builds it."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pytest
from board_probe import shown_text
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialogButtonBox
from race_scripts import QUARTER_MILE_RACE, field
from test_journeys_corrections import (
    board,
    board_row,
    click_item,
    confirm,
    focused,
    open_dialog,
    passing_row,
    press,
    right_click,
    type_text,
    undo,
    wait_board,
)

from timingboard.app.main_window import MainWindow
from timingboard.engine import EndSession, Event, Flag, FlagChanged, Passing
from timingboard.qt.passings_model import PassingColumn, PassingRole
from timingboard.store import SessionRecorder
from timingboard.text.board_columns import Column
from timingboard.text.passing_text import status_tip

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (raise|grabbing)")

RECORDED_S_AGO = 70  # the heat began this long ago: a number typed now crosses after it all
HEAT = dataclasses.replace(QUARTER_MILE_RACE, name="Walk race", race_laps=3)

# Car 1 wins, completing lap 3 at 0:00:42.000 (the finish); car 2's crossing at 0:00:28.150 was
# not read (its lap 2 shows 28.100, two laps) and it took the flag a lap down at 0:00:42.300;
# car 3 took the flag at 0:00:45.500.
CROSSINGS = {
    "1": [0, 14000, 28000, 42000],
    "2": [300, 14200, 42300],
    "3": [600, 16000, 31000, 45500],
}


def heat() -> list[Event]:
    events: list[Event] = [*field(["1", "2", "3"]), FlagChanged(time_ms=0, flag=Flag.GREEN)]
    timed = sorted((t, car) for car, times in CROSSINGS.items() for t in times)
    return [*events, *(Passing(time_ms=t, car=car) for t, car in timed)]


@pytest.fixture
def finished_heat(tmp_path: Path) -> Path:
    from unittest import mock

    path = tmp_path / "walk race.tbs"
    then = time.time() - RECORDED_S_AGO
    with mock.patch("timingboard.store.session_file.time.time", return_value=then):
        recorder = SessionRecorder.create(path, HEAT)
    recorder.submit(heat())
    recorder.close()
    return path


FINISHED = [("1", "1", "3", "Finished"), ("2", "3", "3", "Finished"), ("3", "2", "2", "Finished")]


# --- what the operator sees of the passings log -------------------------------------------------


class LogWatch:
    """What the log's view was told since :meth:`clear`: the model's dataChanged (row, first
    column, last column, roles); a cell not in one is not drawn again until scrolled."""

    def __init__(self, window: MainWindow) -> None:
        self._view = window.passings_log
        self.changed: list[tuple[int, int, int, list[int]]] = []
        self._view.model().dataChanged.connect(self._on_model_data_changed)

    def stop(self) -> None:
        self._view.model().dataChanged.disconnect(self._on_model_data_changed)

    def clear(self) -> None:
        self.changed.clear()

    def _on_model_data_changed(self, first, last, roles=()) -> None:
        self.changed.append((first.row(), first.column(), last.column(), list(roles)))

    def status_told(self, row: int) -> bool:
        """A dataChanged reached the row's Status cell with its text (DisplayRole)."""
        return any(
            r == row
            and first <= PassingColumn.STATUS <= last
            and Qt.ItemDataRole.DisplayRole in roles
            for r, first, last, roles in self.changed
        )


def status_seen(window: MainWindow, car: str, clock: str) -> str:
    """The Status cell of a passing as the log's view draws it (its delegate's text)."""
    return shown_text(window.passings_log, passing_row(window, car, clock), PassingColumn.STATUS)


def scroll_to(window: MainWindow, car: str, clock: str) -> None:
    log = window.passings_log
    log.scrollTo(log.model().index(passing_row(window, car, clock), PassingColumn.STATUS))


def redo(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.isAncestorOf(focused()))
    press(
        qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )


def correct_from_log(qtbot, window: MainWindow, car: str, clock: str, item: str, typed: str):
    click_item(right_click(window.passings_log, passing_row(window, car, clock)), item)
    dialog = open_dialog(qtbot, window)
    if typed:
        type_text(qtbot, typed)
    confirm(qtbot, dialog)


@pytest.mark.parametrize(
    ("car", "clock", "item", "typed", "shown", "at", "done", "undone"),
    [
        (
            "1",
            "0:00:28.000",
            "invalidate",
            "",
            "accepted",
            "0:00:28.000",
            "lap invalidated",
            "accepted",
        ),
        ("3", "0:00:16.000", "delete", "misread", "accepted", "0:00:16.000", "deleted", "accepted"),
        (
            "2",
            "0:00:14.200",
            "insert_after",
            "14.000",
            "",
            "0:00:28.200",
            "inserted",
            "insert undone",
        ),
        ("3", "0:00:31.000", "reassign", "2", "accepted", "0:00:31.000", "reassigned", "accepted"),
    ],
)
def test_the_status_cell_follows_a_correction_its_undo_and_its_redo(
    request, qtbot, finished_heat, open_window, car, clock, item, typed, shown, at, done, undone
) -> None:
    """The walk: Invalidate lap ▸ OK, then Ctrl+Z left the row saying "lap invalidated" (and
    Ctrl+Shift+Z "accepted") until the log was scrolled: the model told the view only of its
    hidden Correction column, so the Status cell, which says the correction, was not drawn
    again. Each correction from the log, undone and redone: the view is told, the cell says so."""
    window = open_window(finished_heat)
    watch = LogWatch(window)
    request.addfinalizer(watch.stop)
    if shown:
        scroll_to(window, car, clock)
        assert status_seen(window, car, clock) == shown
    owner = "2" if item == "reassign" else car
    correct_from_log(qtbot, window, car, clock, item, typed)
    qtbot.waitUntil(lambda: status_seen(window, owner, at) == done)
    showing = owner  # the car the row names (a reassigned passing: the car it went to)
    for step, expected in ((undo, undone), (redo, done)):
        scroll_to(window, showing, at)  # in sight, as in the walk: nothing scrolled after
        showing = car if step is undo else owner
        watch.clear()
        step(qtbot, window)
        qtbot.waitUntil(lambda c=showing, e=expected: status_seen(window, c, at) == e)
        row = passing_row(window, showing, at)
        assert watch.status_told(row), watch.changed


# --- the Entry panel ------------------------------------------------------------------------------


def test_the_entry_panel_follows_a_correction_that_makes_the_last_crossing_count(
    qtbot, finished_heat, open_window
) -> None:
    """The walk: "Car 2: after the finish — not counted" stayed on the Entry panel after a
    correction made that crossing count. Car 2 is typed after the finish; deleting car 1's lap 1
    crossing leaves car 1 two laps, so the finish is car 3's lap 3 (0:00:45.500), and car 2's
    typed crossing is now its finish: the panel and the passings log say so, and again after
    Ctrl+Z and Ctrl+Shift+Z."""
    window = open_window(finished_heat)
    qtbot.mouseClick(window.entry_panel.car_field, Qt.MouseButton.LeftButton)
    type_text(qtbot, "2")  # car 2 crosses again, long after it took the flag
    press(qtbot, Qt.Key.Key_Return)
    not_counted = "Car 2: after the finish — not counted"
    log = window.passings_log.model()
    qtbot.waitUntil(lambda: log.rowCount() == sum(map(len, CROSSINGS.values())) + 1)
    typed = log.index(0, PassingColumn.TIME).data()  # the newest passing: the one typed

    def shown() -> tuple[str, str]:
        return window.entry_panel.message.text(), status_seen(window, "2", typed)

    qtbot.waitUntil(lambda: shown() == (not_counted, "after finish"))
    correct_from_log(qtbot, window, "1", "0:00:14.000", "delete", "misread")
    counted = ("Car 2: lap 3 — finished", "accepted")
    qtbot.waitUntil(lambda: board(window, Column.LAPS)[0] == ("1", "3", "3"))
    qtbot.waitUntil(lambda: shown() == counted, timeout=2000)
    undo(qtbot, window)
    qtbot.waitUntil(lambda: shown() == (not_counted, "after finish"), timeout=2000)
    redo(qtbot, window)
    qtbot.waitUntil(lambda: shown() == counted, timeout=2000)


# --- a missed lap of a car that took the flag -----------------------------------------------------


def test_a_passing_inserted_after_the_cars_finish_is_said_not_to_count(
    qtbot, finished_heat, open_window
) -> None:
    """The walk: car 3 had taken the flag, and Insert a missed lap… offered "Completes lap 3:
    after its last crossing"; 1.2 previewed "No position changes.", the status bar said "Done"
    and the log "inserted", as if it counted. The stretch after its finish is offered as that,
    not first; what the passing would count as is said before OK, after it, and in the log."""
    window = open_window(finished_heat)
    assert board(window, Column.LAPS, Column.STATUS) == FINISHED
    click_item(right_click(window.board, board_row(window, "3")), "insert")
    dialog = open_dialog(qtbot, window)
    lap = focused()
    assert isinstance(lap, QComboBox)
    assert lap.currentText() == "Lap 3: 14.500"  # its last lap, not past its finish
    press(qtbot, Qt.Key.Key_End)
    assert lap.currentText() == "After its finish (lap 3 at 0:00:45.500): not counted"
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "10.000")
    assert dialog.summary.text() == "Insert a passing for car 3 at 0:00:55.500"
    assert dialog.effect_texts() == [
        "Car 3, passing at 0:00:55.500: after the finish — not counted",
        "No position changes.",
    ]
    confirm(qtbot, dialog)
    qtbot.waitUntil(lambda: status_seen(window, "3", "0:00:55.500") == "after finish (inserted)")
    log = window.passings_log
    cell = log.model().index(passing_row(window, "3", "0:00:55.500"), PassingColumn.STATUS)
    assert status_tip(cell.data(PassingRole.ROW)) == "after finish — inserted"  # the delegate's tip
    assert window.statusBar().currentMessage() == (
        "Done: Insert a passing for car 3 at 0:00:55.500 (after the finish — not counted)"
    )
    assert board(window, Column.LAPS, Column.STATUS) == FINISHED
    undo(qtbot, window)
    qtbot.waitUntil(lambda: status_seen(window, "3", "0:00:55.500") == "insert undone")
    redo(qtbot, window)
    qtbot.waitUntil(lambda: status_seen(window, "3", "0:00:55.500") == "after finish (inserted)")
    assert window.statusBar().currentMessage() == (
        "Redone: Insert a passing for car 3 at 0:00:55.500 (after the finish — not counted)"
    )


def test_a_missed_lap_before_the_cars_finish_still_counts(
    qtbot, finished_heat, open_window
) -> None:
    """An operator may fix a missed lap of a car that took the flag, before its finish: car 2's
    lap 2 (28.100) is two laps; the passing goes in there and counts, nothing says otherwise."""
    window = open_window(finished_heat)
    click_item(right_click(window.board, board_row(window, "2")), "insert")
    dialog = open_dialog(qtbot, window)
    assert focused().currentText() == "Lap 2: 28.100 — looks like two laps"
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "14.000")
    assert dialog.summary.text() == "Insert a passing for car 2 at 0:00:28.200"
    assert dialog.effect_texts() == ["Car 3: P2 → P3", "Car 2: P3 → P2, laps 2 → 3"]
    confirm(qtbot, dialog)
    wait_board(
        qtbot,
        window,
        [("1", "1", "3", "Finished"), ("2", "2", "3", "Finished"), ("3", "3", "3", "Finished")],
        Column.LAPS,
        Column.STATUS,
    )
    assert window.statusBar().currentMessage() == "Done: Insert a passing for car 2 at 0:00:28.200"
    assert status_seen(window, "2", "0:00:28.200") == "inserted"
    assert status_seen(window, "2", "0:00:42.300") == "accepted"  # its finish, lap 3 now


# --- a missed lap once the session is ended -------------------------------------------------------


@pytest.fixture
def ended_heat(finished_heat: Path) -> Path:
    """The finished heat, ended by the operator at 0:00:50.000 (Flag ▸ End session)."""
    recorder = SessionRecorder.open(finished_heat)
    recorder.submit([EndSession(time_ms=50_000, operator="Sam", reason="ended by the operator")])
    recorder.close()
    return finished_heat


def test_a_missed_lap_after_the_end_is_refused_one_before_it_is_taken(
    qtbot, ended_heat, open_window
) -> None:
    """The end makes every result final: a lap inserted after it would count for nothing, so
    the dialog says why and OK stays greyed out; one before the end (car 2's lap 2, 28.100,
    two laps) is race control's correction of the race, taken as before the end was."""
    window = open_window(ended_heat)
    click_item(right_click(window.board, board_row(window, "3")), "insert")
    dialog = open_dialog(qtbot, window)
    press(qtbot, Qt.Key.Key_End)  # after its finish (lap 3 at 0:00:45.500)
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "10.000")  # 0:00:55.500: after the end
    assert dialog.summary.text() == (
        "⚠ the session was ended at 0:00:50.000: a lap after its end would not count "
        "(every result is final from then)"
    )
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    click_item(right_click(window.board, board_row(window, "2")), "insert")
    dialog = open_dialog(qtbot, window)
    assert focused().currentText() == "Lap 2: 28.100 — looks like two laps"
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "14.000")
    assert dialog.summary.text() == "Insert a passing for car 2 at 0:00:28.200"
    confirm(qtbot, dialog)
    qtbot.waitUntil(lambda: status_seen(window, "2", "0:00:28.200") == "inserted")
    assert window.statusBar().currentMessage() == "Done: Insert a passing for car 2 at 0:00:28.200"
