"""The new user's hand-timed race, walked through the real window: File ▸ New session, a race
whose entries are the qualifying session's, F5, the numbers typed as the cars cross. What the
board reads at the start, what its clocks say, and its gaps once a lap is down."""

from __future__ import annotations

import re

import pytest
from journey import (
    FakeTime,
    User,
    file_dialog_answer,
    ok_button,
    open_window,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from test_journeys_hand_timing import command

from timingboard.qt.leaderboard_model import Column
from timingboard.widgets.session_dialog import NewSessionDialog

JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")
# the qualifying's entries, with the grid slots it gave (numbers not in slot order)
ENTRIES = (
    "car,driver,team,grid\n1,Kyle Larson,HMS,4\n2,Austin Cindric,Penske,8\n"
    "3,Austin Dillon,RCR,2\n4,Josh Berry,SHR,6\n8,Kyle Busch,RCR,5\n"
    "20,Christopher Bell,JGR,7\n24,William Byron,HMS,1\n31,Justin Haley,Kaulig,3\n"
)


@pytest.fixture
def race(qtbot, tmp_path, dialogs, monkeypatch, command_env):
    """Qualifying made by ``timingboard new --entries``, opened; then File ▸ New session: a
    10-lap race, entries from the qualifying session. The race's window, its clock the test's."""
    (tmp_path / "entries.csv").write_text(ENTRIES, encoding="utf-8")
    made = command(
        command_env, tmp_path, "new", "q.tbs", "--name", "Qualifying", "--kind", "qualifying",
        "--entries", "entries.csv",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    clock = FakeTime().install(monkeypatch)
    user = User(qtbot, open_window(tmp_path / "q.tbs", tmp_path / "settings.ini"))
    user.show()

    def fill(dialog) -> None:
        assert isinstance(dialog, NewSessionDialog)
        user.fill(dialog.name, "Heat 1")
        user.tab_to(dialog.kind)
        user.type("R")
        user.fill(dialog.laps, "10")
        dialog.entries_from.setCurrentIndex(
            dialog.entries_from.findText("an earlier session of the event")
        )
        user.fill(dialog.entries_path, str(tmp_path / "q.tbs"))
        user.click(ok_button(dialog))

    dialogs.expect(NewSessionDialog, fill)
    dialogs.expect(QFileDialog, file_dialog_answer(user, tmp_path / "heat-1.tbs"))
    user.choose("File", "New session")
    assert dialogs.unexpected == [] and dialogs.expected == []
    qtbot.waitUntil(lambda: user.header()["session"].startswith("Heat 1"))
    user.activate()
    qtbot.waitUntil(lambda: user.focused() is user.window.entry_panel.car_field)
    user.clock = clock
    yield user
    user.window.close()
    user.window.controller.close()


def crossing(user: User, seconds: float, *cars: str) -> None:
    for car in cars:
        user.clock.advance(seconds)
        user.enter(car)


@JOURNEY_LOG
def test_at_0_laps_the_cars_that_took_the_start_lead_in_the_order_they_crossed(race, qtbot) -> None:
    user = race
    assert user.column(Column.CAR) == ["24", "3", "31", "1", "8", "4", "20", "2"]  # the grid
    user.press(Qt.Key.Key_F5)
    crossing(user, 1.0, "31", "8", "20", "24")
    qtbot.waitUntil(lambda: user.header()["passings"] == "4 passings")
    # the four that crossed, as they crossed (lap 0 completed); the rest by grid slot
    qtbot.waitUntil(lambda: user.column(Column.CAR) == ["31", "8", "20", "24", "3", "1", "4", "2"])
    assert user.column(Column.POSITION) == [str(p) for p in range(1, 9)]
    assert user.cell(0, Column.LAPS) == "0"


MOMENT = re.compile(r"(\d:\d\d:\d\d)\.\d{3} (since green|session time)")


@JOURNEY_LOG
def test_the_times_the_entry_panel_says_read_on_the_headers_clock(race, qtbot) -> None:
    """The walk: the session open 5 s before F5; 23 s later 33 (not on the entry list) typed.
    The header read "since green 0:00:23", the panel "its crossing at 0:00:28.043 is kept"
    (session time), the wall "0:07:33" beside "0:07:38.674". Now each says the header's clock,
    and which clock it is."""
    user = race
    window = user.window
    user.clock.advance(5.0)
    user.press(Qt.Key.Key_F5)
    user.clock.advance(23.0)
    user.enter("33")
    said = user.entry_message()[0]
    assert said.startswith("33? NOT ON THE ENTRY LIST")
    moment = MOMENT.search(said)
    assert moment is not None and moment[2] == "since green", said
    qtbot.waitUntil(lambda: user.header()["clock"] == "0:00:23")
    assert moment[1] == user.header()["clock"]
    assert window.header.clock_kind.text() == "since green"
    held = window.entry_panel.held_line.text()
    assert held.startswith(f"Held: 33 at {moment[0]}")
    user.press(Qt.Key.Key_Escape)  # retype it: the same moment, on the same clock
    assert f"crossing at {moment[0]} (typed as 33)" in user.entry_message()[0]
    user.enter("8")
    qtbot.waitUntil(lambda: user.header()["passings"] == "1 passing")
    recent = window.entry_panel.recent.item(0).text()
    assert recent == f"{moment[0]}  Car 8"  # the recent list too, at the held crossing's time

    user.press(Qt.Key.Key_F11)  # the wall: its clock and what the band says agree
    band = window.scoreboard.entry_band
    user.clock.advance(2.0)
    user.enter("77")
    message = band.message.text()
    wall_moment = MOMENT.search(message)
    assert wall_moment is not None and wall_moment[2] == "since green", message
    qtbot.waitUntil(lambda: window.scoreboard.band.clock.text() == wall_moment[1])
    user.press(Qt.Key.Key_Escape)
    user.press(Qt.Key.Key_Escape)  # dropped, and said so on the same clock
    assert band.message.text() == f"Dropped the crossing typed as 77 at {wall_moment[0]}."


def results_rows(user: User) -> dict[str, tuple[str, str]]:
    """Car to (position, gap) on the results sheet, as File ▸ Results prints it."""
    rows = user.window.results.sheet().sections[0].rows
    return {r["car"]: (r["position"], r["gap"]) for r in rows}


@JOURNEY_LOG
def test_a_car_passed_since_its_last_crossing_reads_its_laps_down_as_the_sheet(race, qtbot) -> None:
    """The walk: P2 Bell "+5:38.471", P3 Haley "+6.420" with Int "+1 lap", the sheet "+1 lap".
    Haley's last crossing (lap 1) came before Bell's lap 1; Bell is a lap ahead of her now."""
    user = race
    user.press(Qt.Key.Key_F5)
    script = [(0.0, "24"), (0.5, "31"), (0.5, "20"), (0.5, "8")]  # the start
    script += [(98.5, "24"), (6.42, "31"), (3.58, "20"), (90.0, "24"), (338.471, "20")]
    for seconds, car in script:
        crossing(user, seconds, car)
    qtbot.waitUntil(lambda: user.header()["passings"] == "9 passings")
    qtbot.waitUntil(lambda: user.column(Column.CAR)[:3] == ["24", "20", "31"])
    assert user.column(Column.LAPS)[:3] == ["2", "2", "1"]
    assert re.fullmatch(r"\+5:38\.\d{3}", user.cell(1, Column.GAP))  # Bell, on the lead lap
    assert (user.cell(2, Column.GAP), user.cell(2, Column.INTERVAL)) == ("+1 lap", "+1 lap")
    sheet = results_rows(user)
    assert sheet["31"] == ("3", "+1 lap")  # the board and the sheet agree
    assert sheet["20"][1] == user.cell(1, Column.GAP)
