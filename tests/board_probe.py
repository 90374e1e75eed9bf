"""What the desk board shows cell by cell: the text a user reads and whether it was cut.

Also run as a script (``python tests/board_probe.py``) to probe under QT_SCALE_FACTOR=2.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem, QTableView

CUT = "…"


def shown_text(view: QTableView, row: int, column: int) -> str:
    """The text the delegate paints in a cell, with "…" where it does not fit."""
    index = view.model().index(row, column)
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = view.visualRect(index)
    option.font = view.font()
    option.fontMetrics = QFontMetrics(view.font())
    option.textElideMode = view.textElideMode()  # as the view paints it (a delegate may change it)
    view.itemDelegateForIndex(index).initStyleOption(option, index)
    metrics = QFontMetrics(option.font)
    return metrics.elidedText(option.text, option.textElideMode, _room(view, option.rect))


def _room(view: QTableView, rect) -> int:
    """What a cell leaves for its text: the style keeps a margin either side."""
    margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    return rect.width() - 2 * margin


def cut_cells(view: QTableView) -> list[str]:
    """Every visible cell (and title) whose text does not fit its column, and every column that
    runs off the right of the view (its texts cut by the edge, to be scrolled to)."""
    model = view.model()
    cut = []
    for column in range(model.columnCount()):
        if view.isColumnHidden(column):
            continue
        title = str(model.headerData(column, Qt.Orientation.Horizontal))
        right = view.columnViewportPosition(column) + view.columnWidth(column)
        if right > view.viewport().width():
            cut.append(f"column {title!r} runs {right - view.viewport().width()} px off the view")
        room = view.columnWidth(column) - 8
        if QFontMetrics(view.horizontalHeader().font()).horizontalAdvance(title) > room + 6:
            cut.append(f"title {title!r}")
        for row in range(model.rowCount()):
            text = shown_text(view, row, column)
            if CUT in text:
                cut.append(text)
    return cut


def unreadable_drivers(view: QTableView) -> list[str]:
    """Every shown row whose Driver cell is cut ("…") or shorter than the whole surname
    ("HAL" for Justin Haley): read across a room, the board must name every driver."""
    from timingboard.qt.leaderboard_model import Column
    from timingboard.text.board_text import readable_forms

    model = view.model()
    bad = []
    for row in range(model.rowCount()):
        if view.isRowHidden(row):
            continue
        full = str(model.index(row, Column.DRIVER).data() or "")
        text = shown_text(view, row, Column.DRIVER)
        if full and text not in readable_forms(full):
            bad.append(f"{full!r} shown as {text!r}")
    return bad


def ts_for_every_timed_car(model, rows: int) -> bool:
    """The board followed has its ``rows`` and a TS place for every car with a best lap (those
    the timing system ranks in a qualifying; a car it has not timed has none)."""
    from timingboard.qt.leaderboard_model import Column

    if model.rowCount() != rows:
        return False
    timed = [row for row in range(rows) if model.standing_at(row).best_lap_ms]
    return bool(timed) and all(model.index(row, Column.OFFICIAL).data() for row in timed)


def classed_clash(folder: Path, until_ms: int = 150_000) -> tuple[Path, object]:
    """The Clash's qualifying (every driver of the evening) with a class for each make, saved
    at ``until_ms`` as ``open`` finds it; also its settings and events, for a feed to serve."""
    from dataclasses import replace

    from timingboard.demo.clash import qualifying
    from timingboard.store import SessionRecorder

    quali = qualifying()
    competitors = [replace(c, car_class=c.make) for c in quali.competitors]
    events = [*competitors, *(e for t, e in quali.events if t <= until_ms)]
    recorder = SessionRecorder.create(folder / "qualifying.tbs", quali.settings)
    recorder.submit(events)
    recorder.close()
    return folder / "qualifying.tbs", (quali.settings, events)


def open_window(path: Path, settings_file: Path, width: int = 1280, height: int = 800):
    """``timingboard open FILE`` (app/run.py run_session) at a given size, columns fitted."""
    from PySide6.QtCore import QSettings

    from timingboard.app.run import build_session_window
    from timingboard.store import SessionRecorder

    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    window = build_session_window(SessionRecorder.open(path), settings)
    window.resize(width, height)
    window.board_model.flush()
    window.board._fit_columns()
    return window


def demo_heat_window(folder: Path, width: int = 1280, height: int = 800):
    """The real window on the demo's heat at lap 17, at a given size, columns fitted."""
    from PySide6.QtCore import QSettings

    from timingboard.app.main_window import MainWindow
    from timingboard.demo.clash import heat_lineups, heat_race, qualifying
    from timingboard.engine import TimingEngine
    from timingboard.engine.events import LogEntry
    from timingboard.qt.session_controller import SessionController
    from timingboard.store import SessionRecorder

    quali = qualifying()
    log = [*quali.competitors, *(e for _, e in quali.events)]
    order = TimingEngine.from_log(
        quali.settings, [LogEntry(i + 1, e) for i, e in enumerate(log)]
    ).order()
    heat = heat_race(heat_lineups(order)[0])
    controller = SessionController(SessionRecorder.create(folder / "heat.tbs", heat.settings))
    controller.submit(list(heat.competitors))
    controller.submit([e for t, e in heat.events if t <= 262_000])
    settings = QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(controller, settings)
    window.resize(width, height)
    window.show()
    window.board_model.flush()
    window.board._fit_columns()
    return window, controller


