"""Quitting while a live feed records a race still running asks first (Quit / Cancel, Cancel the
default): it quit without a word, and the crossings from then on were not recorded. No question
once the session is over (the checkered), nor once the feed is disconnected."""

from __future__ import annotations

import pytest
from journey import new_session_window
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox
from race_scripts import QUARTER_MILE_QUALIFYING
from test_journeys_session import connect
from test_rmonitor_network import HEADER, _j, _laps

from timingboard.qt.passings_model import PassingColumn

pytestmark = [
    pytest.mark.qt_log_ignore(r"This plugin does not support (raise|grabbing)"),
    pytest.mark.asks_before_quitting,
]
CHECKERED = b'$F,0,"00:00:00","12:01:40","00:01:40","Finish"\r\n'


def _following(qtbot, tmp_path, dialogs, timing_system, laps: int = 3):
    """The window following the timing system, which has sent the green and ``laps`` of car 18."""
    user = new_session_window(qtbot, tmp_path, QUARTER_MILE_QUALIFYING, "practice.tbs")
    connect(user, dialogs, f"127.0.0.1:{timing_system.port}", tmp_path / "feed")
    qtbot.waitUntil(lambda: len(timing_system.sockets) == 1)
    timing_system.send(HEADER + b"".join(_laps("18", laps, 14_000, 0)))
    qtbot.waitUntil(lambda: len(user.passings(PassingColumn.TIME)) == laps + 1, timeout=5000)
    user.activate()
    return user


def _answer_with(key: Qt.Key, seen: list[str]):
    """Read the question and its buttons, then press ``key`` in it, as the operator would."""

    def act(box) -> None:
        seen.append(box.text())
        seen.append(" / ".join(sorted(b.text().replace("&", "") for b in box.buttons())))
        QTest.keyClick(QApplication.focusWidget() or box, key)

    return act


def test_quitting_while_the_feed_records_a_running_race_asks_and_cancel_goes_on_recording(
    qtbot, tmp_path, dialogs, timing_system
) -> None:
    user = _following(qtbot, tmp_path, dialogs, timing_system)
    seen: list[str] = []
    dialogs.expect(QMessageBox, _answer_with(Qt.Key.Key_Return, seen))  # Enter: the default
    user.press(Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(seen) == 2)
    assert seen[0] == (
        "The feed from 127.0.0.1 is connected and the race is running: "
        "quitting stops recording its crossings."
    )
    assert seen[1] == "Cancel / Quit"
    assert dialogs.unexpected == []
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)  # Enter closed it
    assert user.window.isVisible()  # Cancel, the default: the window stays, the feed records on
    timing_system.send(_j("18", 14_000, 4 * 14_000))
    qtbot.waitUntil(lambda: len(user.passings(PassingColumn.TIME)) == 5, timeout=5000)
    assert user.window.feed.link_label.text() == "Feed: connected"
    seen.clear()
    dialogs.expect(QMessageBox, _click("Quit", seen))
    user.activate()
    user.choose("File", "Quit")  # the menu's Quit asks the same; Quit quits
    qtbot.waitUntil(lambda: not user.window.isVisible())
    assert seen and seen[0].startswith("The feed from 127.0.0.1 is connected")
    assert dialogs.unexpected == []


def _click(text: str, seen: list[str]):
    def act(box) -> None:
        seen.append(box.text())
        button = next(b for b in box.buttons() if b.text().replace("&", "") == text)
        button.click()

    return act


def test_quitting_once_the_race_is_over_or_the_feed_disconnected_asks_nothing(
    qtbot, tmp_path, dialogs, timing_system
) -> None:
    user = _following(qtbot, tmp_path, dialogs, timing_system)
    timing_system.send(CHECKERED)
    qtbot.waitUntil(lambda: user.window.controller.engine.over, timeout=5000)
    user.press(Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not user.window.isVisible())
    assert dialogs.unexpected == []  # the checkered came: nothing is lost by quitting


def test_quitting_after_feed_disconnect_asks_nothing(qtbot, tmp_path, dialogs, timing_system):
    user = _following(qtbot, tmp_path, dialogs, timing_system)
    user.choose("Feed", "Disconnect")
    user.press(Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not user.window.isVisible())
    assert dialogs.unexpected == []
