"""A new user's first look: the desk window fits the screen and the board gets the room."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = Path(__file__).with_name("desk_probe.py")


def _probe(tmp_path: Path, width: int, height: int, dpr: float) -> dict:
    config = tmp_path / "screen.json"
    logical = {"width": width, "height": height, "logicalDpi": 96, "logicalBaseDpi": 96}
    screen = {"name": "desk", "x": 0, "y": 0, "dpr": dpr, **logical}
    config.write_text(json.dumps({"screens": [screen]}))
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    done = subprocess.run(
        [sys.executable, str(PROBE), str(tmp_path / "desk.png")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("width", "height", "dpr", "rows"),
    [(1280, 800, 1.0, 10), (1920, 1080, 1.0, 14), (1280, 800, 2.0, 10)],
    ids=["1280x800", "1920x1080", "2x"],
)
def test_the_first_window_fits_the_screen_and_shows_the_field(
    tmp_path: Path, width: int, height: int, dpr: float, rows: int
) -> None:
    seen = _probe(tmp_path, width, height, dpr)
    assert seen["frame_on_screen"], seen
    assert seen["status_on_screen"], seen
    assert seen["rows"] >= 20, seen
    assert seen["rows_shown"] >= rows, seen
    assert (tmp_path / "desk.png").stat().st_size > 10_000
