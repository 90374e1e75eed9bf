"""Feeds that lose nothing: live over loopback ends as ``import``, odd records cost themselves
alone, a full disk keeps passings until space returns, garbage stays bounded, cp1252 names."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest
from conftest import SHARED_FEEDS
from feed_harness import FakeTimingSystem, image, imported, live

from timingboard.cli import main
from timingboard.engine import SessionSettings
from timingboard.qt.rmonitor_client import LinkState, RMonitorClient
from timingboard.qt.session_controller import SessionController
from timingboard.store import SessionRecorder

CAPTURES = sorted(SHARED_FEEDS.glob("*")) if SHARED_FEEDS.is_dir() else []
CHUNKINGS = 2  # per capture here (one for the largest); scripts/fuzz_feeds.py runs many more


def _t(ms: int) -> str:
    s, f = divmod(ms, 1000)
    m, s = divmod(s, 60)
    h, m = divmod(m, 60)
    return f"{h:02d}:{m:02d}:{s:02d}.{f:03d}"


def _j(reg: str, lap_ms: int, total_ms: int) -> bytes:
    return f'$J,"{reg}","{_t(lap_ms)}","{_t(total_ms)}"\r\n'.encode()


def _f(race_ms: int, flag: str = "Green ") -> bytes:
    return f'$F,9999,"00:00:00","12:00:00","{_t(race_ms)[:8]}","{flag}"\r\n'.encode()


def _laps(reg: str, count: int, lap_ms: int, offset: int) -> bytes:
    return b"".join(_j(reg, lap_ms if i else 0, offset + i * lap_ms) for i in range(count + 1))


# A relay that sends $I then the entry list, no $B: the session begins at the first $A.
RELAY_JOIN = (
    b'$I,"12:00:00.000","01 Mar 25"\r\n'
    b'$A,"7","7",1007,"Kai","Lange","GER",1\r\n'
    b'$A,"8","8",1008,"Ana","Ruiz","ESP",1\r\n'
    b'$C,1,"GT3"\r\n'
    + _f(0)
    + _laps("7", 3, 90_000, 1000)
    + _laps("8", 3, 91_000, 2000)
    + b'$G,1,"7",3,"00:04:31.000"\r\n$G,2,"8",3,"00:04:35.000"\r\n'
    b'$H,1,"7",2,"00:01:30.000"\r\n'
    b'$L,"8","P1","PIP","01/01/2025","12:04:40.000"\r\n'
)
# A reset starts a new session under the same run, with another field.
RESET_NEW_SESSION = (
    b'$B,4,"Race 1"\r\n$A,"1","1",1001,"Ben","Ode","",1\r\n'
    + _f(0)
    + _laps("1", 3, 60_000, 500)
    + _f(181_000)
    + b'$I,"12:10:00.000","01 Mar 25"\r\n$A,"2","2",1002,"Cy","Ngo","",1\r\n'
    + _f(1000)
    + _laps("2", 2, 61_000, 1500)
    + b'$G,1,"2",2,"00:02:03.500"\r\n'
)

# A session ended, reset, then the next one's entry list (#1 another driver) and its run.
ENDED_THEN_NEXT = (
    b'$B,4,"Race 1"\r\n$A,"1","1",1001,"Ben","Ode","",1\r\n'
    + _f(0)
    + _laps("1", 3, 60_000, 500)
    + _f(181_000)
    + b'$B,95,"Race 1"\r\n$I,"12:10:00.000","01 Mar 25"\r\n$B,95,"Race 2"\r\n'
    b'$A,"1","1",2001,"Di","Lund","",1\r\n$A,"2","2",1002,"Cy","Ngo","",1\r\n'
    b'$B,5,"Race 2"\r\n'
    + _f(1000)
    + _laps("2", 2, 61_000, 1500)
    + _laps("1", 2, 62_000, 1800)
    + b'$G,1,"2",2,"00:02:03.500"\r\n'
)


@pytest.fixture
def follower(tmp_path: Path, qapp):
    blank = SessionRecorder.create(tmp_path / "blank.tbs", SessionSettings(name="waiting"))
    controller = SessionController(blank)
    (tmp_path / "feed").mkdir()
    client = RMonitorClient(controller, tmp_path / "feed", first_retry_ms=50)
    yield controller, client
    client.disconnect_from_feed()
    controller.close()
    client.deleteLater()


def _follow(client: RMonitorClient, timing_system: FakeTimingSystem, qtbot) -> None:
    client.connect_to("127.0.0.1", timing_system.port)
    qtbot.waitUntil(
        lambda: client.state is LinkState.UP and bool(timing_system.sockets), timeout=3000
    )


def _send_all(client, timing_system, data: bytes, qtbot) -> None:
    before = client.bytes_received
    timing_system.send(data)
    qtbot.waitUntil(lambda: client.bytes_received == before + len(data), timeout=10000)


# --- 8: live ends as import ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "stream",
    [RELAY_JOIN, RESET_NEW_SESSION, ENDED_THEN_NEXT],
    ids=["relay", "reset", "ended then next"],
)
def test_a_session_begun_without_a_run_keeps_its_competitors(tmp_path, qtbot, stream) -> None:
    ours = live(stream, tmp_path / "live", random.Random(1), qtbot.waitUntil)
    theirs = imported(stream, tmp_path / "import")
    assert ours == theirs
    last = ours[-1].board
    assert all(not s.car.startswith("?") and s.driver for s in last)
    assert sum(s.laps for s in last) >= 2
    if stream is ENDED_THEN_NEXT:  # the ended one keeps its #1, the next has its own
        assert [[s.driver for s in o.board if s.car == "1"] for o in ours] == [
            ["Ben Ode"],
            ["Di Lund"],
        ]


# Orbits' "Tx<number>": a pit-in before the $A that names the transponder, a pit-out after it,
# and a transponder no car names.
TRANSPONDERS = (
    b'$B,32,"Test Session 4"\r\n$A,"31","31",1031,"Justin","Haley","USA",1\r\n'
    b'$F,9999,"00:00:00","12:00:00","00:00:00","Green "\r\n'
    + _j("31", 0, 1000)
    + b'$L,"Tx4667026","P3","PIP","01/27/2009","12:01:00.000"\r\n'
    b'$A,"87","87",4667026,"Werner /","Henzler","Porsche",1\r\n'
    b'$L,"Tx4667026","P2","POP","01/27/2009","12:02:00.000"\r\n'
    b'$L,"Tx1176302","P3","PIP","01/27/2009","12:02:30.000"\r\n'
    + _j("31", 100_000, 101_000)
    + _j("87", 0, 125_000)
)


def test_a_transponder_is_its_named_car_live_as_in_import(tmp_path, qtbot) -> None:
    ours = live(TRANSPONDERS, tmp_path / "live", random.Random(3), qtbot.waitUntil)
    theirs = imported(TRANSPONDERS, tmp_path / "import")
    assert ours == theirs
    [board] = [s.board for s in ours]
    assert sorted(s.car for s in board) == ["31", "87"]
    assert [s.pit_stops for s in board if s.car == "87"] == [1]


@pytest.mark.feeds
@pytest.mark.skipif(not CAPTURES, reason="../shared/feeds is not here")
@pytest.mark.parametrize("path", CAPTURES, ids=[p.name for p in CAPTURES])
def test_every_capture_in_random_chunks_over_loopback_ends_as_import(path, tmp_path, qtbot):
    data = path.read_bytes()
    theirs = imported(data, tmp_path / "import")
    assert theirs
    for seed in range(CHUNKINGS if len(data) < 1 << 20 else 1):
        ours = live(data, tmp_path / f"live{seed}", random.Random(seed), qtbot.waitUntil)
        assert [s.settings for s in ours] == [s.settings for s in theirs], f"chunking {seed}"
        for mine, its in zip(ours, theirs, strict=True):
            assert mine.board == its.board, f"{mine.settings.name}, chunking {seed}"
            assert mine.events == its.events, f"{mine.settings.name}, chunking {seed}"


# A heat the timing system ends ($B run 95) counting car 31 a lap short: a lap penalty it gave.
ENDED_SHORT = (
    b'$B,7,"Feature"\r\n$A,"31","31",1031,"Justin","Haley","USA",1\r\n'
    b'$A,"8","8",1008,"Kyle","Busch","USA",1\r\n'
    + _f(0)
    + _j("31", 0, 1000)
    + _j("8", 0, 1500)
    + _j("31", 13_500, 14_500)
    + _j("8", 13_600, 15_100)
    + _j("31", 13_500, 28_000)
    + _j("8", 13_600, 28_700)
    + b'$G,1,"8",2,"00:00:28.700"\r\n$G,2,"31",1,"00:00:28.000"\r\n'
    + _f(30_000, "Finish")
    + b'$B,95,"Feature"\r\n'
    + _f(31_000, "Finish")
)


def _ended_live_as_import(data, tmp_path, follower, timing_system, qtbot):
    """``data`` sent over loopback, the link left open: the board, once all is written, is
    the board ``import`` makes of the same bytes (it waits for that, never for a close)."""
    [theirs] = imported(data, tmp_path / "import")
    controller, client = follower
    _follow(client, timing_system, qtbot)
    for at in range(0, len(data), 64 * 1024):
        _send_all(client, timing_system, data[at : at + 64 * 1024], qtbot)
    qtbot.waitUntil(lambda: list(controller.engine.standings()) == theirs.board, timeout=20000)
    assert client.state is LinkState.UP  # final at the session's end, not at the close
    return controller


def test_a_live_session_is_final_at_its_logged_end_as_import(
    tmp_path, follower, timing_system, qtbot
) -> None:
    controller = _ended_live_as_import(ENDED_SHORT, tmp_path, follower, timing_system, qtbot)
    engine = controller.engine
    assert [(s.car, s.laps) for s in engine.standings()] == [("8", 2), ("31", 1)]
    assert engine.lap_penalty("31") == 1


ENDED_CAPTURES = [
    p for p in CAPTURES if p.name.startswith(("redmist_barber", "sebring2009_alms_test_session5"))
]


@pytest.mark.feeds
@pytest.mark.skipif(not ENDED_CAPTURES, reason="../shared/feeds is not here")
@pytest.mark.parametrize("path", ENDED_CAPTURES, ids=[p.name for p in ENDED_CAPTURES])
def test_a_capture_followed_live_is_final_at_its_run_95(
    path, tmp_path, follower, timing_system, qtbot
) -> None:
    """Up to the end of its ``$B`` run 95 line: the timing system's corrections (Barber: 64,
    Sebring's session 5: a lap it did not count) are on the board with the link still up."""
    data = path.read_bytes()
    end = data.index(b"$B,95,")
    data = data[: data.index(b"\n", end) + 1]
    controller = _ended_live_as_import(data, tmp_path, follower, timing_system, qtbot)
    assert controller.engine.corrections


