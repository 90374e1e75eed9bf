"""``timingboard connect HOST:PORT`` without ``--dir``: the walk of main found
``waiting-for-feed.tbs`` and its lock and write-ahead log in whatever folder the command was
started in, and a TERM left the lock and log behind."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

NOBODY = "127.0.0.1:9"  # a timing system that is not there yet: the board waits for it


def test_connect_without_dir_keeps_sessions_in_the_feed_folder_and_a_term_closes_cleanly(
    tmp_path: Path, command_env
) -> None:
    started_in = tmp_path / "work"
    started_in.mkdir()
    board = subprocess.Popen(
        [sys.executable, "-m", "timingboard", "connect", NOBODY],
        cwd=started_in,
        env=command_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        said = board.stdout.readline() if board.stdout else ""
    finally:
        board.send_signal(signal.SIGTERM)  # as a service manager or `kill` stops it
        _out, err = board.communicate(timeout=60)
    kept = Path(command_env["HOME"]) / "timingboard"
    assert said == f"timingboard: following 127.0.0.1:9, sessions kept in {kept}\n", err
    assert board.returncode == 0, err
    assert "Traceback" not in err
    assert list(started_in.iterdir()) == []  # nothing in the folder it was started in
    left = sorted(p.name for p in kept.iterdir())
    assert left == [], left  # the empty waiting file, its lock and write-ahead log: all gone


def test_connect_with_dir_still_keeps_them_there(tmp_path: Path, command_env) -> None:
    board = subprocess.Popen(
        [sys.executable, "-m", "timingboard", "connect", NOBODY, "--dir", str(tmp_path / "f")],
        cwd=tmp_path,
        env=command_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        said = board.stdout.readline() if board.stdout else ""
    finally:
        board.send_signal(signal.SIGINT)  # Ctrl+C
        _out, err = board.communicate(timeout=60)
    assert said.endswith(f"sessions kept in {tmp_path / 'f'}\n"), err
    assert board.returncode == 0, err
    assert sorted(p.name for p in (tmp_path / "f").iterdir()) == []  # nothing came: no file
