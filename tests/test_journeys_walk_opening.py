"""A new-user walk through opening sessions (issue of the walk's faults 1-5): a long File ▸ Open
left the passings log and the charts on the session before, their corrections reaching the new
one; a replay kept a number typed while it opened; a flag key went into a finished session; a
second board on a finished session said LIVE.

The thresholds that make a session "long" are lowered where a test needs one, and its worker
waits at a gate the test opens: "while it is being opened" is a state the test holds.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest
from journey import (
    FakeTime,
    User,
    close_session_window,
    file_dialog_answer,
    new_session_window,
    open_window,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QTabBar
from race_scripts import QUARTER_MILE_RACE, field, laps_at, three_car_race

from timingboard.app import background_open, replay_actions, session_actions
from timingboard.app.read_only_notice import REPLAY_MESSAGE
from timingboard.engine.events import Flag, FlagChanged, Retire
from timingboard.qt import frame_throttle
from timingboard.qt.audit_model import AuditColumn
from timingboard.store import SessionRecorder, recorder
from timingboard.store.replay_source import ReplaySource
from timingboard.text.entry_text import EntryColumn

JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


def _finished_race(path: Path) -> None:
    """A two-lap race run to its end: both cars took the flag (FINISHED)."""
    made = SessionRecorder.create(path, replace(QUARTER_MILE_RACE, name="End test", race_laps=2))
    crossings = sorted(
        [*laps_at("1", 0, 20_000, 2), *laps_at("2", 500, 20_500, 2)], key=lambda p: p.time_ms
    )
    made.submit([*field(["1", "2"]), FlagChanged(time_ms=0, flag=Flag.GREEN), *crossings])
    made.close()


def _race(path: Path) -> None:
    made = SessionRecorder.create(path, QUARTER_MILE_RACE)
    made.submit(three_car_race())
    made.close()


@pytest.fixture
def long_sessions(monkeypatch):
    """Every session is long: opened in a worker, its log checked later, its panes filled
    after its board's paint."""
    monkeypatch.setattr(background_open, "IN_WORKER_FROM", 1)
    monkeypatch.setattr(recorder, "CHECK_LATER_FROM", 1)
    monkeypatch.setattr(frame_throttle, "DRAWN_LATER_FROM", 1)


def _gated(monkeypatch, before_read: bool) -> threading.Event:
    """The open's worker waits until the test opens the door: before it reads the file
    (``before_read``: the board still the session before's), or once its board was told."""
    opened = background_open._session
    door = threading.Event()

    def gated(path: str, on_board=None) -> SessionRecorder:
        if before_read:
            door.wait(30)
        session = opened(path, on_board)
        door.wait(30)
        return session

    monkeypatch.setattr(background_open, "_session", gated)
    return door


def _close(user: User) -> None:
    qtbot_wait = user.qtbot.waitUntil
    qtbot_wait(lambda: user.window.entry.opening is None, timeout=20_000)
    qtbot_wait(lambda: not user.window.controller.recorder.checking, timeout=10_000)
    close_session_window(user.window)


def _flags(path: Path) -> list[Flag]:
    session = SessionRecorder.open(path, read_only=True)
    try:
        return [flag for _s, _t, flag in session.engine.flag_changes()]
    finally:
        session.close()


def _mark(user: User) -> str:
    """What the title says of the session's state: between the file's name and the app's."""
    title = user.window.windowTitle()
    return title.rsplit(" · ", 1)[0].rsplit(" — ", 1)[-1]


