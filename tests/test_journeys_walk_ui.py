"""Faults a new-user walk found in the window (issue 15), each walked again as the user walked it.

Windows built as the commands build them; keys typed into whatever has the focus, menu actions
triggered; what the user reads is asserted.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QWidget

from timingboard.app.main_window import MainWindow
from timingboard.engine.settings import SessionSettings
from timingboard.store import SessionRecorder
from timingboard.text.board_columns import Column
from timingboard.text.entry_text import EntryColumn

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (raise|grabbing)")


@pytest.fixture
def window(tmp_path, open_window) -> MainWindow:
    """``timingboard open`` on a new session with no entries."""
    path = tmp_path / "heat.tbs"
    SessionRecorder.create(path, SessionSettings(name="Heat 1")).close()
    return open_window(path)


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the focus"
    return widget


def type_keys(qtbot, text: str) -> None:
    """Each key into whatever has the focus when it is pressed (an editor opens on the first)."""
    for key in text:
        qtbot.keyClick(focused(), key)


def enter(qtbot) -> None:
    qtbot.keyClick(focused(), Qt.Key.Key_Return)


def show_entries(qtbot, window: MainWindow) -> None:
    dock = window.docks["entries"]
    if not dock.isVisible():
        dock.toggleViewAction().trigger()
    dock.raise_()
    qtbot.waitUntil(dock.widget().isVisible)


def entry_cells(window: MainWindow, car: str) -> dict[str, str]:
    editor = window.docks["entries"].widget()
    for row in editor.rows_shown():
        if row[EntryColumn.NUMBER] == car:
            return {"first": row[EntryColumn.FIRST], "last": row[EntryColumn.LAST]}
    raise AssertionError(f"car {car} is not listed: {editor.rows_shown()}")


def test_add_car_then_the_first_name_typed_is_the_first_name(qtbot, window) -> None:
    show_entries(qtbot, window)
    editor = window.docks["entries"].widget()
    editor.add_field.setFocus()  # the operator clicks into "Add car #"
    qtbot.waitUntil(lambda: focused() is editor.add_field)
    type_keys(qtbot, "77")
    enter(qtbot)
    assert "first name" in editor.message.text()
    type_keys(qtbot, "Ty")
    enter(qtbot)
    qtbot.waitUntil(lambda: entry_cells(window, "77")["first"] == "Ty")
    assert entry_cells(window, "77") == {"first": "Ty", "last": ""}
    qtbot.keyClick(focused(), Qt.Key.Key_Right)  # on to Last name
    type_keys(qtbot, "Gibbs")
    enter(qtbot)
    qtbot.waitUntil(lambda: entry_cells(window, "77")["last"] == "Gibbs")
    assert entry_cells(window, "77") == {"first": "Ty", "last": "Gibbs"}
    model = window.board_model
    model.flush()
    rows = [(model.index(r, Column.CAR).data(), model.index(r, Column.DRIVER).data())
            for r in range(model.rowCount())]  # fmt: skip
    assert ("77", "Ty Gibbs") in rows


def test_add_car_refuses_a_number_too_long_whole_and_says_so(qtbot, window) -> None:
    """Nine digits were cut to eight unsaid, and car 12345678 added: another car."""
    show_entries(qtbot, window)
    editor = window.docks["entries"].widget()
    editor.add_field.setFocus()
    qtbot.waitUntil(lambda: focused() is editor.add_field)
    type_keys(qtbot, "123456789")
    assert editor.add_field.text() == "123456789"  # nothing cut while typing
    enter(qtbot)
    assert editor.message.text() == (
        "123456789 is too long: a car number has at most 8 digits or letters (9 typed). "
        "Nothing added; retype it."
    )
    assert editor.model.rowCount() == 0  # no car 12345678, nor any other
    assert editor.add_field.text() == "123456789"  # kept, to be seen and retyped
    type_keys(qtbot, "12345678")  # typed over the selected number: eight is a car number
    enter(qtbot)
    qtbot.waitUntil(lambda: editor.model.rowCount() == 1)
    assert "Car 12345678 added" in editor.message.text()


def add_car(qtbot, window: MainWindow, car: str, first: str) -> None:
    """Entries ▸ Add car #: the number, Enter, the first name, Enter."""
    show_entries(qtbot, window)
    editor = window.docks["entries"].widget()
    editor.add_field.setFocus()
    qtbot.waitUntil(lambda: focused() is editor.add_field)
    type_keys(qtbot, car)
    enter(qtbot)
    type_keys(qtbot, first)
    enter(qtbot)
    qtbot.waitUntil(lambda: entry_cells(window, car)["first"] == first)


