"""Journeys with an entry list and an event, through the real window as the commands build it.

A session made by ``timingboard new --entries``, opened as ``timingboard open`` opens it, timed
by hand (numbers typed into whatever has the focus): the board has the names at once; an edit
typed into the Entries editor is a signed correction, undone with Ctrl+Z after a restart; an
event of qualifying, heats and feature is listed in the Event view with its statuses, and a
double-click opens a session.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from journey import close_session_window
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from timingboard.app.main_window import MainWindow
from timingboard.cli import main as timingboard
from timingboard.engine.events import Flag, FlagChanged, Passing
from timingboard.qt.audit_model import AuditColumn
from timingboard.store import SessionRecorder
from timingboard.text.board_columns import Column
from timingboard.text.entry_text import EntryColumn
from timingboard.text.event_text import EventColumn
from timingboard.text.passing_text import PassingColumn
from timingboard.widgets.column_mapping_dialog import ColumnMappingDialog

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (raise|grabbing)")

ENTRY_LIST = (
    "Car No.;First Name;Last Name;Team;Make;Class;Transponder\r\n"
    "31;Justin;Haley;Kaulig Racing;Chevrolet;Cup;1031\r\n"
    "16;AJ;Allmendinger;Kaulig Racing;Chevrolet;Cup;1016\r\n"
    "8;Kyle;Busch;Richard Childress Racing;Chevrolet;Cup;1008\r\n"
    "\r\n"
    "20;Christopher;Bell;Joe Gibbs Racing;Toyota;Cup;1020\r\n"
    "24;William;Byron;Hendrick Motorsports;Chevrolet;Cup;1024\r\n"
    "22;Joey;Logano;Team Penske;Ford;Cup;1022\r\n"
    "77;Jörg;Böhnemann;Team Ö;Porsche;GT3;5077\r\n"
).encode("cp1252")
SPLIT = "split across 2 heats in order"
TRANSFER = "top 2 of each heat transfer"


def command(home: Path, *args: str) -> None:
    """A command run as the user runs it: a new process."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(home))
    result = subprocess.run(
        [sys.executable, "-m", "timingboard", *args],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the focus"
    return widget


def type_number(qtbot, window: MainWindow, car: str) -> None:
    """A car number and Enter, typed into the Entry panel's field as the car crosses."""
    window.entry_panel.car_field.setFocus()  # the operator clicks into the Entry panel
    qtbot.waitUntil(lambda: focused() is window.entry_panel.car_field)
    qtbot.keyClicks(focused(), car)
    qtbot.keyClick(focused(), Qt.Key.Key_Return)


def type_keys(qtbot, text: str) -> None:
    """Each key into whatever has the focus when it is pressed (an editor opens on the first)."""
    for key in text:
        qtbot.keyClick(focused(), key)


SHIFT = Qt.KeyboardModifier.ShiftModifier


def audit_rows(window: MainWindow) -> list[tuple[str, ...]]:
    """The Corrections dock as the operator reads it: who, what, why, whether it stands."""
    model = window.audit_model
    columns = (AuditColumn.OPERATOR, AuditColumn.ACTION, AuditColumn.REASON, AuditColumn.STATE)
    return [tuple(model.index(row, c).data() for c in columns) for row in range(model.rowCount())]


def board(window: MainWindow) -> list[tuple[str, str]]:
    model = window.board_model
    model.flush()
    return [
        (str(model.index(r, Column.CAR).data()), str(model.index(r, Column.DRIVER).data()))
        for r in range(model.rowCount())
    ]


def logged_cars(window: MainWindow) -> list[str]:
    """The Passings log's car column, newest first as it shows them."""
    model = window.passings_log.model()
    return [str(model.index(r, PassingColumn.CAR).data()) for r in range(model.rowCount())]


def show_dock(qtbot, window: MainWindow, name: str) -> None:
    """View ▸ the dock (shown and raised, as its tab clicked)."""
    dock = window.docks[name]
    if not dock.isVisible():
        dock.toggleViewAction().trigger()
    dock.raise_()
    qtbot.waitUntil(dock.widget().isVisible)


def click_cell(qtbot, view, row: int, column: int) -> None:
    index = view.model().index(row, column)
    view.scrollTo(index)
    QTest.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
    )
    qtbot.waitUntil(lambda: view.currentIndex() == index)


