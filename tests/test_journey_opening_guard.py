"""Typing while a long session is being opened: the board may show the new session's rows, but
the session before is still the controller's. A number typed, a flag key or an undo then was
logged into the session leaving, unsaid (a hand-timed heat got a lap of the car typed during
Ctrl+O of a 24-hour file). Now each is refused with why, the number kept in the field; the
title and the Entry panel say what is being opened.

The thresholds that make a session "long" are lowered, and the worker waits at a gate the test
opens: "while it is being opened" is a state the test holds, not a race against the clock.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from journey import User, activate, file_dialog_answer, open_window, settings_at
from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QFileDialog
from race_scripts import QUARTER_MILE_RACE, field, laps_at, three_car_race

from timingboard.app import background_open
from timingboard.app.main_window import MainWindow
from timingboard.app.run import build_opening_window
from timingboard.engine.events import Flag, FlagChanged, TimePenalty
from timingboard.engine.settings import SessionKind, SessionSettings
from timingboard.qt import frame_throttle
from timingboard.store import SessionRecorder, recorder
from timingboard.store.replay_source import ReplaySource

JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")
HEAT = SessionSettings(name="Heat A", kind=SessionKind.RACE, track_name="Coliseum")


@pytest.fixture(autouse=True)
def _every_session_is_long(monkeypatch):
    monkeypatch.setattr(background_open, "IN_WORKER_FROM", 1)
    monkeypatch.setattr(recorder, "CHECK_LATER_FROM", 1)
    monkeypatch.setattr(frame_throttle, "DRAWN_LATER_FROM", 1)


@pytest.fixture
def gate(monkeypatch):
    """The worker reads the file (its board's rows told), then waits until the test opens it."""
    opened = background_open._session
    door = threading.Event()

    def gated(path: str, on_board=None) -> SessionRecorder:
        session = opened(path, on_board)
        door.wait(30)
        return session

    monkeypatch.setattr(background_open, "_session", gated)
    yield door
    door.set()


def _heat(path: Path) -> None:
    """A hand-timed heat: car 1 on its first lap, a penalty given (undoable)."""
    made = SessionRecorder.create(path, HEAT)
    made.submit(
        [*field(["1"]), FlagChanged(time_ms=0, flag=Flag.GREEN), *laps_at("1", 0, 60_000, 1)]
    )
    made.close()


def _race(path: Path) -> None:
    made = SessionRecorder.create(path, QUARTER_MILE_RACE)
    made.submit(three_car_race())
    made.close()


def _passings(path: Path, car: str) -> int:
    session = SessionRecorder.open(path, read_only=True)
    try:
        return len(session.engine.crossings(car)) if session.engine.has_car(car) else 0
    finally:
        session.close()


@JOURNEY_LOG
def test_what_is_refused_while_a_long_named_session_opens_reads_whole_in_the_status_bar(
    qtbot, tmp_path: Path, dialogs, gate
) -> None:
    """At 1280 px the status bar cut the refusal, which began with "Opening NAME…": with an
    imported file's name it read "Opening redmist_roadamerica_…: press Enter again once it"
    (the Entry panel says it whole; the bar says it short, the title names the file)."""
    heat = tmp_path / "heat-a.tbs"
    race = tmp_path / "redmist_roadamerica_2025-04-25_fullday-11-race.tbs"
    _heat(heat)
    _race(race)
    user = User(qtbot, open_window(heat, tmp_path / "settings.ini"))
    user.show()
    user.window.resize(1280, 800)
    qtbot.waitUntil(lambda: user.window.statusBar().width() == 1280)
    user.window.desk.correct(TimePenalty(key="1", ms=5000), "jump start")  # undoable
    dialogs.expect(QFileDialog, file_dialog_answer(user, race))
    user.choose("File", "Open session")
    qtbot.waitUntil(lambda: user.window.entry.opening is not None, timeout=20_000)
    user.activate()
    said: list[str] = []
    for act, words in (
        (lambda: user.enter("1"), "Not logged"),
        (lambda: user.press(Qt.Key.Key_F6), "Yellow not shown"),
        (lambda: user.press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier), "Undo waits"),
        (
            lambda: user.window.desk.correct(TimePenalty(key="1", ms=10_000), "a correction"),
            "Correction not logged",
        ),
    ):
        act()
        said.append(user.status())
        assert words in said[-1] and user.status_cut() == "", said
    assert race.name in user.entry_message()[0]  # the panel names the file, whole
    gate.set()
    qtbot.waitUntil(lambda: user.window.entry.opening is None, timeout=20_000)
    qtbot.waitUntil(lambda: not user.window.controller.recorder.checking, timeout=10_000)
    user.window.close()
    user.window.controller.close()
    assert dialogs.unexpected == []


