"""MYLAPS / AMB P3 decoder records: a stream decoder and an encoder, pure functions of bytes.

A record on the wire: ``0x8E``, version, length (u16 LE, of the unescaped record from start to
end), CRC (u16 LE), flags (u16 LE), type (u16 LE), fields as tag (u8), length (u8), value
(little-endian), then ``0x8F``. Inside a record ``0x8D``, ``0x8E`` and ``0x8F`` travel as ``0x8D``
followed by the byte plus ``0x20`` (header and CRC bytes too). The CRC is taken over the
unescaped record with its CRC field zeroed; it is not the textbook CRC-16/CCITT, and it checks on
every record of the real captures in ``shared/feeds/p3``.

:class:`P3StreamDecoder` takes bytes as they arrive (several records in one read, one record
across reads) and gives records and :class:`P3Skipped` entries; it never raises.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from enum import IntEnum

START = 0x8E
END = 0x8F
ESCAPE = 0x8D
ESCAPE_OFFSET = 0x20
VERSION = 0x02
HEADER_SIZE = 10  # start, version, length, crc, flags, type
LONGEST_RECORD = 1024  # a record claiming more than this is not a record (the field is a u16)


class RecordType(IntEnum):
    PASSING = 0x0001
    STATUS = 0x0002
    VERSION = 0x0003
    RESEND = 0x0004
    CLEAR_PASSING = 0x0005
    PING = 0x0020
    GET_TIME = 0x0024
    ERROR = 0xFFFF


class PassingTag(IntEnum):
    PASSING_NUMBER = 0x01
    TRANSPONDER = 0x03
    RTC_TIME = 0x04
    STRENGTH = 0x05
    HITS = 0x06
    FLAGS = 0x08
    TRANSPONDER_TEXT = 0x0A
    UTC_TIME = 0x10


class StatusTag(IntEnum):
    NOISE = 0x01
    GPS = 0x06
    TEMPERATURE = 0x07
    SATELLITES = 0x0A
    LOOP_TRIGGERS = 0x0B
    INPUT_VOLTAGE = 0x0C


class ResendTag(IntEnum):
    FROM = 0x01
    UNTIL = 0x02


DECODER_ID_TAG = 0x81  # in every record from a decoder


def _crc_table() -> tuple[int, ...]:
    table = []
    for i in range(256):
        crc = i << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
        table.append(crc & 0xFFFF)
    return tuple(table)


_TABLE = _crc_table()


def crc16(data: bytes) -> int:
    """The decoder's CRC: the table step first, then the byte folded in (not CRC-16/CCITT)."""
    crc = 0xFFFF
    table = _TABLE
    for byte in data:
        crc = (table[crc >> 8] ^ ((crc << 8) & 0xFFFF)) ^ byte
    return crc


def escape(body: bytes) -> bytes:
    """The bytes between start and end as sent: the three framing bytes escaped."""
    if ESCAPE not in body and START not in body and END not in body:
        return body
    out = bytearray()
    for byte in body:
        if byte in (ESCAPE, START, END):
            out += bytes((ESCAPE, byte + ESCAPE_OFFSET))
        else:
            out.append(byte)
    return bytes(out)


def unescape(body: bytes) -> bytes | None:
    """The escaped bytes between start and end, decoded; None if an escape is left hanging."""
    if ESCAPE not in body:
        return body  # most records
    out = bytearray()
    it = iter(body)
    for byte in it:
        if byte == ESCAPE:
            nxt = next(it, None)
            if nxt is None:
                return None
            out.append((nxt - ESCAPE_OFFSET) & 0xFF)
        else:
            out.append(byte)
    return bytes(out)


@dataclass(frozen=True, slots=True)
class P3Record:
    """One record: its type and every field in order (unknown tags kept as they came)."""

    type: int
    fields: tuple[tuple[int, bytes], ...] = ()
    flags: int = 0
    version: int = VERSION

    def raw(self, tag: int) -> bytes | None:
        for t, value in self.fields:
            if t == tag:
                return value
        return None

    def number(self, tag: int) -> int | None:
        """A field as an unsigned little-endian integer; None if absent."""
        value = self.raw(tag)
        return int.from_bytes(value, "little") if value is not None else None

    def signed(self, tag: int) -> int | None:
        value = self.raw(tag)
        return int.from_bytes(value, "little", signed=True) if value else None

    def text(self, tag: int) -> str | None:
        value = self.raw(tag)
        return value.rstrip(b"\0").decode("latin-1") if value is not None else None

    @property
    def decoder_id(self) -> int | None:
        return self.number(DECODER_ID_TAG)

    @property
    def type_name(self) -> str:
        try:
            return RecordType(self.type).name
        except ValueError:
            return f"0x{self.type:04X}"


