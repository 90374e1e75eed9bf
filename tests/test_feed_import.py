"""``timingboard import``: a capture becomes session files whose boards match the stream."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SHARED_FEEDS
from test_rmonitor_parser import STREAM

from timingboard.cli import main
from timingboard.store import SessionRecorder

ORBITS = SHARED_FEEDS / "orbits_mock_session_brandshatch.txt"
COTA = SHARED_FEEDS / "redmist_cota_2025-12-07_7hr.txt"
FULLDAY = SHARED_FEEDS / "redmist_roadamerica_2025-04-25_fullday.txt"


def test_import_of_a_stream_we_wrote(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capture = tmp_path / "capture.txt"
    capture.write_bytes(STREAM + b'$J,"31","00:00:13.413","00:00:15.464"\n')
    assert main(["import", str(capture), "-o", str(tmp_path / "out.tbs")]) == 0
    out = capsys.readouterr().out
    assert "Test Race (race), 1 car(s), 2 passing(s)" in out
    assert "skipped 3 line(s)" in out
    recorder = SessionRecorder.open(tmp_path / "out.tbs")
    assert recorder.engine.standing("31").laps == 1
    assert recorder.engine.standing("31").driver == "Justin Haley"
    recorder.close()


RESENT = (
    b'$B,1,"Heat"\r\n$A,"31","31",1031,"Justin","Haley","USA",1\r\n'
    b'$F,9999,"00:00:00","12:00:00","00:00:00","Green "\r\n'
    b'$J,"31","00:00:00.000","00:00:01.000"\r\n'
    b'$J,"31","00:00:13.500","00:00:14.500"\r\n'
    b'$J,"31","00:00:13.500","00:00:14.500"\r\n'  # the same crossing sent again
    b'$J,"31","00:00:13.530","00:00:14.530"\r\n'  # and again, re-timed by +30 ms
    b'$J,"31","00:00:13.400","00:00:27.900"\r\n'
)


def test_import_names_a_resent_crossing_once_however_it_was_retimed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It read "2 x the same crossing sent again …, 1 x the same crossing sent again"."""
    capture = tmp_path / "capture.txt"
    capture.write_bytes(RESENT)
    assert main(["import", str(capture), "-o", str(tmp_path / "out.tbs")]) == 0
    out = capsys.readouterr().out
    assert "Heat (race), 1 car(s)" in out
    assert out.count("sent again") == 1, out
    # sent again is the timing system's normal way: said apart from the lines skipped
    assert "kept once: 2 x the same crossing sent again (nothing lost)" in out.splitlines()
    assert "skipped" not in out


@pytest.mark.feeds
@pytest.mark.skipif(not COTA.exists(), reason="../shared/feeds is not here")
def test_import_of_a_relay_capture_names_each_reason_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(COTA), "-o", str(tmp_path / "cota.tbs")]) == 0
    out = capsys.readouterr().out
    assert out.count("sent again") == 1, out
    assert out.splitlines()[-1] == "kept once: 8 x the same crossing sent again (nothing lost)"


def test_import_of_a_session_the_timing_system_timed_no_car_of_compares_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An HPDE run ($H lists the cars, times none): it read "agrees with $H over 0 car(s)"."""
    from test_feed_status_bar import HPDE

    capture = tmp_path / "hpde.txt"
    capture.write_bytes(HPDE)
    assert main(["import", str(capture), "-o", str(tmp_path / "hpde.tbs")]) == 0
    out = capsys.readouterr().out
    assert "HPDE S1 (practice), 2 car(s), 0 passing(s); no car to compare with $H (best lap)" in out
    assert "agrees" not in out


@pytest.mark.feeds
@pytest.mark.skipif(not FULLDAY.exists(), reason="../shared/feeds is not here")
def test_import_of_a_day_with_hpde_runs_never_agrees_over_no_car(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(FULLDAY), "-o", str(tmp_path / "day.tbs")]) == 0
    out = capsys.readouterr().out
    assert "over 0 car(s)" not in out
    assert out.count("no car to compare with $H (best lap)") == 5, out  # HPDE S1 to S5


def test_import_never_overwrites(tmp_path: Path) -> None:
    capture = tmp_path / "capture.txt"
    capture.write_bytes(STREAM)
    target = tmp_path / "out.tbs"
    target.write_text("precious")
    run = subprocess.run(
        [sys.executable, "-m", "timingboard", "import", str(capture), "-o", str(target)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2 and "already exists" in run.stderr
    assert target.read_text() == "precious"


def test_import_of_nonsense_says_so(tmp_path: Path) -> None:
    capture = tmp_path / "noise.bin"
    capture.write_bytes(bytes(range(256)) * 10)
    assert main(["import", str(capture), "-o", str(tmp_path / "x.tbs")]) == 2
    assert not (tmp_path / "x.tbs").exists()


@pytest.mark.feeds
@pytest.mark.skipif(not ORBITS.exists(), reason="../shared/feeds is not here")
def test_import_of_the_orbits_capture_ends_in_its_own_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(ORBITS), "-o", str(tmp_path / "bh.tbs")]) == 0
    assert "agrees with $G (laps) over 6 car(s)" in capsys.readouterr().out
    assert main(["results", str(tmp_path / "bh.tbs")]) == 0
    lines = capsys.readouterr().out.splitlines()[1:]
    assert [line.split(",")[1] for line in lines] == ["3", "4", "1", "5", "6", "2"]
