"""File ▸ Next session from these results, as the new-user walk did it: a six-car qualifying,
"Split across heats", 2 heats named "Heat", a 3-lap race. It made ONE file, heat.tbs, with the
whole field in qualifying order, while event.json and the Event tab said "split across 2 heats
in order" (the dialog's rule came back from its combo box as a plain str, and the line-up took
it for no rule: straight-up). The window now makes what ``timingboard lineup`` makes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from journey import Dialogs, User, ok_button, open_window
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from timingboard.engine import TimingEngine
from timingboard.engine.events import CompetitorSet, Flag, FlagChanged, Passing
from timingboard.engine.lineups import LineupRule
from timingboard.engine.settings import SessionKind, SessionSettings
from timingboard.qt.leaderboard_model import Column
from timingboard.store.new_session import make_session
from timingboard.store.session_file import SessionFile
from timingboard.text.event_text import EventColumn
from timingboard.widgets.lineup_dialog import RULE_TEXT, LineupDialog

JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")

DRIVERS = {"1": "Al Unser", "2": "Bo Duke", "3": "Cy Young", "4": "Di Fox", "5": "Ed Hill"}
DRIVERS["6"] = "Flo Jo"
QUALIFYING_ORDER = ["5", "4", "2", "3", "6", "1"]  # by best lap, as the walk's board read
QUALIFYING = SessionSettings(
    name="Qualifying",
    kind=SessionKind.QUALIFYING,
    track_name="Test Oval",
    track_length=1.0,
    min_lap_ms=3000,
)
ACTION = ("File", "Next session from these results")


def qualifying_file(path: Path, checkered: bool = True) -> Path:
    """Made as ``timingboard new`` makes it (recorded in the folder's event.json); six cars,
    two laps each, their best laps in QUALIFYING_ORDER; the checkered at the end (else the
    session is still green)."""
    field = [CompetitorSet(key=car, car=car, driver=name) for car, name in DRIVERS.items()]
    recorder, _settings = make_session(path, QUALIFYING, field)  # as `timingboard new` makes it
    events: list = [FlagChanged(time_ms=0, flag=Flag.GREEN)]
    for lap in range(3):
        for place, car in enumerate(QUALIFYING_ORDER):
            at = 1000 + place * 500 + lap * (60_000 + place * 700)
            events.append(Passing(time_ms=at, key=car, car=car))
    if checkered:
        events.append(FlagChanged(time_ms=200_000, flag=Flag.CHECKERED))
    recorder.submit(events)
    recorder.close()
    return path


def read_back(path: Path) -> tuple[str, SessionKind, int | None, list[str]]:
    """A session as the store reads it: name, kind, race laps and its grid, front row first."""
    file = SessionFile.open(path, read_only=True)
    try:
        engine = TimingEngine.from_log(file.settings, file.entries())
    finally:
        file.close()
    field = sorted(engine.entry_list().values(), key=lambda c: c.grid or 0)
    settings = engine.settings
    return settings.name, settings.kind, settings.race_laps, [c.car for c in field]


def answer(user: User, rule: LineupRule, count: int | None, name: str, laps: str):
    """The dialog filled in as a user does: the rule picked by its first letter, the number,
    the name and the laps typed; the preview read; OK clicked."""
    seen: dict[str, str] = {}

    def act(dialog) -> None:
        assert isinstance(dialog, LineupDialog)
        user.tab_to(dialog.rule)
        while dialog.rule.currentData() != rule:  # the combo box steps through its S… items
            user.type(RULE_TEXT[rule][0])
        if count is not None:
            user.fill(dialog.count, str(count))
        user.fill(dialog.name, name)
        user.fill(dialog.laps, laps)
        seen["makes"] = dialog.makes.text()
        seen["problem"] = dialog.problem.text()
        user.click(ok_button(dialog))

    return act, seen


def event_rows(qtbot, window) -> list[tuple[str, ...]]:
    """The Event tab's rows, once its files are read (in a worker)."""
    dock = window.docks["event"]
    if not dock.isVisible():
        dock.toggleViewAction().trigger()
    dock.raise_()
    qtbot.waitUntil(dock.widget().isVisible)
    model = window.event_actions.model
    qtbot.waitUntil(lambda: not model.reading and model.rowCount() > 0)
    columns = (EventColumn.SESSION, EventColumn.KIND, EventColumn.STATUS, EventColumn.MADE_FROM)
    return [
        tuple(str(model.index(r, c).data() or "") for c in columns) for r in range(model.rowCount())
    ]


@JOURNEY_LOG
def test_split_across_two_heats_makes_heat_1_and_heat_2_and_opens_heat_1(
    qtbot, tmp_path: Path, dialogs: Dialogs
) -> None:
    event = tmp_path / "event"
    event.mkdir()
    source = qualifying_file(event / "q.tbs")
    user = User(qtbot, open_window(source, tmp_path / "settings.ini"))
    user.show()
    assert user.column(Column.CAR) == QUALIFYING_ORDER

    act, seen = answer(user, LineupRule.SPLIT, 2, "Heat", "3")
    dialogs.expect(LineupDialog, act)
    user.choose(*ACTION)
    assert dialogs.unexpected == [] and dialogs.expected == []
    assert seen == {
        "makes": "Heat 1 (heat-1.tbs): 5, 2, 6\nHeat 2 (heat-2.tbs): 4, 3, 1",
        "problem": "",
    }

    assert sorted(p.name for p in event.glob("*.tbs")) == ["heat-1.tbs", "heat-2.tbs", "q.tbs"]
    assert read_back(event / "heat-1.tbs") == ("Heat 1", SessionKind.RACE, 3, ["5", "2", "6"])
    assert read_back(event / "heat-2.tbs") == ("Heat 2", SessionKind.RACE, 3, ["4", "3", "1"])
    record = json.loads((event / "event.json").read_text(encoding="utf-8"))
    assert record["sessions"] == [
        {"file": "q.tbs", "made_from": [], "rule": "new"},
        {"file": "heat-1.tbs", "made_from": ["q.tbs"], "rule": "split across 2 heats in order"},
        {"file": "heat-2.tbs", "made_from": ["q.tbs"], "rule": "split across 2 heats in order"},
    ]

    qtbot.waitUntil(lambda: "heat-1.tbs" in user.window.windowTitle())
    assert user.window.windowTitle() == "Heat 1 — heat-1.tbs — LIVE · timingboard"
    assert user.status() == (
        f"Made Heat 1 (heat-1.tbs, 3 cars) and Heat 2 (heat-2.tbs, 3 cars) in {event}: "
        "split across 2 heats in order from Qualifying. Heat 1 is open; Heat 2 waits in the "
        "Event tab."
    )
    assert user.column(Column.CAR) == ["5", "2", "6"]  # heat 1's grid on the board
    split = "q (split across 2 heats in order)"
    rows = event_rows(qtbot, user.window)
    assert rows == [
        ("Qualifying", "Qualifying", "finished", ""),
        ("Heat 1", "Race", "scheduled", split),  # open, no green yet
        ("Heat 2", "Race", "scheduled", split),
    ], rows
    user.window.close()


@JOURNEY_LOG
def test_more_heats_than_cars_is_refused_in_the_dialog_and_nothing_is_written(
    qtbot, tmp_path: Path, dialogs: Dialogs
) -> None:
    source = qualifying_file(tmp_path / "q.tbs")
    user = User(qtbot, open_window(source, tmp_path / "settings.ini"))
    user.show()
    before = sorted(p.name for p in tmp_path.iterdir())
    said: list[tuple[str, bool, str]] = []

    def act(dialog) -> None:
        assert isinstance(dialog, LineupDialog)
        ok = ok_button(dialog)
        user.tab_to(dialog.rule)
        user.type("S")  # Split across heats
        user.fill(dialog.count, "7")
        said.append((dialog.problem.text(), ok.isEnabled(), dialog.makes.text()))
        user.click(ok)  # greyed: nothing happens
        user.fill(dialog.count, "6")
        user.fill(dialog.name, "")  # selected, then wiped
        user.press(Qt.Key.Key_Backspace)
        said.append((dialog.problem.text(), ok.isEnabled(), dialog.makes.text()))
        user.fill(dialog.name, "Heat")
        said.append((dialog.problem.text(), ok.isEnabled(), dialog.makes.text().split("\n")[0]))
        assert dialog.isVisible()
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel).click()

    dialogs.expect(LineupDialog, act)
    user.choose(*ACTION)
    assert dialogs.unexpected == [] and dialogs.expected == []
    assert said == [
        ("⚠ 7 heats asked for but the field has 6 cars; use a number from 1 to 6.", False, ""),
        ("⚠ name the new session (Heat: its heats are Heat 1, Heat 2, …).", False, ""),
        ("", True, "Heat 1 (heat-1.tbs): 5"),
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written
    assert user.window.windowTitle() == "Qualifying — q.tbs — CHECKERED · timingboard"
    user.window.close()


@JOURNEY_LOG
def test_a_session_still_running_is_lined_up_only_when_the_operator_says_so(
    qtbot, tmp_path: Path, dialogs: Dialogs
) -> None:
    """As the command, which refuses it without --allow-unfinished."""
    source = qualifying_file(tmp_path / "q.tbs", checkered=False)
    user = User(qtbot, open_window(source, tmp_path / "settings.ini"))
    user.show()
    before = sorted(p.name for p in tmp_path.iterdir())
    asked: list[str] = []

    def no(box) -> None:
        asked.append(box.text())
        box.button(QMessageBox.StandardButton.No).click()

    dialogs.expect(QMessageBox, no)
    user.choose(*ACTION)
    assert dialogs.unexpected == [] and dialogs.expected == []
    assert asked == [
        "Qualifying is not finished: the flag is GREEN. Line up the next session from these "
        "results all the same?"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == before

    def yes(box) -> None:
        box.button(QMessageBox.StandardButton.Yes).click()

    dialogs.expect(QMessageBox, yes)
    act, _seen = answer(user, LineupRule.STRAIGHT, None, "Final", "3")
    dialogs.expect(LineupDialog, act)
    user.choose(*ACTION)
    assert dialogs.unexpected == [] and dialogs.expected == []
    assert read_back(tmp_path / "final.tbs")[3] == QUALIFYING_ORDER
    qtbot.waitUntil(lambda: "final.tbs" in user.window.windowTitle())
    user.window.close()


def _lineup_command(source: Path, rule: str) -> subprocess.CompletedProcess[str]:
    typed = ["lineup", str(source), "--rule", rule, "--name", "Heat", "--laps", "3"]
    return subprocess.run(
        [sys.executable, "-m", "timingboard", *typed],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        cwd=Path(__file__).resolve().parents[1],  # this tree's timingboard
    )


CASES = [
    (LineupRule.STRAIGHT, None, "straight"),
    (LineupRule.SPLIT, 2, "split:2"),
    (LineupRule.SPLIT, 4, "split:4"),  # heats of 2, 2, 1, 1
    (LineupRule.SPLIT, 6, "split:6"),
    (LineupRule.INVERT, 3, "invert:3"),
    (LineupRule.INVERT, 6, "invert:6"),
]


def test_every_rule_the_dialog_offers_is_tried_against_the_command() -> None:
    assert {rule for rule, _, _ in CASES} == set(RULE_TEXT)


@JOURNEY_LOG
@pytest.mark.parametrize(("rule", "count", "typed"), CASES, ids=[c[2] for c in CASES])
def test_the_window_and_the_lineup_command_make_the_same_sessions(
    qtbot, tmp_path: Path, dialogs: Dialogs, rule: LineupRule, count: int | None, typed: str
) -> None:
    by_window, by_command = tmp_path / "window", tmp_path / "command"
    by_window.mkdir()
    by_command.mkdir()
    qualifying_file(by_window / "q.tbs")
    for name in ("q.tbs", "event.json"):  # the same event, in another folder
        shutil.copy(by_window / name, by_command / name)

    done = _lineup_command(by_command / "q.tbs", typed)
    assert done.returncode == 0, done.stderr

    user = User(qtbot, open_window(by_window / "q.tbs", tmp_path / "settings.ini"))
    user.show()
    act, _seen = answer(user, rule, count, "Heat", "3")
    dialogs.expect(LineupDialog, act)
    user.choose(*ACTION)
    assert dialogs.unexpected == [] and dialogs.expected == []

    made = sorted(p.name for p in by_command.glob("*.tbs"))
    assert sorted(p.name for p in by_window.glob("*.tbs")) == made
    assert done.stdout.split() == [str(by_command / n) for n in made if n != "q.tbs"]
    for name in made:
        assert read_back(by_window / name) == read_back(by_command / name), name
    record = {
        folder: json.loads((folder / "event.json").read_text(encoding="utf-8"))
        for folder in (by_window, by_command)
    }
    assert record[by_window] == record[by_command]
    qtbot.waitUntil(lambda: "q.tbs" not in user.window.windowTitle())
    user.window.close()
