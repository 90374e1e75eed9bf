"""The live page and its snapshot say what the board says: its clock, standing at the finish
(it ran on past it: the board "since green 0:00:04", the snapshot "0:00:28" then "0:00:34",
the page "0:22", and "0:43" once the session was ended), and its status words ("finished"
for a car the board reads "Finished +5.000 s").

A hand-timed race in the real window, its page served by the board (``open --web``), read
through the board's HTTP server and in headless Chromium, as a phone in the paddock reads it.
"""

from __future__ import annotations

import json
import urllib.request
from dataclasses import replace

import pytest
from journey import FakeTime, User, new_session_window, operator_settings
from live_helpers import chromium_at
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from race_scripts import QUARTER_MILE_RACE

from timingboard.app.live_timing import LiveOptions, LiveTiming
from timingboard.engine.events import TimePenalty
from timingboard.qt.audit_model import AuditColumn
from timingboard.qt.leaderboard_model import Column

JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")
TWO_LAPS = replace(QUARTER_MILE_RACE, name="End test", race_laps=2, min_lap_ms=1000)


def _snapshot(timing: LiveTiming) -> dict:
    return json.load(urllib.request.urlopen(timing.web.address + "snapshot", timeout=5))


def _page(driver, name: str) -> str:
    return driver.execute_script("return document.getElementById(arguments[0]).textContent;", name)


def _page_statuses(driver) -> list[str]:
    return driver.execute_script(
        "return [...document.querySelectorAll('#board tbody td.status')]"
        ".map(td => td.textContent.trim());"
    )


def _end(user: User, dialogs) -> None:
    """Flag ▸ End session…, answered with Enter."""
    said: list[str] = []

    def act(box) -> None:
        assert isinstance(box, QMessageBox)
        said.append(box.text())
        user.press(Qt.Key.Key_Return)

    dialogs.expect(QMessageBox, act)
    user.choose("Flag", "End session")
    user.qtbot.waitUntil(lambda: bool(said) and not dialogs.expected)
    user.activate()


@JOURNEY_LOG
def test_the_page_and_the_snapshot_keep_the_boards_clock_and_status_words(
    qtbot, tmp_path, dialogs, monkeypatch
) -> None:
    clock = FakeTime().install(monkeypatch)
    operator_settings(tmp_path / "settings.ini").sync()
    user = new_session_window(qtbot, tmp_path, TWO_LAPS, "end-test.tbs")
    timing = LiveTiming(user.window.controller, LiveOptions(web_port=0), user.window)
    timing.start()
    try:
        with chromium_at(timing.web.address) as driver:
            clock.advance(2)
            user.press(Qt.Key.Key_F5)  # green
            for lap in (0, 1, 2):  # the first crossing is the start
                for car in ("1", "2"):
                    clock.advance(1)
                    if not (lap == 2 and car == "2"):  # 2 is still out at the finish
                        user.enter(car)
            qtbot.waitUntil(lambda: user.header()["remaining"] == "Checkered")
            standing = user.header()["clock"]
            assert standing == "0:00:05"  # since the green, standing at the finish
            clock.advance(25)  # race control waits for car 2
            qtbot.waitUntil(lambda: _snapshot(timing)["status"]["now_ms"] > 25_000, timeout=10_000)
            assert user.header()["clock"] == standing
            status = _snapshot(timing)["status"]
            assert (status["clock"], status["clock_running"]) == (standing, False)
            qtbot.waitUntil(lambda: _page(driver, "remaining") == "Checkered", timeout=10_000)
            assert _page(driver, "clock") == standing

            user.window.controller.submit(
                [TimePenalty(key="1", ms=5000, operator="Sam", reason="jumped the start")]
            )
            qtbot.waitUntil(lambda: user.column(Column.STATUS)[0] == "Finished +5.000 s")
            board = user.column(Column.STATUS)
            qtbot.waitUntil(lambda: _page_statuses(driver) == board, timeout=10_000)

            clock.advance(15)
            _end(user, dialogs)
            qtbot.waitUntil(lambda: user.header()["remaining"] == "Finished")
            assert user.header()["clock"] == standing
            clock.advance(10)
            qtbot.waitUntil(lambda: _page(driver, "remaining") == "Finished", timeout=10_000)
            qtbot.waitUntil(lambda: _snapshot(timing)["status"]["ended_ms"] is not None)
            assert _snapshot(timing)["status"]["clock"] == standing
            assert _page(driver, "clock") == standing
            qtbot.waitUntil(lambda: user.column(Column.STATUS) == ["Finished +5.000 s", "Running"])
            board = user.column(Column.STATUS)
            qtbot.waitUntil(lambda: _page_statuses(driver) == board, timeout=10_000)
    finally:
        timing.close()
        user.window.close()
        user.window.controller.close()


@JOURNEY_LOG
def test_a_minute_long_penalty_reads_on_the_phone_as_in_the_corrections_list(
    qtbot, tmp_path, monkeypatch
) -> None:
    """A 65 s penalty: the phone read "Finished +1:05.000s", the desk's Corrections list
    "+1:05.000 s". One formatting for both."""
    clock = FakeTime().install(monkeypatch)
    operator_settings(tmp_path / "settings.ini").sync()
    user = new_session_window(qtbot, tmp_path, TWO_LAPS, "penalty.tbs")
    timing = LiveTiming(user.window.controller, LiveOptions(web_port=0), user.window)
    timing.start()
    try:
        with chromium_at(timing.web.address) as driver:
            clock.advance(2)
            user.press(Qt.Key.Key_F5)  # green
            for _lap in (0, 1, 2):
                for car in ("1", "2"):
                    clock.advance(1)
                    user.enter(car)
            user.window.controller.submit(
                [TimePenalty(key="1", ms=65_000, operator="Sam", reason="drive-through ignored")]
            )
            model = user.window.audit_model
            qtbot.waitUntil(lambda: model.rowCount() == 1)
            listed = model.index(0, AuditColumn.ACTION).data()
            assert listed == "Time penalty +1:05.000 s for car 1"
            qtbot.waitUntil(lambda: "Finished +1:05.000 s" in user.column(Column.STATUS))
            qtbot.waitUntil(
                lambda: "Finished +1:05.000 s" in _page_statuses(driver), timeout=10_000
            )
            assert _page_statuses(driver) == user.column(Column.STATUS)
    finally:
        timing.close()
        user.window.close()
        user.window.controller.close()
