"""Killed at any moment (SIGKILL), the board loses no passing it had shown."""

from __future__ import annotations

import os
import random
import selectors
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from timingboard.store import SessionRecorder

CHILD = Path(__file__).with_name("crash_child.py")
HEADER = (
    b'$B,7,"Crash test"\r\n'
    + b"".join(f'$A,"{n}","{n}",{1000 + n},"Driver","{n}","",1\r\n'.encode() for n in range(1, 21))
    + b'$F,9999,"00:00:00","12:00:00","00:00:00","Green "\r\n'
)
RUNS = 25


def _time(ms: int) -> str:
    s, f = divmod(ms, 1000)
    m, s = divmod(s, 60)
    h, m = divmod(m, 60)
    return f"{h:02d}:{m:02d}:{s:02d}.{f:03d}"


def _stream(rng: random.Random) -> list[bytes]:
    lines = []
    for lap in range(0, 30):
        for car in range(1, 21):
            total = 500 + lap * 60_000 + car * 700 + rng.randint(0, 300)
            lap_ms = 0 if lap == 0 else 60_000
            lines.append(f'$J,"{car}","{_time(lap_ms)}","{_time(total)}"\r\n'.encode())
    return lines


class Child:
    """The board process; reads what it reports straight from the pipe (no buffering)."""

    def __init__(self, folder: Path, port: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(CHILD), str(folder), str(port)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            bufsize=0,
        )
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.process.stdout, selectors.EVENT_READ)
        self.shown: list[tuple[str, int]] = []
        self._pending = b""

    def read_until(self, count: int, timeout: float = 20.0) -> None:
        """Wait until the board has reported ``count`` shown passings."""
        deadline = time.monotonic() + timeout
        while len(self.shown) < count:
            if time.monotonic() > deadline:
                raise AssertionError("the board stopped reporting")
            if not self.selector.select(timeout=0.5):
                continue
            data = os.read(self.process.stdout.fileno(), 65536)
            if not data:
                raise AssertionError("the board process ended")
            *lines, self._pending = (self._pending + data).split(b"\n")
            for line in lines:
                words = line.decode().split()
                if words and words[0] == "shown":
                    self.shown.append((words[1], int(words[2])))

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=20)
        self.selector.close()
        self.process.stdout.close()


@pytest.mark.parametrize("run", range(RUNS))
def test_sigkill_at_a_random_moment_loses_no_shown_passing(tmp_path: Path, run: int) -> None:
    rng = random.Random(run)
    lines = _stream(rng)
    kill_after = rng.randint(1, len(lines) - 1)
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.settimeout(20)
        child = Child(tmp_path, server.getsockname()[1])
        try:
            connection, _ = server.accept()
            with connection:
                connection.sendall(HEADER)
                sent = 0
                while len(child.shown) < kill_after:
                    chunk = lines[sent : sent + rng.randint(1, 40)]
                    connection.sendall(b"".join(chunk))
                    sent += len(chunk)
                    child.read_until(min(sent, kill_after))
        finally:
            child.kill()
    assert child.process.returncode == -signal.SIGKILL
    [session] = [p for p in tmp_path.glob("feed-*.tbs")]
    recorder = SessionRecorder.open(session)  # opens cleanly after the kill
    on_disk = {(r.key, r.time_ms) for r in recorder.engine.passings.values()}
    recorder.close()
    assert len(child.shown) >= kill_after
    assert set(child.shown) <= on_disk