@JOURNEY_LOG
def test_a_number_typed_while_a_session_opens_is_refused_kept_then_logged_into_it(
    qtbot, tmp_path: Path, dialogs, gate
) -> None:
    heat, race = tmp_path / "heat-a.tbs", tmp_path / "24h.tbs"
    _heat(heat)
    _race(race)
    heat_passings, race_passings = _passings(heat, "1"), _passings(race, "1")
    user = User(qtbot, open_window(heat, tmp_path / "settings.ini"))
    user.show()
    user.window.desk.correct(TimePenalty(key="1", ms=5000), "jump start")  # undoable
    corrections = len(user.window.controller.engine.logged_corrections())
    field_ = user.window.entry_panel.car_field
    dialogs.expect(QFileDialog, file_dialog_answer(user, race))
    user.choose("File", "Open session")
    qtbot.waitUntil(lambda: user.window.header.session.text() == "Opening 24h.tbs…", timeout=20_000)
    # what is shown says the session being opened, not the heat's name, file and LIVE
    assert user.window.windowTitle() == "Opening 24h.tbs… · timingboard"
    assert user.entry_message()[0].startswith("Opening 24h.tbs…")
    user.activate()
    assert user.focused() is field_
    user.enter("1")
    said = user.entry_message()[0]
    assert "Not logged" in said and "Opening 24h.tbs…" in said, said
    assert field_.text() == "1"  # kept, not dropped
    user.press(Qt.Key.Key_F6)  # a flag key
    assert "Yellow not shown" in user.entry_message()[0]
    user.press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the heat's penalty
    assert "Undo waits until 24h.tbs is open" in user.status(), user.status()
    user.window.desk.correct(TimePenalty(key="1", ms=10_000), "a correction")  # right-click's way
    assert "Correction not logged" in user.status(), user.status()
    gate.set()
    qtbot.waitUntil(lambda: user.window.entry.opening is None, timeout=20_000)
    assert "24h.tbs" in user.window.windowTitle()
    assert field_.text() == "1"  # still there once the race is open: said, not logged yet
    assert "not logged" in user.entry_message()[0]
    assert _passings(heat, "1") == heat_passings  # nothing went into the heat
    heat_now = SessionRecorder.open(heat, read_only=True)
    try:
        assert len(heat_now.engine.logged_corrections()) == corrections
        assert [f for _s, _t, f in heat_now.engine.flag_changes()] == [Flag.GREEN]
    finally:
        heat_now.close()
    user.press(Qt.Key.Key_Return)  # now it goes to the race shown
    assert field_.text() == ""
    qtbot.waitUntil(lambda: not user.window.controller.recorder.checking, timeout=10_000)
    user.window.close()
    user.window.controller.close()
    assert _passings(race, "1") == race_passings + 1
    assert dialogs.unexpected == []


