"""The P3 commands as a user runs them: simulate, connect p3://, import (and bad input)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from p3_captures import LONG, needs_captures, wires

from timingboard.engine import TimingEngine
from timingboard.engine.car import PassingStatus
from timingboard.engine.events import Flag, FlagChanged, LogEntry
from timingboard.store.session_file import SessionFile

TB = [sys.executable, "-m", "timingboard"]


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "timingboard", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=cwd,
    )


def _one_line_error(run: subprocess.CompletedProcess[str], *words: str) -> None:
    assert run.returncode == 2, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("timingboard: "), run.stderr
    for word in words:
        assert word in lines[0]


def _board(path: Path) -> list[tuple]:
    file = SessionFile.open(path, read_only=True)
    try:
        engine = TimingEngine.from_log(file.settings, file.entries())
    finally:
        file.close()
    return [(s.car, s.laps, s.best_lap_ms) for s in engine.standings()]


def _passings(folder: Path) -> int:
    files = list(folder.glob("p3-*.tbs"))
    if not files:
        return 0
    try:
        with sqlite3.connect(f"{files[0].resolve().as_uri()}?mode=ro", uri=True) as db:
            return db.execute("SELECT COUNT(*) FROM events WHERE kind = 'Passing'").fetchone()[0]
    except sqlite3.Error:
        return 0


@needs_captures
def test_import_of_a_p3_capture_in_hex_and_in_raw_bytes(tmp_path: Path) -> None:
    hex_run = _run("import", str(LONG), "-o", str(tmp_path / "hex.tbs"))
    assert hex_run.returncode == 0, hex_run.stderr
    assert "1388 P3 record(s), 84 passing(s), 3 car(s), 80 lap(s)" in hex_run.stdout
    raw = tmp_path / "capture.bin"
    raw.write_bytes(b"".join(wires()))
    raw_run = _run("import", str(raw), "-o", str(tmp_path / "raw.tbs"))
    assert raw_run.returncode == 0, raw_run.stderr
    assert _board(tmp_path / "raw.tbs") == _board(tmp_path / "hex.tbs")
    file = SessionFile.open(tmp_path / "raw.tbs", read_only=True)
    try:
        assert file.raw_feed() == raw.read_bytes()  # the bytes, as received
    finally:
        file.close()


@needs_captures
def test_import_of_a_damaged_p3_capture_skips_the_bad_records_with_reasons(tmp_path: Path) -> None:
    lines = LONG.read_text().split()
    lines[187] = lines[187][:-6] + "00008f"  # a passing whose bytes no longer match its CRC
    lines.insert(10, "not hex at all")
    damaged = tmp_path / "damaged.out"
    damaged.write_text("\n".join(lines) + "\n")
    run = _run("import", str(damaged), "-o", str(tmp_path / "d.tbs"))
    assert run.returncode == 0, run.stderr
    assert "83 passing(s)" in run.stdout
    assert "1 x bad CRC" in run.stdout and "1 x line N is not hex" in run.stdout


@needs_captures
def test_import_of_a_capture_with_passings_sent_again_keeps_them_once_not_skipped(
    tmp_path: Path,
) -> None:
    """A RESEND after a dropped link repeats passings: nothing is lost, so they are not read as
    "skipped part(s)" (they were, as many as were sent again)."""
    again = tmp_path / "resent.out"
    again.write_text(LONG.read_text() * 2)
    run = _run("import", str(again), "-o", str(tmp_path / "r.tbs"))
    assert run.returncode == 0, run.stderr
    assert "84 passing(s)" in run.stdout and "skipped" not in run.stdout
    assert "kept once: 84 x passing sent again (nothing lost)" in run.stdout


def _kind_and_flags(path: Path) -> tuple[str, list[tuple[int, str]]]:
    file = SessionFile.open(path, read_only=True)
    try:
        flags = [
            (e.event.time_ms, str(e.event.flag))
            for e in file.entries()
            if isinstance(e.event, FlagChanged)
        ]
        return str(file.settings.kind), flags
    finally:
        file.close()


@needs_captures
def test_import_of_a_p3_capture_takes_the_kind_connect_takes(tmp_path: Path) -> None:
    """``connect p3://`` had ``--kind``, ``import`` of the same decoder's capture not: it was
    always a practice. A race imported is green from its first passing (a record takes no
    F5: its crossings all read before the green), its laps the practice's."""
    runs = {}
    for kind in ("practice", "qualifying", "race"):
        out = tmp_path / f"{kind}.tbs"
        runs[kind] = _run("import", str(LONG), "-o", str(out), "--kind", kind)
        assert runs[kind].returncode == 0, runs[kind].stderr
        assert "84 passing(s), 3 car(s), 80 lap(s)" in runs[kind].stdout
        assert _kind_and_flags(out) == (kind, [(0, "green")])
    plain = _run("import", str(LONG), "-o", str(tmp_path / "plain.tbs"))
    assert _kind_and_flags(tmp_path / "plain.tbs")[0] == "practice"  # as before: the default
    assert plain.stdout.replace("plain", "practice") == runs["practice"].stdout
    laps = {kind: sorted(r[:2] for r in _board(tmp_path / f"{kind}.tbs")) for kind in runs}
    assert laps["race"] == laps["practice"] == laps["qualifying"]
    sheet = _run("results", str(tmp_path / "race.tbs"))
    assert sheet.returncode == 0, sheet.stderr
    second = sheet.stdout.splitlines()[2].split(",")
    assert second[8:11] == ["26", "20:07.278", "+3 laps"]  # a race's sheet: laps, time, laps down


