"""Columns that fit: at 1280x800 (and at 2x) no cell is cut; names shorten by rule."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from board_probe import cut_cells, demo_heat_window, shown_text
from PySide6.QtCore import Qt
from race_scripts import QUARTER_MILE_RACE, three_car_race, two_class_race

from timingboard.qt.leaderboard_model import CLASS_COLUMNS, Column
from timingboard.text.board_text import name_forms


def test_names_shorten_by_rule() -> None:
    assert name_forms("Justin Haley") == ["Justin Haley", "J. Haley", "HALEY", "HAL"]
    assert name_forms("Ricky Stenhouse Jr.")[1] == "R. S. Jr."
    assert name_forms("Haley") == ["Haley", "HALEY", "HAL"]
    assert name_forms("") == [""]


def test_nothing_is_cut_at_1280_by_800(tmp_path, qtbot) -> None:
    window, controller = demo_heat_window(tmp_path)
    qtbot.addWidget(window)
    assert cut_cells(window.board) == []
    drivers = [shown_text(window.board, r, Column.DRIVER) for r in range(9)]
    assert "Justin Haley" in drivers and "Michael McDowell" in drivers
    window.close()
    controller.close()


def test_a_narrow_board_shortens_names_and_keeps_them_in_the_tooltip(tmp_path, qtbot) -> None:
    window, controller = demo_heat_window(tmp_path)
    qtbot.addWidget(window)
    board = window.board
    header = board.horizontalHeader()
    header.setSectionResizeMode(Column.DRIVER, header.ResizeMode.Interactive)
    row = window.board_model.row_of("31")
    for width, form in ((80, "J. Haley"), (60, "HALEY"), (40, "HAL")):
        board.setColumnWidth(Column.DRIVER, width)
        assert shown_text(board, row, Column.DRIVER) == form
    board.setColumnWidth(Column.DRIVER, 80)
    text = shown_text(board, row, Column.DRIVER)
    assert text in name_forms("Justin Haley")[1:], board.columnWidth(Column.DRIVER)
    assert cut_cells(board) == []
    tooltip = window.board_model.index(row, Column.DRIVER).data(Qt.ItemDataRole.ToolTipRole)
    assert tooltip.startswith("Justin Haley")
    window.close()
    controller.close()


def test_nothing_is_cut_at_twice_the_scale(tmp_path) -> None:
    probe = Path(__file__).with_name("board_probe.py")
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": "2"}
    done = subprocess.run(
        [sys.executable, str(probe)], env=env, capture_output=True, text=True, timeout=120
    )
    assert "ratio 2 " in done.stdout, done.stderr
    assert done.returncode == 0, done.stdout


def test_class_columns_go_with_a_session_without_classes(
    make_controller, show_window, qtbot, tmp_path
) -> None:
    from timingboard.store import SessionRecorder

    controller = make_controller(QUARTER_MILE_RACE)
    window = show_window(controller)
    controller.submit(two_class_race())
    window.board_model.flush()
    assert not any(window.board.isColumnHidden(c) for c in CLASS_COLUMNS)
    controller.load(SessionRecorder.create(tmp_path / "no-classes.tbs", QUARTER_MILE_RACE))
    controller.submit(three_car_race())
    window.board_model.flush()
    assert all(window.board.isColumnHidden(c) for c in CLASS_COLUMNS)
    assert not any(window.column_actions[c].isChecked() for c in CLASS_COLUMNS)
    qtbot.waitUntil(lambda: cut_cells(window.board) == [])  # columns widen within a second


def _desk_cuts(window) -> dict[str, list[str]]:
    """What is cut on the board, the Passings dock and the Corrections view, as first shown."""
    window.docks["audit"].raise_()
    window.docks["passings"].raise_()
    return {
        "board": cut_cells(window.board),
        "passings": cut_cells(window.passings_log),
        "corrections": cut_cells(window.audit),
    }


def test_nothing_is_cut_on_the_desk_with_the_demo_or_a_60_car_field(tmp_path, qtbot) -> None:
    from board_probe import big_field_window

    for make, folder in ((demo_heat_window, "heat"), (big_field_window, "field")):
        (tmp_path / folder).mkdir()
        window, controller = make(tmp_path / folder)
        qtbot.addWidget(window)
        assert window.audit.model().rowCount() >= (6 if folder == "field" else 0)
        assert window.passings_log.model().rowCount() > 100
        qtbot.waitUntil(lambda w=window: _desk_cuts(w) == {k: [] for k in _desk_cuts(w)})
        window.close()
        controller.close()


def test_a_corrected_passing_says_so_in_its_status(tmp_path, qtbot, monkeypatch) -> None:
    from board_probe import big_field_window
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication

    from timingboard.qt.passings_model import PassingColumn, PassingRole
    from timingboard.widgets import passings_log

    tips: list[str] = []  # what the tooltip would say (offscreen cannot raise a tooltip window)
    monkeypatch.setattr(
        passings_log.QToolTip, "showText", lambda _pos, text, *_args: tips.append(text)
    )

    window, controller = big_field_window(tmp_path)
    qtbot.addWidget(window)
    log, model = window.passings_log, window.passings_model
    assert log.isColumnHidden(PassingColumn.NOTE)  # no room in the dock: said in the Status
    rows = {model.index(r, 0).data(PassingRole.ROW).note: r for r in range(model.rowCount())}
    inserted, deleted = rows["inserted"], rows["deleted"]
    assert shown_text(log, inserted, PassingColumn.STATUS) == "inserted"
    status = model.index(inserted, PassingColumn.STATUS).data()
    assert status == "double read"  # the model keeps its own: inserted by the loop's own read
    assert shown_text(log, deleted, PassingColumn.STATUS) == "deleted"
    log.scrollTo(model.index(inserted, PassingColumn.STATUS))
    centre = log.visualRect(model.index(inserted, PassingColumn.STATUS)).center()
    help_event = QHelpEvent(QEvent.Type.ToolTip, centre, log.viewport().mapToGlobal(centre))
    QApplication.sendEvent(log.viewport(), help_event)
    assert tips == ["double read — inserted"]
    window.close()
    controller.close()
