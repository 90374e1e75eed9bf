"""Journeys through the real window, as a user walks them: New session to PDF, demo then New
session, a feed connected, dropped and left. Keys go to whatever has the focus, menus are picked,
dialogs are typed into; the asserts read what the window shows and the files written.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from journey import (
    Dialogs,
    FakeTime,
    User,
    demo_window,
    file_dialog_answer,
    ok_button,
    open_window,
    suggested_file_answer,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from race_scripts import QUARTER_MILE_QUALIFYING

from timingboard.qt.leaderboard_model import Column
from timingboard.qt.passings_model import PassingColumn
from timingboard.store.recorder import SessionRecorder
from timingboard.widgets.entry_panel import GOOD, WARNING
from timingboard.widgets.session_dialog import NewSessionDialog

SHOTS = Path(__file__).resolve().parents[1] / "build" / "journeys"
CARS = ("31", "8", "20")  # the order they cross the line, lap after lap


@pytest.fixture
def practice_file(tmp_path: Path) -> Path:
    """A session saved earlier, opened with ``timingboard open`` to start the evening."""
    path = tmp_path / "practice.tbs"
    SessionRecorder.create(path, QUARTER_MILE_QUALIFYING).close()
    return path


def new_race_answers(user: User, path: Path, suggested: bool = False):
    """File ▸ New session: Heat 1, a 10-lap race on the quarter-mile; then its file name."""

    def fill(dialog) -> None:
        assert isinstance(dialog, NewSessionDialog)
        user.fill(dialog.name, "Heat 1")
        user.tab_to(dialog.kind)
        user.type("R")  # the combo box jumps to Race
        user.fill(dialog.track, "Coliseum")
        user.fill(dialog.length, "0.250")
        user.fill(dialog.laps, "10")
        user.fill(dialog.min_lap, "8.0")
        user.click(ok_button(dialog))

    name = suggested_file_answer(user, path) if suggested else file_dialog_answer(user, path)
    return [(NewSessionDialog, fill), (QFileDialog, name)]


def expect_all(dialogs: Dialogs, answers) -> None:
    for kind, act in answers:
        dialogs.expect(kind, act)


# Offscreen windows cannot be raised nor grab the keyboard (dialogs and completer popups ask).
JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


@JOURNEY_LOG
def test_manual_race_from_new_session_to_pdf(
    qtbot, tmp_path, practice_file, dialogs, monkeypatch
) -> None:
    clock = FakeTime().install(monkeypatch)
    user = User(qtbot, open_window(practice_file, tmp_path / "settings.ini"))
    user.show()
    assert user.focused() is user.window.entry_panel.car_field  # `open`: ready to type

    race = tmp_path / "heat-1.tbs"  # offered beside the session shown, after the new one's name
    expect_all(dialogs, new_race_answers(user, race, suggested=True))
    user.choose("File", "New session")
    assert dialogs.unexpected == [] and dialogs.expected == []
    assert race.is_file()
    title = user.window.windowTitle()
    assert "Heat 1 — heat-1.tbs — LIVE" in title, title
    assert "practice.tbs" not in user.status() and "heat-1.tbs" in user.status()
    user.activate()
    qtbot.waitUntil(lambda: user.focused() is user.window.entry_panel.car_field)

    user.press(Qt.Key.Key_F5)  # green
    qtbot.waitUntil(lambda: user.header()["flag"] == "GREEN")
    for car in CARS:  # the cars take the green: no entry list, so each number is a new car
        clock.advance(0.4)
        user.enter(car)
        assert user.entry_message()[0] == f"Car {car}: start of lap 1"
    for lap in range(1, 11):
        for i, car in enumerate(CARS):
            clock.advance(13.4 if i == 0 else 0.5)
            if lap == 4 and car == "8":
                qtbot.waitUntil(lambda: len(user.column(Column.CAR)) == 3)
                user.click_cell(2, Column.DRIVER)  # the operator looked something up
                assert user.focused() is user.window.board
            user.enter(car)
            if lap < 10:
                assert user.entry_message() == (f"Car {car}: lap {lap}", f"color: {GOOD};")
        if lap == 3:  # a double read: the same car again at once
            clock.advance(0.2)
            user.enter("20")
            text, style = user.entry_message()
            # and why: 0.2 s on the fake clock (0.199 where its float sum falls just short)
            assert re.match(r"Car 20: double read — not counted \(0\.(199|200) s after", text)
            assert text.endswith(" s after its last crossing)")
            assert WARNING in style
            user.press(Qt.Key.Key_Escape)
            assert user.entry_message() == ("Cleared.", "")  # no colour carried over
        if lap == 5:
            qtbot.waitUntil(lambda: user.header()["remaining"] == "5 laps to go")
            assert user.column(Column.CAR) == list(CARS)  # a race: ranked by laps, then order
            assert int(user.column(Column.LAPS_LED)[0]) >= 4  # the leader has led laps
            assert "mph" in user.header()["best"]

    qtbot.waitUntil(lambda: user.header()["remaining"] == "Finished")
    qtbot.waitUntil(lambda: user.column(Column.LAPS) == ["10", "10", "10"])
    assert user.column(Column.CAR) == list(CARS)
    led = user.column(Column.LAPS_LED)
    assert int(led[0]) >= 9
    assert "— finished" in user.entry_message()[0]
    finished_at = user.header()["clock"]
    clock.advance(90)  # the cars cool down; the race clock stands at the finish
    qtbot.wait(300)
    assert user.header()["clock"] == finished_at
    assert user.window.controller.clock_ms() == user.window.controller.engine.clock_ms

    pdf = tmp_path / "heat1-results.pdf"
    dialogs.expect(QFileDialog, file_dialog_answer(user, pdf, "PDF, A4"))
    user.choose("File", "Export results")
    qtbot.waitUntil(lambda: pdf.is_file() or bool(dialogs.unexpected))  # the dialog is window-modal
    assert dialogs.unexpected == []
    assert pdf.read_bytes().startswith(b"%PDF")
    assert f"Results exported to {pdf}" in user.status()
    from pypdf import PdfReader

    text = " ".join(PdfReader(str(pdf)).pages[0].extract_text().split())
    assert text.startswith("Heat 1 PROVISIONAL")
    assert "Kind: Race Track: Coliseum" in text and "Page 1 of 1" in text
    rows = text[text.index("Pos Car Driver") : text.index("Fastest laps")]
    placed = re.findall(r"(?:^|\s)([123]) (\d+) 10 ", rows)  # position, car, laps
    assert placed == [("1", "31"), ("2", "8"), ("3", "20")]

    dialogs.expect(QFileDialog, file_dialog_answer(user, race))
    user.choose("File", "Open session")
    assert dialogs.unexpected == []
    qtbot.waitUntil(lambda: user.column(Column.CAR) == list(CARS))
    assert user.column(Column.LAPS_LED) == led  # the same race after reopening
    assert user.header()["remaining"] == "Finished"
    user.screenshot(SHOTS / "manual-race-to-pdf.png")
    user.window.close()


def test_a_race_from_the_dialog_is_a_race(qapp) -> None:
    """The dialog gives the engine enum members, not the strings QComboBox makes of them."""
    from timingboard.engine import LengthUnit, SessionKind

    dialog = NewSessionDialog()
    dialog.kind.setCurrentIndex(dialog.kind.findText("Race"))
    dialog.unit.setCurrentIndex(dialog.unit.findText("kilometres"))
    settings = dialog.settings()
    assert settings.kind is SessionKind.RACE and settings.is_race
    assert settings.length_unit is LengthUnit.KILOMETRES
    assert settings.length_unit.speed_label == "km/h"
    dialog.deleteLater()


def test_settings_take_plain_strings_as_their_enums() -> None:
    from timingboard.engine import LengthUnit, SessionKind, SessionSettings

    settings = SessionSettings(name="x", kind="race", length_unit="km")  # type: ignore[arg-type]
    assert settings.kind is SessionKind.RACE and settings.is_race
    assert settings.length_unit is LengthUnit.KILOMETRES
    with pytest.raises(ValueError):
        SessionSettings(name="x", kind="sprint")  # type: ignore[arg-type]


@JOURNEY_LOG
def test_demo_then_new_session_and_typing(qtbot, tmp_path, dialogs, monkeypatch) -> None:
    clock = FakeTime().install(monkeypatch)
    window, runner = demo_window(tmp_path / "demo", tmp_path / "settings.ini", speed=40)
    user = User(qtbot, window)
    user.show()
    runner.start()
    qtbot.waitUntil(lambda: int(user.header()["passings"].split()[0]) > 20, timeout=10000)
    assert "LIVE (demo)" in window.windowTitle()

    race = tmp_path / "heat.tbs"
    expect_all(dialogs, new_race_answers(user, race))
    user.choose("File", "New session")
    assert dialogs.unexpected == []
    assert "Heat 1 — heat.tbs — LIVE ·" in window.windowTitle()
    assert user.status() == f"Demo stopped. Session file: {race}"
    user.activate()
    qtbot.wait(500)  # the demo had events due: none of them may land here
    assert user.header()["passings"] == "0 passings"

    user.press(Qt.Key.Key_F5)
    clock.advance(0.5)
    user.enter("31")  # a new car, added at once: the session has no entry list
    assert user.entry_message()[0] == "Car 31: start of lap 1"
    clock.advance(13.4)
    user.enter("31")
    assert user.entry_message() == ("Car 31: lap 1", f"color: {GOOD};")
    qtbot.waitUntil(lambda: len(user.passings(PassingColumn.TIME)) == 2)
    times = user.passings(PassingColumn.TIME)
    assert "0:00:00.000" not in times and times[0] != times[1]
    assert user.passings(PassingColumn.STATUS)[0] != "double read"
    qtbot.waitUntil(lambda: user.column(Column.CAR) == ["31"])
    assert user.column(Column.LAPS) == ["1"]
    assert user.header()["clock"] != "0:00:00"
    user.screenshot(SHOTS / "demo-then-new-session.png")
    window.close()


class Simulator:
    """``timingboard simulate`` in this process: the demo served as RMonitor on loopback."""

    def __init__(self, folder: Path, speed: float) -> None:
        from timingboard.demo.clash import qualifying
        from timingboard.qt.demo_runner import DemoRunner
        from timingboard.qt.rmonitor_server import RMonitorServer
        from timingboard.qt.session_controller import SessionController

        folder.mkdir(parents=True, exist_ok=True)
        self.controller = SessionController(
            SessionRecorder.create(folder / "00-setup.tbs", qualifying(31).settings)
        )
        self.server = RMonitorServer(self.controller)
        assert self.server.listen(0)
        self.port = self.server.port
        self.runner = DemoRunner(self.controller, folder, speed=speed, loop=True)
        self.runner.start()

    def drop(self) -> None:
        """The timing system goes away (a cable pulled, Orbits restarted)."""
        self.server.close()

    def come_back(self) -> None:
        assert self.server.listen(self.port)

    def close(self) -> None:
        self.runner.stop()
        self.server.close()
        self.controller.close()


@pytest.fixture
def simulator(tmp_path, qapp):
    served = Simulator(tmp_path / "simulator", speed=20)
    yield served
    served.close()


def connect_answer(user: User, address: str, folder: Path):
    def fill(dialog) -> None:
        user.fill(dialog.address, address)
        user.fill(dialog.folder, str(folder))
        user.click(ok_button(dialog))

    return fill


def connect(user: User, dialogs: Dialogs, address: str, folder: Path) -> None:
    from timingboard.widgets.feed_dialogs import ConnectDialog

    dialogs.expect(ConnectDialog, connect_answer(user, address, folder))
    user.choose("Feed", "Connect to timing feed")
    assert dialogs.unexpected == []


def link(user: User) -> str:
    return user.window.feed.link_label.text()


def dead_port() -> int:
    from PySide6.QtNetwork import QHostAddress, QTcpServer

    server = QTcpServer()
    assert server.listen(QHostAddress.SpecialAddress.LocalHost, 0)
    port = server.serverPort()
    server.close()
    return port


@JOURNEY_LOG
def test_connect_drop_reconnect_disconnect_then_type(
    qtbot, tmp_path, practice_file, dialogs, simulator, monkeypatch
) -> None:
    clock = FakeTime().install(monkeypatch)
    user = User(qtbot, open_window(practice_file, tmp_path / "settings.ini"))
    user.show()
    user.press(Qt.Key.Key_F5)
    clock.advance(1.0)
    user.enter("31")
    user.press(Qt.Key.Key_Return)  # a new car

    # A timing system that is not there yet: connect, give up, go on by hand.
    connect(user, dialogs, f"127.0.0.1:{dead_port()}", tmp_path / "feed")
    assert "FOLLOWING (waiting for the feed)" in user.window.windowTitle()
    user.activate()
    user.choose("Feed", "Disconnect")
    assert link(user) == "Feed: not connected"
    assert user.status() == f"Feed disconnected. Session file: {practice_file}"
    assert "LIVE ·" in user.window.windowTitle()
    clock.advance(20.0)
    user.enter("31")
    qtbot.waitUntil(lambda: len(user.passings(PassingColumn.TIME)) == 2)
    assert user.passings(PassingColumn.TIME)[0].startswith("0:00:21.")  # not at time 0
    assert user.entry_message() == ("Car 31: lap 1", f"color: {GOOD};")

    # The simulator: connect, follow, the link drops and comes back, then leave it.
    connect(user, dialogs, f"127.0.0.1:{simulator.port}", tmp_path / "feed")
    qtbot.waitUntil(lambda: user.window.windowTitle().count("FOLLOWING ·") == 1, timeout=5000)
    assert "feed-0" in user.window.windowTitle()
    qtbot.waitUntil(lambda: len(user.column(Column.CAR)) > 0, timeout=5000)
    simulator.drop()
    qtbot.waitUntil(lambda: link(user).startswith("Feed: link lost, retrying"), timeout=5000)
    simulator.come_back()
    qtbot.waitUntil(lambda: link(user).startswith("Feed: connected"), timeout=10000)
    shown, title = int(user.header()["passings"].split()[0]), user.window.windowTitle()
    qtbot.waitUntil(  # more of this session, or the timing system's next one
        lambda: (
            int(user.header()["passings"].split()[0]) > shown or user.window.windowTitle() != title
        ),
        timeout=10000,
    )
    user.activate()
    # The heat after qualifying: only its own 9 cars, and the laps to go the timing system says
    told = "laps to go (timing system)"
    qtbot.waitUntil(lambda: user.header()["remaining"].endswith(told), timeout=30000)
    qtbot.waitUntil(lambda: len(user.column(Column.CAR)) == 9)
    assert "Heat" in user.header()["session"]
    qtbot.waitUntil(lambda: len(user.passings(PassingColumn.TIME)) > 0, timeout=10000)
    user.choose("Feed", "Disconnect")  # in the middle of the heat
    # the race goes on on track: the operator times the feed's session by hand, and is told
    assert user.status().startswith("Feed disconnected. Typed passings now go to ")
    assert "feed-0" in user.status()
    title = user.window.windowTitle()
    assert "LIVE (feed disconnected — typed passings go to this file)" in title, title
    assert "feed-0" in title
    qtbot.wait(300)
    feed_times = user.passings(PassingColumn.TIME)
    stood = user.header()["clock"]
    clock.advance(30.0)  # the race goes on with the operator timing by hand
    qtbot.waitUntil(lambda: user.header()["clock"] != stood, timeout=20_000)
    shown_clock = user.header()["clock"]  # race time: the feed's green was its time zero
    before = user.header()["passings"]
    user.enter("31")
    qtbot.waitUntil(lambda: user.header()["passings"] != before)
    qtbot.waitUntil(lambda: len(user.passings(PassingColumn.TIME)) == len(feed_times) + 1)
    typed = user.passings(PassingColumn.TIME)[0]  # newest first: after every feed passing
    assert user.passings(PassingColumn.SOURCE)[0] == "manual"
    assert typed > max(feed_times)  # on the feed's clock, run on by hand: not at time 0
    assert typed.startswith(shown_clock)  # at the time the header showed
    said, style = user.entry_message()
    assert said.startswith("Car 31: ") and GOOD in style, said  # counted, not ignored
    user.screenshot(SHOTS / "feed-connect-drop-disconnect-type.png")
    user.window.close()


@JOURNEY_LOG
def test_opening_a_file_while_following_a_feed_keeps_the_feed_out_of_it(
    qtbot, tmp_path, practice_file, dialogs, simulator
) -> None:
    user = User(qtbot, open_window(practice_file, tmp_path / "settings.ini"))
    user.show()
    connect(user, dialogs, f"127.0.0.1:{simulator.port}", tmp_path / "feed")
    qtbot.waitUntil(lambda: "FOLLOWING ·" in user.window.windowTitle(), timeout=5000)
    qtbot.waitUntil(lambda: user.header()["passings"] != "0 passings", timeout=5000)

    dialogs.expect(QFileDialog, file_dialog_answer(user, practice_file))
    user.choose("File", "Open session")
    assert dialogs.unexpected == []
    assert user.status() == f"Feed disconnected. Session file: {practice_file}"
    assert link(user) == "Feed: not connected"
    assert "practice.tbs — LIVE ·" in user.window.windowTitle()
    before, serving = simulator.controller.engine.seq, simulator.controller.recorder
    qtbot.waitUntil(  # the simulator goes on (maybe into its next session)
        lambda: (
            simulator.controller.recorder is not serving
            or simulator.controller.engine.seq > before + 5
        ),
        timeout=10000,
    )
    qtbot.wait(200)  # whatever the simulator sent has had time to arrive
    assert user.header()["passings"] == "0 passings"
    user.window.close()
    reopened = SessionRecorder.open(practice_file)
    assert not reopened.engine.passings  # nothing of the feed's went into the file
    reopened.close()


@JOURNEY_LOG
def test_connecting_while_the_demo_runs_stops_the_demo(qtbot, tmp_path, dialogs, simulator) -> None:
    window, runner = demo_window(tmp_path / "demo", tmp_path / "settings.ini", speed=40)
    user = User(qtbot, window)
    user.show()
    runner.start()
    qtbot.waitUntil(lambda: user.header()["passings"] != "0 passings", timeout=5000)
    connect(user, dialogs, f"127.0.0.1:{simulator.port}", tmp_path / "feed")
    assert user.status().startswith("Demo stopped.")
    qtbot.waitUntil(lambda: "FOLLOWING ·" in window.windowTitle(), timeout=5000)
    # the feed's own sessions only from here on (qualifying, then the heats, each a new run)
    qtbot.waitUntil(lambda: int(user.header()["passings"].split()[0]) > 5, timeout=15000)
    assert set(user.passings(PassingColumn.SOURCE)) == {"feed"}  # no demo passing among them
    assert "feed-0" in window.windowTitle()
    user.screenshot(SHOTS / "demo-then-connect.png")
    window.close()


@JOURNEY_LOG
def test_a_replay_says_so_in_the_title(qtbot, tmp_path, practice_file, dialogs) -> None:
    user = User(qtbot, open_window(practice_file, tmp_path / "settings.ini"))
    user.show()
    assert user.window.windowTitle() == "Clash qualifying — practice.tbs — LIVE · timingboard"
    dialogs.expect(QFileDialog, file_dialog_answer(user, practice_file))
    user.choose("File", "Replay a session or capture")
    assert dialogs.unexpected == []
    assert user.window.windowTitle() == (
        "Clash qualifying — practice.tbs — REPLAY (read-only) · timingboard"
    )
    assert user.status() == f"Replaying {practice_file}"
    user.window.close()


def _cars(count: int, first: int = 1) -> bytes:
    return b"".join(
        f'$A,"{n}","{n}",{1000 + n},"Driver","{n}","USA",1\r\n'.encode()
        for n in range(first, first + count)
    )


def _crossing(car: int, ms: int) -> bytes:
    s, f = divmod(ms, 1000)
    return f'$J,"{car}","00:00:13.500","00:{s // 60:02d}:{s % 60:02d}.{f:03d}"\r\n'.encode()


def test_a_new_run_lists_only_its_own_cars() -> None:
    """36 in qualifying, then a 9-car heat: with a reset before it or without (our publisher)."""
    from timingboard.feeds.rmonitor_parser import RMonitorParser
    from timingboard.feeds.rmonitor_session import RMonitorMapper

    qualifying = b'$B,1,"Qualifying"\r\n' + _cars(36) + _crossing(1, 20_000) + _crossing(2, 21_000)
    heat = b"".join(_crossing(car, 30_000 + car * 100) for car in range(1, 10))
    for between in (b"", b'$I,"12:00:00.000","01/01/23"\r\n' + _cars(9)):
        mapper = RMonitorMapper()
        mapper.take(RMonitorParser().feed(qualifying + between + b'$B,2,"Heat 1"\r\n' + heat))
        first, second = mapper.sessions
        assert len(first.shown) == 36
        assert sorted(second.shown, key=int) == [str(n) for n in range(1, 10)]


@JOURNEY_LOG
def test_next_session_from_the_results_goes_into_the_event_folder_without_asking(
    qtbot, tmp_path, dialogs, monkeypatch
) -> None:
    from timingboard.demo.clash import qualifying
    from timingboard.widgets.lineup_dialog import LineupDialog

    event, elsewhere = tmp_path / "event", tmp_path / "elsewhere"
    event.mkdir()
    elsewhere.mkdir()
    script = qualifying()
    finished = event / "qualifying.tbs"
    recorder = SessionRecorder.create(finished, script.settings)
    recorder.submit(list(script.competitors))
    recorder.submit([e for _, e in script.events])
    recorder.close()
    user = User(qtbot, open_window(finished, tmp_path / "settings.ini"))
    user.show()

    def accept(dialog) -> None:
        assert isinstance(dialog, LineupDialog)
        user.fill(dialog.name, "Heat")
        user.click(ok_button(dialog))

    dialogs.expect(LineupDialog, accept)  # and no folder dialog: the event's folder is known
    monkeypatch.chdir(elsewhere)  # where the command was started says nothing of the event
    user.choose("File", "Next session from these results")
    assert dialogs.unexpected == [] and dialogs.expected == []
    assert sorted(p.name for p in event.glob("*.tbs")) == ["heat.tbs", "qualifying.tbs"]
    assert list(elsewhere.iterdir()) == []
    assert f"Made Heat (heat.tbs, 36 cars) in {event}: straight-up from " in user.status()
    qtbot.waitUntil(lambda: "heat.tbs" in user.window.windowTitle())


@JOURNEY_LOG
def test_the_charts_start_again_for_the_next_session(qtbot, tmp_path, dialogs) -> None:
    """Car 31 is in both sessions: the next one showed the last one's car 31 curve, and a
    session without laps kept the last one's axes."""
    from timingboard.engine.events import CompetitorSet, Flag, FlagChanged, Passing, Source

    earlier, later = tmp_path / "heat-1.tbs", tmp_path / "heat-2.tbs"
    for path, laps in ((earlier, 4), (later, 0)):
        recorder = SessionRecorder.create(path, QUARTER_MILE_QUALIFYING)
        recorder.submit(
            [CompetitorSet(key="31", car="31"), FlagChanged(time_ms=0, flag=Flag.GREEN)]
        )
        for lap in range(laps + 1):
            recorder.submit([Passing(time_ms=1000 + lap * 61_000, key="31", source=Source.MANUAL)])
        recorder.close()
    window = open_window(earlier, tmp_path / "settings.ini")
    user = User(qtbot, window)
    user.show()
    chart, positions = window.chart, window.charts.positions
    qtbot.waitUntil(lambda: len(chart.curve_data("31")[0]) == 4)
    assert chart.time_range()[1] > 61

    dialogs.expect(QFileDialog, file_dialog_answer(user, later))
    user.choose("File", "Open session")
    assert dialogs.unexpected == []
    qtbot.waitUntil(lambda: window.controller.recorder.file.path == later)
    assert chart.charted == ["31"]
    assert len(chart.curve_data("31")[0]) == 0  # not the last session's laps
    assert chart.time_range()[1] < 61  # nor its axes
    window.charts.tabs.tabBar().setCurrentIndex(1)  # the Positions tab, as a click picks it
    qtbot.waitUntil(positions.isVisible)
    assert len(positions.curve_data("31")[0]) == 0
    window.close()
