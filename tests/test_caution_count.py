"""A caution is counted once (issue 15): a yellow that became full-course yellow with no green
between is one caution, in the engine's count and on the results sheet the window exports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from journey import Dialogs, FakeTime, file_dialog_answer, new_session_window
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from race_scripts import QUARTER_MILE_RACE, entries, field, run

from timingboard.engine import Event, Flag, FlagChanged, Passing
from timingboard.engine.race_trace import Caution, cautions

Y, FCY, RED = Flag.YELLOW, Flag.FULL_COURSE_YELLOW, Flag.RED


def test_laps_under_yellow_then_full_course_with_no_green_between_are_one_caution() -> None:
    assert cautions([(4, 4, Y), (5, 5, FCY)]) == [Caution(4, 5, full_course=True)]
    assert cautions([(4, 4, Y), (6, 7, Y)]) == [Caution(4, 4, False), Caution(6, 7, False)]
    assert cautions([(2, 3, FCY), (4, 4, Y)]) == [Caution(2, 4, True)]
    assert cautions([(4, 4, Y), (5, 6, RED), (7, 7, Y)]) == [
        Caution(4, 4, False),
        Caution(7, 7, False),
    ]
    assert cautions([(3, 3, RED)]) == []
    assert cautions([]) == []


def test_the_engine_counts_the_race_as_it_ran() -> None:
    events: list[Event] = [*field(["1", "2"]), FlagChanged(time_ms=0, flag=Flag.GREEN)]
    for lap in range(0, 9):
        t = 1000 + lap * 10_000
        events += [Passing(time_ms=t, car="1"), Passing(time_ms=t + 400, car="2")]
    engine = run(QUARTER_MILE_RACE, events[:12])  # through lap 4's start
    for flag, at in ((Y, 35_000), (FCY, 45_000), (Flag.GREEN, 55_000)):
        engine.apply(entries([FlagChanged(time_ms=at, flag=flag)], engine.seq + 1))
    engine.apply(entries(events[12:], engine.seq + 1))
    assert engine.caution_laps() == [(4, 4, Y), (5, 5, FCY)]  # shaded by flag on the chart
    assert cautions(engine.caution_laps()) == [Caution(4, 5, full_course=True)]


@pytest.mark.qt_log_ignore("does not support (raise|grabbing|propagateSizeHints)")
def test_the_exported_sheet_counts_one_caution(qtbot, tmp_path: Path, monkeypatch) -> None:
    """Hand-timed: F6 on lap 4, Shift+F6 on lap 5, F5 on lap 6; File ▸ Export results."""
    clock = FakeTime().install(monkeypatch)
    user = new_session_window(qtbot, tmp_path, QUARTER_MILE_RACE, "heat.tbs")
    dialogs = Dialogs()
    user.press(Qt.Key.Key_F5)
    keys = {4: (Qt.Key.Key_F6, Qt.KeyboardModifier.NoModifier)}
    keys[5] = (Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    keys[6] = (Qt.Key.Key_F5, Qt.KeyboardModifier.NoModifier)
    for lap in range(0, 9):
        for car in ("31", "8"):
            clock.advance(0.5)
            user.enter(car)
        if lap in keys:
            clock.advance(5.0)
            user.press(*keys[lap])
        clock.advance(9.0)
    sheet = tmp_path / "heat.json"
    dialogs.expect(QFileDialog, file_dialog_answer(user, sheet, "JSON"))
    user.choose("File", "Export results")
    qtbot.waitUntil(lambda: sheet.is_file() or bool(dialogs.unexpected))
    dialogs.stop()
    assert dialogs.unexpected == []
    section = next(s for s in json.loads(sheet.read_text())["sections"] if s["key"] == "cautions")
    assert section["note"] == "1 caution for 2 laps (1 full-course yellow)"  # was 2 cautions
    user.window.close()
