"""Journey: the results sheet of a session in an event's folder has the same header from the
window (File ▸ Export results…) and from ``timingboard results -o`` (the window's PDF read
"Busch Light Clash · End test", the command's of the same session "End test")."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from journey import User, close_session_window, file_dialog_answer, open_window
from PySide6.QtWidgets import QFileDialog
from race_scripts import QUARTER_MILE_RACE, three_car_race

from timingboard.store.event_folder import EventInfo, write_event
from timingboard.store.recorder import SessionRecorder

JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


def _pdf_title(path: Path) -> str:
    """The title a PDF printed by Qt carries (UTF-16 with its byte-order mark)."""
    found = re.search(rb"/Title\s*\((.*?)\)\s*/", path.read_bytes(), re.S)
    assert found is not None
    return found.group(1).replace(b"\\(", b"(").replace(b"\\)", b")").decode("utf-16")


@JOURNEY_LOG
def test_the_windows_sheet_and_the_commands_have_the_events_name(
    qtbot, tmp_path: Path, dialogs
) -> None:
    write_event(tmp_path, EventInfo(name="Busch Light Clash"))
    session = tmp_path / "end-test.tbs"
    recorder = SessionRecorder.create(session, QUARTER_MILE_RACE)
    recorder.submit(three_car_race())
    recorder.close()

    user = User(qtbot, open_window(session, tmp_path / "settings.ini"))
    user.show()
    gui_pdf = tmp_path / "gui.pdf"
    dialogs.expect(QFileDialog, file_dialog_answer(user, gui_pdf, "PDF, A4"))
    user.choose("File", "Export results")
    qtbot.waitUntil(lambda: gui_pdf.is_file() or bool(dialogs.unexpected), timeout=20_000)
    assert dialogs.unexpected == []
    close_session_window(user.window)

    cli_pdf = tmp_path / "cli.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "timingboard", "results", str(session), "-o", str(cli_pdf)],
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ | {"XDG_CONFIG_HOME": str(tmp_path / "config")},
    )
    assert done.returncode == 0, done.stderr
    assert _pdf_title(gui_pdf) == _pdf_title(cli_pdf) == "Busch Light Clash · Heat 1"
