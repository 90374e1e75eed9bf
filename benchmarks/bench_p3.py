"""P3 decoder stream parsing and mapping: prints figures, one line each. Not a test.

Run:  python benchmarks/bench_p3.py [CAPTURE]   (default: ../shared/feeds/p3/ambp3client_amb.out)

The capture's records are repeated (passing numbers and times moved on) to a stream of about
100k records, fed in 1,460-byte reads as TCP would deliver them.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from timingboard.feeds.p3_parser import (
    P3Record,
    P3StreamDecoder,
    PassingTag,
    RecordType,
    decode_record,
    encode_record,
    u,
)
from timingboard.feeds.p3_session import P3Mapper

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "feeds" / "p3" / "ambp3client_amb.out"
TARGET_RECORDS = 100_000
READ = 1460


def _stream(path: Path) -> tuple[bytes, int]:
    records = [decode_record(bytes.fromhex(line)) for line in path.read_text().split()]
    good = [r for r in records if isinstance(r, P3Record)]
    span = 6 * 3600 * 1_000_000
    out = bytearray()
    count = 0
    for round_ in range(TARGET_RECORDS // len(good) + 1):
        for record in good:
            if record.type == RecordType.PASSING:
                fields = []
                for tag, value in record.fields:
                    if tag == PassingTag.PASSING_NUMBER:
                        value = u(int.from_bytes(value, "little") + round_ * 1000, 4)
                    elif tag == PassingTag.RTC_TIME:
                        value = u(int.from_bytes(value, "little") + round_ * span, 8)
                    fields.append((tag, value))
                record = P3Record(record.type, tuple(fields), record.flags, record.version)
            out += encode_record(record)
            count += 1
    return bytes(out), count


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    data, count = _stream(path)
    decoder = P3StreamDecoder()
    started = time.perf_counter()
    records = []
    for at in range(0, len(data), READ):
        records += decoder.feed(data[at : at + READ])
    parsed = time.perf_counter() - started
    assert len(records) == count, (len(records), count)
    mapper = P3Mapper()
    started = time.perf_counter()
    events = mapper.take(records)
    mapped = time.perf_counter() - started
    print(
        f"parse: {count:,} records ({len(data) / 1e6:.1f} MB) in {parsed:.2f} s = "
        f"{count / parsed:,.0f} records/s, reads of {READ} bytes"
    )
    print(f"map: {count:,} records to {len(events):,} events in {mapped:.2f} s")
    _slices(data)


def _slices(data: bytes) -> None:
    """What the client does a turn of the event loop: one slice parsed, mapped, committed."""
    import tempfile

    from timingboard.qt.p3_client import TURN_BYTES
    from timingboard.store.recorder import SessionRecorder

    folder = Path(tempfile.mkdtemp(prefix="bench-p3-"))
    mapper = P3Mapper()
    recorder = SessionRecorder.create(folder / "p3.tbs", mapper.session.settings)
    decoder = P3StreamDecoder()
    turns: list[float] = []
    try:
        for at in range(0, min(len(data), 200 * TURN_BYTES), TURN_BYTES):
            started = time.perf_counter()
            recorder.file.append_raw("p3", data[at : at + TURN_BYTES])
            events = mapper.take(decoder.feed(data[at : at + TURN_BYTES]))
            if events:
                recorder.submit(events)
            turns.append(time.perf_counter() - started)
    finally:
        recorder.close()
    turns.sort()
    p50, p99 = turns[len(turns) // 2], turns[int(len(turns) * 0.99)]
    print(
        f"a turn of the client ({TURN_BYTES:,} bytes kept, parsed, mapped, committed): "
        f"p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, worst {turns[-1] * 1000:.1f} ms "
        f"({len(turns)} turns)"
    )


if __name__ == "__main__":
    main()
