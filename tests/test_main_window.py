"""The real window: header, flag, board mode, settings, the demo, and a screenshot to look at."""

from __future__ import annotations

from race_scripts import QUARTER_MILE_RACE, three_car_race

from timingboard.engine import Flag, FlagChanged, Passing
from timingboard.qt.leaderboard_model import Column


def test_flag_and_header_follow_the_session(make_controller, show_window, tmp_path, qtbot) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    window = show_window(controller)
    assert window.header.flag.text().strip() == "NO FLAG"
    controller.submit(three_car_race())
    assert window.header.flag.text().strip() == "GREEN"
    assert "#1f9d45" in window.header.flag.styleSheet()
    controller.submit([FlagChanged(time_ms=60000, flag=Flag.YELLOW)])
    assert window.header.flag.text().strip() == "YELLOW"
    assert window.header.remaining.text() == "6 laps to go"
    assert window.header.passings.text() == "15 passings"
    assert window.header.best.text() == "Session best: #2 Driver 2  13.900  64.748 mph"


def test_a_refused_entry_is_shown_in_the_status_bar(
    make_controller, show_window, tmp_path, qtbot
) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    window = show_window(controller)
    assert not controller.submit([Passing(time_ms=-5, car="1")])
    assert "outside the session" in window.statusBar().currentMessage()


def test_board_mode_is_the_wall_scoreboard_without_the_chart(
    make_controller, show_window, tmp_path, qtbot
) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    window = show_window(controller)
    desk = window.board.font().pointSize()
    window.board_mode_action.trigger()
    screen = window.screen().geometry()
    qtbot.waitUntil(lambda: window.scoreboard.table.width() >= screen.width() - 20)
    # the offscreen screen is 800 px wide: the driver's column, not the height, sets the type
    assert window.scoreboard.table.font().pointSize() >= desk * 1.4
    assert window.scoreboard.isVisible() and not window.chart.isVisible()
    window.set_board_mode(False)
    assert window.board.font().pointSize() == desk
    assert window.chart.isVisible() and not window.scoreboard.isVisible()


def test_columns_and_theme_are_remembered(make_controller, show_window, tmp_path, qtbot) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    window = show_window(controller)
    assert window.board.isColumnHidden(Column.TEAM)
    window.column_actions[Column.TEAM].setChecked(True)
    window.theme_actions["light"].trigger()
    window.close()
    again = show_window(controller)
    assert not again.board.isColumnHidden(Column.TEAM)
    assert again.board.isColumnHidden(Column.MAKE)
    assert again.theme_actions["light"].isChecked()


def test_columns_are_saved_by_their_id_and_old_layouts_by_title_still_read(
    make_controller, show_window, tmp_path, qtbot
) -> None:
    from PySide6.QtCore import QSettings

    controller = make_controller(QUARTER_MILE_RACE)
    window = show_window(controller)
    window.column_actions[Column.TEAM].setChecked(True)
    window.close()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert "team" in settings.value("board/columns", [], type=list)
    settings.setValue("board/columns", ["Make"])  # as an earlier version saved it
    settings.sync()
    again = show_window(controller)
    assert not again.board.isColumnHidden(Column.MAKE)
    assert again.board.isColumnHidden(Column.TEAM)


def test_screenshot_of_the_real_window(make_controller, show_window, tmp_path, qtbot) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    window = show_window(controller)
    window.resize(1280, 800)
    controller.submit(three_car_race())
    window.board_model.flush()
    window.series.flush()
    shot = tmp_path / "window.png"
    assert window.grab().save(str(shot))
    assert shot.stat().st_size > 10_000


def test_new_and_open_session_from_the_file_menu(
    make_controller, show_window, tmp_path, qtbot, monkeypatch
):
    from race_scripts import QUARTER_MILE_QUALIFYING

    controller = make_controller(QUARTER_MILE_RACE)
    window = show_window(controller)
    explained: list[str] = []
    monkeypatch.setattr(window.session_actions, "_explain", explained.append)
    path = tmp_path / "practice.tbs"
    assert window.session_actions.new_session(QUARTER_MILE_QUALIFYING, path)
    assert controller.engine.settings == QUARTER_MILE_QUALIFYING
    assert window.header.session.text() == "Clash qualifying"
    controller.submit(three_car_race()[:5])
    foreign = tmp_path / "notes.tbs"
    foreign.write_text("not a session")
    assert not window.session_actions.open_session(foreign)
    assert explained and "not a timingboard session" in explained[0]
    assert controller.engine.settings == QUARTER_MILE_QUALIFYING  # still on the good one
    assert window.session_actions.open_session(path)
    assert len(controller.engine.passings) == 1


def test_header_counts_down_to_the_end_of_the_stage(
    make_controller, show_window, tmp_path, qtbot
) -> None:
    import dataclasses

    controller = make_controller(dataclasses.replace(QUARTER_MILE_RACE, stage_laps=(3, 7)))
    window = show_window(controller)
    controller.submit(three_car_race())  # the leader has 4 laps of 10
    assert window.header.remaining.text() == "6 laps to go · stage 2 ends in 3"
