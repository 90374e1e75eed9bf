"""The demo: a field that agrees with the 2023 Clash, and the whole evening, each in its file."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from race_scripts import entries

from timingboard.app.run import build_demo_window
from timingboard.demo.clash import FIELD, HEATS, TRANSFERS_A_HEAT, heat_lineups, qualifying
from timingboard.engine import TimingEngine
from timingboard.engine.formatting import format_speed
from timingboard.engine.lineups import transfers
from timingboard.qt.demo_runner import PAUSE_BETWEEN_SESSIONS_MS, QUALIFYING_SPEEDUP
from timingboard.qt.leaderboard_model import Column
from timingboard.store import SessionRecorder
from timingboard.store.progression import finishing_order

EVENING = [
    "busch-light-clash-qualifying.tbs",
    *(f"busch-light-clash-heat-{n}.tbs" for n in range(1, HEATS + 1)),
    "busch-light-clash-feature.tbs",
]


def _entry(car: str) -> tuple[str, str, str, str, int]:
    return next(row for row in FIELD if row[0] == car)


def _qualified(seed: int) -> TimingEngine:
    script = qualifying(seed)
    engine = TimingEngine(script.settings)

    engine.apply(entries([*script.competitors, *(e for _, e in script.events)]))
    return engine


def test_the_field_agrees_with_the_facts() -> None:
    assert _entry("31")[:4] == ("31", "Justin Haley", "Kaulig Racing", "Chevrolet")
    assert _entry("16")[:4] == ("16", "AJ Allmendinger", "Kaulig Racing", "Chevrolet")
    assert _entry("8")[:4] == ("8", "Kyle Busch", "Richard Childress Racing", "Chevrolet")
    assert not [row for row in FIELD if row[0] == "18"]  # Busch left the No. 18 Toyota
    assert len({row[0] for row in FIELD}) == len(FIELD)


@pytest.mark.parametrize("seed", [31, 7, 2023])
def test_qualifying_ends_as_the_clash_did(seed: int) -> None:
    engine = _qualified(seed)
    order = [engine.competitors[k].driver for k in engine.order()]
    assert order[:4] == ["Justin Haley", "Kyle Busch", "Christopher Bell", "William Byron"]
    assert order.index("Joey Logano") == 16  # 17th
    pole = engine.standing("31")
    assert pole.best_lap_ms == 13413
    assert format_speed(engine.settings.speed(pole.best_lap_ms)) == "67.099"


def test_the_heats_line_up_as_the_clash_heats_did() -> None:
    engine = _qualified(31)
    heats = heat_lineups(finishing_order(engine))
    drivers = [[engine.competitors[k].driver for k in heat] for heat in heats]
    assert [heat[0] for heat in drivers] == [
        "Justin Haley",
        "Kyle Busch",
        "Christopher Bell",
        "William Byron",
    ]
    assert drivers[0][:5] == [
        "Justin Haley",
        "Aric Almirola",
        "Alex Bowman",
        "Harrison Burton",
        "Joey Logano",
    ]
    assert drivers[3][1] == "AJ Allmendinger"


def test_racing_starts_within_seconds_at_real_time() -> None:
    """At 1x the first heat's green comes after qualifying shown fast and a short pause."""
    wall_ms = qualifying().duration_ms / QUALIFYING_SPEEDUP + PAUSE_BETWEEN_SESSIONS_MS
    assert wall_ms < 15_000