def test_ctrl_y_redoes_and_the_shortcuts_list_it(qtbot, window) -> None:
    add_car(qtbot, window, "77", "Ty")  # the name is a correction of the entry
    qtbot.keyClick(focused(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: entry_cells(window, "77")["first"] == "")
    qtbot.keyClick(focused(), Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: entry_cells(window, "77")["first"] == "Ty")
    assert window.statusBar().currentMessage().startswith("Redone:")
    shortcuts = next(a for a in window.findChildren(QAction) if a.objectName() == "help.shortcuts")
    shortcuts.trigger()
    dialog = window.help.dialog
    assert dialog is not None
    rows = dict((what, keys) for keys, what in dialog.rows())
    redo = next(keys for what, keys in rows.items() if what.startswith("Redo"))
    assert "Ctrl+Y" in redo and "Ctrl+Shift+Z" in redo, rows
    dialog.close()


def test_messages_go_once_they_are_out_of_date(qtbot, window) -> None:
    editor = window.docks["entries"].widget()
    add_car(qtbot, window, "48", "Jimmie")
    assert "first name" not in editor.message.text()  # it was typed
    qtbot.keyClick(focused(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(focused(), Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Redone:"))
    qtbot.keyClick(focused(), Qt.Key.Key_Right)  # on to Last name: a new correction
    type_keys(qtbot, "Johnson")
    enter(qtbot)
    qtbot.waitUntil(lambda: entry_cells(window, "48")["last"] == "Johnson")
    said = window.statusBar().currentMessage()
    assert not said.startswith("Redone:"), said
    assert said.startswith("Done:") and "48" in said, said


@pytest.mark.parametrize("width", [1000, 1100, 1280])
def test_board_mode_shows_the_session_name_whole_or_with_an_ellipsis(
    qtbot, tmp_path, open_window, width
) -> None:
    path = tmp_path / "feature.tbs"
    SessionRecorder.create(path, SessionSettings(name="Busch Light Clash - Feature")).close()
    made = open_window(path)
    qtbot.keyClick(focused(), Qt.Key.Key_F5)  # green
    qtbot.keyClick(focused(), Qt.Key.Key_F9)  # checkered
    qtbot.keyClick(focused(), Qt.Key.Key_F11)  # board mode
    band = made.scoreboard.band
    qtbot.waitUntil(band.isVisible)
    cuts = []
    for point_size in range(14, 40, 2):  # the band's type follows the screen
        band.set_point_size(point_size)
        band.resize(width, band.height())
        label = band.session
        shown = label.text()
        room = label.contentsRect().width() - 2 * 10  # the checkered flag's boxed padding
        if label.fontMetrics().horizontalAdvance(shown) > room:
            cuts.append((point_size, shown))
    assert cuts == []


@pytest.mark.qt_log_ignore(r"This plugin does not support (raise|grabbing)")
def test_every_top_menu_opens_on_its_own_alt_letter_from_the_car_field(qtbot, window) -> None:
    """A new-user walk: Alt+L for the Flag menu typed "l" into Car #; each top menu has a
    mnemonic, none two alike, and its Alt+letter opens it rather than typing."""
    from PySide6.QtWidgets import QMenu

    titles = [a.text() for a in window.menuBar().actions() if a.menu() is not None]
    letters = []
    for title in titles:
        assert "&" in title and not title.endswith("&"), title
        letters.append(title[title.index("&") + 1].lower())
    assert len(set(letters)) == len(letters), dict(zip(titles, letters, strict=True))
    assert "F&lag" in titles  # Alt+L, the letter tried (Alt+F is File's)
    for title, letter in zip(titles, letters, strict=True):
        window.entry_panel.car_field.setFocus()
        qtbot.waitUntil(lambda: focused() is window.entry_panel.car_field)
        qtbot.keyClick(
            focused(), getattr(Qt.Key, f"Key_{letter.upper()}"), Qt.KeyboardModifier.AltModifier
        )
        qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
        popup = QApplication.activePopupWidget()
        assert popup is next(a.menu() for a in window.menuBar().actions() if a.text() == title)
        popup.close()
        assert window.entry_panel.car_field.text() == "", title


def test_an_alt_letter_of_no_menu_types_nothing_into_the_car_field(qtbot, window) -> None:
    """Alt+L (no menu's letter then) typed "l" into Car #; so did any Alt+letter no menu has."""
    window.entry_panel.car_field.setFocus()
    qtbot.waitUntil(lambda: focused() is window.entry_panel.car_field)
    qtbot.keyClick(focused(), Qt.Key.Key_Q, Qt.KeyboardModifier.AltModifier)
    assert window.entry_panel.car_field.text() == ""
