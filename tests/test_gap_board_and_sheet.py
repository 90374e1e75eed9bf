"""The walk: after a lapped car's last passing was reassigned to another car and a car was
disqualified, the board's gap and the results sheet's disagreed. Through the window as the
operator does it: they agree on every car on the leader's lap and every finished car; the car
whose last passing was taken reads its laps down as of its own last crossing on the board
("+1 lap": the leader had 3 laps when it crossed at 0:00:47.000) and the laps it is short now on
the sheet ("+2 laps"): that is the gap rule (engine/rows.py), not a fault of either."""

from __future__ import annotations

import pytest
from conftest import SHARED_FEEDS
from feed_harness import FakeTimingSystem
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QComboBox
from race_scripts import QUARTER_MILE_RACE
from test_journeys_corrections import (  # noqa: F401 (fixtures)
    board,
    board_row,
    click_item,
    confirm,
    focused,
    open_dialog,
    passing_row,
    press,
    right_click,
    saved_session,
    type_text,
)
from test_rmonitor_network import HEADER, _laps

from timingboard.app.main_window import MainWindow
from timingboard.app.run import build_replay_window
from timingboard.cli import main
from timingboard.store.replay_source import ReplaySource
from timingboard.text.board_columns import Column


def sheet_gaps(window) -> list[tuple[str, str, str, str]]:
    rows = window.results.sheet().sections[0].rows  # the classification, as File ▸ Results
    return [(r["position"], r["car"], r["laps"], r["gap"]) for r in rows]


@pytest.mark.qt_log_ignore(r"This plugin does not support (raise|grabbing)")
def test_board_and_sheet_after_a_reassigned_last_passing_and_a_dsq(
    qtbot,
    saved_session,  # noqa: F811 (the fixture, imported)
    open_window,
) -> None:
    window = open_window(saved_session)
    click_item(
        right_click(window.passings_log, passing_row(window, "3", "0:01:02.500")), "reassign"
    )
    dialog = open_dialog(qtbot, window)
    assert isinstance(focused(), QComboBox) and focused().currentText() == "1 — Driver 1"
    confirm(qtbot, dialog)  # car 3's last crossing was car 1's (a double read for car 1)
    click_item(right_click(window.board, board_row(window, "1")), "disqualify")
    dialog = open_dialog(qtbot, window)
    while not dialog.reason_field.hasFocus():
        press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "stewards' decision")
    confirm(qtbot, dialog)
    qtbot.waitUntil(lambda: board(window, Column.LAPS)[-1] == ("3", "1", "4"))
    shown = board(window, Column.LAPS, Column.GAP)
    assert shown == [("1", "2", "4", ""), ("2", "3", "2", "+1 lap"), ("3", "1", "4", "")]
    assert sheet_gaps(window) == [("1", "2", "4", ""), ("2", "3", "2", "+2 laps")]


ORBITS = SHARED_FEEDS / "orbits_mock_session_brandshatch.txt"


@pytest.mark.skipif(not ORBITS.exists(), reason="../shared/feeds is not here")
@pytest.mark.qt_log_ignore(r"This plugin does not support (raise|grabbing)")
def test_the_imported_brands_hatch_session_board_and_sheet_on_every_car(
    tmp_path, open_window, capsys
) -> None:
    """The walk: ``timingboard import`` of the Orbits capture, then ``timingboard open``. The
    capture's "Finish" ($F) falls at the leader's crossing at 0:05:14.808; cars 6 and 2 last
    crossed at 0:05:05.674 and 0:05:07.770, before it, and the stream ends ($B run 95, logged
    as the session's end) before they come round again: they never took the flag. The board
    reads every car as the sheet does: those two a lap down (their laps are final), running (the
    word the sheet says for them, where the board's Status read blank)."""
    path = tmp_path / "bh.tbs"
    assert main(["import", str(ORBITS), "-o", str(path)]) == 0
    capsys.readouterr()
    window = open_window(path)
    shown = board(window, Column.LAPS, Column.GAP, Column.INTERVAL, Column.STATUS)
    rows = window.results.sheet().sections[0].rows
    sheet = [(r["position"], r["car"], r["laps"], r["gap"], r["interval"]) for r in rows]
    assert [row[:5] for row in shown] == sheet
    assert [row[5] for row in shown] == ["Finished"] * 4 + ["Running"] * 2
    assert [r["status"] for r in rows] == ["finished"] * 4 + ["running"] * 2
    assert shown[4:] == [
        ("5", "6", "7", "+1 lap", "+1 lap", "Running"),
        ("6", "2", "7", "+1 lap", "+2.096", "Running"),
    ]


