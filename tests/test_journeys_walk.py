"""Faults a new user met walking the window (issue 15's second walk), each walked again the way
the user walked it: keys into the focused widget, menu items, dialog fields; what is checked is
what the window shows."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from board_probe import cut_cells
from journey import (
    FakeTime,
    User,
    file_dialog_answer,
    new_session_window,
    ok_button,
    open_window,
    settings_at,
)
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFileDialog, QWidget
from race_scripts import QUARTER_MILE_QUALIFYING, QUARTER_MILE_RACE, field

from timingboard.app.recent_sessions import RecentSessions
from timingboard.app.run import build_demo_window, build_replay_window, finish_demo
from timingboard.app.scratch import ScratchFolder
from timingboard.demo.clash import FIELD, heat_race
from timingboard.demo.rmonitor_stream import rmonitor_stream
from timingboard.engine.events import Flag, FlagChanged, Passing
from timingboard.qt.p3_simulator import P3Simulator
from timingboard.store.recorder import SessionRecorder
from timingboard.store.replay_source import ReplaySource
from timingboard.widgets.p3_dialogs import P3ConnectDialog

JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


def connect_answer(user: User, port: int, folder: Path):
    def act(dialog: QWidget) -> None:
        assert isinstance(dialog, P3ConnectDialog)
        user.fill(dialog.address, f"p3://127.0.0.1:{port}")
        user.fill(dialog.folder, str(folder))
        user.click(ok_button(dialog))

    return act


# --- 2. the decoder's health panel only where a decoder feeds the session ------------------------


@JOURNEY_LOG
def test_the_decoder_health_panel_shows_only_while_a_decoder_feeds_the_session(
    qtbot, tmp_path: Path, dialogs
) -> None:
    manual, other = tmp_path / "practice.tbs", tmp_path / "heat.tbs"
    SessionRecorder.create(manual, QUARTER_MILE_QUALIFYING).close()
    SessionRecorder.create(other, QUARTER_MILE_RACE).close()
    settings = tmp_path / "settings.ini"
    user = User(qtbot, open_window(manual, settings))
    user.show()
    panel = user.window.p3.dock
    assert not panel.isVisible()
    assert not user.menu_action("View", "Decoder health").isEnabled()  # nothing to show yet

    simulator = P3Simulator([], speed=0)
    assert simulator.listen(0)
    try:
        dialogs.expect(P3ConnectDialog, connect_answer(user, simulator.port, tmp_path / "p3"))
        user.choose("Feed", "Connect to a P3 decoder")
        qtbot.waitUntil(lambda: user.window.p3.link_label.text() == "Decoder: connected")
        assert panel.isVisible()
        assert user.menu_action("View", "Decoder health").isEnabled()

        dialogs.expect(QFileDialog, file_dialog_answer(user, other))
        user.choose("File", "Open session")  # a session no decoder feeds
        qtbot.waitUntil(lambda: "heat.tbs" in user.window.windowTitle())
    finally:
        simulator.close()
    assert dialogs.unexpected == []
    assert not panel.isVisible()
    assert not user.menu_action("View", "Decoder health").isEnabled()
    user.window.close()

    again = User(qtbot, open_window(manual, settings))  # the next start, its layout restored
    again.show()
    assert not again.window.p3.dock.isVisible()
    again.window.close()


# --- 3. a replay's status bar and its two clocks ---------------------------------------------


@pytest.fixture
def capture(tmp_path: Path) -> Path:
    """A recorded RMonitor stream of a heat, as a timing system sent it."""
    heat = heat_race([row[0] for row in FIELD[:9]])
    path = tmp_path / "captures" / "heat-1.txt"
    path.parent.mkdir()
    events = [*heat.competitors, *(e for _, e in heat.events)]
    path.write_bytes(rmonitor_stream(heat.settings, events))
    return path


@JOURNEY_LOG
def test_a_replay_of_a_capture_says_which_file_it_replays(
    qtbot, tmp_path: Path, capture: Path
) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = build_replay_window(ReplaySource.open(capture), 0, False, settings)  # as the command
    user = User(qtbot, window)
    user.show()
    # the status bar says what the title does not: the file replayed, in full
    assert user.status() == f"Replaying {capture}"
    assert window.windowTitle() not in user.status()
    window.replay.driver.close()
    window.close()
    window.controller.close()


def sparse_session(path: Path, green_ms: int, origin: float | None = None) -> Path:
    """Two cars, a passing each half minute: seconds go by with nothing on the board changing.
    ``origin``: when its session time zero was (now: its crossings are minutes to come)."""
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE, origin)
    recorder.submit([*field(["1", "2"]), FlagChanged(time_ms=green_ms, flag=Flag.GREEN)])
    for at in range(30_000, 300_000, 30_000):
        recorder.submit([Passing(time_ms=at, car="1"), Passing(time_ms=at + 4_321, car="2")])
    recorder.close()
    return path


@JOURNEY_LOG
def test_a_playing_replay_shows_one_moment_on_both_clocks(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    clock = FakeTime().install(monkeypatch)
    path = sparse_session(tmp_path / "heat.tbs", green_ms=0)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = build_replay_window(ReplaySource.open(path), 0, False, settings)
    user = User(qtbot, window)
    user.show()
    driver = window.replay.driver
    user.press(Qt.Key.Key_Space)  # play
    qtbot.waitUntil(lambda: driver.playing)
    for seconds in (1.3, 2.9, 0.7, 3.1, 1.0):
        clock.advance(seconds)
        with qtbot.waitSignal(driver.position_changed):
            pass
        # one moment, one clock: the header (since the green at 0) and the bar read alike
        assert position_text(window) == user.header()["clock"]
    user.press(Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not driver.playing)
    assert position_text(window) == user.header()["clock"]
    driver.close()
    window.close()
    window.controller.close()


@JOURNEY_LOG
def test_the_replay_bar_says_its_clock_is_session_time(qtbot, tmp_path: Path) -> None:
    path = sparse_session(tmp_path / "heat.tbs", green_ms=600)  # the green 0.6 s in
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = build_replay_window(ReplaySource.open(path), 0, False, settings)
    user = User(qtbot, window)
    user.show()
    user.press(Qt.Key.Key_Right)  # the next passing: car 1 at 0:00:30.000
    qtbot.waitUntil(lambda: window.replay.driver.position_ms == 30_000)
    # a second apart, and each says what it counts from
    assert (window.header.clock_kind.text(), user.header()["clock"]) == ("since green", "0:00:29")
    assert window.replay.bar.time_label.text() == "session time 0:00:30 / 0:04:34"
    window.replay.driver.close()
    window.close()
    window.controller.close()


@JOURNEY_LOG
def test_a_step_key_that_goes_nowhere_says_why(qtbot, tmp_path: Path) -> None:
    """The second walk: Shift+→ with the leader in the pit for the rest of the session did
    nothing and said nothing."""
    path = sparse_session(tmp_path / "heat.tbs", green_ms=0)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = build_replay_window(ReplaySource.open(path), 274_321, False, settings)  # its end
    user = User(qtbot, window)
    user.show()
    qtbot.waitUntil(lambda: window.replay.driver.position_ms == 274_321)
    user.press(Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: user.status() == "The leader, car 1, completes no later lap.")
    assert window.replay.driver.position_ms == 274_321
    user.press(Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)  # the one before: it goes
    qtbot.waitUntil(lambda: window.replay.driver.position_ms == 270_000)
    window.replay.driver.close()
    window.close()
    window.controller.close()


def position_text(window) -> str:
    """The replay bar's clock, without what it counts ("0:12:04" of "0:12:04 / 2:01:09")."""
    return window.replay.bar.time_label.text().split(" / ")[0].split()[-1]


