"""File ▸ Open of a long session reads it in a worker that gives way to the window: it reads only
while the window's event loop is free (a turn of the window's own, such as painting the board
shown ahead, runs with nothing read meanwhile), the collector stays out of what it reads until
the window has it, and nothing ticks once the session and its log's check are in.

The 24-hour figures are in ``benchmarks/bench_gui_stall.py --only open``; a short race stands in
for it here (the thresholds that make a session "long" lowered).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from journey import file_dialog_answer, new_session_window
from PySide6.QtWidgets import QFileDialog
from race_scripts import QUARTER_MILE_QUALIFYING, QUARTER_MILE_RACE, three_car_race

from timingboard.app import background_open
from timingboard.engine.events import CompetitorSet, Passing
from timingboard.qt import frame_throttle
from timingboard.qt.entries_model import EntryColumn
from timingboard.qt.leaderboard_model import Column
from timingboard.store import SessionRecorder, recorder
from timingboard.store.bulk import collection_is_paused

JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


@pytest.fixture(autouse=True)
def _every_session_is_long(monkeypatch):
    monkeypatch.setattr(background_open, "IN_WORKER_FROM", 1)
    monkeypatch.setattr(recorder, "CHECK_LATER_FROM", 1)
    monkeypatch.setattr(frame_throttle, "DRAWN_LATER_FROM", 1)


def _race(path: Path) -> list[str]:
    made = SessionRecorder.create(path, QUARTER_MILE_RACE)
    made.submit(three_car_race())
    made.close()
    return [str(s.car) for s in SessionRecorder.open(path, read_only=True).engine.standings()]


@JOURNEY_LOG
def test_file_open_reads_only_while_the_window_is_free(qtbot, tmp_path: Path, dialogs) -> None:
    path = tmp_path / "race.tbs"
    cars = _race(path)
    user = new_session_window(qtbot, tmp_path, QUARTER_MILE_QUALIFYING, "practice.tbs")
    background = user.window.session_actions.background
    pacer = background.gate.pacer
    pacer.slice_s = 0.0  # a pause at every point where the reading may stop
    pacer.longest_wait_s = 60.0  # and no going on before the window is free
    seen: dict[str, object] = {}

    def on_board_read(*_: object) -> None:
        """A turn of the window's own while the worker reads the rest: it reads nothing
        meanwhile (it waits at its next pause), the collector kept out of it."""
        end = time.monotonic() + 10
        while pacer.waits == 0 and time.monotonic() < end:
            time.sleep(0.001)  # the worker reaches a pause and waits there
        waits = -1  # a slice let go before this turn began ends at its next pause
        while waits != pacer.waits and time.monotonic() < end:
            waits = pacer.waits
            time.sleep(0.05)  # the window's turn goes on: the worker stays where it waits
        seen["waits"] = (waits, pacer.waits)
        seen["read"] = bool(background._results)
        seen["collector out"] = collection_is_paused()
        seen["status"] = user.status()

    background.board_read.connect(on_board_read)
    dialogs.expect(QFileDialog, file_dialog_answer(user, path))
    with qtbot.waitSignal(user.window.session_actions.session_opened, timeout=20_000):
        user.choose("File", "Open session")
    assert dialogs.unexpected == []
    assert seen["waits"][0] >= 1 and seen["waits"][0] == seen["waits"][1]
    assert seen["read"] is False  # the session not yet read when the window's turn ended
    assert seen["collector out"] is True
    assert seen["status"] == "Opening race.tbs…"
    assert pacer.waits > seen["waits"][1]  # then a slice at a time, between the window's turns
    rows = user.window.board.model().rowCount()
    assert [user.cell(row, Column.CAR) for row in range(rows)] == cars
    assert "race.tbs" in user.window.windowTitle()
    qtbot.waitUntil(lambda: not user.window.controller.recorder.checking, timeout=10_000)
    assert not collection_is_paused()  # the collector back once the window has it all
    assert len(user.window.controller.engine.log) == user.window.controller.recorder.file.last_seq
    qtbot.waitUntil(lambda: not background.gate._timer.isActive(), timeout=5_000)  # no ticking
    user.window.close()


@JOURNEY_LOG
def test_the_entries_list_put_away_while_a_long_session_opens_reads_whole_when_shown(
    qtbot, tmp_path: Path, dialogs
) -> None:
    """A long session opened with the Entries list put away: its list is measured
    when shown (not in the open's reset), and every name then reads whole."""
    path = tmp_path / "race.tbs"
    made = SessionRecorder.create(path, QUARTER_MILE_RACE)
    long_name = "Maximilian Alexander-Whitfield of Lower Saxony"
    made.submit([CompetitorSet(key="7", car="7", driver=long_name, team="Racing Team Nord")])
    made.submit([Passing(time_ms=1000 * lap, car="7") for lap in range(1, 5)])
    made.close()
    user = new_session_window(qtbot, tmp_path, QUARTER_MILE_QUALIFYING, "practice.tbs")
    editor = user.window.entries.editor
    toggle = user.window.docks["entries"].toggleViewAction()  # View ▸ Entries
    if editor.table.isVisible():
        toggle.trigger()  # the list put away
    qtbot.waitUntil(lambda: not editor.table.isVisible())
    dialogs.expect(QFileDialog, file_dialog_answer(user, path))
    with qtbot.waitSignal(user.window.session_actions.session_opened, timeout=20_000):
        user.choose("File", "Open session")
    qtbot.waitUntil(lambda: not user.window.controller.recorder.checking, timeout=10_000)
    toggle.trigger()  # the list shown again
    user.window.docks["entries"].raise_()
    qtbot.waitUntil(editor.table.isVisible)
    model, header = editor.model, editor.table.horizontalHeader()
    qtbot.waitUntil(lambda: model.row_total() > 0)  # listed after the board's paint
    metrics = editor.table.fontMetrics()
    texts = {c: model.column_texts(c) for c in EntryColumn}
    every = [t for column_texts in texts.values() for t in column_texts if t]
    assert any(long_name in t or t in long_name for t in every)  # the long name listed
    for column, column_texts in texts.items():
        widest = max((metrics.horizontalAdvance(t) for t in column_texts), default=0)
        assert header.sectionSize(column) >= widest, column  # every text reads whole
    user.window.close()
