"""What race control sees of classes, pit stops and laps not seen, in the real window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from race_scripts import QUARTER_MILE_RACE, two_class_race
from test_rmonitor_join import JOINED_LATE

from timingboard.app.main_window import MainWindow
from timingboard.feeds.rmonitor_parser import parse_bytes
from timingboard.feeds.rmonitor_session import RMonitorMapper
from timingboard.qt.leaderboard_model import Column


def _cells(window: MainWindow, column: Column) -> list[str]:
    model = window.board_model
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_classes_get_their_columns_colour_filter_and_chart(
    make_controller, show_window, tmp_path, qtbot
) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    window = show_window(controller)
    assert window.board.isColumnHidden(Column.CLASS_POSITION)
    controller.submit(two_class_race())
    window.board_model.flush()
    assert not window.board.isColumnHidden(Column.CLASS_POSITION)  # shown once there are classes
    assert _cells(window, Column.CLASS_POSITION) == ["1", "2", "1", "2"]
    assert _cells(window, Column.CLASS) == ["GT ◆", "GT", "Pro ◆", "Pro"]
    assert _cells(window, Column.CLASS_GAP)[3] == "+1 lap"
    colours = [
        window.board_model.index(r, Column.CLASS).data(Qt.ItemDataRole.BackgroundRole).name()
        for r in range(4)
    ]
    assert colours[0] == colours[1] != colours[2] == colours[3]
    window.show_class("Pro")
    assert [window.board.isRowHidden(r) for r in range(4)] == [True, True, False, False]
    assert window.chart.charted == ["3"]  # the class leader, who also holds its best lap
    assert window.chart.point_colour("3") == colours[2]  # the chart paints the class colour
    assert window.header.class_shown.text() == "Class Pro only"
    window.show_class("")
    assert not any(window.board.isRowHidden(r) for r in range(4))


def test_an_operator_marks_a_car_into_and_out_of_the_pits(
    make_controller, show_window, tmp_path, qtbot
) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    window = show_window(controller)
    controller.submit(two_class_race())
    controller.run_clock(80_000)
    window.board_model.flush()
    menu = window.board.menu_for("3")
    assert not menu.findChild(type(menu.actions()[0]), "pit_out").isEnabled()
    window.board.car_action_requested.emit("pit_in", "3", None)
    window.board_model.flush()
    row = window.board_model.row_of("3")
    assert window.board_model.index(row, Column.STATUS).data() == "PIT"
    assert window.board_model.index(row, Column.PITS).data() == "1"
    assert not window.board.isColumnHidden(Column.PITS)
    assert "into the pit lane" in window.audit_model.index(0, 3).data()
    window.desk.undo_stack.undo()  # a wrong mark is taken back, and the log says so
    window.board_model.flush()
    assert window.board_model.index(row, Column.STATUS).data() == ""
    assert window.board_model.index(row, Column.PITS).data() == ""


def test_laps_not_seen_are_marked_on_the_board(
    make_controller, show_window, tmp_path, qtbot
) -> None:
    mapper = RMonitorMapper()
    mapper.take(parse_bytes(JOINED_LATE))
    [session] = mapper.sessions
    controller = make_controller(session.settings)
    window = show_window(controller)
    assert controller.submit(session.events)
    window.board_model.flush()
    laps = window.board_model.index(0, Column.LAPS)
    assert laps.data() == "53*"
    assert laps.data(Qt.ItemDataRole.ToolTipRole).endswith("laps 1 to 52")
    assert window.header.unseen.text() == "103 laps not seen here *"
    numbers, _seconds = window.series.laps("31")
    assert list(numbers) == [53.0]  # the chart shows only laps timed here
