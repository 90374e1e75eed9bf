"""Columns that fit: at 1280x800 (and at 2x) no cell is cut; names shorten by rule."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from board_probe import (
    classed_clash,
    cut_cells,
    demo_heat_window,
    shown_text,
    ts_for_every_timed_car,
    unreadable_drivers,
)
from PySide6.QtCore import Qt
from race_scripts import QUARTER_MILE_RACE, three_car_race, two_class_race

from timingboard.qt.leaderboard_model import CLASS_COLUMNS, Column
from timingboard.text.board_text import name_forms


def test_names_shorten_by_rule() -> None:
    assert name_forms("Justin Haley") == ["Justin Haley", "J. Haley", "HALEY", "HAL"]
    assert name_forms("Ricky Stenhouse Jr.")[1:3] == ["R. Stenhouse Jr.", "STENHOUSE JR."]
    assert name_forms("Haley") == ["Haley", "HALEY", "HAL"]
    assert name_forms("") == [""]


def test_a_team_or_a_car_in_the_name_fields_shortens_after_a_word_never_to_initials() -> None:
    # Endurance feeds send a team and a car as the driver ("AAG Racing/Clarke Motorsports"
    # "1997 Miata (Black)"): the board showed "A. R. M. 1. M. (Black)" and "(BLACK)".
    assert name_forms("Flatout Racing 2009 Mazda Miata (silver)")[1:] == [
        "Flatout Racing 2009 Mazda Miata…",
        "Flatout Racing 2009 Mazda…",
        "Flatout Racing 2009…",
        "Flatout Racing…",
        "Flatout…",
    ]
    assert name_forms("North Loop Motorsport") == ["North Loop Motorsport", "North Loop…", "North…"]
    assert name_forms("van Oord / L. Neiman")[-2:] == ["van Oord…", "van…"]  # no cut at "/"
    assert name_forms("Jean-Éric Vergne")[1] == "J. Vergne"  # a person's name still shortens
    assert name_forms("Conor O'Neil")[1] == "C. O'Neil"


def test_a_narrow_board_cuts_a_team_name_after_a_word(tmp_path, qtbot) -> None:
    window, controller = demo_heat_window(tmp_path)
    qtbot.addWidget(window)
    board = window.board
    before = controller.engine.competitors["31"]
    team_car = "Flatout Racing 2009 Mazda Miata (silver)"
    assert window.entries.desk.set_entry(replace(before, driver=team_car))
    row = window.board_model.row_of("31")
    qtbot.waitUntil(lambda: window.board_model.index(row, Column.DRIVER).data() == team_car)
    header = board.horizontalHeader()
    header.setSectionResizeMode(Column.DRIVER, header.ResizeMode.Interactive)
    board.setColumnWidth(
        Column.DRIVER, board.fontMetrics().horizontalAdvance("Flatout Racing…") + 12
    )
    assert shown_text(board, row, Column.DRIVER) == "Flatout Racing…"
    window.close()
    controller.close()


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
    # inserted by the loop's own read, so not counted: why first, and that it was corrected
    assert shown_text(log, inserted, PassingColumn.STATUS) == "double read (ins.)"
    status = model.index(inserted, PassingColumn.STATUS).data()
    assert status == "double read"  # the model keeps its own
    assert shown_text(log, deleted, PassingColumn.STATUS) == "deleted"
    log.scrollTo(model.index(inserted, PassingColumn.STATUS))
    centre = log.visualRect(model.index(inserted, PassingColumn.STATUS)).center()
    help_event = QHelpEvent(QEvent.Type.ToolTip, centre, log.viewport().mapToGlobal(centre))
    QApplication.sendEvent(log.viewport(), help_event)
    assert tips == ["double read — inserted"]
    window.close()
    controller.close()


# --- the room shared: every driver named, no scroll bar across, what gave way said ------------


def _names_every_driver(window) -> None:
    """What the user sees on the desk board: every driver by at least the whole surname, not a
    cell cut, not a scroll bar across."""
    board = window.board
    assert unreadable_drivers(board) == []
    assert cut_cells(board) == []
    assert not board.horizontalScrollBar().isVisible()


def _header_tip(window, column: Column, monkeypatch) -> str:
    """The tooltip the header shows over a column's title (offscreen has no tooltip window)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication

    from timingboard.widgets import leaderboard_view

    tips: list[str] = []
    monkeypatch.setattr(
        leaderboard_view.QToolTip, "showText", lambda _pos, text, *_args: tips.append(text)
    )
    header = window.board.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    point = header.rect().center()
    point.setX(x)
    event = QHelpEvent(QEvent.Type.ToolTip, point, header.viewport().mapToGlobal(point))
    QApplication.sendEvent(header.viewport(), event)
    return tips[-1] if tips else ""


