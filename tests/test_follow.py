"""``timingboard follow``: a desk window following another board through a real Mosquitto.

The publisher is a real board (its window, its LiveTiming on the broker) fed by a session; the
follower is the window ``timingboard follow`` builds. They are compared as a user sees them:
the cell texts of the board, the header, the title, the status bar.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from journey import status_cut
from live_helpers import broker, command, free_port
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from race_scripts import QUARTER_MILE_RACE, field

from timingboard.app.follow_run import build_follow_window
from timingboard.app.live_timing import LiveOptions, LiveTiming
from timingboard.engine import Flag, FlagChanged, Passing
from timingboard.engine.events import CompetitorSet
from timingboard.feeds.live_follow import parse_follow_url
from timingboard.qt.leaderboard_model import Column

CARS = ["31", "8", "20", "24"]
WAIT_MS = 20_000  # a broker that comes back is retried within 1 to 10 s


def _cells(window) -> list[list[str]]:
    model = window.board_model
    model.flush()
    return [
        [str(model.index(row, column).data() or "") for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def _header(window) -> list[str]:
    header = window.header
    labels = (header.session, header.flag, header.clock, header.remaining, header.best)
    return [label.text() for label in labels]


def _race(controller, laps: range, field_too: bool = False) -> None:
    if field_too:
        controller.submit([*field(CARS), FlagChanged(time_ms=0, flag=Flag.GREEN)])
    for lap in laps:
        for i, car in enumerate(["8", "31", "24", "20"] if lap % 2 else CARS):
            controller.submit([Passing(time_ms=1000 + lap * 13_500 + i * 150, car=car)])


@pytest.fixture
def boards(make_controller, show_window, qtbot, tmp_path: Path):
    """``publisher(port)``: a board publishing to the broker; ``follower(url)``: the follow
    window, built as the command builds it. Both are closed after the test."""
    made: list = []

    def publisher(port: int, event: str = "clash", name: str = "heat-1.tbs"):
        controller = make_controller(QUARTER_MILE_RACE, name)
        window = show_window(controller)
        timing = LiveTiming(controller, LiveOptions(mqtt=("127.0.0.1", port), mqtt_event=event))
        timing.start()
        made.append(timing)
        return controller, window, timing

    def follower(url: str):
        settings = QSettings(str(tmp_path / "follow.ini"), QSettings.Format.IniFormat)
        window, client, mode = build_follow_window(parse_follow_url(url), settings)
        qtbot.addWidget(window)
        made.extend([window.controller, client])
        return window, client, mode

    yield publisher, follower
    for thing in reversed(made):
        thing.close()


def _same_board(qtbot, publishing, following) -> None:
    qtbot.waitUntil(lambda: _cells(following) == _cells(publishing) != [], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: _header(following) == _header(publishing), timeout=WAIT_MS)


def test_a_board_joining_late_shows_the_publishers_rows_flag_and_laps_to_go(
    boards, qtbot, tmp_path: Path
) -> None:
    publisher, follower = boards
    with broker(tmp_path) as mosquitto:
        controller, desk, timing = publisher(mosquitto.port)
        _race(controller, range(3), field_too=True)
        qtbot.waitUntil(timing.mqtt.connected.is_set)
        window, _client, _ = follower(mosquitto.url())
        _same_board(qtbot, desk, window)
        # the board is shown: not "waiting for the publishing board" until the next change
        assert window.windowTitle() == "Heat 1 — FOLLOWING (read-only) · timingboard"
        window.resize(1280, 800)
        notice = window.read_only_notice.label  # its line is read whole, not cut
        qtbot.waitUntil(lambda: notice.isVisible() and notice.width() > 0)
        assert notice.width() >= notice.sizeHint().width(), notice.text()
        _race(controller, range(3, 6))
        controller.submit([FlagChanged(time_ms=90_000, flag=Flag.YELLOW)])
        _same_board(qtbot, desk, window)
        assert window.header.flag.text().strip() == "YELLOW"
        assert "laps to go" in window.header.remaining.text()
        assert window.windowTitle() == "Heat 1 — FOLLOWING (read-only) · timingboard"
        link = window.findChild(type(window.header.flag), "followLink")
        assert link.text() == f"Following {mosquitto.url()} — connected"
        assert not window.feed.link_label.isVisible()  # no "Feed: not connected" beside it
        qtbot.waitUntil(lambda: window.header.passings.text() == desk.header.passings.text())
        assert window.header.passings.isVisible() and desk.header.passings.text() == "24 passings"
        bar = window.statusBar()
        assert bar.currentMessage() == "Showing Heat 1"
        beside = sum(w.width() for w in bar.findChildren(type(link)) if w.isVisible())
        room = bar.width() - beside
        assert bar.fontMetrics().horizontalAdvance(bar.currentMessage()) < room  # read whole
        assert [row[Column.CAR] for row in _cells(window)] == [
            s.car for s in controller.engine.standings()
        ]


def test_a_board_whose_broker_drops_and_returns_catches_up(boards, qtbot, tmp_path: Path) -> None:
    publisher, follower = boards
    with broker(tmp_path) as mosquitto:
        controller, desk, _ = publisher(mosquitto.port)
        _race(controller, range(2), field_too=True)
        window, client, _ = follower(mosquitto.url())
        _same_board(qtbot, desk, window)
        silence = [0.0]
        client.health.clock = lambda: silence[0]
        client.health.touch()
        mosquitto.stop()
        qtbot.waitUntil(lambda: "LOST, retrying" in client.link_text(), timeout=WAIT_MS)
        _race(controller, range(2, 5))  # the race goes on while the broker is away
        silence[0] = 12.0  # twelve seconds without a word
        client.health.check()
        assert window.feed_watch.banner.text() == "FOLLOW LOST — last data 0:12 ago"
        assert window.feed_watch.banner.isVisibleTo(window)
        assert window.header.flag.text().endswith("? ") and "(stale)" in window.header.clock.text()
        assert _cells(window) != _cells(desk)  # the last known board, said to be so
        qtbot.waitUntil(lambda: client.failed_tries >= 1, timeout=WAIT_MS)
        assert "LOST, retrying" in client.link_text()  # a failed retry: still lost
        mosquitto.start()
        _same_board(qtbot, desk, window)
        assert not window.feed_watch.banner.isVisibleTo(window)
        assert "?" not in window.header.flag.text()
        assert client.link_text().endswith(" — connected")


def test_a_lost_delta_is_asked_for_and_the_publisher_answers_at_once(
    boards, qtbot, tmp_path: Path, monkeypatch
) -> None:
    from timingboard.feeds.live_follow import Step
    from timingboard.web import mqtt_publisher

    monkeypatch.setattr(mqtt_publisher, "SNAPSHOT_EVERY_S", 3600.0)  # only an answer can mend it
    publisher, follower = boards
    with broker(tmp_path) as mosquitto:
        controller, desk, _ = publisher(mosquitto.port)
        _race(controller, range(2), field_too=True)
        window, client, _ = follower(mosquitto.url())
        _same_board(qtbot, desk, window)
        take, lost = client.stream.take, []

        def losing_one(topic: str, payload: bytes) -> Step:
            if topic.endswith("/delta") and not lost:
                lost.append(payload)
                return Step()
            return take(topic, payload)

        monkeypatch.setattr(client.stream, "take", losing_one)
        _race(controller, range(2, 4))
        qtbot.waitUntil(lambda: bool(lost) and client.stream.gaps == 1, timeout=WAIT_MS)
        _same_board(qtbot, desk, window)
        assert not client.stream.waiting


def test_a_broker_down_at_the_start_is_waited_for(boards, qtbot, tmp_path: Path) -> None:
    _, follower = boards
    mosquitto_port = free_port()
    window, client, _ = follower(f"mqtt://127.0.0.1:{mosquitto_port}/timingboard/clash")
    qtbot.waitUntil(lambda: "not reachable, retrying" in client.link_text(), timeout=WAIT_MS)
    assert window.isVisible()
    assert "FOLLOWING (read-only, waiting for the publishing board)" in window.windowTitle()
    assert _cells(window) == []
    with broker(tmp_path) as mosquitto:
        assert mosquitto.port != mosquitto_port  # a broker elsewhere changes nothing here
        client.close()


def test_the_broker_comes_up_after_the_follower(boards, qtbot, tmp_path: Path) -> None:
    publisher, follower = boards
    from live_helpers import Broker

    mosquitto = Broker(tmp_path)
    window, client, _ = follower(mosquitto.url())
    qtbot.waitUntil(lambda: "not reachable, retrying" in client.link_text(), timeout=WAIT_MS)
    mosquitto.start()
    try:
        controller, desk, _timing = publisher(mosquitto.port)
        _race(controller, range(2), field_too=True)
        _same_board(qtbot, desk, window)
    finally:
        for thing in (client,):
            thing.close()
        mosquitto.stop()


def test_an_event_topic_moves_on_with_the_board_and_a_session_topic_stays(
    boards, make_controller, qtbot, tmp_path: Path
) -> None:
    publisher, follower = boards
    with broker(tmp_path) as mosquitto:
        controller, desk, _ = publisher(mosquitto.port)
        _race(controller, range(2), field_too=True)
        url = mosquitto.url()
        event, _, _ = follower(url)
        session, _, _ = follower(url + "/heat-1")
        _same_board(qtbot, desk, event)
        _same_board(qtbot, desk, session)
        heat_1 = _cells(desk)
        from timingboard.store import SessionRecorder

        feature = QUARTER_MILE_RACE.__class__(name="Feature", kind="race", race_laps=20)
        recorder = SessionRecorder.create(tmp_path / "feature.tbs", feature)
        controller.load(recorder)
        controller.submit([*field(["16", "31"]), FlagChanged(time_ms=0, flag=Flag.GREEN)])
        controller.submit([Passing(time_ms=14_000, car="16")])
        _same_board(qtbot, desk, event)
        assert event.windowTitle() == "Feature — FOLLOWING (read-only) · timingboard"
        assert _cells(session) == heat_1  # that session's board, as it was left
        assert session.windowTitle().startswith("Heat 1 — FOLLOWING")


def test_what_would_change_the_session_is_refused_or_disabled(
    boards, qtbot, tmp_path: Path
) -> None:
    publisher, follower = boards
    with broker(tmp_path) as mosquitto:
        controller, desk, _ = publisher(mosquitto.port)
        _race(controller, range(2), field_too=True)
        window, _client, mode = follower(mosquitto.url())
        _same_board(qtbot, desk, window)
        window.resize(1280, 800)  # the walk's screen: each refusal read whole in the bar
        qtbot.waitUntil(lambda: window.statusBar().width() == 1280)
        assert not window.entry_panel.isEnabled()
        assert "READ-ONLY: following the publishing board" in window.read_only_notice.shown
        for action in (
            window.results.export_action,
            window.results.lineup_action,
            window.official.declare_action,
            window.copy_actions.save_copy_action,
            window.entries.import_action,
            window.feed.publish_action,
        ):
            assert not action.isEnabled(), action.text()
        window.board.car_action_requested.emit("time_penalty", "31", None)  # its context menu
        assert "Read-only: this board follows" in window.statusBar().currentMessage()
        assert status_cut(window) == ""
        assert QApplication.activeModalWidget() is None  # no dialog opened for it
        assert not window.controller.submit([CompetitorSet(key="99", car="99")])
        assert "following the publishing board" in window.statusBar().currentMessage()
        assert status_cut(window) == ""
        assert not window.charts.isVisibleTo(window)
        # the panes the published board does not carry say where they are, not stand empty
        titles = {name: dock.windowTitle() for name, dock in window.docks.items()}
        assert titles["passings"] == "Passings — kept on the publishing board"
        assert titles["audit"] == "Corrections — kept on the publishing board"
        assert titles["event"] == "Event — kept on the publishing board"
        assert titles["entry"] == "Entry"
        # what reads the published board works: board mode, columns
        window.set_board_mode(True)
        qtbot.waitUntil(lambda: window.scoreboard.isVisible())
        texts = window.scoreboard.table.model().index(0, 1).data()
        assert texts
        window.set_board_mode(False)
        window.column_actions[Column.TEAM].setChecked(True)
        window.resize(1280, 800)  # room for the team (an 800 px screen's board has none)
        assert not window.board.isColumnHidden(Column.TEAM)
        window.board.setFocus()
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_3)
        assert not window.entry_panel.car_field.text()  # nothing is taken by typing either
        assert not list(tmp_path.glob("**/*.tbs*")) or all(
            p.name.startswith(("heat-1", "feature")) for p in tmp_path.glob("**/*.tbs*")
        )  # the follower wrote no session file
        assert mode.on


# --- the command, run as a user runs it ---------------------------------------------------------


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "config"
    folder.mkdir()
    return folder


def test_follow_shows_the_demo_published_by_another_board(home, tmp_path: Path) -> None:
    with broker(tmp_path) as mosquitto:
        demo = command(
            home,
            "demo",
            "--speed",
            "20",
            "--dir",
            str(tmp_path / "demo"),
            "--mqtt",
            f"127.0.0.1:{mosquitto.port}",
            "--mqtt-event",
            "Clash 2023",
        )
        demo.wait_for(r"broker 127\.0\.0\.1:\d+ topic timingboard/Clash-2023")
        demo.wait_for(r"the demo's sessions are kept in")
        before = set(tmp_path.rglob("*"))
        board = command(home, "follow", mosquitto.url("timingboard/Clash-2023"))
        board.wait_for(r"following mqtt://127\.0\.0\.1:\d+/timingboard/Clash-2023 \(read-only")
        board.wait_for(r"showing Busch Light Clash")
        board.stop_cleanly()
        demo.stop_cleanly()
    written = set(tmp_path.rglob("*")) - before
    demo_folder, settings = tmp_path / "demo", home
    assert not [p for p in written if demo_folder not in p.parents and settings not in p.parents]


def test_follow_waits_for_a_broker_that_is_not_there(home) -> None:
    board = command(home, "follow", f"mqtt://127.0.0.1:{free_port()}/timingboard/clash")
    board.wait_for(r"following mqtt://127\.0\.0\.1:\d+/timingboard/clash \(read-only")
    board.stop_cleanly()


BAD_URLS = {
    "no scheme": ("127.0.0.1:1883/timingboard/clash", "names no broker"),
    "wrong scheme": ("http://127.0.0.1:1883/timingboard/clash", "only mqtt://"),
    "no topic": ("mqtt://127.0.0.1:1883", "names no topic"),
    "no topic but a slash": ("mqtt://127.0.0.1:1883/", "names no topic"),
    "bad port": ("mqtt://127.0.0.1:99999/timingboard/clash", "bad port"),
    "port not a number": ("mqtt://127.0.0.1:port/timingboard/clash", "bad port"),
    "no host": ("mqtt://:1883/timingboard/clash", "names no broker host"),
    "a wildcard": ("mqtt://127.0.0.1:1883/timingboard/#", "without wildcards"),
    "a level wildcard": ("mqtt://127.0.0.1:1883/timingboard/+/heat-1", "without wildcards"),
}


@pytest.mark.parametrize("case", BAD_URLS, ids=list(BAD_URLS))
def test_follow_refuses_a_bad_url_in_one_line(home, case: str) -> None:
    from test_cli_commands import _one_line_refusal, _run

    url, said = BAD_URLS[case]
    line = _one_line_refusal(_run(home, "follow", url))
    assert line.startswith("timingboard: ") and said in line, line


def test_follow_without_a_url_says_what_it_needs(home) -> None:
    from test_cli_commands import _one_line_refusal, _run

    assert "url" in _one_line_refusal(_run(home, "follow"))


def test_opening_a_session_stops_following_and_the_desk_is_the_operators_again(
    boards, qtbot, tmp_path: Path
) -> None:
    from timingboard.store import SessionRecorder

    publisher, follower = boards
    own = tmp_path / "own" / "practice.tbs"
    own.parent.mkdir()
    SessionRecorder.create(own, QUARTER_MILE_RACE).close()
    with broker(tmp_path) as mosquitto:
        controller, desk, _ = publisher(mosquitto.port)
        _race(controller, range(2), field_too=True)
        window, client, mode = follower(mosquitto.url())
        _same_board(qtbot, desk, window)
        assert window.session_actions.open_session(own)  # File ▸ Open session
        assert not mode.on and window.entry_panel.isEnabled()
        assert "Following stopped" in window.statusBar().currentMessage()
        assert "LIVE" in window.windowTitle() and "FOLLOWING" not in window.windowTitle()
        assert window.results.export_action.isEnabled() and window.charts.isVisibleTo(window)
        assert window.docks["passings"].windowTitle() == "Passings"
        assert "Not following" in client.link_text()
        _race(controller, range(2, 4))
        assert _cells(window) == []  # the followed board's crossings land nowhere here
