"""Starting the board: each command builds its window here, the same way for the tests."""

from __future__ import annotations

import atexit
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QMessageLogContext,
    QSettings,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from timingboard.app import early_stop
from timingboard.app.background_open import opens_in_worker
from timingboard.app.desk_screen import place_on_desk
from timingboard.app.feed_actions import publishing_text
from timingboard.app.live_timing import LiveOptions, LiveTiming
from timingboard.app.main_window import MainWindow
from timingboard.app.new_session_flow import ask_new_session
from timingboard.app.recent_sessions import RecentSessions
from timingboard.app.scratch import ScratchFolder, is_scratch
from timingboard.engine.formatting import format_clock
from timingboard.engine.settings import SessionKind, SessionSettings
from timingboard.qt import user_settings
from timingboard.qt.app_icon import app_icon
from timingboard.qt.demo_runner import DemoRunner, first_session, fresh_folder, qualifying_path
from timingboard.qt.gui_thread import collect_on_gui_thread
from timingboard.qt.rmonitor_server import RMonitorServer
from timingboard.qt.session_controller import SessionController
from timingboard.qt.session_source import SessionSource
from timingboard.qt.theme import DARK, THEMES
from timingboard.store import closing
from timingboard.store.names import free_path
from timingboard.store.recorder import SessionRecorder
from timingboard.store.replay_source import ReplaySource
from timingboard.store.session_file import SessionFileError
from timingboard.widgets.start_dialog import StartChoice, StartDialog

Publish = tuple[int, str]  # port, host
ORGANIZATION = "timingboard"
# what ``connect`` shows until the feed's first run names itself: no track, no kind of its own
WAITING_FOR_FEED = SessionSettings(name="Waiting for feed", kind=SessionKind.PRACTICE)
APPLICATION = "timingboard"


def _on_qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's messages on stderr as usual, less what the offscreen platform says of every window
    (a headless board would print it before its one line)."""
    if "does not support propagateSizeHints" in message:
        return
    print(message, file=sys.stderr)


def application() -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    qInstallMessageHandler(_on_qt_message)
    atexit.register(qInstallMessageHandler, None)  # Qt may speak after Python is gone
    app = QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setStyle("Fusion")
    app.setWindowIcon(app_icon())
    app.setDesktopFileName("timingboard")  # the desktop entry in resources/
    collect_on_gui_thread(app)  # before any worker starts: none of them runs the collector
    return app


def start_publishing(app: QApplication, window: MainWindow, publish: Publish | None) -> bool:
    """``--publish``: serve the board from the start; the address goes to stdout, Ctrl+C quits.

    False (said on stderr) if the port cannot be had.
    """
    if publish is None:
        return True
    port, host = publish
    if not window.feed.publish(port, host, warn=False):
        print(f"timingboard: {window.feed.publish_error}", file=sys.stderr)
        return False
    assert window.feed.server is not None
    print(publishing_text(window.feed.server), flush=True)
    signal.signal(signal.SIGINT, lambda *_: stop_all(app))
    wake = QTimer(window, interval=200)  # lets Python see Ctrl+C while Qt waits
    wake.timeout.connect(lambda: None)
    wake.start()
    return True


def stop_all(app: QApplication) -> None:
    """The system's stop (Ctrl+C, a TERM): every window closes as its close button does, but
    no feed's question is put (nobody is at the window to answer it), and the run ends."""
    for window in app.topLevelWidgets():
        if isinstance(window, MainWindow):
            window.stopping = True
    app.closeAllWindows()
    QTimer.singleShot(0, app.quit)  # also when the loop has not started yet


def stop_on_signals(app: QApplication) -> bool:
    """Ctrl+C and a TERM (``kill``, a service manager) close the windows as their close button
    does and end the run: the session file closed, its lock and write-ahead log gone (a TERM
    used to kill the board mid-run, leaving both beside the file). One that came earlier, while
    the window was built (held by :mod:`timingboard.app.early_stop`), is acted on now: True then."""

    def stop(*_: object) -> None:
        stop_all(app)

    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, stop)
    wake = QTimer(app, interval=200)  # lets Python see a signal while Qt waits
    wake.timeout.connect(lambda: None)
    wake.start()
    if early_stop.held():  # one came while the window was being built: acted on now
        stop()
        return True
    return False


