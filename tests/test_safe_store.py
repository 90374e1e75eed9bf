"""Data a user owns: never written over, written whole, one writer a session, damage named.

Each test does it the way a user would: the command in a process of its own (exit code and the
one line on stderr), or the store as the window opens it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from race_scripts import QUARTER_MILE_RACE, three_car_race
from test_rmonitor_parser import STREAM

from timingboard.engine import Passing
from timingboard.engine.events import Flag, FlagChanged
from timingboard.store import SessionFile, SessionFileError, SessionRecorder

REPO = Path(__file__).resolve().parents[1]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "timingboard", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def _one_line(run: subprocess.CompletedProcess[str]) -> str:
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    return lines[0]


@pytest.fixture
def session(tmp_path: Path) -> Path:
    path = tmp_path / "heat.tbs"
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit(three_car_race())
    recorder.submit([FlagChanged(time_ms=63_000, flag=Flag.CHECKERED)])  # over: lined up from
    recorder.close()
    return path


def _our_line(board: subprocess.Popen[str]) -> str:
    """The first line timingboard writes on stderr (Qt may say things of its own first)."""
    assert board.stderr is not None
    for _ in range(50):
        line = board.stderr.readline()
        if not line or line.startswith(("timingboard:", "Traceback")):
            return line
    return ""


def _siblings(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


# --- 1. never an output over a session or an input ------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "json", "html", "pdf"])
def test_results_never_writes_over_its_own_session(session: Path, fmt: str) -> None:
    link = session.with_name("link.tbs")
    link.symlink_to(session.name)
    before = _digest(session)
    for target in (session, link, Path(f"{session}-wal")):
        line = _one_line(_cli("results", str(session), "--format", fmt, "-o", str(target)))
        assert "choose another output" in line
    assert _digest(session) == before
    assert _siblings(session) == ["heat.tbs", "link.tbs"]


def test_results_never_writes_over_another_session(session: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.tbs"
    SessionRecorder.create(other, QUARTER_MILE_RACE).close()
    before = _digest(other)
    assert "session file" in _one_line(_cli("results", str(session), "-o", str(other)))
    assert _digest(other) == before


def test_import_and_lineup_never_write_over_what_they_read(session: Path, tmp_path: Path) -> None:
    capture = tmp_path / "capture.txt"
    capture.write_bytes(STREAM)
    _one_line(_cli("import", str(capture), "-o", str(capture)))
    assert capture.read_bytes() == STREAM
    before = _digest(session)
    # a lineup named after its own source would be written over it
    _one_line(_cli("lineup", str(session), "--rule", "straight", "--name", "heat"))
    assert _digest(session) == before


def test_the_windows_export_never_writes_over_the_open_session(
    make_controller, show_window, tmp_path: Path
) -> None:
    controller = make_controller(QUARTER_MILE_RACE, "race.tbs")
    controller.submit(three_car_race())
    window = show_window(controller)
    session = tmp_path / "race.tbs"
    before = session.read_bytes()
    (tmp_path / "link.csv").symlink_to(session)
    for name in ("race.tbs", "race.tbs-wal", "link.csv"):
        with pytest.raises(SessionFileError, match="choose another output"):
            window.results.export(tmp_path / name)
    assert session.read_bytes() == before
    window.results.export(tmp_path / "race.csv")
    assert (tmp_path / "race.csv").read_text().startswith("position,")
    window.close()


# --- 2. written whole: PDF failures, kills, reruns ------------------------------------------


@pytest.mark.parametrize("where", ["folder", "missing", "/dev/full"])
def test_a_pdf_that_cannot_be_written_fails_with_one_line(
    session: Path, tmp_path: Path, where: str
) -> None:
    target = {"folder": str(tmp_path), "missing": str(tmp_path / "no" / "r.pdf")}.get(where, where)
    line = _one_line(_cli("results", str(session), "--format", "pdf", "-o", target))
    assert "QPainter" not in line
    assert _siblings(session) == ["heat.tbs"]


def test_a_csv_to_a_full_disk_fails_with_one_line(session: Path) -> None:
    assert "No space left" in _one_line(_cli("results", str(session), "-o", "/dev/full"))


HALF_WRITTEN = """
import sys
import timingboard.reports.results as results
real = results.write_csv
def write_half(engine, out):
    out.write("position,car\\n1,3")
    out.flush()
    print("writing", flush=True)
    sys.stdin.read()  # killed here, in the middle of the export
