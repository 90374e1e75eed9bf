"""Temporary folders of the demo and the simulator do not pile up."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from timingboard.app.scratch import ScratchFolder


def test_a_scratch_folder_goes_and_a_named_one_stays(tmp_path) -> None:
    scratch = ScratchFolder("timingboard-demo-")
    (scratch.path / "00-setup.tbs").write_text("x")
    assert scratch.close({scratch.path / "00-setup.tbs"}) == []
    assert not scratch.path.exists()
    kept = ScratchFolder("timingboard-demo-", keep=str(tmp_path / "mine"))
    (kept.path / "demo.tbs").write_text("x")
    kept.close()
    assert (tmp_path / "mine" / "demo.tbs").exists()


def test_the_simulator_leaves_no_folder_behind(tmp_path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = os.environ | {"TMPDIR": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
        done = subprocess.run(
            [sys.executable, "-m", "timingboard", "simulate", "--port", str(port)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2 and "cannot listen" in done.stderr
    assert list(tmp_path.iterdir()) == []
