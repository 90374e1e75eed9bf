"""The desk as a user reads it: nothing said of one session is left showing in the next."""

from __future__ import annotations

from pathlib import Path

import pytest
from journey import User, file_dialog_answer, new_session_window, open_window
from PySide6.QtWidgets import QFileDialog
from race_scripts import QUARTER_MILE_QUALIFYING, QUARTER_MILE_RACE

from timingboard.store.recorder import SessionRecorder
from timingboard.widgets.entry_panel import PROMPT

JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


@JOURNEY_LOG
def test_opening_another_session_clears_what_was_said_of_the_last(
    qtbot, tmp_path: Path, dialogs
) -> None:
    second = tmp_path / "heat.tbs"
    SessionRecorder.create(second, QUARTER_MILE_RACE).close()
    user = new_session_window(qtbot, tmp_path, QUARTER_MILE_QUALIFYING, "practice.tbs")
    user.enter("31")  # no entry list: a new number is a new car at once
    assert user.entry_message()[0].startswith("Car 31")
    assert user.window.entry_panel.recent.count() == 1
    user.window.entries.editor.say("garbage.csv: not text. Nothing was imported.", "bad")

    dialogs.expect(QFileDialog, file_dialog_answer(user, second))
    user.choose("File", "Open session")
    assert dialogs.unexpected == []
    assert "heat.tbs" in user.window.windowTitle()
    assert user.entry_message()[0] == PROMPT
    assert user.window.entry_panel.recent.count() == 0
    assert user.window.entries.editor.message.text() == ""
    user.window.close()


@JOURNEY_LOG
def test_the_typed_log_keeps_what_was_typed_not_a_lap_a_correction_changes(
    qtbot, tmp_path: Path
) -> None:
    user = new_session_window(qtbot, tmp_path, QUARTER_MILE_QUALIFYING, "practice.tbs")
    user.enter("31")  # no entry list: a new car at once
    line = user.window.entry_panel.recent.item(0).text()
    assert line.endswith("  Car 31") and "lap" not in line
    user.window.close()


