"""The small things race control noticed: each as the user sees it."""

from __future__ import annotations

from board_probe import cut_cells, demo_heat_window
from race_scripts import QUARTER_MILE_RACE, field

from timingboard.engine import CompetitorSet, DeletePassing, Passing
from timingboard.engine.settings import SessionKind
from timingboard.qt.passings_model import PassingColumn
from timingboard.text.typed import car_choice_text
from timingboard.widgets.lineup_dialog import LineupDialog


def test_the_passings_dock_cuts_nothing_at_1280_by_800(tmp_path, qtbot) -> None:
    window, controller = demo_heat_window(tmp_path)
    qtbot.addWidget(window)
    log = window.passings_log
    qtbot.waitUntil(lambda: window.passings_model.rowCount() > 100)
    assert cut_cells(log) == []
    status = PassingColumn.STATUS
    right = log.columnViewportPosition(status) + log.columnWidth(status)
    assert right <= log.viewport().width()  # the status never runs off the dock's edge
    window.close()
    controller.close()


def test_one_passing_is_one_passing(make_controller, show_window) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    window = show_window(controller)
    controller.submit([*field(["1"]), Passing(time_ms=100, car="1")])
    assert window.header.passings.text() == "1 passing"
    controller.submit([Passing(time_ms=14_100, car="1")])
    assert window.header.passings.text() == "2 passings"


def test_a_deleted_passing_keeps_its_car_and_driver(make_controller, show_window) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    window = show_window(controller)
    controller.submit([CompetitorSet(key="31", car="31", driver="Justin Haley")])
    controller.submit([Passing(time_ms=100, car="31"), Passing(time_ms=900, car="31")])
    controller.submit([DeletePassing(passing_id=3, reason="double read")])
    window.passings_model.flush() if hasattr(window.passings_model, "flush") else None
    model = window.passings_model
    rows = {
        model.index(r, PassingColumn.NOTE).data(): model.index(r, PassingColumn.DRIVER).data()
        for r in range(model.rowCount())
    }
    assert rows["deleted"] == "Justin Haley"


def test_reassign_lists_cars_without_a_dangling_dash() -> None:
    assert car_choice_text("3", CompetitorSet(key="3", car="3")) == "3"
    assert car_choice_text("31", CompetitorSet(key="31", car="31", driver="J H")) == "31 — J H"
    assert car_choice_text("77", None) == "77 (not registered)"


def test_the_lineup_dialog_makes_a_race(qtbot) -> None:
    dialog = LineupDialog("Heat 1", ["31", "8"])
    qtbot.addWidget(dialog)
    assert dialog.kind.currentData() == SessionKind.RACE


def test_one_lap_to_go_is_said_in_the_singular() -> None:
    from timingboard.engine.formatting import format_laps_to_go as laps_to_go

    assert [laps_to_go(n) for n in (2, 1, 0)] == ["2 laps to go", "1 lap to go", "0 laps to go"]


def test_ctrl_z_with_nothing_to_undo_says_so_and_alt_keys_are_one_menu_each(
    make_controller, show_window, qtbot
) -> None:
    """Ctrl+Z on a session without corrections said nothing; Alt+E opened Feed, not Edit."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    window = show_window(make_controller(QUARTER_MILE_RACE))
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    focused = QApplication.focusWidget() or window
    qtbot.keyClick(focused, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    said = window.statusBar().currentMessage()  # and why: a typed passing is not undone
    assert said.startswith("Nothing to undo: Ctrl+Z takes back corrections.")
    assert "Delete passing" in said
    titles = [a.text() for a in window.menuBar().actions()]
    keys = [t[t.index("&") + 1].lower() for t in titles if "&" in t]
    assert len(keys) == len(titles) and len(set(keys)) == len(keys), titles
    assert next(t for t in titles if "&e" in t.lower()).replace("&", "") == "Edit"
    window.close()


def test_the_lineup_dialog_shows_a_long_split_in_a_few_lines(qtbot) -> None:
    dialog = LineupDialog("Qualifying", [str(n) for n in range(1, 41)])
    qtbot.addWidget(dialog)
    dialog.rule.setCurrentIndex(1)  # Split across heats
    dialog.count.setValue(10)
    lines = dialog.makes.text().split("\n")
    assert lines[0] == "Heat 1 (heat-1.tbs): 1, 11, 21, 31"
    assert lines[-1] == "… and 2 more, to Heat 10"
    assert len(lines) == 9
    dialog.count.setValue(1)
    assert dialog.makes.text() == ("Heat (heat.tbs): 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, …")