def start_live(app: QApplication, window: MainWindow, live: LiveOptions | None) -> bool:
    """``--web`` / ``--mqtt``: the live page and the broker from the start; where, on stdout.

    False (said on stderr) if the page's port cannot be had.
    """
    if live is None or not live.wanted:
        return True
    timing = LiveTiming(window.controller, live, window)
    try:
        timing.start()
    except OSError as exc:
        timing.close()
        print(f"timingboard: {exc}", file=sys.stderr)
        return False
    app.aboutToQuit.connect(timing.close)
    window.statusBar().showMessage(timing.describe())
    print(f"timingboard: {timing.describe()}", flush=True)
    return True


def build_session_window(recorder: SessionRecorder, settings: QSettings) -> MainWindow:
    """The window on a live session file (opened or new), its clock the wall clock, shown."""
    controller = SessionController(recorder)
    controller.run_wall_clock()
    window = MainWindow(controller, settings)
    recent = RecentSessions(settings)
    recent.follow(controller)
    recent.remember(recorder.file.path)
    window.statusBar().showMessage(f"Session file: {recorder.file.path}")
    window.show()
    return window


def run_session(path: str, publish: Publish | None = None, live: LiveOptions | None = None) -> int:
    """Open a saved session file in the window, to enter more passings or correct it.

    A long file (:func:`opens_in_worker`) is read as File ▸ Open reads it: the window shown at
    once, the file read in a worker, its board painted from its snapshot's rows first."""
    app = application()
    settings = QSettings()
    scratch = None
    if opens_in_worker(path):
        scratch = ScratchFolder("timingboard-open-")
        opening = build_opening_window(path, settings, scratch.path)
        if isinstance(opening, int):
            closing.wait_for_all()
            close_scratch(scratch, {scratch.path / OPENING_FILE})
            return opening
        window = opening
        recorder: SessionSource = window.controller.recorder
    else:
        recorder = SessionRecorder.open(path, check_later=True)
        window = build_session_window(recorder, settings)

    def say_read_only() -> None:  # another board holds it, it cannot be written, or damaged
        if recorder.read_only_reason:
            reason = recorder.read_only_reason
            print(f"timingboard: {path} opened read-only: {reason}", file=sys.stderr)

    if recorder.checking:  # its log is read in a worker: what it finds is said then
        window.controller.log_checked.connect(say_read_only)
    else:
        say_read_only()
    code = 2
    if start_publishing(app, window, publish) and start_live(app, window, live):
        stop_on_signals(app)  # before the line a script waits for
        print(f"timingboard: {path} is open", flush=True)
        code = app.exec()
    else:
        window.close()
    window.controller.close()
    if scratch is not None:
        closing.wait_for_all()  # the placeholder's file closed before its folder goes
        close_scratch(scratch, {scratch.path / OPENING_FILE})
    return code


OPENING_FILE = "opening.tbs"