@JOURNEY_LOG
def test_each_clock_says_what_it_counts_from(qtbot, tmp_path: Path) -> None:
    """The header counts from the green flag, the passings log from when the session began:
    two clocks that differ must say so where the user reads them."""
    from PySide6.QtCore import Qt

    user = new_session_window(qtbot, tmp_path, QUARTER_MILE_QUALIFYING, "practice.tbs")
    log = user.window.passings_log.model()
    horizontal = Qt.Orientation.Horizontal
    assert log.headerData(0, horizontal) == "Session time"
    assert "green flag" in log.headerData(0, horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "green flag" in user.window.header.clock.toolTip()
    user.window.close()


@JOURNEY_LOG
def test_the_header_clock_says_it_turns_to_race_time_at_the_green(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    """At F5 the clock went from 0:00:08 back to 0:00:02 with no word why."""
    from journey import FakeTime
    from PySide6.QtCore import Qt

    clock = FakeTime().install(monkeypatch)
    user = new_session_window(qtbot, tmp_path, QUARTER_MILE_QUALIFYING, "practice.tbs")
    kind = user.window.header.clock_kind
    clock.advance(8.2)
    qtbot.waitUntil(lambda: user.header()["clock"] == "0:00:08")
    assert kind.text() == "session time" and kind.isVisible()
    user.press(Qt.Key.Key_F5)
    clock.advance(2.2)
    qtbot.waitUntil(lambda: user.header()["clock"] == "0:00:02")
    assert kind.text() == "since green"
    user.window.close()


@JOURNEY_LOG
@pytest.mark.parametrize("theme", ["dark", "light"])
def test_what_cannot_be_used_looks_greyed_out(qtbot, tmp_path: Path, theme: str) -> None:
    """Feed ▸ Disconnect with nothing connected is disabled, and a disabled item is drawn dim:
    the themes once painted disabled text as bright as the rest."""
    from PySide6.QtGui import QPalette

    user = new_session_window(qtbot, tmp_path, QUARTER_MILE_QUALIFYING, "practice.tbs")
    user.choose("View", "Theme", theme.capitalize())
    for item in ("Disconnect", "Stop publishing", "Disconnect from the P3 decoder"):
        assert not user.menu_action("Feed", item).isEnabled(), item
    menu = user.menu_action("Feed").menu()
    palette = menu.palette()
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text):
        disabled = palette.color(QPalette.ColorGroup.Disabled, role)
        active = palette.color(QPalette.ColorGroup.Active, role)
        assert disabled != active, role
    user.window.close()


def test_the_connect_dialogs_are_wide_enough_for_their_titles(qapp, tmp_path: Path) -> None:
    from timingboard.widgets.feed_dialogs import ConnectDialog, PublishDialog
    from timingboard.widgets.p3_dialogs import P3ConnectDialog

    for dialog in (
        ConnectDialog("127.0.0.1:50000", tmp_path),
        PublishDialog(50000),
        P3ConnectDialog("p3://127.0.0.1:5403", tmp_path, ""),
    ):
        title = dialog.fontMetrics().horizontalAdvance(dialog.windowTitle())
        assert dialog.minimumWidth() >= title + 100, dialog.windowTitle()
        dialog.deleteLater()


@JOURNEY_LOG
def test_the_demos_event_view_names_the_event_and_its_track(qtbot, tmp_path: Path) -> None:
    """Not the temporary folder's name ("timingboard-demo-uo2zf42j")."""
    from datetime import date

    from PySide6.QtCore import QSettings

    from timingboard.app.run import build_demo_window

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window, runner = build_demo_window(50.0, 31, False, tmp_path / "demo", settings)
    qtbot.addWidget(window)
    window.event_actions.refresh()
    heading = window.event_actions.view.title.text()
    assert heading == (
        f"Busch Light Clash · {date.today().isoformat()} · L.A. Memorial Coliseum 0.25 mi"
    )
    runner.stop()
    window.close()


@pytest.mark.parametrize(
    ("operator", "reason", "focused"),
    [("", "", "operator"), ("", "double read", "operator"), ("Sam", "", "reason")],
)
def test_a_dialog_with_nothing_to_type_but_its_audit_starts_where_ok_waits(
    qapp, operator: str, reason: str, focused: str
) -> None:
    from timingboard.engine import TimingEngine
    from timingboard.engine.events import DeletePassing
    from timingboard.widgets.correction_dialog import CorrectionDialog

    engine = TimingEngine(QUARTER_MILE_QUALIFYING)
    dialog = CorrectionDialog(
        "Delete passing #1",
        engine,
        lambda _values: DeletePassing(passing_id=1),
        default_reason=reason,
        operator=operator,
    )
    dialog.show()
    field = {"operator": dialog.operator_field, "reason": dialog.reason_field}[focused]
    assert dialog.focusWidget() is field
    dialog.close()
    dialog.deleteLater()


@JOURNEY_LOG
def test_a_column_widened_for_the_last_session_gives_its_room_back_in_the_next(
    qtbot, tmp_path: Path, dialogs
) -> None:
    """The second walk: Status widened for "Finished +5.000 s" stayed wide and empty in the
    next session, and drivers were cut to give it room."""
    from race_scripts import field

    from timingboard.engine import Flag, FlagChanged, Passing, TimePenalty
    from timingboard.text.board_columns import Column

    first, second = tmp_path / "heat.tbs", tmp_path / "practice.tbs"
    recorder = SessionRecorder.create(first, QUARTER_MILE_RACE)
    events = [*field(["31", "8"]), FlagChanged(time_ms=0, flag=Flag.GREEN)]
    events += [Passing(time_ms=1000 + i * 14_000, car=c) for i in range(3) for c in ("31", "8")]
    recorder.submit(events)
    recorder.submit([TimePenalty(key="8", ms=5_000, operator="Pat")])  # the room 800 px gives
    recorder.close()
    SessionRecorder.create(second, QUARTER_MILE_QUALIFYING).close()
    user = User(qtbot, open_window(first, tmp_path / "settings.ini"))
    user.window.resize(1920, 1000)  # room to spare: nothing gives way, nothing narrows for it
    user.show()
    board = user.window.board
    qtbot.waitUntil(lambda: "+5.000 s" in " ".join(user.column(Column.STATUS)))
    wide = board.columnWidth(Column.STATUS)
    dialogs.expect(QFileDialog, file_dialog_answer(user, second))
    user.choose("File", "Open session")
    assert dialogs.unexpected == []
    qtbot.waitUntil(lambda: "practice.tbs" in user.window.windowTitle())
    qtbot.waitUntil(lambda: board.columnWidth(Column.STATUS) < wide)
    user.window.close()