@JOURNEY_LOG
def test_a_flag_key_or_undo_while_a_session_opens_says_what_was_refused(
    qtbot, tmp_path: Path, dialogs, gate
) -> None:
    """F6 with the Car # field empty, and Ctrl+Z, said the typed number's words ("What you
    typed stays in the field: press Enter again"): nothing was typed, and Enter does neither."""
    heat, race = tmp_path / "heat-a.tbs", tmp_path / "24h.tbs"
    _heat(heat)
    _race(race)
    user = User(qtbot, open_window(heat, tmp_path / "settings.ini"))
    user.show()
    user.window.desk.correct(TimePenalty(key="1", ms=5000), "jump start")  # undoable
    dialogs.expect(QFileDialog, file_dialog_answer(user, race))
    user.choose("File", "Open session")
    qtbot.waitUntil(lambda: user.window.header.session.text() == "Opening 24h.tbs…", timeout=20_000)
    user.activate()
    assert user.focused() is user.window.entry_panel.car_field
    assert user.focused().text() == ""
    user.press(Qt.Key.Key_F6)  # yellow
    said = user.entry_message()[0]
    assert said.startswith("Opening 24h.tbs… Yellow not shown: "), said
    assert said.endswith("Press F6 again once it is open."), said
    assert "Enter" not in said and "typed" not in said, said
    user.press(Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)  # full-course yellow
    assert "Full-course yellow not shown" in user.entry_message()[0]
    assert "Press Shift+F6 again" in user.entry_message()[0]
    user.press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    status = user.status()
    assert status.startswith("Undo waits until 24h.tbs is open"), status
    assert "Enter" not in status and "typed" not in status, status
    gate.set()
    qtbot.waitUntil(lambda: user.window.entry.opening is None, timeout=20_000)
    qtbot.waitUntil(lambda: not user.window.controller.recorder.checking, timeout=10_000)
    user.window.close()
    user.window.controller.close()
    assert dialogs.unexpected == []


