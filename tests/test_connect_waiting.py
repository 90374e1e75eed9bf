"""``connect`` before the feed speaks: a neutral session, and a banner that says why nothing
comes (the host cannot be found, the connection was refused), with the address, retrying."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from pathlib import Path

from journey import settings_at

from timingboard.app.run import WAITING_FOR_FEED, build_connect_window
from timingboard.engine import Passing
from timingboard.store.recorder import SessionRecorder


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once it is closed


def follow(qtbot, tmp_path: Path, host: str, port: int):
    window, drop_blank = build_connect_window(tmp_path / "feed", settings_at(tmp_path / "s.ini"))
    qtbot.addWidget(window)
    window.show()
    window.feed.follow(host, port, tmp_path / "feed")
    return window, drop_blank


def stop(window, drop_blank) -> None:
    window.close()
    window.controller.close()
    drop_blank()


def test_the_waiting_session_is_neutral(qtbot, tmp_path) -> None:
    window, drop_blank = follow(qtbot, tmp_path, "127.0.0.1", closed_port())
    assert window.header.session.text() == "Waiting for feed"
    assert "Busch" not in window.windowTitle()
    path = tmp_path / "feed" / "waiting-for-feed.tbs"
    on_disk = SessionRecorder.open(path)  # read-only beside the window: what the file says
    settings = on_disk.engine.settings
    on_disk.close()
    assert settings.name == "Waiting for feed"
    assert settings.track_name == "" and settings.kind == "practice"
    stop(window, drop_blank)


def test_a_host_that_cannot_be_found_is_named_at_once(qtbot, tmp_path) -> None:
    window, drop_blank = follow(qtbot, tmp_path, "nohost.invalid", 50000)
    banner = window.feed_watch.banner
    qtbot.waitUntil(lambda: banner.isVisible() and "nohost.invalid:50000" in banner.text())
    assert banner.text().startswith(  # never reached: not "lost"
        "FEED NOT REACHED — cannot reach nohost.invalid:50000: the host cannot be found"
    )
    assert "next try in" in banner.text() and "LOST" not in banner.text()
    assert window.feed.link_label.text().startswith("Feed: not reached yet, retrying")
    stop(window, drop_blank)


def test_a_refused_connection_is_named_at_once(qtbot, tmp_path) -> None:
    port = closed_port()
    window, drop_blank = follow(qtbot, tmp_path, "127.0.0.1", port)
    banner = window.feed_watch.banner
    qtbot.waitUntil(lambda: banner.isVisible(), timeout=3000)
    assert banner.text().startswith(
        f"FEED NOT REACHED — cannot reach 127.0.0.1:{port}: connection refused"
    )
    assert "next try in" in banner.text()
    stop(window, drop_blank)


def start_and_stop_connect(folder: Path, command_env) -> str:
    """``timingboard connect nohost.invalid:50000 --dir folder``, then Ctrl+C; its stderr."""
    board = subprocess.Popen(
        [sys.executable, "-m", "timingboard", "connect", "nohost.invalid:50000", "--dir", folder],
        env=command_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        said = board.stdout.readline() if board.stdout else ""
    finally:
        board.send_signal(signal.SIGINT)
        _out, err = board.communicate(timeout=60)
    assert said.startswith("timingboard: following nohost.invalid:50000"), err
    assert board.returncode == 0 and "Traceback" not in err, err
    return err


def test_starts_against_a_host_that_never_answers_leave_no_pile_of_empty_files(
    tmp_path: Path, command_env
) -> None:
    """The walk: each start made another empty waiting-for-feed-N.tbs. An empty one is dropped
    at the end, one left by a board killed meanwhile is cleaned at the next start, and a waiting
    file with something in it (a passing typed while waiting) is never touched."""
    folder = tmp_path / "feed"
    folder.mkdir()
    killed = SessionRecorder.create(folder / "waiting-for-feed-2.tbs", WAITING_FOR_FEED)
    killed.close()  # as a board killed before its end leaves it: empty, held by nobody
    typed = SessionRecorder.create(folder / "waiting-for-feed-3.tbs", WAITING_FOR_FEED)
    typed.submit([Passing(car="7", time_ms=1000)])
    typed.close()
    for _ in range(2):
        start_and_stop_connect(folder, command_env)
    assert sorted(p.name for p in folder.iterdir()) == ["waiting-for-feed-3.tbs"]
    kept = SessionRecorder.open(folder / "waiting-for-feed-3.tbs", read_only=True)
    assert kept.engine.seq == 1  # the passing typed while waiting, still there
    kept.close()
