"""Every command of the README's table, run as a user runs it: a new process, real files.

Each gets its success path and bad input: one line on stderr, exit status 2, no traceback,
nothing written. The window commands run offscreen until they say what they opened.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import selectors
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SHARED_FEEDS

ROOT = Path(__file__).resolve().parents[1]
CAPTURE = SHARED_FEEDS / "orbits_mock_session_brandshatch.txt"
STARTUP_S = 60  # a cold start on a loaded machine; the commands usually answer within ~2 s
TINY_STREAM = (
    b'$B,25,"Test Race"\r\n'
    b'$A,"31","31",1031,"Justin","Haley","USA",1\r\n'
    b'$A,"8","8",1008,"Kyle","Busch","USA",1\r\n'
    b'$F,9999,"00:04:58","23:20:26","00:00:01","Green "\r\n'
    b'$J,"31","00:00:00.000","00:00:02.051"\r\n'
    b'$J,"8","00:00:00.000","00:00:02.400"\r\n'
    b'$J,"31","00:00:13.413","00:00:15.464"\r\n'
    b'$J,"8","00:00:13.553","00:00:15.953"\r\n'
    b'$G,1,"31",1,"00:00:15.464"\r\n$G,2,"8",1,"00:00:15.953"\r\n'
)


# --- running the real command ------------------------------------------------------------------


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(home), PYTHONFAULTHANDLER="1")
    return env


def _run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "timingboard", *args],
        cwd=ROOT,
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=STARTUP_S * 2,
    )


class Gui:
    """A window command running offscreen; its output is read until a line says it is up."""

    def __init__(self, home: Path, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "timingboard", *args],
            cwd=ROOT,
            env=_env(home),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []

    def wait_for(self, pattern: str, timeout: float = STARTUP_S) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        assert self.process.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            while time.monotonic() < deadline:
                for line in self.lines:
                    if found := re.search(pattern, line):
                        return found
                if not selector.select(timeout=max(0.0, deadline - time.monotonic())):
                    break
                line = self.process.stdout.readline()
                if not line:
                    break  # the command ended
                self.lines.append(line)
        stderr = self.stop()
        raise AssertionError(f"never said {pattern!r}; stdout {self.lines}; stderr {stderr}")

    def wait_until(self, done: Callable[[], bool], timeout: float = STARTUP_S) -> None:
        """Until ``done()``, while checking the command still runs (a bounded wait)."""
        deadline = time.monotonic() + timeout
        while not done():
            assert time.monotonic() < deadline, f"timed out; stderr {self.stop()}"
            try:
                self.process.wait(timeout=0.1)
            except subprocess.TimeoutExpired:
                continue
            raise AssertionError(f"the command ended: {self.stop()}")

    def stop(self) -> str:
        """End it; what it wrote on stderr."""
        if self.process.poll() is None:
            self.process.terminate()
        _, stderr = self.process.communicate(timeout=30)
        return stderr

    def stop_cleanly(self) -> None:
        alive = self.process.poll() is None
        stderr = self.stop()
        assert alive, f"the window went away by itself: {stderr}"
        assert "Traceback" not in stderr and "Error" not in stderr, stderr


def _one_line_refusal(run: subprocess.CompletedProcess[str]) -> str:
    assert run.returncode == 2, (run.returncode, run.stderr)
    assert "Traceback" not in run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


# --- real files ---------------------------------------------------------------------------------


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A scratch settings folder, as on a machine that never ran timingboard."""
    folder = tmp_path / "config"
    folder.mkdir()
    return folder


def _scripted(path: Path, script) -> Path:
    from timingboard.store import SessionRecorder

    recorder = SessionRecorder.create(path, script.settings)
    recorder.submit(list(script.competitors))
    recorder.submit([event for _, event in script.events])
    recorder.close()
    return path


@pytest.fixture
def heat(tmp_path: Path) -> Path:
    from timingboard.demo.clash import FIELD, heat_race

    return _scripted(tmp_path / "heat-1.tbs", heat_race([row[0] for row in FIELD[:9]]))


@pytest.fixture
def qualifying_file(tmp_path: Path) -> Path:
    from timingboard.demo.clash import qualifying

    return _scripted(tmp_path / "qualifying.tbs", qualifying())