# --- 9: a bad record costs itself alone ----------------------------------------------------------

ODD = (
    b'$B,1,"Race"\r\n$A,"31","31",1031,"Justin","Haley","USA",1\r\n'
    b'$A,"","",0,"","","",1\r\n'  # no registration
    + _f(0)
    + _j("31", 0, 1000)
    + b'$J,"31","-239:00:00.000","00:00:14.413"\r\n'  # a negative lap near the limit
    + _j("31", 13_500, 27_913)
    + _j("31", 13_500, 41_413)
)


def test_odd_records_cost_themselves_alone_live(timing_system, follower, qtbot) -> None:
    controller, client = follower
    _follow(client, timing_system, qtbot)
    _send_all(client, timing_system, ODD, qtbot)
    qtbot.waitUntil(lambda: "31" in controller.engine.entries, timeout=3000)
    assert controller.engine.standing("31").laps == 3
    assert len(controller.engine.passings) == 4
    reasons = [s.reason for s in client.skipped]
    assert any("registration number is empty" in r for r in reasons)


def test_import_of_odd_records_keeps_the_rest(tmp_path, capsys) -> None:
    capture = tmp_path / "odd.txt"
    capture.write_bytes(ODD)
    assert main(["import", str(capture), "-o", str(tmp_path / "odd.tbs")]) == 0
    out = capsys.readouterr().out
    assert "1 car(s), 4 passing(s)" in out
    assert "registration number is empty" in out