@dataclass(frozen=True, slots=True)
class P3Skipped:
    """Bytes that were not a usable record, with the reason (shown to the operator)."""

    reason: str
    data: bytes = b""


@dataclass(frozen=True, slots=True)
class PassingRecord:
    """A transponder crossing a loop, as the decoder numbered and timed it."""

    passing_number: int
    transponder: int
    rtc_us: int  # decoder real-time clock, µs since the Unix epoch
    decoder_id: int | None = None
    strength: int | None = None
    hits: int | None = None
    flags: int | None = None
    transponder_text: str = ""
    utc_us: int | None = None
    unknown: tuple[tuple[int, bytes], ...] = ()


@dataclass(frozen=True, slots=True)
class StatusRecord:
    """The decoder's health, sent every few seconds."""

    decoder_id: int | None = None
    noise: int | None = None
    gps: int | None = None
    temperature: int | None = None  # as sent (tenths of a degree on the decoders seen)
    satellites: int | None = None
    loop_triggers: int | None = None
    input_voltage: int | None = None
    unknown: tuple[tuple[int, bytes], ...] = ()


_PASSING_KNOWN = {int(t) for t in PassingTag} | {DECODER_ID_TAG}
_STATUS_KNOWN = {int(t) for t in StatusTag} | {DECODER_ID_TAG}


def as_passing(record: P3Record) -> PassingRecord | P3Skipped:
    """A PASSING record's meaning; a record missing its number, transponder or time is skipped."""
    number = record.number(PassingTag.PASSING_NUMBER)
    transponder = record.number(PassingTag.TRANSPONDER)
    rtc = record.number(PassingTag.RTC_TIME)
    if (
        number is None
        or rtc is None
        or (transponder is None and not record.raw(PassingTag.TRANSPONDER_TEXT))
    ):
        return P3Skipped("PASSING without passing number, transponder or RTC time")
    return PassingRecord(
        passing_number=number,
        transponder=transponder or 0,
        rtc_us=rtc,
        decoder_id=record.decoder_id,
        strength=record.number(PassingTag.STRENGTH),
        hits=record.number(PassingTag.HITS),
        flags=record.number(PassingTag.FLAGS),
        transponder_text=record.text(PassingTag.TRANSPONDER_TEXT) or "",
        utc_us=record.number(PassingTag.UTC_TIME),
        unknown=tuple((t, v) for t, v in record.fields if t not in _PASSING_KNOWN),
    )


def as_status(record: P3Record) -> StatusRecord:
    return StatusRecord(
        decoder_id=record.decoder_id,
        noise=record.number(StatusTag.NOISE),
        gps=record.number(StatusTag.GPS),
        temperature=record.signed(StatusTag.TEMPERATURE),
        satellites=record.number(StatusTag.SATELLITES),
        loop_triggers=record.number(StatusTag.LOOP_TRIGGERS),
        input_voltage=record.number(StatusTag.INPUT_VOLTAGE),
        unknown=tuple((t, v) for t, v in record.fields if t not in _STATUS_KNOWN),
    )


def decode_record(wire: bytes) -> P3Record | P3Skipped:
    """One record as on the wire (``0x8E`` … ``0x8F``, escaped)."""
    if len(wire) < 2 or wire[0] != START or wire[-1] != END:
        return P3Skipped("record without start 0x8E and end 0x8F", wire)
    body = unescape(wire[1:-1])
    if body is None:
        return P3Skipped("record ends inside an escape", wire)
    record = bytes((START,)) + body + bytes((END,))
    if len(record) < HEADER_SIZE + 1:
        return P3Skipped(f"record of {len(record)} bytes is shorter than a header", wire)
    version, length, crc, flags, kind = struct.unpack_from("<BHHHH", record, 1)
    if length != len(record):
        return P3Skipped(f"length field says {length} bytes, the record has {len(record)}", wire)
    zeroed = record[:4] + b"\0\0" + record[6:]
    if crc16(zeroed) != crc:
        return P3Skipped(f"bad CRC (0x{crc:04X}, computed 0x{crc16(zeroed):04X})", wire)
    fields: list[tuple[int, bytes]] = []
    at, stop = HEADER_SIZE, len(record) - 1
    while at < stop:
        if at + 2 > stop:
            return P3Skipped("field cut short (tag without length)", wire)
        tag, size = record[at], record[at + 1]
        if at + 2 + size > stop:
            return P3Skipped(f"field 0x{tag:02X} runs past the end of the record", wire)
        fields.append((tag, record[at + 2 : at + 2 + size]))
        at += 2 + size
    return P3Record(kind, tuple(fields), flags, version)


