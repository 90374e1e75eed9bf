"""Starting the board: the built-in demo."""

from __future__ import annotations

import signal
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from timingboard.app.main_window import MainWindow
from timingboard.demo.clash import qualifying
from timingboard.qt.demo_runner import DemoRunner
from timingboard.qt.rmonitor_server import RMonitorServer
from timingboard.qt.session_controller import SessionController
from timingboard.store.names import free_path
from timingboard.store.recorder import SessionRecorder

ORGANIZATION = "timingboard"
APPLICATION = "timingboard"


def application() -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setStyle("Fusion")
    return app


def run_session(path: str) -> int:
    """Open a saved session file in the window, to enter more passings or correct it."""
    app = application()
    recorder = SessionRecorder.open(path)
    if recorder.read_only_reason:  # another board holds it, it cannot be written, or damaged
        print(f"timingboard: {path} opened read-only: {recorder.read_only_reason}", file=sys.stderr)
    controller = SessionController(recorder)
    controller.run_wall_clock()
    window = MainWindow(controller, QSettings())
    window.statusBar().showMessage(f"Session file: {path}")
    window.show()
    code = app.exec()
    controller.close()
    return code


def run_demo(speed: float, seed: int, board_mode: bool, file: str | None) -> int:
    """Open the window on a simulated Clash: qualifying, then heat 1, in real time x ``speed``."""
    app = application()
    folder = Path(file).parent if file else Path(tempfile.mkdtemp(prefix="timingboard-demo-"))
    folder.mkdir(parents=True, exist_ok=True)
    first = SessionRecorder.create(folder / "00-setup.tbs", qualifying(seed).settings)
    controller = SessionController(first)
    window = MainWindow(controller, QSettings())
    runner = DemoRunner(controller, folder, seed=seed, speed=speed, parent=window)
    runner.session_started.connect(lambda text: window.statusBar().showMessage(f"Demo: {text}"))
    window.session_actions.session_opened.connect(runner.stop)  # the operator took over
    window.show()
    if board_mode:
        window.set_board_mode(True)
    runner.start()
    code = app.exec()
    runner.stop()
    controller.close()
    return code


def run_connect(host: str, port: int, folder: str) -> int:
    """The window, following a timing system's RMonitor feed."""
    app = application()
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    blank = SessionRecorder.create(
        free_path(target / "waiting-for-feed.tbs"), qualifying().settings
    )
    controller = SessionController(blank)
    window = MainWindow(controller, QSettings())
    window.show()
    window.feed.follow(host, port, target)
    code = app.exec()
    controller.close()
    return code


def run_simulator(port: int, host: str, speed: float, seed: int) -> int:
    """Serve the simulated Clash as RMonitor, headless, until Ctrl+C."""
    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    folder = Path(tempfile.mkdtemp(prefix="timingboard-simulator-"))
    controller = SessionController(
        SessionRecorder.create(folder / "00-setup.tbs", qualifying(seed).settings)
    )
    server = RMonitorServer(controller)
    if not server.listen(port, host):
        print(f"timingboard: cannot listen on {host}:{port}: {server.error()}", file=sys.stderr)
        controller.close()
        return 2
    runner = DemoRunner(controller, folder, seed=seed, speed=speed, loop=True)
    runner.session_started.connect(lambda text: print(f"now serving: {text}", flush=True))
    print(f"Serving the simulated Clash as RMonitor on {host}:{server.port} (Ctrl+C stops)")
    signal.signal(signal.SIGINT, lambda *_: app.quit())
    wake = QTimer(interval=200)  # lets Python see Ctrl+C while Qt waits
    wake.timeout.connect(lambda: None)
    wake.start()
    runner.start()
    code = app.exec()
    runner.stop()
    server.close()
    controller.close()
    return code
