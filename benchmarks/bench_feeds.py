"""Feeds and publishing under abuse, over real loopback sockets: prints figures. Not a test.

Run:  python benchmarks/bench_feeds.py garbage   (60 s of random bytes at ~4 MB/s into the client)
      python benchmarks/bench_feeds.py join      (5 scoreboards join a 24 h session at once)
      python benchmarks/bench_feeds.py stalled   (20 scoreboards that never read, 60 s)
      --seconds N shortens or lengthens the garbage and stalled runs.
      --workload KEY joins or stalls on another session than the 24 h one (200x600, …).

Peers (the garbage sender, the scoreboards) run in another process, so that what is measured
is this process: its resident memory (now, from /proc; and its peak) and the longest time its
event loop (the GUI thread) went without turning, seen by a 5 ms timer.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from this_tree import child_env

from timingboard.demo.endurance import WORKLOADS, Workload, generate, workload_keys, workload_named
from timingboard.engine import SessionSettings
from timingboard.qt.rmonitor_client import RMonitorClient
from timingboard.qt.rmonitor_server import RMonitorServer
from timingboard.qt.session_controller import SessionController
from timingboard.store import SessionRecorder

TICK_MS = 5

SENDER = r"""
import os, socket, sys, time
rate, seconds = float(sys.argv[1]), float(sys.argv[2])
server = socket.create_server(("127.0.0.1", 0))
print(server.getsockname()[1], flush=True)
conn, _ = server.accept()
block = os.urandom(1 << 20)
sent, start = 0, time.monotonic()
try:
    while (now := time.monotonic() - start) < seconds:
        if sent < rate * now:
            at = sent % len(block)
            sent += conn.send(block[at : at + 65536])
        else:
            time.sleep(0.002)
except OSError:
    pass
print(sent, flush=True)
conn.close()
"""

SCOREBOARDS = r"""
import socket, sys, time
port, count, read = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "read"
conns = []
for _ in range(count):
    c = socket.socket(socket.AF_INET6 if sys.argv[4] == "6" else socket.AF_INET)
    c.connect(("::1" if sys.argv[4] == "6" else "127.0.0.1", port))
    conns.append(c)
print("joined", flush=True)
if not read:
    sys.stdin.readline()
    sys.exit(0)
got = [0] * count
tails = [b""] * count  # a "$J," cut between two reads is counted once
for i, c in enumerate(conns):
    c.settimeout(0.05)
deadline = time.monotonic() + float(sys.argv[5])
while time.monotonic() < deadline:
    for i, c in enumerate(conns):
        try:
            data = c.recv(1 << 20)
        except socket.timeout:
            continue
        got[i] += (tails[i] + data).count(b"$J,")
        tails[i] = data[-2:]