@JOURNEY_LOG
def test_redo_while_a_session_opens_says_what_was_refused_as_undo_does(
    qtbot, tmp_path: Path, dialogs, gate
) -> None:
    """Ctrl+Shift+Z (and Ctrl+Y) while a session is opened did nothing and said nothing, where
    Ctrl+Z said why; the heat's undone penalty is not redone into it meanwhile either."""
    heat, race = tmp_path / "heat-a.tbs", tmp_path / "24h.tbs"
    _heat(heat)
    _race(race)
    user = User(qtbot, open_window(heat, tmp_path / "settings.ini"))
    user.show()
    user.window.desk.correct(TimePenalty(key="1", ms=5000), "jump start")
    user.press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undone: redo is there
    assert user.status().startswith("Undone: "), user.status()
    dialogs.expect(QFileDialog, file_dialog_answer(user, race))
    user.choose("File", "Open session")
    qtbot.waitUntil(lambda: user.window.header.session.text() == "Opening 24h.tbs…", timeout=20_000)
    user.activate()
    shift_ctrl = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    user.press(Qt.Key.Key_Z, shift_ctrl)
    status = user.status()
    assert status == (
        "Redo waits until 24h.tbs is open: what it would redo is the session before's."
    ), status
    user.window.statusBar().clearMessage()
    user.press(Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert user.status().startswith("Redo waits until 24h.tbs is open"), user.status()
    user.press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # its twin, the same words
    assert user.status().startswith("Undo waits until 24h.tbs is open"), user.status()
    gate.set()
    qtbot.waitUntil(lambda: user.window.entry.opening is None, timeout=20_000)
    qtbot.waitUntil(lambda: not user.window.controller.recorder.checking, timeout=10_000)
    user.window.close()
    user.window.controller.close()
    heat_now = SessionRecorder.open(heat, read_only=True)
    try:  # the penalty given, then its undo logged: nothing redone into the heat
        penalties = list(heat_now.engine.logged_corrections())
        assert len(penalties) == 2, penalties
    finally:
        heat_now.close()
    assert dialogs.unexpected == []


@JOURNEY_LOG
def test_a_number_typed_while_a_replay_opens_is_not_logged_into_the_live_session(
    qtbot, tmp_path: Path, dialogs, monkeypatch
) -> None:
    heat, race = tmp_path / "heat-a.tbs", tmp_path / "24h.tbs"
    _heat(heat)
    _race(race)
    heat_passings = _passings(heat, "1")
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
        assert user.window.windowTitle() == "Opening 24h.tbs for replay… · timingboard"
        assert user.entry_message()[0].startswith("Opening 24h.tbs for replay…")
        user.activate()
        user.enter("1")
        assert "Not logged" in user.entry_message()[0]
        assert field_.text() == "1"
    finally:
        door.set()
    qtbot.waitUntil(lambda: user.window.entry.opening is None, timeout=20_000)
    assert "REPLAY" in user.window.windowTitle()
    assert field_.text() == ""  # let go: a replay takes no number, and the panel says so
    assert "Car 1, typed while it was opening, is not logged." in user.entry_message()[0]
    user.window.close()
    user.window.controller.close()
    assert _passings(heat, "1") == heat_passings
    assert dialogs.unexpected == []


@JOURNEY_LOG
def test_timingboard_open_of_a_long_file_says_it_is_opening_and_keeps_a_number_typed(
    qtbot, tmp_path: Path, gate
) -> None:
    race = tmp_path / "24h.tbs"
    _race(race)
    folder = tmp_path / "scratch"
    folder.mkdir()
    seen: dict[str, object] = {}
    windows: list[MainWindow] = []

    def on_started(_path: str) -> None:  # the worker waits at the gate: type meanwhile
        window = windows[0]
        qtbot.waitUntil(window.isVisible, timeout=10_000)
        activate(window)
        seen["title"] = window.windowTitle()
        seen["entry"] = window.entry_panel.message.text()
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClicks(focused, "77")
        qtbot.keyClick(focused, Qt.Key.Key_Return)
        seen["told"] = window.entry_panel.message.text()
        seen["field"] = window.entry_panel.car_field.text()
        gate.set()

    built = MainWindow.__init__

    def watched(self: MainWindow, *args: object) -> None:
        built(self, *args)
        windows.append(self)
        self.session_actions.background.board_read.connect(on_started)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(MainWindow, "__init__", watched)
        window = build_opening_window(str(race), settings_at(tmp_path / "settings.ini"), folder)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    assert seen["title"] == "Opening 24h.tbs… · timingboard"  # no opening.tbs, no LIVE
    assert str(seen["entry"]).startswith("Opening 24h.tbs…")
    assert "Not logged" in str(seen["told"])
    assert seen["field"] == "77"
    qtbot.waitUntil(lambda: window.entry.opening is None, timeout=20_000)
    assert window.entry_panel.car_field.text() == "77"
    assert "not logged" in window.entry_panel.message.text()
    qtbot.waitUntil(lambda: not window.controller.recorder.checking, timeout=10_000)
    window.close()
    window.controller.close()
    assert _passings(race, "77") == 0


@JOURNEY_LOG
def test_a_session_opened_while_a_long_one_is_read_stays_shown(
    qtbot, tmp_path: Path, dialogs, gate, monkeypatch
) -> None:
    """File ▸ Open of a 24-hour file, then (the wrong file: it takes seconds) File ▸ Open of
    a small heat, opened at once: the heat was shown, typing still refused as "Opening
    24h.tbs…", and once the long file was read it replaced the heat the operator chose last
    (a number typed then went into the 24-hour session)."""
    from timingboard.app import session_actions
    from timingboard.store.session_lock import lock_path

    heat, race, other = tmp_path / "heat-a.tbs", tmp_path / "24h.tbs", tmp_path / "heat-b.tbs"
    _heat(heat)
    _race(race)
    _heat(other)
    race_passings = _passings(race, "1")
    # only the 24-hour file is long: the heats open on the spot
    monkeypatch.setattr(session_actions, "opens_in_worker", lambda p: Path(p).name == "24h.tbs")
    user = User(qtbot, open_window(heat, tmp_path / "settings.ini"))
    user.show()
    dialogs.expect(QFileDialog, file_dialog_answer(user, race))
    user.choose("File", "Open session")
    qtbot.waitUntil(lambda: user.window.header.session.text() == "Opening 24h.tbs…", timeout=20_000)
    dialogs.expect(QFileDialog, file_dialog_answer(user, other))
    user.choose("File", "Open session")
    assert "heat-b.tbs" in user.window.windowTitle()
    assert "Opening" not in user.window.windowTitle()
    assert "Opening" not in user.status() and "Opening" not in user.entry_message()[0]
    assert "Opening" not in user.window.header.session.text()
    user.activate()
    user.enter("1")  # into the heat shown
    assert "Not logged" not in user.entry_message()[0], user.entry_message()
    gate.set()  # the long file read: it is closed, not shown
    qtbot.waitUntil(
        lambda: "24h.tbs" in user.window.windowTitle() or not lock_path(race).exists(),
        timeout=20_000,
    )
    assert "heat-b.tbs" in user.window.windowTitle(), user.window.windowTitle()
    user.enter("1")
    assert "Not logged" not in user.entry_message()[0], user.entry_message()
    user.window.close()
    user.window.controller.close()
    assert _passings(race, "1") == race_passings
    assert _passings(other, "1") == _passings(heat, "1") + 2
    assert dialogs.unexpected == []


@JOURNEY_LOG
@pytest.mark.parametrize("replay_in_worker", [False, True])
def test_a_replay_shown_while_a_long_session_is_read_stays_shown(
    qtbot, tmp_path: Path, dialogs, gate, monkeypatch, replay_in_worker: bool
) -> None:
    """The same with File ▸ Replay, of a small file (opened on the spot) or of one read in a
    worker of its own: the 24-hour session, once read, replaced the replay asked for after it."""
    from timingboard.app import replay_actions, session_actions
    from timingboard.store.session_lock import lock_path

    heat, race, other = tmp_path / "heat-a.tbs", tmp_path / "24h.tbs", tmp_path / "heat-b.tbs"
    _heat(heat)
    _race(race)
    _heat(other)
    monkeypatch.setattr(session_actions, "opens_in_worker", lambda p: Path(p).name == "24h.tbs")
    monkeypatch.setattr(replay_actions, "opens_in_worker", lambda p: replay_in_worker)
    user = User(qtbot, open_window(heat, tmp_path / "settings.ini"))
    user.show()
    dialogs.expect(QFileDialog, file_dialog_answer(user, race))
    user.choose("File", "Open session")
    qtbot.waitUntil(lambda: user.window.header.session.text() == "Opening 24h.tbs…", timeout=20_000)
    dialogs.expect(QFileDialog, file_dialog_answer(user, other))
    user.choose("File", "Replay a session or capture")
    qtbot.waitUntil(lambda: "REPLAY" in user.window.windowTitle(), timeout=20_000)
    gate.set()
    qtbot.waitUntil(
        lambda: "24h.tbs" in user.window.windowTitle() or not lock_path(race).exists(),
        timeout=20_000,
    )
    assert "REPLAY" in user.window.windowTitle(), user.window.windowTitle()
    assert "24h.tbs" not in user.window.windowTitle()
    user.window.close()
    user.window.replay.driver.close()
    user.window.controller.close()
    assert dialogs.unexpected == []


@JOURNEY_LOG
def test_the_long_file_asked_for_again_while_still_read_is_shown_writable(
    qtbot, tmp_path: Path, dialogs, gate, monkeypatch
) -> None:
    """Its open dropped for a heat, then asked for again while its worker still reads it: that
    worker's session is the one shown (a second reader found the file held by the first and
    opened it read-only)."""
    from timingboard.app import session_actions

    heat, race, other = tmp_path / "heat-a.tbs", tmp_path / "24h.tbs", tmp_path / "heat-b.tbs"
    _heat(heat)
    _race(race)
    _heat(other)
    monkeypatch.setattr(session_actions, "opens_in_worker", lambda p: Path(p).name == "24h.tbs")
    user = User(qtbot, open_window(heat, tmp_path / "settings.ini"))
    user.show()
    for path in (race, other, race):
        dialogs.expect(QFileDialog, file_dialog_answer(user, path))
        user.choose("File", "Open session")
    assert user.window.windowTitle() == "Opening 24h.tbs… · timingboard"
    gate.set()
    qtbot.waitUntil(lambda: user.window.entry.opening is None, timeout=20_000)
    assert "24h.tbs" in user.window.windowTitle()
    assert user.window.controller.recorder.read_only_reason is None
    assert "read-only" not in user.window.windowTitle()
    user.window.close()
    user.window.controller.close()
    assert dialogs.unexpected == []


@JOURNEY_LOG
def test_a_replay_asked_for_while_a_long_session_is_read_drops_that_open(
    qtbot, tmp_path: Path, dialogs, gate, monkeypatch
) -> None:
    """File ▸ Open of the 24-hour file, then File ▸ Replay of a long file: the session read
    first is not shown meanwhile (it was, until the replay replaced it), the replay is."""
    from timingboard.store.session_lock import lock_path

    heat, race, other = tmp_path / "heat-a.tbs", tmp_path / "24h.tbs", tmp_path / "heat-b.tbs"
    _heat(heat)
    _race(race)
    _heat(other)
    door = threading.Event()
    opened = ReplaySource.open

    def gated(path: str | Path) -> ReplaySource:
        source = opened(path)
        door.wait(30)
        return source

    monkeypatch.setattr(ReplaySource, "open", staticmethod(gated))
    user = User(qtbot, open_window(heat, tmp_path / "settings.ini"))
    user.show()
    dialogs.expect(QFileDialog, file_dialog_answer(user, race))
    user.choose("File", "Open session")
    dialogs.expect(QFileDialog, file_dialog_answer(user, other))
    try:
        user.choose("File", "Replay a session or capture")
        assert user.window.windowTitle() == "Opening heat-b.tbs for replay… · timingboard"
        gate.set()  # the 24-hour file read first: closed, not shown
        qtbot.waitUntil(
            lambda: "24h.tbs" in user.window.windowTitle() or not lock_path(race).exists(),
            timeout=20_000,
        )
        assert user.window.windowTitle() == "Opening heat-b.tbs for replay… · timingboard"
    finally:
        door.set()
    qtbot.waitUntil(lambda: "REPLAY" in user.window.windowTitle(), timeout=20_000)
    user.window.close()
    user.window.replay.driver.close()
    user.window.controller.close()
    assert dialogs.unexpected == []


@JOURNEY_LOG
def test_an_open_dropped_for_a_small_file_leaves_no_opening_words_in_the_status_bar(
    qtbot, tmp_path: Path, dialogs, gate, monkeypatch
) -> None:
    """A new-user walk: Ctrl+O of a 24-hour file, then at once Ctrl+O of a small heat: the heat
    (here the one shown, picked again) was shown and typed into, but the status bar said
    "Opening 24h-c.tbs…" for good."""
    from timingboard.app import session_actions

    heat, race, other = tmp_path / "heat-a.tbs", tmp_path / "24h-c.tbs", tmp_path / "heat-b.tbs"
    _heat(heat)
    _race(race)
    _heat(other)
    monkeypatch.setattr(session_actions, "opens_in_worker", lambda p: Path(p).name == "24h-c.tbs")
    user = User(qtbot, open_window(heat, tmp_path / "settings.ini"))
    user.show()
    dialogs.expect(QFileDialog, file_dialog_answer(user, race))
    user.press(Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: user.status() == "Opening 24h-c.tbs…", timeout=20_000)
    dialogs.expect(QFileDialog, file_dialog_answer(user, heat))  # the one shown, again
    user.activate()
    user.press(Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "Opening" not in user.window.windowTitle(), timeout=20_000)
    assert "heat-a.tbs" in user.window.windowTitle()
    assert user.status() == "Not opening 24h-c.tbs: heat-a.tbs is shown.", user.status()
    gate.set()
    qtbot.waitUntil(lambda: not user.window.session_actions.opening, timeout=20_000)
    assert "Opening" not in user.status(), user.status()
    user.window.close()
    user.window.controller.close()
    assert dialogs.unexpected == []


@JOURNEY_LOG
def test_a_correction_asked_for_while_a_session_opens_is_refused_at_once(
    qtbot, tmp_path: Path, dialogs, gate
) -> None:
    """A new-user walk: right-click a car ▸ Time penalty… during "Opening…" opened a dialog on
    the board before, which vanished without a word when the open landed, the reason typed
    lost. Now it is refused at once, said as the other corrections are."""
    from test_journeys_corrections import right_click

    from timingboard.text.opening_text import CORRECTION_OPENING_STATUS

    heat, race = tmp_path / "heat-a.tbs", tmp_path / "24h.tbs"
    _heat(heat)
    _race(race)
    user = User(qtbot, open_window(heat, tmp_path / "settings.ini"))
    user.show()
    dialogs.expect(QFileDialog, file_dialog_answer(user, race))
    user.choose("File", "Open session")
    qtbot.waitUntil(lambda: user.window.header.session.text() == "Opening 24h.tbs…", timeout=20_000)
    user.activate()
    assert user.window.board_model.ahead  # the new session's rows: no car menu on them
    row = user.window.board.model().index(0, 1)
    where = user.window.board.visualRect(row).center()
    QApplication.sendEvent(
        user.window.board.viewport(),
        QContextMenuEvent(
            QContextMenuEvent.Reason.Mouse, where, user.window.board.viewport().mapToGlobal(where)
        ),
    )
    assert QApplication.activePopupWidget() is None
    assert user.status() == CORRECTION_OPENING_STATUS  # said, not a click that does nothing
    # the old session's log went with its board: no passing of it to right-click
    assert user.window.passings_log.model().rowCount() == 0
    with pytest.raises(AssertionError, match="no menu"):
        right_click(user.window.passings_log, 0)
    assert user.window.flow.dialog is None
    assert QApplication.activeModalWidget() is None
    gate.set()
    qtbot.waitUntil(lambda: user.window.entry.opening is None, timeout=20_000)
    qtbot.waitUntil(lambda: not user.window.controller.recorder.checking, timeout=10_000)
    user.window.close()
    user.window.controller.close()
    assert dialogs.unexpected == []


@JOURNEY_LOG
def test_a_correction_dialog_closed_by_another_session_shown_says_why(
    qtbot, tmp_path: Path, dialogs, monkeypatch
) -> None:
    """A dialog open when another session is shown (the Event view's pick, follow mode) is
    closed unlogged, as before, and the status bar now says why (it vanished unsaid)."""
    from test_journeys_corrections import click_item, right_click

    from timingboard.app import session_actions

    monkeypatch.setattr(session_actions, "opens_in_worker", lambda _p: False)

    heat, other = tmp_path / "heat-a.tbs", tmp_path / "heat-b.tbs"
    _heat(heat)
    _heat(other)
    user = User(qtbot, open_window(heat, tmp_path / "settings.ini"))
    user.show()
    click_item(right_click(user.window.board, 0), "time_penalty")
    dialog = user.window.flow.dialog
    assert dialog is not None and dialog.isVisible()
    assert user.window.session_actions.open_session(other)
    said = (
        "Time penalty: closed, not logged, as heat-b.tbs is now shown. Make it again on this one."
    )
    qtbot.waitUntil(lambda: user.status() == said)
    assert user.window.flow.dialog is None and QApplication.activeModalWidget() is None
    user.window.close()
    user.window.controller.close()
    assert dialogs.unexpected == []
