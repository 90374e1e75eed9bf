"""An imported session is dated by its capture, not by the moment of the import.

A new user imported the 2009 Sebring test (its ``$I`` says 27 Jan 09) and read a results
header of today, with an end hours in the future; the Road America day (receive times on
every batch) read today too. The session file's origin is now the capture's own clock.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from conftest import SHARED_FEEDS

from timingboard.feeds.rmonitor_origin import ClockClue, DayMark, session_origin
from timingboard.feeds.rmonitor_parser import parse_bytes
from timingboard.feeds.rmonitor_session import RMonitorMapper

SEBRING = SHARED_FEEDS / "sebring2009_alms_test_session4.txt"
FULLDAY = SHARED_FEEDS / "redmist_roadamerica_2025-04-25_fullday.txt"
needs_feeds = pytest.mark.skipif(not SHARED_FEEDS.is_dir(), reason="../shared/feeds is not here")


def _run(args: list[str], zone: str = "") -> str:
    env = dict(os.environ)
    if zone:
        env["TZ"] = zone
    run = subprocess.run(
        [sys.executable, "-m", "timingboard", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    return run.stdout


def _header(path: Path, zone: str = "") -> dict[str, str]:
    sheet = json.loads(_run(["results", str(path), "--format", "json"], zone))
    return sheet["header"]


@needs_feeds
@pytest.mark.parametrize("zone", ["UTC", "America/New_York"])
def test_the_sebring_test_is_dated_27_january_2009(tmp_path: Path, zone: str) -> None:
    """No receive times: ``$I``'s day, the time of day of ``$F`` at race time zero (07:59:59),
    in the local time zone, whichever it is (the capture names none)."""
    out = tmp_path / "sebring.tbs"
    printed = _run(["import", str(SEBRING), "-o", str(out)], zone).splitlines()
    # the ALMS session, then the Lites entry list sent after its end and reset (no race clock,
    # no receive times: that one is dated by the import)
    alms = tmp_path / "sebring-01-test-session-4.tbs"
    assert printed[0].startswith(f"{alms}: Test Session 4 (practice), 11 car(s)")
    assert "dated by the moment of the import" not in printed[1]
    assert printed[2].startswith(f"{tmp_path / 'sebring-02-test-session-4.tbs'}: ")
    header = _header(alms, zone)
    assert (header["date"], header["start"], header["end"]) == (
        "2009-01-27",
        "07:59:59",
        "10:01:08",
    )


@needs_feeds
def test_the_road_america_day_is_dated_by_its_receive_times(tmp_path: Path) -> None:
    """Receive times are UTC: GP1/GP2/GP3 went green at 19:20:02 UTC, which the timing
    system's own time of day (Central time) gives as 14:20:02."""
    _run(["import", str(FULLDAY), "-o", str(tmp_path / "day.tbs")])
    race = tmp_path / "day-09-gp1-gp2-gp3.tbs"
    header = _header(race, "UTC")
    assert (header["date"], header["start"]) == ("2025-04-25", "19:20:02")
    assert _header(race, "America/Chicago")["start"] == "14:20:02"
    # an untimed run (no race clock) begins when its first record came
    assert _header(tmp_path / "day-02-hpde-s1.tbs", "UTC")["date"] == "2025-04-25"
    for path in tmp_path.glob("day-*.tbs"):
        assert _header(path, "UTC")["date"] == "2025-04-25", path.name


NO_DATE = (
    b'$B,1,"Heat"\r\n$A,"31","31",1031,"Justin","Haley","USA",1\r\n'
    b'$F,2,"00:00:00","00:00:00","00:00:00","Green "\r\n'
    b'$J,"31","00:00:00.000","00:00:01.000"\r\n'
    b'$J,"31","00:30:00.000","00:30:01.000"\r\n'
    b'$F,1,"00:00:00","00:30:02","00:30:02","Green "\r\n'
    b'$J,"31","00:30:00.000","01:00:01.000"\r\n'
    b'$F,0,"00:00:00","01:00:02","01:00:02","Finish"\r\n'
    b'$J,"31","00:30:00.000","01:30:01.000"\r\n'
)