def build_opening_window(path: str, settings: QSettings, folder: Path) -> MainWindow | int:
    """The window of ``timingboard open`` on a long file: shown at once on an empty session
    named for the file (kept in ``folder``, gone with it), the file read in a worker as File ▸
    Open reads it; returned once the session is shown (its charts and log may still be
    filling in). Else the command's exit code: 2 if it cannot be opened (said on stderr), 0 if
    the window was closed first."""
    waiting = SessionSettings(name=f"Opening {Path(path).name}…", kind=SessionKind.PRACTICE)
    controller = SessionController(SessionRecorder.create(folder / OPENING_FILE, waiting))
    window = MainWindow(controller, settings)
    recent = RecentSessions(settings)
    recent.follow(controller, skip=folder)
    actions = window.session_actions
    failed: list[str] = []
    loop = QEventLoop()
    told = actions.explain
    actions.explain = failed.append  # said on stderr below, not in a box over the window
    actions.session_opened.connect(loop.quit)
    actions.background.failed.connect(loop.quit)
    actions.background.dropped.connect(loop.quit)  # another shown meanwhile (a replay)
    window.destroyed.connect(loop.quit)
    app = QApplication.instance()
    if isinstance(app, QApplication):
        app.lastWindowClosed.connect(loop.quit)  # closed first: its open is cancelled

    def stop() -> None:  # a TERM or Ctrl+C meanwhile: the open cancelled, the command ends
        loop.quit()

    wake = QTimer(window, interval=200)  # lets Python see a signal while Qt waits
    wake.timeout.connect(lambda: None)
    with early_stop.telling(stop):
        if not early_stop.pending():
            actions.open_session(path)  # before it is shown: its title and panel say so
        if actions.opening and not early_stop.pending():
            window.show()
            wake.start()
            loop.exec()
    wake.stop()
    if early_stop.pending():  # the worker stops at the end of its current step
        actions.background.cancel()
    if isinstance(app, QApplication):
        app.lastWindowClosed.disconnect(loop.quit)
    actions.session_opened.disconnect(loop.quit)
    actions.background.failed.disconnect(loop.quit)
    actions.background.dropped.disconnect(loop.quit)
    actions.explain = told
    shown = controller.recorder.path
    if early_stop.pending():
        window.close()
        window.deleteLater()
        controller.close()
        return 0
    if failed or shown is None or shown.name == OPENING_FILE or not window.isVisible():
        if failed or window.isVisible():
            print(
                f"timingboard: {failed[0] if failed else f'{path} was not opened'}", file=sys.stderr
            )
        code = 2 if failed or window.isVisible() else 0
        window.close()
        window.deleteLater()  # its timers with it
        controller.close()
        return code
    window.statusBar().showMessage(f"Session file: {shown}")
    return window


def run_start(speed: float = 1.0, seed: int = 31) -> int:
    """Plain ``timingboard``: the demo for a first-time user, else the start dialog."""
    app = application()
    settings = QSettings()
    recent = RecentSessions(settings).paths()
    if not recent:
        return run_demo(speed, seed, board_mode=False, folder=None)
    theme = THEMES.get(user_settings.THEME.read(settings), DARK)
    app.setPalette(theme.palette())  # the dialog in the board's colours
    dialog = StartDialog(recent)
    place_on_desk(dialog, settings)  # not where the pointer is: on two screens, the wall
    if stop_on_signals(app):  # a TERM while it started
        return 0
    for number in (signal.SIGINT, signal.SIGTERM):  # one now: the dialog closes, even if it
        signal.signal(number, lambda *_: QTimer.singleShot(0, dialog.reject))  # is not up yet
    # once it is closed, a stop while the session chosen is opened is held for the window's
    # handlers: it went to the closed dialog and was lost, the window staying up
    dialog.finished.connect(early_stop.hold_again)
    plural = "s" if len(recent) != 1 else ""
    print(f"timingboard: {len(recent)} recent session{plural} offered, and the demo", flush=True)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.choice is None:
        return 0
    if dialog.choice is StartChoice.DEMO:
        return run_demo(speed, seed, board_mode=False, folder=None)
    window = build_chosen_window(dialog.choice, dialog.path, settings)
    if window is None:
        return 0
    stop_on_signals(app)  # the window chosen closes on them as any
    code = app.exec()
    window.controller.close()
    return code


def build_chosen_window(
    choice: StartChoice, path: Path | None, settings: QSettings, parent: QWidget | None = None
) -> MainWindow | None:
    """The window for Open or New session from the start dialog; None if the user gave up."""
    try:
        if choice is StartChoice.OPEN and path is not None:
            return build_session_window(SessionRecorder.open(path, check_later=True), settings)
        if choice is StartChoice.NEW:  # the window's File ▸ New session flow
            recent = RecentSessions(settings).paths()
            made = ask_new_session(parent, settings, recent[0].parent if recent else None)
            if made is not None:
                return build_session_window(made[1], settings)
    except SessionFileError as exc:
        QMessageBox.warning(parent, "timingboard", str(exc))
    return None


