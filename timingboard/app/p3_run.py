"""The P3 decoder commands: ``connect p3://``, ``simulate --protocol p3`` and P3 ``import``.

Bad input (an address, a timing line, an entry list, a capture) raises :class:`P3InputError`
with a message for the user before any window opens; ``cli`` prints it on one line.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path

from timingboard.app.p3_inputs import P3InputError, entry_list, timing_lines
from timingboard.engine.settings import SessionKind
from timingboard.feeds.p3_parser import P3Record
from timingboard.feeds.p3_session import (
    parse_p3_address,
)
from timingboard.store.p3_import import import_p3, read_capture
from timingboard.store.session_file import SessionFile, SessionFileError


def is_p3_address(address: str) -> bool:
    return address.strip().lower().startswith("p3://")


def refuse_p3_options(**given: str | None) -> None:
    """Options of a P3 decoder given to an RMonitor command: said, not silently ignored."""
    named = [f"--{name}" for name, value in given.items() if value]
    if named:
        raise P3InputError(
            f"{', '.join(named)} is for P3 decoders (connect p3://HOST:PORT, "
            "simulate --protocol p3)"
        )


def connect_p3(
    address: str,
    folder: str | None,
    lines: str | None,
    entries: str | None,
    resume: str | None = None,
    kind: str = "practice",
) -> int:
    """The window, following a P3 decoder; the session file goes into ``folder``, or the
    decoder's passings since the board stopped go on in ``resume`` (a session file)."""
    try:
        host, port = parse_p3_address(address)
    except ValueError as exc:
        raise P3InputError(str(exc)) from None
    timing = timing_lines(lines) if lines or not resume else None  # None: the file's own
    entered = entry_list(entries)
    from timingboard.app.preflight import display_problem

    problem = display_problem()
    if problem:
        raise P3InputError(problem)
    from PySide6.QtCore import QSettings

    from timingboard.app.main_window import MainWindow
    from timingboard.app.run import application, stop_all
    from timingboard.qt.p3_client import new_p3_session
    from timingboard.qt.session_controller import SessionController
    from timingboard.store.recorder import SessionRecorder

    if resume:
        check = SessionFile.open(resume, read_only=True)  # a clear error before any window
        check.close()
    app = application()
    from timingboard.qt import user_settings

    # without --dir, where Feed ▸ Connect to a P3 decoder keeps them: not the current folder
    target = Path(folder) if folder else Path(user_settings.P3_FOLDER.read(QSettings()))
    if resume:
        recorder = SessionRecorder.open(resume)
    else:
        recorder = new_p3_session(target, host, port, SessionKind(kind))
    controller = SessionController(recorder)
    window = MainWindow(controller, QSettings())
    window.show()
    window.p3.follow(host, port, target, timing, entered, recorder=recorder)
    kept = resume or target
    print(f"timingboard: timing from p3://{host}:{port}, the session kept in {kept}", flush=True)
    for stop in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop, lambda *_: stop_all(app))
    wake = _wake_timer()
    code = app.exec()
    wake.stop()
    controller.close()
    return code


def _wake_timer():
    """Lets Python see Ctrl+C (or a TERM) while Qt waits."""
    from PySide6.QtCore import QTimer

    wake = QTimer(interval=200)
    wake.timeout.connect(lambda: None)
    wake.start()
    return wake


def capture_wires(path: str) -> list[bytes]:
    """A capture's records as on the wire (hex text or raw); a file with none is an error."""
    try:
        _wire, records = read_capture(Path(path))
    except SessionFileError as exc:
        raise P3InputError(str(exc)) from None
    from timingboard.feeds.p3_parser import encode_record

    good = [encode_record(r) for r in records if isinstance(r, P3Record)]
    if not good:
        raise P3InputError(f"{path} holds no P3 record")
    return good


def simulate_p3(capture: str | None, port: int | None, host: str, speed: float) -> int:
    """A fake decoder on ``host:port`` replaying ``capture``, headless, until Ctrl+C."""
    if not capture:
        raise P3InputError("--protocol p3 needs --capture FILE (a P3 capture to replay)")
    if speed <= 0:
        raise P3InputError("--speed must be above 0")
    wires = capture_wires(capture)
    from PySide6.QtCore import QCoreApplication

    from timingboard.feeds.p3_session import DEFAULT_PORT
    from timingboard.qt.p3_simulator import P3Simulator

    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    simulator = P3Simulator(wires, speed=speed)
    listen_port = DEFAULT_PORT if port is None else port
    if not simulator.listen(listen_port, host):
        raise P3InputError(f"cannot listen on {host}:{listen_port}: {simulator.error()}")
    simulator.finished.connect(lambda: print("capture played to its end", flush=True))
    simulator.clients_changed.connect(lambda n: print(f"{n} client(s) connected", flush=True))
    print(
        f"A P3 decoder replaying {capture} ({len(wires)} records) on "
        f"p3://{host}:{simulator.port} (Ctrl+C stops)",
        flush=True,
    )
    signal.signal(signal.SIGINT, lambda *_: app.quit())
    signal.signal(signal.SIGTERM, lambda *_: app.quit())
    wake = _wake_timer()
    code = app.exec()
    wake.stop()
    simulator.close()
    return code


def import_capture(
    source: str, output: str, lines: str | None, entries: str | None, kind: str = "practice"
) -> int:
    """``timingboard import`` of a P3 capture, as a session of ``kind`` (``--kind``)."""
    try:
        report = import_p3(
            source, output, timing_lines(lines), entry_list(entries), SessionKind(kind)
        )
    except SessionFileError as exc:
        raise P3InputError(str(exc)) from None
    for line in report.lines():
        print(line)
    return 0