# --- 4. file dialogs open where the user works ----------------------------------------------------


@pytest.fixture
def fresh_machine(tmp_path: Path, monkeypatch) -> Path:
    """A HOME of its own and a temporary folder the test can see into."""
    home = tmp_path / "home"
    home.mkdir()
    (tmp_path / "tmp").mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    return home


def look_and_cancel(seen: list[Path]):
    def act(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        seen.append(Path(dialog.directory().absolutePath()))
        dialog.reject()

    return act


@JOURNEY_LOG
def test_file_dialogs_open_where_the_user_works_not_in_the_stopped_demos_folder(
    qtbot, tmp_path: Path, fresh_machine: Path, dialogs
) -> None:
    club, other = tmp_path / "club", tmp_path / "other"
    club.mkdir()
    other.mkdir()
    heat, practice = club / "heat.tbs", other / "practice.tbs"
    SessionRecorder.create(heat, QUARTER_MILE_RACE).close()
    SessionRecorder.create(practice, QUARTER_MILE_QUALIFYING).close()
    settings = settings_at(tmp_path / "settings.ini")
    RecentSessions(settings).remember(heat)  # the club's heat was the last session worked on
    scratch = ScratchFolder("timingboard-demo-")  # as run_demo makes it
    window, runner = build_demo_window(40, 31, False, scratch.path, settings)
    user = User(qtbot, window)
    user.show()
    qtbot.waitUntil(lambda: int(user.header()["passings"].split()[0]) > 0, timeout=10_000)
    runner.stop()  # the demo stopped: its heat, in its temporary folder, is still shown

    seen: list[Path] = []
    for item in (("File", "Open session"), ("File", "Export results"), ("File", "Replay")):
        dialogs.expect(QFileDialog, look_and_cancel(seen))
        user.choose(*item)
        qtbot.waitUntil(lambda: not dialogs.expected)
    dialogs.expect(QFileDialog, look_and_cancel(seen))
    window.entries.editor.import_action.trigger()  # Entries ▸ Import CSV…
    assert dialogs.unexpected == []
    assert seen == [club] * 4, f"not the demo's {scratch.path}"

    dialogs.expect(QFileDialog, file_dialog_answer(user, practice))
    user.choose("File", "Open session")  # from another folder: the one worked in now
    qtbot.waitUntil(lambda: "practice.tbs" in window.windowTitle())
    window.close()
    finish_demo(window, runner, scratch)

    again = User(qtbot, open_window(heat, tmp_path / "settings.ini"))  # another day
    again.show()
    seen.clear()
    dialogs.expect(QFileDialog, look_and_cancel(seen))
    again.choose("File", "Open session")
    qtbot.waitUntil(lambda: not dialogs.expected)
    assert seen == [other]  # the last folder a file was chosen in, remembered
    assert dialogs.unexpected == []
    again.window.close()


# --- 5. a race not over exported: the standing at a moment, no end time ---------------------------


@JOURNEY_LOG
def test_a_running_race_exported_says_it_is_the_standing_after_a_lap_and_has_no_end(
    qtbot, tmp_path: Path, dialogs
) -> None:
    import re
    import time

    from pypdf import PdfReader

    # 10 laps; the leader has done 8, timed as it happened: started five minutes ago (the sheet
    # never gives as the standing's moment a wall-clock time still to come)
    path = sparse_session(tmp_path / "heat.tbs", green_ms=0, origin=time.time() - 300)
    user = User(qtbot, open_window(path, tmp_path / "settings.ini"))
    user.show()
    assert user.header()["remaining"] == "2 laps to go"
    standing = re.compile(
        r"PROVISIONAL — standing after lap 8 of 10 at \d\d:\d\d:\d\d: the session is not over"
    )
    pdf, html = tmp_path / "heat.pdf", tmp_path / "heat.html"
    for file, kind in ((pdf, "PDF"), (html, "HTML")):
        dialogs.expect(QFileDialog, file_dialog_answer(user, file, kind))
        user.choose("File", "Export results")
        qtbot.waitUntil(lambda f=file: f.is_file() or bool(dialogs.unexpected))
    assert dialogs.unexpected == []
    text = " ".join(PdfReader(str(pdf)).pages[0].extract_text().split())
    assert standing.search(text), text[:300]
    assert "Start:" in text and "End:" not in text
    page = html.read_text(encoding="utf-8")
    assert standing.search(page)
    assert "<th>Start</th>" in page and "<th>End</th>" not in page
    user.window.close()


# --- 6. File ▸ Import CSV: the summary says what was left out -------------------------------------


@JOURNEY_LOG
def test_an_import_with_bad_rows_says_how_many_were_left_out(
    qtbot, tmp_path: Path, dialogs
) -> None:
    from PySide6.QtWidgets import QMessageBox

    rows = ["number,first name,last name,team,class,transponder"]
    for i in range(1, 31):
        number = {7: "", 13: "", 20: "5"}.get(i, str(i))  # two empty numbers, one taken twice
        rows.append(f"{number},Driver{i},Surname{i},Team {i} Motorsport,GT3,{100000 + i}")
    csv = tmp_path / "entries-of-the-club-race-in-december.csv"
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    path = sparse_session(tmp_path / "heat.tbs", green_ms=0)
    user = User(qtbot, open_window(path, tmp_path / "settings.ini"))
    user.window.resize(1280, 800)
    user.show()

    def take_the_good_rows(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        assert box.text() == f"{csv.name}: 3 rows cannot be imported."
        user.click(next(b for b in box.buttons() if b.text() == "Import the 27 good rows"))

    dialogs.expect(QFileDialog, file_dialog_answer(user, csv))
    dialogs.expect(QMessageBox, take_the_good_rows)
    user.choose("File", "Import CSV")
    message = user.window.entries.editor.message
    qtbot.waitUntil(lambda: message.text().startswith(csv.name))
    assert dialogs.unexpected == []
    assert message.text() == f"{csv.name}: 25 new, 2 changed, 0 as they were; 3 bad rows left out."
    qtbot.waitUntil(lambda: message.height() >= message.heightForWidth(message.width()))
    user.window.close()


# --- 7. the lap chart before any lap --------------------------------------------------------------


@JOURNEY_LOG
def test_the_lap_chart_shows_no_times_before_a_lap(qtbot, tmp_path: Path, monkeypatch) -> None:
    clock = FakeTime().install(monkeypatch)
    user = new_session_window(qtbot, tmp_path, QUARTER_MILE_QUALIFYING, "practice.tbs")
    times = user.window.chart.getPlotItem().getAxis("left")
    assert not times.style["showValues"]  # an empty chart: no 0.2 … 0.8 on its time axis
    user.enter("31")  # no entry list: a new car at once
    assert not times.style["showValues"]  # its first crossing starts a lap: none yet
    clock.advance(31.5)
    user.enter("31")  # ... its first lap
    qtbot.waitUntil(lambda: times.style["showValues"])
    low, high = times.range
    assert low < user.window.chart.curve_data("31")[1][0] < high
    user.window.close()


# --- 8. no scroll bar across the Passings dock; no cut cells after a seek ----------------------


@JOURNEY_LOG
def test_the_passings_dock_needs_no_scroll_bar_across_at_1280_by_800(qtbot, tmp_path: Path) -> None:
    path = sparse_session(tmp_path / "heat.tbs", green_ms=0)
    user = User(qtbot, open_window(path, tmp_path / "settings.ini"))
    user.show()
    user.window.resize(1280, 800)  # the window sized to the screen by its user
    log = user.window.passings_log
    qtbot.waitUntil(lambda: log.model().rowCount() == 18)
    qtbot.waitUntil(lambda: log.viewport().width() > 0)
    assert cut_cells(log) == []
    assert not log.horizontalScrollBar().isVisible()
    user.window.close()


@pytest.fixture
def heat_file(tmp_path: Path) -> Path:
    heat = heat_race([row[0] for row in FIELD[:9]])
    path = tmp_path / "heat-1.tbs"
    recorder = SessionRecorder.create(path, heat.settings)
    recorder.submit(list(heat.competitors))
    for _, event in heat.events:
        recorder.submit([event])
    recorder.close()
    return path


@JOURNEY_LOG
def test_after_a_replay_seek_no_board_cell_is_cut(qtbot, tmp_path: Path, heat_file: Path) -> None:
    from PySide6.QtCore import QPoint

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = build_replay_window(ReplaySource.open(heat_file), 0, False, settings)
    window.showNormal()  # shown maximized on the small test screen
    window.resize(1280, 800)
    user = User(qtbot, window)
    user.show()
    driver, timeline = window.replay.driver, window.replay.bar.timeline
    qtbot.waitUntil(lambda: timeline.width() > 100)
    # a click near the end of the timeline: gaps of seconds where there were none
    user.click(timeline, QPoint(int(timeline.width() * 0.8), timeline.height() // 2))
    qtbot.waitUntil(lambda: driver.position_ms > 0)
    window.board_model.flush()  # the frame that follows the seek
    assert cut_cells(window.board) == []  # at once, not at the next once-a-second fit
    driver.close()
    window.close()
    window.controller.close()