def test_import_kind_refused_for_an_rmonitor_capture_and_a_kind_unknown(tmp_path: Path) -> None:
    """An RMonitor capture's sessions say their own kind ($RMS, the run's name): ``--kind``
    for all of them is refused on one line, nothing written; a kind not known, with the
    choices (argparse's usage and error)."""
    stream = tmp_path / "heat.txt"
    stream.write_text('$B,5,"Heat 1"\r\n$F,9999,"00:00:00","12:00:00","00:00:00","Green "\r\n')
    out = tmp_path / "heat.tbs"
    run = _run("import", str(stream), "-o", str(out), "--kind", "race")
    _one_line_error(run, "--kind is for P3 captures", str(stream), "RMonitor capture")
    assert not out.exists()
    bad = _run("import", str(stream), "-o", str(out), "--kind", "sprint")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert "argument --kind: invalid choice: 'sprint'" in bad.stderr
    assert "practice" in bad.stderr and "qualifying" in bad.stderr
    assert not out.exists()
    assert _run("import", str(stream), "-o", str(out)).returncode == 0  # without: as before


def test_import_of_a_p3_capture_with_nothing_to_time_fails_on_one_line(tmp_path: Path) -> None:
    empty = tmp_path / "status-only.out"
    empty.write_text("8e021f004d7c0000020001022700070216000c01760601008104131804008f\n")
    run = _run("import", str(empty), "-o", str(tmp_path / "x.tbs"))
    _one_line_error(run, "no passing on the finish line")
    assert not (tmp_path / "x.tbs").exists()


def test_simulate_p3_without_a_capture_or_with_a_bad_one_fails_on_one_line(tmp_path: Path) -> None:
    _one_line_error(_run("simulate", "--protocol", "p3"), "--capture")
    text = tmp_path / "text.txt"
    text.write_text("hello\n")
    _one_line_error(_run("simulate", "--protocol", "p3", "--capture", str(text)), "not a P3")


def test_connect_p3_with_a_bad_address_or_line_fails_on_one_line(tmp_path: Path) -> None:
    _one_line_error(_run("connect", "p3://no host:99999", "--dir", str(tmp_path)), "p3://")
    _one_line_error(
        _run("connect", "p3://127.0.0.1", "--lines", "7=pits", "--dir", str(tmp_path)),
        "--lines",
    )
    entries = tmp_path / "entries.csv"
    entries.write_text("car,driver,transponder\n31,Justin Haley\n")
    _one_line_error(
        _run("connect", "p3://127.0.0.1", "--entries", str(entries), "--dir", str(tmp_path)),
        "line 2",
    )
    _one_line_error(
        _run("connect", "p3://127.0.0.1", "--resume", str(tmp_path / "gone.tbs")), "does not exist"
    )
    assert list(tmp_path.glob("*.tbs")) == []


