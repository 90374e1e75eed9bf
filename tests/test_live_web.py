"""Live timing: the page served by the board, the broker path, and headless Chromium reading both.

Real parts only: the board's aiohttp server, a real Mosquitto, Debian's Chromium.
"""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest
from live_helpers import WebSocketReader, broker, chromium_at
from race_scripts import QUARTER_MILE_RACE, field

from timingboard.app.live_timing import LiveOptions, LiveTiming
from timingboard.engine import Flag, FlagChanged, Passing
from timingboard.feeds.live_json import Follower, row_of


def _race(controller, laps: int = 3) -> None:
    controller.submit([*field(["31", "8", "20", "24"]), FlagChanged(time_ms=0, flag=Flag.GREEN)])
    for lap in range(laps):
        for i, car in enumerate(["8", "31", "24", "20"] if lap % 2 else ["31", "8", "20", "24"]):
            controller.submit([Passing(time_ms=1000 + lap * 13_500 + i * 150, car=car)])


def _board(controller) -> list[dict]:
    return [row_of(s) for s in controller.engine.standings()]


@pytest.fixture
def live(make_controller, qtbot):
    made = []

    def start(options: LiveOptions):
        controller = make_controller(QUARTER_MILE_RACE)
        timing = LiveTiming(controller, options)
        timing.start()
        made.append(timing)
        return controller, timing

    yield start
    for timing in made:
        timing.close()


def test_the_page_and_its_snapshot_are_served_on_this_computer_only(live, qtbot) -> None:
    controller, timing = live(LiveOptions(web_port=0))
    assert timing.web is not None and not timing.web.allows_network
    _race(controller)
    qtbot.waitUntil(lambda: timing.web._follower.board() == _board(controller))
    page = urllib.request.urlopen(timing.web.address, timeout=5).read().decode()
    assert '<table id="board">' in page and "cdn" not in page.lower()
    snapshot = json.load(urllib.request.urlopen(timing.web.address + "snapshot", timeout=5))
    assert [row["car"] for row in snapshot["rows"]] == [
        s.car for s in controller.engine.standings()
    ]
    assert "Live page http://127.0.0.1:" in timing.describe()
    assert "this computer only" in timing.describe()
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(timing.web.address + "static/../../cli.py", timeout=5)
    request = urllib.request.Request(timing.web.address + "snapshot", data=b"{}", method="POST")
    with pytest.raises(urllib.error.HTTPError):  # read-only: nothing takes a write
        urllib.request.urlopen(request, timeout=5)


def test_a_page_joining_late_and_one_that_returns_end_with_the_boards_rows(live, qtbot) -> None:
    controller, timing = live(LiveOptions(web_port=0))
    url = timing.web.address.replace("http", "ws") + "ws"
    with WebSocketReader(url) as early:
        _race(controller, laps=2)
        qtbot.waitUntil(lambda: timing.web._follower.board() == _board(controller))
        with WebSocketReader(url) as late:
            _race_more(controller)
            qtbot.waitUntil(lambda: timing.web._follower.board() == _board(controller))
            for reader in (early, late):
                follower = Follower()
                qtbot.waitUntil(lambda r=reader, f=follower: _followed(r, f) == _board(controller))


def _race_more(controller) -> None:
    for i, car in enumerate(["20", "31", "8", "24"]):
        controller.submit([Passing(time_ms=60_000 + i * 100, car=car)])


def _followed(reader: WebSocketReader, follower: Follower) -> list[dict]:
    fresh = Follower()
    for message in list(reader.messages):
        assert fresh.apply(message) or fresh.seq is None
    return fresh.board()


def test_a_taken_port_is_said_in_one_line(live, qtbot) -> None:
    _, first = live(LiveOptions(web_port=0))
    from timingboard.web.server import LiveWebServer, WebServerError

    second = LiveWebServer(first.web.port)
    with pytest.raises(WebServerError, match="cannot serve the live page"):
        second.start()


def test_the_broker_carries_the_board_to_late_and_returning_followers(
    live, qtbot, tmp_path: Path
) -> None:
    import paho.mqtt.client as mqtt

    with broker(tmp_path) as mosquitto:
        controller, timing = live(LiveOptions(mqtt=mosquitto.address, mqtt_event="Clash 2023"))
        qtbot.waitUntil(timing.mqtt.connected.is_set)
        _race(controller, laps=2)
        qtbot.waitUntil(lambda: timing.mqtt._follower.board() == _board(controller))
        received: list[tuple[str, dict]] = []
        sub = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        sub.on_message = lambda _c, _u, msg: received.append((msg.topic, json.loads(msg.payload)))
        sub.connect("127.0.0.1", mosquitto.port)
        sub.subscribe("timingboard/Clash-2023/#", qos=1)
        sub.loop_start()
        try:
            _race_more(controller)
            qtbot.waitUntil(lambda: _from_broker(received) == _board(controller), timeout=10_000)
            topics = {topic for topic, _ in received}
            assert "timingboard/Clash-2023/current" in topics
            assert "timingboard/Clash-2023/session/snapshot" in topics
        finally:
            sub.loop_stop()
            sub.disconnect()