@pytest.fixture
def six_cars(tmp_path: Path) -> Path:
    from timingboard.demo.clash import FIELD, heat_race

    return _scripted(tmp_path / "six.tbs", heat_race([row[0] for row in FIELD[:6]], laps=5))


@pytest.fixture
def capture(tmp_path: Path) -> Path:
    """A shared recorded stream when present, else a small one of the same kind."""
    if CAPTURE.exists():
        return CAPTURE
    path = tmp_path / "capture.txt"
    path.write_bytes(TINY_STREAM)
    return path


def _listing(folder: Path) -> list[tuple[str, int]]:
    """What a user owns in ``folder`` (SQLite's -wal/-shm of a file read are another matter)."""
    return sorted(
        (str(p.relative_to(folder)), p.stat().st_size)
        for p in folder.rglob("*")
        if not p.name.endswith(("-wal", "-shm"))
    )


# --- headless commands: success -----------------------------------------------------------------


def test_import_writes_sessions(home, capture, tmp_path) -> None:
    (tmp_path / "out").mkdir()
    run = _run(home, "import", str(capture), "-o", str(tmp_path / "out" / "imported.tbs"))
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    written = sorted((tmp_path / "out").glob("*.tbs"))
    assert written and run.stdout.strip()
    check = _run(home, "results", str(written[0]))
    assert check.returncode == 0 and check.stdout.count("\n") >= 2


@pytest.mark.parametrize("fmt", ["csv", "json", "html"])
def test_results_on_standard_output(home, heat, fmt) -> None:
    run = _run(home, "results", str(heat), "--format", fmt)
    assert run.returncode == 0, run.stderr
    assert "Justin Haley" in run.stdout and run.stderr == ""


def test_a_finished_qualifyings_cars_read_finished_on_the_sheet(home, qualifying_file) -> None:
    """Every car ran its laps and came in before the checkered, so none took it: the sheet read
    "running" for the whole field of a qualifying that was over."""
    run = _run(home, "results", str(qualifying_file), "--format", "csv")
    assert run.returncode == 0, run.stderr
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    from timingboard.demo.clash import FIELD

    assert len(rows) == len(FIELD) and {row["status"] for row in rows} == {"finished"}
    early = _run(home, "results", str(qualifying_file), "--at", "30", "--format", "csv")
    assert "finished" not in {row["status"] for row in csv.DictReader(io.StringIO(early.stdout))}


def test_results_at_a_moment_and_as_pdf(home, heat, tmp_path) -> None:
    early = _run(home, "results", str(heat), "--at", "30", "--format", "json")
    final = _run(home, "results", str(heat), "--format", "json")
    assert early.returncode == final.returncode == 0
    assert early.stdout != final.stdout
    # the clock is the moment's, as the status says (it read the end's beside "STANDINGS AT")
    at = json.loads(early.stdout)
    assert at["clock"] == "0:00:30" and at["status"]["status"].endswith("0:00:30")
    assert json.loads(final.stdout)["clock"] != "0:00:30"
    pdf = tmp_path / "heat.pdf"
    run = _run(home, "results", str(heat), "--format", "pdf", "-o", str(pdf), "--paper", "letter")
    assert run.returncode == 0, run.stderr
    assert pdf.read_bytes().startswith(b"%PDF")


def test_lineup_makes_the_heats(home, qualifying_file, tmp_path) -> None:
    run = _run(
        home, "lineup", str(qualifying_file), "--rule", "split:4", "--name", "Heat", "--laps", "25"
    )
    assert run.returncode == 0, run.stderr
    made = [Path(line) for line in run.stdout.splitlines()]
    assert [p.name for p in made] == [f"heat-{n}.tbs" for n in range(1, 5)]
    assert all(p.is_file() for p in made) and (tmp_path / "event.json").is_file()
    grid = _run(home, "results", str(made[1]))
    assert grid.returncode == 0 and "Kyle Busch" in grid.stdout.splitlines()[1]


# --- the window commands: success ---------------------------------------------------------------


def test_plain_timingboard_runs_the_demo_for_a_first_time_user(home) -> None:
    gui = Gui(home)
    found = gui.wait_for(
        r"the demo's sessions are temporary, in (.+), and deleted at exit"
        r" \(to keep them: timingboard demo --dir FOLDER\)$"
    )
    folder = Path(found.group(1).strip())
    assert folder.is_dir()
    gui.stop_cleanly()
    assert not folder.exists()  # as said: deleted at exit


