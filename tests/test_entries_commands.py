"""``timingboard new`` and ``timingboard entries`` run as a user runs them: a new process.

Success makes a session ready to time; bad input says so in one line on stderr, exits 2 and
writes nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from timingboard.engine.engine import TimingEngine
from timingboard.store.session_file import SessionFile

ROOT = Path(__file__).resolve().parents[1]
CP1252_LIST = (
    "Car #;Vorname;Nachname;Team;Vehicle;Klasse;Transponder\r\n"
    "31;Justin;Haley;Kaulig Racing;Chevrolet;Cup;1031\r\n"
    "\r\n"
    "16;AJ;Allmendinger;Kaulig Racing;Chevrolet;Cup;1016 / 2016\r\n"
    "8;Kyle;Busch;Richard Childress Racing;Chevrolet;Cup;1008\r\n"
    "77;Jörg;Böhnemann;Team Ö;Porsche;GT3;5077\r\n"
).encode("cp1252")


def _run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(home))
    return subprocess.run(
        [sys.executable, "-m", "timingboard", *args],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _competitors(path: Path) -> dict[str, tuple[str, str]]:
    file = SessionFile.open(path, read_only=True)
    try:
        engine = TimingEngine.from_log(file.settings, file.entries())
    finally:
        file.close()
    return {c.car: (c.driver, c.car_class) for c in engine.competitors.values()}


def _one_line_error(result: subprocess.CompletedProcess[str], words: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert words in result.stderr


@pytest.fixture
def event(tmp_path: Path) -> Path:
    (tmp_path / "entries.csv").write_bytes(CP1252_LIST)
    return tmp_path


def test_new_makes_a_session_with_the_entry_list_and_the_event_remembers_it(event):
    result = _run(
        event, "new", "q.tbs", "--name", "Qualifying", "--kind", "qualifying",
        "--track", "LA Memorial Coliseum", "--length", "0.25", "--min-lap", "10",
        "--entries", "entries.csv",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "4 entries" in result.stdout
    assert _competitors(event / "q.tbs")["77"] == ("Jörg Böhnemann", "GT3")
    file = SessionFile.open(event / "q.tbs", read_only=True)
    file.close()
    assert (file.settings.kind, file.settings.track_length, file.settings.min_lap_ms) == (
        "qualifying", 0.25, 10_000,
    )  # fmt: skip
    manifest = json.loads((event / "event.json").read_text())
    assert [c["name"] for c in manifest["classes"]] == ["Cup", "GT3"]
    assert manifest["event"]["track_name"] == "LA Memorial Coliseum"
    # the next session inherits the track and takes its entries from the first
    result = _run(event, "new", "heat.tbs", "--name", "Heat 1", "--laps", "25",
                  "--entries-from", "q.tbs")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert _competitors(event / "heat.tbs") == _competitors(event / "q.tbs")
    file = SessionFile.open(event / "heat.tbs", read_only=True)
    file.close()
    assert (file.settings.track_name, file.settings.race_laps) == ("LA Memorial Coliseum", 25)
    assert file.settings.min_lap_ms == 5000  # as File ▸ New session starts: no 1 s laps typed
    sessions = json.loads((event / "event.json").read_text())["sessions"]
    assert sessions[-1] == {"file": "heat.tbs", "made_from": ["q.tbs"], "rule": "entries"}


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--entries", "bad.csv"], "line 3: duplicate number 31"),
        (["--entries", "missing.csv"], "missing.csv does not exist"),
        (["--entries", "entries.csv", "--entries-from", "q.tbs"], "not allowed with"),
        (["--laps", "0"], "is not a number of laps"),
        (["--track", "Coliseum"], "--track needs --length"),
        (["--length", "-1"], "is not a length"),
        (["--length", "0.25"], "--length needs --track"),
        (["--kind", "sprint"], "invalid choice"),
        (["--entries", "nonumber.csv"], "no car number column"),
    ],
)
def test_new_refuses_bad_input_and_writes_nothing(event, args, words):
    (event / "bad.csv").write_text("No,Driver\n31,Haley\n31,Again\n,Nobody\n")
    (event / "nonumber.csv").write_text("Driver,Team\nHaley,Kaulig\n")
    result = _run(event, "new", "s.tbs", "--name", "Heat", *args)
    _one_line_error(result, words)
    assert not (event / "s.tbs").exists() and not (event / "event.json").exists()


def test_new_never_overwrites_a_file(event):
    (event / "s.tbs").write_text("keep me")
    _one_line_error(_run(event, "new", "s.tbs", "--name", "Heat"), "already exists")
    assert (event / "s.tbs").read_text() == "keep me"


def test_new_in_a_folder_not_there_says_so_and_a_file_in_its_place_is_not_a_folder(event):
    """``ev/q.tbs`` with no ``ev``: it does not exist (it was said to be "not a folder")."""
    result = _run(event, "new", "ev/q.tbs", "--name", "Q", "--kind", "qualifying")
    _one_line_error(result, "ev does not exist; make the folder first")
    assert not (event / "ev").exists()
    (event / "ev").write_text("a file")
    result = _run(event, "new", "ev/q.tbs", "--name", "Q", "--kind", "qualifying")
    _one_line_error(result, "ev is not a folder; make it first")
    assert (event / "ev").read_text() == "a file"


def test_new_takes_the_good_rows_only_when_asked(event):
    (event / "bad.csv").write_text("No,Driver\n31,Haley\n31,Again\n,Nobody\n8,Busch\n")
    result = _run(event, "new", "s.tbs", "--name", "Heat", "--entries", "bad.csv", "--skip-bad")
    assert result.returncode == 0, result.stderr
    assert _competitors(event / "s.tbs") == {"31": ("Haley", ""), "8": ("Busch", "")}


def test_entries_prints_imports_and_exports_the_list(event):
    assert _run(event, "new", "s.tbs", "--name", "Heat", "--entries", "entries.csv").returncode == 0
    shown = _run(event, "entries", "s.tbs")
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0].split() == ["No", "Driver", "Team", "Make", "Class", "Transponders", "Grid"]
    assert [line.split()[0] for line in lines[1:]] == ["8", "16", "31", "77"]
    assert "Jörg Böhnemann" in shown.stdout
    (event / "more.csv").write_text("#,Driver,Grid\n31,Justin Haley,1\n24,William Byron,2\n")
    imported = _run(event, "entries", "s.tbs", "--import", "more.csv")
    assert imported.returncode == 0, imported.stderr
    assert "1 new, 1 changed" in imported.stdout
    exported = _run(event, "entries", "s.tbs", "--export", "out.csv")
    assert exported.returncode == 0, exported.stderr
    text = (event / "out.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "Number,First name,Last name,Team,Make,Class,Transponders,Grid"
    assert "31,Justin,Haley,Kaulig Racing,Chevrolet,Cup,1031,1" in text
    assert "24,William,Byron,,,,,2" in text


def test_entries_refuses_bad_input_and_changes_nothing(event):
    assert _run(event, "new", "s.tbs", "--name", "Heat", "--entries", "entries.csv").returncode == 0
    before = (event / "s.tbs").read_bytes()
    (event / "bad.csv").write_text("No,Driver\n31,X\n,Y\n")
    _one_line_error(_run(event, "entries", "s.tbs", "--import", "bad.csv"), "empty number")
    _one_line_error(_run(event, "entries", "nope.tbs"), "nope.tbs does not exist")
    _one_line_error(_run(event, "entries", "entries.csv"), "not a timingboard session")
    (event / "taken.csv").write_text("keep")
    _one_line_error(_run(event, "entries", "s.tbs", "--export", "taken.csv"), "already exists")
    assert (event / "taken.csv").read_text() == "keep"
    assert _competitors(event / "s.tbs")["31"] == ("Justin Haley", "Cup")
    assert (event / "s.tbs").read_bytes() == before


def test_entries_export_never_writes_through_a_link_to_a_session(event):
    assert _run(event, "new", "s.tbs", "--name", "Heat", "--entries", "entries.csv").returncode == 0
    other = event / "ev"
    other.mkdir()
    assert _run(other, "new", "r7.tbs", "--name", "Race 7").returncode == 0
    (event / "link.csv").symlink_to("s.tbs")
    (event / "other.csv").symlink_to(other / "r7.tbs")
    (event / "gone.csv").symlink_to("nowhere.csv")
    kept = {p: p.read_bytes() for p in (event / "s.tbs", other / "r7.tbs")}
    _one_line_error(
        _run(event, "entries", "s.tbs", "--export", "link.csv"), "session this command reads"
    )
    _one_line_error(_run(event, "entries", "s.tbs", "--export", "other.csv"), "session file")
    _one_line_error(_run(event, "entries", "s.tbs", "--export", "gone.csv"), "already exists")
    assert {p: p.read_bytes() for p in kept} == kept
    assert not (event / "nowhere.csv").exists()
    assert not list(event.rglob("*.tbpart"))


def test_skip_bad_without_its_csv_is_refused_not_ignored(event):
    """``--skip-bad`` alone was silently ignored: ``new`` made a session with no entries and
    ``entries`` printed the list, as if the option meant something there."""
    _one_line_error(_run(event, "new", "s.tbs", "--name", "Heat", "--skip-bad"), "--entries CSV")
    assert not (event / "s.tbs").exists()
    assert _run(event, "new", "s.tbs", "--name", "Heat").returncode == 0
    _one_line_error(_run(event, "entries", "s.tbs", "--skip-bad"), "--skip-bad goes with --import")


def test_no_export_writes_over_the_events_record(event):
    """``event.json`` (the event's sessions and what each was made from) was no output the
    rule knew: ``results -o event.json`` or ``entries --export`` through a link to it wrote
    over it. Refused as a session is; its own writers (``new``, classes) still write it."""
    assert _run(event, "new", "s.tbs", "--name", "Heat", "--entries", "entries.csv").returncode == 0
    (event / "list.csv").symlink_to("event.json")
    record = (event / "event.json").read_bytes()
    for args in (
        ("results", "s.tbs", "-o", "event.json"),
        ("results", "s.tbs", "--format", "csv", "-o", "list.csv"),
        ("entries", "s.tbs", "--export", "list.csv"),
    ):
        _one_line_error(_run(event, *args), "is an event's record of its sessions (event.json)")
    assert (event / "event.json").read_bytes() == record
    made = _run(event, "new", "s2.tbs", "--name", "Heat 2", "--entries-from", "s.tbs")
    assert made.returncode == 0, made.stderr  # its own writer: the new session recorded
    files = [s["file"] for s in json.loads((event / "event.json").read_text())["sessions"]]
    assert files == ["s.tbs", "s2.tbs"]
    assert not list(event.rglob("*.tbpart"))


def test_a_session_given_as_an_entry_list_is_said_to_be_one(event):
    assert _run(event, "new", "q.tbs", "--name", "Q", "--entries", "entries.csv").returncode == 0
    assert _run(event, "new", "s.tbs", "--name", "Heat").returncode == 0
    manifest = (event / "event.json").read_bytes()
    said = _run(event, "new", "h.tbs", "--name", "Heat 2", "--entries", "q.tbs")
    _one_line_error(said, "q.tbs: this is a timingboard session file, not a CSV;")
    assert "--entries-from q.tbs" in said.stderr
    assert not (event / "h.tbs").exists()
    said = _run(event, "entries", "s.tbs", "--import", "q.tbs")
    _one_line_error(said, "q.tbs: this is a timingboard session file, not a CSV;")
    assert "timingboard entries q.tbs --export" in said.stderr
    assert _competitors(event / "s.tbs") == {}
    assert (event / "event.json").read_bytes() == manifest


def test_new_with_no_minimum_lap_says_what_that_means(event):
    made = _run(event, "new", "s.tbs", "--name", "Heat", "--min-lap", "0")
    assert made.returncode == 0, made.stderr
    assert "no minimum lap; every crossing counts as a lap" in made.stderr
    file = SessionFile.open(event / "s.tbs", read_only=True)
    file.close()
    assert file.settings.min_lap_ms == 0
    default = _run(event, "new", "d.tbs", "--name", "Heat 2")
    assert default.returncode == 0 and default.stderr == ""