results.write_csv = write_half
from timingboard.cli import main
sys.exit(main(sys.argv[1:]))
"""

BLOCKED_IMPORT = """
import sys
from timingboard.store import recorder
real = recorder.SessionRecorder.submit
def submit(self, events):
    change = real(self, events)
    print("writing", flush=True)
    sys.stdin.read()  # killed here, with the session half written
    return change
recorder.SessionRecorder.submit = submit
from timingboard.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _kill_in_the_middle(script: str, *args: str) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert child.stdout is not None
    try:
        assert child.stdout.readline().strip() == "writing"
    finally:
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=30)


def test_a_killed_export_leaves_no_file_and_a_rerun_works(session: Path) -> None:
    out = session.with_name("results.csv")
    assert _cli("results", str(session), "-o", str(out)).returncode == 0
    complete = out.read_bytes()
    out.unlink()  # results -o makes a new file: never one over a file (refused)
    _kill_in_the_middle(HALF_WRITTEN, "results", str(session), "-o", str(out))
    assert not out.exists()  # no half-made export under its name
    assert _cli("results", str(session), "-o", str(out)).returncode == 0
    assert out.read_bytes() == complete
    assert _siblings(session) == ["heat.tbs", "results.csv"]  # the killed run's leftover is gone


def test_a_killed_import_leaves_no_session_and_a_rerun_works(tmp_path: Path) -> None:
    capture = tmp_path / "capture.txt"
    capture.write_bytes(STREAM + b'$J,"31","00:00:13.413","00:00:15.464"\n')
    target = tmp_path / "imported.tbs"
    _kill_in_the_middle(BLOCKED_IMPORT, "import", str(capture), "-o", str(target))
    assert not target.exists()  # no session that opens with fewer events
    run = _cli("import", str(capture), "-o", str(target))
    assert run.returncode == 0, run.stderr
    assert "1 car(s), 2 passing(s)" in run.stdout
    assert _siblings(target) == ["capture.txt", "imported.tbs"]


def test_a_killed_lineup_leaves_no_session_and_a_rerun_works(session: Path) -> None:
    args = ("lineup", str(session), "--rule", "split:2", "--name", "Feature")
    _kill_in_the_middle(BLOCKED_IMPORT, *args)
    assert [n for n in _siblings(session) if not n.startswith(".")] == ["heat.tbs"]
    run = _cli(*args)
    assert run.returncode == 0, run.stderr
    assert _siblings(session) == ["event.json", "feature-1.tbs", "feature-2.tbs", "heat.tbs"]


# --- 3. event.json is checked before anything is written ------------------------------------


@pytest.mark.parametrize(
    "manifest", ["{not json", '["a", "list"]', '{"sessions": {"file": "x"}}', '{"sessions": [1]}']
)
def test_a_foreign_event_json_is_refused_and_nothing_is_written(
    session: Path, manifest: str
) -> None:
    path = session.with_name("event.json")
    path.write_text(manifest)
    line = _one_line(_cli("lineup", str(session), "--rule", "straight", "--name", "Feature"))
    assert "event.json" in line and "nothing was written" in line
    assert path.read_text() == manifest
    assert _siblings(session) == ["event.json", "heat.tbs"]


def test_event_json_keeps_the_earlier_sessions_records(session: Path) -> None:
    path = session.with_name("event.json")
    earlier = {"sessions": [{"file": "q.tbs", "made_from": [], "rule": "x"}], "name": "Clash"}
    path.write_text(json.dumps(earlier))
    assert _cli("lineup", str(session), "--rule", "straight", "--name", "Feature").returncode == 0
    event = json.loads(path.read_text())
    assert event["name"] == "Clash"
    assert [s["file"] for s in event["sessions"]] == ["q.tbs", "feature.tbs"]


# --- 4. one writer a session ----------------------------------------------------------------

HOLDER = """
import sys
from timingboard.store import SessionRecorder
recorder = SessionRecorder.open(sys.argv[1])
print("holding", flush=True)
sys.stdin.read()
"""


def _holder(path: Path) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "holding"
    return child