def test_plain_timingboard_offers_the_sessions_opened_before(home, heat) -> None:
    first = Gui(home, "open", str(heat))
    first.wait_for("is open")
    first.stop_cleanly()
    again = Gui(home)
    again.wait_for(r"1 recent session offered, and the demo")
    again.stop_cleanly()
    assert not any("demo's sessions" in line for line in again.lines)


def test_demo_shows_racing_within_seconds(home, tmp_path) -> None:
    folder = tmp_path / "demo"
    gui = Gui(home, "demo", "--speed", "100", "--dir", str(folder))
    gui.wait_for(r"the demo's sessions are kept in")
    gui.wait_until(lambda: (folder / "busch-light-clash-heat-1.tbs").exists())
    assert (folder / "busch-light-clash-qualifying.tbs").is_file()
    assert (folder / "event.json").is_file()
    gui.stop_cleanly()


def test_open_shows_the_session(home, heat) -> None:
    gui = Gui(home, "open", str(heat))
    gui.wait_for(re.escape(f"{heat} is open"))
    gui.stop_cleanly()


READ_ONLY = r"\(read only: the replay changes nothing in the file\)"  # not "never written"


def test_replay_of_a_session_at_a_moment(home, heat) -> None:
    gui = Gui(home, "replay", str(heat), "--at", "20")
    gui.wait_for(r"replaying heat-1\.tbs from 0:00:20 " + READ_ONLY)
    gui.stop_cleanly()


def test_replay_at_the_clock_as_the_board_shows_it(home, heat) -> None:
    """``--at`` counts session time as shown (the replay bar's tooltip says so): h:mm:ss."""
    gui = Gui(home, "replay", str(heat), "--at", "0:00:20.5")
    gui.wait_for(r"replaying heat-1\.tbs from 0:00:20 " + READ_ONLY)
    gui.stop_cleanly()


def test_results_at_m_ss_are_those_at_as_many_seconds(home, heat) -> None:
    clock = _run(home, "results", str(heat), "--at", "0:30", "--format", "json")
    seconds = _run(home, "results", str(heat), "--at", "30", "--format", "json")
    assert clock.returncode == seconds.returncode == 0, clock.stderr
    sheets = [json.loads(run.stdout) for run in (clock, seconds)]
    for sheet in sheets:
        sheet["header"].pop("printed_at")  # the second it ran
    assert sheets[0] == sheets[1]
    assert sheets[0] != json.loads(_run(home, "results", str(heat), "--format", "json").stdout)


def test_replay_past_the_end_says_so(home, heat) -> None:
    gui = Gui(home, "replay", str(heat), "--at", "100000")
    gui.wait_for(r"replaying heat-1\.tbs from 0:0\d:\d\d, its end: --at is past")
    gui.stop_cleanly()


def test_replay_of_a_recorded_stream_playing(home, capture) -> None:
    gui = Gui(home, "replay", str(capture), "--play")
    gui.wait_for(rf"replaying {re.escape(capture.name)}: .+ from 0:00:00")
    gui.stop_cleanly()


def test_simulate_then_connect_follows_it(home, tmp_path) -> None:
    simulator = Gui(home, "simulate", "--port", "0", "--speed", "50")
    port = simulator.wait_for(r"on 127\.0\.0\.1:(\d+)").group(1)
    simulator.wait_for(r"now serving: Busch Light Clash - Qualifying")
    feed = tmp_path / "feed"
    board = Gui(home, "connect", f"127.0.0.1:{port}", "--dir", str(feed))
    board.wait_for(rf"following 127\.0\.0\.1:{port}")
    board.wait_until(lambda: any("waiting" not in p.name for p in feed.glob("*.tbs")))
    board.wait_until(lambda: not list(feed.glob("waiting-for-feed*")))  # the unused blank goes
    board.stop_cleanly()
    simulator.stop_cleanly()
    assert sorted(feed.glob("*.tbs")) and not list(feed.glob("waiting-for-feed*"))


def _feed_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("feed-*.tbs"))}