def _from_broker(received: list[tuple[str, dict]]) -> list[dict]:
    follower = Follower()
    for topic, message in list(received):
        if topic.endswith(("/snapshot", "/delta")):
            follower.apply(message)  # a delta before the retained snapshot is refused: fine
    return follower.board()


def test_a_broker_outage_never_stops_the_desk_and_a_fresh_snapshot_catches_up(
    live, qtbot, tmp_path: Path
) -> None:
    with broker(tmp_path) as mosquitto:
        controller, timing = live(LiveOptions(mqtt=mosquitto.address))
        qtbot.waitUntil(timing.mqtt.connected.is_set)
        mosquitto.stop()
        qtbot.waitUntil(lambda: not timing.mqtt.connected.is_set())
        _race(controller, laps=3)  # the desk goes on while the broker is away
        assert controller.engine.standing("31").laps >= 2
        mosquitto.start()
        qtbot.waitUntil(timing.mqtt.connected.is_set, timeout=15_000)
        import paho.mqtt.client as mqtt

        got: list[dict] = []
        sub = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        sub.on_message = lambda _c, _u, msg: got.append(json.loads(msg.payload))
        sub.connect("127.0.0.1", mosquitto.port)
        sub.subscribe("timingboard/event/session/snapshot", qos=1)
        sub.loop_start()
        try:
            qtbot.waitUntil(
                lambda: (
                    bool(got) and Follower().apply(got[-1]) and _rows(got[-1]) == _board(controller)
                ),
                timeout=10_000,
            )
        finally:
            sub.loop_stop()
            sub.disconnect()


def _rows(snapshot: dict) -> list[dict]:
    follower = Follower()
    follower.apply(snapshot)
    return follower.board()


def test_the_page_in_chromium_shows_the_boards_order_after_a_burst(live, qtbot) -> None:
    controller, timing = live(LiveOptions(web_port=0))
    with chromium_at(timing.web.address) as driver:
        _race(controller, laps=4)
        qtbot.waitUntil(lambda: timing.web._follower.board() == _board(controller))
        want = [s.car for s in controller.engine.standings()]
        qtbot.waitUntil(lambda: _page_cars(driver) == want, timeout=10_000)
        assert driver.find_element("id", "flag").text == "GREEN"
        assert "laps to go" in driver.find_element("id", "remaining").text


def _page_cars(driver) -> list[str]:
    return _page_column(driver, "car")


def _page_column(driver, name: str) -> list[str]:
    """The texts of one column, read in one go (the page redraws its table on every message:
    cells read one at a time may be gone by the next)."""
    return driver.execute_script(
        "return [...document.querySelectorAll('#board tbody td.' + arguments[0])]"
        ".map(td => td.textContent.trim());",
        name,
    )


def test_the_page_follows_through_the_brokers_websocket_in_chromium(
    live, qtbot, tmp_path: Path
) -> None:
    """Any number of phones: the page reads the broker, not the board."""
    with broker(tmp_path) as mosquitto:
        controller, timing = live(
            LiveOptions(web_port=0, mqtt=mosquitto.address, mqtt_event="Clash")
        )
        qtbot.waitUntil(timing.mqtt.connected.is_set)
        page = timing.web.address + mosquitto.page_query("timingboard/Clash")
        with chromium_at(page) as driver:
            _race(controller, laps=3)
            qtbot.waitUntil(lambda: timing.mqtt._follower.board() == _board(controller))
            want = [s.car for s in controller.engine.standings()]
            qtbot.waitUntil(lambda: _page_cars(driver) == want, timeout=15_000)
            assert driver.find_element("id", "link").text == "Live (broker)"
            driver.save_screenshot(str(tmp_path / "page-broker.png"))


