"""Hand timing as an operator does it: numbers typed as the cars cross, in a session with no
entry list (each number a new car at once) and with one (an unknown number held, with the time
of its first Enter, until it is typed again or retyped). No crossing is lost unsaid.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from journey import (
    FakeTime,
    User,
    file_dialog_answer,
    new_session_window,
    ok_button,
    open_window,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from race_scripts import QUARTER_MILE_QUALIFYING

from timingboard.engine import Flag
from timingboard.qt.leaderboard_model import Column
from timingboard.qt.passings_model import PassingColumn
from timingboard.store.recorder import SessionRecorder
from timingboard.widgets.entry_band import SAID_SHOWN_MS, WARNING, EntryBand
from timingboard.widgets.session_dialog import NewSessionDialog

JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")
SHOTS = Path(__file__).resolve().parents[1] / "build" / "journeys"
ENTRIES = "car,driver,team\n31,Justin Haley,Kaulig\n8,Kyle Busch,RCR\n"


def ms(session_time: str) -> int:
    """``0:01:02.345`` as milliseconds."""
    clock, thousandths = session_time.split(".")
    h, m, s = (int(part) for part in clock.split(":"))
    return ((h * 60 + m) * 60 + s) * 1000 + int(thousandths)


def typed_times(user: User, count: int) -> dict[str, int]:
    """Car number to the time of its passing in the Passings log (one each in these tests),
    once the log shows ``count`` passings."""
    user.qtbot.waitUntil(lambda: len(user.passings(PassingColumn.TIME)) == count)
    cars, times = user.passings(PassingColumn.CAR), user.passings(PassingColumn.TIME)
    return {car: ms(time) for car, time in zip(cars, times, strict=True)}


def command(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``timingboard ARGS`` in a new process (``env``: conftest's ``command_env``)."""
    return subprocess.run(
        [sys.executable, "-m", "timingboard", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def type_field(user: User, clock: FakeTime, cars: tuple[str, ...], apart: float) -> None:
    for car in cars:
        clock.advance(apart)
        user.enter(car)


@JOURNEY_LOG
def test_a_new_race_without_entries_logs_every_number_typed(
    qtbot, tmp_path, dialogs, monkeypatch
) -> None:
    """The walk: File ▸ New session, Race, 10 laps, Entries none; F5; 7⏎ 12⏎ 33⏎ 4.5 s apart.
    Each was held ("not in this session"), the next number threw it away: 0 passings."""
    clock = FakeTime().install(monkeypatch)
    user = new_session_window(qtbot, tmp_path, QUARTER_MILE_QUALIFYING, "practice.tbs")

    def fill(dialog) -> None:
        assert isinstance(dialog, NewSessionDialog)
        user.fill(dialog.name, "Heat 1")
        user.tab_to(dialog.kind)
        user.type("R")
        user.fill(dialog.laps, "10")
        assert dialog.entries_from.currentText() == "none"
        user.click(ok_button(dialog))

    dialogs.expect(NewSessionDialog, fill)
    dialogs.expect(QFileDialog, file_dialog_answer(user, tmp_path / "heat-1.tbs"))
    user.choose("File", "New session")
    assert dialogs.unexpected == [] and dialogs.expected == []
    user.activate()
    qtbot.waitUntil(lambda: user.focused() is user.window.entry_panel.car_field)
    user.press(Qt.Key.Key_F5)
    type_field(user, clock, ("7", "12", "33"), apart=4.5)

    assert user.entry_message()[0] == "Car 33: start of lap 1"
    qtbot.waitUntil(lambda: user.header()["passings"] == "3 passings")
    qtbot.waitUntil(lambda: sorted(user.column(Column.CAR)) == ["12", "33", "7"])
    times = typed_times(user, 3)
    assert times["12"] - times["7"] in range(4450, 4550)  # each stamped at its own Enter
    assert times["33"] - times["12"] in range(4450, 4550)
    assert not user.window.entry_panel.held_line.isVisible()
    user.window.close()


@JOURNEY_LOG
def test_new_without_entries_then_open_logs_numbers_at_once(
    qtbot, tmp_path, monkeypatch, command_env
):
    """``timingboard new`` without --entries, then ``timingboard open``: the same."""
    made = command(
        command_env, tmp_path, "new", "heat.tbs", "--name", "Heat", "--kind", "race", "--laps", "10"
    )
    assert made.returncode == 0, made.stderr
    clock = FakeTime().install(monkeypatch)
    user = User(qtbot, open_window(tmp_path / "heat.tbs", tmp_path / "settings.ini"))
    user.show()
    user.press(Qt.Key.Key_F5)
    type_field(user, clock, ("7", "12", "33"), apart=4.5)
    qtbot.waitUntil(lambda: user.header()["passings"] == "3 passings")
    assert sorted(typed_times(user, 3)) == ["12", "33", "7"]
    user.window.close()
    user.window.controller.close()
    reopened = SessionRecorder.open(tmp_path / "heat.tbs")
    assert sorted(p.key for p in reopened.engine.passings.values()) == ["12", "33", "7"]
    reopened.close()


@pytest.fixture
def listed(qtbot, tmp_path: Path, monkeypatch, command_env):
    """A race made by ``timingboard new --entries`` (31 and 8), opened, green shown."""
    (tmp_path / "entries.csv").write_text(ENTRIES, encoding="utf-8")
    made = command(
        command_env, tmp_path, "new", "heat.tbs", "--name", "Heat", "--kind", "race",
        "--laps", "10", "--entries", "entries.csv",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    clock = FakeTime().install(monkeypatch)
    user = User(qtbot, open_window(tmp_path / "heat.tbs", tmp_path / "settings.ini"))
    user.show()
    user.press(Qt.Key.Key_F5)
    user.clock = clock
    yield user
    user.window.close()
    user.window.controller.close()


@JOURNEY_LOG
def test_an_unknown_number_confirmed_is_logged_at_its_first_enter(listed, qtbot) -> None:
    user, clock = listed, listed.clock
    panel = user.window.entry_panel
    clock.advance(3.0)
    user.enter("33")
    assert user.entry_message()[0].startswith("33? NOT ON THE ENTRY LIST")
    assert user.header()["passings"] == "0 passings"
    clock.advance(4.5)  # the operator looks, then confirms
    user.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: user.header()["passings"] == "1 passing")
    assert user.entry_message()[0] == "Car 33: start of lap 1"
    clock.advance(1.0)
    user.enter("31")
    times = typed_times(user, 2)
    assert times["31"] - times["33"] in range(5450, 5550)  # 33 crossed at its first Enter
    assert not panel.held_line.isVisible()


@JOURNEY_LOG
def test_another_number_typed_while_one_is_held_keeps_both(listed, qtbot) -> None:
    user, clock = listed, listed.clock
    panel = user.window.entry_panel
    clock.advance(3.0)
    user.enter("33")
    clock.advance(2.0)
    user.enter("8")  # the next car crosses before the operator decides about 33
    assert user.entry_message()[0] == "Car 8: start of lap 1"
    assert panel.held_line.isVisible()
    assert panel.held_line.text().startswith("Held: 33 at 0:00:")
    user.screenshot(SHOTS / "held-crossing.png")
    qtbot.waitUntil(lambda: user.header()["passings"] == "1 passing")
    clock.advance(2.0)
    user.enter("33")  # typed again: added, at the time of its first Enter
    qtbot.waitUntil(lambda: user.header()["passings"] == "2 passings")
    times = typed_times(user, 2)
    assert times["8"] - times["33"] in range(1950, 2050)
    assert not panel.held_line.isVisible()
    assert user.entry_message()[0] == "Car 33: start of lap 1"


@JOURNEY_LOG
def test_a_mistyped_number_retyped_after_esc_keeps_the_crossing_time(listed, qtbot) -> None:
    user, clock = listed, listed.clock
    panel = user.window.entry_panel
    clock.advance(3.0)
    user.enter("13")  # a typo for 31
    clock.advance(4.0)
    user.press(Qt.Key.Key_Escape)
    assert user.entry_message()[0].startswith("Type the right number for the crossing at 0:00:")
    assert "Esc again drops it" in user.entry_message()[0]
    assert panel.held_line.text().startswith("Retyping the crossing at")
    user.enter("31")
    qtbot.waitUntil(lambda: user.header()["passings"] == "1 passing")
    clock.advance(1.0)
    user.enter("8")
    times = typed_times(user, 2)
    assert times["8"] - times["31"] in range(4950, 5050)  # 31 at the typo's Enter
    assert "13" not in user.column(Column.CAR)
    assert not panel.held_line.isVisible()

    clock.advance(1.0)
    user.enter("99")
    user.press(Qt.Key.Key_Escape)
    user.press(Qt.Key.Key_Escape)  # dropped, and said so
    assert user.entry_message()[0].startswith("Dropped the crossing typed as 99 at 0:00:")
    assert not panel.held_line.isVisible()
    assert user.header()["passings"] == "2 passings"


@JOURNEY_LOG
def test_a_number_typed_too_long_is_refused_whole_not_cut(listed, qtbot) -> None:
    """The walk: 23 digits and Enter read "12345678? NOT ON THE ENTRY LIST", the digits after
    the eighth dropped unsaid. Refused whole now, said why, nothing held or logged."""
    user = listed
    panel = user.window.entry_panel
    user.enter("12345678901234567890123")
    said, style = user.entry_message()
    assert "at most 8 digits" in said and "23 typed" in said and "Nothing logged" in said
    assert "NOT ON THE ENTRY LIST" not in said and "#ff6b6b" in style
    assert panel.car_field.text() == "12345678901234567890123"  # kept, selected to retype
    assert not panel.held_line.isVisible() and user.header()["passings"] == "0 passings"
    user.screenshot(SHOTS / "too-long-number.png")
    user.enter("31")  # typed over it
    qtbot.waitUntil(lambda: user.header()["passings"] == "1 passing")
    assert user.entry_message()[0] == "Car 31: start of lap 1"


def wall_says(band: EntryBand) -> tuple[str, str, str]:
    """What the entry band on a wall shows: the number typed, the message, the held line
    (each "" when not shown)."""
    if not band.isVisible():
        return "", "", ""
    shown = (band.typed, band.message, band.held)
    return tuple(label.text() if label.isVisible() else "" for label in shown)  # type: ignore[return-value]


@JOURNEY_LOG
def test_on_the_wall_the_operator_sees_what_is_typed_and_said(listed, qtbot) -> None:
    """The walk: F5, F11, 3⏎ then 33⏎ — the wall showed nothing of 33, the yellow box came
    only after Esc took the user back to the desk. Now the number typed and the panel's words
    are on the wall, and Enter again / Esc act as on the desk; Esc leaves once nothing is left."""
    user, clock = listed, listed.clock
    window = user.window
    band = window.scoreboard.entry_band
    user.press(Qt.Key.Key_F11)
    assert window.board_mode.is_on and not window.entry_panel.isVisible()
    assert wall_says(band)[::2] == ("", "")  # nothing typed nor held (F5 said just now)
    clock.advance(2.0)
    user.type("8")
    assert wall_says(band) == ("8", "", "")
    user.press(Qt.Key.Key_Return)
    assert wall_says(band) == ("", "Car 8: start of lap 1", "")
    clock.advance(1.0)
    user.type("33")
    assert wall_says(band)[0] == "33"
    user.press(Qt.Key.Key_Return)
    typed, said, held = wall_says(band)
    assert typed == "33" and said.startswith("33? NOT ON THE ENTRY LIST — Enter again")
    assert said == window.entry_panel.message.text()  # the panel's words, one home
    assert held.startswith("Held: 33 at 0:00:")
    assert band.geometry().bottom() == window.scoreboard.height() - 1  # across the bottom
    assert band.width() == window.scoreboard.width()
    assert WARNING in band.styleSheet()
    user.screenshot(SHOTS / "wall-unknown-number.png")
    clock.advance(3.0)
    user.press(Qt.Key.Key_Return)  # again: added, at its first Enter
    qtbot.waitUntil(lambda: user.header()["passings"] == "2 passings")
    assert wall_says(band) == ("", "Car 33: start of lap 1", "")
    assert window.board_mode.is_on

    user.enter("13")  # a typo for 31
    user.press(Qt.Key.Key_Escape)  # retyped, as on the desk: the wall stays
    assert window.board_mode.is_on
    typed, said, held = wall_says(band)
    assert typed == "" and said.startswith("Type the right number for the crossing at 0:00:")
    assert held.startswith("Retyping the crossing at")
    user.enter("31")
    qtbot.waitUntil(lambda: user.header()["passings"] == "3 passings")
    user.enter("99")
    user.press(Qt.Key.Key_Escape)
    user.press(Qt.Key.Key_Escape)  # dropped, and said so on the wall
    assert window.board_mode.is_on
    assert wall_says(band)[1].startswith("Dropped the crossing typed as 99 at 0:00:")
    user.type("7")
    user.press(Qt.Key.Key_Escape)  # a number half typed is cleared first
    assert window.board_mode.is_on and wall_says(band)[0] == ""
    user.press(Qt.Key.Key_Escape)  # nothing left to clear: the desk comes back
    assert not window.board_mode.is_on and window.entry_panel.isVisible()
    assert user.header()["passings"] == "3 passings"


@JOURNEY_LOG
def test_the_scoreboard_window_shows_what_the_desk_types(listed, qtbot) -> None:
    """View ▸ Scoreboard window keeps the keyboard on the desk: what is typed there and said of
    it shows on the wall too."""
    user = listed
    user.choose("View", "Scoreboard window", "Screen 1")
    wall = user.window.scoreboard_actions.scoreboard_window
    assert wall is not None and wall.isVisible()
    user.activate()
    band = wall.scoreboard.entry_band
    assert user.focused() is user.window.entry_panel.car_field  # the desk keeps the keys
    user.type("33")
    assert wall_says(band) == ("33", "", "")
    user.press(Qt.Key.Key_Return)
    typed, said, held = wall_says(band)
    assert typed == "33" and said.startswith("33? NOT ON THE ENTRY LIST")
    assert held.startswith("Held: 33 at")
    assert WARNING in band.styleSheet()
    assert wall.grab().save(str(SHOTS / "scoreboard-window-unknown-number.png"))
    user.press(Qt.Key.Key_Escape)
    assert wall_says(band)[1].startswith("Type the right number")
    user.enter("31")
    qtbot.waitUntil(lambda: user.header()["passings"] == "1 passing")
    assert wall_says(band) == ("", "Car 31: start of lap 1", "")
    qtbot.waitUntil(lambda: not band.isVisible(), timeout=SAID_SHOWN_MS + 2000)  # then leaves


def _answer(label: str):
    def act(box) -> None:
        (button,) = [b for b in box.buttons() if b.text() == label]
        button.click()

    return act


@JOURNEY_LOG
def test_quitting_with_a_crossing_held_asks_and_loses_nothing(
    listed, qtbot, dialogs, tmp_path: Path
) -> None:
    """The walk typed 88 (not on the list), saw it held, pressed Ctrl+Q: the window closed and
    the crossing was gone, not in the file. Leaving now asks: back, add and log, or discard."""
    from PySide6.QtWidgets import QMessageBox

    from timingboard.store import SessionFile

    user, clock = listed, listed.clock
    clock.advance(3.0)
    user.enter("88")
    clock.advance(2.0)
    user.enter("31")  # another car crossed meanwhile: logged, 88 still held
    seen: list[str] = []

    def note(answer: str):
        def act(box) -> None:
            seen.append(box.text())
            _answer(answer)(box)

        return act

    dialogs.expect(QMessageBox, note("Cancel"))
    user.press(Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(seen) == 1)
    assert seen[0].startswith("1 crossing(s) typed for numbers not on the entry list are held")
    assert "88 at 0:00:" in seen[0]
    assert user.window.isVisible()  # back to the session, the crossing still held
    assert user.window.entry_panel.held_line.text().startswith("Held: 88 at")
    dialogs.expect(QMessageBox, note("Add and log them"))
    user.choose("File", "Quit")  # the menu's Quit asks the same
    qtbot.waitUntil(lambda: not user.window.isVisible())
    assert dialogs.unexpected == []
    file = SessionFile.open(tmp_path / "heat.tbs", read_only=True)
    try:
        logged = [e.event for e in file.entries() if type(e.event).__name__ == "Passing"]
        passings = sorted(logged, key=lambda p: p.time_ms)
        assert [p.key for p in passings] == ["88", "31"]  # 88 at the time it was typed
        assert passings[1].time_ms - passings[0].time_ms in range(1950, 2050)
    finally:
        file.close()


@JOURNEY_LOG
def test_opening_another_session_with_a_crossing_held_can_discard_it(
    listed, qtbot, dialogs, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from timingboard.store import SessionRecorder

    other = tmp_path / "other.tbs"
    SessionRecorder.create(other, listed.window.controller.engine.settings).close()
    user = listed
    user.enter("88")
    dialogs.expect(QMessageBox, _answer("Discard them"))
    assert user.window.session_actions.open_session(other)  # as File ▸ Open does
    assert dialogs.unexpected == []
    assert "other.tbs" in user.window.windowTitle()
    assert not user.window.entry_panel.held_line.isVisible()


@JOURNEY_LOG
def test_every_held_crossing_reads_whole_on_the_panel(listed, qtbot) -> None:
    """The walk: 55⏎ and 56⏎, neither listed, on a 1280x800 desk. The one held line read
    "Held: 55 at 0:01:54.464, 56 at … — type the number agai…", and after 56 was added the
    55 still held was only in that cut line. Each held crossing reads whole now, over as many
    lines as they take; only what to do with them is cut."""
    user, clock = listed, listed.clock
    user.window.showNormal()
    user.window.resize(1280, 800)
    panel = user.window.entry_panel
    held = panel.held_line
    for car in ("55", "56", "57", "58"):
        clock.advance(2.0)
        user.enter(car)
    qtbot.waitUntil(lambda: held.isVisible() and held.text().count(" at 0:00:") == 4)
    lines = held.text().split("\n")
    room = held.contentsRect().width()
    assert all(held.fontMetrics().horizontalAdvance(line) <= room for line in lines), lines
    assert lines[0].startswith("Held: 55 at 0:00:")
    for car in ("55", "56", "57", "58"):  # number and time on one line, never cut
        assert any(re.search(rf"\b{car} at 0:00:\d\d\.\d{{3}}\b", line) for line in lines)
    spacing = held.fontMetrics().lineSpacing()
    qtbot.waitUntil(lambda: held.height() >= len(lines) * spacing)  # none drawn under another
    qtbot.waitUntil(lambda: held.geometry().bottom() < panel.flag_buttons[Flag.GREEN].y())
    assert "type the number again" in held.toolTip() or "type the number again" in lines[-1]
    message = panel.message  # each line drawn in sight: under the message, over the flags
    qtbot.waitUntil(lambda: held.geometry().top() >= message.geometry().bottom())
    user.screenshot(SHOTS / "held-crossings-whole.png")
    clock.advance(2.0)
    user.enter("56")  # typed again: added; 55, 57 and 58 still held, whole
    qtbot.waitUntil(lambda: user.header()["passings"] == "1 passing")
    lines = held.text().split("\n")
    assert lines[0].startswith("Held: 55 at 0:00:")
    assert all(held.fontMetrics().horizontalAdvance(line) <= room for line in lines), lines
    assert "56 at" not in held.text() and re.search(r"58 at 0:00:\d\d\.\d{3}", held.text())
    user.window.entry.drop_pending()  # still held: closing the window would ask about them
