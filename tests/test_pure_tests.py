"""`pytest -m pure` runs the engine, feeds, store and reports tests with no Qt in the process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def pure_run(*args: str, probe: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PURE_PROBE": probe}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-m", "pure", "-q", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_pure_run_has_no_qt_in_the_process() -> None:
    run = pure_run("tests/test_session_file.py")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "pure run: no Qt module in the process" in run.stdout
    assert " passed" in run.stdout and "deselected" not in run.stdout


def test_a_pure_run_leaves_out_the_qt_tests_of_a_mixed_file() -> None:
    run = pure_run("tests/test_results_and_lineups.py")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "deselected" in run.stdout  # the window's export, the dialog, the PDF


def test_a_pure_test_that_imports_qt_fails_the_pure_run() -> None:
    run = pure_run("tests/pure_probe.py", probe="import")
    assert run.returncode == pytest.ExitCode.TESTS_FAILED
    assert "PySide6 imported in a pure test run" in run.stdout


def test_qt_in_the_process_at_the_end_fails_the_pure_run() -> None:
    run = pure_run("tests/pure_probe.py", probe="module")
    assert run.returncode == pytest.ExitCode.TESTS_FAILED
    assert "2 passed" in run.stdout
    assert "pure run FAILED: Qt in the process: PySide6" in run.stdout
