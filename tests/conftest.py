"""Headless Qt for every test; a test that leaves a thread or timer running fails."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).parent))

# No test reads or writes the user's own settings (Recent sessions, the window's layout, the
# operator's name) nor puts sessions in their data folder: the suite has a HOME and XDG folders
# of its own, set before anything (QSettings, QStandardPaths, Path.home) reads them, and every
# subprocess inherits them. ``command_env`` gives a test's command a home of its own besides.
XDG_FOLDERS = {
    "XDG_CONFIG_HOME": ".config",
    "XDG_DATA_HOME": ".local/share",
    "XDG_CACHE_HOME": ".cache",
    "XDG_STATE_HOME": ".local/state",
}
REAL_HOME = Path.home()


def home_env(home: Path) -> dict[str, str]:
    """HOME and the XDG folders under ``home``."""
    return {"HOME": str(home)} | {var: str(home / sub) for var, sub in XDG_FOLDERS.items()}


SUITE_HOME = Path(tempfile.mkdtemp(prefix="timingboard-suite-home-"))
os.environ.update(home_env(SUITE_HOME))
atexit.register(shutil.rmtree, SUITE_HOME, ignore_errors=True)

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


@pytest.fixture(scope="session")
def qapp(qapp):
    """pytest-qt's application, with the cyclic collector on its GUI thread as the app has it
    (timingboard.qt.gui_thread): no collection in a worker, none in the middle of a Qt call."""
    from timingboard.qt.gui_thread import collect_on_gui_thread

    collect_on_gui_thread(qapp)
    return qapp


@pytest.fixture
def command_env(tmp_path: Path) -> dict[str, str]:
    """The environment to run ``timingboard`` in a subprocess with: offscreen, and a HOME and
    XDG folders of the test's own (its Recent list, layout and data folder start empty)."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return os.environ | {"QT_QPA_PLATFORM": "offscreen"} | home_env(home)


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


@pytest.fixture
def operator_settings(tmp_path: Path):
    """Scratch settings (``settings.ini`` in the test's folder) naming the operator
    (``journey.OPERATOR``), as a desk has them after its first correction."""
    from journey import operator_settings as settings_naming_the_operator

    return settings_naming_the_operator(tmp_path / "settings.ini")


@pytest.fixture
def open_window(qtbot, operator_settings):
    """``timingboard open FILE``: the window the command builds (``build_session_window``) on
    ``operator_settings``, shown, active and its models flushed; a window still open at the end
    is closed as the command closes it."""
    from journey import close_session_window
    from PySide6.QtWidgets import QApplication

    from timingboard.app.run import build_session_window
    from timingboard.store import SessionRecorder

    made = []

    def open_(path: Path):
        window = build_session_window(SessionRecorder.open(path), operator_settings)
        qtbot.addWidget(window)
        window.show()
        window.activateWindow()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        made.append(window)
        window.board_model.flush()
        window.passings_model.flush()
        return window

    yield open_
    for window in made:
        if window.isVisible():
            close_session_window(window)


@pytest.fixture(autouse=True)
def _suite_closes_ask_nothing(request, monkeypatch):
    """The suite's own closes of a window (a test's end, pytest-qt's, ``close_session_window``)
    are not an operator quitting: a feed still recording a race then would put its question
    (``app.held_crossings.settle_recording``) in a modal nobody answers, and the test would
    hang. A test of that question marks itself ``asks_before_quitting``."""
    if request.node.get_closest_marker("pure") or request.node.get_closest_marker(
        "asks_before_quitting"
    ):
        yield
        return
    from timingboard.app import held_crossings

    monkeypatch.setattr(held_crossings, "recording_feed", lambda *_: None)
    yield


@pytest.fixture(autouse=True)
def _nothing_left_running():
    """Fail a test that leaves a window open, a timer running or a thread alive."""
    import gc
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
            # No collection while the list is made: one that ran then freed a window's menu
            # (garbage, a cycle in its chart) that the list had already taken: a segfault.
            collecting = gc.isenabled()
            gc.disable()
            try:
                widgets = QApplication.topLevelWidgets()
            finally:
                if collecting:
                    gc.enable()
            assert not [w for w in widgets if w.isVisible()], "a window was left open"
            timers = [t for w in widgets for t in w.findChildren(QTimer) if t.isActive()]
            assert not timers, f"timers left running: {timers}"
            del widgets, timers
    from timingboard.store import closing

    closing.wait_for_all()  # a session's close in its worker is waited for, as the app waits
    left = [t for t in threading.enumerate() if t not in threads_before and t.is_alive()]
    assert not left, f"threads left running: {left}"


@pytest.fixture
def dialogs(qapp):
    """Answers the modal dialogs a journey expects (``journey.Dialogs``); stopped at the end."""
    from journey import Dialogs

    answering = Dialogs()
    yield answering
    answering.stop()


@pytest.fixture
def timing_system(qapp):
    """A fake RMonitor timing system on a local port (``feed_harness.FakeTimingSystem``)."""
    from feed_harness import FakeTimingSystem

    fake = FakeTimingSystem()
    yield fake
    fake.close()