@pytest.mark.skipif(not ORBITS.exists(), reason="../shared/feeds is not here")
@pytest.mark.qt_log_ignore(r"This plugin does not support (raise|grabbing)")
def test_the_brands_hatch_replay_reads_the_gap_of_the_moment_then_the_end(
    tmp_path, qtbot, capsys
) -> None:
    """``timingboard replay bh.tbs --at 5:30``: before the timing system ended the session
    (0:05:47), cars 6 and 2 read their gaps as of their own last crossing, as the board read
    live then; a click at the timeline's end shows the board as the sheet reads it."""

    path = tmp_path / "bh.tbs"
    assert main(["import", str(ORBITS), "-o", str(path)]) == 0
    capsys.readouterr()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = build_replay_window(ReplaySource.open(path), 330_000, False, settings)
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    try:
        shown = board(window, Column.LAPS, Column.GAP, Column.STATUS)
        at_530 = [("5", "6", "7", "+30.426", "Running"), ("6", "2", "7", "+32.522", "Running")]
        assert shown[4:] == at_530  # under the checkered: each has yet to take it
        slider = window.replay.bar.timeline
        end = window.replay.driver.source.timeline.duration_ms
        qtbot.mouseClick(
            slider,
            Qt.MouseButton.LeftButton,
            pos=QPoint(int(slider.x_of(end)), slider.height() // 2),
        )
        qtbot.waitUntil(lambda: window.replay.driver.position_ms == end)
        shown = board(window, Column.LAPS, Column.GAP, Column.STATUS)
        ended = [("5", "6", "7", "+1 lap", "Running"), ("6", "2", "7", "+1 lap", "Running")]
        assert shown[4:] == ended  # the session is over: "running" is their result
    finally:
        window.replay.driver.close()
        window.close()
        window.controller.close()


@pytest.mark.qt_log_ignore(r"This plugin does not support (raise|grabbing)")
def test_a_followed_feed_that_ends_the_session_reads_the_sheet_on_the_board(
    make_controller, tmp_path, qtbot
) -> None:
    """Feed ▸ Connect, live: car 31 laps in 14 s, car 18 in 15 s; the timing system's Finish
    falls at car 31's third lap (0:00:42). Car 18 last crossed at 0:00:30.500, 2.5 s behind
    car 31 then: the board says so while it may still come round; the timing system's end of
    session ($B run 95) comes before it does, and the board reads it as the sheet does."""

    timing = FakeTimingSystem()
    controller = make_controller(QUARTER_MILE_RACE)
    window = MainWindow(controller, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    try:
        window.feed.follow("127.0.0.1", timing.port, tmp_path / "feed")
        qtbot.waitUntil(lambda: len(timing.sockets) == 1)
        timing.send(HEADER + b"".join(_laps("31", 2, 14_000, 0) + _laps("18", 2, 15_000, 500)))
        timing.send(b"".join(_laps("31", 3, 14_000, 0)[-1:]))
        timing.send(b'$F,9999,"00:00:00","12:00:42","00:00:42","Finish"\r\n')
        expected = [("1", "31", "3", "", "Finished"), ("2", "18", "2", "+2.500", "Running")]
        qtbot.waitUntil(lambda: board(window, Column.LAPS, Column.GAP, Column.STATUS) == expected)
        rows = window.results.sheet().sections[0].rows
        assert [(r["car"], r["gap"], r["status"]) for r in rows][1] == ("18", "+1 lap", "running")
        timing.send(b'$B,95,"Feature"\r\n$F,0,"00:00:00","12:00:50","00:00:00","      "\r\n')
        expected = [("1", "31", "3", "", "Finished"), ("2", "18", "2", "+1 lap", "Running")]
        qtbot.waitUntil(lambda: board(window, Column.LAPS, Column.GAP, Column.STATUS) == expected)
        rows = window.results.sheet().sections[0].rows
        assert [(r["car"], r["gap"], r["status"]) for r in rows][1] == ("18", "+1 lap", "running")
    finally:
        window.close()
        timing.close()