def answer_next_dialog(qtbot, act) -> list[str]:
    """Whatever modal dialog opens next gets ``act`` done to it (as the user would)."""
    seen: list[str] = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, poll)
            return
        seen.append(dialog.windowTitle())
        act(dialog)

    QTimer.singleShot(0, poll)
    return seen


def test_a_new_session_with_an_entry_list_timed_by_hand_shows_the_names(
    qtbot, tmp_path, open_window
) -> None:
    (tmp_path / "entries.csv").write_bytes(ENTRY_LIST)
    command(tmp_path, "new", "heat-1.tbs", "--name", "Heat 1", "--laps", "25",
            "--track", "LA Coliseum", "--length", "0.25", "--entries", "entries.csv",
            "--min-lap", "0")  # typed at once, a lap apart: no minimum  # fmt: skip
    window = open_window(tmp_path / "heat-1.tbs")
    assert ("31", "Justin Haley") in board(window)  # names before the first car crosses
    assert ("77", "Jörg Böhnemann") in board(window)
    grid = window.entry_panel.grid
    assert list(grid.buttons) == ["8", "16", "20", "22", "24", "31", "77"]
    assert grid.buttons["31"].text() == "31\nHaley"
    window.entry_panel.flag_buttons[Flag.GREEN].click()
    for car in ("31", "8", "16", "31", "8", "16"):  # their first crossings, then lap 1
        type_number(qtbot, window, car)
    crossed = [("31", "Justin Haley"), ("8", "Kyle Busch"), ("16", "AJ Allmendinger")]
    qtbot.waitUntil(lambda: len(window.controller.engine.passings) == 6)
    assert board(window)[:3] == crossed, board(window)
    event = window.event_actions.model  # the Event view follows the open session's laps
    columns = (EventColumn.SESSION, EventColumn.STATUS, EventColumn.LAPS, EventColumn.WINNER)
    assert [event.index(0, c).data() for c in columns] == ["Heat 1", "live", "1", "31 Justin Haley"]
    # a typo: 13 is on nobody's car, and the panel says so loudly
    type_number(qtbot, window, "13")
    assert window.entry_panel.message.text().startswith("13? NOT ON THE ENTRY LIST")
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)  # set aside to retype: it was no car
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)  # and dropped (leaving would ask about it)
    assert "13" not in window.controller.engine.competitors
    assert window.entry_panel.message.text().startswith("Dropped the crossing typed as 13")

    # the operator fixes a name in the Entries editor during the session
    show_dock(qtbot, window, "entries")
    editor = window.entries.editor
    row = [r[0] for r in editor.rows_shown()].index("31")
    click_cell(qtbot, editor.table, row, EntryColumn.LAST)
    type_keys(qtbot, "Haly")  # a key typed on a cell edits it
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ("31", "Justin Haly") in board(window))
    assert window.entry_panel.car_field.text() == ""  # the keys were the cell's, not a car's
    close_session_window(window)

    # the edit is a correction like any other: signed with the operator's name, in the trail
    driver = "driver changed in the Entries editor"
    typo = ("Sam Steward", "Entry of car 31: Justin Haly, Kaulig Racing, Chevrolet, "
            "class Cup, transponder 1031", driver, "in force")  # fmt: skip
    assert audit_rows(window) == [typo]
    close_session_window(window)

    # after a restart, Ctrl+Z (the window's one undo) takes the typo back, and that is logged too
    window = open_window(tmp_path / "heat-1.tbs")
    assert ("31", "Justin Haly") in board(window)
    show_dock(qtbot, window, "entries")
    click_cell(qtbot, window.entries.editor.table, row, EntryColumn.TEAM)
    qtbot.keyClick(focused(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: ("31", "Justin Haley") in board(window))
    assert window.entries.editor.rows_shown()[row][:3] == ["31", "Justin", "Haley"]
    assert audit_rows(window)[0][3] == "undone"
    assert audit_rows(window)[1][:2] == ("Sam Steward", "Undo #1: " + typo[1])
    qtbot.keyClick(focused(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | SHIFT)
    qtbot.waitUntil(lambda: ("31", "Justin Haly") in board(window))  # and redone
    qtbot.keyClick(focused(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: ("31", "Justin Haley") in board(window))
    close_session_window(window)
    reopened = SessionRecorder.open(tmp_path / "heat-1.tbs")
    assert reopened.engine.competitors["31"].driver == "Justin Haley"
    assert reopened.engine.standing("31").laps == 1
    reopened.close()


def test_import_with_unknown_headers_asks_once_and_lists_bad_rows(
    qtbot, tmp_path, open_window
) -> None:
    command(tmp_path, "new", "practice.tbs", "--name", "Practice", "--kind", "practice")
    window = open_window(tmp_path / "practice.tbs")
    list_path = tmp_path / "registration.csv"
    list_path.write_text(
        "Startnummer,Pilot,Rennstall,Klasse\n31,Justin Haley,Kaulig,Cup\n8,Kyle Busch,RCR,Cup\n"
        "8,Kyle Busch again,RCR,Cup\n,Nobody,,\n",
        encoding="utf-8",
    )

    def map_columns(dialog: QDialog) -> None:
        assert isinstance(dialog, ColumnMappingDialog)
        pilot, team = dialog.choices["Pilot"], dialog.choices["Rennstall"]
        pilot.setCurrentIndex(pilot.findText("Driver (full name)"))
        team.setCurrentIndex(team.findText("Team"))
        answer_next_dialog(qtbot, take_good_rows)
        dialog.accept()

    def take_good_rows(box: QDialog) -> None:
        assert isinstance(box, QMessageBox)
        assert "2 rows cannot be imported" in box.text()
        assert "line 4: duplicate number 8" in box.informativeText()
        good = next(b for b in box.buttons() if b.text() == "Import the 2 good rows")
        good.click()

    titles = answer_next_dialog(qtbot, map_columns)
    assert window.entries.import_csv(str(list_path))
    assert titles == ["Columns of the entry list"]
    assert sorted(board(window)) == [("31", "Justin Haley"), ("8", "Kyle Busch")]
    assert window.controller.engine.competitors["31"].team == "Kaulig"
    # the same headers again: the mapping is remembered, no dialog
    list_path.write_text("Startnummer,Pilot,Rennstall\n16,AJ Allmendinger,Kaulig\n")
    assert window.entries.import_csv(str(list_path))
    assert window.controller.engine.competitors["16"].driver == "AJ Allmendinger"
    assert QApplication.activeModalWidget() is None


def finish(path: Path, cars: list[str], checkered: bool = True) -> None:
    """A session run: green, three laps each in this order, the checkered (if it ended)."""
    recorder = SessionRecorder.open(path)
    events: list = [FlagChanged(time_ms=0, flag=Flag.GREEN)]
    for lap in range(4):
        events += [Passing(time_ms=lap * 14_000 + i * 300, car=c) for i, c in enumerate(cars)]
    if checkered:
        events.append(FlagChanged(time_ms=4 * 14_000, flag=Flag.CHECKERED))
    recorder.submit(events)
    recorder.close()


def test_an_event_of_qualifying_heats_and_feature_in_the_event_view(
    qtbot, tmp_path, open_window
) -> None:
    (tmp_path / "entries.csv").write_bytes(ENTRY_LIST)
    command(tmp_path, "new", "qualifying.tbs", "--name", "Qualifying", "--kind", "qualifying",
            "--track", "LA Coliseum", "--length", "0.25", "--entries", "entries.csv")  # fmt: skip
    finish(tmp_path / "qualifying.tbs", ["31", "8", "20", "24", "16", "22", "77"])
    assert timingboard(["lineup", str(tmp_path / "qualifying.tbs"), "--rule", "split:2",
                        "--name", "Heat", "--laps", "25"]) == 0  # fmt: skip
    finish(tmp_path / "heat-1.tbs", ["31", "20", "16", "77"])
    finish(tmp_path / "heat-2.tbs", ["8", "24", "22"], checkered=False)  # still running
    heats = [str(tmp_path / "heat-1.tbs"), str(tmp_path / "heat-2.tbs")]
    feature = ["--rule", "transfer:2", "--name", "Feature", "--laps", "150"]
    assert timingboard(["lineup", *heats, *feature]) == 2  # heat 2 is not finished
    assert timingboard(["lineup", *heats, *feature, "--allow-unfinished"]) == 0
    window = open_window(tmp_path / "feature.tbs")
    show_dock(qtbot, window, "event")
    model = window.event_actions.model
    qtbot.waitUntil(lambda: not model.reading)  # the files are read in a worker
    rows = [
        tuple(model.index(r, c).data() for c in (EventColumn.SESSION, EventColumn.KIND,
              EventColumn.STATUS, EventColumn.LAPS, EventColumn.WINNER, EventColumn.MADE_FROM))
        for r in range(model.rowCount())
    ]  # fmt: skip
    assert rows == [
        ("Qualifying", "Qualifying", "finished", "3", "31 Justin Haley", ""),
        ("Heat 1", "Race", "finished", "3", "31 Justin Haley", f"qualifying ({SPLIT})"),
        ("Heat 2", "Race", "stopped", "3", "8 Kyle Busch", f"qualifying ({SPLIT})"),
        ("Feature", "Race", "scheduled", "", "", f"heat-1, heat-2 ({TRANSFER})"),
    ], rows
    assert "LA Coliseum 0.25 mi" in window.event_actions.view.title.text()
    view = window.event_actions.view.table
    index = model.index(1, EventColumn.SESSION)
    where = view.visualRect(index).center()  # a double-click: press, release, press again
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.waitUntil(lambda: window.controller.recorder.file.path.name == "heat-1.tbs")
    assert ("31", "Justin Haley") in board(window)


def test_file_new_session_takes_its_entries_from_a_csv_or_an_earlier_session(
    qtbot, tmp_path, open_window, monkeypatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    (tmp_path / "entries.csv").write_bytes(ENTRY_LIST)
    command(tmp_path, "new", "practice.tbs", "--name", "Practice", "--kind", "practice",
            "--track", "LA Coliseum", "--length", "0.25")  # fmt: skip
    window = open_window(tmp_path / "practice.tbs")

    def new_session(name: str, source: str, entries: Path, target: Path) -> None:
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))

        def fill_in(form: QDialog) -> None:
            assert form.windowTitle() == "New session"
            form.name.selectAll()
            qtbot.keyClicks(form.name, name)
            form.track.clear()  # no track of its own: the event's is inherited
            form.entries_from.setCurrentIndex(form.entries_from.findText(source))
            qtbot.keyClicks(form.entries_path, str(entries))
            qtbot.keyClick(form.entries_path, Qt.Key.Key_Return)

        answer_next_dialog(qtbot, fill_in)
        window.session_actions.new_action.trigger()
        qtbot.waitUntil(lambda: window.controller.recorder.file.path == target)

    new_session("Qualifying", "a CSV entry list", tmp_path / "entries.csv", tmp_path / "q.tbs")
    assert ("31", "Justin Haley") in board(window)
    assert window.controller.engine.settings.track_name == "LA Coliseum"
    new_session("Heat 1", "an earlier session of the event", tmp_path / "q.tbs",
                tmp_path / "heat.tbs")  # fmt: skip
    assert len(board(window)) == 7 and ("77", "Jörg Böhnemann") in board(window)
    model = window.event_actions.model
    qtbot.waitUntil(lambda: not model.reading)  # the files are read in a worker
    names = [model.index(r, EventColumn.SESSION).data() for r in range(model.rowCount())]
    assert names == ["Practice", "Qualifying", "Heat 1"]
    made_from = model.index(2, EventColumn.MADE_FROM).data()
    assert made_from == "q"


def test_classes_get_a_colour_and_an_order_kept_in_event_json(
    qtbot, tmp_path, open_window, monkeypatch
) -> None:
    import json

    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QColorDialog

    (tmp_path / "entries.csv").write_bytes(ENTRY_LIST)
    command(tmp_path, "new", "q.tbs", "--name", "Qualifying", "--entries", "entries.csv")
    window = open_window(tmp_path / "q.tbs")
    monkeypatch.setattr(QColorDialog, "getColor", lambda *a, **k: QColor("#00aa55"))

    def edit(dialog: QDialog) -> None:
        assert [dialog.list.item(i).text() for i in range(dialog.list.count())] == ["Cup", "GT3"]
        dialog.list.setCurrentRow(1)
        dialog.colour_button.click()
        dialog.up_button.click()  # GT3 first
        qtbot.keyClicks(dialog.new_name, "GT4")
        qtbot.keyClick(dialog.new_name, Qt.Key.Key_Return)
        dialog.accept()

    answer_next_dialog(qtbot, edit)
    window.entries.editor.classes_action.trigger()
    stored = json.loads((tmp_path / "event.json").read_text())["classes"]
    assert [(c["name"], c["order"]) for c in stored] == [("GT3", 1), ("Cup", 2), ("GT4", 3)]
    assert stored[0]["colour"] == "#00aa55"
    model = window.entries.model
    row = model.row_of("77")
    assert model.index(row, EntryColumn.CLASS).data(Qt.ItemDataRole.DecorationRole) == QColor(
        "#00aa55"
    )
    # the board, the wall scoreboard and the chart paint the event's colour, now and next time
    board_model = window.board_model
    board_model.flush()
    rows = {board_model.index(r, Column.CAR).data(): r for r in range(board_model.rowCount())}

    def painted(model, row: int) -> tuple[QColor, QColor]:
        index = model.index(row, Column.CLASS)
        return index.data(Qt.ItemDataRole.BackgroundRole), index.data(
            Qt.ItemDataRole.ForegroundRole
        )

    assert painted(board_model, rows["77"]) == (QColor("#00aa55"), QColor("#111111"))
    scoreboard = window.scoreboard.table.model()
    assert scoreboard.index(rows["77"], Column.CLASS).data(
        Qt.ItemDataRole.BackgroundRole
    ) == QColor("#00aa55")
    assert window.series.class_colour("77") == "#00aa55"
    cup = QColor(next(c["colour"] for c in stored if c["name"] == "Cup"))
    assert painted(board_model, rows["31"])[0] == cup
    close_session_window(window)
    window = open_window(tmp_path / "q.tbs")
    window.board_model.flush()
    assert painted(window.board_model, rows["77"])[0] == QColor("#00aa55")


def test_a_class_colour_is_the_events_else_the_next_free_one_and_text_reads_on_it() -> None:
    from timingboard.store.class_colours import PALETTE, class_colours, next_colour, text_on
    from timingboard.store.entry_list import CarClass, EntryList

    listed = [CarClass("GT3", PALETTE[0], 1)]
    colours = class_colours(listed, ["Cup", "gt3", "GT4"])
    assert colours == {"gt3": PALETTE[0], "cup": PALETTE[1], "gt4": PALETTE[2]}
    made = EntryList(classes=list(listed))
    made.add_classes(["Cup", "GT4"])  # the Classes dialog proposes what the board paints
    assert [c.colour for c in made.classes] == [PALETTE[0], PALETTE[1], PALETTE[2]]
    assert next_colour(list(PALETTE)) == PALETTE[0]  # round again once all are taken
    assert (text_on("#ffffff"), text_on("#1a237e"), text_on("bad")) == ("#111111", "#ffffff",
                                                                          "#111111")  # fmt: skip


BAD_LIST = (
    "No,Driver,Team,Class\n31,Justin Haley,Kaulig Racing,Cup\n8,Kyle Busch,RCR,Cup\n"
    "8,Kyle Busch again,RCR,Cup\n,Nobody,,\n"
)


def fill_new_session(qtbot, name: str, source: str, entries: Path):
    """The New session form, filled in as the operator would, and OK'd with Enter."""

    def fill_in(form: QDialog) -> None:
        assert form.windowTitle() == "New session"
        form.name.selectAll()
        qtbot.keyClicks(form.name, name)
        form.entries_from.setCurrentIndex(form.entries_from.findText(source))
        qtbot.keyClicks(form.entries_path, str(entries))
        qtbot.keyClick(form.entries_path, Qt.Key.Key_Return)

    return fill_in


def test_the_start_dialogs_new_session_takes_entries_from_a_csv_or_an_earlier_session(
    qtbot, tmp_path, operator_settings, monkeypatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    from timingboard.app.run import build_chosen_window
    from timingboard.widgets.start_dialog import StartChoice

    (tmp_path / "entries.csv").write_bytes(ENTRY_LIST)
    target = tmp_path / "q.tbs"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    answer_next_dialog(
        qtbot, fill_new_session(qtbot, "Qualifying", "a CSV entry list", tmp_path / "entries.csv")
    )
    window = build_chosen_window(StartChoice.NEW, None, operator_settings)
    assert window is not None
    qtbot.addWidget(window)
    assert ("31", "Justin Haley") in board(window) and len(board(window)) == 7
    assert window.entry_panel.grid.buttons["77"].text() == "77\nBöhnemann"
    close_session_window(window)
    target = tmp_path / "heat.tbs"
    source = "an earlier session of the event"
    answer_next_dialog(qtbot, fill_new_session(qtbot, "Heat 1", source, tmp_path / "q.tbs"))
    window = build_chosen_window(StartChoice.NEW, None, operator_settings)
    assert window is not None
    qtbot.addWidget(window)
    assert len(board(window)) == 7 and ("8", "Kyle Busch") in board(window)
    model = window.event_actions.model
    qtbot.waitUntil(lambda: not model.reading)  # the files are read in a worker
    rows = {model.index(r, EventColumn.SESSION).data(): r for r in range(model.rowCount())}
    assert model.index(rows["Heat 1"], EventColumn.MADE_FROM).data() == "q"
    close_session_window(window)


def test_a_bad_csv_in_new_session_is_refused_before_any_file_is_made(
    qtbot, tmp_path, open_window, monkeypatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    command(tmp_path, "new", "practice.tbs", "--name", "Practice", "--kind", "practice")
    window = open_window(tmp_path / "practice.tbs")
    (tmp_path / "bad.csv").write_text(BAD_LIST, encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    event_json = (tmp_path / "event.json").read_text()
    asked: list[str] = []
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        lambda *a, **k: (asked.append("file") or str(tmp_path / "heat.tbs"), ""),
    )

    def answer(button: str):
        def act(box: QDialog) -> None:
            assert isinstance(box, QMessageBox)
            assert "2 rows cannot be imported" in box.text()
            assert box.informativeText() == (
                "line 4: duplicate number 8 (first on line 3)\nline 5: empty number"
            ), box.informativeText()
            next(b for b in box.buttons() if b.text() == button).click()

        return act

    def fill_then(button: str):
        fill = fill_new_session(qtbot, "Heat 1", "a CSV entry list", tmp_path / "bad.csv")

        def act(form: QDialog) -> None:
            fill(form)  # closed: the next dialog is the list of bad rows
            answer_next_dialog(qtbot, answer(button))

        return act

    answer_next_dialog(qtbot, fill_then("Cancel the new session"))
    window.session_actions.new_action.trigger()
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing on disk
    assert (tmp_path / "event.json").read_text() == event_json
    assert asked == [] and window.controller.recorder.file.path.name == "practice.tbs"

    answer_next_dialog(qtbot, fill_then("Import the 2 good rows"))
    window.session_actions.new_action.trigger()
    qtbot.waitUntil(lambda: window.controller.recorder.file.path.name == "heat.tbs")
    assert sorted(board(window)) == [("31", "Justin Haley"), ("8", "Kyle Busch")]
    reopened = SessionRecorder.open(tmp_path / "heat.tbs")
    assert sorted(reopened.engine.competitors) == ["31", "8"]
    reopened.close()


def test_a_car_number_typed_after_an_entries_edit_is_a_passing_not_a_cell(
    qtbot, tmp_path, open_window
) -> None:
    """A team typed on a cell with Enter, then the next car's number: a passing, not a team "7".

    Also after the Classes dialog closed over the table: every number is a crossing again.
    """
    (tmp_path / "entries.csv").write_bytes(ENTRY_LIST)
    command(tmp_path, "new", "heat-1.tbs", "--name", "Heat 1", "--laps", "25",
            "--entries", "entries.csv")  # fmt: skip
    window = open_window(tmp_path / "heat-1.tbs")
    window.entry_panel.flag_buttons[Flag.GREEN].click()
    show_dock(qtbot, window, "entries")
    editor = window.entries.editor
    row = [r[0] for r in editor.rows_shown()].index("31")
    click_cell(qtbot, editor.table, row, EntryColumn.TEAM)
    type_keys(qtbot, "Rouge Team")  # a letter on a cell opens its editor
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.rows_shown()[row][EntryColumn.TEAM] == "Rouge Team")
    type_keys(qtbot, "16")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: logged_cars(window) == ["16"])
    assert editor.rows_shown()[row][EntryColumn.TEAM] == "Rouge Team"

    click_cell(qtbot, editor.table, row, EntryColumn.NUMBER)  # back to the list
    answer_next_dialog(qtbot, lambda dialog: dialog.reject())
    editor.classes_action.trigger()  # Entries ▸ Classes…, closed again
    window.activateWindow()  # the window manager gives the window back its keys
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    assert focused() is editor.table  # where the keys were before the dialog
    for car in ("8", "20", "8"):
        type_keys(qtbot, car)
        qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(logged_cars(window)) == 4)
    assert logged_cars(window) == ["8", "20", "8", "16"]  # newest first
    assert audit_rows(window) == [
        ("Sam Steward", "Entry of car 31: Justin Haley, Rouge Team, Chevrolet, class Cup, "
         "transponder 1031", "team changed in the Entries editor", "in force")
    ]  # fmt: skip
    close_session_window(window)


def double_click_session(qtbot, window: MainWindow, file_name: str) -> None:
    """A double-click on the row of that file in the Event view (press, release, press)."""
    model = window.event_actions.model
    qtbot.waitUntil(lambda: not model.reading)  # the files are read in a worker
    row = [s.path.name for s in model.rows()].index(file_name)
    view = window.event_actions.view.table
    where = view.visualRect(model.index(row, EventColumn.SESSION)).center()
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)


