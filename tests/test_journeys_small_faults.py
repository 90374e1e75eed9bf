"""Small faults a new user's walk found, walked again through the real window: what opening a
session offers for undo, and what the board, the passings log and the dialogs say."""

from __future__ import annotations

from pathlib import Path

import pytest
from journey import User, file_dialog_answer, open_window
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog
from race_scripts import QUARTER_MILE_RACE, three_car_race

from timingboard.engine.corrections import TIMING_SYSTEM
from timingboard.engine.events import (
    CompetitorSet,
    Flag,
    FlagChanged,
    InsertPassing,
    Passing,
    SessionEnded,
    TimePenalty,
)
from timingboard.qt.leaderboard_model import Column
from timingboard.qt.passings_model import PassingColumn
from timingboard.store.recorder import SessionRecorder

JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


def _imported(path: Path) -> Path:
    """A session as an import leaves it: the timing system re-timed a crossing of car 3's (its
    correction is in the log), and the operator gave car 1 a time penalty."""
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit(three_car_race())
    retimed = InsertPassing(
        time_ms=75_000, key="3", operator=TIMING_SYSTEM, reason="re-timed by the timing system"
    )
    recorder.submit([retimed])
    recorder.submit([TimePenalty(key="1", ms=5000, operator="Sam Steward", reason="jump start")])
    recorder.close()
    return path


@JOURNEY_LOG
def test_opening_a_session_after_a_replay_says_nothing_done_and_never_offers_the_timing_system(
    qtbot, tmp_path, dialogs
) -> None:
    earlier = tmp_path / "earlier.tbs"
    SessionRecorder.create(earlier, QUARTER_MILE_RACE).close()
    imported = _imported(tmp_path / "imported.tbs")
    user = User(qtbot, open_window(earlier, tmp_path / "settings.ini"))
    user.show()
    dialogs.expect(QFileDialog, file_dialog_answer(user, imported))
    user.choose("File", "Replay a session or capture")
    assert dialogs.unexpected == []
    assert "REPLAY" in user.window.windowTitle()

    dialogs.expect(QFileDialog, file_dialog_answer(user, imported))
    user.choose("File", "Open session")
    assert dialogs.unexpected == []
    qtbot.waitUntil(lambda: "LIVE" in user.window.windowTitle())
    assert not user.status().startswith("Done:"), user.status()
    # the operator's own penalty is the one to undo; the timing system's re-timing is not offered
    assert "penalty" in user.window.undo_action.text().lower(), user.window.undo_action.text()
    user.window.undo_action.trigger()
    assert not user.window.undo_action.isEnabled(), user.window.undo_action.text()
    user.window.close()


def test_board_and_sheet_say_the_same_status_for_a_car_never_seen_and_one_out_at_the_end(
    qtbot, tmp_path
) -> None:
    """Car 9 is entered and never seen; car 3 is still out when the timing system ends the
    session ($B run 95): the sheet reads 9 DNS without a place and 3 running, so does the board
    (it read P4 with a blank Status for 9, and blank for 3)."""
    path = tmp_path / "race.tbs"
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit([*three_car_race(), CompetitorSet(key="9", car="9", driver="Nick Never")])
    recorder.submit([FlagChanged(time_ms=63_000, flag=Flag.CHECKERED)])
    recorder.submit([Passing(time_ms=70_600, car="2"), Passing(time_ms=71_200, car="1")])
    recorder.submit([SessionEnded(time_ms=72_000)])
    recorder.close()
    user = User(qtbot, open_window(path, tmp_path / "settings.ini"))
    user.show()
    board = list(zip(user.column(Column.POSITION), user.column(Column.CAR), strict=True))
    statuses = dict(zip(user.column(Column.CAR), user.column(Column.STATUS), strict=True))
    assert board == [("1", "2"), ("2", "1"), ("3", "3"), ("", "9")]
    assert statuses == {"2": "Finished", "1": "Finished", "3": "Running", "9": "DNS"}
    sheet = user.window.results.sheet()
    classified = {r["car"]: r["status"] for r in sheet.section("classification").rows}
    assert classified == {"2": "finished", "1": "finished", "3": "running"}
    assert [(r["car"], r["status"]) for r in sheet.section("not_classified").rows] == [("9", "DNS")]
    user.window.close()


