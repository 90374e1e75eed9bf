"""``connect`` before the feed speaks: a neutral session, and a banner that says why nothing
comes (the host cannot be found, the connection was refused), with the address, retrying."""

from __future__ import annotations

import socket
from pathlib import Path

from journey import settings_at

from timingboard.app.run import build_connect_window
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
    assert "cannot be found" in banner.text() and "next try in" in banner.text()
    stop(window, drop_blank)


def test_a_refused_connection_is_named_at_once(qtbot, tmp_path) -> None:
    port = closed_port()
    window, drop_blank = follow(qtbot, tmp_path, "127.0.0.1", port)
    banner = window.feed_watch.banner
    qtbot.waitUntil(lambda: banner.isVisible(), timeout=3000)
    assert f"cannot reach 127.0.0.1:{port}: connection refused" in banner.text()
    assert "next try in" in banner.text()
    stop(window, drop_blank)
