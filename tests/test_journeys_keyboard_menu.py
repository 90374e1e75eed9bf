"""Journeys of an operator correcting from the keyboard (a new-user walk, issue P): the Menu key
on the highlighted car opened the menu of the car below it (Time penalty for car 8, P10, with
#99, P9, highlighted); Shift+F10 opened nothing; without a Menu key no correction had a keyboard
route (Edit held Undo and Redo only); File gave New session and Next session the same "N".

The real window as ``timingboard open`` builds it; the rows picked with a click and the arrow
keys typed into whatever has the focus; the Menu key delivered as Qt delivers it; the menu's
item picked by its letter; what is checked is the dialog that opens, as the operator reads it.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from unittest import mock

import pytest
from journey import status_cut
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QAction, QContextMenuEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMenu, QWidget
from race_scripts import QUARTER_MILE_RACE, field

from timingboard.app.main_window import MainWindow
from timingboard.engine import Event, Flag, FlagChanged, Passing
from timingboard.qt.passings_model import PassingColumn
from timingboard.store import SessionRecorder
from timingboard.text.board_columns import Column
from timingboard.widgets.correction_dialog import CorrectionDialog

JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")

RECORDED_S_AGO = 70  # the session began this long ago: a crossing now comes after its last
CARS = [str(n) for n in range(1, 13)]  # twelve cars, three laps each, car 1 leading car 2, ...
LAP_MS = 14_000


def race() -> list[Event]:
    events: list[Event] = [*field(CARS), FlagChanged(time_ms=0, flag=Flag.GREEN)]
    crossings = sorted((lap * LAP_MS + 300 * int(car), car) for car in CARS for lap in range(4))
    return [*events, *(Passing(time_ms=t, car=car) for t, car in crossings)]


@pytest.fixture
def saved_session(tmp_path: Path) -> Path:
    path = tmp_path / "feature.tbs"
    then = time.time() - RECORDED_S_AGO
    with mock.patch("timingboard.store.session_file.time.time", return_value=then):
        recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit(race())
    recorder.close()
    return path


# --- what the operator does ----------------------------------------------------------------------


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the focus"
    return widget


def click_row(qtbot, view: QAbstractItemView, row: int, column: int = 1) -> None:
    index = view.model().index(row, column)
    view.scrollTo(index)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
    )
    assert focused() is view, "the click left the focus elsewhere"


def press(qtbot, key: Qt.Key, times: int = 1, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    for _ in range(times):
        qtbot.keyClick(focused(), key, modifier)


def press_menu_key(qtbot) -> QMenu:
    """The Menu key, as Qt delivers it: the key press to the focus widget, then (the press not
    taken) a keyboard context-menu event at the centre of its cursor rectangle, in the focus
    widget's own coordinates (the table's, not its viewport's). The menu that pops up."""
    widget = focused()
    qtbot.keyClick(widget, Qt.Key.Key_Menu)
    send_menu_event(widget)
    return popped_up()


def send_menu_event(widget: QWidget) -> None:
    rect = widget.inputMethodQuery(Qt.InputMethodQuery.ImCursorRectangle)
    where = (rect.toRect() if isinstance(rect, QRectF) else rect).center()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, where, widget.mapToGlobal(where))
    QApplication.sendEvent(widget, event)


def popped_up() -> QMenu:
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu), "no menu popped up"
    return menu


def pick(qtbot, menu: QMenu, letter: str) -> None:
    """An item picked by its underlined letter, typed where the keyboard goes while a menu is
    open (the menu)."""
    qtbot.keyClick(menu, letter)
    qtbot.waitUntil(lambda: not menu.isVisible())


def dialog_of(qtbot, window: MainWindow) -> CorrectionDialog:
    qtbot.waitUntil(lambda: window.flow.dialog is not None and window.flow.dialog.isVisible())
    dialog = window.flow.dialog
    assert dialog is not None
    return dialog


def crossing_now(window: MainWindow, car: str) -> None:
    """The timing feed's crossing of ``car``, now: the board reorders under the operator."""
    assert window.controller.submit([Passing(time_ms=window.controller.stamp_ms(), car=car)])
    window.board_model.flush()
    window.passings_model.flush()


