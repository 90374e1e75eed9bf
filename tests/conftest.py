"""Headless Qt for every test; a test that leaves a thread or timer running fails."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).parent))

SHARED_FEEDS = Path(__file__).resolve().parents[2] / "shared" / "feeds" / "rmonitor"

import pure_tests  # noqa: E402
import pytest  # noqa: E402

from timingboard.engine import SessionSettings  # noqa: E402


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    if pure_tests.is_pure_run(config.option.markexpr):
        pure_tests.start_pure_run(config)


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    if pure_tests.is_pure_run(config.option.markexpr):
        return pure_tests.outside_pure_run(collection_path)
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    pure_tests.mark_pure(items)
    pure_tests.share_examples(items)


def pytest_sessionfinish(session: pytest.Session) -> None:
    if pure_tests.is_pure_run(session.config.option.markexpr):
        pure_tests.end_pure_run(session)


@pytest.fixture
def make_controller(tmp_path: Path, qapp):
    """A SessionController on a new session file; closed after the test."""
    from timingboard.qt.session_controller import SessionController
    from timingboard.store import SessionRecorder

    made = []

    def make(settings: SessionSettings, name: str = "session.tbs") -> SessionController:
        controller = SessionController(SessionRecorder.create(tmp_path / name, settings))
        made.append(controller)
        return controller

    yield make
    for controller in made:
        controller.close()
        controller.deleteLater()


@pytest.fixture
def show_window(tmp_path: Path, qtbot):
    """The real main window on a controller, shown, with its settings in a scratch file."""
    from PySide6.QtCore import QSettings

    from timingboard.app.main_window import MainWindow

    def show(controller):
        settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(controller, settings)
        qtbot.addWidget(window)
        window.resize(1280, 800)  # the desk at its smallest size (the screen is 800 px wide)
        window.show()
        return window

    return show


@pytest.fixture(autouse=True)
def _nothing_left_running():
    """Fail a test that leaves a window open, a timer running or a thread alive."""
    import threading

    threads_before = set(threading.enumerate())
    yield
    if "PySide6.QtWidgets" in sys.modules:
        from PySide6.QtCore import QEvent, QTimer
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if app is not None:
            QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            app.processEvents()
            widgets = QApplication.topLevelWidgets()
            assert not [w for w in widgets if w.isVisible()], "a window was left open"
            timers = [t for w in widgets for t in w.findChildren(QTimer) if t.isActive()]
            assert not timers, f"timers left running: {timers}"
    from timingboard.store import closing

    closing.wait_for_all()  # a session's close in its worker is waited for, as the app waits
    left = [t for t in threading.enumerate() if t not in threads_before and t.is_alive()]
    assert not left, f"threads left running: {left}"