@JOURNEY_LOG
def test_a_car_known_only_by_transponder_never_reads_as_initials(qtbot, tmp_path) -> None:
    """The passings log's and a narrow board's Driver cell read "u. car" for a car known only
    by its transponder: the label "unknown car" was shortened as a person's name."""
    from board_probe import shown_text

    path = tmp_path / "p3.tbs"
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit([*three_car_race(), Passing(time_ms=70_000, transponder="4667210")])
    recorder.close()
    user = User(qtbot, open_window(path, tmp_path / "settings.ini"))
    user.show()
    log = user.window.passings_log
    assert user.passings(PassingColumn.DRIVER)[0] == "unknown car"
    log.horizontalHeader().setSectionResizeMode(
        PassingColumn.DRIVER, log.horizontalHeader().ResizeMode.Interactive
    )
    shown = []
    for width in (200, 60, 40):
        log.setColumnWidth(PassingColumn.DRIVER, width)
        shown.append(shown_text(log, 0, PassingColumn.DRIVER))
    assert shown[0] == "unknown car"
    assert all(text.startswith("un") for text in shown), shown  # cut, never "u. car"
    user.window.close()


def test_the_label_of_a_car_not_entered_is_no_persons_name() -> None:
    from timingboard.text.board_text import name_forms, readable_forms

    assert name_forms("unknown car") == ["unknown car", "unknown…"]
    assert readable_forms("unknown car") == ["unknown car"]
    assert name_forms("(unknown car)")[0] == "(unknown car)"
    assert name_forms("Justin Haley")[1] == "J. Haley"  # a person's name still shortens


@JOURNEY_LOG
def test_board_mode_widens_status_for_a_penalty_at_once(qtbot, tmp_path) -> None:
    """F11, then a 5 s penalty: the wall's Status read "Finishe…" (its "+5.000 s" hidden) until
    the next fit of the columns, while the Driver column had room to give."""
    from board_probe import shown_text
    from PySide6.QtCore import Qt

    path = tmp_path / "race.tbs"
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit([*three_car_race(), FlagChanged(time_ms=63_000, flag=Flag.CHECKERED)])
    recorder.submit([Passing(time_ms=70_600, car="2"), Passing(time_ms=71_200, car="1")])
    recorder.submit([Passing(time_ms=78_000, car="3")])
    recorder.close()
    user = User(qtbot, open_window(path, tmp_path / "settings.ini"))
    user.show()
    user.press(Qt.Key.Key_F11)
    wall = user.window.scoreboard.table
    qtbot.waitUntil(wall.isVisible)
    fit = user.window.scoreboard._fit  # the fit of the columns a second after a board change
    qtbot.waitUntil(lambda: not fit.isActive(), timeout=3000)  # done: none is due
    model = wall.model()
    # what the wall shows as the board changes, before anything else can refit it: a resize
    # (the full screen still settling offscreen) refit every column and hid the fault
    texts = lambda: [model.index(r, Column.STATUS).data() for r in range(model.rowCount())]  # noqa: E731
    shown_at_change: list[dict[str, str]] = []

    def on_board_updated() -> None:  # after the wall's own handler (connected first)
        if "Finished +5.000 s" in texts():
            rows = range(model.rowCount())
            shown = {
                shown_text(wall, r, Column.CAR): shown_text(wall, r, Column.STATUS) for r in rows
            }
            shown_at_change.append(shown)

    model.board_updated.connect(on_board_updated)
    assert user.window.desk.correct(TimePenalty(key="1", ms=5000), "jump start")
    qtbot.waitUntil(lambda: "Finished +5.000 s" in texts(), timeout=3000)  # the next frame
    assert shown_at_change[0] == {"2": "Finished", "1": "Finished +5.000 s", "3": "Finished"}
    user.window.close()


def test_a_long_past_session_says_days_from_two_days_on() -> None:
    from timingboard.text.session_text import recorded_refusal, since_start

    assert [since_start(h * 3600) for h in (0, 30, 47, 48, 14_064)] == [
        "0 h",
        "30 h",
        "47 h",
        "2 days",
        "586 days",
    ]
    told = recorded_refusal(0, 14_088 * 3600.0, Flag.CHECKERED)
    assert told.startswith("The checkered flag was not taken: this session began on ")
    assert "a flag now would be 587 days after its start" in told


