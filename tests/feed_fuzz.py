"""Inputs for fuzzing the feed path: random bytes, made-up records, mutated real lines.

Shared by ``tests/test_feed_fuzz.py`` (a few thousand inputs) and ``scripts/fuzz_feeds.py``
(a million, and hundreds of mutated captures through the live client).
"""

from __future__ import annotations

import random
import traceback
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from timingboard.engine import TimingEngine
from timingboard.engine.events import Event, LogEntry
from timingboard.feeds.rmonitor_parser import RMonitorParser, parse_bytes
from timingboard.feeds.rmonitor_session import RMonitorMapper
from timingboard.store.recorder import SessionRecorder

TAGS = ["A", "B", "C", "COMP", "E", "F", "G", "H", "I", "J", "COR", "RMS", "RMHL", "L", "T", "Z"]
RESET_EVERY = 5000  # inputs per mapper, so that memory stays flat over a million


def _value(rng: random.Random) -> str:
    pick = rng.randrange(12)
    if pick == 0:
        return ""
    if pick == 1:
        return str(rng.choice([0, -1, 1, 95, 99999, 10**6, -(10**9), 2**63, 10**30]))
    if pick == 2:
        sign = rng.choice(["", "-", "00:00:-"])
        hours = rng.choice([0, 1, 23, 24, 239, 240, 999999])
        minutes, seconds, fraction = rng.randrange(99), rng.randrange(99), rng.randrange(10**6)
        return f'"{sign}{hours:02d}:{minutes:02d}:{seconds:02d}.{fraction}"'
    if pick == 3:
        return f'"{rng.choice(["Green ", "Yellow", "Red   ", "Finish", "Purple", ""])}"'
    if pick == 4:
        return '"' + "".join(chr(rng.randrange(32, 0x2FF)) for _ in range(rng.randrange(12))) + '"'
    if pick == 5:
        return rng.choice(['"PIP"', '"POP"', '"SFT"', '"P1"', '"TRACKLENGTH"', '"TRACKNAME"'])
    if pick == 6:
        return '"' + rng.choice(["race", "qualifying", "practice", "x"]) + '"'
    if pick == 7:
        return f'"{rng.randrange(1000)}"'
    if pick == 8:
        return f"{rng.random() * 10 ** rng.randrange(12):.3f}"
    if pick == 9:
        return '"' + '"' * rng.randrange(3)
    return str(rng.randrange(100))


def made_up_record(rng: random.Random) -> bytes:
    fields = [_value(rng) for _ in range(rng.randrange(12))]
    line = "$" + rng.choice(TAGS) + "," + ",".join(fields)
    return line.encode("utf-8", errors="replace") + rng.choice([b"\r\n", b"\n", b"\r", b""])


def mutated(line: bytes, rng: random.Random) -> bytes:
    data = bytearray(line)
    for _ in range(rng.randrange(1, 4)):
        if not data:
            break
        at = rng.randrange(len(data))
        match rng.randrange(7):
            case 0:
                data[at] = rng.randrange(256)
            case 1:
                del data[at : at + rng.randrange(1, 8)]
            case 2:
                data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 8)))
            case 3:
                data[at:at] = rng.choice([b",", b'"', b"$", b"\r", b"\n", b"-", b":", b"\x00"])
            case 4:
                data[at:] = b""
            case 5:
                data[at:at] = data[: rng.randrange(len(data) + 1)]
            case _:
                data[at:at] = str(rng.choice([-1, 10**9, 99999999, 2**31])).encode()
    return bytes(data)


def inputs(rng: random.Random, real_lines: Sequence[bytes]) -> Iterator[bytes]:
    """Endless inputs: a third random bytes, a third made-up records, a third real lines."""
    while True:
        pick = rng.randrange(3)
        if pick == 0:
            yield bytes(rng.randrange(256) for _ in range(rng.randrange(120)))
        elif pick == 1 or not real_lines:
            yield made_up_record(rng)
        else:  # a run of real lines, some of them damaged
            start = rng.randrange(len(real_lines))
            run = real_lines[start : start + rng.randrange(1, 20)]
            yield b"".join(mutated(line, rng) if rng.random() < 0.3 else line for line in run)


