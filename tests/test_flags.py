"""Flags as race control reads them: full-course yellow, and white and checkered by the distance."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from race_scripts import QUARTER_MILE_RACE, field, laps_at, merged_in_time, run, three_car_race

from timingboard.app.main_window import MainWindow
from timingboard.engine import Flag, FlagChanged, Passing
from timingboard.engine.flag_shown import shown_flag
from timingboard.engine.race_trace import caution_laps
from timingboard.feeds.live_json import status_of
from timingboard.feeds.rmonitor_writer import heartbeat
from timingboard.reports.sheet import build_sheet

FIVE_LAPS = dataclasses.replace(QUARTER_MILE_RACE, race_laps=5)
ONE_MINUTE = dataclasses.replace(QUARTER_MILE_RACE, race_laps=None, race_duration_ms=60_000)
GREEN = FlagChanged(time_ms=0, flag=Flag.GREEN)


def _race(laps_of_leader: int, extra: list | None = None, settings=FIVE_LAPS):
    """Car 1 leads car 2 by 2 s; ``laps_of_leader`` laps completed by car 1."""
    passings = merged_in_time(
        laps_at("1", 1000, 14_000, laps_of_leader),
        laps_at("2", 3000, 14_000, max(0, laps_of_leader - 1)),
    )
    events = [*field(["1", "2"]), GREEN, *passings, *(extra or [])]
    return run(settings, sorted(events, key=lambda e: getattr(e, "time_ms", -1)))


def test_white_when_the_leader_starts_the_last_lap_checkered_when_it_takes_the_finish() -> None:
    on_lap_4 = _race(3)
    assert shown_flag(on_lap_4, on_lap_4.clock_ms) is Flag.GREEN  # leader on lap N-1
    on_lap_5 = _race(4)
    assert shown_flag(on_lap_5, on_lap_5.clock_ms) is Flag.WHITE  # on lap N, the last
    assert on_lap_5.flag is Flag.GREEN  # what was thrown is kept as thrown
    done = _race(5)
    assert shown_flag(done, done.clock_ms) is Flag.CHECKERED  # took the finish
    one_lap = dataclasses.replace(FIVE_LAPS, race_laps=1)
    started = run(one_lap, [*field(["1"]), GREEN, Passing(time_ms=1000, car="1")])
    assert shown_flag(started, 1000) is Flag.WHITE  # a one-lap race: the first lap is the last


def test_a_timed_race_is_white_when_time_runs_out_and_checkered_at_the_next_crossing() -> None:
    engine = _race(4, settings=ONE_MINUTE)  # the leader crossed at 0:57
    assert shown_flag(engine, 59_999) is Flag.GREEN
    assert shown_flag(engine, 60_000) is Flag.WHITE
    finished = _race(5, settings=ONE_MINUTE)  # and again at 1:11, after the time
    assert finished.finish_ms == 71_000
    assert shown_flag(finished, 71_000) is Flag.CHECKERED


def test_the_flag_thrown_after_the_moment_wins_and_a_caution_is_not_whitened() -> None:
    late_green = _race(4, [FlagChanged(time_ms=60_000, flag=Flag.GREEN)])
    assert shown_flag(late_green, 60_000) is Flag.GREEN  # the timing system's $F said green since
    yellow = _race(4, [FlagChanged(time_ms=58_000, flag=Flag.YELLOW)])
    assert shown_flag(yellow, 58_000) is Flag.YELLOW  # the caution is what the band must say
    under_yellow = _race(5, [FlagChanged(time_ms=60_000, flag=Flag.FULL_COURSE_YELLOW)])
    assert shown_flag(under_yellow, 72_000) is Flag.CHECKERED  # a finish under yellow
    red = _race(5, [FlagChanged(time_ms=60_000, flag=Flag.RED)])
    assert shown_flag(red, 72_000) is Flag.RED
    red_after = _race(5, [FlagChanged(time_ms=80_000, flag=Flag.RED)])
    assert shown_flag(red_after, 80_000) is Flag.RED
    practice = dataclasses.replace(FIVE_LAPS, kind="practice")
    engine = _race(5, settings=practice)
    assert shown_flag(engine, engine.clock_ms) is Flag.GREEN  # only a race has a distance


def test_the_feeds_laps_to_go_make_the_last_lap_white() -> None:
    no_distance = dataclasses.replace(FIVE_LAPS, race_laps=None)
    engine = _race(3, settings=no_distance)
    assert shown_flag(engine, engine.clock_ms, laps_to_go=2) is Flag.GREEN
    assert shown_flag(engine, engine.clock_ms, laps_to_go=1) is Flag.WHITE


def test_full_course_yellow_laps_are_a_caution_of_their_own() -> None:
    engine = _race(
        5,
        [
            FlagChanged(time_ms=30_000, flag=Flag.FULL_COURSE_YELLOW),
            FlagChanged(time_ms=44_000, flag=Flag.GREEN),
        ],
    )
    assert caution_laps(engine.leaders, engine.flags, engine.start_ms) == [
        (3, 3, Flag.FULL_COURSE_YELLOW)  # thrown during lap 3 (0:29-0:43), green before 0:57
    ]
    cautions = build_sheet(engine).section("cautions")
    assert cautions is not None and cautions.rows == [
        {"flag": "Full-course yellow", "from_lap": "3", "to_lap": "3", "laps": "1"}
    ]
    assert cautions.note == "1 caution for 1 lap (1 full-course yellow)"
    assert build_sheet(_race(5)).section("cautions") is None  # green all the way


def test_the_wire_says_the_flag_the_board_shows() -> None:
    done = _race(5)
    assert heartbeat(done, done.clock_ms, "12:00:00").endswith('"Finish"\r\n')
    fcy = _race(2, [FlagChanged(time_ms=20_000, flag=Flag.FULL_COURSE_YELLOW)])
    assert heartbeat(fcy, 20_000, "12:00:00").endswith('"Yellow"\r\n')  # RMonitor has no FCY
    assert status_of(fcy, 20_000, True)["flag"] == "full_course_yellow"
    assert status_of(_race(4), 60_000, True)["flag"] == "white"


def _press(qtbot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the focus"
    qtbot.keyClick(target, key, modifier)


def test_full_course_yellow_from_the_keys_and_the_flag_menu(
    make_controller, show_window, qtbot
) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    window = show_window(controller)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    controller.submit(three_car_race()[:-3])
    window.entry_panel.car_field.setFocus()
    _press(qtbot, Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    assert controller.engine.flag is Flag.FULL_COURSE_YELLOW
    assert window.header.flag.text().strip() == "FULL-COURSE YELLOW"
    assert window.scoreboard.band.flag_label.text() == "FULL-COURSE YELLOW"
    assert window.scoreboard.band.background().name() == "#ff8f00"  # amber, not the yellow
    assert window.entry_panel.message.text() == "Full-course yellow flag shown."
    controller.submit(three_car_race()[-3:])
    flag_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "F&lag")
    texts = {a.text(): a.shortcut().toString() for a in flag_menu.actions()}
    assert texts["Full-course yellow flag"] == "Shift+F6" and texts["Green flag"] == "F5"
    next(a for a in flag_menu.actions() if a.text() == "Green flag").trigger()
    assert controller.engine.flag is Flag.GREEN
    window.series.flush()
    shaded = window.charts.lap_chart.shading.shaded
    assert shaded == [(3.5, 4.5, "#ff8f00")]  # lap 4 ran under the full-course yellow
    assert build_sheet(controller.engine).section("cautions").rows[0]["flag"] == (
        "Full-course yellow"
    )
    dialog = window.help.show_shortcuts()
    assert ("Shift+F6", "Full-course yellow flag") in dialog.rows()
    dialog.close()
    window.close()


def test_the_band_goes_white_then_checkered_as_the_leader_crosses(
    make_controller, show_window
) -> None:
    controller = make_controller(dataclasses.replace(QUARTER_MILE_RACE, race_laps=3))
    window = show_window(controller)
    controller.submit([*field(["1", "2"]), GREEN])
    seen = []
    passings = merged_in_time(laps_at("1", 1000, 14_000, 3), laps_at("2", 3000, 14_000, 2))
    for passing in passings:
        controller.submit([passing])
        seen.append((passing.car, window.header.flag.text().strip(), window.scoreboard.band.flag))
    assert seen[2] == ("1", "GREEN", Flag.GREEN)  # car 1 completed lap 1: on lap 2 of 3
    assert seen[3] == ("2", "GREEN", Flag.GREEN)
    assert seen[4] == ("1", "WHITE", Flag.WHITE)  # completed lap 2: on the last lap
    assert seen[5] == ("2", "WHITE", Flag.WHITE)
    assert seen[6] == ("1", "CHECKERED", Flag.CHECKERED)  # took the finish
    assert window.header.flag.styleSheet().startswith("background:#111111")
    window.close()


def test_a_timed_race_goes_white_on_the_clock(make_controller, show_window, qtbot, monkeypatch):
    from journey import FakeTime

    fake = FakeTime().install(monkeypatch)
    controller = make_controller(ONE_MINUTE)
    window = show_window(controller)
    controller.submit([*field(["1"]), GREEN, *laps_at("1", 1000, 14_000, 4)])
    controller.run_clock(57_000)
    fake.advance(2.9)
    qtbot.waitSignal(window.header.clock_timer.timeout).wait()
    assert window.header.flag.text().strip() == "GREEN"
    fake.advance(0.2)  # 1:00.1: time has run out
    qtbot.waitUntil(lambda: window.header.flag.text().strip() == "WHITE")
    controller.submit([Passing(time_ms=71_000, car="1")])
    assert window.header.flag.text().strip() == "CHECKERED"
    window.close()


def test_a_feeds_last_lap_is_white_and_its_finish_checkered(make_controller, tmp_path, qtbot):
    """RMonitor has no white: one lap to go in the timing system's $F is the last lap; its own
    "Finish" is the checkered flag."""
    from feed_harness import FakeTimingSystem
    from test_rmonitor_network import HEADER, _laps

    timing = FakeTimingSystem()
    controller = make_controller(QUARTER_MILE_RACE)
    window = MainWindow(controller, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    window.feed.follow("127.0.0.1", timing.port, tmp_path / "feed")
    qtbot.waitUntil(lambda: len(timing.sockets) == 1)
    timing.send(HEADER + b"".join(_laps("31", 2, 14_000, 0)))
    qtbot.waitUntil(lambda: len(controller.engine.passings) == 3)
    timing.send(b'$F,2,"00:00:00","12:00:29","00:00:29","Green "\r\n')
    qtbot.waitUntil(lambda: controller.reported_laps_to_go == 2)
    assert window.header.flag.text().strip() == "GREEN"
    timing.send(b'$F,1,"00:00:00","12:00:30","00:00:30","Green "\r\n')
    qtbot.waitUntil(lambda: window.header.flag.text().strip() == "WHITE")
    window.set_board_mode(True)  # the wall, as it comes up, says the same
    assert window.scoreboard.band.flag is Flag.WHITE
    window.set_board_mode(False)
    timing.send(b'$J,"31","00:00:14.000","00:00:42.000"\r\n')
    timing.send(b'$F,0,"00:00:00","12:00:43","00:00:43","Finish"\r\n')
    qtbot.waitUntil(lambda: window.header.flag.text().strip() == "CHECKERED")
    assert controller.engine.flag is Flag.CHECKERED  # the timing system's own, as sent
    window.close()
    timing.close()


def test_every_flag_has_its_words_and_colours_everywhere_it_is_shown() -> None:
    from pathlib import Path

    from timingboard.feeds.rmonitor_writer import FLAG_TEXT as WIRE
    from timingboard.qt.theme import THEMES
    from timingboard.text.session_text import FLAG_TEXT
    from timingboard.widgets.chart_parts import CAUTION_COLOURS
    from timingboard.widgets.entry_panel import FLAG_KEYS, FLAG_NAMES
    from timingboard.widgets.scoreboard import BAND_FLAG_TEXT

    static = Path(__file__).parents[1] / "timingboard" / "web" / "static"
    css, js = (static / "app.css").read_text(), (static / "app.js").read_text()
    for flag in Flag:
        assert flag in FLAG_TEXT and flag in BAND_FLAG_TEXT and flag in WIRE
        assert flag in FLAG_KEYS and flag in FLAG_NAMES
        assert all(flag in theme.flags for theme in THEMES.values())
        assert f'header[data-flag="{flag}"]' in css and f"{flag}: " in js, flag
    assert set(CAUTION_COLOURS) == {Flag.YELLOW, Flag.FULL_COURSE_YELLOW, Flag.RED}