@JOURNEY_LOG
def test_the_new_session_dialog_shows_the_track_the_session_gets(qtbot, tmp_path, dialogs) -> None:
    """File ▸ New session in an event folder at Brands Hatch (2.76 mi): the dialog read "Track
    length 0.250 miles" with Track empty, and the session took the event's 2.76 mi."""
    from journey import ok_button

    from timingboard.engine.settings import LengthUnit
    from timingboard.store.event_folder import EventInfo, write_event
    from timingboard.widgets.session_dialog import NewSessionDialog

    folder = tmp_path / "bh"
    folder.mkdir()
    write_event(folder, EventInfo(name="BH", track_name="Brands Hatch", track_length=2.76))
    earlier = folder / "practice.tbs"
    SessionRecorder.create(earlier, QUARTER_MILE_RACE).close()
    user = User(qtbot, open_window(earlier, tmp_path / "settings.ini"))
    user.show()
    seen: dict[str, str] = {}

    def fill(dialog) -> None:
        assert isinstance(dialog, NewSessionDialog)
        seen.update(track=dialog.track.text(), length=dialog.length.text())
        seen["unit"] = dialog.unit.currentText()
        user.fill(dialog.name, "Heat 2")
        user.click(ok_button(dialog))

    dialogs.expect(NewSessionDialog, fill)
    dialogs.expect(QFileDialog, file_dialog_answer(user, folder / "heat-2.tbs"))
    user.choose("File", "New session")
    assert dialogs.unexpected == [] and dialogs.expected == []
    assert seen == {"track": "Brands Hatch", "length": "2.760", "unit": "miles"}
    made = user.window.controller.engine.settings
    assert (made.track_name, made.track_length, made.length_unit) == (
        "Brands Hatch",
        2.76,
        LengthUnit.MILES,
    )
    user.window.close()
    user.window.controller.close()


@JOURNEY_LOG
def test_the_event_tab_lists_a_linked_file_once_and_follows_a_new_leader(qtbot, tmp_path) -> None:
    """A link ``link.tbs → race.tbs`` read as a second identical row; and after a penalty put
    car 1 in the lead, the open session's row named the old leader until the next lap."""
    from timingboard.text.event_text import EventColumn

    folder = tmp_path / "event"
    folder.mkdir()
    path = folder / "race.tbs"
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit(three_car_race())  # car 2 leads car 1 by 0.6 s
    recorder.close()
    (folder / "link.tbs").symlink_to(path)
    user = User(qtbot, open_window(path, tmp_path / "settings.ini"))
    user.show()
    actions = user.window.event_actions
    model = actions.model

    def rows() -> list[tuple[str, str]]:
        return [
            (
                str(model.index(r, EventColumn.SESSION).data()),
                str(model.index(r, EventColumn.WINNER).data()),
            )
            for r in range(model.rowCount())
        ]

    qtbot.waitUntil(lambda: len(rows()) == 1 and "2" in rows()[0][1], timeout=5000)
    # a first penalty that leaves the leader as he is: the row was read again at the session's
    # first change whatever it was, so the leader's change must not be the first one
    assert user.window.desk.correct(TimePenalty(key="3", ms=1000), "track limits")
    said = user.window.statusBar().currentMessage
    qtbot.waitUntil(lambda: said() == "Done: Time penalty +1.000 s for car 3", timeout=3000)
    assert len(rows()) == 1 and "2" in rows()[0][1]  # the same leader
    assert user.window.desk.correct(TimePenalty(key="2", ms=5000), "jump start")
    qtbot.waitUntil(lambda: user.cell(0, Column.CAR) == "1", timeout=3000)
    qtbot.waitUntil(lambda: "1" in rows()[0][1] and "2" not in rows()[0][1], timeout=3000)
    assert len(rows()) == 1
    user.window.close()


@JOURNEY_LOG
def test_the_event_row_names_the_winner_as_fixed_in_the_entries(qtbot, tmp_path) -> None:
    """A finished race, the winner's name fixed in the Entries editor: the board read the new
    name, the Event tab's row the old one (read again only when the leader changed, never in
    a finished race)."""
    from test_journeys_entries import click_cell, show_dock, type_keys

    from timingboard.text.entry_text import EntryColumn
    from timingboard.text.event_text import EventColumn

    folder = tmp_path / "event"
    folder.mkdir()
    path = folder / "race.tbs"
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit([*three_car_race(), FlagChanged(time_ms=63_000, flag=Flag.CHECKERED)])
    recorder.close()
    user = User(qtbot, open_window(path, tmp_path / "settings.ini"))
    user.show()
    model = user.window.event_actions.model
    winner = lambda: str(model.index(0, EventColumn.WINNER).data())  # noqa: E731
    qtbot.waitUntil(lambda: model.rowCount() == 1 and winner() == "2 Driver 2", timeout=5000)
    # a first change that leaves the winner as he is (the row is read at the first change)
    assert user.window.desk.correct(TimePenalty(key="3", ms=1000), "track limits")
    said = user.window.statusBar().currentMessage
    qtbot.waitUntil(lambda: said() == "Done: Time penalty +1.000 s for car 3", timeout=3000)
    show_dock(qtbot, user.window, "entries")
    editor = user.window.entries.editor
    row = [r[0] for r in editor.rows_shown()].index("2")
    click_cell(qtbot, editor.table, row, EntryColumn.LAST)
    type_keys(qtbot, "Bell")  # a key typed on a cell edits it
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Bell" in str(user.cell(0, Column.DRIVER)), timeout=3000)
    qtbot.waitUntil(lambda: winner() == "2 Driver Bell", timeout=3000)
    user.window.close()
