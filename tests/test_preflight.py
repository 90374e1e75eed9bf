"""Starting the board where it cannot open a window gives one clear line, not a Qt abort."""

from __future__ import annotations

import os
import subprocess
import sys


def test_demo_without_a_display_says_so() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    run = subprocess.run(
        [sys.executable, "-m", "timingboard", "demo"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert run.returncode == 2
    assert run.stderr.startswith("timingboard: no display")
    assert "Traceback" not in run.stderr