def test_a_second_opener_is_told_who_holds_the_session_and_reads_it_only(session: Path) -> None:
    child = _holder(session)
    try:
        second = SessionRecorder.open(session)
        reason = second.read_only_reason or ""
        assert f"pid {child.pid}" in reason and "open in timingboard on" in reason
        with pytest.raises(SessionFileError, match="reading only"):
            second.submit([Passing(time_ms=99_000, car="1")])
        assert len(second.engine.passings) == len(
            [e for e in three_car_race() if isinstance(e, Passing)]
        )
        second.close()
    finally:
        child.send_signal(signal.SIGKILL)  # a crashed board: its lock is reclaimed
        child.communicate(timeout=30)
    third = SessionRecorder.open(session)
    assert third.read_only_reason is None
    third.submit([Passing(time_ms=99_000, car="1")])
    third.close()
    assert _siblings(session) == ["heat.tbs"]


def test_two_openers_in_one_process_and_a_stale_lock(session: Path) -> None:
    first = SessionRecorder.open(session)
    second = SessionRecorder.open(session)
    assert first.read_only_reason is None
    assert f"pid {os.getpid()}" in (second.read_only_reason or "")
    second.close()
    first.close()
    Path(f"{session}-lock").write_text(json.dumps({"host": "x", "pid": 999_999_999}))
    reclaimed = SessionRecorder.open(session)  # nobody holds the lock file
    assert reclaimed.read_only_reason is None
    reclaimed.close()


def test_the_open_command_says_on_stderr_who_holds_the_session(session: Path, command_env) -> None:
    child = _holder(session)
    board = subprocess.Popen(
        [sys.executable, "-m", "timingboard", "open", str(session)],
        stderr=subprocess.PIPE,
        text=True,
        env=command_env,
    )
    try:
        line = _our_line(board)
        assert "opened read-only" in line and f"pid {child.pid}" in line
    finally:
        board.send_signal(signal.SIGKILL)
        board.communicate(timeout=30)
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=30)


def test_the_window_says_read_only_and_disables_entry(
    session: Path, show_window, qtbot, tmp_path: Path
) -> None:
    from timingboard.qt.session_controller import SessionController

    first = SessionRecorder.open(session)
    controller = SessionController(SessionRecorder.open(session))
    window = show_window(controller)
    try:
        assert "(read-only) · timingboard" in window.windowTitle()
        assert "READ-ONLY" in (window.read_only_notice.shown or "")
        assert "open in timingboard on" in (window.read_only_notice.shown or "")
        assert not window.entry_panel.isEnabled()
        assert not window.entry_panel.car_field.isEnabled()
        first.close()
        assert window.session_actions.open_session(session)  # now free: writable again
        assert "(read-only)" not in window.windowTitle()
        assert window.read_only_notice.shown is None
        assert window.entry_panel.isEnabled()
    finally:
        window.close()
        controller.close()


# --- 5. read-only files and folders ----------------------------------------------------------


def test_a_session_in_a_read_only_folder_opens_read_only(session: Path) -> None:
    before = _digest(session)
    session.parent.chmod(0o555)
    try:
        recorder = SessionRecorder.open(session)
        assert recorder.read_only_reason == "its folder is read-only"
        assert len(recorder.engine.passings) > 0
        with pytest.raises(SessionFileError, match="reading only"):
            recorder.submit([Passing(time_ms=99_000, car="1")])
        recorder.close()
        run = _cli("results", str(session))
        assert run.returncode == 0 and run.stdout.startswith("position,")
    finally:
        session.parent.chmod(0o755)
    assert _digest(session) == before
    assert _siblings(session) == ["heat.tbs"]


def test_a_read_only_file_opens_read_only(session: Path) -> None:
    before = _digest(session)
    session.chmod(0o444)
    recorder = SessionRecorder.open(session)
    assert recorder.read_only_reason == "the file is read-only"
    recorder.close()
    assert _digest(session) == before
    assert _siblings(session) == ["heat.tbs"]


# --- 6. damage is named, never a traceback, never a silent change ----------------------------