def test_the_demo_runs_the_whole_evening(tmp_path: Path, qtbot) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window, runner = build_demo_window(1000, 31, False, tmp_path / "demo", settings)
    qtbot.addWidget(window)
    started: list[str] = []
    runner.session_started.connect(started.append)
    with qtbot.waitSignal(runner.finished, timeout=120_000):
        pass
    folder = tmp_path / "demo"
    assert sorted(p.name for p in folder.glob("*.tbs")) == sorted(EVENING)
    assert [s.split(" — ")[0] for s in started] == [
        "Busch Light Clash - Heat 1",
        "Busch Light Clash - Heat 2",
        "Busch Light Clash - Heat 3",
        "Busch Light Clash - Heat 4",
        "Busch Light Clash - Feature",
    ]
    event = json.loads((folder / "event.json").read_text())
    assert [s["file"] for s in event["sessions"]] == EVENING
    assert event["sessions"][-1]["made_from"] == EVENING[1:-1]
    engines = {}
    for name in EVENING:
        recorder = SessionRecorder.open(folder / name)
        engines[name] = recorder.engine
        recorder.close()
    heats = [engines[name] for name in EVENING[1:-1]]
    grids = [sorted(e.competitors.values(), key=lambda c: c.grid or 0) for e in heats]
    assert [g[0].key for g in grids] == ["31", "8", "20", "24"]  # the top four lead the heats
    assert sum(len(g) for g in grids) == len(FIELD)
    for heat in heats:
        assert heat.standing(heat.order()[0]).laps == 25
    feature = engines[EVENING[-1]]
    feature_grid = sorted(feature.competitors.values(), key=lambda c: c.grid or 0)
    expected = transfers([finishing_order(h) for h in heats], TRANSFERS_A_HEAT)
    assert [c.key for c in feature_grid] == expected
    assert feature.standing(feature.order()[0]).laps == 150
    # what the user sees: the feature's finish on the board and in the status bar
    window.board_model.flush()
    model = window.board_model
    assert model.rowCount() == HEATS * TRANSFERS_A_HEAT
    assert model.index(0, Column.LAPS).data() == "150"
    # a short-track feature, not a procession: a close field and more than one leader (the
    # pole-sitter once led all 150 laps, P2 a lap down and 17th four laps down)
    laps = [int(model.index(row, Column.LAPS).data()) for row in range(model.rowCount())]
    assert laps[1] == 150 and laps[4] == 150, laps
    assert 150 - laps[-1] <= 3, laps
    led = [model.index(row, Column.LAPS_LED).data() for row in range(model.rowCount())]
    assert sum(1 for text in led if text and int(text) > 0) >= 2, led
    assert window.header.session.text() == "Busch Light Clash - Feature"
    assert "Feature" in window.statusBar().currentMessage()
    runner.stop()
    window.close()
    window.controller.close()


def test_each_session_of_the_evening_has_its_own_start_one_after_another(
    tmp_path: Path, qtbot
) -> None:
    """The sheets (``timingboard results``) and the Event tab of the demo's evening: qualifying,
    then heat 1 to 4, then the feature, each starting after the one before ended (the four
    heats all read 18:38:20, inside the qualifying's 18:38:18-18:41:37)."""
    import subprocess
    import sys

    from timingboard.store.event_folder import summarise

    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window, runner = build_demo_window(1000, 31, False, tmp_path / "demo", settings)
    qtbot.addWidget(window)
    with qtbot.waitSignal(runner.finished, timeout=120_000):
        pass
    runner.stop()
    window.close()
    window.controller.close()
    folder = tmp_path / "demo"
    spans = []
    for name in EVENING:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "timingboard",
                "results",
                str(folder / name),
                "--format",
                "json",
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        header = json.loads(done.stdout)["header"]
        spans.append((name, header["date"], header["start"], header["end"]))
    # shown 20x fast, the qualifying ran its 3:19 before the heats on the evening's clock; at
    # 1000x the heats and the feature are still to come on it: a sheet prints no time that
    # has not come yet (sheet._clock), the Event tab says when each begins
    _, day, started, ended = spans[0]
    assert started and ended
    assert started < ended
    moments = [f"{day} {started}", f"{day} {ended}"]
    moments += [f"{d} {t}" for _, d, a, b in spans[1:] for t in (a, b) if t]
    assert moments == sorted(moments), spans
    rows = {s.path.name: s for s in summarise(folder)}
    begins = [rows[name].started for name in EVENING]
    assert len(set(begins)) == len(EVENING), begins
    assert begins == sorted(begins) or "00:" in "".join(begins), begins  # past midnight: wraps
    assert begins[1] >= ended[:5], (begins, ended)