def encode_record(record: P3Record) -> bytes:
    """The record as a decoder sends it: length and CRC worked out, framing bytes escaped."""
    body = b"".join(bytes((tag, len(value))) + value for tag, value in record.fields)
    length = HEADER_SIZE + len(body) + 1
    header = struct.pack("<BBHHHH", START, record.version, length, 0, record.flags, record.type)
    plain = header + body + bytes((END,))
    crc = crc16(plain)
    plain = plain[:4] + struct.pack("<H", crc) + plain[6:]
    return bytes((START,)) + escape(plain[1:-1]) + bytes((END,))


def u(value: int, size: int) -> bytes:
    """A little-endian unsigned field value."""
    return value.to_bytes(size, "little")


def passing(
    number: int,
    transponder: int,
    rtc_us: int,
    decoder_id: int | None = None,
    strength: int = 0,
    hits: int = 0,
) -> P3Record:
    """A PASSING record, as a decoder would number and time it (for the simulator and tests)."""
    fields = [
        (int(PassingTag.PASSING_NUMBER), u(number, 4)),
        (int(PassingTag.TRANSPONDER), u(transponder, 4)),
        (int(PassingTag.RTC_TIME), u(rtc_us, 8)),
        (int(PassingTag.STRENGTH), u(strength, 2)),
        (int(PassingTag.HITS), u(hits, 2)),
        (int(PassingTag.FLAGS), u(0, 2)),
    ]
    if decoder_id is not None:
        fields.append((DECODER_ID_TAG, u(decoder_id, 4)))
    return P3Record(RecordType.PASSING, tuple(fields))


def resend(first: int, last: int) -> P3Record:
    """Ask the decoder for its passings numbered ``first`` to ``last``."""
    return P3Record(
        RecordType.RESEND, ((int(ResendTag.FROM), u(first, 4)), (int(ResendTag.UNTIL), u(last, 4)))
    )


@dataclass(slots=True)
class P3StreamDecoder:
    """Splits a byte stream into records. Feed it whatever arrived; it keeps an unfinished tail.

    Bytes before a start byte are junk (reported once per run of junk); a start byte inside a
    record means the record before it was cut (reported, the new record taken).
    """

    _buffer: bytearray = field(default_factory=bytearray)

    def feed(self, data: bytes) -> list[P3Record | P3Skipped]:
        self._buffer += data
        out: list[P3Record | P3Skipped] = []
        buf = self._buffer
        while buf:
            start = buf.find(START)
            if start < 0:
                out.append(P3Skipped(f"{len(buf)} byte(s) between records", bytes(buf)))
                buf.clear()
                break
            if start > 0:
                out.append(P3Skipped(f"{start} byte(s) between records", bytes(buf[:start])))
                del buf[:start]
            end = buf.find(END, 1)
            cut = buf.find(START, 1)
            if 0 <= cut < (end if end >= 0 else len(buf)):
                out.append(P3Skipped("record cut short (a new record began)", bytes(buf[:cut])))
                del buf[:cut]
                continue
            if end < 0:
                if len(buf) > 2 * LONGEST_RECORD:
                    out.append(P3Skipped("record without an end", bytes(buf)))
                    buf.clear()
                break
            out.append(decode_record(bytes(buf[: end + 1])))
            del buf[: end + 1]
        return out

    def finish(self) -> list[P3Record | P3Skipped]:
        """At the end of a stream: what is left was never finished."""
        if not self._buffer:
            return []
        left = bytes(self._buffer)
        self._buffer.clear()
        return [P3Skipped("record cut short at the end of the stream", left)]
