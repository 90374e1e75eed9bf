"""The walk's faults in commands and files (issue 15): what a command says of a bad rule, and the
permissions of the files a new session writes, through the command and the window as used."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from race_scripts import QUARTER_MILE_RACE, three_car_race

from timingboard.engine.events import Flag, FlagChanged
from timingboard.store.recorder import SessionRecorder

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
