"""The Event tab reads the event's session files in a worker: the window never waits for them.

Reading a session's row rebuilds its board from its log (seconds for a 24-hour one); done on the
GUI thread it froze the window for every file of the folder (29 s with three 24-hour sessions).
"""

from __future__ import annotations

import threading
from pathlib import Path
from unittest import mock

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from race_scripts import QUARTER_MILE_RACE

from timingboard.app.run import build_session_window
from timingboard.engine.events import Flag, FlagChanged, Passing
from timingboard.store import SessionRecorder, event_folder
from timingboard.text.event_text import EventColumn


def _run(path: Path, laps: int) -> None:
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    events: list = [FlagChanged(time_ms=0, flag=Flag.GREEN)]
    events += [Passing(time_ms=(lap + 1) * 14_000, car="31") for lap in range(laps)]
    recorder.submit(events)
    recorder.close()


def _open(qtbot, path: Path, settings: Path):
    window = build_session_window(
        SessionRecorder.open(path), QSettings(str(settings), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _statuses(window) -> list[str]:
    model = window.event_actions.model
    return [str(model.index(r, EventColumn.STATUS).data()) for r in range(model.rowCount())]


def test_the_event_tab_says_reading_then_shows_each_session_read_off_the_window_thread(
    qtbot, tmp_path: Path
) -> None:
    _run(tmp_path / "heat-1.tbs", 3)
    SessionRecorder.create(tmp_path / "feature.tbs", QUARTER_MILE_RACE).close()
    read_in: list[str] = []
    real = event_folder.summarise_session

    def summarise_session(*args, **kwargs):  # type: ignore[no-untyped-def]
        read_in.append(threading.current_thread().name)
        return real(*args, **kwargs)

    with mock.patch.object(event_folder, "summarise_session", summarise_session):
        window = _open(qtbot, tmp_path / "feature.tbs", tmp_path / "settings.ini")
        model = window.event_actions.model
        qtbot.waitUntil(lambda: not model.reading)
        assert _statuses(window) == ["stopped", "scheduled"]  # heat 1 read, feature at hand
        _run(tmp_path / "heat-2.tbs", 2)
        window.event_actions.view.refresh_action.trigger()  # Refresh clicked
        assert _statuses(window)[2] == "reading…"  # at once: the window waits for no file
        assert model.index(2, EventColumn.KIND).data() == ""  # not known before it is read
        qtbot.waitUntil(lambda: not model.reading)
    assert _statuses(window) == ["stopped", "scheduled", "stopped"]
    assert model.summary(2) == real(tmp_path / "heat-2.tbs")  # as the file says, read whole
    assert read_in and threading.main_thread().name not in read_in
    window.close()
    window.controller.close()


def test_closing_the_window_while_the_event_tab_reads_ends_its_worker(
    qtbot, tmp_path: Path
) -> None:
    for name in ("a", "b", "c"):
        _run(tmp_path / f"{name}.tbs", 40)
    SessionRecorder.create(tmp_path / "open.tbs", QUARTER_MILE_RACE).close()
    window = _open(qtbot, tmp_path / "open.tbs", tmp_path / "settings.ini")
    window.close()  # the worker ends with it (the suite fails a test that leaves a thread)
    window.controller.close()
    assert not [t for t in threading.enumerate() if t.name == "timingboard-event-summaries"]
    assert QApplication.instance() is not None


def test_switching_sessions_from_the_event_tab_lists_the_new_folder(qtbot, tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir()
    second.mkdir()
    _run(first / "heat.tbs", 2)
    _run(second / "final.tbs", 5)
    _run(second / "other.tbs", 1)
    window = _open(qtbot, first / "heat.tbs", tmp_path / "settings.ini")
    model = window.event_actions.model
    qtbot.waitUntil(lambda: not model.reading)
    assert model.rowCount() == 1
    window.session_actions.open_session(str(second / "final.tbs"))
    qtbot.waitUntil(lambda: window.controller.recorder.path.name == "final.tbs")
    qtbot.waitUntil(lambda: not model.reading and model.rowCount() == 2)
    other = next(r for r in range(2) if model.summary(r).path.name == "other.tbs")
    assert model.summary(other) == event_folder.summarise_session(second / "other.tbs")
    assert model.index(other, EventColumn.LAPS).data() not in ("", None)
    window.close()
    window.controller.close()
