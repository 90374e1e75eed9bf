"""The board never shows a state the session was not in: after every frame, every cell of the
leaderboard is what a from-scratch rebuild of the log says (a tester once saw P1 #20 Bell
13.569 in purple under a header giving #31 Haley's 13.517)."""

from __future__ import annotations

from pathlib import Path

from journey import settings_at
from PySide6.QtCore import QEvent, QObject

from timingboard.app.run import build_demo_window
from timingboard.engine.engine import TimingEngine
from timingboard.qt.leaderboard_model import Column, display_text


def scratch_cells(window) -> list[list[str]]:
    engine = window.controller.engine
    rebuilt = TimingEngine.from_log(engine.settings, list(engine.log))
    return [[display_text(row, c) or "" for c in Column] for row in rebuilt.standings()]


def shown_cells(window) -> list[list[str]]:
    model = window.board_model
    return [[str(model.index(r, c).data() or "") for c in Column] for r in range(model.rowCount())]


def test_every_frame_of_a_fast_demo_matches_a_rebuild(qtbot, tmp_path: Path) -> None:
    window, runner = build_demo_window(
        40, 31, False, tmp_path / "demo", settings_at(tmp_path / "s.ini")
    )
    qtbot.addWidget(window)
    wrong: list[str] = []
    frames = 0

    def check() -> None:
        nonlocal frames
        frames += 1
        shown, truth = shown_cells(window), scratch_cells(window)
        if shown != truth:
            bad = next(i for i, (a, b) in enumerate(zip(shown, truth, strict=False)) if a != b)
            wrong.append(f"frame {frames}, row {bad + 1}: {shown[bad]} != {truth[bad]}")

    window.board_model.board_updated.connect(check)
    started: list[str] = []
    runner.session_started.connect(started.append)
    qtbot.waitUntil(lambda: len(started) >= 2 or bool(wrong), timeout=60_000)
    qtbot.waitUntil(lambda: len(window.controller.engine.passings) > 60 or bool(wrong))
    runner.stop()
    assert wrong == []
    assert frames > 20
    window.close()
    window.controller.close()


class PaintWatch(QObject):
    """What the board and the header said each time the board was painted."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.seen: list[tuple[str, str, str]] = []
        window.board.viewport().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint and self.window.board_model.rowCount():
            model = self.window.board_model
            car = str(model.index(0, Column.CAR).data())
            best = str(model.index(0, Column.BEST_LAP).data())
            self.seen.append((self.window.header.best.text(), car, best))
        return False


def test_the_board_is_never_painted_behind_the_header(qtbot, tmp_path: Path) -> None:
    """In qualifying P1 holds the session best: the header and row 1 agree in every paint."""
    window, runner = build_demo_window(
        1, 31, False, tmp_path / "demo", settings_at(tmp_path / "s.ini")
    )
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    watch = PaintWatch(window)
    started: list[str] = []
    runner.session_started.connect(started.append)
    qtbot.waitUntil(lambda: len(started) >= 1, timeout=60_000)  # the qualifying is over
    runner.stop()
    painted = [s for s in watch.seen if s[0] != "Session best: —"]
    assert len(painted) > 20
    behind = [s for s in painted if f"#{s[1]} " not in s[0] or s[2] not in s[0]]
    assert behind == [], f"{len(behind)} of {len(painted)} paints: {behind[:3]}"
    window.close()
    window.controller.close()