def test_web_and_mqtt_from_the_command_line(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from timingboard.store import SessionRecorder

    path = tmp_path / "heat.tbs"
    SessionRecorder.create(path, QUARTER_MILE_RACE).close()
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)}
    for bad, said in (
        (["--web", "99999"], "port"),
        (["--mqtt", "no such host:x"], "--mqtt"),
        (["--web-host", "0.0.0.0"], "--web-host goes with --web"),
        # Python's "[Errno -2] Name or service not known" and Qt's "Unsupported socket
        # operation" said of a host that is no address
        (["--web", "0", "--web-host", "::zz"], "'::zz' is not an address of this computer"),
        (["--publish", "0", "--publish-host", "bad host"], "'bad host' is not an address of"),
    ):
        run = subprocess.run(
            [sys.executable, "-m", "timingboard", "open", str(path), *bad],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )
        assert run.returncode == 2, run.stderr
        assert len(run.stderr.strip().splitlines()) == 1 and said in run.stderr, run.stderr
        assert "Traceback" not in run.stderr and "Errno" not in run.stderr
    with subprocess.Popen(
        [sys.executable, "-m", "timingboard", "open", str(path), "--web", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    ) as board:
        try:
            assert board.stdout is not None
            line = board.stdout.readline()
            while "Live page" not in line and line:
                line = board.stdout.readline()
            address = line[line.index("http://") :].split()[0]
            page = urllib.request.urlopen(address, timeout=10).read().decode()
            assert "timingboard live" in page
        finally:
            board.terminate()
            board.wait(20)


def test_the_page_in_chromium_shows_the_boards_order_after_the_broker_returns(
    live, qtbot, tmp_path: Path
) -> None:
    """A phone on the broker's WebSocket: the broker goes away mid-race and comes back."""
    with broker(tmp_path) as mosquitto:
        controller, timing = live(
            LiveOptions(web_port=0, mqtt=mosquitto.address, mqtt_event="Clash")
        )
        qtbot.waitUntil(timing.mqtt.connected.is_set)
        page = timing.web.address + mosquitto.page_query("timingboard/Clash")
        with chromium_at(page) as driver:
            _race(controller, laps=2)
            want = [s.car for s in controller.engine.standings()]
            qtbot.waitUntil(lambda: _page_cars(driver) == want, timeout=15_000)
            mosquitto.stop()
            qtbot.waitUntil(lambda: "lost" in driver.find_element("id", "link").text.lower())
            _race_more(controller)  # the order changes while the page cannot hear it
            moved = [s.car for s in controller.engine.standings()]
            assert moved != want and _page_cars(driver) == want
            mosquitto.start()
            qtbot.waitUntil(lambda: _page_cars(driver) == moved, timeout=20_000)
            assert driver.find_element("id", "link").text == "Live (broker)"


def test_the_pages_class_filter_shows_one_class_by_its_positions_in_class(live, qtbot) -> None:
    from selenium.webdriver.support.ui import Select

    from timingboard.engine.events import CompetitorSet

    controller, timing = live(LiveOptions(web_port=0))
    classes = {"31": "Pro", "8": "Am", "20": "Pro", "24": "Am"}
    _race(controller, laps=2)
    controller.submit(
        [CompetitorSet(key=c, car=c, driver=f"Driver {c}", car_class=k) for c, k in classes.items()]
    )
    with chromium_at(timing.web.address) as driver:
        want = [s.car for s in controller.engine.standings()]
        qtbot.waitUntil(lambda: _page_cars(driver) == want, timeout=10_000)
        pick = Select(driver.find_element("id", "classFilter"))
        qtbot.waitUntil(lambda: "Am" in [o.text for o in pick.options], timeout=10_000)
        pick.select_by_value("Am")
        am = [s for s in controller.engine.standings() if s.car_class == "Am"]
        qtbot.waitUntil(lambda: _page_cars(driver) == [s.car for s in am], timeout=10_000)
        assert _page_column(driver, "pos") == [str(s.class_position) for s in am] == ["1", "2"]


@pytest.mark.parametrize("command", ["demo", "connect"])
def test_web_on_demo_and_connect_serves_the_page(command: str, tmp_path: Path) -> None:
    from live_helpers import command as gui_command

    home = tmp_path / "config"
    home.mkdir()
    where = ["--dir", str(tmp_path / "sessions")]
    args = ["demo", "--speed", "20", *where] if command == "demo" else ["connect", "127.0.0.1:9"]
    gui = gui_command(home, *args, *(where if command == "connect" else []), "--web", "0")
    address = gui.wait_for(r"Live page (http://127\.0\.0\.1:\d+/) \(this computer only\)").group(1)
    page = urllib.request.urlopen(address, timeout=10).read().decode()
    assert '<table id="board">' in page
    snapshot = json.load(urllib.request.urlopen(address + "snapshot", timeout=10))
    assert snapshot["type"] == "snapshot"
    gui.stop_cleanly()
