"""A second window on a session being timed in another follows it, as race control expects.

``timingboard open r2.tbs`` a second time opens it read-only (another board holds it); what the
writer logs afterwards shows on that board within a second, and the writer closing the session,
dying, or a damaged event are said on it, never hidden behind a title that says LIVE.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

from journey import FakeTime, User, close_session_window, new_session_window, open_window
from PySide6.QtCore import Qt
from race_scripts import QUARTER_MILE_RACE

from timingboard.engine.events import CompetitorSet, DeletePassing, Passing
from timingboard.qt.leaderboard_model import Column
from timingboard.store import SessionRecorder, closing

FOLLOWED_MS = 3000  # "within about a second", with room for a busy machine


def board(user: User) -> list[tuple[str, str]]:
    return list(zip(user.column(Column.CAR), user.column(Column.LAPS), strict=True))


def test_the_second_window_shows_what_the_first_one_logs_and_says_when_it_closed(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    clock = FakeTime().install(monkeypatch)
    writer = new_session_window(qtbot, tmp_path, QUARTER_MILE_RACE, "r2.tbs")
    path = tmp_path / "r2.tbs"
    writer.press(Qt.Key.Key_F5)  # green
    for car in ("3", "4", "5"):
        clock.advance(0.5)
        writer.enter(car)
    reader = User(qtbot, open_window(path, tmp_path / "reader.ini"))  # the second `open`
    reader.show()
    try:
        assert reader.window.windowTitle() == "Heat 1 — r2.tbs — LIVE (read-only) · timingboard"
        notice = reader.window.read_only_notice.shown or ""
        assert "following the board writing it, open in timingboard on" in notice
        assert not reader.window.entry_panel.isEnabled()
        assert reader.header()["passings"] == "3 passings"

        writer.activate()
        for car in ("3", "4"):  # a lap each
            clock.advance(20)
            writer.enter(car)
        assert writer.header()["passings"] == "5 passings"
        qtbot.waitUntil(lambda: reader.header()["passings"] == "5 passings", timeout=FOLLOWED_MS)
        qtbot.waitUntil(lambda: board(reader) == board(writer))  # the board's next frame
        assert ("3", "1") in board(reader) and ("4", "1") in board(reader)

        last = max(writer.window.controller.engine.passings)  # car 4's lap: deleted…
        assert writer.window.desk.correct(DeletePassing(passing_id=last), "double read")
        qtbot.waitUntil(lambda: reader.header()["passings"] == "4 passings (1 deleted)")
        qtbot.waitUntil(lambda: board(reader) == board(writer))
        assert ("4", "0") in board(reader)
        writer.press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # …and undone
        qtbot.waitUntil(lambda: reader.header()["passings"] == "5 passings", timeout=FOLLOWED_MS)
        qtbot.waitUntil(lambda: board(reader) == board(writer))
        assert ("4", "1") in board(reader)

        close_session_window(writer.window)  # the writer is done with it
        closing.wait_for_all()
        qtbot.waitUntil(
            lambda: "closed by its writer" in (reader.window.read_only_notice.shown or ""),
            timeout=FOLLOWED_MS,
        )
        assert "CLOSED BY ITS WRITER (read-only)" in reader.window.windowTitle()
        beside = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("r2.tbs"))
        assert beside == ["r2.tbs"]  # one file again: the follower held no connection open
        assert board(reader) == board(writer)
    finally:
        close_session_window(reader.window)
    assert not reader.window.controller.log_follow.active


def test_a_recorder_of_another_process_is_followed_and_taken_back_after_it_is_lost(
    qtbot, tmp_path: Path, show_window
) -> None:
    from timingboard.qt.session_controller import SessionController

    path = tmp_path / "r2.tbs"
    SessionRecorder.create(path, QUARTER_MILE_RACE).close()
    first = SessionRecorder.open(path)
    first.submit([CompetitorSet(key="7", car="7")])
    controller = SessionController(SessionRecorder.open(path))
    window = show_window(controller)
    user = User(qtbot, window)
    try:
        first.submit([Passing(time_ms=1000, car="7"), Passing(time_ms=21_000, car="7")])
        qtbot.waitUntil(lambda: user.header()["passings"] == "2 passings", timeout=FOLLOWED_MS)
        qtbot.waitUntil(lambda: board(user) == [("7", "1")])
        lock = first.file._lock
        assert lock is not None and lock._fd is not None
        os.close(lock._fd)  # the writer dies: the kernel drops its lock, its lock file stays
        lock._fd = None
        qtbot.waitUntil(
            lambda: "stopped without closing" in (window.read_only_notice.shown or ""),
            timeout=FOLLOWED_MS,
        )
        assert "WRITER STOPPED (read-only)" in window.windowTitle()
        first.file._db.close()
        again = SessionRecorder.open(path)  # a board takes it back after the crash
        assert again.read_only_reason is None
        again.submit([Passing(time_ms=41_000, car="7")])
        qtbot.waitUntil(lambda: user.header()["passings"] == "3 passings", timeout=FOLLOWED_MS)
        assert "following the board writing it" in (window.read_only_notice.shown or "")
        assert "— LIVE (read-only) · timingboard" in window.windowTitle()
        qtbot.waitUntil(lambda: board(user) == [("7", "2")])
        again.close()
    finally:
        window.close()
        controller.close()


def test_a_damaged_event_is_never_applied_and_following_stops_there(
    qtbot, tmp_path: Path, show_window
) -> None:
    from timingboard.qt.session_controller import SessionController

    path = tmp_path / "r2.tbs"
    first = SessionRecorder.create(path, QUARTER_MILE_RACE)
    first.submit([CompetitorSet(key="7", car="7"), Passing(time_ms=1000, car="7")])
    controller = SessionController(SessionRecorder.open(path))
    window = show_window(controller)
    user = User(qtbot, window)
    try:
        first.submit([Passing(time_ms=21_000, car="7")])  # seq 3
        qtbot.waitUntil(lambda: user.header()["passings"] == "2 passings", timeout=FOLLOWED_MS)
        tamper = sqlite3.connect(path)  # a row that was not written by the chain (seq 4)
        with tamper:
            tamper.execute(
                "INSERT INTO events VALUES (4, 'Passing', ?, 0, ?)",
                ('{"time_ms": 41000, "car": "7"}', hashlib.sha256(b"x").digest()),
            )
        tamper.close()
        qtbot.waitUntil(
            lambda: "event #4 is damaged" in (window.read_only_notice.shown or ""),
            timeout=FOLLOWED_MS,
        )
        assert "following stopped" in (window.read_only_notice.shown or "")
        assert "STOPPED (read-only, damaged log)" in window.windowTitle()
        assert user.header()["passings"] == "2 passings"  # never the damaged one
        qtbot.waitUntil(lambda: board(user) == [("7", "1")])
        assert not controller.log_follow.active
    finally:
        window.close()
        controller.close()
        first.close()


def test_a_long_log_checked_in_a_worker_takes_what_was_appended_meanwhile_once(
    qtbot, tmp_path: Path, show_window, monkeypatch
) -> None:
    """``timingboard open`` shows a long session from its snapshot and checks its log in a
    worker; what the writer appends meanwhile is read by that check too, and must not join the
    board twice (once from the check, once followed)."""
    import threading

    from timingboard.qt.session_controller import SessionController
    from timingboard.store import log_check, recorder

    monkeypatch.setattr(recorder, "CHECK_LATER_FROM", 2)  # a "long" log: checked later
    appended = threading.Event()
    read = log_check._read
    monkeypatch.setattr(log_check, "_read", lambda path: appended.wait(10) and read(path))
    path = tmp_path / "r2.tbs"
    made = SessionRecorder.create(path, QUARTER_MILE_RACE)
    made.submit([CompetitorSet(key="7", car="7"), Passing(time_ms=1000, car="7")])
    made.close()  # its snapshot kept
    closing.wait_for_all()
    writer = SessionRecorder.open(path)
    reader = SessionRecorder.open(path, check_later=True)
    assert reader.checking and reader.file.read_only
    controller = SessionController(reader)
    window = show_window(controller)
    user = User(qtbot, window)
    try:
        writer.submit([Passing(time_ms=21_000, car="7"), Passing(time_ms=41_000, car="7")])
        with qtbot.waitSignal(controller.log_checked, timeout=10_000):
            appended.set()
        qtbot.waitUntil(lambda: user.header()["passings"] == "3 passings", timeout=FOLLOWED_MS)
        qtbot.waitUntil(lambda: board(user) == [("7", "2")])
        assert [entry.seq for entry in controller.engine.log] == [1, 2, 3, 4]
    finally:
        appended.set()
        window.close()
        controller.close()
        writer.close()


def test_an_opener_meeting_a_followers_look_at_the_lock_still_takes_it(tmp_path: Path) -> None:
    """A follower looks at the writer's lock twice a second (a shared ``flock`` held for some
    microseconds); a board opening the session at that instant must not be turned away."""
    import fcntl
    import threading

    from timingboard.store.session_lock import SessionLock, lock_path

    path = tmp_path / "r2.tbs"
    SessionRecorder.create(path, QUARTER_MILE_RACE).close()
    probe = os.open(lock_path(path.resolve()), os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(probe, fcntl.LOCK_SH | fcntl.LOCK_NB)  # the follower's look, at that instant
    letting_go = threading.Timer(0.001, fcntl.flock, (probe, fcntl.LOCK_UN))
    letting_go.start()
    try:
        lock = SessionLock.acquire(path)
    finally:
        letting_go.join()
        os.close(probe)
    lock.release()


def test_a_file_that_cannot_be_read_a_moment_is_said_and_followed_again(
    qtbot, tmp_path: Path, show_window, monkeypatch
) -> None:
    import sqlite3 as sqlite

    from timingboard.qt.session_controller import SessionController
    from timingboard.store import session_file

    path = tmp_path / "r2.tbs"
    first = SessionRecorder.create(path, QUARTER_MILE_RACE)
    first.submit([CompetitorSet(key="7", car="7"), Passing(time_ms=1000, car="7")])
    controller = SessionController(SessionRecorder.open(path))
    window = show_window(controller)
    user = User(qtbot, window)
    connect = session_file._connect_read_only

    def unreachable(_path: Path) -> sqlite.Connection:
        raise sqlite.OperationalError("unable to open database file")

    try:
        qtbot.waitUntil(lambda: not controller.recorder.file._connection, timeout=FOLLOWED_MS)
        monkeypatch.setattr(session_file, "_connect_read_only", unreachable)  # a share gone
        first.submit([Passing(time_ms=21_000, car="7")])
        qtbot.waitUntil(
            lambda: "cannot be read now" in (window.read_only_notice.shown or ""),
            timeout=FOLLOWED_MS,
        )
        assert "reading it again" in (window.read_only_notice.shown or "")
        assert user.header()["passings"] == "1 passing"
        monkeypatch.setattr(session_file, "_connect_read_only", connect)  # back
        qtbot.waitUntil(lambda: user.header()["passings"] == "2 passings", timeout=FOLLOWED_MS)
        assert "following the board writing it" in (window.read_only_notice.shown or "")
        assert "— LIVE (read-only) · timingboard" in window.windowTitle()
    finally:
        monkeypatch.setattr(session_file, "_connect_read_only", connect)
        window.close()
        controller.close()
        first.close()
