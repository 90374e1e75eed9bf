"""``timingboard results``: headless standings of a saved session, errors without tracebacks."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from race_scripts import QUARTER_MILE_QUALIFYING, QUARTER_MILE_RACE, field, three_car_race

from timingboard.cli import main
from timingboard.engine import Event
from timingboard.store import SessionRecorder


@pytest.fixture
def race_file(tmp_path: Path) -> Path:
    path = tmp_path / "heat.tbs"
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit(three_car_race())
    recorder.close()
    return path


def test_results_csv(race_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["results", str(race_file)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["position"], r["car"], r["laps"], r["gap"]) for r in rows] == [
        ("1", "2", "4", ""),
        ("2", "1", "4", "+0.600"),
        ("3", "3", "4", "+5.900"),
    ]


def test_results_json_at_a_moment(race_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["results", str(race_file), "--format", "json", "--at", "30"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["session"] == "Heat 1"
    assert [(r["car"], r["laps"]) for r in document["results"]] == [
        ("1", "2"),
        ("2", "2"),
        ("3", "1"),
    ]


@pytest.mark.parametrize("content", [None, b"garbage", b"SQLite format 3\x00junk"])
def test_bad_files_give_one_line_on_stderr(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "bad.tbs"
    if content is not None:
        path.write_bytes(content)
    run = subprocess.run(
        [sys.executable, "-m", "timingboard", "results", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.startswith("timingboard: ") and "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


def test_results_json_carries_the_audit_of_corrections(
    race_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from timingboard.engine import TimePenalty

    recorder = SessionRecorder.open(race_file)
    recorder.submit([TimePenalty(key="2", ms=1000, operator="Pat", reason="jump start", at="x")])
    recorder.close()
    assert main(["results", str(race_file), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["corrections"] == [
        {
            "number": 20,  # the event's in the log, as ever
            "ordinal": 1,  # the "#" the Corrections tab and the sheet show
            "at": "x",
            "operator": "Pat",
            "correction": "Time penalty +1.000 s for car 2",
            "reason": "jump start",
            "in_force": True,
        }
    ]
    assert [r["car"] for r in document["results"]] == ["1", "2", "3"]


def test_open_refuses_a_foreign_file_before_any_window(tmp_path: Path) -> None:
    path = tmp_path / "notes.tbs"
    path.write_text("shopping list")
    run = subprocess.run(
        [sys.executable, "-m", "timingboard", "open", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert "not a timingboard session" in run.stderr and "Traceback" not in run.stderr
    assert path.read_text() == "shopping list"


# --- --declare-official on a session not finished ------------------------------------------------


def _command(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "timingboard", "results", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def _official(path: Path) -> bool:
    done = _command(str(path), "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["status"]["official"]


def test_declaring_a_session_still_under_green_is_refused_with_the_windows_reason(
    race_file: Path, tmp_path: Path
) -> None:
    """The walk: ``results walk-q.tbs --declare-official --by Chief -o q.pdf`` on a race under
    green declared it official without a word; the window says why it is not finished."""
    from timingboard.engine.session_end import DECLARE_ONLY_STOPPED

    pdf = tmp_path / "q.pdf"
    refused = _command(str(race_file), "--declare-official", "--by", "Chief", "-o", str(pdf))
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.strip() == (
        f"timingboard: {race_file}: Heat 1 is not finished: the flag is GREEN, 6 laps to go. "
        f"{DECLARE_ONLY_STOPPED} To declare its results official anyway, add --allow-unfinished"
    )
    assert not pdf.exists() and not _official(race_file)  # nothing declared, nothing written


def test_declaring_an_unfinished_session_with_allow_unfinished(
    race_file: Path, tmp_path: Path
) -> None:
    pdf = tmp_path / "q.pdf"
    args = ["--declare-official", "--allow-unfinished", "--by", "Chief", "-o", str(pdf)]
    done = _command(str(race_file), *args)
    assert done.returncode == 0, done.stderr
    assert "results declared official by Chief" in done.stderr
    assert pdf.is_file() and _official(race_file)


def test_a_finished_session_is_declared_without_the_option(tmp_path: Path) -> None:
    from timingboard.engine import Flag, FlagChanged

    path = tmp_path / "heat.tbs"
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit([*three_car_race(), FlagChanged(time_ms=63_000, flag=Flag.CHECKERED)])
    recorder.close()
    done = _command(str(path), "--declare-official", "--by", "Chief")
    assert done.returncode == 0, done.stderr
    assert _official(path)


def test_allow_unfinished_without_declaring_is_refused(race_file: Path) -> None:
    refused = _command(str(race_file), "--allow-unfinished")
    assert refused.returncode == 2 and refused.stdout == ""
    assert "--allow-unfinished" in refused.stderr and "--declare-official" in refused.stderr
    assert "Traceback" not in refused.stderr


# --- clock and flag: what the board shows -------------------------------------------------------


def test_results_json_says_the_boards_clock_flag_and_state_of_a_race_finished_then_ended(
    tmp_path: Path,
) -> None:
    """Finished by the distance (no checkered thrown), car 2 still out, then ended by the
    operator at 0:00:45.805: the board reads CHECKERED, "since green 0:00:04", then
    "Finished"; the JSON said "clock": "0:00:07", "flag": "green"."""
    from dataclasses import replace

    from timingboard.engine import EndSession, Flag, FlagChanged, Passing

    path = tmp_path / "end-test.tbs"
    recorder = SessionRecorder.create(
        path, replace(QUARTER_MILE_RACE, race_laps=2, min_lap_ms=1000)
    )
    recorder.submit([FlagChanged(time_ms=2520, flag=Flag.GREEN)])
    for at, car in ((2900, "1"), (3400, "2"), (5000, "1"), (5399, "2"), (7052, "1")):
        recorder.submit([Passing(time_ms=at, car=car)])
    recorder.close()
    checkered = json.loads(_command(str(path), "--format", "json").stdout)
    assert (checkered["clock"], checkered["flag"], checkered["remaining"]) == (
        "0:00:04",
        "checkered",
        "Checkered",
    )
    recorder = SessionRecorder.open(path)
    recorder.submit([EndSession(time_ms=45_805, operator="Sam", reason="ended by the operator")])
    recorder.close()
    done = _command(str(path), "--format", "json")
    assert done.returncode == 0, done.stderr
    ended = json.loads(done.stdout)
    assert (ended["clock"], ended["flag"], ended["remaining"]) == (
        "0:00:04",
        "checkered",
        "Finished",
    )


# --- the header's End: when the session ended ----------------------------------------------------

HOUR_AGO = 3600.0  # the sessions below were timed an hour ago: no time of theirs is to come


def _timed_an_hour_ago(path: Path, kind: str, *events: Event) -> float:
    """A session made an hour ago holding ``events`` after its field and green (at 10 s);
    its time zero."""
    from timingboard.engine import Flag, FlagChanged

    origin = time.time() - HOUR_AGO
    settings = QUARTER_MILE_RACE if kind == "race" else QUARTER_MILE_QUALIFYING
    recorder = SessionRecorder.create(path, settings, origin=origin)
    recorder.submit([*field(["1", "2"]), FlagChanged(time_ms=10_000, flag=Flag.GREEN)])
    for event in events:
        recorder.submit([event])
    recorder.close()
    return origin


def _of_day(origin: float, ms: int) -> str:
    """Session time ``ms`` as the sheet prints a time of day (local time)."""
    return (datetime.fromtimestamp(origin).astimezone() + timedelta(milliseconds=ms)).strftime(
        "%H:%M:%S"
    )


def _laps(source: str = "manual") -> list[Event]:
    from timingboard.engine import Passing, Source

    times = ((11_000, "1"), (11_500, "2"), (30_000, "1"), (31_000, "2"), (50_000, "1"))
    return [Passing(time_ms=t, car=car, source=Source(source)) for t, car in times]


@pytest.mark.parametrize(
    "ended",
    ["by the operator", "by the timing system"],
)
def test_the_end_of_a_session_ended_is_on_its_sheet_in_every_format(
    tmp_path: Path, ended: str
) -> None:
    """Flag ▸ End session… (``EndSession``) or RMonitor's ``$B`` run 95 (``SessionEnded``) at
    0:10:00, cars still out: the header's End read the last lap's time (0:00:50), or nothing
    with no lap completed; now the session's end, as its Start is printed."""
    from pypdf import PdfReader

    from timingboard.engine import EndSession, SessionEnded

    path = tmp_path / "heat.tbs"
    if ended == "by the operator":
        end = EndSession(time_ms=600_000, operator="Sam", reason="ended by the operator")
        origin = _timed_an_hour_ago(path, "race", *_laps(), end)
    else:
        origin = _timed_an_hour_ago(path, "race", *_laps("feed"), SessionEnded(time_ms=600_000))
    start, end_text = _of_day(origin, 10_000), _of_day(origin, 600_000)
    done = _command(str(path), "--format", "json")
    assert done.returncode == 0, done.stderr
    header = json.loads(done.stdout)["header"]
    assert (header["start"], header["end"]) == (start, end_text)
    html = _command(str(path), "--format", "html")
    assert html.returncode == 0, html.stderr
    assert f"<th>Start</th><td>{start}</td>" in html.stdout
    assert f"<th>End</th><td>{end_text}</td>" in html.stdout
    pdf = tmp_path / "heat.pdf"
    printed = _command(str(path), "-o", str(pdf))
    assert printed.returncode == 0, printed.stderr
    text = " ".join(PdfReader(str(pdf)).pages[0].extract_text().split())
    assert f"Start: {start}" in text and f"End: {end_text}" in text, text[:400]