def menu_item(window: MainWindow, *path: str) -> QAction:
    """The menu bar's item under ``Edit``, ``Selected car`` (mnemonics and dots ignored)."""
    actions = window.menuBar().actions()
    action = None
    for name in path:
        found = [a for a in actions if a.text().replace("&", "").startswith(name)]
        assert found, f"no {name!r} in {[a.text() for a in actions]}"
        action = found[0]
        if action.menu() is not None:
            action.menu().aboutToShow.emit()
            actions = action.menu().actions()
    assert action is not None
    return action


# --- what the operator sees ---------------------------------------------------------------------


def board_cars(window: MainWindow) -> list[str]:
    model = window.board_model
    model.flush()
    return [model.index(row, Column.CAR).data() for row in range(model.rowCount())]


def highlighted_cars(window: MainWindow) -> list[str]:
    return [
        window.board_model.index(index.row(), Column.CAR).data()
        for index in window.board.selectionModel().selectedRows()
    ]


def log_row(window: MainWindow, row: int) -> tuple[str, str]:
    model = window.passings_model
    return (
        model.index(row, PassingColumn.CAR).data(),
        model.index(row, PassingColumn.TIME).data(),
    )


# --- the board ------------------------------------------------------------------------------------


@JOURNEY_LOG
def test_the_menu_key_corrects_the_car_highlighted_not_the_one_below(
    qtbot, saved_session, open_window
) -> None:
    window = open_window(saved_session)
    assert board_cars(window) == CARS
    click_row(qtbot, window.board, 0)
    press(qtbot, Qt.Key.Key_Down, 8)
    assert highlighted_cars(window) == ["9"]  # P9
    menu = press_menu_key(qtbot)
    row = window.board.visualRect(window.board_model.index(8, Column.CAR))
    port = window.board.viewport()
    top, bottom = port.mapToGlobal(row.topLeft()).y(), port.mapToGlobal(row.bottomLeft()).y()
    assert top <= menu.pos().y() <= bottom + 1, "the menu popped up away from the highlighted row"
    pick(qtbot, menu, "t")  # Time penalty…
    dialog = dialog_of(qtbot, window)
    assert dialog.summary.text() == "Time penalty +5.000 s for car 9"
    dialog.reject()


@JOURNEY_LOG
def test_shift_f10_opens_the_highlighted_cars_menu(qtbot, saved_session, open_window) -> None:
    window = open_window(saved_session)
    click_row(qtbot, window.board, 0)
    press(qtbot, Qt.Key.Key_Down, 2)
    press(qtbot, Qt.Key.Key_F10, modifier=Qt.KeyboardModifier.ShiftModifier)
    pick(qtbot, popped_up(), "d")  # Disqualify…
    dialog = dialog_of(qtbot, window)
    assert dialog.summary.text().endswith("car 3"), dialog.summary.text()
    dialog.reject()


@JOURNEY_LOG
def test_the_board_reordering_under_the_highlight_keeps_the_cars_menu(
    qtbot, saved_session, open_window
) -> None:
    """The car is the one highlighted when the key is pressed, whichever row it is on by then
    and whichever cars pass it while its menu is open."""
    window = open_window(saved_session)
    click_row(qtbot, window.board, 0)
    press(qtbot, Qt.Key.Key_Down, 8)
    assert highlighted_cars(window) == ["9"]
    crossing_now(window, "10")  # car 10 a lap up: P1, car 9 down to P10
    assert board_cars(window).index("9") == 9 and highlighted_cars(window) == ["9"]
    menu = press_menu_key(qtbot)
    crossing_now(window, "11")  # and car 11 while the menu is open: car 9 to P11
    assert board_cars(window).index("9") == 10
    pick(qtbot, menu, "t")
    dialog = dialog_of(qtbot, window)
    assert dialog.summary.text() == "Time penalty +5.000 s for car 9"
    dialog.reject()


