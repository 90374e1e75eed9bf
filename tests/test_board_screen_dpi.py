"""The board's columns after its window is moved to a screen of another DPI: its texts are
painted at that screen's DPI, wider, and the widths it kept (by the font alone) were the first
screen's: gaps and lap times cut ("+0.6…"). Now each cell is measured again for the screen.

Qt's offscreen platform is given two screens of 96 and 144 DPI (its ``configfile``), so the
window runs in a process of its own; it is built as ``timingboard open FILE`` builds it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

CHILD = r"""
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication
app = QApplication([])
from journey import open_window
from race_scripts import QUARTER_MILE_RACE, three_car_race
from timingboard.store import SessionRecorder

folder = Path(sys.argv[1])
path = folder / "race.tbs"
made = SessionRecorder.create(path, QUARTER_MILE_RACE)
made.submit(three_car_race())
made.close()
window = open_window(path, folder / "settings.ini")
window.show()
board = window.board


def settle():
    for _ in range(30):
        app.processEvents()


def cut():
    '''The cells whose text, as this screen paints it, is wider than its column.'''
    painted = QFontMetrics(board.font(), board.viewport())
    model = board.model()
    texts = [
        (column, str(model.index(row, column).data() or ""))
        for column in range(model.columnCount())
        if not board.isColumnHidden(column)
        for row in range(model.rowCount())
    ]
    return [t for c, t in texts if painted.horizontalAdvance(t) > board.columnWidth(c)]


settle()
print("first", window.screen().name(), cut())
window.windowHandle().setScreen(app.screens()[1])  # dragged onto the other screen
window.move(1400, 50)
settle()
print("moved", window.screen().name(), board.viewport().logicalDpiY(), cut())
window.close()
window.controller.close()
"""

SCREENS = {
    "synchronousWindowSystemEvents": True,
    "windowFrameMargins": False,
    "screens": [
        {"name": "A", "x": 0, "y": 0, "width": 1280, "height": 800, "logicalDpi": 96,
         "logicalBaseDpi": 96, "dpr": 1},
        {"name": "B", "x": 1280, "y": 0, "width": 1280, "height": 800, "logicalDpi": 144,
         "logicalBaseDpi": 144, "dpr": 1},
    ],
}  # fmt: skip


def test_a_board_moved_to_a_screen_of_another_dpi_shows_its_texts_whole(tmp_path: Path) -> None:
    config = tmp_path / "screens.json"
    config.write_text(json.dumps(SCREENS))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}"}
    tests = Path(__file__).parent
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path), str(tests)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    first, moved = done.stdout.splitlines()[-2:]
    assert first == "first A []"  # whole on the screen it opened on
    assert moved == "moved B 144 []"  # and on the other one: nothing cut