@JOURNEY_LOG
def test_a_second_board_on_a_session_another_writes_says_its_state_as_the_writer_does(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    """The walk: the writer said FINISHED, the second board "End test — end-test.tbs — LIVE
    (read-only)"."""
    clock = FakeTime().install(monkeypatch)
    writer = new_session_window(qtbot, tmp_path, QUARTER_MILE_RACE, "end-test.tbs")
    writer.press(Qt.Key.Key_F5)  # green
    for car in ("1", "2"):
        clock.advance(0.5)
        writer.enter(car)
    reader = User(qtbot, open_window(tmp_path / "end-test.tbs", tmp_path / "reader.ini"))
    reader.show()
    try:
        assert _mark(reader) == "LIVE (read-only)"
        writer.activate()
        for car in ("1", "2"):  # lap 1 each
            clock.advance(10)
            writer.enter(car)
        writer.press(Qt.Key.Key_F9)  # checkered
        for car in ("1", "2"):  # each takes it
            clock.advance(10)
            writer.enter(car)
            shown = f"{_mark(writer)} (read-only)"  # CHECKERED, then FINISHED
            qtbot.waitUntil(lambda shown=shown: _mark(reader) == shown, timeout=3000)
        assert _mark(writer) == "FINISHED"
        assert "following the board writing it" in (reader.window.read_only_notice.shown or "")
        # and a board opening it once it is finished says so at once
        third = User(qtbot, open_window(tmp_path / "end-test.tbs", tmp_path / "third.ini"))
        third.show()
        try:
            assert third.window.windowTitle() == (
                "Heat 1 — end-test.tbs — FINISHED (read-only) · timingboard"
            )
        finally:
            close_session_window(third.window)
    finally:
        close_session_window(reader.window)
        close_session_window(writer.window)


@JOURNEY_LOG
def test_a_flag_thrown_in_a_finished_session_is_refused_and_said(qtbot, tmp_path: Path) -> None:
    """The walk: F6 just after opening a FINISHED session showed "YELLOW … Finished" in the
    header, was written into the file for good, and Ctrl+Z said "Nothing to undo"."""
    path = tmp_path / "end-test.tbs"
    _finished_race(path)
    user = User(qtbot, open_window(path, tmp_path / "settings.ini"))
    user.show()
    user.window.resize(1280, 800)
    qtbot.waitUntil(lambda: user.window.statusBar().width() == 1280)
    assert _mark(user) == "FINISHED"
    flag = user.header()["flag"]
    said = (
        "The yellow flag was not taken: the session is finished. "
        "Green (F5) reopens the race if it goes on."
    )
    user.press(Qt.Key.Key_F6)
    assert user.status() == said
    assert user.status_cut() == ""  # read whole at the window's width
    told = user.entry_message()[0]
    assert told.startswith("The yellow flag was not taken: the session is finished"), told
    user.window.statusBar().clearMessage()
    user.choose("Flag", "Red flag")  # the menu's way
    assert user.status().startswith("The red flag was not taken: the session is finished")
    assert user.header()["flag"] == flag  # not YELLOW, not RED
    assert _mark(user) == "FINISHED"
    close_session_window(user.window)
    assert _flags(path) == [Flag.GREEN]  # nothing written


@JOURNEY_LOG
def test_a_number_typed_while_a_replay_opens_is_let_go_and_said_once_it_is_shown(
    qtbot, tmp_path: Path, dialogs, monkeypatch
) -> None:
    """The walk: once the title said REPLAY (read-only), the Entry panel said "Car 9 was typed
    while it was opening and is not logged: press Enter to log it now"; Enter did nothing (a
    replay takes no number) and the words stayed."""
    heat, race = tmp_path / "heat-a.tbs", tmp_path / "day2.tbs"
    _finished_race(race)
    SessionRecorder.create(heat, QUARTER_MILE_RACE).close()
    monkeypatch.setattr(replay_actions, "opens_in_worker", lambda _p: True)
    monkeypatch.setattr(session_actions, "opens_in_worker", lambda _p: False)
    door = threading.Event()
    opened = ReplaySource.open

    def gated(path: str | Path) -> ReplaySource:
        source = opened(path)
        door.wait(30)
        return source

    monkeypatch.setattr(ReplaySource, "open", staticmethod(gated))
    user = User(qtbot, open_window(heat, tmp_path / "settings.ini"))
    user.show()
    field_ = user.window.entry_panel.car_field
    dialogs.expect(QFileDialog, file_dialog_answer(user, race))
    try:
        user.choose("File", "Replay a session or capture")
        assert user.entry_message()[0].startswith("Opening day2.tbs for replay…")
        user.activate()
        user.type("9")
        assert field_.text() == "9"
    finally:
        door.set()
    qtbot.waitUntil(lambda: "REPLAY (read-only)" in user.window.windowTitle(), timeout=20_000)
    assert field_.text() == ""  # let go, not kept for an Enter that does nothing
    said = user.entry_message()[0]
    assert said == f"{REPLAY_MESSAGE} Car 9, typed while it was opening, is not logged.", said
    qtbot.keyClick(QApplication.focusWidget() or user.window, Qt.Key.Key_Return)
    assert field_.text() == "" and user.entry_message()[0] == said
    # back to a live session (opened on the spot): the prompt, not the replay's words
    dialogs.expect(QFileDialog, file_dialog_answer(user, heat))
    user.choose("File", "Open session")
    qtbot.waitUntil(lambda: "heat-a.tbs — LIVE" in user.window.windowTitle(), timeout=20_000)
    shown = user.entry_message()[0]
    assert "Opening" not in shown and "not logged" not in shown and "Replay" not in shown, shown
    user.window.replay.driver.close()
    close_session_window(user.window)
    assert dialogs.unexpected == []


@JOURNEY_LOG
def test_the_passings_and_charts_of_the_session_before_go_while_a_long_one_opens(
    qtbot, tmp_path: Path, dialogs, monkeypatch, long_sessions
) -> None:
    """The walk: during File ▸ Open of a 24-hour session the board showed the new session
    while the passings log and the lap chart still showed the old one (and offered its
    corrections); the Positions chart was blank where "Loading laps…" was promised."""
    from test_journeys_corrections import right_click

    old, new = tmp_path / "end-test.tbs", tmp_path / "day.tbs"
    _race(old)
    _finished_race(new)
    door = _gated(monkeypatch, before_read=False)
    user = User(qtbot, open_window(old, tmp_path / "settings.ini"))
    user.show()
    log = user.window.passings_log
    qtbot.waitUntil(lambda: log.model().rowCount() == 15)  # the old race's passings
    charts = user.window.charts
    bar = charts.tabs.tabBar()
    user.click(bar, bar.tabRect(1).center())  # Positions
    assert charts.tabs.currentIndex() == 1
    positions = charts.positions
    qtbot.waitUntil(lambda: positions.charted != [])
    dialogs.expect(QFileDialog, file_dialog_answer(user, new))
    try:
        user.choose("File", "Open session")
        qtbot.waitUntil(lambda: user.window.header.session.text() == "Opening day.tbs…")
        assert user.window.board_model.ahead  # the board shows day.tbs's rows…
        assert log.model().rowCount() == 0  # …and the log none of end-test.tbs's
        assert log.loading_label.isVisible() and log.loading_label.text() == "Loading passings…"
        with pytest.raises(AssertionError, match="no menu"):
            right_click(log, 0)  # nothing of the session before to correct
        assert positions.charted == []
        assert positions.loading_label.isVisible()
        assert positions.loading_label.text() == "Loading laps…"
        user.click(bar, bar.tabRect(0).center())  # Lap times
        lap_chart = user.window.chart
        assert lap_chart.charted == [] and lap_chart.loading_label.isVisible()
        user.click(bar, bar.tabRect(1).center())
    finally:
        door.set()
    qtbot.waitUntil(lambda: user.window.entry.opening is None, timeout=20_000)
    qtbot.waitUntil(lambda: log.model().rowCount() == 6, timeout=5000)  # day.tbs's
    qtbot.waitUntil(lambda: not positions.loading_label.isVisible(), timeout=5000)
    assert positions.charted == ["1"]  # day.tbs's leader, its best lap too
    _close(user)
    assert dialogs.unexpected == []


@JOURNEY_LOG
def test_a_long_open_that_fails_gives_the_panes_back_to_the_session_shown(
    qtbot, tmp_path: Path, dialogs, monkeypatch, long_sessions
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from timingboard.store.session_file import SessionFileError

    old, new = tmp_path / "end-test.tbs", tmp_path / "day.tbs"
    _race(old)
    _finished_race(new)
    door = threading.Event()
    opened = background_open._session

    def failing(path: str, on_board=None) -> SessionRecorder:
        session = opened(path, on_board)  # its board told
        door.wait(30)
        session.close()
        raise SessionFileError(f"{path} could not be read")

    monkeypatch.setattr(background_open, "_session", failing)
    user = User(qtbot, open_window(old, tmp_path / "settings.ini"))
    user.show()
    log = user.window.passings_log
    qtbot.waitUntil(lambda: log.model().rowCount() == 15)
    dialogs.expect(QFileDialog, file_dialog_answer(user, new))
    dialogs.expect(QMessageBox, lambda box: box.accept())
    try:
        user.choose("File", "Open session")
        qtbot.waitUntil(lambda: user.window.header.session.text() == "Opening day.tbs…")
        assert log.model().rowCount() == 0
    finally:
        door.set()
    qtbot.waitUntil(lambda: not user.window.session_actions.opening, timeout=20_000)
    qtbot.waitUntil(lambda: log.model().rowCount() == 15, timeout=5000)  # end-test.tbs's again
    assert not log.loading_label.isVisible()
    qtbot.waitUntil(lambda: user.window.chart.charted != [], timeout=5000)
    qtbot.waitUntil(lambda: not user.window.chart.loading_label.isVisible(), timeout=5000)
    assert "end-test.tbs" in user.window.windowTitle()
    _close(user)
    assert dialogs.unexpected == []


@JOURNEY_LOG
@pytest.mark.parametrize("pane", ["passings", "board"])
def test_a_correction_menu_left_open_over_an_open_corrects_nothing_in_the_new_session(
    qtbot, tmp_path: Path, dialogs, monkeypatch, long_sessions, pane: str
) -> None:
    """The walk: "Invalidate lap 2 (1.990)", right-clicked on the old session's passings log
    during the open and clicked once the new one was shown, opened a dialog checked against
    the new session ("⚠ there is no passing #8"); where the number exists there, it corrects
    another car. A correction is tied to the session its menu was offered on."""
    from test_journeys_corrections import click_item, right_click

    old, new = tmp_path / "end-test.tbs", tmp_path / "day.tbs"
    _race(old)
    _finished_race(new)
    door = _gated(monkeypatch, before_read=True)
    user = User(qtbot, open_window(old, tmp_path / "settings.ini"))
    user.show()
    user.window.resize(1280, 800)
    qtbot.waitUntil(lambda: user.window.statusBar().width() == 1280)
    log = user.window.passings_log
    qtbot.waitUntil(lambda: log.model().rowCount() == 15)
    dialogs.expect(QFileDialog, file_dialog_answer(user, new))
    try:
        user.choose("File", "Open session")
        assert user.window.windowTitle() == "Opening day.tbs… · timingboard"
        user.activate()
        view = log if pane == "passings" else user.window.board
        menu = right_click(view, 0)  # the old session's row: its board still shown
    finally:
        door.set()
    qtbot.waitUntil(lambda: user.window.entry.opening is None, timeout=20_000)
    assert "day.tbs" in user.window.windowTitle()
    assert menu.isVisible()  # left open meanwhile
    click_item(menu, "invalidate" if pane == "passings" else "time_penalty")
    assert user.window.flow.dialog is None
    assert QApplication.activeModalWidget() is None
    what = "Invalidate this lap" if pane == "passings" else "Time penalty"
    assert user.status() == (
        f"{what}: not opened, as that menu was for end-test.tbs and day.tbs is now shown."
        " Right-click it again on this one."
    )
    assert user.status_cut() == ""
    _close(user)
    assert dialogs.unexpected == []


@JOURNEY_LOG
def test_a_car_added_in_the_entries_while_a_long_one_opens_goes_into_neither_session(
    qtbot, tmp_path: Path, dialogs, monkeypatch, long_sessions
) -> None:
    """The second walk: during File ▸ Open of a 24-hour session, 77 typed into the Entries'
    "Add car #" said "Car 77 added" and went into the session leaving, unseen."""
    from test_journeys_walk_ui import show_entries

    from timingboard.text.opening_text import ENTRY_OPENING_STATUS

    old, new = tmp_path / "bh3.tbs", tmp_path / "day.tbs"
    _race(old)
    _finished_race(new)
    door = _gated(monkeypatch, before_read=False)
    user = User(qtbot, open_window(old, tmp_path / "settings.ini"))
    user.show()
    show_entries(qtbot, user.window)
    editor = user.window.docks["entries"].widget()
    dialogs.expect(QFileDialog, file_dialog_answer(user, new))
    try:
        user.choose("File", "Open session")
        qtbot.waitUntil(lambda: user.window.header.session.text() == "Opening day.tbs…")
        assert editor.add_field.isEnabled() and editor.add_field.isVisible()
        qtbot.keyClicks(editor.add_field, "77")  # the operator clicks into "Add car #", types
        qtbot.keyClick(editor.add_field, Qt.Key.Key_Return)
        assert editor.message.text() == ENTRY_OPENING_STATUS
        assert editor.add_field.text() == "77"  # kept, to be added once it is open
    finally:
        door.set()
    _close(user)
    for path in (old, new):
        session = SessionRecorder.open(path, read_only=True)
        try:
            assert "77" not in session.engine.entry_list()
        finally:
            session.close()
    assert dialogs.unexpected == []


def _retired_race(path: Path, cars: list[str], retired: str, why: str) -> None:
    """A race of ``cars`` run to its end, ``retired`` retired by the operator (a correction)."""
    made = SessionRecorder.create(path, replace(QUARTER_MILE_RACE, name="Day", race_laps=2))
    crossings = sorted(
        (p for at, car in enumerate(cars) for p in laps_at(car, 500 * at, 20_000 + 500 * at, 2)),
        key=lambda p: p.time_ms,
    )
    made.submit([*field(cars), FlagChanged(time_ms=0, flag=Flag.GREEN), *crossings])
    made.submit([Retire(key=retired, operator="Lee", reason=why)])
    made.close()


def _dock_tab(user: User, title: str) -> None:
    """The bottom docks' tab ``title`` clicked, as the operator picks it."""
    for bar in user.window.findChildren(QTabBar):
        for at in range(bar.count()):
            if bar.tabText(at) == title:
                user.click(bar, bar.tabRect(at).center())
                user.qtbot.waitUntil(lambda bar=bar, at=at: bar.currentIndex() == at)
                return
    raise AssertionError(f"no {title} tab")


def _entries_cars(user: User) -> list[str]:
    editor = user.window.docks["entries"].widget()
    return [row[EntryColumn.NUMBER] for row in editor.rows_shown()]


def _corrections(user: User) -> list[str]:
    """The Corrections tab's Correction and Reason columns, row by row."""
    model = user.window.audit.model()
    return [
        f"{model.index(r, AuditColumn.ACTION).data()} ({model.index(r, AuditColumn.REASON).data()})"
        for r in range(model.rowCount())
    ]


def _two_sessions(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "bh3.tbs", tmp_path / "day.tbs"
    _retired_race(old, ["1", "2", "3"], "3", "engine")
    _retired_race(new, ["41", "42"], "42", "gearbox")
    return old, new


def _shown_old(qtbot, user: User) -> None:
    """The old session's cars in the Entries tab, its correction in the Corrections tab."""
    from test_journeys_walk_ui import show_entries

    user.show()
    show_entries(qtbot, user.window)
    assert _entries_cars(user) == ["1", "2", "3"]
    _dock_tab(user, "Corrections")
    assert _corrections(user) == ["Retire car 3 (DNF) (engine)"]


def _shown_opening(user: User) -> None:
    """Neither tab lists the session leaving's rows; each says the new one's are coming."""
    window = user.window
    editor = window.docks["entries"].widget()
    assert window.board_model.ahead  # the board shows day.tbs's rows…
    assert _corrections(user) == []  # …and the Corrections none of bh3.tbs's
    assert window.audit.loading_label.isVisible()
    assert window.audit.loading_label.text() == "Loading corrections…"
    _dock_tab(user, "Entries")
    assert _entries_cars(user) == []  # nor the Entries its cars
    assert editor.loading_label.isVisible()
    assert editor.loading_label.text() == "Loading entries…"


@JOURNEY_LOG
def test_the_entries_and_corrections_of_the_session_before_go_while_a_long_one_opens(
    qtbot, tmp_path: Path, dialogs, monkeypatch, long_sessions
) -> None:
    """The third walk: during File ▸ Open of a 24-hour session the board and the passings
    said "Opening…" while the Entries and Corrections tabs still listed the session leaving's
    cars and corrections (their edits refused): they go too, and the new one's come with it."""
    old, new = _two_sessions(tmp_path)
    door = _gated(monkeypatch, before_read=False)
    user = User(qtbot, open_window(old, tmp_path / "settings.ini"))
    _shown_old(qtbot, user)
    editor = user.window.docks["entries"].widget()
    dialogs.expect(QFileDialog, file_dialog_answer(user, new))
    try:
        user.choose("File", "Open session")
        qtbot.waitUntil(lambda: user.window.header.session.text() == "Opening day.tbs…")
        _shown_opening(user)
    finally:
        door.set()
    qtbot.waitUntil(lambda: user.window.entry.opening is None, timeout=20_000)
    qtbot.waitUntil(lambda: _entries_cars(user) == ["41", "42"], timeout=5000)  # day.tbs's
    assert not editor.loading_label.isVisible()
    _dock_tab(user, "Corrections")
    assert _corrections(user) == ["Retire car 42 (DNF) (gearbox)"]
    assert not user.window.audit.loading_label.isVisible()
    _close(user)
    assert dialogs.unexpected == []


@JOURNEY_LOG
def test_a_long_open_that_fails_gives_the_entries_and_corrections_back(
    qtbot, tmp_path: Path, dialogs, monkeypatch, long_sessions
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from timingboard.store.session_file import SessionFileError

    old, new = _two_sessions(tmp_path)
    door = threading.Event()
    opened = background_open._session

    def failing(path: str, on_board=None) -> SessionRecorder:
        session = opened(path, on_board)  # its board told
        door.wait(30)
        session.close()
        raise SessionFileError(f"{path} could not be read")

    monkeypatch.setattr(background_open, "_session", failing)
    user = User(qtbot, open_window(old, tmp_path / "settings.ini"))
    _shown_old(qtbot, user)
    told: list[str] = []
    dialogs.expect(QFileDialog, file_dialog_answer(user, new))
    dialogs.expect(QMessageBox, lambda box: (told.append(box.text()), box.accept()))
    try:
        user.choose("File", "Open session")
        qtbot.waitUntil(lambda: user.window.header.session.text() == "Opening day.tbs…")
        _shown_opening(user)
    finally:
        door.set()
    qtbot.waitUntil(lambda: not user.window.session_actions.opening, timeout=20_000)
    assert any("could not be read" in text for text in told), told  # the error said
    qtbot.waitUntil(lambda: _entries_cars(user) == ["1", "2", "3"], timeout=5000)  # bh3.tbs's
    assert not user.window.docks["entries"].widget().loading_label.isVisible()
    _dock_tab(user, "Corrections")
    assert _corrections(user) == ["Retire car 3 (DNF) (engine)"]
    assert not user.window.audit.loading_label.isVisible()
    assert "bh3.tbs" in user.window.windowTitle()
    _close(user)
    assert dialogs.unexpected == []


def _recent(user: User) -> list[str]:
    """The Entry panel's list of the crossings typed, as the operator reads it."""
    recent = user.window.entry_panel.recent
    return [recent.item(row).text() for row in range(recent.count())]


def _typed_heat(qtbot, tmp_path: Path, monkeypatch) -> User:
    """A hand-timed race under way: green, then car 1 and car 2 typed."""
    clock = FakeTime().install(monkeypatch)
    user = new_session_window(qtbot, tmp_path, QUARTER_MILE_RACE, "heat.tbs")
    clock.advance(2)
    user.press(Qt.Key.Key_F5)  # green
    for car in ("1", "2"):
        clock.advance(1)
        user.enter(car)
    qtbot.waitUntil(lambda: len(_recent(user)) == 2)
    return user


@JOURNEY_LOG
def test_the_crossings_typed_in_the_session_before_go_while_a_long_one_opens(
    qtbot, tmp_path: Path, dialogs, monkeypatch, long_sessions
) -> None:
    """The fourth walk: under "Opening 24h.tbs…" the Entry panel still listed the crossings
    typed in the session leaving ("0:00:42.372 since green Car 27…") while the Entries and
    Corrections tabs said theirs were loading: they go at the same moment."""
    new = tmp_path / "day.tbs"
    _race(new)
    user = _typed_heat(qtbot, tmp_path, monkeypatch)
    door = _gated(monkeypatch, before_read=False)
    dialogs.expect(QFileDialog, file_dialog_answer(user, new))
    try:
        user.choose("File", "Open session")
        qtbot.waitUntil(lambda: user.window.header.session.text() == "Opening day.tbs…")
        assert _corrections(user) == []  # the Corrections gone…
        assert _recent(user) == []  # …and the crossings typed in heat.tbs with them
    finally:
        door.set()
    qtbot.waitUntil(lambda: user.window.entry.opening is None, timeout=20_000)
    qtbot.waitUntil(lambda: "day.tbs" in user.window.windowTitle(), timeout=5000)
    assert _recent(user) == []  # day.tbs's own: none typed yet
    _close(user)
    assert dialogs.unexpected == []


@JOURNEY_LOG
def test_a_long_open_that_fails_gives_the_crossings_typed_back(
    qtbot, tmp_path: Path, dialogs, monkeypatch, long_sessions
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from timingboard.store.session_file import SessionFileError

    new = tmp_path / "day.tbs"
    _race(new)
    user = _typed_heat(qtbot, tmp_path, monkeypatch)
    typed = _recent(user)
    assert "Car 2" in typed[0] and "Car 1" in typed[1], typed
    door = threading.Event()
    opened = background_open._session

    def failing(path: str, on_board=None) -> SessionRecorder:
        session = opened(path, on_board)  # its board told
        door.wait(30)
        session.close()
        raise SessionFileError(f"{path} could not be read")

    monkeypatch.setattr(background_open, "_session", failing)
    told: list[str] = []
    dialogs.expect(QFileDialog, file_dialog_answer(user, new))
    dialogs.expect(QMessageBox, lambda box: (told.append(box.text()), box.accept()))
    try:
        user.choose("File", "Open session")
        qtbot.waitUntil(lambda: user.window.header.session.text() == "Opening day.tbs…")
        assert _recent(user) == []
    finally:
        door.set()
    qtbot.waitUntil(lambda: not user.window.session_actions.opening, timeout=20_000)
    assert any("could not be read" in text for text in told), told
    qtbot.waitUntil(lambda: _recent(user) == typed, timeout=5000)  # heat.tbs's, in order
    assert "heat.tbs" in user.window.windowTitle()
    _close(user)
    assert dialogs.unexpected == []