def test_a_second_connect_to_the_same_feed_numbers_its_files_after_the_first(
    home, tmp_path
) -> None:
    """The walk: a second ``connect`` in the same event folder numbered its files from 01
    again (feed-01-… beside the first's feed-02, or feed-01-…-2): it goes on after the highest,
    and the first's files are left as they were."""
    simulator = Gui(home, "simulate", "--port", "0", "--speed", "50")
    try:
        port = simulator.wait_for(r"on 127\.0\.0\.1:(\d+)").group(1)
        simulator.wait_for(r"now serving: ")
        feed = tmp_path / "feed"
        first = Gui(home, "connect", f"127.0.0.1:{port}", "--dir", str(feed))
        first.wait_for(rf"following 127\.0\.0\.1:{port}")
        first.wait_until(lambda: bool(_feed_files(feed)))
        first.stop_cleanly()
        kept = _feed_files(feed)
        second = Gui(home, "connect", f"127.0.0.1:{port}", "--dir", str(feed))
        second.wait_for(rf"following 127\.0\.0\.1:{port}")
        second.wait_until(lambda: len(_feed_files(feed)) > len(kept))
        second.stop_cleanly()
    finally:
        simulator.stop()
    now = _feed_files(feed)
    assert {name: now[name] for name in kept} == kept  # the first connect's files untouched
    new = sorted(set(now) - set(kept))
    last = max(int(name.split("-")[1]) for name in kept)
    numbers = [int(name.split("-")[1]) for name in new]
    assert numbers == list(range(last + 1, last + 1 + len(new))), (sorted(kept), new)


# --- bad input: one line, exit 2, nothing written -----------------------------------------------


