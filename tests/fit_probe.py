"""Run as a script: the window as ``open`` and ``connect`` show a session with classes on a
screen of a given size (maximized there, as a user sees it first), and then in board mode (F11).

Prints one JSON line of what the user sees on the desk board and on the wall: whether a scroll
bar runs across, which drivers' names are cut below their whole surname, which cells are cut,
and what gave way for the room. The screen is the offscreen platform's, sized by a config file
(``QT_QPA_PLATFORM=offscreen:configfile=...``), at a scale of 1 or 2. Screenshots go to the
folder given as the first argument.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from board_probe import (
    classed_clash,
    cut_cells,
    shown_text,
    ts_for_every_timed_car,
    unreadable_drivers,
)
from PySide6.QtCore import QEventLoop, QSettings
from PySide6.QtWidgets import QApplication, QTableView

from timingboard.app.run import application, build_connect_window, build_session_window
from timingboard.qt.rmonitor_server import RMonitorServer
from timingboard.qt.session_controller import SessionController
from timingboard.store import SessionRecorder

WAIT_S = 60  # for the feed to be followed: a generous bound, not a pace


def wait_for(app: QApplication, done: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + WAIT_S
    while not done() and time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    for _ in range(20):  # what the last change set off (fits, resizes) settles
        app.processEvents()
    return done()


def seen(view: QTableView) -> dict:
    return {
        "scroll_bar_across": view.horizontalScrollBar().isVisible(),
        "unreadable": unreadable_drivers(view),
        "cut": cut_cells(view),
        "rows": view.model().rowCount(),
    }


def look(app: QApplication, window, shots: Path, name: str) -> dict:
    """The desk board as it is, then the wall in board mode, each grabbed to a PNG."""
    board = window.board
    window.board_model.flush()
    board._fit_columns()  # what the next second's fit does: no waiting for it
    wait_for(app, lambda: True)
    window.grab().save(str(shots / f"{name}-desk.png"))
    desk = seen(board) | {
        "given_way": [c.name for c in board.given_way()],
        "window": [window.width(), window.height()],
        "ratio": window.devicePixelRatio(),
    }
    window.set_board_mode(True)
    wait_for(app, lambda: window.scoreboard.table.isVisible())
    window.grab().save(str(shots / f"{name}-wall.png"))
    wall = seen(window.scoreboard.table)
    window.set_board_mode(False)
    return {"desk": desk, "wall": wall}


def main() -> None:
    shots = Path(sys.argv[1])
    app = application()
    folder = Path(tempfile.mkdtemp(prefix="fit-probe-"))
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    path, (session, events) = classed_clash(folder)
    report = {"event": event_tab(app, folder / "event", settings, shots)}

    window = build_session_window(SessionRecorder.open(path), settings)  # timingboard open
    report["open"] = look(app, window, shots, "open")
    window.close()
    window.controller.close()

    (folder / "up").mkdir()
    upstream = SessionController(SessionRecorder.create(folder / "up" / "q.tbs", session))
    upstream.submit(events)
    server = RMonitorServer(upstream)
    assert server.listen(0)
    target = folder / "feed"
    window, _drop = build_connect_window(target, settings)  # timingboard connect
    window.show()
    window.feed.follow("127.0.0.1", server.port, target)
    model = window.board_model
    rows = len(upstream.engine.standings())
    followed = wait_for(app, lambda: ts_for_every_timed_car(model, rows))
    report["connect"] = look(app, window, shots, "connect") | {"followed": followed}
    window.feed.disconnect_feed()
    window.close()
    window.controller.close()
    server.close()
    upstream.close()
    print(json.dumps(report))


def event_tab(app: QApplication, folder: Path, settings: QSettings, shots: Path) -> dict:
    """``open`` on a session of an event folder, its Event tab shown; then the next sessions
    are written beside it ("Next session from these results") and Refresh is clicked."""
    from dataclasses import replace

    from race_scripts import QUARTER_MILE_RACE, three_car_race

    from timingboard.text.event_text import EventColumn

    def write(name: str, laps: bool = True) -> None:
        made = SessionRecorder.create(folder / f"{name}.tbs", replace(QUARTER_MILE_RACE, name=name))
        if laps:
            made.submit(three_car_race())
        made.close()

    folder.mkdir()
    for name in ("heat-1", "heat-2", "heat-3", "race"):
        write(name)
    window = build_session_window(SessionRecorder.open(folder / "race.tbs"), settings)
    window.docks["event"].raise_()  # the Event tab clicked
    view = window.event_actions.view
    wait_for(app, lambda: view.model.rowCount() == 4 and not view.model.reading)
    for name in ("final-a", "final-b"):
        write(name, laps=False)
    view.refresh_action.trigger()  # Refresh clicked
    wait_for(app, lambda: view.model.rowCount() == 6 and not view.model.reading)  # read in a worker
    table = view.table
    shown = [shown_text(table, r, EventColumn.STATUS) for r in range(6)]
    cut = cut_cells(table)
    table.scrollToBottom()
    wait_for(app, lambda: True)
    window.grab().save(str(shots / "event.png"))
    window.close()
    window.controller.close()
    return {"statuses": shown, "cut": cut}


if __name__ == "__main__":
    main()
