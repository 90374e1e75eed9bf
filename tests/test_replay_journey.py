"""Replay as a user takes it: ``timingboard replay FILE --at T`` and File ▸ Replay."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SHARED_FEEDS
from journey import User
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QFileDialog, QPushButton

from timingboard.app.run import build_replay_window
from timingboard.engine import TimingEngine
from timingboard.engine.formatting import format_clock
from timingboard.qt.leaderboard_model import Column
from timingboard.store import SessionRecorder
from timingboard.store.replay_source import ReplaySource

CAPTURE = SHARED_FEEDS / "orbits_mock_session_brandshatch.txt"


@pytest.fixture
def heat_file(tmp_path: Path) -> Path:
    from timingboard.demo.clash import FIELD, heat_race

    heat = heat_race([row[0] for row in FIELD[:9]])
    path = tmp_path / "heat-1.tbs"
    recorder = SessionRecorder.create(path, heat.settings)
    recorder.submit(list(heat.competitors))
    for _, event in heat.events:
        recorder.submit([event])
    recorder.close()
    return path


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def _shown(window) -> list[tuple[str, str]]:
    """(car, laps) of each row, as the board shows them."""
    model = window.board_model
    model.flush()
    return [
        (model.index(r, Column.CAR).data(), model.index(r, Column.LAPS).data())
        for r in range(model.rowCount())
    ]


def _expected(path: Path, at_ms: int) -> list[tuple[str, str]]:
    source = ReplaySource.open(path)
    timeline = source.timeline
    engine = TimingEngine.from_log(timeline.settings, timeline.log[: timeline.prefix_at(at_ms)])
    return [(s.car, str(s.laps)) for s in engine.standings()]


def _press(qtbot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=3000)
    focused = QApplication.focusWidget()
    qtbot.keyClick(focused, key, modifier)


def _close(window) -> None:
    window.replay.driver.close()
    window.close()
    window.controller.close()


def test_replay_from_the_command_at_a_moment_then_step(heat_file, settings, qtbot) -> None:
    window = build_replay_window(ReplaySource.open(heat_file), 120_000, False, settings)
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    driver = window.replay.driver
    assert driver.position_ms == 120_000 and not driver.playing
    assert _shown(window) == _expected(heat_file, 120_000)
    assert window.replay.toolbar.isVisible()
    assert window.replay.bar.time_label.text().startswith(f"session time {format_clock(120_000)}")
    # → and ← pressed into whatever has the focus, as a user does
    times = driver.source.timeline.passing_times()
    after = next(t for t in times if t > 120_000)
    _press(qtbot, Qt.Key.Key_Right)
    assert driver.position_ms == after
    assert _shown(window) == _expected(heat_file, after)
    assert not window.entry_panel.car_field.isEnabled()  # a replay takes no entries
    _press(qtbot, Qt.Key.Key_Left)
    _press(qtbot, Qt.Key.Key_Left)
    before = [t for t in times if t < after][-2]  # two passings back from where → went
    assert driver.position_ms == before
    assert _shown(window) == _expected(heat_file, before)
    assert window.entry_panel.car_field.text() == ""  # the keys stepped, nothing was typed
    _press(qtbot, Qt.Key.Key_Space)
    assert driver.playing
    _press(qtbot, Qt.Key.Key_Space)
    assert not driver.playing
    _close(window)


def test_replay_with_play_starts_playing(heat_file, settings, qtbot) -> None:
    window = build_replay_window(ReplaySource.open(heat_file), 0, True, settings)
    qtbot.addWidget(window)
    driver = window.replay.driver
    assert driver.playing
    qtbot.waitUntil(lambda: driver.position_ms > 500, timeout=5000)
    _close(window)


@pytest.mark.feeds
@pytest.mark.skipif(not CAPTURE.exists(), reason="shared captures absent")
def test_replay_of_a_recorded_stream_from_the_command(settings, qtbot) -> None:
    source = ReplaySource.open(CAPTURE)
    window = build_replay_window(source, 120_000, False, settings)
    qtbot.addWidget(window)
    rows = _shown(window)
    assert rows and rows == _expected(CAPTURE, 120_000)
    _press(qtbot, Qt.Key.Key_Right)
    assert window.replay.driver.position_ms > 120_000
    _close(window)


def test_replay_from_the_file_menu_and_recent(heat_file, tmp_path, show_window, qtbot, monkeypatch):
    from timingboard.qt.session_controller import SessionController

    live = SessionRecorder.create(tmp_path / "live.tbs", ReplaySource.open(heat_file).settings)
    window = show_window(SessionController(live))
    picked: list[str] = []

    def pick(*_args, **_kwargs):
        picked.append("asked")
        return str(heat_file), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", pick)
    window.replay.open_action.trigger()
    assert picked == ["asked"]
    assert window.controller.is_replay and window.replay.toolbar.isVisible()
    assert _shown(window) == _expected(heat_file, 0)
    _press(qtbot, Qt.Key.Key_Right)
    first = window.replay.driver.source.timeline.passing_times()[0]
    assert window.replay.driver.position_ms == first
    recent = [a.text() for a in window.replay.recent_menu.actions()]
    assert recent == [str(heat_file)]
    window.replay.recent_menu.actions()[0].trigger()
    assert window.replay.driver.position_ms == 0
    _close(window)


def test_a_replay_takes_no_entries_from_any_control(heat_file, settings, qtbot) -> None:
    """As for a session opened read-only: the Entry panel, its flags and the entries editor
    are off (typing once gave red "Car 3: the passing was refused.")."""
    window = build_replay_window(ReplaySource.open(heat_file), 60_000, False, settings)
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    panel = window.entry_panel
    assert not panel.car_field.isEnabled()
    flags = [b for b in panel.findChildren(QPushButton) if "F5" in b.text() or "F9" in b.text()]
    assert flags and not any(b.isEnabled() for b in flags)
    editor = window.entries.editor
    buttons = [b for b in editor.findChildren(QAbstractButton) if b.text()]
    changing = [b for b in buttons if "Export" not in b.text()]  # exporting writes no session
    assert changing and not any(b.isEnabledTo(window) and b.isEnabled() for b in changing)
    assert not window.entries.import_action.isEnabled()
    assert panel.message.text() == "Replay (read-only): entries are not taken."
    before = window.controller.engine.seq
    focused = QApplication.focusWidget()
    if focused is not None:
        qtbot.keyClicks(focused, "3")
        qtbot.keyClick(focused, Qt.Key.Key_Return)
    assert "refused" not in panel.message.text()
    assert window.controller.engine.seq == before
    _close(window)


def test_a_live_window_after_a_replay_has_no_replay_bar_and_lists_the_replays(
    heat_file, tmp_path, settings, qtbot
) -> None:
    """The layout saved by a replay window brought back its dead bar "0:00:00 / 0:00:00" in
    the next live window; and replays from the command were not in Recent replays."""
    from journey import open_window

    for _ in range(2):
        window = build_replay_window(ReplaySource.open(heat_file), 60_000, False, settings)
        qtbot.addWidget(window)
        assert window.replay.toolbar.isVisible()
        _close(window)  # the layout is saved, the replay bar shown in it
    live = tmp_path / "live.tbs"
    SessionRecorder.create(live, ReplaySource.open(heat_file).settings).close()
    window = open_window(live, tmp_path / "settings.ini")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert not window.replay.toolbar.isVisible()
    assert window.replay.recent_menu.isEnabled()
    assert [a.text() for a in window.replay.recent_menu.actions()] == [str(heat_file)]
    window.close()
    window.controller.close()


def test_a_replays_entry_list_says_why_it_cannot_be_changed(heat_file, settings, qtbot) -> None:
    """Import CSV looked enabled in a replay's Entries panel and did nothing: the controls that
    change the list are off and say why; the list is still read, searched and exported."""
    from journey import User

    window = build_replay_window(ReplaySource.open(heat_file), 60_000, False, settings)
    user = User(qtbot, window)
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    editor = window.entries.editor
    why = "Replay (read-only): the entry list is shown, not changed."
    assert editor.read_only_line.isVisible() and editor.read_only_line.text() == why
    buttons = editor.toolbar.findChildren(QAbstractButton)
    bar = {b.text().replace("&", "").rstrip("…"): b for b in buttons}
    for name in ("Import CSV", "Withdraw car", "Classes"):
        assert not bar[name].isEnabled() and bar[name].toolTip() == why, name
    assert bar["Export CSV"].isEnabled()
    assert not user.menu_action("File", "Import").isEnabled()  # greyed in the menu too
    assert not editor.add_field.isEnabled()
    rows_before = editor.rows_shown()
    index = editor.proxy.index(0, 2)
    editor.table.setCurrentIndex(index)
    editor.table.setFocus()
    qtbot.keyClicks(editor.table, "x")  # a letter on a cell edits it in a live session
    assert editor.table.state() is not editor.table.State.EditingState
    assert editor.rows_shown() == rows_before
    editor.search.setFocus()
    qtbot.keyClicks(editor.search, rows_before[0][1])
    assert len(editor.rows_shown()) >= 1
    _close(window)


def test_a_replays_event_row_is_the_files_not_the_moment_shown(heat_file, settings, qtbot) -> None:
    """Replaying a finished heat at 2:00, the Event tab read "live" and "Started 00:00": its row
    was made from the replay's board at that moment, with no clock origin."""
    from timingboard.store.event_folder import Status, summarise_session

    window = build_replay_window(ReplaySource.open(heat_file), 120_000, False, settings)
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    model = window.event_actions.model
    qtbot.waitUntil(lambda: [r.status for r in model.rows()] not in ([], [Status.READING]))
    (row,) = model.rows()
    on_disk = summarise_session(heat_file)
    assert (row.status, row.started, row.laps) == (Status.FINISHED, on_disk.started, on_disk.laps)
    _press(qtbot, Qt.Key.Key_Right)  # a step on does not make it the moment's again
    assert model.rows()[0].status is Status.FINISHED
    _close(window)


