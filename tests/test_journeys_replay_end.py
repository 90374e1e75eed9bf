"""Journeys: a hand-timed race ended by the operator (Flag ▸ End session…) after its last
crossing, replayed: the timeline runs to the end logged, its last pixels are the end, and the
board there is the live board's at the end (every passing, the cars out "Running")."""

from __future__ import annotations

from pathlib import Path

from journey import FakeTime, User
from PySide6.QtCore import QPoint, QSettings, Qt
from test_journeys_end_session import JOURNEY_LOG, _end, _new_session, _status_of, _window

from timingboard.app.run import build_replay_window
from timingboard.qt.audit_model import AuditColumn
from timingboard.store.replay_source import ReplaySource


def _hand_race(user: User, clock: FakeTime, dialogs, tmp_path: Path) -> tuple[Path, dict]:
    """Green; 1, 2, 3 lap by lap; the checkered; 1 and 2 take the flag, 3 is still out; nine
    seconds on the operator ends it. What the live board said at the end."""
    path = _new_session(user, dialogs, tmp_path, "R", "Heat")
    user.press(Qt.Key.Key_F5)
    for lap in range(5):
        for car in ("1", "2", "3"):
            clock.advance(3 if lap == 0 else 9 + int(car) / 10)
            user.enter(car)
    clock.advance(1)
    user.press(Qt.Key.Key_F9)
    for car in ("1", "2"):
        clock.advance(4)
        user.enter(car)
    user.qtbot.waitUntil(lambda: user.header()["passings"] == "17 passings")
    clock.advance(9)
    said: list[str] = []
    _end(user, dialogs, said)
    user.qtbot.waitUntil(lambda: _status_of(user)["3"] == "Running")
    audit = user.window.audit_model
    logged = [str(audit.index(r, AuditColumn.ACTION).data()) for r in range(audit.rowCount())]
    ended = logged[-1].removeprefix("End the session at ").split(".")[0]  # "0:02:17"
    live = {"status": _status_of(user), "passings": user.header()["passings"], "end": ended}
    user.window.close()
    user.window.controller.close()
    return path, live


@JOURNEY_LOG
def test_a_replay_of_a_race_ended_by_hand_runs_to_its_end(
    qtbot, tmp_path, dialogs, monkeypatch
) -> None:
    """The timeline stopped at the last crossing: one pixel short of its right end read the
    end, but the board was one passing short, car 2 not "Finished", car 3 not "Running"."""
    clock = FakeTime().install(monkeypatch)
    path, live = _hand_race(_window(qtbot, tmp_path), clock, dialogs, tmp_path)
    assert live["status"] == {"1": "Finished", "2": "Finished", "3": "Running"}
    settings = QSettings(str(tmp_path / "replay.ini"), QSettings.Format.IniFormat)
    window = build_replay_window(ReplaySource.open(path), 0, False, settings)
    user = User(qtbot, window)
    user.show()
    timeline = window.replay.bar.timeline
    label = window.replay.bar.time_label
    x = timeline.width() - 2  # one pixel short of the bar's right end
    qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=QPoint(x, timeline.height() // 2))
    qtbot.waitUntil(lambda: window.replay.driver.position_ms > 0)
    end = live["end"]  # the end logged, after the last crossing
    assert label.text() == f"session time {end} / {end}"
    qtbot.waitUntil(lambda: _status_of(user) == live["status"])
    assert user.header()["passings"] == live["passings"]
    user.click(window.replay.bar.previous_lap)  # the leader's last lap
    qtbot.waitUntil(lambda: _status_of(user)["2"] == "Running")  # the flag yet to take
    user.click(window.replay.bar.next_lap)  # on to the end
    qtbot.waitUntil(lambda: _status_of(user) == live["status"])
    assert label.text() == f"session time {end} / {end}"
    user.click(window.replay.bar.next_lap)
    assert user.status() == "The leader, car 1, completes no later lap."
    window.replay.driver.close()
    window.close()
    window.controller.close()