def test_an_event_the_session_refuses_is_left_out_alone(tmp_path) -> None:
    from timingboard.engine.events import CompetitorSet, Passing

    recorder = SessionRecorder.create(tmp_path / "s.tbs", SessionSettings(name="s"))
    events = [
        CompetitorSet(key="31", car="31"),
        CompetitorSet(key="", car="9"),
        Passing(time_ms=1000, key="31"),
        Passing(time_ms=-5, key="31"),
        Passing(time_ms=15_000, key="31"),
    ]
    _, refused = recorder.submit_valid(events)
    assert [r.reason for r in refused] == [
        "a competitor needs a registration key",
        "time -5 ms is outside the session",
    ]
    assert recorder.engine.standing("31").laps == 1
    assert len(list(recorder.file.entries())) == 3
    recorder.close()


# --- 10: a full disk ------------------------------------------------------------------------------


class FillingDisk:
    """A session file's SQLite connection on a disk that fills up: inserts fail while full."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self.full = True

    def _check(self, sql: str) -> None:
        if self.full and sql.lstrip().upper().startswith("INSERT"):
            raise sqlite3.OperationalError("database or disk is full")

    def execute(self, sql: str, *args):
        self._check(sql)
        return self._db.execute(sql, *args)

    def executemany(self, sql: str, *args):
        self._check(sql)
        return self._db.executemany(sql, *args)

    def __getattr__(self, name: str):
        return getattr(self._db, name)


def test_a_full_disk_keeps_passings_until_space_returns(
    timing_system, tmp_path, show_window, make_controller, qtbot
) -> None:
    controller = make_controller(SessionSettings(name="waiting"))
    window = show_window(controller)
    disks: list[FillingDisk] = []

    def fill_the_disk() -> None:
        file = controller.recorder.file
        if not isinstance(file._db, FillingDisk):
            disks.append(FillingDisk(file._db))
            file._db = disks[-1]
            disks[-1].full = False

    controller.session_reset.connect(fill_the_disk)
    window.feed.follow("127.0.0.1", timing_system.port, tmp_path / "feed")
    client = window.feed.client
    qtbot.waitUntil(
        lambda: client.state is LinkState.UP and bool(timing_system.sockets), timeout=3000
    )
    header = b'$B,1,"Race"\r\n$A,"31","31",1031,"Justin","Haley","USA",1\r\n' + _f(0)
    _send_all(client, timing_system, header + _j("31", 0, 1000), qtbot)
    qtbot.waitUntil(lambda: len(disks) == 1 and "31" in controller.engine.entries, timeout=3000)
    disks[0].full = True
    laps = [_j("31", 13_000, 1000 + 13_000 * i) for i in range(1, 151)]
    for lap in laps:  # one read each, every one refused
        _send_all(client, timing_system, lap, qtbot)
    label = window.feed.link_label
    qtbot.waitUntil(lambda: "DISK FULL — 150 passings waiting" in label.text(), timeout=3000)
    assert len(controller.engine.passings) == 1  # the board shows only what is on disk
    disks[0].full = False  # space came back
    qtbot.waitUntil(lambda: len(controller.engine.passings) == 151, timeout=5000)
    qtbot.waitUntil(lambda: "DISK FULL" not in label.text(), timeout=3000)
    assert controller.engine.standing("31").laps == 150
    path = controller.recorder.file.path
    window.feed.disconnect_feed()
    window.close()
    assert image(path).board[0].laps == 150
    header_and_laps = header + _j("31", 0, 1000) + b"".join(laps)
    assert SessionRecorder.open(path).file.raw_feed() == header_and_laps


# --- 11: garbage ----------------------------------------------------------------------------------


def test_garbage_is_counted_bounded_and_named(timing_system, follower, qtbot) -> None:
    from timingboard.feeds.rmonitor_session import SKIPPED_KEPT

    controller, client = follower
    unreadable: list[str] = []
    client.unreadable_changed.connect(unreadable.append)
    _follow(client, timing_system, qtbot)
    rng = random.Random(3)
    garbage = bytes(rng.randrange(256) for _ in range(300_000)).replace(b"$", b"%")
    _send_all(client, timing_system, garbage, qtbot)
    assert client.skipped_count > SKIPPED_KEPT
    assert len(client.skipped) == SKIPPED_KEPT
    assert unreadable and "does not speak RMonitor" in unreadable[-1]
    session = b'$B,1,"Race"\r\n$A,"31","31",1031,"Justin","Haley","USA",1\r\n' + _f(0)
    _send_all(client, timing_system, session + _laps("31", 2, 13_000, 1000), qtbot)
    qtbot.waitUntil(lambda: "31" in controller.engine.entries, timeout=3000)
    assert unreadable[-1] == ""  # it speaks RMonitor after all
    raw = controller.recorder.file.raw_feed()
    assert raw.endswith(session + _laps("31", 2, 13_000, 1000))
    assert len(raw) <= (1 << 20) + len(session) + 1000


def test_the_window_says_the_port_does_not_speak_rmonitor(
    timing_system, tmp_path, show_window, make_controller, qtbot
) -> None:
    window = show_window(make_controller(SessionSettings(name="waiting")))
    window.feed.follow("127.0.0.1", timing_system.port, tmp_path / "feed")
    qtbot.waitUntil(lambda: bool(timing_system.sockets), timeout=3000)
    timing_system.send(b"HTTP/1.1 200 OK\r\n" + b"<html>not a timing feed</html>\r\n" * 4000)
    label = window.feed.link_label
    qtbot.waitUntil(lambda: "does not speak RMonitor" in label.text(), timeout=5000)
    assert f"port {timing_system.port} does not speak RMonitor" in label.text()
    window.feed.disconnect_feed()
    window.close()


# --- 12: cp1252 -----------------------------------------------------------------------------------


def test_a_windows_orbits_name_reads_right(timing_system, follower, qtbot) -> None:
    controller, client = follower
    _follow(client, timing_system, qtbot)
    stream = (
        '$B,1,"Rennen"\r\n$A,"7","7",1007,"Jürgen","Böhnemann","GER",1\r\n'.encode("cp1252")
        + '$A,"8","8",1008,"Zoë","Ñúñez","ESP",1\r\n'.encode()  # another line in UTF-8
        + _f(0)
        + _j("7", 0, 1000)
        + _j("8", 0, 1200)
    )
    _send_all(client, timing_system, stream, qtbot)
    qtbot.waitUntil(lambda: len(controller.engine.entries) == 2, timeout=3000)
    assert controller.engine.standing("7").driver == "Jürgen Böhnemann"
    assert controller.engine.standing("8").driver == "Zoë Ñúñez"


# --- 13: resent pit-out, a read across two runs ---------------------------------------------------


def test_a_resent_pit_out_is_one_stop(timing_system, follower, qtbot) -> None:
    controller, client = follower
    _follow(client, timing_system, qtbot)
    pit_out = b'$L,"31","P2","POP","01/27/2009","12:01:00.000"\r\n'
    stream = (
        b'$B,1,"Race"\r\n$A,"31","31",1031,"Justin","Haley","USA",1\r\n'
        + b'$F,9999,"00:00:00","12:00:00","00:00:00","Green "\r\n'
        + _laps("31", 2, 50_000, 1000)
        + b'$L,"31","P3","PIP","01/27/2009","12:00:30.000"\r\n'
        + pit_out
    )
    _send_all(client, timing_system, stream, qtbot)
    qtbot.waitUntil(lambda: "31" in controller.engine.entries, timeout=3000)
    qtbot.waitUntil(lambda: controller.engine.standing("31").pit_stops == 1, timeout=3000)
    _send_all(client, timing_system, pit_out, qtbot)  # sent again
    _send_all(client, timing_system, _j("31", 50_000, 151_000), qtbot)
    qtbot.waitUntil(lambda: controller.engine.standing("31").laps == 3, timeout=3000)
    assert controller.engine.standing("31").pit_stops == 1
    assert client.resent_reasons["the same pit-lane crossing sent again"] == 1  # not skipped


def test_a_read_across_two_runs_keeps_each_runs_bytes_with_it(
    timing_system, follower, tmp_path, qtbot
) -> None:
    controller, client = follower
    _follow(client, timing_system, qtbot)
    first = b'$B,1,"Heat 1"\r\n$A,"31","31",1031,"Justin","Haley","USA",1\r\n' + _f(0)
    first += _laps("31", 2, 14_000, 1000)
    second = b'$B,2,"Heat 2"\r\n$A,"8","8",1008,"Kyle","Busch","USA",1\r\n' + _f(0)
    second += _laps("8", 2, 14_000, 1000)
    _send_all(client, timing_system, first + second, qtbot)
    qtbot.waitUntil(lambda: "8" in controller.engine.entries, timeout=3000)
    files = sorted((tmp_path / "feed").glob("*.tbs"))
    assert [p.name for p in files] == ["feed-01-heat-1.tbs", "feed-02-heat-2.tbs"]
    assert SessionRecorder.open(files[0]).file.raw_feed() == first
    assert controller.recorder.file.raw_feed() == second


def test_what_piled_up_on_a_full_disk_is_written_in_chunks_when_space_returns(
    timing_system, follower, qtbot
) -> None:
    from timingboard.qt.feed_recording import WRITE_CHUNK

    controller, client = follower
    disks: list[FillingDisk] = []

    def fill_the_disk() -> None:
        file = controller.recorder.file
        if not isinstance(file._db, FillingDisk):
            disks.append(FillingDisk(file._db))
            file._db = disks[-1]
            disks[-1].full = False

    controller.session_reset.connect(fill_the_disk)
    waiting: list[int] = []
    client.waiting_changed.connect(lambda n, _why: waiting.append(n))
    _follow(client, timing_system, qtbot)
    header = b'$B,1,"Race"\r\n$A,"31","31",1031,"Justin","Haley","USA",1\r\n' + _f(0)
    _send_all(client, timing_system, header + _j("31", 0, 1000), qtbot)
    qtbot.waitUntil(lambda: len(disks) == 1 and "31" in controller.engine.entries, timeout=3000)
    disks[0].full = True
    count = 2 * WRITE_CHUNK + 500
    laps = b"".join(_j("31", 6_000, 1000 + 6_000 * i) for i in range(1, count + 1))
    _send_all(client, timing_system, laps, qtbot)
    qtbot.waitUntil(lambda: client.waiting_passings == count, timeout=10000)
    disks[0].full = False
    qtbot.waitUntil(lambda: controller.engine.standing("31").laps == count, timeout=20000)
    assert waiting[-1] == 0 and client.waiting_passings == 0
    assert controller.recorder.file.raw_feed() == header + _j("31", 0, 1000) + laps


def test_a_passing_typed_after_leaving_a_feed_is_stamped_on_a_running_clock(
    timing_system, tmp_path, show_window, make_controller, qtbot, monkeypatch
) -> None:
    """A feed that sent crossings but no heartbeat left its session's clock standing: the first
    car typed after Feed ▸ Disconnect was stamped at the last feed crossing (a bogus lap)."""
    from journey import FakeTime
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    clock = FakeTime().install(monkeypatch)
    window = show_window(make_controller(SessionSettings(name="waiting")))
    window.feed.follow("127.0.0.1", timing_system.port, tmp_path / "feed")
    qtbot.waitUntil(lambda: bool(timing_system.sockets), timeout=3000)
    timing_system.send(
        b'$B,1,"Heat"\r\n$A,"7","7",1007,"Ann","Driver","USA",1\r\n'
        + _j("7", 0, 1000)
        + _j("7", 60_000, 61_000)
    )
    controller = window.controller
    qtbot.waitUntil(lambda: controller.engine.clock_ms == 61_000, timeout=5000)
    window.feed.disconnect_feed()
    clock.advance(20.0)  # the race goes on; the operator times car 7 by hand
    window.activateWindow()
    field = window.entry_panel.car_field
    field.setFocus()
    qtbot.keyClicks(QApplication.focusWidget(), "7")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: controller.engine.seq > 0 and _last_manual(controller) is not None)
    assert _last_manual(controller) >= 61_000 + 20_000
    window.close()


def _last_manual(controller) -> int | None:
    from timingboard.engine import Passing, Source

    times = [
        e.event.time_ms
        for e in controller.engine.log
        if isinstance(e.event, Passing) and e.event.source is Source.MANUAL
    ]
    return times[-1] if times else None


def test_a_board_following_a_timing_system_refuses_typed_passings_and_flags(
    timing_system, tmp_path, show_window, make_controller, qtbot
) -> None:
    """The feed's session is the timing system's: a car typed here was a lap the timing system
    never counted (lap 5 against its 4, "order: agrees" still), F7 a red it never threw."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from timingboard.engine import Flag

    window = show_window(make_controller(SessionSettings(name="waiting")))
    window.feed.follow("127.0.0.1", timing_system.port, tmp_path / "feed")
    qtbot.waitUntil(lambda: bool(timing_system.sockets), timeout=3000)
    timing_system.send(
        b'$B,1,"Heat"\r\n$A,"5","5",1005,"Ann","Driver","USA",1\r\n'
        + _f(61_000)
        + _j("5", 0, 1000)
        + _j("5", 60_000, 61_000)
    )
    controller = window.controller
    qtbot.waitUntil(lambda: controller.engine.clock_ms == 61_000, timeout=5000)
    seq = controller.engine.seq
    window.activateWindow()
    window.entry_panel.car_field.setFocus()
    qtbot.keyClicks(QApplication.focusWidget(), "5")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    refusal = "the timing system at 127.0.0.1"
    assert refusal in window.statusBar().currentMessage()
    assert refusal in window.entry_panel.message.text()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F7)  # red
    assert refusal in window.entry_panel.message.text()
    assert controller.engine.seq == seq  # nothing typed reached the feed's session
    assert controller.engine.flag is Flag.GREEN
    assert controller.engine.standing("5").laps == 1
    window.feed.disconnect_feed()
    window.close()
