"""Run by test_gui_thread_collector: windows made and dropped (garbage cycles holding Qt
objects Python owns, as pyqtgraph's charts make), a worker thread allocating, and the top-level
widgets listed again and again; prints which threads ran the collector."""

from __future__ import annotations

import gc
import os
import sys
import threading

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pyqtgraph
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from timingboard.app.run import application


def drop_windows(count: int) -> None:
    for _ in range(count):
        window = QWidget()
        window.chart = pyqtgraph.PlotWidget(window)  # type: ignore[attr-defined]
        window.menu = QMenu()  # type: ignore[attr-defined]  # parentless: Python owns it
        window.menu.owner = window  # type: ignore[attr-defined]  # a cycle: only gc frees it
        window.show()
        window.close()


def allocate() -> None:
    for _ in range(20):
        junk = [[i] for i in range(20_000)]
        junk.append(junk)  # type: ignore[arg-type]  # cycles, for the collector to find
        del junk


def main() -> None:
    app = application()
    ran_in: set[str] = set()
    gc.callbacks.append(
        lambda phase, _info: phase == "start" and ran_in.add(threading.current_thread().name)
    )
    gc.set_threshold(1, 1, 1)  # the collector wherever it may run: at the next allocation
    for _ in range(int(sys.argv[1])):
        drop_windows(5)
        worker = threading.Thread(target=allocate, name="worker")
        worker.start()
        for _ in range(20):
            widgets = QApplication.topLevelWidgets()
            assert all(not w.isVisible() for w in widgets)
            del widgets
        worker.join()
        app.processEvents()
    print(" ".join(sorted(ran_in)), flush=True)


if __name__ == "__main__":
    main()
