"""The walk's faults in commands and files (issue 15): what a command says of a bad rule, and the
permissions of the files a new session writes, through the command and the window as used."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from journey import User, file_dialog_answer, ok_button, open_window
from PySide6.QtWidgets import QFileDialog
from race_scripts import QUARTER_MILE_QUALIFYING, QUARTER_MILE_RACE, three_car_race

from timingboard.engine.events import Flag, FlagChanged
from timingboard.store.recorder import SessionRecorder
from timingboard.widgets.session_dialog import NewSessionDialog

JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "timingboard", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


@pytest.mark.parametrize("rule", ["split:0", "invert:0", "transfer:0"])
def test_lineup_with_a_count_of_zero_says_it_needs_one_or_more(tmp_path: Path, rule: str) -> None:
    heat = tmp_path / "heat.tbs"
    recorder = SessionRecorder.create(heat, QUARTER_MILE_RACE)
    recorder.submit(three_car_race())
    recorder.submit([FlagChanged(time_ms=63_000, flag=Flag.CHECKERED)])
    recorder.close()
    run = _cli("lineup", str(heat), "--rule", rule, "--name", "Feature")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    kind = rule.split(":")[0]
    assert run.stderr.strip().splitlines() == [
        f"timingboard: {kind} needs a number of 1 or more, as in {kind}:4"
    ], run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["heat.tbs"]


@JOURNEY_LOG
def test_a_new_session_in_a_fresh_folder_writes_event_json_like_its_other_files(
    qtbot, tmp_path, dialogs
) -> None:
    practice = tmp_path / "earlier" / "practice.tbs"
    practice.parent.mkdir()
    SessionRecorder.create(practice, QUARTER_MILE_QUALIFYING).close()
    user = User(qtbot, open_window(practice, tmp_path / "settings.ini"))
    user.show()
    home = tmp_path / "home"
    home.mkdir()
    race = home / "heat-1.tbs"

    def fill(dialog) -> None:
        assert isinstance(dialog, NewSessionDialog)
        user.fill(dialog.name, "Heat 1")
        user.fill(dialog.track, "Coliseum")
        user.fill(dialog.length, "0.250")
        user.click(ok_button(dialog))

    dialogs.expect(NewSessionDialog, fill)
    dialogs.expect(QFileDialog, file_dialog_answer(user, race))
    user.choose("File", "New session")
    assert dialogs.unexpected == [] and dialogs.expected == []
    assert race.is_file()
    umask = os.umask(0)
    os.umask(umask)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in home.iterdir() if p.is_file()}
    assert modes["event.json"] == 0o666 & ~umask == modes["heat-1.tbs"], modes
    user.window.close()
    user.window.controller.close()


def legend_texts(chart) -> list[str]:
    return [label.text for _sample, label in chart.getPlotItem().legend.items]


@JOURNEY_LOG
def test_the_lap_chart_legend_is_the_new_sessions(qtbot, tmp_path, dialogs) -> None:
    """Car 8 charted in both sessions: the next one's legend kept the last one's "#8"."""
    from journey import file_dialog_answer

    from timingboard.engine.events import CompetitorSet, Passing, Source

    earlier, later = tmp_path / "heat-1.tbs", tmp_path / "heat-2.tbs"
    recorder = SessionRecorder.create(earlier, QUARTER_MILE_QUALIFYING)
    recorder.submit([CompetitorSet(key="8", car="8"), FlagChanged(time_ms=0, flag=Flag.GREEN)])
    for lap in range(3):
        recorder.submit([Passing(time_ms=1000 + lap * 61_000, key="8", source=Source.MANUAL)])
    recorder.close()
    recorder = SessionRecorder.create(later, QUARTER_MILE_QUALIFYING)
    recorder.submit([CompetitorSet(key="8", car="8", driver="Kyle Busch")])
    recorder.close()
    user = User(qtbot, open_window(earlier, tmp_path / "settings.ini"))
    user.show()
    chart = user.window.chart
    qtbot.waitUntil(lambda: len(legend_texts(chart)) == 1)
    assert "Kyle" not in legend_texts(chart)[0]
    dialogs.expect(QFileDialog, file_dialog_answer(user, later))
    user.choose("File", "Open session")
    assert dialogs.unexpected == []
    qtbot.waitUntil(lambda: user.window.controller.recorder.file.path == later)
    qtbot.waitUntil(lambda: "Busch" in " ".join(legend_texts(chart)))
    user.window.close()
    user.window.controller.close()


@JOURNEY_LOG
def test_no_legend_box_on_a_chart_without_cars(qtbot, tmp_path, dialogs) -> None:
    """A session with no car yet: the lap chart showed an empty legend box; it comes with the
    first car charted."""
    from journey import file_dialog_answer

    from timingboard.engine.events import CompetitorSet, Passing, Source

    empty, raced = tmp_path / "practice.tbs", tmp_path / "heat-1.tbs"
    SessionRecorder.create(empty, QUARTER_MILE_QUALIFYING).close()
    recorder = SessionRecorder.create(raced, QUARTER_MILE_QUALIFYING)
    recorder.submit([CompetitorSet(key="8", car="8"), FlagChanged(time_ms=0, flag=Flag.GREEN)])
    for lap in range(3):
        recorder.submit([Passing(time_ms=1000 + lap * 61_000, key="8", source=Source.MANUAL)])
    recorder.close()
    user = User(qtbot, open_window(empty, tmp_path / "settings.ini"))
    user.show()
    legend = user.window.chart.getPlotItem().legend
    qtbot.waitUntil(lambda: user.window.chart.isVisible())
    assert legend_texts(user.window.chart) == [] and not legend.isVisible()
    dialogs.expect(QFileDialog, file_dialog_answer(user, raced))
    user.choose("File", "Open session")
    assert dialogs.unexpected == []
    qtbot.waitUntil(lambda: len(legend_texts(user.window.chart)) == 1)
    assert legend.isVisible()
    user.window.close()
    user.window.controller.close()
