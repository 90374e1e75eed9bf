"""The Entry panel says what the engine did with a typed passing: a double read is amber and
says why, also when a crossing logged later turns a typed lap into one."""

from __future__ import annotations

from pathlib import Path

import pytest
from journey import FakeTime, new_session_window
from PySide6.QtCore import Qt
from race_scripts import QUARTER_MILE_QUALIFYING

from timingboard.engine.events import Passing, Source
from timingboard.qt.passings_model import PassingColumn
from timingboard.widgets.entry_panel import GOOD, WARNING

JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


def ms(text: str) -> int:
    clock, thousandths = text.split(".")
    h, m, s = (int(x) for x in clock.split(":"))
    return ((h * 60 + m) * 60 + s) * 1000 + int(thousandths)


@pytest.fixture
def user(qtbot, tmp_path: Path, monkeypatch):
    clock = FakeTime().install(monkeypatch)
    user = new_session_window(qtbot, tmp_path, QUARTER_MILE_QUALIFYING, "practice.tbs")
    user.clock = clock
    yield user
    user.window.close()
    user.window.controller.close()


@JOURNEY_LOG
def test_a_typed_lap_that_a_later_logged_crossing_makes_a_double_read(user, qtbot) -> None:
    clock = user.clock
    user.press(Qt.Key.Key_F5)
    user.enter("31")
    clock.advance(13.6)
    user.enter("31")
    assert user.entry_message() == ("Car 31: lap 1", f"color: {GOOD};")
    qtbot.waitUntil(lambda: len(user.passings(PassingColumn.TIME)) == 2)
    typed = ms(user.passings(PassingColumn.TIME)[0])
    # the decoder's own crossing of car 31, 0.356 s before, reaches the board only now
    crossing = Passing(time_ms=typed - 356, key="31", source=Source.DECODER)
    assert user.window.controller.submit([crossing])
    text, style = user.entry_message()
    assert text == "Car 31: double read — not counted (0.356 s after its last crossing)"
    assert WARNING in style
    assert user.window.entry_panel.recent.item(0).text().endswith("Car 31  (not counted)")


@JOURNEY_LOG
def test_passings_typed_after_the_finish_are_stamped_when_typed(user, qtbot) -> None:
    """The clock stands once the session is over; five crossings typed after it were all
    stamped at the standing clock (0:05:15.439 each)."""
    clock = user.clock
    user.press(Qt.Key.Key_F5)
    for car in ("31", "8"):
        user.enter(car)
        clock.advance(14.0)
    user.enter("31")
    user.enter("8")
    user.press(Qt.Key.Key_F9)  # the checkered: both cars finish on their next crossing
    clock.advance(14.0)
    user.enter("31")
    user.enter("8")
    qtbot.waitUntil(lambda: len(user.passings(PassingColumn.TIME)) == 6)
    for _ in range(3):  # cool-down laps: after the finish
        clock.advance(2.5)
        user.enter("31")
    qtbot.waitUntil(lambda: len(user.passings(PassingColumn.TIME)) == 9)
    late = [ms(t) for t in user.passings(PassingColumn.TIME)[:3]]  # newest first
    assert late[0] - late[1] >= 2400 and late[1] - late[2] >= 2400, late
    assert user.passings(PassingColumn.STATUS)[:3] == ["after finish"] * 3


@pytest.fixture
def race_user(qtbot, tmp_path: Path, monkeypatch):
    from race_scripts import QUARTER_MILE_RACE

    clock = FakeTime().install(monkeypatch)
    user = new_session_window(qtbot, tmp_path, QUARTER_MILE_RACE, "heat.tbs")
    user.clock = clock
    yield user
    user.window.close()
    user.window.controller.close()


@JOURNEY_LOG
def test_a_green_thrown_after_a_mistaken_checkered_reopens_the_race(race_user, qtbot) -> None:
    """F9 then F5: the band said GREEN … Finished, every later crossing "after finish", the
    leader's status blank while the others said Finished."""
    from timingboard.qt.leaderboard_model import Column

    user, clock = race_user, race_user.clock
    user.press(Qt.Key.Key_F5)
    for car in ("31", "8", "20"):
        user.enter(car)
        clock.advance(14.0)
    user.enter("31")
    user.press(Qt.Key.Key_F9)  # by mistake
    for car in ("8", "20"):
        user.enter(car)
    user.press(Qt.Key.Key_F5)  # race control: the race goes on
    assert user.header()["flag"] == "GREEN"
    assert "Finished" not in user.header()["remaining"]
    for _ in range(2):
        clock.advance(14.0)
        for car in ("31", "8", "20"):
            user.enter(car)
    qtbot.waitUntil(lambda: user.column(Column.LAPS) == ["3", "3", "3"])
    assert "after finish" not in user.passings(PassingColumn.STATUS)
    assert "Finished" not in user.column(Column.STATUS)
    user.press(Qt.Key.Key_F9)  # now for real: every car finishes at its next crossing
    clock.advance(14.0)
    for car in ("31", "8", "20"):
        user.enter(car)
    qtbot.waitUntil(lambda: user.column(Column.STATUS) == ["Finished"] * 3)