print(" ".join(map(str, got)), flush=True)
"""


class StallWatch:
    """The longest gap between turns of the event loop beyond the timer's own interval."""

    def __init__(self) -> None:
        self.longest_ms = 0.0
        self._last = time.monotonic()
        self._timer = QTimer(interval=TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now = time.monotonic()
        self.longest_ms = max(self.longest_ms, (now - self._last) * 1000 - TICK_MS)
        self._last = now

    def reset(self) -> None:
        self.longest_ms, self._last = 0.0, time.monotonic()

    def stop(self) -> None:
        self._timer.stop()


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_for(app: QApplication, seconds: float) -> None:
    QTimer.singleShot(int(seconds * 1000), app.quit)
    app.exec()


def garbage(app: QApplication, seconds: float, rate: float) -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-garbage-"))
    sender = subprocess.Popen(
        [sys.executable, "-c", SENDER, str(rate), str(seconds)],
        env=child_env(),
        stdout=subprocess.PIPE,
        text=True,
    )
    port = int(sender.stdout.readline())
    controller = SessionController(
        SessionRecorder.create(folder / "blank.tbs", SessionSettings(name="waiting"))
    )
    client = RMonitorClient(controller, folder)
    before = rss_mb()
    watch = StallWatch()
    client.connect_to("127.0.0.1", port)
    run_for(app, seconds + 1)
    watch.stop()
    after = rss_mb()
    sent = int(sender.stdout.readline() or 0)
    client.disconnect_from_feed()
    sender.wait(timeout=30)
    controller.close()
    print(
        f"garbage {seconds:g} s at {rate / 1e6:g} MB/s over loopback: sent {sent / 1e6:.0f} MB, "
        f"read {client.bytes_received / 1e6:.0f} MB; resident {before:.0f} -> {after:.0f} MB "
        f"(peak {peak_mb():.0f} MB); {client.skipped_count:,} lines skipped, "
        f"{len(client.skipped)} kept; longest GUI stall {watch.longest_ms:.0f} ms; "
        f"board says: {client.unreadable or 'nothing'}"
    )


def _long_session(folder: Path, workload: Workload = WORKLOADS[2]) -> SessionController:
    """A long session (24 h unless told) opened as ``timingboard open`` opens it."""
    settings, events = generate(workload)
    recorder = SessionRecorder.create(folder / "24h.tbs", settings)
    for start in range(0, len(events), 20_000):
        recorder.submit(events[start : start + 20_000])
    recorder.close()
    del recorder, events
    return SessionController(SessionRecorder.open(folder / "24h.tbs"))


def join(app: QApplication, count: int, workload: Workload = WORKLOADS[2]) -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-join-"))
    controller = _long_session(folder, workload)
    server = RMonitorServer(controller)
    server.listen(0)
    watch = StallWatch()
    run_for(app, 3)  # publishing starts: the session's lines are built in slices
    build_stall = watch.longest_ms
    watch.reset()
    peers = subprocess.Popen(
        [sys.executable, "-c", SCOREBOARDS, str(server.port), str(count), "read", "4", "40"],
        env=child_env(),
        stdout=subprocess.PIPE,
        text=True,
    )
    started = time.monotonic()
    joined = False
    while peers.poll() is None:  # until the scoreboards have read for 40 s
        app.processEvents()
        joined = joined or server.client_count == count
        time.sleep(0.001)
    got = peers.stdout.read().split()[-count:]
    watch.stop()
    expected = len(server._publisher.lines)
    print(
        f"{count} scoreboards joining a {workload.name} session "
        f"({controller.engine.passing_count():,} passings, {expected:,} $J): longest GUI stall "
        f"{watch.longest_ms:.0f} ms while they "
        f"joined and read ({build_stall:.0f} ms while publishing started); $J received: "
        f"{', '.join(got)}; {time.monotonic() - started:.0f} s"
    )
    server.close()
    controller.close()


def stalled(
    app: QApplication, seconds: float, count: int, workload: Workload = WORKLOADS[2]
) -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-stalled-"))
    controller = _long_session(folder, workload)
    server = RMonitorServer(controller)
    server.listen(0)
    run_for(app, 3)
    dropped: list[str] = []
    server.client_dropped.connect(dropped.append)
    before = rss_mb()
    peers = subprocess.Popen(
        [sys.executable, "-c", SCOREBOARDS, str(server.port), str(count), "stall", "4", "0"],
        env=child_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    peers.stdout.readline()
    watch = StallWatch()
    most_queued = 0

    def sample() -> None:
        nonlocal most_queued
        most_queued = max(most_queued, server.queued_bytes())

    sampler = QTimer(interval=100)
    sampler.timeout.connect(sample)
    sampler.start()
    run_for(app, seconds)
    sampler.stop()
    watch.stop()
    after = rss_mb()
    peers.stdin.write("\n")
    peers.stdin.close()
    peers.wait(timeout=30)
    print(
        f"{count} scoreboards that never read, {seconds:g} s on a {workload.name} session: "
        f"resident "
        f"{before:.0f} -> {after:.0f} MB (peak {peak_mb():.0f} MB); most queued at once "
        f"{most_queued / 2**20:.1f} MB; {len(dropped)} dropped, {server.client_count} left, "
        f"{server.queued_bytes() / 2**20:.1f} MB still queued; longest GUI stall "
        f"{watch.longest_ms:.0f} ms"
    )
    server.close()
    controller.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["garbage", "join", "stalled"])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--rate", type=float, default=4e6, help="garbage bytes a second")
    parser.add_argument(
        "--workload", choices=workload_keys(), default=WORKLOADS[2].key, help="join, stalled"
    )
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    workload = workload_named(args.workload)
    if args.what == "garbage":
        garbage(app, args.seconds, args.rate)
    elif args.what == "join":
        join(app, 5, workload)
    else:
        stalled(app, args.seconds, 20, workload)


if __name__ == "__main__":
    main()