def _load_redteam():
    spec = importlib.util.spec_from_file_location(
        "redteam_store", REPO / "scripts" / "redteam_store.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["redteam_store"] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


def test_forty_byte_flipped_files_no_traceback_no_silent_change(tmp_path: Path) -> None:
    figures = _load_redteam().damage_sweep(40, tmp_path / "damage")
    assert figures.files == 40
    assert figures.failures == []
    assert figures.tracebacks == 0 and figures.silent_changes == 0
    assert figures.files_modified == 0
    assert figures.named > 0


def _change_a_lap_time(path: Path, seq: int) -> None:
    """A change SQLite cannot see: a valid event with another time (as one flipped digit is)."""
    db = sqlite3.connect(path)
    (payload,) = db.execute("SELECT payload FROM events WHERE seq = ?", (seq,)).fetchone()
    event = json.loads(payload)
    event["time_ms"] += 1
    db.execute("UPDATE events SET payload = ? WHERE seq = ?", (json.dumps(event), seq))
    db.commit()
    db.close()


def test_a_silently_changed_lap_time_is_named_and_what_is_before_it_opens(session: Path) -> None:
    _change_a_lap_time(session, 6)
    before = _digest(session)
    line = _one_line(_cli("results", str(session)))
    assert "event #6 is damaged" in line
    recorder = SessionRecorder.open(session)
    assert recorder.engine.seq == 5
    assert "event #6 is damaged" in (recorder.read_only_reason or "")
    recorder.close()
    assert _digest(session) == before


@pytest.mark.parametrize("command", ["results", "lineup", "replay", "open"])
def test_damaged_files_get_one_line_from_every_command(
    tmp_path: Path, command: str, command_env
) -> None:
    intact = tmp_path / "intact.tbs"
    _load_redteam().make_session(intact)
    data = bytearray(intact.read_bytes())
    for at in range(4096 + 100, len(data), 4096):  # a byte in every page after the first
        data[at] ^= 0x55
    damaged = tmp_path / "damaged.tbs"
    damaged.write_bytes(bytes(data))
    args = {"lineup": ["--rule", "straight", "--name", "Next"]}.get(command, [])
    if command in ("results", "lineup"):
        line = _one_line(_cli(command, str(damaged), *args))
    else:  # the window opens on what is intact; the first line on stderr names the damage
        board = subprocess.Popen(
            [sys.executable, "-m", "timingboard", command, str(damaged)],
            stderr=subprocess.PIPE,
            text=True,
            env=command_env,
        )
        try:
            line = _our_line(board)
        finally:
            board.send_signal(signal.SIGKILL)
            rest = board.communicate(timeout=30)[1]
        assert "Traceback" not in line + rest
    assert "damaged" in line
    assert damaged.read_bytes() == bytes(data)


def test_file_open_in_the_window_names_the_damage(
    make_controller, show_window, tmp_path: Path, monkeypatch
) -> None:
    controller = make_controller(QUARTER_MILE_RACE, "live.tbs")
    window = show_window(controller)
    explained: list[str] = []
    monkeypatch.setattr(window.session_actions, "_explain", explained.append)
    damaged = tmp_path / "flipped.tbs"
    recorder = SessionRecorder.create(damaged, QUARTER_MILE_RACE)
    recorder.submit(three_car_race())
    recorder.close()
    data = bytearray(damaged.read_bytes())
    data[100] ^= 0xFF  # the file's header
    damaged.write_bytes(bytes(data))
    assert not window.session_actions.open_session(damaged)
    assert len(explained) == 1 and "damaged" in explained[0]
    changed = tmp_path / "changed.tbs"
    recorder = SessionRecorder.create(changed, QUARTER_MILE_RACE)
    recorder.submit(three_car_race())
    recorder.close()
    _change_a_lap_time(changed, 7)
    assert window.session_actions.open_session(changed)
    assert "event #7 is damaged" in (window.read_only_notice.shown or "")
    assert not window.entry_panel.isEnabled()
    window.close()


def test_a_file_of_the_first_format_opens_unchained(tmp_path: Path) -> None:
    path = tmp_path / "old.tbs"
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit(three_car_race())
    recorder.close()
    db = sqlite3.connect(path)  # as format 1 wrote it: no chain column, no seal
    db.executescript(
        "CREATE TABLE old AS SELECT seq, kind, payload, recorded_at FROM events;"
        "DROP TABLE events; CREATE TABLE events (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL,"
        " payload TEXT NOT NULL, recorded_at REAL NOT NULL);"
        "INSERT INTO events SELECT * FROM old; DROP TABLE old;"
        "DELETE FROM meta WHERE key = 'seal'; PRAGMA user_version = 1;"
    )
    db.close()
    reopened = SessionRecorder.open(path)
    assert reopened.read_only_reason is None and not reopened.file.chained
    reopened.submit([Passing(time_ms=99_000, car="1")])
    reopened.close()
    assert _cli("results", str(path)).returncode == 0


# --- 7. the .tbs alone holds every event ------------------------------------------------------


def test_results_leaves_no_wal_or_shm_behind(session: Path) -> None:
    assert _cli("results", str(session)).returncode == 0
    out = session.with_name("results.json")
    assert _cli("results", str(session), "--format", "json", "-o", str(out)).returncode == 0
    assert [n for n in _siblings(session) if n.endswith(("-wal", "-shm"))] == []


def test_a_closed_session_is_one_file(tmp_path: Path) -> None:
    path = tmp_path / "s.tbs"
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit(three_car_race())
    assert Path(f"{path}-wal").exists()  # while open, the newest events are in the WAL
    recorder.close()
    assert _siblings(path) == ["s.tbs"]


def _events_in_a_copy_of_the_tbs_alone(path: Path, tmp_path: Path) -> int:
    copy = tmp_path / "copied" / "alone.tbs"
    copy.parent.mkdir(exist_ok=True)
    copy.write_bytes(path.read_bytes())
    file = SessionFile.open(copy, read_only=True)
    count = len(list(file.entries()))
    file.close()
    copy.unlink()
    return count


def test_a_quiet_board_checkpoints_so_a_copy_of_the_tbs_has_every_event(
    make_controller, tmp_path: Path, qtbot
) -> None:
    controller = make_controller(QUARTER_MILE_RACE, "live.tbs")
    controller.idle_checkpoint._timer.setInterval(50)
    assert controller.submit(three_car_race())
    live = tmp_path / "live.tbs"
    assert controller.idle_checkpoint.pending
    qtbot.waitUntil(lambda: not controller.idle_checkpoint.pending, timeout=5000)
    assert _events_in_a_copy_of_the_tbs_alone(live, tmp_path) == len(three_car_race())


def test_save_a_copy_holds_every_event_while_the_session_is_open(
    make_controller, show_window, tmp_path: Path
) -> None:
    controller = make_controller(QUARTER_MILE_RACE, "live.tbs")
    window = show_window(controller)
    assert controller.submit(three_car_race())
    file_menu = window.menuBar().actions()[0].menu()
    assert "Save a &copy…" in [action.text() for action in file_menu.actions()]
    target = tmp_path / "copy.tbs"
    window.copy_actions.save_copy_action.trigger()  # File ▸ Save a copy…, a name typed
    dialog = window.copy_actions.dialog
    assert dialog is not None
    dialog.selectFile(str(target))
    dialog.accept()
    assert "Saved a copy" in window.statusBar().currentMessage()
    file = SessionFile.open(target, read_only=True)
    assert len(list(file.entries())) == len(three_car_race())
    file.close()
    assert not Path(f"{target}-wal").exists()
    with pytest.raises(SessionFileError):
        window.copy_actions.save_copy(target)  # never over an existing file
    with pytest.raises(SessionFileError):
        window.copy_actions.save_copy(tmp_path / "live.tbs")
    window.close()


def test_results_on_a_file_an_older_version_left_in_wal_mode_leaves_nothing(
    session: Path,
) -> None:
    db = sqlite3.connect(session)
    db.execute("PRAGMA journal_mode = WAL")  # as every file was left before
    db.close()
    assert _siblings(session) == ["heat.tbs"]
    before = _digest(session)
    assert _cli("results", str(session)).returncode == 0
    assert _siblings(session) == ["heat.tbs"]
    assert _digest(session) == before


def test_an_export_marked_read_only_is_not_written_over(session: Path) -> None:
    out = session.with_name("final.csv")
    out.write_text("the signed-off results")
    out.chmod(0o444)
    assert "already exists" in _one_line(_cli("results", str(session), "-o", str(out)))
    assert out.read_text() == "the signed-off results"
