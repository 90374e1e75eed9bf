"""Starting the board: the built-in demo."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from timingboard.app.main_window import MainWindow
from timingboard.demo.clash import qualifying
from timingboard.qt.demo_runner import DemoRunner
from timingboard.qt.session_controller import SessionController
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