EXTRA_DRIVERS = (  # made up, to fill a 60-car field with names as long as real ones get
    "Alexander Rossi-Hunter",
    "Juan Pablo Montoya",
    "Helio Castroneves",
    "Sebastien Bourdais",
    "Jean-Eric Vergne",
    "Katherine Legge",
    "Filipe Albuquerque",
    "Renger van der Zande",
    "Ricky Taylor",
    "Jordan Taylor",
    "Tom Blomqvist",
    "Colin Braun",
    "Pipo Derani",
    "Alexander Sims",
    "Mathieu Jaminet",
    "Nick Tandy",
    "Laurens Vanthoor",
    "Earl Bamber",
    "Matt Campbell",
    "Frederic Makowiecki",
    "Jack Aitken",
    "Felipe Nasr",
    "Dane Cameron",
    "Connor De Phillippi",
)


def big_field_window(folder: Path, width: int = 1280, height: int = 800, cars: int = 60):
    """The real window on a 60-car race at lap 40 of 150: the demo's field and 24 more (car
    numbers up to three digits), cars lapped many times, two in the pits, one retired, and the
    corrections a steward makes (penalties, a deleted and an inserted passing)."""
    from PySide6.QtCore import QSettings

    from timingboard.app.main_window import MainWindow
    from timingboard.demo.clash import FIELD
    from timingboard.engine import CompetitorSet, Flag, FlagChanged, Passing, SessionSettings
    from timingboard.engine.events import (
        DeletePassing,
        InsertPassing,
        LapPenalty,
        PitMark,
        Retire,
        TimePenalty,
    )
    from timingboard.qt.session_controller import SessionController
    from timingboard.store import SessionRecorder

    people = [(car, driver, team) for car, driver, team, _make, _pace in FIELD]
    people += [(str(100 + i), name, "Privateer Racing") for i, name in enumerate(EXTRA_DRIVERS)]
    people = people[:cars]
    settings = SessionSettings(
        name="Feature · 150 laps",
        track_name="Coliseum",
        track_length=0.25,
        race_laps=150,
        min_lap_ms=8000,
    )
    controller = SessionController(SessionRecorder.create(folder / "big.tbs", settings))
    competitors = [
        CompetitorSet(key=car, car=car, driver=driver, team=team, grid=i + 1)
        for i, (car, driver, team) in enumerate(people)
    ]
    controller.submit([*competitors, FlagChanged(time_ms=0, flag=Flag.GREEN)])
    passings = []
    for i, (car, _, _) in enumerate(people):
        lap_ms = 13_500 + 60 * i  # the back of the field a lap down every few laps
        passings += [Passing(time_ms=200 * i + n * lap_ms, car=car) for n in range(41)]
    passings.sort(key=lambda p: p.time_ms)
    end = 40 * 13_500
    controller.submit([p for p in passings if p.time_ms <= end])
    ids = [record.seq for record in controller.engine.passings.values() if record.car == "54"]
    by = {"operator": "Chief Steward", "at": "2026-05-01T15:00:00+00:00"}
    controller.submit(
        [
            TimePenalty(key="31", ms=5000, reason="jumped the restart", **by),
            LapPenalty(key="8", laps=1, reason="pitted under a closed pit", **by),
            DeletePassing(passing_id=ids[3], reason="double read on the line", **by),
            InsertPassing(time_ms=300_100, key="51", reason="missed by the loop", **by),
            PitMark(key="99", time_ms=end - 2000, entered=True, reason="seen on video", **by),
            Retire(key="78", reason="engine", **by),
        ]
    )
    window = MainWindow(controller, QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat))
    window.resize(width, height)
    window.show()
    window.board_model.flush()
    window.passings_model.flush()
    window.board._fit_columns()
    return window, controller


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from timingboard.app.run import application

    app = application()
    cut: list[str] = []
    for make in (demo_heat_window, big_field_window):
        window, controller = make(Path(tempfile.mkdtemp(prefix="timingboard-probe-")))
        app.processEvents()
        window.docks["audit"].raise_()
        app.processEvents()
        for view in (window.board, window.passings_log, window.audit):
            cut += [f"{view.objectName()}: {text}" for text in cut_cells(view)]
        window.close()
        controller.close()
    print(f"ratio {window.devicePixelRatio():g} width {window.width()} cut {cut}")
    return 1 if cut else 0


if __name__ == "__main__":
    sys.exit(main())