class _MemoryFile:
    """A session file that keeps its log in memory: the recorder's checks, without the disk."""

    def __init__(self) -> None:
        self.last_seq = 0

    def append(self, events: Sequence[Event]) -> list[LogEntry]:
        entries = [LogEntry(self.last_seq + i + 1, e) for i, e in enumerate(events)]
        self.last_seq += len(entries)
        return entries

    def close(self) -> None:
        pass


@dataclass
class FuzzCount:
    inputs: int = 0
    records: int = 0
    skipped: int = 0
    events: int = 0
    refused: int = 0
    exceptions: int = 0
    first_failures: list[str] = field(default_factory=list)
    refusals: Counter[str] = field(default_factory=Counter)

    def line(self) -> str:
        return (
            f"{self.inputs:,} parser inputs: {self.exceptions} exceptions; "
            f"{self.records:,} records, {self.skipped:,} lines skipped, {self.events:,} events, "
            f"{self.refused:,} refused by the session (each alone, with a reason)"
            + "".join(f"\n  {n} x {why}" for why, n in self.refusals.most_common(5))
        )


class ParserFuzz:
    """Each input through the pure parser, and through parser, mapper and recorder in order."""

    def __init__(self) -> None:
        self.count = FuzzCount()
        self._fresh()

    def _fresh(self) -> None:
        self._parser = RMonitorParser()
        self._mapper = RMonitorMapper()
        self._recorders: dict[int, SessionRecorder] = {}
        self._written: dict[int, int] = {}
        self._since = 0

    def take(self, data: bytes, rng: random.Random) -> None:
        count = self.count
        count.inputs += 1
        try:
            for item in parse_bytes(data):
                if type(item).__name__ == "Skipped":
                    count.skipped += 1
                else:
                    count.records += 1
            cut = rng.randrange(len(data) + 1)
            for piece in (data[:cut], data[cut:]):
                self._mapper.take(self._parser.feed(piece))
            self._write()
        except Exception:
            count.exceptions += 1
            if len(count.first_failures) < 5:
                count.first_failures.append(f"{data!r}\n{traceback.format_exc()}")
            self._fresh()
        self._since += 1
        if self._since >= RESET_EVERY:
            self._fresh()

    def _write(self) -> None:
        for session in self._mapper.sessions[-2:]:
            key = id(session)
            recorder = self._recorders.get(key)
            if recorder is None:
                engine = TimingEngine(session.settings)
                recorder = SessionRecorder(_MemoryFile(), engine)  # type: ignore[arg-type]
                self._recorders[key] = recorder
                self._written[key] = 0
            new = session.events[self._written[key] :]
            if new:
                _, refused = recorder.submit_valid(new)
                self._written[key] = len(session.events)
                self.count.events += len(new)
                self.count.refused += len(refused)
                for event, why in refused:
                    self.count.refusals[f"{type(event).__name__}: {why}"] += 1


def mutated_capture(data: bytes, rng: random.Random, longest: int = 200_000) -> bytes:
    """A window of a real capture, its lines dropped, repeated, swapped, damaged, reset."""
    lines = data.splitlines(keepends=True)
    if not lines:
        return data
    start = rng.randrange(len(lines))
    window: list[bytes] = []
    size = 0
    for line in lines[start:]:
        if size > longest:
            break
        window.append(line)
        size += len(line)
    out: list[bytes] = []
    for line in window:
        pick = rng.random()
        if pick < 0.01:
            continue  # dropped
        if pick < 0.02:
            out += [line, line]  # sent twice
        elif pick < 0.03:
            out.append(mutated(line, rng))
        elif pick < 0.035 and out:
            out.insert(len(out) - 1, line)  # out of order
        elif pick < 0.037:
            out += [b'$I,"12:00:00.000","1 Jan 25"\r\n', line]  # a scoreboard reset
        elif pick < 0.039:
            out.append(line.decode("utf-8", "replace").encode("cp1252", "replace"))
        else:
            out.append(line)
    return b"".join(out)