def test_a_qualifying_ended_before_any_lap_has_its_end_and_one_all_in_its_last_flag(
    tmp_path: Path,
) -> None:
    """Ended with only the out-lap crossings (no lap completed): End was blank. All in under the
    checkered and ended an hour of session later: End is when the last car took the flag."""
    from timingboard.engine import EndSession, Flag, FlagChanged, Passing

    out_only = tmp_path / "q.tbs"
    origin = _timed_an_hour_ago(
        out_only,
        "qualifying",
        Passing(time_ms=11_000, car="1"),
        Passing(time_ms=12_000, car="2"),
        EndSession(time_ms=300_000, operator="Sam", reason="ended by the operator"),
    )
    header = json.loads(_command(str(out_only), "--format", "json").stdout)["header"]
    assert (header["start"], header["end"]) == (_of_day(origin, 10_000), _of_day(origin, 300_000))

    all_in = tmp_path / "heat.tbs"
    origin = _timed_an_hour_ago(
        all_in,
        "race",
        *_laps()[:4],
        FlagChanged(time_ms=40_000, flag=Flag.CHECKERED),
        *_laps()[4:],  # 1 takes the flag at 0:00:50
        Passing(time_ms=52_000, car="2"),  # and 2, the last car in
        EndSession(time_ms=3_000_000, operator="Sam", reason="ended by the operator"),
    )
    header = json.loads(_command(str(all_in), "--format", "json").stdout)["header"]
    assert header["end"] == _of_day(origin, 52_000)
