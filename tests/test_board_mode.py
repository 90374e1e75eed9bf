"""Board mode in and out with every key an operator uses, typed where the focus is."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from race_scripts import QUARTER_MILE_RACE, three_car_race

from timingboard.app.main_window import MainWindow
from timingboard.engine import Flag, TimePenalty


def _press(qtbot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the focus"
    qtbot.keyClick(target, key, modifier)


def _desk(window: MainWindow) -> tuple[int, int]:
    return window.width(), window.board.verticalHeader().defaultSectionSize()


def test_board_mode_in_and_out_with_every_key(make_controller, tmp_path, qtbot) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    controller = make_controller(QUARTER_MILE_RACE)
    window = MainWindow(controller, settings)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    controller.submit(three_car_race())
    window.entry_panel.car_field.setFocus()
    desk = _desk(window)
    desk_geometry = window.saveGeometry()
    assert window.docks["entry"].isVisible()
    for round_trip in range(3):  # in with F11, out with Esc, then F11: the desk as it was
        _press(qtbot, Qt.Key.Key_F11)
        assert window.board_mode.is_on and window.isFullScreen()
        assert window.scoreboard.isVisible() and not window.menuBar().isVisible()
        assert not window.docks["entry"].isVisible()
        _press(qtbot, Qt.Key.Key_Escape if round_trip % 2 == 0 else Qt.Key.Key_F11)
        assert not window.board_mode.is_on and not window.isFullScreen()
        assert _desk(window) == desk
        assert window.docks["entry"].isVisible() and window.menuBar().isVisible()
        assert QApplication.focusWidget() is window.entry_panel.car_field  # typing goes on
    _press(qtbot, Qt.Key.Key_F11)
    for key, flag in zip(
        (Qt.Key.Key_F6, Qt.Key.Key_F7, Qt.Key.Key_F8, Qt.Key.Key_F9, Qt.Key.Key_F5),
        (Flag.YELLOW, Flag.RED, Flag.WHITE, Flag.CHECKERED, Flag.GREEN),
        strict=True,
    ):
        _press(qtbot, key)
        assert controller.engine.flag is flag
        assert window.scoreboard.band.flag is flag  # the band follows at once
    assert window.desk.correct(TimePenalty(key="1", ms=5000), "jumped the start")
    assert window.desk.undo_stack.index() == 1
    _press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.desk.undo_stack.index() == 0  # undone from the wall
    _press(qtbot, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()  # Ctrl+Q quits, and saves the desk, not the full screen
    assert settings.value("window/geometry") == desk_geometry
    again = MainWindow(controller, settings)
    qtbot.addWidget(again)
    again.show()
    assert not again.board_mode.is_on and again.docks["entry"].isVisible()
    assert again.board.verticalHeader().defaultSectionSize() == desk[1]
    again.close()


def test_board_mode_from_the_start_leaves_with_esc(make_controller, show_window, qtbot) -> None:
    """As ``timingboard demo --board`` starts it: nothing clicked yet."""
    controller = make_controller(QUARTER_MILE_RACE)
    window = show_window(controller)
    window.resize(1280, 800)
    window.set_board_mode(True)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    _press(qtbot, Qt.Key.Key_Escape)
    assert not window.board_mode.is_on
    assert window.width() == 1280


def test_every_page_of_a_tall_field_shows_whole_rows_only(make_controller, qtbot) -> None:
    """The walk: 40 cars in board mode (F11) at 1280x800 page by themselves; the last page
    had its top row half hidden under the flag band (the view scrolled to its end puts its
    last row at the bottom). Each page starts on a whole row, and the last ends with the last
    car, every row of a page whole."""
    from test_scoreboard import big_field

    from timingboard.qt.leaderboard_model import Column

    controller = make_controller(QUARTER_MILE_RACE)
    window = MainWindow(controller, QSettings())
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    controller.submit(big_field(40))
    window.entry_panel.car_field.setFocus()
    _press(qtbot, Qt.Key.Key_F11)
    board = window.scoreboard
    table = board.table
    qtbot.waitUntil(lambda: table.isVisible() and board.band.page.text().startswith("page 1/"))
    qtbot.wait(50)  # the band's type follows the table's, and the table's height the band's
    QApplication.processEvents()
    per_page, pages = table.rows_per_page(), table.page_count()
    assert pages >= 2
    model = table.model()
    seen = []
    for page in range(pages):
        QApplication.processEvents()
        assert board.band.page.text() == f"page {page + 1}/{pages}"
        first = table.rowAt(0)
        assert table.rowViewportPosition(first) == 0, (page, first)  # a whole top row
        shown = [model.index(r, Column.POSITION).data() for r in table.rows_shown()]
        assert len(shown) == min(per_page, 40), (page, shown)
        seen.append(shown)
        board.next_page()
    assert seen[0][0] == "1" and seen[-1][-1] == "40"  # the last page ends with the last car
    assert seen[1][0] == str(min(per_page, 40 - per_page) + 1)
    window.close()