def test_the_operator_taking_over_stops_the_demo(tmp_path: Path, qtbot) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window, runner = build_demo_window(50, 31, False, tmp_path / "demo", settings)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: len(window.controller.engine.passings) > 5, timeout=10_000)
    own = tmp_path / "own.tbs"
    assert window.session_actions.new_session(qualifying().settings, own)
    assert not runner.showing_demo
    qtbot.wait(300)  # the demo would have fed dozens of passings by now
    assert len(window.controller.engine.passings) == 0
    window.close()
    window.controller.close()


def test_a_folder_with_an_event_gets_a_new_one(tmp_path: Path, qtbot) -> None:
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / "event.json").write_text('{"sessions": []}\n')
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window, runner = build_demo_window(1, 31, False, folder, settings)
    qtbot.addWidget(window)
    assert runner.folder.parent == folder
    assert (folder / "event.json").read_text() == '{"sessions": []}\n'  # untouched
    runner.stop()
    window.close()
    window.controller.close()


def test_the_simulator_loops_evenings_each_in_its_folder(tmp_path: Path, qtbot) -> None:
    from timingboard.qt.demo_runner import DemoRunner, first_session
    from timingboard.qt.session_controller import SessionController

    controller = SessionController(first_session(tmp_path, 31))
    runner = DemoRunner(controller, tmp_path, seed=31, speed=1000, loop=True)
    started: list[str] = []
    runner.session_started.connect(started.append)
    runner.start()
    qtbot.waitUntil(lambda: len(started) >= 7, timeout=120_000)  # the next evening began
    assert "Qualifying" in started[6] and runner.folder == tmp_path / "evening-2"
    assert json.loads((tmp_path / "evening-2" / "event.json").read_text())["sessions"]
    assert sorted(p.name for p in tmp_path.glob("*.tbs")) == sorted(EVENING)
    runner.stop()
    controller.close()


def test_a_session_file_that_cannot_be_made_stops_the_demo_and_says_why(tmp_path, qtbot) -> None:
    folder = tmp_path / "demo"
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window, runner = build_demo_window(1000, 31, False, folder, settings)
    qtbot.addWidget(window)
    (folder / "busch-light-clash-heat-3.tbs").write_text("the user's own file")
    with qtbot.waitSignal(runner.failed, timeout=60_000) as stopped:
        pass
    assert "busch-light-clash-heat-3.tbs" in stopped.args[0]
    assert "the demo stopped" in window.statusBar().currentMessage()
    assert (folder / "busch-light-clash-heat-3.tbs").read_text() == "the user's own file"
    window.close()
    window.controller.close()


@pytest.mark.parametrize("seed", [31, 7, 2023])
def test_no_lap_of_the_feature_is_faster_than_the_pole(seed: int) -> None:
    """A 150-lap field spreads over more than a lap; its caution once sent the back of the
    field back in time (laps of 0.35 s, a session best of 8.976 s on the quarter-mile)."""
    from timingboard.demo.clash import heat_race
    from timingboard.engine import LogEntry

    grid = [row[0] for row in FIELD[:20]]
    script = heat_race(grid, seed, 150, 99, "Busch Light Clash - Feature")
    engine = TimingEngine(script.settings)
    events = [*script.competitors, *(event for _, event in script.events)]
    engine.apply([LogEntry(i + 1, e) for i, e in enumerate(events)])
    laps = [lap.duration_ms for key in engine.entries for lap in engine.laps(key)]
    assert min(laps) >= 13_413
    assert engine.standings()[0].laps == 150