BAD = {
    "demo --speed inf": ["demo", "--speed", "inf"],
    "demo --speed 0": ["demo", "--speed", "0"],
    "demo --speed -1": ["demo", "--speed", "-1"],
    "demo --speed nan": ["demo", "--speed", "nan"],
    "open a missing file": ["open", "{tmp}/missing.tbs"],
    "open a folder": ["open", "{tmp}"],
    "replay a foreign file": ["replay", "{noise}"],
    "replay --at nan": ["replay", "{heat}", "--at", "nan"],
    "replay --at 0:75": ["replay", "{heat}", "--at", "0:75"],
    "replay --at 1:2:3:4": ["replay", "{heat}", "--at", "1:2:3:4"],
    "replay --at 0:00:-5": ["replay", "{heat}", "--at", "0:00:-5"],
    "replay --at half-time": ["replay", "{heat}", "--at", "half-time"],
    "connect a bad port": ["connect", "127.0.0.1:port"],
    "connect --dir a file": ["connect", "127.0.0.1:50000", "--dir", "{heat}"],
    "demo --dir a file": ["demo", "--dir", "{heat}"],
    "lineup --dir a file": [
        "lineup",
        "{six}",
        "--rule",
        "straight",
        "--name",
        "F",
        "--dir",
        "{heat}",
    ],
    "import a foreign file": ["import", "{noise}", "-o", "{tmp}/x.tbs"],
    "import into no folder": ["import", "{heat}", "-o", "{tmp}/nowhere/x.tbs"],
    "simulate --port 99999": ["simulate", "--port", "99999"],
    "simulate --port -1": ["simulate", "--port", "-1"],
    "simulate --speed nan": ["simulate", "--speed", "nan"],
    "results --at nan": ["results", "{heat}", "--at", "nan"],
    "results --at inf": ["results", "{heat}", "--at", "inf"],
    "results --at 1e308": ["results", "{heat}", "--at", "1e308"],
    "results --at -1": ["results", "{heat}", "--at", "-1"],
    "results of a folder": ["results", "{tmp}"],
    "lineup --laps -5": ["lineup", "{six}", "--rule", "split:2", "--name", "H", "--laps", "-5"],
    "lineup --laps 0": ["lineup", "{six}", "--rule", "split:2", "--name", "H", "--laps", "0"],
    "lineup straight:5": ["lineup", "{six}", "--rule", "straight:5", "--name", "Feature"],
    "lineup --name ''": ["lineup", "{six}", "--rule", "straight", "--name", ""],
    "lineup split:1000 of 6 cars": ["lineup", "{six}", "--rule", "split:1000", "--name", "H"],
    "lineup split:10000000": ["lineup", "{six}", "--rule", "split:10000000", "--name", "H"],
    "lineup invert:7 of 6 cars": ["lineup", "{six}", "--rule", "invert:7", "--name", "H"],
    "an unknown command": ["qualify"],
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_gets_one_line_and_exit_2(case, home, tmp_path, heat, six_cars) -> None:
    noise = tmp_path / "noise.bin"
    noise.write_bytes(bytes(range(256)) * 4)
    names = {"tmp": str(tmp_path), "heat": str(heat), "six": str(six_cars), "noise": str(noise)}
    args = [arg.format(**names) for arg in BAD[case]]
    before = _listing(tmp_path)
    line = _one_line_refusal(_run(home, *args))
    assert line.startswith("timingboard"), line
    assert _listing(tmp_path) == before, "a refused command wrote something"


def test_the_demos_speed_on_the_bare_command_names_the_demo_command(home, tmp_path) -> None:
    """The walk typed ``timingboard --speed 10`` (the README's ``--speed 10`` is the demo's
    option, and plain ``timingboard`` may offer sessions, not the demo): it was refused with
    "invalid choice: '10'"; it now names the command that does it."""
    line = _one_line_refusal(_run(home, "--speed", "10"))
    assert line == "timingboard: --speed is an option of the demo: timingboard demo --speed 10"
    line = _one_line_refusal(_run(home, "--board", "--seed", "7"))
    assert line.endswith(": timingboard demo --board --seed 7")


def test_a_folder_is_called_a_folder(home, tmp_path) -> None:
    line = _one_line_refusal(_run(home, "replay", str(tmp_path)))
    assert "is a folder" in line and "does not exist" not in line


def test_a_file_of_the_wrong_kind_is_said_to_be_what_it_is(home, tmp_path, heat) -> None:
    empty = tmp_path / "empty.tbs"
    empty.write_bytes(b"")
    listing = tmp_path / "r.csv"
    listing.write_text("car,driver\n1,Ann Lee\n")
    before = _listing(tmp_path)
    said = _one_line_refusal(_run(home, "replay", str(empty)))
    assert said == (
        f"timingboard: {empty} is empty: not a timingboard session file, nor an RMonitor or P3 "
        "capture to replay"
    )
    said = _one_line_refusal(_run(home, "replay", str(listing)))
    assert said.startswith(f"timingboard: {listing} is a CSV text file: not a timingboard"), said
    said = _one_line_refusal(_run(home, "import", str(heat), "-o", str(tmp_path / "x.tbs")))
    assert said.startswith(f"timingboard: {heat}: this is a timingboard session file, not an"), said
    assert f"timingboard open {heat}" in said
    said = _one_line_refusal(_run(home, "import", str(listing), "-o", str(tmp_path / "x.tbs")))
    assert said == f"timingboard: {listing} is a CSV text file: it holds no RMonitor session"
    assert _listing(tmp_path) == before


def test_results_by_a_name_without_declaring_is_refused(home, tmp_path, heat) -> None:
    before = _listing(tmp_path)
    said = _one_line_refusal(_run(home, "results", str(heat), "--by", "Sam Steward"))
    assert "--by" in said and "--declare-official" in said, said
    assert _listing(tmp_path) == before


@pytest.mark.parametrize("command", ["import", "new"])
def test_a_session_written_through_a_dangling_link_is_refused_and_nothing_made(
    home, capture, tmp_path, command
) -> None:
    """A new-user walk: import said "dangle.tbs already exists; choose a new name" of a link
    whose target is gone, and ``new`` made the session quietly at the link's target."""
    out = tmp_path / "out"
    out.mkdir()
    link, gone = out / "dangling.tbs", out / "target.tbs"  # its folder there: made at it
    link.symlink_to(gone)
    args = {
        "import": ["import", str(capture), "-o", str(link)],
        "new": ["new", str(link), "--name", "Heat"],
    }[command]
    said = _one_line_refusal(_run(home, *args))
    assert said.endswith(f"{link} is a link to {gone}, which does not exist"), said
    assert sorted(p.name for p in out.iterdir()) == ["dangling.tbs"]  # nothing written
    assert not gone.exists()