def test_a_session_picked_in_the_event_view_is_not_locked_out_by_this_board(
    qtbot, tmp_path, open_window
) -> None:
    """A double-click opened the session twice (activated and doubleClicked): the second
    opening found the first holding it and showed it READ-ONLY "open in timingboard on …
    (pid <this board>)". Picked again, or by a link to its file, it stays writable too."""
    (tmp_path / "entries.csv").write_bytes(ENTRY_LIST)
    for name in ("heat-1", "heat-2"):
        command(tmp_path, "new", f"{name}.tbs", "--name", name, "--laps", "3",
                "--entries", "entries.csv")  # fmt: skip
    finish(tmp_path / "heat-1.tbs", ["31", "8", "20"])
    (tmp_path / "link.tbs").symlink_to("heat-1.tbs")  # the same session by another name
    window = open_window(tmp_path / "heat-2.tbs")
    show_dock(qtbot, window, "event")
    opened: list[str] = []
    window.session_actions.session_opened.connect(opened.append)
    for name in ("heat-1.tbs", "heat-1.tbs"):
        double_click_session(qtbot, window, name)
        qtbot.waitUntil(lambda n=name: opened[-1:] == [str(tmp_path / n)])
        assert window.read_only_notice.shown is None, window.read_only_notice.shown
        assert window.entry_panel.isEnabled()
        assert ("31", "Justin Haley") in board(window)
    assert len(opened) == 2  # once a double-click
    # the link is the same session: listed once, as its file (a second row read the same)
    names = [s.path.name for s in window.event_actions.model.rows()]
    assert "link.tbs" not in names and names.count("heat-1.tbs") == 1