@pytest.mark.parametrize("seed", [31, 7, 2023])
def test_the_feature_has_cautions_lead_changes_and_a_close_field(seed: int) -> None:
    from timingboard.demo.clash import heat_race
    from timingboard.engine import LogEntry
    from timingboard.engine.events import Flag, FlagChanged

    grid = [row[0] for row in FIELD[:20]]
    script = heat_race(grid, seed, 150, 99, "Busch Light Clash - Feature")
    engine = TimingEngine(script.settings)
    events = [*script.competitors, *(event for _, event in script.events)]
    engine.apply([LogEntry(i + 1, e) for i, e in enumerate(events)])
    yellows = [e for _, e in script.events if isinstance(e, FlagChanged) and e.flag is Flag.YELLOW]
    assert len(yellows) >= 3
    leaders = [
        min(engine.entries, key=lambda key, n=n: _lap_end(engine, key, n)) for n in range(1, 151)
    ]
    assert sum(a != b for a, b in pairwise(leaders)) >= 2
    standings = engine.standings()
    assert standings[1].laps == 150
    assert 150 - standings[-1].laps <= 3


def _lap_end(engine: TimingEngine, key: str, number: int) -> int:
    laps = [lap for lap in engine.laps(key) if lap.number == number]
    return laps[0].time_ms if laps else 1 << 40


def _heats(seed: int) -> list:
    from timingboard.demo.clash import HEAT_LAPS, heat_race

    grids = heat_lineups(finishing_order(_qualified(seed)))
    return [heat_race(grid, seed, HEAT_LAPS, n) for n, grid in enumerate(grids, start=1)]


@pytest.mark.parametrize("seed", [31, 7])
def test_the_heats_cautions_and_laps_vary_as_a_short_track_heats_do(seed: int) -> None:
    """The walk: every heat went yellow on lap 11 for exactly 58 s, its laps under yellow were
    exactly 21.000 s, and a car's laps hovered on one value. Now each heat's one caution comes
    at its own lap and lasts its own time, pace-car laps differ, and a run's laps have a shape
    (cold tyres, then wear) and the odd slide; the same seed still gives the same evening."""
    from timingboard.engine import LogEntry
    from timingboard.engine.events import Flag, FlagChanged

    heats = _heats(seed)
    assert [h.events for h in heats] == [h.events for h in _heats(seed)]  # repeatable
    yellow_laps, caution_s, caution_laps = [], [], []
    for script in heats:
        engine = TimingEngine(script.settings)
        events = [*script.competitors, *(event for _, event in script.events)]
        engine.apply([LogEntry(i + 1, e) for i, e in enumerate(events)])
        flags = [e for _, e in script.events if isinstance(e, FlagChanged)]
        yellows = [f for f in flags if f.flag is Flag.YELLOW]
        assert len(yellows) == 1  # one caution a heat, as the README says
        green = next(f for f in flags if f.flag is Flag.GREEN and f.time_ms > yellows[0].time_ms)
        caution_s.append(green.time_ms - yellows[0].time_ms)
        winner = engine.order()[0]
        laps = engine.laps(winner)
        yellow_laps.append(next(lap.number for lap in laps if lap.time_ms > yellows[0].time_ms))
        under = [
            lap.duration_ms for lap in laps if yellows[0].time_ms < lap.time_ms <= green.time_ms
        ]
        caution_laps += under[1:]  # past the lap the yellow came out in
        racing = [lap.duration_ms for lap in laps if lap.duration_ms < 16_000]
        assert len(set(racing)) >= 0.8 * len(racing), racing  # not one value again and again
        assert max(racing) - min(racing) >= 400, racing  # cold tyres, wear, a slide
        assert engine.standing(winner).laps == 25
    assert len(set(yellow_laps)) > 1, yellow_laps
    assert len(set(caution_s)) == len(caution_s), caution_s
    assert len(set(caution_laps)) == len(caution_laps) and 21_000 not in caution_laps
    assert all(18_000 <= ms <= 25_000 for ms in caution_laps), caution_laps
