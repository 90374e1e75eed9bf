"""Red team for what a user owns: damaged session files, and writers killed in the middle.

Run:  python scripts/redteam_store.py                      (240 damaged files, 100 kills)
      python scripts/redteam_store.py --damaged 40 --kills 0

Damaged files: a seeded session is copied and 1-8 of its bytes are flipped at random places;
each copy goes through ``results``, ``lineup``, ``replay`` (the file read as the command reads
it) and ``open`` (the recorder the window is built on). A run must end in one of: the same
result as the intact file, a one-line error (exit 2), or a read-only open that names the
damage. A traceback, a different result with no word said (a silent change), or a changed
damaged file is counted as a failure.

Kills: ``results -o`` (CSV, JSON, HTML, PDF), ``import`` and ``lineup`` are run as child
processes over an existing output and SIGKILLed at a random moment; the output must then be
the previous file or the complete new one (never empty or cut short), no session may appear
half-made, and a rerun must succeed.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import hashlib
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

from timingboard.cli import main as cli_main
from timingboard.demo.endurance import WORKLOADS, generate
from timingboard.store.recorder import SessionRecorder
from timingboard.store.replay_source import ReplaySource
from timingboard.store.session_file import SessionFile, SessionFileError


@dataclasses.dataclass
class DamageFigures:
    files: int = 0
    runs: int = 0
    tracebacks: int = 0
    silent_changes: int = 0
    files_modified: int = 0
    named: int = 0  # one-line refusals and read-only opens naming the damage
    same_result: int = 0
    failures: list[str] = dataclasses.field(default_factory=list)

    def line(self) -> str:
        return (
            f"damaged files: {self.files} tried ({self.runs} runs of results, lineup, replay, "
            f"open): {self.tracebacks} tracebacks, {self.silent_changes} silent changes, "
            f"{self.files_modified} damaged files modified; {self.named} runs named the damage, "
            f"{self.same_result} gave the intact file's result (damage where nothing is read)"
        )


@dataclasses.dataclass
class KillFigures:
    kills: int = 0
    survived: int = 0
    reruns_ok: int = 0
    failures: list[str] = dataclasses.field(default_factory=list)

    def line(self) -> str:
        return (
            f"SIGKILLs during export, import and lineup: {self.kills}; previous or complete "
            f"output every time: {self.survived}; reruns that worked: {self.reruns_ok}"
        )


def make_session(path: Path, workload_index: int = 0) -> None:
    """A seeded session: the 30-kart sprint (816 events) by default."""
    settings, events = generate(WORKLOADS[workload_index])
    recorder = SessionRecorder.create(path, settings)
    for start in range(0, len(events), 500):
        recorder.submit(events[start : start + 500])
    recorder.close()


def _cli(args: list[str]) -> tuple[int | None, str, str, str | None]:
    """Exit code, stdout, stderr, and the traceback if one escaped."""
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli_main(args)
    except BaseException:
        return None, out.getvalue(), err.getvalue(), traceback.format_exc()
    return code, out.getvalue(), err.getvalue(), None


def _grid(path: Path) -> list[object]:
    file = SessionFile.open(path, read_only=True)
    try:
        return [entry.event for entry in file.entries()]
    finally:
        file.close()


def _flip(data: bytes, rng: random.Random) -> bytes:
    damaged = bytearray(data)
    for _ in range(rng.choice((1, 1, 2, 3, 4, 8))):
        at = rng.randrange(len(damaged))
        if rng.random() < 0.5:
            damaged[at] ^= 1 << rng.randrange(8)
        else:
            damaged[at] = rng.randrange(256)
    return bytes(damaged)


def _unprinted(results_json: str) -> str:
    """The results without the moment they were printed (a sheet says when it was printed)."""
    import re

    return re.sub(r'"printed_at": *"[^"]*"', '"printed_at": ""', results_json)


def damage_sweep(count: int, folder: Path, seed: int = 16) -> DamageFigures:
    folder.mkdir(parents=True, exist_ok=True)
    base = folder / "intact.tbs"
    make_session(base)
    intact = base.read_bytes()
    code, reference, _, _ = _cli(["results", str(base), "--format", "json"])
    assert code == 0, "the intact file must give results"
    lined = folder / "lined"
    lined.mkdir()
    code, *_ = _cli(
        ["lineup", str(base), "--rule", "invert:8", "--name", "ref", "--dir", str(lined)]
    )
    assert code == 0
    reference_grid = _grid(lined / "ref.tbs")
    recorder = SessionRecorder.open(base)
    reference_board = recorder.engine.standings()
    recorder.close()
    rng = random.Random(seed)
    figures = DamageFigures()
    for index in range(count):
        path = folder / f"damaged-{index:03d}.tbs"
        data = _flip(intact, rng)
        while data == intact:
            data = _flip(intact, rng)
        path.write_bytes(data)
        digest = hashlib.sha256(data).hexdigest()
        figures.files += 1

        def judge(
            what: str, code: int | None, err: str, tb: str | None, same: bool, name: str = path.name
        ) -> None:
            figures.runs += 1
            if tb is not None:
                figures.tracebacks += 1
                figures.failures.append(f"{name} {what}: traceback\n{tb}")
            elif code == 0 and same:
                figures.same_result += 1
            elif code == 0:
                figures.silent_changes += 1
                figures.failures.append(f"{name} {what}: a different result, no word said")
            elif len(err.strip().splitlines()) == 1:
                figures.named += 1
            else:
                figures.tracebacks += 1
                figures.failures.append(f"{name} {what}: not one line: {err!r}")

        code, out, err, tb = _cli(["results", str(path), "--format", "json"])
        judge("results", code, err, tb, _unprinted(out) == _unprinted(reference))

        made = folder / f"lineup-{index:03d}"
        made.mkdir()
        code, out, err, tb = _cli(
            ["lineup", str(path), "--rule", "invert:8", "--name", "ref", "--dir", str(made)]
        )
        same = code == 0 and _grid(made / "ref.tbs") == reference_grid
        judge("lineup", code, err, tb, same)
        shutil.rmtree(made)

        try:
            source = ReplaySource.open(path)
        except SessionFileError as exc:
            judge("replay", 2, str(exc), None, False)
        except Exception:
            judge("replay", None, "", traceback.format_exc(), False)
        else:
            note = getattr(source, "note", None)  # (so that older versions can be measured)
            if note:
                judge("replay", 2, note, None, False)
            else:
                try:  # played to its end
                    final = source.timeline.engine_at(len(source.timeline.log))
                except Exception:
                    judge("replay", None, "", traceback.format_exc(), False)
                else:
                    judge("replay", 0, "", None, final.standings() == reference_board)

        if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            figures.files_modified += 1
            figures.failures.append(f"{path.name}: changed by a command that only reads it")

        try:
            opened = SessionRecorder.open(path)
        except SessionFileError as exc:
            judge("open", 2, str(exc), None, False)
        except Exception:
            judge("open", None, "", traceback.format_exc(), False)
        else:
            reason = getattr(opened, "read_only_reason", None)
            if reason:
                judge("open", 2, reason, None, False)
            else:
                judge("open", 0, "", None, opened.engine.standings() == reference_board)
            opened.close()
            if reason and hashlib.sha256(path.read_bytes()).hexdigest() != digest:
                figures.files_modified += 1
                figures.failures.append(f"{path.name}: a damaged file opened read-only changed")
        path.unlink()
        for side in ("-wal", "-shm", "-lock"):
            Path(f"{path}{side}").unlink(missing_ok=True)
    return figures


def _run(args: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "timingboard", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def _timed(args: list[str]) -> float:
    started = time.perf_counter()
    assert _run(args).wait(timeout=300) == 0, f"{args} failed"
    return time.perf_counter() - started


def kill_sweep(count: int, folder: Path, seed: int = 16) -> KillFigures:
    figures = KillFigures()
    if count <= 0:
        return figures
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    session = folder / "big.tbs"
    make_session(session, workload_index=1)  # 24,375 events: an export takes a while
    capture = folder / "capture.txt"
    capture.write_bytes(_capture())
    jobs = []
    for fmt in ("csv", "json", "html", "pdf"):
        out = folder / f"export.{fmt}"
        jobs.append(("export", ["results", str(session), "--format", fmt, "-o", str(out)], out))
    jobs.append(("import", ["import", str(capture), "-o", str(folder / "imported.tbs")], None))
    jobs.append(("lineup", ["lineup", str(session), "--rule", "split:3", "--name", "H"], None))
    complete: dict[Path, bytes] = {}
    made_whole: dict[str, dict[str, int]] = {}  # the files a complete run makes, and events
    durations = {}
    for kind, args, out in jobs:
        durations[tuple(args)] = _timed(args)
        if out is not None:
            complete[out] = out.read_bytes()
        else:
            made_whole[kind] = _made_counts(folder, kind)
            _clear_made(folder, kind)
    for index in range(count):
        kind, args, out = jobs[index % len(jobs)]
        if out is not None:  # results -o makes a new file: never one over a file (refused)
            out.unlink(missing_ok=True)
        previous = out.read_bytes() if out is not None and out.exists() else None
        child = _run(args)
        if index % 2:  # at a random moment of the run
            time.sleep(rng.uniform(0, durations[tuple(args)]))
        else:  # aimed: as soon as the folder shows the first sign of writing
            _wait_for_writing(folder, child, durations[tuple(args)] * 3)
            time.sleep(rng.uniform(0, 0.03))
        child.send_signal(signal.SIGKILL)
        child.wait()
        figures.kills += 1
        if out is not None:
            now = out.read_bytes() if out.exists() else b""
            ok = (not out.exists() if previous is None else _same_output(now, previous)) or (
                _same_output(now, complete[out])
            )
        else:
            made = _made_counts(folder, kind)
            ok = made in ({}, made_whole[kind]) and _manifest_readable(folder)
        if ok:
            figures.survived += 1
        else:
            figures.failures.append(f"kill {index} of {kind} {args}: output damaged")
        if out is not None:
            out.unlink(missing_ok=True)  # the killed run may have finished: its file is whole
        rerun = _run(args).wait(timeout=300)
        if out is not None:
            rerun_ok = rerun == 0 and _same_output(out.read_bytes(), complete[out])
        elif ok and made:  # the killed run had finished: its files are there, whole
            rerun_ok = True
        else:
            rerun_ok = rerun == 0 and _made_counts(folder, kind) == made_whole[kind]
        if rerun_ok:
            figures.reruns_ok += 1
        else:
            figures.failures.append(f"kill {index} of {kind}: the rerun failed ({rerun})")
        if kind != "export":
            _clear_made(folder, kind)
    return figures


def _same_output(now: bytes | None, expected: bytes | None) -> bool:
    if now is None or expected is None:
        return now == expected
    if now == expected:
        return True
    # a PDF carries its creation time: the same length, head and end is the same document
    return (
        expected.startswith(b"%PDF")
        and len(now) == len(expected)
        and now[:8] == expected[:8]
        and now.rstrip().endswith(b"%%EOF")
    )


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    shot = {}
    with os.scandir(folder) as entries:
        for entry in entries:
            with contextlib.suppress(OSError):
                info = entry.stat()
                shot[entry.name] = (info.st_size, info.st_mtime_ns)
    return shot


def _wait_for_writing(folder: Path, child: subprocess.Popen[bytes], longest: float) -> None:
    before = _snapshot(folder)
    deadline = time.monotonic() + longest
    while time.monotonic() < deadline and child.poll() is None:
        if _snapshot(folder) != before:
            return
        time.sleep(0.0005)


def _made_counts(folder: Path, kind: str) -> dict[str, int]:
    """The files a run made and how many events each holds (-1: it does not open whole)."""
    counts = {}
    for path in _made(folder, kind):
        try:
            file = SessionFile.open(path, read_only=True)
            try:
                counts[path.name] = sum(1 for _ in file.entries())
            finally:
                file.close()
        except SessionFileError:
            counts[path.name] = -1
    return counts


def _manifest_readable(folder: Path) -> bool:
    manifest = folder / "event.json"
    if not manifest.exists():
        return True
    try:
        json.loads(manifest.read_text())
    except ValueError:
        return False
    return True


def _made(folder: Path, kind: str) -> list[Path]:
    if kind == "import":
        return sorted(folder.glob("imported*.tbs"))
    return sorted(folder.glob("h-*.tbs"))


def _clear_made(folder: Path, kind: str) -> None:
    for path in _made(folder, kind):
        path.unlink()
    if kind == "lineup":
        (folder / "event.json").unlink(missing_ok=True)


def _capture() -> bytes:
    """An RMonitor stream: the shared Orbits capture when present, else one written here."""
    shared = Path(__file__).resolve().parents[2] / "shared" / "feeds" / "rmonitor"
    orbits = shared / "orbits_mock_session_brandshatch.txt"
    if orbits.exists():
        return orbits.read_bytes()
    lines = ['$I,"16:36:08.000","12 jan 01"', '$B,5,"Friday free practice"']
    for car in range(1, 31):
        lines.append(f'$A,"{car}","{car}",{1000 + car},"Driver","{car}","USA",1')
        lines.append(f'$COMP,"{car}","{car}",1,"Driver","{car}","USA",""')
    for lap in range(1, 200):
        for car in range(1, 31):
            seconds = lap * 40 + car
            clock = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}.000"
            lines.append(f'$G,{car},"{car}",{lap},"{clock}"')
            lines.append(f'$J,"{car}","00:00:40.000","{clock}"')
    return ("\r\n".join(lines) + "\r\n").encode()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--damaged", type=int, default=240)
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="timingboard-redteam-") as folder:
        damage = damage_sweep(args.damaged, Path(folder) / "damage", args.seed)
        print(damage.line(), flush=True)
        kills = kill_sweep(args.kills, Path(folder) / "kills", args.seed)
        print(kills.line(), flush=True)
    for failure in damage.failures + kills.failures:
        print(failure)
    return 1 if damage.failures or kills.failures else 0


if __name__ == "__main__":
    sys.exit(main())