@JOURNEY_LOG
def test_a_right_click_still_corrects_the_car_under_the_pointer(
    qtbot, saved_session, open_window
) -> None:
    window = open_window(saved_session)
    click_row(qtbot, window.board, 0)  # car 1 highlighted; the right-click is on car 5
    index = window.board_model.index(4, Column.DRIVER)
    where = window.board.visualRect(index).center()
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, where, window.board.viewport().mapToGlobal(where)
    )
    QApplication.sendEvent(window.board.viewport(), event)
    pick(qtbot, popped_up(), "l")  # Lap penalty…
    dialog = dialog_of(qtbot, window)
    assert dialog.summary.text().endswith("car 5"), dialog.summary.text()
    dialog.reject()


@JOURNEY_LOG
def test_the_menu_key_with_no_car_highlighted_says_how_to_pick_one(
    qtbot, saved_session, open_window
) -> None:
    """No menu, and once no word either: the key seemed not to work. The status bar says what
    to do, and doing it opens the menu."""
    window = open_window(saved_session)
    window.showNormal()
    window.resize(1280, 800)  # the status bar's words read whole at 1280 px
    qtbot.waitUntil(lambda: window.statusBar().width() == 1280)
    click_row(qtbot, window.board, 3)
    press(qtbot, Qt.Key.Key_Escape)  # the highlight cleared
    assert highlighted_cars(window) == []
    qtbot.keyClick(focused(), Qt.Key.Key_Menu)
    send_menu_event(focused())
    assert QApplication.activePopupWidget() is None
    assert window.statusBar().currentMessage() == (
        "No car highlighted: pick one with the arrow keys or a click, then press the Menu key"
        " (or Shift+F10)"
    )
    assert status_cut(window) == ""
    window.statusBar().clearMessage()
    press(qtbot, Qt.Key.Key_F10, modifier=Qt.KeyboardModifier.ShiftModifier)  # said for it too
    assert QApplication.activePopupWidget() is None
    assert window.statusBar().currentMessage().startswith("No car highlighted: pick one")
    press(qtbot, Qt.Key.Key_Down)  # as it says: a car highlighted with the arrow keys
    assert len(highlighted_cars(window)) == 1
    menu = press_menu_key(qtbot)
    menu.close()


# --- the passings log -----------------------------------------------------------------------


@JOURNEY_LOG
@pytest.mark.parametrize("key", ["Menu", "Shift+F10"])
def test_the_menu_key_in_the_log_corrects_the_passing_highlighted(
    qtbot, saved_session, open_window, key: str
) -> None:
    window = open_window(saved_session)
    log = window.passings_log
    click_row(qtbot, log, 0)
    press(qtbot, Qt.Key.Key_Down, 3)
    car, clock = log_row(window, 3)
    assert (car, clock) == ("9", "0:00:44.700")
    crossing_now(window, "1")  # a passing comes in above it: the highlight moves down with it
    assert log_row(window, 4) == (car, clock)
    if key == "Menu":
        menu = press_menu_key(qtbot)
    else:
        press(qtbot, Qt.Key.Key_F10, modifier=Qt.KeyboardModifier.ShiftModifier)
        menu = popped_up()
    pick(qtbot, menu, "d")  # Delete passing…
    dialog = dialog_of(qtbot, window)
    assert dialog.summary.text().startswith(f"Delete the passing of car {car} at {clock}")
    dialog.reject()


