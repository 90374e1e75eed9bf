"""Closing the window while File > Open of the 24-hour session is still being read: the time
from the close (as Ctrl+Q closes it) to the window gone and the process done with its files,
and whether the file half read was left as it was.

Run:  python benchmarks/bench_close_opening.py [--runs 3] [--folder DIR] [--after-ms 150]
      [--shown-ms N]
      (DIR keeps the 24 h file, made as bench_gui_stall.py makes it)

Each run is a new process; the window is closed ``--after-ms`` after the open was asked for
(the read of the 24 h session takes about a second or more: it is still under way then);
``--shown-ms N``: N ms after its board is shown (the log still checked in a worker then).
``--no-snapshot``: the copy opened has no snapshot of its board (a file last closed by
another version of timingboard, whose snapshot does not fit this engine): its whole log is
read in the worker, ~3 s. A file made by one version's code is read the long way by another's
(the snapshot names the engine's sources): compare versions with ``--no-snapshot``, or with
``--folder`` made by each.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
from this_tree import child_env  # noqa: E402  (beside this script)

CHILD = r"""
import os, sys, threading, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from pathlib import Path
from PySide6.QtCore import QEventLoop, QSettings, QTimer
from timingboard.app.main_window import MainWindow
from timingboard.app.run import application
from timingboard.demo.clash import qualifying
from timingboard.qt.session_controller import SessionController
from timingboard.app.background_open import BackgroundOpen
from timingboard.store import SessionRecorder, closing

cancels = []  # how long the window's close waited for the open's worker
cancel = BackgroundOpen.cancel


def timed_cancel(self):
    began = time.perf_counter()
    cancel(self)
    cancels.append(time.perf_counter() - began)


BackgroundOpen.cancel = timed_cancel
app = application()
big, after_ms, shown_ms = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
blank = big.parent / "other" / "blank.tbs"
blank.parent.mkdir(exist_ok=True)
blank.unlink(missing_ok=True)
SessionRecorder.create(blank, qualifying().settings).close()
ini = QSettings(str(big.parent / "close.ini"), QSettings.Format.IniFormat)
controller = SessionController(SessionRecorder.open(blank))
window = MainWindow(controller, ini)
window.show()
end = time.perf_counter() + 0.5
while time.perf_counter() < end:
    app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
window.session_actions.open_session(str(big))
end = time.perf_counter() + after_ms / 1000
while time.perf_counter() < end:
    app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
while shown_ms >= 0 and window.session_actions.opening:
    app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
end = time.perf_counter() + max(shown_ms, 0) / 1000
while time.perf_counter() < end:
    app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
reading = window.session_actions.opening or controller.recorder.checking
started = time.perf_counter()
window.close()  # what Ctrl+Q does
gone = time.perf_counter()
controller.close()
closing.wait_for_all()
done = time.perf_counter()
left = [t.name for t in threading.enumerate() if t is not threading.main_thread() and t.is_alive()]
waited = sum(cancels) * 1000
gone_ms, done_ms = (gone - started) * 1000, (done - started) * 1000
print(f"{int(reading)} {waited:.1f} {gone_ms:.1f} {done_ms:.1f} {len(left)}")
"""


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--folder", type=Path, help="keep the 24 h session here (made once)")
    parser.add_argument("--after-ms", type=int, default=150)
    parser.add_argument("--shown-ms", type=int, default=-1)
    parser.add_argument("--no-snapshot", action="store_true")
    args = parser.parse_args()
    from bench_gui_stall import made_24h

    folder = args.folder or Path(tempfile.mkdtemp(prefix="bench-close-"))
    folder.mkdir(parents=True, exist_ok=True)
    big = made_24h(folder)
    runs = []
    for _ in range(args.runs):
        copy = folder / "closing" / "24h.tbs"
        copy.parent.mkdir(exist_ok=True)
        shutil.copyfile(big, copy)
        if args.no_snapshot:
            with sqlite3.connect(copy) as db:
                db.execute("DELETE FROM snapshot")
            db.close()
        before = _digest(copy)
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(copy), str(args.after_ms), str(args.shown_ms)],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=copy.parent,
            env=child_env(),  # the timingboard beside this script, whatever the folder
        )
        if done.returncode != 0:
            raise SystemExit(done.stderr[-1500:])
        reading, waited, gone, whole, left = done.stdout.split()[-5:]
        unchanged = _digest(copy) == before
        print(
            f"  still reading (or checking) {reading == '1'}: worker waited for {waited} ms, "
            f"window gone {gone} ms, files done {whole} ms, "
            f"threads left {left}, file unchanged {unchanged}"
        )
        runs.append(float(gone))
    ordered = sorted(runs)
    print(
        f"close while File > Open of the 24 h session is read: window gone after median "
        f"{ordered[len(ordered) // 2]:.0f}, worst {ordered[-1]:.0f} ms ({len(runs)} runs)"
    )
    if args.folder is None:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
