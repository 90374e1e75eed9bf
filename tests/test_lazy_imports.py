"""A board that publishes nothing never loads the web server or the MQTT client (~30 MB
resident: issue 23); asking for them still works (tests/test_live_web.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HEAVY = ("aiohttp", "paho", "asyncio")

WINDOW = """
import sys, tempfile
from pathlib import Path
from PySide6.QtCore import QSettings
import timingboard.cli
from timingboard.app.main_window import MainWindow
from timingboard.app.run import application
from timingboard.demo.clash import qualifying
from timingboard.qt.session_controller import SessionController
from timingboard.store import SessionRecorder
app = application()
folder = Path(tempfile.mkdtemp())
controller = SessionController(SessionRecorder.create(folder / "s.tbs", qualifying().settings))
window = MainWindow(controller, QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat))
window.show()
app.processEvents()
heavy = sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[1:]))
window.close()
controller.close()
print(",".join(heavy))
"""


def test_a_window_publishing_nothing_loads_no_web_server_nor_mqtt(
    command_env: dict[str, str],
) -> None:
    run = subprocess.run(
        [sys.executable, "-c", WINDOW, *HEAVY],
        capture_output=True,
        text=True,
        timeout=120,
        env=command_env,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == ""


def test_live_timing_loads_the_web_server_when_asked_for(
    tmp_path: Path, command_env: dict[str, str]
) -> None:
    code = (
        "import sys\n"
        "from timingboard.app.live_timing import LiveOptions, LiveTiming\n"
        "from timingboard.qt.session_controller import SessionController\n"
        "from timingboard.store import SessionRecorder\n"
        "from timingboard.demo.clash import qualifying\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "app = QCoreApplication([])\n"
        f"recorder = SessionRecorder.create({str(tmp_path / 'l.tbs')!r}, qualifying().settings)\n"
        "controller = SessionController(recorder)\n"
        "timing = LiveTiming(controller, LiveOptions(web_port=0))\n"
        "print('aiohttp' in sys.modules, type(timing.web).__name__)\n"
        "timing.close()\n"
        "controller.close()\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env=command_env,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["True", "LiveWebServer"]