def test_the_event_tab_of_a_replayed_capture_says_why_it_lists_nothing(
    tmp_path, settings, qtbot
) -> None:
    """``timingboard replay CAPTURE``, then the Event tab: it was blank, with no word why."""
    from test_title_says_the_state import FINISHED_STREAM

    capture = tmp_path / "race-capture.txt"
    capture.write_bytes(FINISHED_STREAM)
    window = build_replay_window(ReplaySource.open(capture), 0, False, settings)
    qtbot.addWidget(window)
    window.docks["event"].raise_()  # the Event tab clicked
    view = window.event_actions.view
    qtbot.waitUntil(view.title.isVisible)
    said = view.title.text()
    assert said.startswith("race-capture.txt: a recorded feed replayed"), said
    assert "no event folder" in said
    assert not view.table.isVisible()  # no empty table under it
    assert not view.details_action.isEnabled()  # nowhere to keep the event's details
    _close(window)


def test_the_event_tab_of_a_replayed_session_lists_its_folder(heat_file, settings, qtbot) -> None:
    window = build_replay_window(ReplaySource.open(heat_file), 0, False, settings)
    qtbot.addWidget(window)
    window.docks["event"].raise_()
    view = window.event_actions.view
    qtbot.waitUntil(view.table.isVisible)
    assert view.title.text() == heat_file.parent.name
    qtbot.waitUntil(lambda: view.table.model().rowCount() == 1)
    assert view.details_action.isEnabled()
    _close(window)