def test_a_capture_without_a_date_is_dated_by_the_import_and_ends_in_no_future(
    tmp_path: Path,
) -> None:
    """Time of day but no day: the import's moment is time zero, said so; the sheet shows
    the start, and no end 90 minutes from now."""
    capture = tmp_path / "capture.txt"
    capture.write_bytes(NO_DATE)
    before = datetime.now().astimezone()
    printed = _run(["import", str(capture), "-o", str(tmp_path / "heat.tbs")])
    assert (
        "the capture gives no date and time of day for it: dated by the moment of the import"
        in printed
    )
    header = _header(tmp_path / "heat.tbs")
    after = datetime.now().astimezone()
    assert header["date"] in {before.strftime("%Y-%m-%d"), after.strftime("%Y-%m-%d")}
    assert header["start"] and header["end"] == ""


def _mapped(stream: bytes) -> RMonitorMapper:
    mapper = RMonitorMapper()
    mapper.read(parse_bytes(stream))
    return mapper


def test_a_session_across_midnight_keeps_the_day_of_its_start() -> None:
    """``$I`` at 23:50 on 31 Dec 24; race time zero at 23:55; a heartbeat after midnight."""
    mapper = _mapped(
        b'$I,"23:50:00","31 Dec 24"\n$B,3,"Night race"\n'
        b'$F,9999,"00:00:00","00:05:00","00:10:00","Green "\n'
        b'$J,"1","00:00:00.000","00:10:30.000"\n'
    )
    (session,) = mapper.sessions
    assert session.origin == datetime(2024, 12, 31, 23, 55).timestamp()


def test_a_heartbeat_before_the_clock_runs_does_not_place_time_zero() -> None:
    """Orbits shows race time 00:59:59 with no flag before a test starts, and 0 at a green
    whose clock has not run yet: neither says when zero was."""
    mapper = _mapped(
        b'$F,9999,"00:00:00","07:59:36","00:59:59","      "\n'
        b'$F,9999,"00:00:00","08:00:00","00:00:00","Green "\n'
        b'$F,9999,"00:00:00","08:00:01","00:00:00","Green "\n'
        b'$F,9999,"00:00:00","08:00:03","00:00:01","Green "\n'
        b'$J,"1","00:00:00.000","00:00:02.000"\n'
        b'$I,"10:03:08","27 Jan 09"\n'  # sent at the end
    )
    (session,) = mapper.sessions
    assert session.origin == datetime(2009, 1, 27, 8, 0, 2).timestamp()


def test_the_receive_time_comes_first_and_a_reset_begins_a_new_clock() -> None:
    mapper = _mapped(
        b"##2025-04-25 19:00:10.500\n"
        b'$I,"14:00:00","25 Apr 25"\n$B,1,"Heat 1"\n'
        b'$F,9999,"00:00:00","14:00:10","00:00:10","Green "\n'
        b'$J,"1","00:00:00.000","00:00:11.000"\n'
        b'$J,"1","00:01:00.000","00:01:11.000"\n'
        b'$F,9999,"00:00:00","14:01:12","00:01:12","Green "\n'
        b"##2025-04-25 20:00:05.000\n"
        b'$I,"15:00:00","25 Apr 25"\n'
        b'$F,9999,"00:00:00","15:00:05","00:00:05","Green "\n'  # race time starts again
        b'$J,"1","00:00:00.000","00:00:06.000"\n'
        b'$J,"1","00:01:00.000","00:01:06.000"\n'
    )
    first, second = mapper.sessions
    assert first.origin == datetime.fromisoformat("2025-04-25T19:00:00.500+00:00").timestamp()
    assert second.origin == datetime.fromisoformat("2025-04-25T20:00:00+00:00").timestamp()