@JOURNEY_LOG
def test_the_menu_key_with_no_passing_highlighted_says_how_to_pick_one(
    qtbot, saved_session, open_window
) -> None:
    window = open_window(saved_session)
    log = window.passings_log
    click_row(qtbot, log, 2)
    log.clearSelection()  # the highlight gone (a new session's log has none)
    assert log.highlighted_row() is None
    press(qtbot, Qt.Key.Key_F10, modifier=Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.activePopupWidget() is None
    assert window.statusBar().currentMessage() == (
        "No passing highlighted: pick one with the arrow keys or a click, then press the Menu"
        " key (or Shift+F10)"
    )


# --- the menu bar: Edit ▸ Selected car, Edit ▸ Selected passing ------------------------------


@JOURNEY_LOG
def test_edit_selected_car_corrects_the_highlighted_car(qtbot, saved_session, open_window) -> None:
    window = open_window(saved_session)
    car_menu = menu_item(window, "Edit", "Selected car")
    assert not car_menu.isEnabled()
    assert car_menu.text().replace("&", "") == "Selected car: none highlighted"
    click_row(qtbot, window.board, 0)
    press(qtbot, Qt.Key.Key_Down, 8)
    car_menu = menu_item(window, "Edit", "Selected car")
    assert car_menu.isEnabled() and car_menu.text().replace("&", "") == (
        "Selected car: #9 Driver 9"
    )
    assert menu_item(window, "Edit", "Selected car", "Into the pit lane").isEnabled()
    assert not menu_item(window, "Edit", "Selected car", "Out of the pit lane").isEnabled()
    crossing_now(window, "10")  # the board reorders: the item still acts on car 9
    penalty = menu_item(window, "Edit", "Selected car", "Time penalty")
    assert penalty.isEnabled()
    penalty.trigger()
    dialog = dialog_of(qtbot, window)
    assert dialog.summary.text() == "Time penalty +5.000 s for car 9"
    dialog.reject()
    qtbot.waitUntil(lambda: window.isAncestorOf(QApplication.focusWidget()))
    window.board.setFocus()
    press(qtbot, Qt.Key.Key_Escape)  # nothing highlighted: off again
    assert not menu_item(window, "Edit", "Selected car").isEnabled()
    assert not menu_item(window, "Edit", "Selected car", "Time penalty").isEnabled()


@JOURNEY_LOG
def test_edit_selected_passing_corrects_the_highlighted_passing(
    qtbot, saved_session, open_window
) -> None:
    window = open_window(saved_session)
    assert not menu_item(window, "Edit", "Selected passing").isEnabled()
    click_row(qtbot, window.passings_log, 2)
    car, clock = log_row(window, 2)
    item = menu_item(window, "Edit", "Selected passing")
    assert item.isEnabled() and item.text().replace("&", "") == (
        f"Selected passing: car {car} at {clock}"
    )
    menu_item(window, "Edit", "Selected passing", "Delete passing").trigger()
    dialog = dialog_of(qtbot, window)
    assert dialog.summary.text().startswith(f"Delete the passing of car {car} at {clock}")
    dialog.reject()


# --- mnemonics ------------------------------------------------------------------------------------


def mnemonic(text: str) -> str | None:
    found = re.search(r"&([^&])", text.replace("&&", ""))
    return found.group(1).lower() if found else None


def clashes(actions: list[QAction], where: str) -> list[str]:
    """Items of one menu sharing an underlined letter, and those of its submenus."""
    by_letter: dict[str, list[str]] = {}
    found = []
    for action in actions:
        if action.isSeparator() or not action.isVisible():
            continue
        letter = mnemonic(action.text())
        if letter:
            by_letter.setdefault(letter, []).append(action.text())
        if action.menu() is not None:
            action.menu().aboutToShow.emit()  # filled as it opens (Class)
            found += clashes(action.menu().actions(), f"{where} ▸ {action.text()}")
    found += [f"{where}: {texts}" for texts in by_letter.values() if len(texts) > 1]
    return found


@JOURNEY_LOG
def test_no_two_items_of_a_menu_share_a_letter(qtbot, saved_session, open_window) -> None:
    window = open_window(saved_session)
    click_row(qtbot, window.board, 0)  # the submenus' items as a highlighted car's
    click_row(qtbot, window.passings_log, 0)
    assert clashes(window.menuBar().actions(), "menu bar") == []
    assert mnemonic(menu_item(window, "File", "New session").text()) != mnemonic(
        menu_item(window, "File", "Next session").text()
    )
    for menu in (window.board.menu_for("1"), window.passings_log.menu_for(1, "Invalidate lap 1")):
        assert clashes(menu.actions(), "context menu") == []
        assert all(mnemonic(a.text()) for a in menu.actions() if not a.isSeparator())