def test_a_number_typed_in_a_replay_says_it_takes_no_crossings(heat_file, settings, qtbot) -> None:
    """A new user typed "3" Enter on the replay's board: row 3 was picked, nothing said, and
    the Entry panel still read "The green flag was not taken…" from a flag key before."""
    window = build_replay_window(ReplaySource.open(heat_file), 60_000, False, settings)
    user = User(qtbot, window)
    user.show()
    before = window.controller.engine.seq
    user.press(Qt.Key.Key_F5)  # a flag key: refused, and said so
    assert "flag was not taken" in user.entry_message()[0]
    user.click_cell(0, Column.CAR)
    assert user.focused() is window.board
    qtbot.keyClicks(QApplication.focusWidget(), "3")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    message = user.entry_message()[0]
    assert message.startswith("Replay: nothing is timed here") and "Branch a copy" in message
    assert "flag was not taken" not in message
    assert user.status().startswith("Replay: nothing is timed here")
    user.press(Qt.Key.Key_F5)
    window.replay.bar.timeline.setFocus()  # the timeline, as after a drag on it
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.replay.bar.timeline)
    user.enter("12")
    assert user.entry_message()[0].startswith("Replay: nothing is timed here")
    assert window.controller.engine.seq == before  # nothing was logged
    _close(window)


def test_a_click_at_the_right_end_of_the_timeline_shows_the_whole_log(
    heat_file, settings, qtbot
) -> None:
    """The label read "0:02:13 / 0:02:13" at the timeline's last pixels, but the last
    correction was left out (the Corrections list one short, the board as before it): the
    pixel stood for a few ms before the end. Play or a drag past the end showed it."""
    from timingboard.engine.events import DeletePassing

    recorder = SessionRecorder.open(heat_file)
    last = max(recorder.engine.passings)
    recorder.submit([DeletePassing(passing_id=last, operator="Sam", reason="double read")])
    corrections = len(recorder.engine.logged_corrections())
    recorder.close()
    window = build_replay_window(ReplaySource.open(heat_file), 0, False, settings)
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    timeline = window.replay.bar.timeline
    driver = window.replay.driver
    end = format_clock(driver.duration_ms)
    x = timeline.width() - 2  # one pixel inside the bar's right end
    qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=QPoint(x, timeline.height() // 2))
    qtbot.waitUntil(lambda: driver.position_ms > 0, timeout=3000)
    assert window.replay.bar.time_label.text() == f"session time {end} / {end}"
    assert window.audit_model.rowCount() == corrections  # the last one listed too
    assert _shown(window) == _expected(heat_file, driver.duration_ms)
    _close(window)