def build_demo_window(
    speed: float, seed: int, board_mode: bool, folder: Path, settings: QSettings
) -> tuple[MainWindow, DemoRunner]:
    """The window as ``timingboard demo`` shows it, with its runner started."""
    folder = fresh_folder(folder)
    controller = SessionController(first_session(folder, seed, speed))
    window = MainWindow(controller, settings)
    runner = DemoRunner(controller, folder, seed=seed, speed=speed, parent=window)
    runner.session_started.connect(lambda text: window.statusBar().showMessage(f"Demo: {text}"))
    runner.failed.connect(window.statusBar().showMessage)
    window.session_actions.session_opened.connect(runner.stop)  # the operator took over
    # the demo's own sessions are never offered, nor anything in its temporary folder (gone
    # at exit); a session the user makes in a folder named by --dir is (it was skipped too)
    RecentSessions(settings).follow(
        window.controller, skip=folder if is_scratch(folder) else None, own=lambda: runner.files
    )
    window.show()
    if board_mode:
        window.set_board_mode(True)
    runner.start()
    return window, runner


def demo_folder_line(folder: Path, temporary: bool) -> str:
    """Where the demo's sessions are, and whether they outlive it: a temporary folder is
    deleted at exit (it was said to be "kept")."""
    if temporary:
        return (
            f"the demo's sessions are temporary, in {folder}, and deleted at exit"
            " (to keep them: timingboard demo --dir FOLDER)"
        )
    return f"the demo's sessions are kept in {folder}"


def run_demo(
    speed: float,
    seed: int,
    board_mode: bool,
    folder: str | None,
    publish: Publish | None = None,
    live: LiveOptions | None = None,
) -> int:
    """Open the window on a simulated Clash evening, in real time x ``speed``."""
    app = application()
    scratch = ScratchFolder("timingboard-demo-", keep=folder)
    window, runner = build_demo_window(speed, seed, board_mode, scratch.path, QSettings())
    if not start_publishing(app, window, publish) or not start_live(app, window, live):
        runner.stop()
        window.close()
        window.controller.close()
        close_scratch(scratch, runner.files)
        return 2
    stop_on_signals(app)
    print(f"timingboard: {demo_folder_line(runner.folder, scratch.made)}", flush=True)
    code = app.exec()
    finish_demo(window, runner, scratch)
    return code


def finish_demo(window: MainWindow, runner: DemoRunner, scratch: ScratchFolder) -> None:
    """The demo's own files go with its temporary folder; a file the user made there stays."""
    runner.stop()
    window.controller.close()
    closing.wait_for_all()  # the sessions' last writes are done before their folder is tidied
    close_scratch(scratch, runner.files)


def close_scratch(scratch: ScratchFolder, own: set[Path]) -> None:
    kept = scratch.close(own)
    if kept:
        print(f"timingboard: {scratch.kept_text(kept)}", file=sys.stderr)


def run_connect(
    host: str,
    port: int,
    folder: str | None,
    publish: Publish | None = None,
    live: LiveOptions | None = None,
) -> int:
    """The window, following a timing system's RMonitor feed; its sessions go into ``folder``,
    or without one where Feed ▸ Connect keeps them (``~/timingboard`` unless chosen there),
    never into whatever folder the command was started in."""
    app = application()
    settings = QSettings()
    target = Path(folder) if folder else Path(user_settings.FEED_FOLDER.read(settings))
    window, drop_blank_if_unused = build_connect_window(target, settings)
    if not start_publishing(app, window, publish) or not start_live(app, window, live):
        window.controller.close()
        return 2
    window.show()
    RecentSessions(settings).follow(window.controller)  # the feed's sessions, not the blank
    window.feed.follow(host, port, target)
    window.statusBar().showMessage(f"Following {host}:{port} — sessions kept in {target}")
    stop_on_signals(app)
    print(f"timingboard: following {host}:{port}, sessions kept in {target}", flush=True)
    code = app.exec()
    window.controller.close()
    drop_blank_if_unused()
    return code


