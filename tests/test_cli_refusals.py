"""Commands that must say no, in one clear line (exit 2): lining up from a session still running,
writing results over the session they are read from; and what import says of what it skipped."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from timingboard.demo.clash import qualifying
from timingboard.store.recorder import SessionRecorder


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"XDG_CONFIG_HOME": str(tmp_path / "config"), "HOME": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-m", "timingboard", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


@pytest.fixture
def running_qualifying(tmp_path: Path) -> Path:
    """Qualifying with a good part of its time still to go: some cars have no lap yet."""
    script = qualifying()
    path = tmp_path / "quali.tbs"
    recorder = SessionRecorder.create(path, script.settings)
    recorder.submit(list(script.competitors))
    recorder.submit([event for at, event in script.events if at < 60_000])
    recorder.close()
    return path


def test_lineup_from_a_session_still_running_is_refused(tmp_path, running_qualifying) -> None:
    before = sorted(tmp_path.iterdir())
    done = run(tmp_path, "lineup", str(running_qualifying), "--rule", "split:2", "--name", "Heat")
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert "is not finished: the flag is GREEN" in lines[0]
    assert "--allow-unfinished" in lines[0]
    assert sorted(tmp_path.iterdir()) == before  # nothing written
    allowed = run(
        tmp_path,
        *("lineup", str(running_qualifying), "--rule", "split:2", "--name", "Heat"),
        "--allow-unfinished",
    )
    assert allowed.returncode == 0, allowed.stderr
    assert (tmp_path / "heat-1.tbs").is_file()


def test_results_over_the_session_it_reads_is_refused_in_plain_words(
    tmp_path, running_qualifying
) -> None:
    before = running_qualifying.read_bytes()
    done = run(tmp_path, "results", str(running_qualifying), "-o", str(running_qualifying))
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"timingboard: refusing to overwrite {running_qualifying}: "
        "it is the session this command reads; choose another output"
    )
    assert running_qualifying.read_bytes() == before


def test_import_names_each_reason_it_skipped_once(tmp_path) -> None:
    from timingboard.store.feed_import import reason_counts

    skipped = Counter(
        {
            "the same crossing sent again": 4,
            "the same crossing sent again (re-timed by +12 ms)": 2,
            "not a record": 1,
        }
    )
    assert reason_counts(skipped) == "6 x the same crossing sent again, 1 x not a record"


@pytest.mark.parametrize(
    ("name", "starts"), [("out.pdf", b"%PDF"), ("out.HTML", b"<!"), ("out.json", b"{")]
)
def test_results_written_in_the_format_the_output_name_ends_with(
    tmp_path, running_qualifying, name: str, starts: bytes
) -> None:
    out = tmp_path / name
    done = run(tmp_path, "results", str(running_qualifying), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().lstrip()[: len(starts)].lower() == starts.lower()


@pytest.mark.parametrize("name", ["r.txt", "results", "r.tbs.bak"])
def test_results_to_a_name_of_no_format_is_refused_without_format(
    tmp_path, running_qualifying, name: str
) -> None:
    out = tmp_path / name
    done = run(tmp_path, "results", str(running_qualifying), "-o", str(out))
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"timingboard: cannot tell the format of {name}: end it with .pdf, .html, .csv, .json, "
        "or add --format pdf|html|csv|json"
    )
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["quali.tbs"]


@pytest.mark.parametrize(("fmt", "starts"), [("csv", "position,"), ("json", "{"), ("html", "<!")])
def test_results_to_a_name_of_no_format_is_written_as_format_says(
    tmp_path, running_qualifying, fmt: str, starts: str
) -> None:
    out = tmp_path / "r.txt"
    done = run(tmp_path, "results", str(running_qualifying), "-o", str(out), "--format", fmt)
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8").lower().startswith(starts.lower())


def test_results_with_a_format_the_output_name_contradicts_is_refused(
    tmp_path, running_qualifying
) -> None:
    out = tmp_path / "out.pdf"
    done = run(tmp_path, "results", str(running_qualifying), "--format", "csv", "-o", str(out))
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "timingboard: out.pdf names a PDF file but --format csv was asked for: "
        "end the name with .csv, or leave --format out"
    )
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("demo", "--sped", "10"), "timingboard demo: unrecognized arguments: --sped 10"),
        (("results", "a.tbs", "b.tbs"), "timingboard results: unrecognized arguments: b.tbs"),
        (("--bogus",), "timingboard: unrecognized arguments: --bogus"),
    ],
)
def test_an_argument_a_command_does_not_know_points_to_that_commands_help(
    tmp_path: Path, args: tuple[str, ...], said: str
) -> None:
    """``demo --sped 10`` pointed to ``timingboard --help``, which names none of the demo's
    options."""
    command = said.split(":")[0]
    done = run(tmp_path, *args)
    assert done.returncode == 2 and not done.stdout
    assert done.stderr == f"{said} (see {command} --help)\n"


def test_version_says_which_timingboard_this_is(tmp_path: Path) -> None:
    from importlib.metadata import version

    done = run(tmp_path, "--version")
    assert done.returncode == 0 and done.stdout == f"timingboard {version('timingboard')}\n"


@pytest.mark.parametrize(
    "command",
    [
        ["connect", "127.0.0.1:9"],
        ["connect", "p3://127.0.0.1:9"],
        ["demo"],
    ],
    ids=["connect", "connect-p3", "demo"],
)
@pytest.mark.parametrize("where", ["/proc/nope", "under-a-file"])
def test_a_dir_that_cannot_be_made_is_said_in_words(
    tmp_path, running_qualifying, command: list[str], where: str
) -> None:
    if where == "/proc/nope" and not Path("/proc/self").is_dir():
        pytest.skip("no /proc here")
    folder = str(running_qualifying / "sessions") if where == "under-a-file" else where
    done = run(tmp_path, *command, "--dir", folder)
    assert done.returncode == 2
    why = "No such file or directory" if where == "/proc/nope" else "Not a directory"
    assert done.stderr.splitlines()[-1] == (
        f"timingboard: cannot use the folder {folder}: it cannot be made ({why})"
    )
    assert "Errno" not in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""  # no board started, no feed followed


def test_a_lineup_dir_that_does_not_exist_is_said_in_words(tmp_path, running_qualifying) -> None:
    folder = tmp_path / "final"
    done = run(
        tmp_path, "lineup", str(running_qualifying), "--rule", "straight", "--name", "Final",
        "--allow-unfinished", "--dir", str(folder),
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"timingboard: cannot use the folder {folder}: it does not exist; make it first"
    )
    assert not folder.exists()


@pytest.mark.parametrize(
    ("name", "extra"),
    [("entries.csv", ["--format", "csv"]), ("out.pdf", []), ("out.json", []), ("out.html", [])],
)
def test_results_to_a_file_that_exists_is_refused_and_writes_nothing(
    tmp_path, running_qualifying, name: str, extra: list[str]
) -> None:
    """As every other output of a command (entries --export, import, lineup, new): a results
    sheet never replaces a file nobody was asked about (an entries CSV was replaced silently
    by a results CSV, exit 0)."""
    out = tmp_path / name
    out.write_bytes(b"car,driver\n31,Justin Haley\n")
    done = run(tmp_path, "results", str(running_qualifying), "-o", str(out), *extra)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == f"timingboard: {out} already exists; choose a new name"
    assert out.read_bytes() == b"car,driver\n31,Justin Haley\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == sorted(["quali.tbs", name])


def test_results_to_the_same_pdf_twice_is_refused_the_second_time(
    tmp_path, running_qualifying
) -> None:
    out = tmp_path / "out.pdf"
    assert run(tmp_path, "results", str(running_qualifying), "-o", str(out)).returncode == 0
    first = out.read_bytes()
    again = run(tmp_path, "results", str(running_qualifying), "-o", str(out))
    assert again.returncode == 2
    assert "out.pdf already exists; choose a new name" in again.stderr
    assert out.read_bytes() == first
