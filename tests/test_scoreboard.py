"""The wall scoreboard as race control reads it: pages, the flag band, the class in colour."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QStyleOptionHeader, QStyleOptionViewItem
from race_scripts import QUARTER_MILE_RACE, laps_at, merged_in_time, two_class_race

from timingboard.engine import CompetitorSet, Flag, FlagChanged
from timingboard.qt.leaderboard_model import Column, LeaderboardModel
from timingboard.qt.theme import DARK
from timingboard.text.board_text import short_class
from timingboard.widgets.scoreboard import SCOREBOARD_COLUMNS, Scoreboard


def big_field(cars: int = 40) -> list:
    field = [CompetitorSet(key=str(n), car=str(n), driver=f"Driver Number{n}") for n in range(cars)]
    passings = merged_in_time(*(laps_at(str(n), 100 * n, 14_000 + 10 * n, 3) for n in range(cars)))
    return [*field, FlagChanged(time_ms=0, flag=Flag.GREEN), *passings]


def _scoreboard(controller, qtbot, width=1280, height=800, dwell_ms=10_000) -> Scoreboard:
    model = LeaderboardModel(controller)
    board = Scoreboard(controller, model, dwell_ms=dwell_ms)
    model.setParent(board)
    qtbot.addWidget(board)
    board.resize(width, height)
    board.show()
    qtbot.waitExposed(board)
    model.flush()
    for _ in range(3):  # the band takes the table's type size: let the layout settle
        QApplication.processEvents()
    return board


def test_a_field_taller_than_the_screen_pages_by_itself(make_controller, qtbot) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    controller.submit(big_field(40))
    board = _scoreboard(controller, qtbot)
    table = board.table
    per_page = table.rows_per_page()
    assert 10 <= per_page < 20  # 24 pt rows on 800 px
    pages = -(-40 // per_page)
    assert board.band.page.text() == f"page 1/{pages}"
    assert table.rows_shown() == list(range(per_page))
    with qtbot.waitSignal(board.page_changed, timeout=2000) as changed:
        board.set_dwell(50)  # the dwell runs out: the next page, without a key pressed
    board.set_dwell(10_000)
    assert changed.args == [1, pages]
    assert board.band.page.text() == f"page 2/{pages}"
    assert table.rows_shown()[0] == per_page
    shown = [table.model().index(r, Column.POSITION).data() for r in table.rows_shown()]
    assert shown[0] == str(per_page + 1)
    for _ in range(pages - 1):
        board.next_page()
    assert board.page == 0 and table.rows_shown()[0] == 0  # round again from the top
    board.close()


def test_a_field_that_fits_shows_no_pages(make_controller, qtbot) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    controller.submit(big_field(8))
    board = _scoreboard(controller, qtbot)
    assert board.band.page.text() == ""
    assert len(board.table.rows_shown()) == 8
    board.close()


def test_the_band_is_in_the_flag_colour(make_controller, qtbot) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    controller.submit(big_field(3))
    board = _scoreboard(controller, qtbot)
    assert board.band.flag_label.text() == "GREEN"
    for at, flag in enumerate(
        (Flag.YELLOW, Flag.RED, Flag.GREEN, Flag.WHITE, Flag.CHECKERED), start=1
    ):
        controller.submit([FlagChanged(time_ms=60_000 + at, flag=flag)])
        assert board.band.background().name() == DARK.flags[flag][0]
        image = board.band.grab().toImage()
        corner = image.pixelColor(2, 2).name()
        assert corner == DARK.flags[flag][0] or flag is Flag.CHECKERED
    assert board.band.flag_label.text() == "CHECKERED"
    assert "background:#111111" in board.band.flag_label.styleSheet()  # boxed, readable
    board.close()


def test_classes_show_short_in_their_colour(make_controller, qtbot) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    controller.submit(two_class_race())
    board = _scoreboard(controller, qtbot)
    table = board.table
    assert not table.isColumnHidden(Column.CLASS)
    assert table.isColumnHidden(Column.TEAM) and table.isColumnHidden(Column.SPEED)
    colour = table.model().index(0, Column.CLASS).data(Qt.ItemDataRole.BackgroundRole)
    assert colour is not None
    index = table.model().index(0, Column.CLASS)
    option = QStyleOptionViewItem()
    table.itemDelegateForColumn(Column.CLASS).initStyleOption(option, index)
    assert option.text == "GT ◆"  # short text, on the class colour
    assert [short_class(n) for n in ("GT3 Pro-Am", "GT3 Pro", "Pro Am", "Touring", "LMP2")] == [
        "GT3PA",
        "GT3P",
        "ProA",
        "Tour",
        "LMP2",
    ]
    board.close()


def test_no_sliver_of_the_next_pages_first_row_shows_at_the_bottom(make_controller, qtbot) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    controller.submit(big_field(40))
    for height in (800, 1080, 1017):  # whatever whole rows leave over
        board = _scoreboard(controller, qtbot, width=1920, height=height)
        table = board.table
        row_height = table.verticalHeader().defaultSectionSize()
        below = table.rows_per_page() * row_height
        image = table.viewport().grab().toImage()
        left_over = image.height() - below
        assert table.rowViewportPosition(table.rows_per_page()) == below  # the next row is there
        base = table.palette().base().color().rgb()
        for y in range(below, image.height()):
            for x in range(0, image.width(), 97):
                assert image.pixel(x, y) == base, (height, left_over, x, y)
        board.close()


def test_a_hidden_scoreboard_is_measured_when_shown_not_at_each_reset(
    make_controller, qtbot, tmp_path, monkeypatch
) -> None:
    """A replay's seek resets the board: a scoreboard no one sees measured its columns each
    time (~10 ms); it is measured when shown again, and then shows the classes."""
    from timingboard.store import SessionRecorder

    controller = make_controller(QUARTER_MILE_RACE)
    controller.submit(big_field(10))
    board = _scoreboard(controller, qtbot)
    assert board.table.isColumnHidden(Column.CLASS)
    board.hide()
    fits: list[int] = []
    fit = board.table.fit_columns
    monkeypatch.setattr(board.table, "fit_columns", lambda: fits.append(1) or fit())
    classes = SessionRecorder.create(tmp_path / "classes.tbs", QUARTER_MILE_RACE)
    classes.submit(two_class_race())
    controller.load(classes)
    assert fits == [] and board.table.isColumnHidden(Column.CLASS)  # not measured unseen
    board.show()
    qtbot.waitExposed(board)
    assert not board.table.isColumnHidden(Column.CLASS)  # measured when shown: two classes
    board.close()


def _filled(board: Scoreboard) -> float:
    """The share of the table's height its titles and rows on screen take."""
    table = board.table
    rows = len(table.rows_shown()) * table.verticalHeader().defaultSectionSize()
    return (table.horizontalHeader().height() + rows) / table.height()


