"""Run by test_crash_recovery: follow a feed, print every passing the board has shown."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from PySide6.QtCore import QCoreApplication

from timingboard.demo.clash import qualifying
from timingboard.qt.rmonitor_client import RMonitorClient
from timingboard.qt.session_controller import SessionController
from timingboard.store import SessionRecorder


def main() -> None:
    folder, port = Path(sys.argv[1]), int(sys.argv[2])
    app = QCoreApplication([])
    controller = SessionController(
        SessionRecorder.create(folder / "blank.tbs", qualifying().settings)
    )
    shown: set[int] = set()

    def on_board_changed(_change: object) -> None:
        engine = controller.engine
        for pid, record in engine.passings.items():
            if pid not in shown:
                shown.add(pid)
                print(f"shown {record.key} {record.time_ms}", flush=True)

    controller.session_reset.connect(shown.clear)
    controller.board_changed.connect(on_board_changed)
    client = RMonitorClient(controller, folder)
    client.connect_to("127.0.0.1", port)
    print("ready", flush=True)
    app.exec()


if __name__ == "__main__":
    main()