def build_connect_window(
    target: Path, settings: QSettings
) -> tuple[MainWindow, Callable[[], None]]:
    """The window ``connect`` shows on a neutral session until the feed names its own; and
    what drops that blank file at the end if nothing was entered in it."""
    target.mkdir(parents=True, exist_ok=True)
    for earlier in sorted(target.glob(f"{WAITING_STEM}*.tbs")):
        _drop_if_empty_waiting(earlier)  # left by a board killed before it could drop it
    blank = SessionRecorder.create(free_path(target / f"{WAITING_STEM}.tbs"), WAITING_FOR_FEED)
    controller = SessionController(blank)

    def drop_blank_if_unused() -> None:
        """The file shown while waiting goes once the feed's own is shown, or at the end (the
        feed never answered), if nothing was entered in it: an empty file of every run, or of
        every start against a host that never answers, piled up in the feed's folder."""
        if blank.engine.seq != 0:
            return
        if controller.recorder is blank and not blank.closed:
            return  # still shown, and still written to: the end drops it
        _unlink_session(blank.file.path)

    controller.session_reset.connect(drop_blank_if_unused)
    return MainWindow(controller, settings), drop_blank_if_unused


WAITING_STEM = "waiting-for-feed"


def _drop_if_empty_waiting(path: Path) -> None:
    """Remove a waiting file nobody holds that has nothing in it; any other is left alone."""
    try:
        recorder = SessionRecorder.open(path)
    except (SessionFileError, OSError):
        return
    empty = (
        recorder.read_only_reason is None  # not another board's, now
        and recorder.engine.seq == 0
        and recorder.settings.name == WAITING_FOR_FEED.name
    )
    recorder.close()
    if empty:
        _unlink_session(path)


def _unlink_session(path: Path) -> None:
    for leftover in (path, *path.parent.glob(f"{path.name}-*")):
        leftover.unlink(missing_ok=True)


def run_simulator(port: int, host: str, speed: float, seed: int) -> int:
    """Serve the simulated Clash as RMonitor, headless, until Ctrl+C."""
    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    scratch = ScratchFolder("timingboard-simulator-")
    folder = scratch.path
    controller = SessionController(first_session(folder, seed))
    server = RMonitorServer(controller)
    if not server.listen(port, host):
        print(f"timingboard: cannot listen on {host}:{port}: {server.error()}", file=sys.stderr)
        controller.close()
        close_scratch(scratch, {qualifying_path(folder)})
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
    close_scratch(scratch, runner.files)
    return code


def build_replay_window(
    source: ReplaySource, at_ms: int, play: bool, settings: QSettings
) -> MainWindow:
    """The window as ``timingboard replay`` shows it: the source at ``at_ms``, shown."""
    controller = SessionController(source)
    window = MainWindow(controller, settings)
    window.show()
    window.replay.show(source, at_ms)
    if play:
        window.replay.driver.play()
    return window


REPLAY_READ_ONLY = "read only: the replay changes nothing in the file"


def run_replay(source: ReplaySource, at_ms: int, play: bool) -> int:
    """The window, replaying a saved session or a recorded stream."""
    app = application()
    settings = QSettings()
    window = build_replay_window(source, at_ms, play, settings)
    RecentSessions(settings).follow(window.controller)  # a branch opened from here
    driver = window.replay.driver
    at = format_clock(driver.position_ms)
    past = f", its end: --at is past {at}" if at_ms > driver.duration_ms else ""
    stop_on_signals(app)
    # "(never written)" read as if the file had never been saved: it is that nothing is written
    print(f"timingboard: replaying {source.name} from {at}{past} ({REPLAY_READ_ONLY})", flush=True)
    code = app.exec()
    window.replay.driver.close()
    window.controller.close()
    return code
