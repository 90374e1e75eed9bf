"""The P3 decoder protocol: both real captures record by record, streams, bad input, fuzzing."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from p3_captures import LONG, SHORT, needs_captures, wires

from timingboard.feeds.p3_parser import (
    END,
    ESCAPE,
    START,
    P3Record,
    P3Skipped,
    P3StreamDecoder,
    PassingRecord,
    RecordType,
    as_passing,
    as_status,
    crc16,
    decode_record,
    encode_record,
    passing,
    resend,
)


@needs_captures
@pytest.mark.parametrize("path", [LONG, SHORT], ids=["long", "short"])
def test_every_record_of_the_captures_parses_with_a_good_crc(path) -> None:
    records = [decode_record(w) for w in wires(path)]
    assert [r for r in records if isinstance(r, P3Skipped)] == []
    assert {r.type for r in records} == {RecordType.PASSING, RecordType.STATUS}
    for wire, record in zip(wires(path), records, strict=True):
        assert encode_record(record) == wire  # the CRC and the escaping as the decoder made them


@needs_captures
def test_the_long_capture_holds_what_its_readme_says() -> None:
    records = [decode_record(w) for w in wires(LONG)]
    kinds = [r.type for r in records]
    assert kinds.count(RecordType.STATUS) == 1304
    assert kinds.count(RecordType.PASSING) == 84
    escaped = [w for w in wires(LONG) if ESCAPE in w]
    assert len(escaped) == 5
    assert {r.decoder_id for r in records} == {0x00041813}
    passings = [as_passing(r) for r in records if r.type == RecordType.PASSING]
    assert {p.transponder for p in passings} == {3438895, 5691251, 3292480}


def test_an_escaped_passing_number_and_crc_byte_decode() -> None:
    # from the long capture: passing number 0x02688E (0x8E sent as 8D AE), and a record whose
    # CRC's first byte is 0x8E (sent as 8D AE in the header)
    good = bytes.fromhex(
        "8e023300ae580000010001048dae68020003042f7934000408502859811f83050005029900"
        "06021b00080200008104131804008f"
    )
    record = decode_record(good)
    assert isinstance(record, P3Record)
    assert as_passing(record).passing_number == 0x02688E
    crc_escaped = bytes.fromhex(
        "8e0233008dae400000010001047c680200030473d756000408882878f31e830500"
        "0502b20006021f00080200008104131804008f"
    )
    record = decode_record(crc_escaped)
    assert isinstance(record, P3Record), record
    assert encode_record(record) == crc_escaped


def test_the_crc_is_the_decoders_not_the_textbook_one() -> None:
    # CRC-16/CCITT-FALSE of "123456789" is 0x29B1; the decoder folds the byte in after the table
    assert crc16(b"123456789") != 0x29B1
    assert crc16(b"") == 0xFFFF


def test_status_fields() -> None:
    wire = bytes.fromhex("8e021f004d7c0000020001022700070216000c01760601008104131804008f")
    status = as_status(decode_record(wire))
    assert (status.noise, status.temperature, status.gps, status.input_voltage) == (39, 22, 0, 118)
    assert status.decoder_id == 0x00041813


def test_encoder_escapes_header_and_crc_bytes_and_round_trips() -> None:
    record = passing(0x8E8D8F, 0x8F, 1_551_542_808_933_000, decoder_id=0x8D)
    wire = encode_record(record)
    assert wire[0] == START and wire[-1] == END
    assert START not in wire[1:-1] and END not in wire[1:-1]
    assert decode_record(wire) == record
    ask = decode_record(encode_record(resend(10, 20)))
    assert isinstance(ask, P3Record) and (ask.number(1), ask.number(2)) == (10, 20)


@needs_captures
def test_a_stream_cut_anywhere_gives_the_same_records() -> None:
    stream = b"".join(wires(LONG))
    expected = [decode_record(w) for w in wires(LONG)]
    rng = random.Random(5403)
    decoder = P3StreamDecoder()
    got: list = []
    at = 0
    while at < len(stream):
        size = rng.choice([1, 2, 7, 31, 64, 500, 4096])
        got += decoder.feed(stream[at : at + size])
        at += size
    assert got == expected
    assert decoder.finish() == []


def _stream_with(bad: bytes) -> tuple[bytes, list[P3Record | P3Skipped]]:
    good = [passing(n, 1000 + n, 1_000_000 * n, decoder_id=7) for n in range(1, 5)]
    wire = [encode_record(r) for r in good]
    stream = wire[0] + wire[1] + bad + wire[2] + wire[3]
    return stream, [r for r in good]


def test_junk_between_records_is_skipped_with_a_reason_and_nothing_else_lost() -> None:
    stream, good = _stream_with(b"hello\r\n\x00\x01")
    records = P3StreamDecoder().feed(stream)
    assert [r for r in records if isinstance(r, P3Record)] == good
    skipped = [r for r in records if isinstance(r, P3Skipped)]
    assert [s.reason for s in skipped] == ["9 byte(s) between records"]


def test_a_bad_crc_is_skipped_with_a_reason() -> None:
    wire = bytearray(encode_record(passing(99, 5, 77, decoder_id=7)))
    wire[14] ^= 0x01
    stream, good = _stream_with(bytes(wire))
    records = P3StreamDecoder().feed(stream)
    assert [r for r in records if isinstance(r, P3Record)] == good
    (skip,) = [r for r in records if isinstance(r, P3Skipped)]
    assert skip.reason.startswith("bad CRC")


def test_a_cut_record_is_skipped_and_the_next_one_taken() -> None:
    cut = encode_record(passing(99, 5, 77, decoder_id=7))[:17]
    stream, good = _stream_with(cut)
    records = P3StreamDecoder().feed(stream)
    assert [r for r in records if isinstance(r, P3Record)] == good
    (skip,) = [r for r in records if isinstance(r, P3Skipped)]
    assert "cut short" in skip.reason


def test_a_wrong_length_and_a_field_past_the_end_are_skipped() -> None:
    record = P3Record(RecordType.PASSING, ((1, b"\x01\x00\x00\x00"),))
    wire = bytearray(encode_record(record))
    wire[2] += 1  # the length field
    assert "length field" in decode_record(bytes(wire)).reason
    body = bytes.fromhex("0201000000") + bytes((0x03, 0x09, 1, 2))  # says 9 bytes, has 2
    raw = bytearray(b"\x8e\x02\x00\x00\x00\x00\x00\x00\x01\x00" + body + b"\x8f")
    raw[2] = len(raw)
    crc = crc16(bytes(raw))
    raw[4:6] = crc.to_bytes(2, "little")
    assert "runs past the end" in decode_record(bytes(raw)).reason


def test_unknown_tags_are_kept_and_unknown_types_parse() -> None:
    record = P3Record(
        RecordType.PASSING,
        (*passing(5, 6, 7).fields, (0x42, b"\x01\x02"), (0x0A, b"FL-94890")),
    )
    parsed = as_passing(decode_record(encode_record(record)))
    assert isinstance(parsed, PassingRecord)
    assert parsed.unknown == ((0x42, b"\x01\x02"),)
    assert parsed.transponder_text == "FL-94890"
    odd = decode_record(encode_record(P3Record(0x0777, ((1, b"x"),))))
    assert isinstance(odd, P3Record) and odd.type_name == "0x0777"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.binary(max_size=80), max_size=12))
def test_random_bytes_never_raise(chunks: list[bytes]) -> None:
    decoder = P3StreamDecoder()
    for chunk in chunks:
        for item in decoder.feed(chunk):
            assert isinstance(item, P3Record | P3Skipped)
            if isinstance(item, P3Record) and item.type == RecordType.PASSING:
                as_passing(item)
            elif isinstance(item, P3Record):
                as_status(item)
    decoder.finish()


_CAPTURE = wires(LONG)[:200] if LONG.exists() else [encode_record(passing(1, 2, 3))]


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_mutated_captures_never_raise_and_keep_the_untouched_records(data) -> None:
    index = data.draw(st.integers(0, len(_CAPTURE) - 1))
    wire = bytearray(_CAPTURE[index])
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(wire) - 1))
        wire[at] = data.draw(st.sampled_from([0x00, 0x8D, 0x8E, 0x8F, 0xFF, wire[at] ^ 0x10]))
    stream = b"".join(_CAPTURE[:index]) + bytes(wire) + b"".join(_CAPTURE[index + 1 :])
    decoder = P3StreamDecoder()
    out = decoder.feed(stream) + decoder.finish()
    good = [r for r in out if isinstance(r, P3Record)]
    others = [decode_record(w) for k, w in enumerate(_CAPTURE) if k != index]
    # every untouched record is still there, in order
    it = iter(good)
    assert all(any(g == o for g in it) for o in others)
