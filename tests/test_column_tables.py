"""The board's flat tables share their counts and headers (qt/column_table.ColumnTable); each
still passes Qt's model tester and says its headers, rows and changed rows as before."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import Qt
from race_scripts import QUARTER_MILE_RACE, field

from timingboard.engine import Flag, FlagChanged, Passing
from timingboard.qt.event_model import EventModel
from timingboard.store import SessionRecorder
from timingboard.text.event_text import EVENT_HEADERS, EventColumn


def _session(path: Path, laps: int) -> None:
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    events = [*field(["31", "8"]), FlagChanged(time_ms=0, flag=Flag.GREEN)]
    events += [Passing(time_ms=10_000 * lap, car="31") for lap in range(laps + 1)]
    recorder.submit(events)
    recorder.close()


def test_the_event_table_lists_its_sessions_and_changes_a_row_in_one_signal(
    qtbot, qtmodeltester, tmp_path: Path
) -> None:
    _session(tmp_path / "heat-1.tbs", 2)
    model = EventModel()
    with qtbot.waitSignal(model.reading_finished):
        model.show_folder(tmp_path)
    qtmodeltester.check(model)
    assert model.rowCount() == 1 and model.columnCount() == len(EventColumn)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in EventColumn] == list(
        EVENT_HEADERS.values()
    )
    assert model.headerData(len(EventColumn), Qt.Orientation.Horizontal) is None
    assert model.index(0, EventColumn.LAPS).data() == "2"
    _session(tmp_path / "heat-2.tbs", 1)
    with qtbot.waitSignals([model.rowsInserted, model.reading_finished]):
        model.refresh()
    assert model.rowCount() == 2
    changed: list[tuple[int, int, int]] = []

    def on_changed(first, last, _roles=()) -> None:
        changed.append((first.row(), first.column(), last.column()))

    model.dataChanged.connect(on_changed)
    model.update(dataclasses.replace(model.summary(0), laps=9))
    assert changed == [(0, 0, len(EventColumn) - 1)]
    assert model.index(0, EventColumn.LAPS).data() == "9"
    qtmodeltester.check(model)
