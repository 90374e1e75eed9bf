"""``timingboard import`` of a P3 decoder capture: hex text (one record a line) or raw bytes.

Both forms are told apart by their first bytes; the records go through the same mapper as the
live client, and the capture's bytes are kept in the session file as if received.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from timingboard.engine.events import CompetitorSet, Event
from timingboard.engine.settings import SessionKind, SessionSettings
from timingboard.feeds.p3_parser import P3Record, P3Skipped, P3StreamDecoder
from timingboard.feeds.p3_session import P3Mapper, TimingLine, session_origin
from timingboard.store.recorder import SessionRecorder
from timingboard.store.session_file import DECODER_RAW, SessionFileError

RAW_SOURCE = DECODER_RAW
BATCH = 5000
_HEX_LINE = re.compile(rb"\s*(?:[0-9a-fA-F]{2}\s*)+")


def capture_kind(head: bytes) -> str | None:
    """``"binary"``, ``"hex"`` or None (not a P3 capture), from a file's first bytes."""
    stripped = head.lstrip()
    if stripped[:1] == b"\x8e":
        return "binary"
    if stripped[:4].lower() == b"8e02" and _HEX_LINE.match(stripped.split(b"\n", 1)[0]):
        return "hex"
    return None


def is_p3_capture(path: str | Path) -> bool:
    try:
        with Path(path).open("rb") as handle:
            return capture_kind(handle.read(64)) is not None
    except OSError:
        return False  # the caller's own reading says what is wrong


def read_capture(path: Path) -> tuple[bytes, list[P3Record | P3Skipped]]:
    """The bytes as a decoder sent them, and the records (and skipped parts) in them."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SessionFileError(f"cannot read {path}: {exc.strerror}") from None
    kind = capture_kind(data[:64])
    if kind is None:
        raise SessionFileError(f"{path} is not a P3 capture (hex text or raw decoder bytes)")
    decoder = P3StreamDecoder()
    if kind == "binary":
        return data, decoder.feed(data) + decoder.finish()
    wire = bytearray()
    records: list[P3Record | P3Skipped] = []
    for number, line in enumerate(data.splitlines(), start=1):
        text = line.strip()
        if not text:
            continue
        try:
            chunk = bytes.fromhex(text.decode("ascii"))
        except (UnicodeDecodeError, ValueError):
            records.append(P3Skipped(f"line {number} is not hex", bytes(text[:40])))
            continue
        wire += chunk
        records += decoder.feed(chunk)
    return bytes(wire), records + decoder.finish()


def capture_session(path: Path) -> tuple[SessionSettings, list[Event]]:
    """A capture's session as events, every decoder on the finish line (for a replay)."""
    _wire, records = read_capture(path)
    mapper = P3Mapper(name=path.stem)
    events = mapper.take(records)
    if mapper.session.zero_us is None:
        raise SessionFileError(f"{path} holds no passing on the finish line")
    return mapper.session.settings, events


@dataclass(frozen=True, slots=True)
class P3ImportReport:
    path: Path
    records: int
    passings: int
    cars: int
    laps: int
    skipped: Counter[str]
    resent: int = 0  # passings the decoder sent again, each kept once
    dated: bool = True  # its time zero is the decoder's clock; else the moment of the import

    def lines(self) -> list[str]:
        out = [
            f"{self.path}: {self.records} P3 record(s), {self.passings} passing(s), "
            f"{self.cars} car(s), {self.laps} lap(s)"
        ]
        if not self.dated:
            out.append(
                "  the decoder's clock gives no date for it: dated by the moment of the import"
            )
        if self.skipped:
            reasons = ", ".join(f"{n} x {r}" for r, n in self.skipped.most_common(5))
            out.append(f"skipped {sum(self.skipped.values())} part(s): {reasons}")
        if self.resent:
            out.append(f"kept once: {self.resent} x passing sent again (nothing lost)")
        return out


def import_p3(
    source: str | Path,
    target: str | Path,
    lines: dict[int, TimingLine] | None = None,
    entries: list[CompetitorSet] | None = None,
    kind: SessionKind = SessionKind.PRACTICE,
) -> P3ImportReport:
    """Read a capture and write one session file of ``kind``, green from its first crossing
    (a record takes no F5); an existing file is never overwritten."""
    source, target = Path(source), Path(target)
    wire, records = read_capture(source)
    probe = P3Mapper(
        name=source.stem, lines=lines, entries=entries or (), kind=kind, green_at_zero=True
    )
    probe.take(records)
    if probe.session.zero_us is None:
        raise SessionFileError(f"{source} holds no passing on the finish line")
    if target.exists():
        raise SessionFileError(f"{target} already exists; choose a new name with -o")
    # time zero on the decoder's clock (its passings' own times): the import's moment dated
    # a 2019 capture today, as RMonitor imports were before rmonitor_origin
    origin = session_origin(probe.session, time.time())
    recorder = SessionRecorder.create(target, probe.session.settings, origin)
    try:
        recorder.file.append_raw(RAW_SOURCE, wire)
        mapper = P3Mapper(
            name=source.stem,
            lines=lines,
            entries=entries or (),
            key_of=recorder.engine.transponder_owner,
            kind=kind,
            green_at_zero=True,
        )
        for group in mapper.take_in_turn(records):
            for start in range(0, len(group), BATCH):
                recorder.submit(group[start : start + BATCH])
        engine = recorder.engine
        laps = sum(engine.standing(key).laps for key in engine.order())
        good = sum(1 for r in records if isinstance(r, P3Record))
        return P3ImportReport(
            target,
            good,
            passings=engine.passing_count(),
            cars=len(engine.cars()),
            laps=laps,
            skipped=Counter(_reason(s.reason) for s in mapper.skipped),
            resent=mapper.resent,
            dated=origin is not None,
        )
    finally:
        recorder.close()


def _reason(reason: str) -> str:
    """Reasons without their numbers, so that alike ones count together."""
    return re.sub(r"\d+", "N", reason)