@pytest.mark.parametrize(
    ("clock", "mark"),
    [
        (None, DayMark(datetime(2009, 1, 27).date(), 0)),  # no heartbeat ran
        (ClockClue(8 * 3600 * 1000, None), None),  # no day
        (ClockClue(None, None), DayMark(datetime(2009, 1, 27).date(), 0)),
    ],
)
def test_without_a_day_and_a_time_of_day_the_capture_gives_no_origin(
    clock: ClockClue | None, mark: DayMark | None
) -> None:
    assert session_origin(clock, mark) is None


# --- P3 decoder captures: dated by the decoder's clock, as RMonitor ones by theirs -------------

P3_START = datetime.fromisoformat("2019-03-02T16:06:48.933+00:00")  # the ambp3client capture's


def _p3_capture(path: Path, start_us: int, utc_offset_us: int | None = None) -> Path:
    """Hex text, one record a line, as the open P3 client captures it: three laps of one car,
    with the UTC time beside the RTC when ``utc_offset_us`` is given (RTC = UTC + offset)."""
    from timingboard.feeds.p3_parser import P3Record, PassingTag, encode_record, passing, u

    lines = []
    for number, lap in enumerate(range(4), start=1):
        record = passing(number, 3438895, start_us + lap * 39_000_000, decoder_id=0x41813)
        if utc_offset_us is not None:
            utc = start_us + lap * 39_000_000 - utc_offset_us
            record = P3Record(record.type, (*record.fields, (int(PassingTag.UTC_TIME), u(utc, 8))))
        lines.append(encode_record(record).hex())
    path.write_text("\n".join(lines) + "\n")
    return path


def _p3_import(tmp_path: Path, capture: Path) -> tuple[str, dict[str, str]]:
    out = tmp_path / "p3.tbs"
    printed = _run(["import", str(capture), "-o", str(out)], "UTC")
    return printed, _header(out, "UTC")


def test_a_p3_capture_is_dated_by_its_passings_own_clock(tmp_path: Path) -> None:
    """It was dated by the moment of the import: a 2019 decoder capture read today."""
    start_us = int(P3_START.timestamp() * 1_000_000)
    printed, header = _p3_import(tmp_path, _p3_capture(tmp_path / "rtc.out", start_us))
    assert "dated by the moment of the import" not in printed
    assert (header["date"], header["start"]) == ("2019-03-02", "16:06:48")


def test_a_p3_capture_with_utc_times_is_dated_by_them(tmp_path: Path) -> None:
    """A decoder whose RTC keeps local time (an hour ahead) and sends UTC beside it."""
    start_us = int(P3_START.timestamp() * 1_000_000) + 3600_000_000
    capture = _p3_capture(tmp_path / "utc.out", start_us, utc_offset_us=3600_000_000)
    _printed, header = _p3_import(tmp_path, capture)
    assert (header["date"], header["start"]) == ("2019-03-02", "16:06:48")


def test_a_p3_clock_that_was_never_set_dates_by_the_import_and_says_so(tmp_path: Path) -> None:
    """A decoder counting from its start (10 000 s): no date; the import's, said so."""
    before = datetime.now().astimezone()
    printed, header = _p3_import(tmp_path, _p3_capture(tmp_path / "unset.out", 10_000_000_000))
    assert "the decoder's clock gives no date for it: dated by the moment of the import" in printed
    assert header["date"] in {before.strftime("%Y-%m-%d"), datetime.now().strftime("%Y-%m-%d")}


@pytest.mark.skipif(
    not (SHARED_FEEDS.parent / "p3" / "ambp3client_amb-short.out").is_file(),
    reason="../shared/feeds/p3 is not here",
)
def test_the_real_p3_capture_is_dated_2_march_2019(tmp_path: Path) -> None:
    capture = SHARED_FEEDS.parent / "p3" / "ambp3client_amb-short.out"
    printed, header = _p3_import(tmp_path, capture)
    assert "dated by the moment of the import" not in printed
    assert header["date"] == "2019-03-02" and header["start"].startswith("16:"), header
