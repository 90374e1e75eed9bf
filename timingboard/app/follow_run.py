"""``timingboard follow mqtt://HOST:PORT/TOPIC``: the window on a board followed through a broker.

Nothing is written: the followed board keeps no session file (the window's layout and theme are
remembered as always).
"""

from __future__ import annotations

import signal

from PySide6.QtCore import QSettings, QTimer

from timingboard.app.follow_mode import FollowMode
from timingboard.app.main_window import MainWindow
from timingboard.app.run import application
from timingboard.engine.settings import SessionSettings
from timingboard.feeds.live_follow import FollowedRecorder, FollowTarget, PublishedEngine
from timingboard.qt.mqtt_follow import MqttFollowClient
from timingboard.qt.session_controller import SessionController


def build_follow_window(
    target: FollowTarget, settings: QSettings
) -> tuple[MainWindow, MqttFollowClient, FollowMode]:
    """The window as ``timingboard follow`` shows it, following (the broker may come later)."""
    blank = PublishedEngine(SessionSettings(name=target.topic))
    controller = SessionController(FollowedRecorder(blank, target.url))
    window = MainWindow(controller, settings)
    client = MqttFollowClient(controller, target, window)
    mode = FollowMode(window, client)
    window.show()
    client.start()
    return window, client, mode


def run_follow(target: FollowTarget) -> int:
    """The window following ``target`` until it is closed (or Ctrl+C)."""
    app = application()
    window, client, _mode = build_follow_window(target, QSettings())
    client.board_shown.connect(lambda name: print(f"timingboard: showing {name}", flush=True))
    print(f"timingboard: following {target.url} (read-only; nothing is written)", flush=True)
    signal.signal(signal.SIGINT, lambda *_: app.quit())
    wake = QTimer(window, interval=200)  # lets Python see Ctrl+C while Qt waits
    wake.timeout.connect(lambda: None)
    wake.start()
    code = app.exec()
    client.close()
    window.controller.close()
    return code