@pytest.mark.parametrize("cars", [40, 20, 9])
def test_a_small_field_fills_the_wall_in_larger_type_and_a_big_one_still_pages(
    make_controller, qtbot, cars
) -> None:
    """A 9-car heat on a 1920x1080 wall filled its top 45% in 40 px rows, the rest empty;
    20 cars paged 16 and 4."""
    controller = make_controller(QUARTER_MILE_RACE)
    controller.submit(big_field(cars))
    board = _scoreboard(controller, qtbot, width=1920, height=1080)
    table = board.table
    assert table.driver_has_room()
    if cars == 40:  # as before: its usual type (27 pt on 1080 px), paged
        assert table.point_size >= 24 and table.page_count() == 3
        assert len(table.rows_shown()) == table.rows_per_page() >= 14
    else:  # one page, every car on it, the rows filling the height
        assert board.band.page.text() == "" and len(table.rows_shown()) == cars
        # 9: larger, as far as every column reads whole at the width ("Driver Number8")
        assert _filled(board) >= {20: 0.85, 9: 0.75}[cars], _filled(board)
        assert table.point_size >= {20: 21, 9: 30}[cars]  # 20: a little smaller
    board.close()


def test_a_car_joining_a_small_field_keeps_it_on_one_page(make_controller, qtbot) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    controller.submit(big_field(9))
    board = _scoreboard(controller, qtbot, width=1920, height=1080)
    before = board.table.point_size
    controller.submit([CompetitorSet(key="late", car="77", driver="Late Entry")])
    board._model.flush()
    QApplication.processEvents()
    table = board.table
    assert len(table.rows_shown()) == 10 and table.page_count() == 1  # not a page of its own
    assert table.point_size <= before and _filled(board) >= 0.75
    board.close()