def logged_drivers(window: MainWindow) -> list[str]:
    model = window.passings_log.model()
    return [str(model.index(r, PassingColumn.DRIVER).data()) for r in range(model.rowCount())]


def test_the_passings_log_follows_entry_changes_and_their_undo(
    qtbot, tmp_path, open_window
) -> None:
    """A name fixed in the Entries editor (or imported) stayed the old one in the Passings log,
    and after Ctrl+Z the log kept the fixed one."""
    (tmp_path / "entries.csv").write_bytes(ENTRY_LIST)
    command(tmp_path, "new", "heat-1.tbs", "--name", "Heat 1", "--laps", "25",
            "--entries", "entries.csv")  # fmt: skip
    window = open_window(tmp_path / "heat-1.tbs")
    window.entry_panel.flag_buttons[Flag.GREEN].click()
    for car in ("31", "8"):
        type_number(qtbot, window, car)
    qtbot.waitUntil(lambda: logged_drivers(window) == ["Kyle Busch", "Justin Haley"])
    show_dock(qtbot, window, "entries")
    editor = window.entries.editor
    row = [r[0] for r in editor.rows_shown()].index("31")
    click_cell(qtbot, editor.table, row, EntryColumn.LAST)
    type_keys(qtbot, "Haly")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: logged_drivers(window) == ["Kyle Busch", "Justin Haly"])
    qtbot.keyClick(focused(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undone
    qtbot.waitUntil(lambda: ("31", "Justin Haley") in board(window))
    qtbot.waitUntil(lambda: logged_drivers(window) == ["Kyle Busch", "Justin Haley"])


def test_a_session_made_from_one_outside_its_folder_names_it_and_says_once_it_is_gone(
    qtbot, tmp_path, open_window
) -> None:
    import json

    (tmp_path / "entries.csv").write_bytes(ENTRY_LIST)
    (tmp_path / "ev").mkdir()
    command(tmp_path, "new", "bh.tbs", "--name", "Practice", "--entries", "entries.csv")
    command(tmp_path, "new", "ev/r7.tbs", "--name", "Race 7", "--entries-from", "bh.tbs")
    command(tmp_path, "new", "ev/r8.tbs", "--name", "Race 8", "--entries-from", "ev/r7.tbs")
    sessions = json.loads((tmp_path / "ev" / "event.json").read_text())["sessions"]
    assert [s["made_from"] for s in sessions] == [[str(tmp_path / "bh.tbs")], ["r7.tbs"]]

    def made_from(window: MainWindow) -> dict[str, str]:
        model = window.event_actions.model
        qtbot.waitUntil(lambda: not model.reading)  # the files are read in a worker
        return {
            model.index(r, EventColumn.SESSION).data(): model.index(r, EventColumn.MADE_FROM).data()
            for r in range(model.rowCount())
        }

    window = open_window(tmp_path / "ev" / "r8.tbs")
    assert made_from(window) == {"Race 7": "bh", "Race 8": "r7"}
    close_session_window(window)
    (tmp_path / "bh.tbs").unlink()
    window = open_window(tmp_path / "ev" / "r8.tbs")
    assert made_from(window) == {"Race 7": "bh (file gone)", "Race 8": "r7"}


def test_import_csv_of_a_session_file_says_it_is_one(qtbot, tmp_path, open_window, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    command(tmp_path, "new", "heat.tbs", "--name", "Heat")
    command(tmp_path, "new", "q.tbs", "--name", "Qualifying")
    window = open_window(tmp_path / "heat.tbs")
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: said.append(text))
    picked = (str(tmp_path / "q.tbs"), "")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: picked)
    window.entries.import_action.trigger()
    assert said == [
        "q.tbs: this is a timingboard session file, not a CSV entry list. Nothing was imported."
    ]