def test_a_class_session_opened_at_1280_by_800_names_every_driver(
    tmp_path, qtbot, monkeypatch
) -> None:
    """``open`` on a session with classes: columns that matter less give way for the driver's
    name, the header and View ▸ Columns say so, and they come back on a wider window."""
    from journey import open_window

    path, _ = classed_clash(tmp_path)
    window = open_window(path, tmp_path / "settings.ini")
    qtbot.addWidget(window)
    window.showNormal()  # shown by `open` (maximized on the small test screen)
    window.resize(1280, 800)
    window.show()
    qtbot.waitUntil(lambda: window.board_model.rowCount() == 36)
    qtbot.waitUntil(lambda: unreadable_drivers(window.board) == [])  # within a second's fit
    qtbot.waitUntil(lambda: not window.board.horizontalScrollBar().isVisible(), timeout=5000)
    _names_every_driver(window)
    given = window.board.given_way()
    assert given and given[0] is Column.SPEED  # the least needed went first
    assert not any(c in given for c in (Column.CLASS, Column.CLASS_POSITION, Column.GAP))
    window.board.setMaximumWidth(560)  # qualifying is ranked by the best lap: it never gives way
    qtbot.waitUntil(lambda: Column.CLASS_GAP in window.board.given_way())  # Best lap's turn
    assert not window.board.isColumnHidden(Column.BEST_LAP)
    assert "Best lap" not in window.given_way_action.text()
    window.board.setMaximumWidth(16777215)
    qtbot.waitUntil(lambda: window.board.given_way() == given)
    said = window.given_way_action  # View ▸ Columns says what gave way
    assert said.isVisible() and said.text().startswith("Hidden for lack of room: Speed")
    assert said in window.column_actions[Column.CLASS].associatedObjects()[0].actions()
    assert window.column_actions[Column.CLASS].text() == "Class"
    tip = _header_tip(window, Column.DRIVER, monkeypatch)
    assert tip.startswith("Driver (shortened to fit")
    assert "Hidden for lack of room: Speed" in tip
    window.resize(1800, 1000)  # room again: all come back
    qtbot.waitUntil(lambda: window.board.given_way() == [])
    assert not window.board.isColumnHidden(Column.SPEED)
    assert not window.given_way_action.isVisible()
    _names_every_driver(window)
    assert "Hidden" not in _header_tip(window, Column.DRIVER, monkeypatch)
    window.close()
    window.controller.close()


def test_connect_with_the_timing_systems_column_names_every_driver(tmp_path, qtbot) -> None:
    """``connect`` to a timing system serving a class session: the TS column is shown beside
    the class columns, and still every driver is named, with no scroll bar across."""
    from PySide6.QtCore import QSettings

    from timingboard.app.run import build_connect_window
    from timingboard.qt.rmonitor_server import RMonitorServer
    from timingboard.qt.session_controller import SessionController
    from timingboard.store import SessionRecorder

    _path, (session, events) = classed_clash(tmp_path)
    (tmp_path / "up").mkdir()
    upstream = SessionController(SessionRecorder.create(tmp_path / "up" / "q.tbs", session))
    upstream.submit(events)
    server = RMonitorServer(upstream)
    assert server.listen(0)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window, _drop_blank = build_connect_window(tmp_path / "feed", settings)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.feed.follow("127.0.0.1", server.port, tmp_path / "feed")
    model = window.board_model
    qtbot.waitUntil(lambda: ts_for_every_timed_car(model, 36), timeout=20_000)
    assert not window.board.isColumnHidden(Column.OFFICIAL)
    assert not window.board.isColumnHidden(Column.CLASS)
    qtbot.waitUntil(lambda: unreadable_drivers(window.board) == [])
    _names_every_driver(window)
    assert Column.OFFICIAL not in window.board.given_way()  # TS never gives way
    window.feed.disconnect_feed()
    window.close()
    window.controller.close()
    server.close()
    upstream.close()