@needs_captures
def test_connect_p3_follows_the_simulated_decoder_into_a_session_file(
    tmp_path: Path, qtbot, command_env
):
    env = command_env
    decoder = subprocess.Popen(
        [
            *TB,
            "simulate",
            "--protocol",
            "p3",
            "--capture",
            str(LONG),
            "--port",
            "0",
            "--speed",
            "1000",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    board = None
    try:
        first = decoder.stdout.readline()
        assert first.startswith(f"A P3 decoder replaying {LONG} (1388 records) on p3://127.0.0.1:")
        port = int(first.rsplit(":", 1)[1].split()[0])
        entries = tmp_path / "entries.csv"
        entries.write_text("car,driver,transponder\n31,Justin Haley,3438895\n")
        follow = ["--entries", str(entries), "--kind", "race"]
        board = subprocess.Popen(
            [*TB, "connect", f"p3://127.0.0.1:{port}", "--dir", str(tmp_path), *follow],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        qtbot.waitUntil(lambda: _passings(tmp_path) == 84, timeout=60_000)
    finally:
        for process in (board, decoder):
            if process is not None:
                process.send_signal(signal.SIGINT)
        outputs = [p.communicate(timeout=30) for p in (board, decoder) if p is not None]
    for process, (_out, err) in zip((board, decoder), outputs, strict=True):
        assert process is not None and process.returncode == 0, err
        assert "Traceback" not in err
    (path,) = tmp_path.glob("p3-*.tbs")
    file = SessionFile.open(path, read_only=True)
    try:
        assert file.settings.kind == "race"
        engine = TimingEngine.from_log(file.settings, file.entries())
    finally:
        file.close()
    # a race waits for the operator's green (F5): it went green by itself at the first passing
    assert engine.flag_changes() == ()
    rows = _board(path)
    assert {r[0] for r in rows} == {"31", "T5691251", "T3292480"}
    crossings = engine.entries["31"].timing.crossings  # the entered car, by its transponder
    assert len(crossings) == 31
    # F5 at the tenth crossing: the nine before it were before the green, laps count from it
    green_ms = crossings[9][0] - 1
    engine.apply([LogEntry(engine.seq + 1, FlagChanged(time_ms=green_ms, flag=Flag.GREEN))])
    statuses = [engine.passing_status(pid) for _t, pid in crossings]
    assert statuses[:9] == [PassingStatus.BEFORE_START] * 9
    assert statuses[9] is PassingStatus.START
    assert engine.standing("31").laps == 20  # (one of the 21 crossings after it a double read)


@pytest.mark.parametrize("address", ["p3://", "p3://host:0", "p3://[zz]:5403"])
def test_p3_addresses_that_are_not(address: str) -> None:
    from timingboard.feeds.p3_session import parse_p3_address

    with pytest.raises(ValueError, match="is not p3://HOST:PORT"):
        parse_p3_address(address)
    assert parse_p3_address("p3://10.0.0.5") == ("10.0.0.5", 5403)


@needs_captures
def test_a_p3_capture_replays_like_a_session(tmp_path: Path) -> None:
    from timingboard.store.replay_source import ReplaySource

    source = ReplaySource.open(LONG)
    at_end = source.timeline.engine_at(10**9)
    assert [(s.car, s.laps) for s in at_end.standings()] == [
        ("T3438895", 29),
        ("T5691251", 26),
        ("T3292480", 25),
    ]
    assert len(source.timeline.engine_at(10).passings) == 9  # the first ten events: green + 9
    empty = tmp_path / "status-only.out"
    empty.write_text("8e021f004d7c0000020001022700070216000c01760601008104131804008f\n")
    _one_line_error(_run("replay", str(empty)), "no passing on the finish line")


def test_p3_options_given_to_rmonitor_commands_are_refused_on_one_line(tmp_path: Path) -> None:
    _one_line_error(
        _run("connect", "127.0.0.1:50000", "--lines", "1=finish", "--dir", str(tmp_path)),
        "--lines is for P3 decoders",
    )
    _one_line_error(_run("simulate", "--capture", "x.out"), "--capture is for P3 decoders")


@needs_captures
def test_an_imported_p3_practice_of_2019_reads_its_cars_finished(tmp_path: Path) -> None:
    """The walk: ``import`` of the 2019 capture, then ``results``, gave every car "running" and
    "PROVISIONAL — … the session is not over". A decoder gives no checkered: a practice of an
    earlier day it timed is a record, over (engine.long_past), as one finished with no end."""
    session = tmp_path / "practice.tbs"
    assert _run("import", str(LONG), "-o", str(session)).returncode == 0
    csv = _run("results", str(session))
    assert csv.returncode == 0, csv.stderr
    statuses = [line.rsplit(",", 1)[1] for line in csv.stdout.splitlines()[1:]]
    assert statuses == ["finished"] * 3, csv.stdout
    html = _run("results", str(session), "--format", "html")
    assert "PROVISIONAL: subject to the declaration of the results" in html.stdout
    assert "not over" not in html.stdout