def _finished_heat(make_controller):
    """The demo's heat with the longest names (Ricky Stenhouse Jr., Martin Truex Jr.), run to
    its checkered flag, as ``timingboard open`` finds it."""
    from timingboard.demo.clash import FIELD, heat_race

    cars = {driver: car for car, driver, *_ in FIELD}
    grid = [
        cars[d]
        for d in (
            "Kyle Larson", "Martin Truex Jr.", "Kyle Busch", "Austin Cindric", "Kevin Harvick",
            "Ricky Stenhouse Jr.", "Austin Dillon", "BJ McLeod", "Chase Elliott",
        )
    ]  # fmt: skip
    heat = heat_race(grid)
    controller = make_controller(heat.settings)
    controller.submit(list(heat.competitors))
    controller.submit([event for _, event in heat.events])
    return controller, heat


@pytest.mark.parametrize("size", [(1920, 1080), (1600, 1000)])
def test_a_small_fields_type_grows_only_as_far_as_every_column_reads_whole(
    make_controller, qtbot, tmp_path, size
) -> None:
    """A finished 9-car heat at 1920x1080 grew to 38 pt: the header read "St", every row
    "Fin", the band "Busch Light Clas…" (1600 px: "R. Stenhouse Jr." too)."""
    from board_probe import shown_text

    controller, heat = _finished_heat(make_controller)
    board = _scoreboard(controller, qtbot, width=size[0], height=size[1])
    table = board.table
    model = table.model()
    board.grab().save(str(tmp_path / f"wall_{size[0]}.png"))
    assert len(table.rows_shown()) == 9 and board.band.page.text() == ""
    assert table.point_size > 27  # still larger than a big field's type
    assert _filled(board) >= 0.65, _filled(board)  # 1920: 34 pt, 79%; 1600: 68%
    for row in range(model.rowCount()):
        for column in SCOREBOARD_COLUMNS:
            if table.isColumnHidden(column):
                continue
            assert shown_text(table, row, column) == str(model.index(row, column).data() or "")
    statuses = {model.index(r, Column.STATUS).data() for r in range(model.rowCount())}
    assert "Finished" in statuses
    header = table.horizontalHeader()
    option = QStyleOptionHeader()
    header.initStyleOptionForIndex(option, Column.STATUS)
    assert option.text == "Status"  # type: ignore[attr-defined]
    title_room = header.sectionSize(Column.STATUS)
    assert QFontMetrics(header.font()).horizontalAdvance("Status") < title_room
    assert board.band.session.text() == heat.settings.name == "Busch Light Clash - Heat 1"
    assert board.band.remaining.text() == "Finished"
    board.close()


def test_a_three_car_race_with_short_names_grows_further(make_controller, qtbot) -> None:
    controller, _heat = _finished_heat(make_controller)
    nine = _scoreboard(controller, qtbot, width=1920, height=1080).table.point_size
    small = make_controller(QUARTER_MILE_RACE, name="three.tbs")
    small.submit(big_field(3))
    board = _scoreboard(small, qtbot, width=1920, height=1080)
    assert board.table.point_size > nine and board.table.driver_has_room()
    board.close()