@pytest.mark.parametrize("ratio", [1, 2], ids=["1x", "2x"])
def test_open_and_connect_on_a_1280_by_800_screen_hold_on_the_desk_and_the_wall(
    tmp_path, ratio
) -> None:
    """As a user first sees it: maximized on a 1280x800 screen (at 1x and 2x), the desk board
    and the wall (F11) name every driver, cut nothing, and never scroll across; the Event tab
    shows the status of sessions added to it whole."""
    config = tmp_path / "screen.json"  # 1280x800 once scaled (the offscreen dpr is not used)
    screen = {"name": "desk", "x": 0, "y": 0, "width": 1280 * ratio, "height": 800 * ratio}
    config.write_text(json.dumps({"screens": [screen | {"logicalDpi": 96, "logicalBaseDpi": 96}]}))
    env = os.environ | {
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
        "QT_SCALE_FACTOR": str(ratio),
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    probe = Path(__file__).with_name("fit_probe.py")
    done = subprocess.run(
        [sys.executable, str(probe), str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["connect"]["followed"], seen
    for command in ("open", "connect"):
        desk, wall = seen[command]["desk"], seen[command]["wall"]
        assert desk["ratio"] == ratio and desk["rows"] == wall["rows"] == 36, desk
        assert desk["window"][0] <= 1280, desk
        for where in (desk, wall):
            assert where["unreadable"] == [], (command, where)
            assert where["cut"] == [], (command, where)
            assert not where["scroll_bar_across"], (command, where)
        assert (tmp_path / f"{command}-desk.png").stat().st_size > 10_000
    # the Event tab: sessions written beside the open one after its list scrolled ("Next
    # session from these results"), Refresh clicked: "scheduled", not "sched…"
    assert seen["event"]["statuses"][-2:] == ["scheduled"] * 2, seen["event"]
    assert seen["event"]["cut"] == [], seen["event"]


# --- the Corrections tab ------------------------------------------------------------------------


def test_reasons_given_after_the_list_scrolls_are_shown_whole(tmp_path, qtbot) -> None:
    """The walk's Corrections tab: after a few penalties (the list scrolls), entries edited in
    the Entries editor had their reason ("driver changed in the Entries editor") cut to
    "driver, t…" in a column as narrow as "jump start"."""
    from dataclasses import replace

    from journey import open_window

    from timingboard.engine import TimePenalty
    from timingboard.qt.audit_model import AuditColumn

    path, _ = classed_clash(tmp_path)
    window = open_window(path, tmp_path / "settings.ini")
    qtbot.addWidget(window)
    window.showNormal()  # shown by `open` (maximized on the small test screen)
    window.resize(1280, 800)
    window.show()
    window.docks["audit"].raise_()  # the Corrections tab clicked
    audit = window.audit
    for n in range(8):  # as the penalty dialog's OK makes them
        window.desk.correct(TimePenalty(key="31", ms=1000 + n), "jump start")
    qtbot.waitUntil(lambda: audit.verticalScrollBar().isVisible())
    entries = window.entries.desk  # the Entries editor's cell edits, one car after another
    for car in ("8", "20", "24"):
        before = window.controller.engine.competitors[car]
        assert entries.set_entry(replace(before, driver=before.driver + " Jr."))
    model = audit.model()
    qtbot.waitUntil(lambda: model.rowCount() == 11)
    reasons = [model.index(r, AuditColumn.REASON).data() for r in range(model.rowCount())]
    assert reasons[-1] == "driver changed in the Entries editor"
    for row, reason in enumerate(reasons):
        assert shown_text(audit, row, AuditColumn.REASON) == reason
    assert cut_cells(audit) == []
    assert not audit.horizontalScrollBar().isVisible()
    window.close()
    window.controller.close()


def test_a_correction_too_long_for_the_tab_is_cut_with_its_whole_text_in_the_tooltip(
    tmp_path, qtbot
) -> None:
    from dataclasses import replace

    from journey import open_window

    from timingboard.qt.audit_model import AuditColumn

    path, _ = classed_clash(tmp_path)
    window = open_window(path, tmp_path / "settings.ini")
    qtbot.addWidget(window)
    window.showNormal()  # shown by `open` (maximized on the small test screen)
    window.resize(1280, 800)
    window.show()
    window.docks["audit"].raise_()
    before = window.controller.engine.competitors["47"]
    changed = replace(
        before,
        driver="Ricky Stenhouse Jr.",
        team="JTG Daugherty Racing with Kroger and Kleenex",
        make="Chevrolet",
        car_class="Chevrolet Camaro ZL1 Next Gen",
        transponders=("1001747", "2001747"),
    )
    assert window.entries.desk.set_entry(changed)
    audit, model = window.audit, window.audit.model()
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    reason = model.index(0, AuditColumn.REASON).data()
    assert shown_text(audit, 0, AuditColumn.REASON) == reason  # the reason, whole
    correction = model.index(0, AuditColumn.ACTION)
    shown = shown_text(audit, 0, AuditColumn.ACTION)
    assert shown == correction.data() or shown.endswith("…")  # one line, cut with "…"
    assert correction.data(Qt.ItemDataRole.ToolTipRole) == correction.data()
    assert not audit.horizontalScrollBar().isVisible()
    window.close()
    window.controller.close()


def test_the_passings_log_names_every_driver_by_the_boards_rule(tmp_path, qtbot) -> None:
    """The Passings dock at 1280x800: "A. Allmendinger" (or the whole name), never "ALL"; the
    same rule as the board's Driver column (the whole surname), nothing cut on the board."""
    from journey import open_window

    from timingboard.qt.passings_model import PassingColumn
    from timingboard.text.board_text import readable_forms

    path, _ = classed_clash(tmp_path)  # every driver of the evening, as ``open`` finds them
    window = open_window(path, tmp_path / "settings.ini")
    qtbot.addWidget(window)
    window.showNormal()  # shown by `open` (maximized on the small test screen)
    window.resize(1280, 800)
    window.show()
    window.docks["passings"].raise_()
    log, model = window.passings_log, window.passings_model
    qtbot.waitUntil(lambda: model.rowCount() > 100)

    def unreadable() -> list[str]:
        bad = []
        for row in range(model.rowCount()):
            full = str(model.index(row, PassingColumn.DRIVER).data() or "")
            shown = shown_text(log, row, PassingColumn.DRIVER)
            if full and full != "?" and shown not in readable_forms(full):
                bad.append(f"{full!r} shown as {shown!r}")
        return sorted(set(bad))

    fulls = {str(model.index(r, PassingColumn.DRIVER).data()) for r in range(model.rowCount())}
    assert "AJ Allmendinger" in fulls

    def every_driver_named() -> None:
        assert unreadable() == []

    qtbot.waitUntil(every_driver_named)
    row = next(
        r
        for r in range(model.rowCount())
        if model.index(r, PassingColumn.DRIVER).data() == "AJ Allmendinger"
    )
    assert shown_text(log, row, PassingColumn.DRIVER) in ("AJ Allmendinger", "A. Allmendinger")
    assert unreadable_drivers(window.board) == [] and cut_cells(log) == []
    window.close()
    window.controller.close()


def test_the_passings_log_never_cuts_a_car_number(tmp_path, qtbot) -> None:
    """The walk reported "9…" for 2-3 digit numbers in the Car column at the default window
    size: every number is drawn whole, the 3-digit ones passing after the 1-digit ones."""
    from journey import open_window
    from race_scripts import QUARTER_MILE_RACE, field, laps_at, merged_in_time

    from timingboard.qt.passings_model import PassingColumn
    from timingboard.store import SessionRecorder

    cars = ["9", "7", "99", "911", "108"]
    singles = merged_in_time(
        *(laps_at(car, 1000 + i * 50, 14_000, 30) for i, car in enumerate(cars[:2]))
    )
    late = merged_in_time(
        *(laps_at(car, 500_000 + i * 50, 14_000, 2) for i, car in enumerate(cars[2:]))
    )
    recorder = SessionRecorder.create(tmp_path / "race.tbs", QUARTER_MILE_RACE)
    recorder.submit([*field(cars), *singles, *late])
    recorder.close()
    window = open_window(tmp_path / "race.tbs", tmp_path / "settings.ini")
    qtbot.addWidget(window)
    window.showNormal()  # shown by `open` (maximized on the small test screen)
    window.resize(1280, 800)
    window.show()
    window.docks["passings"].raise_()
    log, model = window.passings_log, window.passings_model
    qtbot.waitUntil(lambda: model.rowCount() > 60)
    qtbot.wait(20)  # the first layout done

    def shown_cars() -> set[str]:
        return {shown_text(log, row, PassingColumn.CAR) for row in range(model.rowCount())}

    assert shown_cars() == set(cars)  # never "9…" nor "1…"
    window.close()
    window.controller.close()


def test_a_car_known_by_its_transponder_keeps_the_car_column_to_car_numbers(
    tmp_path, qtbot
) -> None:
    """A capture imported and opened at 1280x800, one car timed by its transponder alone
    ("Tx4667026": the timing system had no car number for it): it made the Car column ~100 px
    wide for two-digit numbers and cut the drivers. Its Car cell reads "Tx", its Driver cell
    names the transponder, the whole of it in the tooltip; the wall says the same. (Sebring
    2009's "Tx4667026" is #87, whose $A names that transponder: no such car there now.)"""
    from board_probe import open_window

    capture = tmp_path / "capture.txt"
    capture.write_bytes(TX_STREAM)
    session = tmp_path / "race.tbs"
    command = [sys.executable, "-m", "timingboard", "import", str(capture), "-o", str(session)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    window = open_window(session, tmp_path / "settings.ini")
    qtbot.addWidget(window)
    window.showNormal()
    window.resize(1280, 800)
    window.show()
    model, board = window.board_model, window.board
    qtbot.waitUntil(lambda: model.rowCount() == 3)
    cars = [model.index(r, Column.CAR).data() for r in range(model.rowCount())]
    tx = cars.index("Tx")
    assert "Tx4667026" not in cars
    assert model.index(tx, Column.DRIVER).data() == "4667026 (transponder)"
    assert "Tx4667026" in model.index(tx, Column.CAR).data(Qt.ItemDataRole.ToolTipRole)
    numbers = max(board.fontMetrics().horizontalAdvance(c) for c in cars if c != "Tx")
    assert board.columnWidth(Column.CAR) < numbers + 40  # was ~100 px: "Tx4667026" in bold
    assert "Tx4667026" not in cut_cells(board) and "31" in cars  # real numbers whole
    window.set_board_mode(True)
    wall = window.scoreboard.table
    qtbot.waitUntil(wall.isVisible)
    assert wall.model().index(tx, Column.CAR).data() == "Tx"
    assert shown_text(wall, tx, Column.DRIVER).startswith("4667026")  # cut after the number
    window.close()
    window.controller.close()


def test_only_a_transponder_stand_in_reads_short_never_a_car_number() -> None:
    from timingboard.text.board_text import car_text, car_tooltip

    assert car_text("Tx4667026") == "Tx"
    assert car_tooltip("Tx4667026") == "Tx4667026: transponder 4667026, no car number known for it"
    for number in ("7", "00", "12345678", "Tx123456", "TX4667026", "Tx46670x6"):
        assert car_text(number) == number and car_tooltip(number) is None


TX_STREAM = (  # a car the timing system times by its transponder alone (Orbits' Tx<number>)
    b'$B,25,"Test Race"\r\n'
    b'$A,"31","31",1031,"Justin","Haley","USA",1\r\n'
    b'$A,"8","8",1008,"Kyle","Busch","USA",1\r\n'
    b'$F,9999,"00:00:00","12:00:00","00:00:00","Green "\r\n'
    b'$J,"31","00:00:00.000","00:00:02.051"\r\n'
    b'$J,"8","00:00:00.000","00:00:02.400"\r\n'
    b'$J,"Tx4667026","00:00:00.000","00:00:03.100"\r\n'
    b'$J,"31","00:00:13.413","00:00:15.464"\r\n'
    b'$J,"8","00:00:13.553","00:00:15.953"\r\n'
    b'$J,"Tx4667026","00:00:14.000","00:00:17.100"\r\n'
)


def test_the_passings_log_shows_a_transponder_car_as_the_board_does(tmp_path, qtbot) -> None:
    """A capture imported and opened at 1280x800: the log's Car column read "Tx4667026" whole
    (the board "Tx", the number on hover), so wide that it cut the drivers ("BUSCH")."""
    from board_probe import open_window

    from timingboard.qt.passings_model import PassingColumn
    from timingboard.text.board_text import readable_forms

    capture = tmp_path / "capture.txt"
    capture.write_bytes(TX_STREAM)
    session = tmp_path / "race.tbs"
    command = [sys.executable, "-m", "timingboard", "import", str(capture), "-o", str(session)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    window = open_window(session, tmp_path / "settings.ini")
    qtbot.addWidget(window)
    window.showNormal()
    window.resize(1280, 800)
    window.show()
    window.docks["passings"].raise_()
    log, model = window.passings_log, window.passings_model
    qtbot.waitUntil(lambda: model.rowCount() == 6)
    qtbot.wait(20)  # the first layout done
    rows = range(model.rowCount())
    cars = [shown_text(log, r, PassingColumn.CAR) for r in rows]
    assert sorted(set(cars)) == ["31", "8", "Tx"], cars
    tx = cars.index("Tx")
    tip = model.index(tx, PassingColumn.CAR).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "Tx4667026: transponder 4667026, no car number known for it"
    assert model.index(tx, PassingColumn.DRIVER).data() == "4667026 (transponder)"
    assert shown_text(log, tx, PassingColumn.DRIVER).startswith("4667026")
    assert "Tx4667026" in model.index(tx, PassingColumn.DRIVER).data(Qt.ItemDataRole.ToolTipRole)
    numbers = log.fontMetrics().horizontalAdvance("31")
    assert log.columnWidth(PassingColumn.CAR) < numbers + 30  # as narrow as the car numbers
    for r in rows:
        if cars[r] != "Tx":  # each driver by a readable form of the name, never cut
            full = str(model.index(r, PassingColumn.DRIVER).data())
            assert shown_text(log, r, PassingColumn.DRIVER) in readable_forms(full)[:2], full
    assert [c for c in cut_cells(log) if "4667026" not in c] == []
    window.close()
    window.controller.close()


@pytest.mark.parametrize("session", ["heat", "classed qualifying"])
def test_a_narrow_board_keeps_position_car_and_driver_readable(tmp_path, qtbot, session) -> None:
    """The window as narrow as it goes (its board ~430 px): Last lap, Gap, Int. and Status
    stayed and the drivers read "FRE", "G…" under a horizontal scroll bar. The less needed
    columns give way, in order, until position, car and driver read whole."""
    from board_probe import open_window

    if session == "heat":
        window, _controller = demo_heat_window(tmp_path)
    else:
        path, _ = classed_clash(tmp_path)
        window = open_window(path, tmp_path / "settings.ini")
    qtbot.addWidget(window)
    window.showNormal()
    window.resize(430, 800)  # as narrow as the window goes: the desk's docks keep their room
    window.show()
    board = window.board
    qtbot.waitUntil(lambda: board.viewport().width() < 480)  # a board this narrow
    qtbot.waitUntil(lambda: unreadable_drivers(board) == [])
    rows = range(board.model().rowCount())
    for column in (Column.POSITION, Column.CAR, Column.LAPS):
        assert not board.isColumnHidden(column)
        assert all("…" not in shown_text(board, r, column) for r in rows), column
    qtbot.waitUntil(lambda: not board.horizontalScrollBar().isVisible())  # nothing off the edge
    assert board.given_way()  # and the header says which columns gave way
    assert "come back when the board is wider" in board.given_way_note()
    window.close()
    window.controller.close()


def test_a_finished_car_with_both_penalties_is_read_whole_at_1280(tmp_path, qtbot) -> None:
    """The Status cell says the penalties in the sheet's words ("-2 laps", not "-2L"): the
    longest it reads, a finished car with a time penalty and laps taken, is cut nowhere at
    1280x800 and every driver is still named."""
    from timingboard.demo.clash import heat_lineups, heat_race, qualifying
    from timingboard.engine import TimingEngine
    from timingboard.engine.events import LapPenalty, LogEntry, TimePenalty

    window, controller = demo_heat_window(tmp_path)
    qtbot.addWidget(window)
    quali = qualifying()
    log = [*quali.competitors, *(e for _, e in quali.events)]
    order = TimingEngine.from_log(
        quali.settings, [LogEntry(i + 1, e) for i, e in enumerate(log)]
    ).order()
    heat = heat_race(heat_lineups(order)[0])
    controller.submit([e for t, e in heat.events if t > 262_000])  # to the checkered and after
    window.board_model.flush()
    finished = [
        r
        for r in range(window.board_model.rowCount())
        if window.board_model.index(r, Column.STATUS).data() == "Finished"
    ]
    assert finished
    key = window.board_model.standing_at(finished[-1]).key
    controller.submit([TimePenalty(key=key, ms=65_000), LapPenalty(key=key, laps=2)])
    window.board_model.flush()
    window.board._fit_columns()
    row = window.board_model.row_of(key)
    assert window.board_model.index(row, Column.STATUS).data() == "Finished +1:05.000 s -2 laps"
    assert cut_cells(window.board) == []
    assert unreadable_drivers(window.board) == []
    window.close()
    controller.close()
